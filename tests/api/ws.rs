//! The WebSocket feed with a real client: who gets which frame, and resumption.

use chatd_tests::spawn_app;
use serde_json::json;

#[tokio::test]
async fn r17_the_responsible_manager_gets_message_new_with_text_and_counter_and_another_does_not() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    let (m1, t1) = app.user(&admin, "m1", "manager", &[]).await;
    let (m2, t2) = app.user(&admin, "m2", "manager", &[]).await;
    let mine = app.dialog(&transport, "mine", "first").await;
    let theirs = app.dialog(&transport, "theirs", "first").await;
    for (d, m, t) in [(&mine, &m1, &t1), (&theirs, &m2, &t2)] {
        let r = app.reassign(t, d, m).await;
        assert_eq!(r.status, 200);
    }
    let mut w1 = app.ws(&t1, None).await;
    let mut w2 = app.ws(&t2, None).await;
    let sent = app
        .inbound(
            &transport,
            "mine",
            "cust-mine",
            "m-2",
            "Where is my kettle?",
        )
        .await;
    assert_eq!(sent.status, 200);
    let f = w1.next_of(&["message_new"]).await;
    assert_eq!(f["data"]["dialog_id"], mine.as_str());
    assert_eq!(f["data"]["message"]["text"], "Where is my kettle?");
    assert_eq!(f["data"]["unread_dialogs"], 1);
    assert_eq!(f["position"], sent.position().as_str());
    // m2's next message_new is about their own dialog: they never heard of m1's.
    app.inbound(&transport, "theirs", "cust-theirs", "t-2", "hello m2")
        .await;
    let f = w2.next_of(&["message_new"]).await;
    assert_eq!(f["data"]["dialog_id"], theirs.as_str());
    w1.close().await;
    w2.close().await;
    app.stop().await;
}

#[tokio::test]
async fn reassignment_removes_the_dialog_from_the_old_manager_and_updates_the_new() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    let (m1, t1) = app.user(&admin, "m1", "manager", &[]).await;
    let (m2, t2) = app.user(&admin, "m2", "manager", &[]).await;
    let d = app.dialog(&transport, "c1", "hi").await;
    app.reassign(&t1, &d, &m1).await;
    let mut w1 = app.ws(&t1, None).await;
    let mut w2 = app.ws(&t2, None).await;
    let r = app.reassign(&t1, &d, &m2).await;
    assert_eq!(r.status, 200);
    let removed = w1.next_of(&["dialog_removed", "dialog_updated"]).await;
    assert_eq!(removed["type"], "dialog_removed");
    assert_eq!(removed["data"]["dialog_id"], d.as_str());
    let updated = w2.next_of(&["dialog_updated", "dialog_removed"]).await;
    assert_eq!(updated["type"], "dialog_updated");
    assert_eq!(updated["data"]["dialog"]["responsible"]["id"], m2.as_str());
    // Nothing more about it reaches m1: their next frame is about something they can see.
    let other = app
        .dialog(&transport, "c2", "unassigned, visible to all managers")
        .await;
    app.inbound(&transport, "c1", "cust-c1", "more", "for m2 only")
        .await;
    app.inbound(&transport, "c2", "cust-c2", "more2", "again")
        .await;
    let f = w1
        .next_of(&["message_new", "dialog_updated", "dialog_opened"])
        .await;
    assert_ne!(f["data"]["dialog_id"], d.as_str());
    assert_ne!(f["data"]["dialog"]["id"], d.as_str());
    let _ = other;
    w1.close().await;
    w2.close().await;
    app.stop().await;
}

/// A live chat's dialog `c1`, the admin's feed open, then the customer's message `text`: the
/// app, the admin's token, the channel's transport token, the dialog, the feed, the answer.
async fn live_dialog(
    external_id: &str,
    text: &str,
) -> (
    chatd_tests::TestApp,
    String,
    String,
    String,
    chatd_tests::Ws,
    chatd_tests::Answer,
) {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "livechat").await;
    let d = app.dialog(&transport, "c1", "start").await;
    let w = app.ws(&admin, None).await;
    let sent = app
        .inbound(&transport, "c1", "cust-c1", external_id, text)
        .await;
    (app, admin, transport, d, w, sent)
}

