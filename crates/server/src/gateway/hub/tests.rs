use super::*;
use chatd_domain::Rights;

fn manager() -> Principal {
    Principal::User {
        id: uuid::Uuid::new_v4().into(),
        role: Role::Manager,
        rights: Rights::NONE,
    }
}

/// Found by P3: many sockets gone at once made "went offline" recurse once per socket, and
/// overflowed the stack. (Connected while the model knew no users, so connecting stays cheap.)
#[test]
fn five_thousand_closed_sockets_are_dropped_without_recursion() {
    let hub = Hub::new(8, PER_USER);
    let principals: Vec<Principal> = (0..5_000).map(|_| manager()).collect();
    let conns: Vec<_> = principals
        .iter()
        .map(|p| hub.connect(&ReadModel::default(), *p, None, None).unwrap())
        .collect();
    let mut m = ReadModel::default();
    for (n, p) in principals.iter().enumerate() {
        let id = p.user_id().unwrap();
        let e = chatd_domain::people::UserEvent::UserCreated {
            user_id: id,
            login: format!("u{n}"),
            name: "u".into(),
            password_hash: String::new(),
            role: Role::Manager,
            group_ids: vec![],
        };
        let meta = chatd_domain::EventMeta {
            at: time::OffsetDateTime::now_utc(),
            actor: chatd_domain::Actor::System,
        };
        let new = chatd_projections::new_event(uuid::Uuid::new_v4(), &meta, &e);
        m.apply(&chatd_store::RecordedEvent {
            stream: <chatd_domain::people::User as chatd_domain::Aggregate>::stream(id),
            version: 0,
            id: new.id,
            event_type: new.event_type,
            schema_version: new.schema_version,
            data: new.data,
            metadata: new.metadata,
            position: Position::single(n as u64 + 1),
            recorded_at: meta.at,
            prev_hash: [0; 32],
            hash: [0; 32],
        })
        .unwrap();
    }
    let first = conns[0].id;
    drop(conns);
    hub.disconnect(&m, first);
    assert_eq!(
        hub.connections(),
        0,
        "every closed socket was found and dropped"
    );
}

#[test]
fn a_users_tabs_count_once_online() {
    let m = ReadModel::default();
    let hub = Hub::new(8, PER_USER);
    let p = manager();
    let user = p.user_id().unwrap();
    let a = hub.connect(&m, p, None, None).unwrap();
    let b = hub.connect(&m, p, None, None).unwrap();
    assert!(hub.is_online(user));
    hub.disconnect(&m, a.id);
    assert!(hub.is_online(user));
    hub.disconnect(&m, b.id);
    assert!(!hub.is_online(user));
}
