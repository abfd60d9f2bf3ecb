//! A restored snapshot answers exactly like the model it was taken from, and keeps doing so as
//! both apply the same later events.

use chatd_domain::{Principal, Rights, Role, TagId, UserId};
use chatd_projections::model::list::{ListQuery, Responsible, Sort, StatusFilter};
use chatd_projections::model::snapshot::binary::{self, Unreadable};
use chatd_projections::model::snapshot::Snapshot;
use chatd_projections::ReadModel;
use time::OffsetDateTime;
use uuid::Uuid;

mod world;
use world::world;

fn answers(m: &ReadModel, managers: &[UserId], tags: &[TagId]) -> String {
    // R37: every timer, in due order.
    let far = OffsetDateTime::now_utc() + time::Duration::days(3650);
    let mut out = format!("timers {:?}\n", m.timers.due(far, usize::MAX));
    let admin = Principal::User {
        id: Uuid::nil().into(),
        role: Role::Admin,
        rights: Rights::NONE,
    };
    let viewers: Vec<Principal> = managers
        .iter()
        .map(|id| Principal::User {
            id: *id,
            role: Role::Manager,
            rights: Rights::NONE,
        })
        .chain([admin])
        .collect();
    let queries = [
        ListQuery {
            limit: 200,
            ..Default::default()
        },
        ListQuery {
            status: StatusFilter::All,
            limit: 7,
            ..Default::default()
        },
        ListQuery {
            sort: Sort::ProcessingOrder,
            status: StatusFilter::All,
            limit: 200,
            ..Default::default()
        },
        ListQuery {
            responsible: vec![Responsible::Me],
            limit: 200,
            ..Default::default()
        },
        ListQuery {
            tags: vec![tags[0], tags[1]],
            status: StatusFilter::All,
            limit: 200,
            ..Default::default()
        },
        ListQuery {
            tags: vec![tags[0]],
            pinned_only: true,
            limit: 200,
            ..Default::default()
        },
        ListQuery {
            no_tags: true,
            limit: 200,
            ..Default::default()
        },
        ListQuery {
            q: Some("customer 1".into()),
            status: StatusFilter::All,
            limit: 200,
            ..Default::default()
        },
    ];
    let mut pending: Vec<_> = m.outbox.pending.values().map(|p| p.position).collect();
    let mut notices: Vec<_> = m.outbox.notices.values().cloned().collect();
    pending.sort();
    notices.sort_by_key(|n| n.position);
    out.push_str(&format!("outbox {pending:?} {notices:?}\n"));
    for v in &viewers {
        for q in &queries {
            let page = m.list(v, q).unwrap();
            for r in &page.items {
                let u = v.user_id().unwrap();
                out.push_str(&format!(
                    "{} {} {} {:?} {:?} {:?}|",
                    r.id,
                    r.unread_count(u),
                    r.marked_unread(u),
                    r.draft(u),
                    r.last_message,
                    r.last_customer_message
                ));
            }
            out.push_str(&format!("{:?}\n", page.next_cursor));
        }
        out.push_str(&format!("unread {}\n", m.dialogs.unread_dialogs(v)));
        if let Some(u) = v.user_id() {
            let mentions: Vec<_> = m.mentions.of_user(u).collect();
            let mut open: Vec<_> = m.mentions.open_dialogs(u).collect();
            open.sort();
            out.push_str(&format!("mentions {mentions:?} open {open:?}\n"));
        }
        out.push_str(&format!(
            "snoozed {:?}\n",
            m.list(
                v,
                &ListQuery {
                    status: StatusFilter::Snoozed,
                    limit: 500,
                    ..Default::default()
                }
            )
            .map(|p| chatd_projections::model::list::ids(&p))
        ));
        out.push_str(&format!(
            "facets {:?}\n",
            m.facets(
                v,
                &chatd_projections::model::list::ListQuery {
                    status: StatusFilter::All,
                    ..Default::default()
                }
            )
        ));
    }
    out
}

/// Every view a snapshot holds, as JSON, each list in one order: equal models give equal text.
fn everything(m: &ReadModel) -> String {
    let mut v = serde_json::to_value(m.snapshot()).unwrap();
    for (_, list) in v.as_object_mut().unwrap().iter_mut() {
        if let Some(items) = list.as_array_mut() {
            items.sort_by_key(|i| i.to_string());
        }
    }
    v.to_string()
}

/// How a snapshot is written and read back.
#[derive(Clone, Copy, Debug)]
enum Via {
    /// The snapshot file (binary sections).
    Binary,
    /// The JSON of earlier builds, still read once on upgrade.
    Json,
    /// The binary file of earlier builds: each section one LZ4 block, not frames.
    WholeBlocks,
    /// The snapshot file on disk, read a frame at a time (as chatd starts).
    File,
}