#[tokio::test]
async fn a_client_resuming_with_since_gets_exactly_the_100_frames_it_missed_in_order() {
    let (app, admin, transport, d, mut w, first) = live_dialog("m-0", "seen live").await;
    let seen = w.next_of(&["message_new"]).await;
    assert_eq!(seen["position"], first.position().as_str());
    let since = first.position();
    w.close().await;
    for i in 1..=100 {
        let a = app
            .inbound(
                &transport,
                "c1",
                "cust-c1",
                &format!("m-{i}"),
                &format!("missed {i}"),
            )
            .await;
        assert_eq!(a.status, 200);
    }
    let mut w = app.ws(&admin, Some(&since)).await;
    let mut last: u64 = since.parse().unwrap();
    for i in 1..=100 {
        let f = w.next_of(&["message_new"]).await;
        assert_eq!(
            f["data"]["message"]["text"],
            format!("missed {i}"),
            "in order, none lost"
        );
        let p: u64 = f["position"].as_str().unwrap().parse().unwrap();
        assert!(p > last, "positions increase");
        last = p;
    }
    // Then live, with nothing duplicated at the seam.
    app.inbound(&transport, "c1", "cust-c1", "m-live", "live again")
        .await;
    let f = w.next_of(&["message_new"]).await;
    assert_eq!(f["data"]["message"]["text"], "live again");
    assert_eq!(f["data"]["dialog_id"], d.as_str());
    w.close().await;
    app.stop().await;
}

/// The frames at `position`, as `(type, part)`.
fn parts_at(frames: &[serde_json::Value], position: &str) -> Vec<(String, u64)> {
    frames
        .iter()
        .filter(|f| f["position"] == position)
        .map(|f| {
            let part = f["part"]
                .as_u64()
                .expect("a kept change's frame has a part");
            (f["type"].as_str().unwrap().to_owned(), part)
        })
        .collect()
}

#[tokio::test]
async fn a_client_cut_between_two_frames_of_one_change_resumes_with_part_and_gets_the_rest() {
    let (app, admin, transport, d, mut w, first) =
        live_dialog("m-1", "one change, two frames").await;
    let p = first.position();
    // Live: a message is message_new (part 0), then its row (part 1), at one position.
    let live = w.until(|f| f["type"] == "dialog_updated").await;
    let live_parts = parts_at(&live, &p);
    assert_eq!(
        live_parts,
        [("message_new".into(), 0), ("dialog_updated".into(), 1)]
    );
    w.close().await;
    let second = app
        .inbound(&transport, "c1", "cust-c1", "m-2", "after the cut")
        .await;
    let q = second.position();
    let is_q_row = |f: &serde_json::Value| f["type"] == "dialog_updated" && f["position"] == q;
    // Cut after part 0: the row comes again (rendered now), then the next change whole.
    let mut w = app.ws(&admin, Some(&format!("{p}&part=0"))).await;
    let resumed = w.until(is_q_row).await;
    w.close().await;
    assert_eq!(resumed[0]["type"], "dialog_updated", "{resumed:?}");
    assert_eq!(resumed[0]["position"], p.as_str());
    assert_eq!(resumed[0]["part"], 1);
    assert_eq!(resumed[0]["data"]["dialog"]["id"], d.as_str());
    assert_eq!(parts_at(&resumed, &p), [("dialog_updated".into(), 1)]);
    assert_eq!(
        parts_at(&resumed, &q),
        [("message_new".into(), 0), ("dialog_updated".into(), 1)]
    );
    // After the change's last part: nothing more of it. Without part: as after the last part.
    for since in [format!("{p}&part=1"), p.clone()] {
        let mut w = app.ws(&admin, Some(&since)).await;
        let resumed = w.until(is_q_row).await;
        w.close().await;
        assert!(parts_at(&resumed, &p).is_empty(), "{since}: {resumed:?}");
        assert_eq!(resumed[0]["type"], "message_new", "{since}");
        assert_eq!(resumed[0]["data"]["message"]["text"], "after the cut");
    }
    // A part that is not one, or a part with no position, is refused before the handshake.
    for since in [format!("{p}&part=x"), format!("{p}&part=-1")] {
        assert_eq!(app.ws_refused(&admin, Some(&since)).await, Some(400));
    }
    let r = app
        .call("GET", "/api/v1/ws?part=0", Some(&admin), None)
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.body["code"], "invalid_query");
    app.stop().await;
}

/// A position beyond the log's head belongs to no log this node knows (a backup restored, the
/// client's last shop): resync, not a wait for a position that will not come.
#[tokio::test]
async fn a_position_beyond_the_log_answers_resync_required() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    // Waited for as a `min_position`, it would be refused with 503 `projection_lagging`.
    let mut w = app.ws(&admin, Some("987654321")).await;
    assert_eq!(w.next().await["type"], "resync_required");
    app.stop().await;
}

