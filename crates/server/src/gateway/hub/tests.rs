use super::*;
use chatd_domain::Rights;

fn manager() -> Principal {
    Principal::User {
        id: uuid::Uuid::new_v4().into(),
        role: Role::Manager,
        rights: Rights::NONE,
    }
}

/// Read models that know these principals as users.
fn knowing(principals: &[Principal]) -> ReadModel {
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
    m
}

/// Found by P3: many sockets gone at once made "went offline" recurse once per socket, and
/// overflowed the stack. Now the tick's one frame finds every closed socket and drops it.
#[test]
fn five_thousand_closed_sockets_are_dropped_without_recursion() {
    let hub = Hub::new(8, PER_USER);
    let principals: Vec<Principal> = (0..5_000).map(|_| manager()).collect();
    let conns: Vec<_> = principals
        .iter()
        .map(|p| hub.connect(&ReadModel::default(), *p, None, None).unwrap())
        .collect();
    let m = knowing(&principals);
    let first = conns[0].id;
    drop(conns);
    hub.disconnect(first);
    // The tick tells every socket the first went offline, and finds every other one closed.
    hub.announce_presence(&m);
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
    hub.disconnect(a.id);
    assert!(hub.is_online(user));
    hub.disconnect(b.id);
    assert!(!hub.is_online(user));
}

/// The frames queued for a connection, as JSON.
fn queued(c: &mut Connection) -> Vec<serde_json::Value> {
    std::iter::from_fn(|| c.frames.try_recv().ok())
        .map(|f| serde_json::from_str(&f).unwrap())
        .collect()
}

/// A shift starting: many users online within one tick is one `presence` frame to each socket,
/// not one frame per user per socket (N² frames for N managers); a few are a `user_updated`
/// each; a tab that opened and closed within the tick is not announced at all.
#[test]
fn presence_is_announced_per_tick_in_one_frame_when_many_moved() {
    let principals: Vec<Principal> = (0..=PRESENCE_SINGLES + 4).map(|_| manager()).collect();
    let m = knowing(&principals);
    let hub = Hub::new(64, PER_USER);
    let mut conns: Vec<Connection> = principals
        .iter()
        .map(|p| hub.connect(&m, *p, None, None).unwrap())
        .collect();
    assert!(queued(&mut conns[0]).is_empty(), "nothing before the tick");
    hub.announce_presence(&m);
    for c in conns.iter_mut() {
        let frames = queued(c);
        assert_eq!(frames.len(), 1, "{frames:?}");
        assert_eq!(frames[0]["type"], "presence");
        assert!(frames[0]["position"].is_null());
        let online = frames[0]["data"]["online"].as_array().unwrap();
        let ids: HashSet<String> = online.iter().map(|v| v.as_str().unwrap().into()).collect();
        let all: HashSet<String> = principals
            .iter()
            .map(|p| p.user_id().unwrap().0.to_string())
            .collect();
        assert_eq!(ids, all);
    }

    // Two leave, and one opens a tab and closes it again before the tick.
    let gone: Vec<Connection> = conns.drain(..2).collect();
    for c in &gone {
        hub.disconnect(c.id);
    }
    let brief = hub.connect(&m, manager(), None, None).unwrap();
    hub.disconnect(brief.id);
    hub.announce_presence(&m);
    let frames = queued(&mut conns[0]);
    let mut heard: Vec<(String, bool)> = frames
        .iter()
        .map(|f| {
            assert_eq!(f["type"], "user_updated", "{f}");
            let u = &f["data"]["user"];
            (
                u["id"].as_str().unwrap().to_owned(),
                u["online"].as_bool().unwrap(),
            )
        })
        .collect();
    heard.sort();
    let mut left: Vec<(String, bool)> = gone
        .iter()
        .map(|c| (c.user.unwrap().0.to_string(), false))
        .collect();
    left.sort();
    assert_eq!(heard, left);
    hub.announce_presence(&m);
    assert!(queued(&mut conns[0]).is_empty(), "nothing moved since");
}

/// R34: a user online on another node is announced to this node's sockets as online; their
/// tab here opening and closing changes nothing while they stay online there; they go offline
/// when the other node's word no longer names them.
#[test]
fn users_online_on_another_node_are_shown_online_here() {
    let (watcher, roamer) = (manager(), manager());
    let m = knowing(&[watcher, roamer]);
    let hub = Hub::new(8, PER_USER);
    let mut w = hub.connect(&m, watcher, None, None).unwrap();
    hub.announce_presence(&m);
    queued(&mut w);
    let user = roamer.user_id().unwrap();
    let heard = |w: &mut Connection| -> Vec<bool> {
        queued(w)
            .iter()
            .filter(|f| f["data"]["user"]["id"] == user.0.to_string())
            .map(|f| f["data"]["user"]["online"].as_bool().unwrap())
            .collect()
    };
    hub.set_elsewhere(&HashSet::from([user]));
    hub.announce_presence(&m);
    assert_eq!(heard(&mut w), [true], "online on another node");
    assert!(!hub.is_online(user), "no socket on this node");
    let tab = hub.connect(&m, roamer, None, None).unwrap();
    hub.disconnect(tab.id);
    hub.announce_presence(&m);
    assert_eq!(heard(&mut w), Vec::<bool>::new(), "still online there");
    hub.set_elsewhere(&HashSet::new());
    hub.announce_presence(&m);
    assert_eq!(heard(&mut w), [false]);
}