fn round_trip(m: &ReadModel, via: Via) -> ReadModel {
    match via {
        Via::Binary => {
            binary::decode(&binary::encode(m).compress().to_bytes()).expect("reads back")
        }
        Via::File => {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("readmodels.snapshot");
            std::fs::write(&path, binary::encode(m).compress().to_bytes()).unwrap();
            binary::decode_file(&path).unwrap().expect("reads back")
        }
        Via::WholeBlocks => {
            binary::decode(&binary::encode(m).compress_whole()).expect("reads back")
        }
        Via::Json => {
            let json = serde_json::to_vec(&m.snapshot()).unwrap();
            let snapshot: Snapshot = serde_json::from_slice(&json).unwrap();
            ReadModel::restore(snapshot).expect("same format")
        }
    }
}

#[test]
fn a_restored_snapshot_answers_like_the_original() {
    restored_answers_like_the_original(Via::Binary);
}

#[test]
fn a_snapshot_read_from_its_file_a_frame_at_a_time_answers_like_the_original() {
    restored_answers_like_the_original(Via::File);
}

#[test]
fn a_snapshot_file_of_earlier_builds_one_block_a_section_answers_like_the_original() {
    restored_answers_like_the_original(Via::WholeBlocks);
}

#[test]
fn a_json_snapshot_of_an_earlier_build_answers_like_the_original() {
    restored_answers_like_the_original(Via::Json);
}

fn restored_answers_like_the_original(via: Via) {
    let (log, managers, tags) = world();
    let (before, after) = log.events.split_at(log.events.len() * 2 / 3);
    let mut original = ReadModel::default();
    before.iter().for_each(|e| {
        original.apply(e).unwrap();
    });
    let mut restored = round_trip(&original, via);
    assert_eq!(everything(&restored), everything(&original));
    assert!(everything(&original).contains("spring 0"));
    assert!(everything(&original).contains("photo 5.png"));
    assert_eq!(restored.position, original.position);
    assert_eq!(
        answers(&restored, &managers, &tags),
        answers(&original, &managers, &tags)
    );
    for e in after {
        original.apply(e).unwrap();
        restored.apply(e).unwrap();
    }
    assert_eq!(
        answers(&restored, &managers, &tags),
        answers(&original, &managers, &tags)
    );
    // And both equal a model built from the whole log at once.
    let mut full = ReadModel::default();
    log.events.iter().for_each(|e| {
        full.apply(e).unwrap();
    });
    assert_eq!(
        answers(&full, &managers, &tags),
        answers(&restored, &managers, &tags)
    );
}

#[test]
fn a_snapshot_of_another_format_is_refused() {
    let mut s = ReadModel::default().snapshot();
    s.format += 1;
    assert!(ReadModel::restore(s).is_none());
}

#[test]
fn a_damaged_or_foreign_snapshot_file_is_refused() {
    let (log, _, _) = world();
    let mut m = ReadModel::default();
    log.events.iter().for_each(|e| {
        m.apply(e).unwrap();
    });
    let good = binary::encode(&m).compress().to_bytes();
    assert!(binary::decode(&good).is_ok());
    // Any byte changed in any section, in memory or read from the file a frame at a time.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("readmodels.snapshot");
    let from_file = |bytes: &[u8]| {
        std::fs::write(&path, bytes).unwrap();
        binary::decode_file(&path).unwrap()
    };
    assert!(from_file(&good).is_ok());
    for at in [60, good.len() / 2, good.len() - 1] {
        let mut bad = good.clone();
        bad[at] ^= 0x5a;
        assert!(matches!(binary::decode(&bad), Err(Unreadable::Damaged(_))));
        assert!(
            matches!(from_file(&bad), Err(Unreadable::Damaged(_))),
            "{at}"
        );
    }
    assert!(from_file(&good[..good.len() - 7]).is_err());
    assert!(matches!(from_file(b"{}"), Err(Unreadable::NotASnapshot)));
    // Cut short, or grown.
    assert!(binary::decode(&good[..good.len() - 7]).is_err());
    let mut longer = good.clone();
    longer.push(0);
    assert!(binary::decode(&longer).is_err());
    // Another format, another file, nothing.
    let mut other = good.clone();
    other[8] = other[8].wrapping_add(1);
    assert!(matches!(
        binary::decode(&other),
        Err(Unreadable::OtherFormat(_))
    ));
    assert_eq!(
        binary::decode(b"{\"format\":8}").err(),
        Some(Unreadable::NotASnapshot)
    );
    assert_eq!(binary::decode(&[]).err(), Some(Unreadable::NotASnapshot));
}
