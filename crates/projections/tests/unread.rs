//! R5: the header's count of unread dialogs, as the read model keeps it (counters per
//! responsible and their total, and each user's small sets), equals the count taken row by row
//! over the dialogs the viewer sees (R32), after every event of a log that assigns, reassigns,
//! reads, marks unread and deletes.

use chatd_domain::{Principal, Rights, Role};
use chatd_projections::ReadModel;
use uuid::Uuid;

mod world;

fn row_by_row(m: &ReadModel, v: &Principal) -> u64 {
    let Some(u) = v.user_id() else { return 0 };
    m.dialogs
        .rows
        .values()
        .filter(|r| r.is_visible_to(v) && (r.unread_count(u) > 0 || r.marked_unread(u)))
        .count() as u64
}

#[test]
fn r5_unread_dialogs_equals_the_count_row_by_row_after_every_event() {
    let (log, managers, _) = world::world();
    let user = |id, role| Principal::User {
        id,
        role,
        rights: Rights::NONE,
    };
    let viewers: Vec<Principal> = managers
        .iter()
        .map(|id| user(*id, Role::Manager))
        .chain([
            user(managers[0], Role::Admin),
            user(managers[1], Role::ChatAdmin),
            user(Uuid::new_v4().into(), Role::Auditor),
        ])
        .collect();
    let mut m = ReadModel::default();
    let mut counted = 0;
    for e in &log.events {
        m.apply(e).unwrap();
        for v in &viewers {
            let expected = row_by_row(&m, v);
            assert_eq!(
                m.dialogs.unread_dialogs(v),
                expected,
                "{v:?} at {:?}",
                e.position
            );
            counted += expected;
        }
    }
    assert!(counted > 0, "the log leaves something unread along the way");
}