#[tokio::test]
async fn a_position_older_than_the_node_answers_resync_required() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    app.dialog(&transport, "c1", "hi").await;
    let last = app
        .inbound(&transport, "c1", "cust-c1", "m-2", "the last change")
        .await
        .position();
    let dir = app.stop().await;
    // Restarted from its snapshot, the node holds nothing from before it.
    let app = chatd_tests::spawn_app_in(dir).await;
    let admin = app.admin().await;
    let mut w = app.ws(&admin, Some("1")).await;
    assert_eq!(w.next().await["type"], "resync_required");
    // The rest of the change it started from is not kept either; after all of it, nothing is
    // missing.
    let mut w = app.ws(&admin, Some(&format!("{last}&part=0"))).await;
    assert_eq!(w.next().await["type"], "resync_required");
    let mut w = app.ws(&admin, Some(&last)).await;
    app.inbound(&transport, "c1", "cust-c1", "m-3", "after the restart")
        .await;
    assert_eq!(w.next().await["type"], "message_new");
    let unauthorized = app.call("GET", "/api/v1/ws?token=forged", None, None).await;
    assert_eq!(
        (unauthorized.status, unauthorized.code()),
        (401, "unauthorized")
    );
    app.stop().await;
}

#[tokio::test]
async fn the_online_flag_follows_a_users_sockets_and_several_tabs_count_once() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (m1, t1) = app.user(&admin, "m1", "manager", &[]).await;
    let mut watcher = app.ws(&admin, None).await;
    let online_of = |users: &serde_json::Value| {
        users["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["id"] == m1.as_str())
            .map(|u| u["online"].clone())
            .unwrap()
    };
    assert_eq!(
        online_of(
            &app.call("GET", "/api/v1/users", Some(&admin), None)
                .await
                .body
        ),
        false
    );
    let tab1 = app.ws(&t1, None).await;
    let f = about(&mut watcher, &m1).await;
    assert_eq!(f["data"]["user"]["online"], true);
    assert_eq!(
        online_of(
            &app.call("GET", "/api/v1/users", Some(&admin), None)
                .await
                .body
        ),
        true
    );
    let tab2 = app.ws(&t1, None).await;
    tab1.close().await;
    // Still online through the second tab: the next user_updated is the one for the last tab.
    tab2.close().await;
    let f = about(&mut watcher, &m1).await;
    assert_eq!(f["data"]["user"]["online"], false);
    watcher.close().await;
    app.stop().await;
}

/// The next `user_updated` frame about `user` (the watcher also hears of itself going online).
async fn about(ws: &mut chatd_tests::Ws, user: &str) -> serde_json::Value {
    loop {
        let f = ws.next_of(&["user_updated"]).await;
        if f["data"]["user"]["id"] == user {
            return f;
        }
    }
}

#[tokio::test]
async fn r15_a_waiting_level_turns_warning_then_danger_with_no_request_made() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    let limits = app
        .call(
            "PUT",
            "/api/v1/settings/time-limits",
            Some(&admin),
            Some(json!({"default": {"warning_after": 10, "limit": 20}, "channels": {}})),
        )
        .await;
    assert_eq!(limits.status, 200);
    let mut w = app.ws(&admin, None).await;
    // The customer wrote 9 s before the integration delivered it: the clock started then.
    let written = time::OffsetDateTime::now_utc() - time::Duration::seconds(9);
    let body = json!({
        "external_chat_id": "c1",
        "customer": {"external_id": "u1", "name": "Ann"},
        "message": {"external_id": "m1", "text": "hello?", "created_at": written.format(&time::format_description::well_known::Rfc3339).unwrap()},
    });
    let r = app
        .client
        .post(app.url("/api/transport/v1/messages"))
        .header("x-transport-token", &transport)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let mut levels = Vec::new();
    while levels.last() != Some(&"danger".to_owned()) {
        let f = w.next_of(&["dialog_updated"]).await;
        let level = f["data"]["dialog"]["waiting_level"]
            .as_str()
            .unwrap()
            .to_owned();
        if levels.last() != Some(&level) {
            levels.push(level);
        }
    }
    assert_eq!(levels, vec!["none", "warning", "danger"]);
    w.close().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_stops_reading_is_told_to_resync_and_dropped_while_another_keeps_receiving() {
    let dir = tempfile::tempdir().unwrap();
    // A queue deep enough that a healthy reader on a busy CI machine never fills it.
    let app = chatd_tests::spawn_app_with(dir, |c| c.ws_queue = 64).await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "livechat").await;
    let slow = app.ws_slow(&admin).await;
    let mut healthy = app.ws(&admin, None).await;
    // Enough bytes to fill the slow socket's kernel buffers (megabytes) and then its queue.
    const MESSAGES: usize = 1500;
    let reader = tokio::spawn(async move {
        let mut received = 0;
        while received < MESSAGES {
            let f = healthy.next_of(&["message_new", "resync_required"]).await;
            assert_eq!(
                f["type"], "message_new",
                "the healthy client is never cut off"
            );
            received += 1;
        }
        healthy.close().await;
        received
    });
    let text = "x".repeat(4000);
    for i in 0..MESSAGES {
        let a = app
            .inbound(
                &transport,
                &format!("chat-{}", i % 10),
                &format!("c{}", i % 10),
                &format!("m{i}"),
                &text,
            )
            .await;
        assert_eq!(a.status, 200);
    }
    assert_eq!(reader.await.unwrap(), MESSAGES);
    let frames = slow.until_closed().await;
    let news = frames.iter().filter(|f| f["type"] == "message_new").count();
    assert!(
        news < MESSAGES,
        "the slow client could not have taken every frame"
    );
    assert_eq!(
        frames.last().map(|f| f["type"].clone()),
        Some(json!("resync_required"))
    );
    app.stop().await;
}

/// A resumption bounded like a live queue (R32: the work one request causes is bounded): more
/// missed frames than `ws_queue` holds is `resync_required`, as for a client that fell behind.
#[tokio::test]
async fn a_resume_longer_than_the_queue_is_told_to_resync() {
    let dir = tempfile::tempdir().unwrap();
    let app = chatd_tests::spawn_app_with(dir, |c| c.ws_queue = 16).await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    let first = app.inbound(&transport, "c", "cust", "m0", "hello").await;
    let since = first.position();
    // Two frames each (message_new and dialog_updated): four fit, twenty do not.
    for i in 1..=4 {
        app.inbound(&transport, "c", "cust", &format!("m{i}"), "more")
            .await;
    }
    let mut w = app.ws(&admin, Some(&since)).await;
    let f = w.next().await;
    assert_eq!(f["type"], "message_new", "{f}");
    w.close().await;
    for i in 5..=20 {
        app.inbound(&transport, "c", "cust", &format!("m{i}"), "more")
            .await;
    }
    let frames = app.ws(&admin, Some(&since)).await.until_closed().await;
    let types: Vec<_> = frames.iter().map(|f| f["type"].clone()).collect();
    assert_eq!(types, vec![json!("resync_required")], "{frames:?}");
    app.stop().await;
}

/// A shift starting: many managers open their sockets at once. Presence is announced per tick
/// (a `user_updated` each when few moved, one `presence` frame when many did); either way every
/// one of them is heard online exactly once, and then offline exactly once.
#[tokio::test]
async fn a_shift_starting_is_heard_once_per_manager_online_then_offline() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let mut managers = Vec::new();
    for n in 0..20 {
        managers.push(app.user(&admin, &format!("shift{n}"), "manager", &[]).await);
    }
    let mut watcher = app.ws(&admin, None).await;
    let ids: std::collections::BTreeSet<String> =
        managers.iter().map(|(id, _)| id.clone()).collect();
    let sockets =
        futures_util::future::join_all(managers.iter().map(|(_, t)| app.ws(t, None))).await;
    assert_eq!(heard(&mut watcher, &ids, true).await, ids);
    for s in sockets {
        s.close().await;
    }
    assert_eq!(heard(&mut watcher, &ids, false).await, ids);
    watcher.close().await;
    app.stop().await;
}

/// Every one of `ids` heard going online (or offline), from `user_updated` and `presence`
/// frames, until all are; a user heard twice fails.
async fn heard(
    ws: &mut chatd_tests::Ws,
    ids: &std::collections::BTreeSet<String>,
    online: bool,
) -> std::collections::BTreeSet<String> {
    let mut seen = std::collections::BTreeSet::new();
    while seen.len() < ids.len() {
        let f = ws.next_of(&["user_updated", "presence"]).await;
        let now: Vec<String> = if f["type"] == "presence" {
            assert!(f["position"].is_null(), "{f}");
            let key = if online { "online" } else { "offline" };
            let list = f["data"][key].as_array().unwrap();
            list.iter()
                .map(|v| v.as_str().unwrap().to_owned())
                .collect()
        } else if f["data"]["user"]["online"] == online {
            vec![f["data"]["user"]["id"].as_str().unwrap().to_owned()]
        } else {
            vec![]
        };
        for id in now.into_iter().filter(|id| ids.contains(id)) {
            assert!(seen.insert(id.clone()), "{id} announced twice: {f}");
        }
    }
    seen
}
