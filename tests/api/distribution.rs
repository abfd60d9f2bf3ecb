//! R18: the distribution bot assigns new dialogs by its rules, creates orders with the customer's
//! source, and hands on the dialogs of a manager who stops being available; and the Bot API.

use chatd_tests::{eventually, spawn_app, TestApp};
use serde_json::{json, Value};

async fn bot(app: &TestApp, admin: &str, rules: Value) -> (String, String) {
    let bot = app
        .call(
            "POST",
            "/api/v1/bots",
            Some(admin),
            Some(json!({"name": "Distribution", "distribution": rules})),
        )
        .await;
    assert_eq!(bot.status, 201, "{bot:?}");
    (
        bot.body["id"].as_str().unwrap().to_owned(),
        bot.body["token"].as_str().unwrap().to_owned(),
    )
}

async fn responsible(app: &TestApp, admin: &str, dialog: &str) -> Value {
    let d = app.detail(admin, dialog, None).await;
    d.body["responsible"]["id"].clone()
}

async fn assigned_to(app: &TestApp, admin: &str, dialog: &str, user: &str) {
    eventually(|| async { responsible(app, admin, dialog).await == user }).await;
}

fn rule(channel: &str, managers: &[&str], extra: Value) -> Value {
    let mut r = json!({
        "channel_id": channel, "manager_ids": managers, "max_open_per_manager": null,
        "require_free": true, "require_online": false, "strategy": "least_loaded",
        "reassign_when_unavailable": null, "create_customer": true, "create_order": false
    });
    r.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    r
}

#[tokio::test]
async fn r18_new_dialogs_go_to_the_least_loaded_free_manager_and_get_an_order() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (channel, transport) = app.channel(&admin, "instagram").await;
    let (m1, _) = app.user(&admin, "m1", "manager", &[]).await;
    let (m2, _) = app.user(&admin, "m2", "manager", &[]).await;
    let (bot_id, _) = bot(
        &app,
        &admin,
        json!([rule(&channel, &[&m1, &m2], json!({"create_order": true}))]),
    )
    .await;

    let a = app.dialog(&transport, "a", "hi").await;
    assigned_to(&app, &admin, &a, &m1).await; // a tie: the rule's order
    let b = app.dialog(&transport, "b", "hi").await;
    assigned_to(&app, &admin, &b, &m2).await; // least loaded
                                              // m1 goes to lunch: only free managers take dialogs.
    let lunch = app
        .call(
            "PATCH",
            &format!("/api/v1/users/{m1}"),
            Some(&admin),
            Some(json!({"work_status": "lunch"})),
        )
        .await;
    assert_eq!(lunch.status, 200, "{lunch:?}");
    let c = app.dialog(&transport, "c", "hi").await;
    assigned_to(&app, &admin, &c, &m2).await;

    // The bot is the author of the assignment, in the timeline and for auditors.
    let entry = app
        .timeline(&admin, &a)
        .await
        .into_iter()
        .find(|e| e["event"] == "reassigned")
        .unwrap();
    assert_eq!(entry["by"]["type"], "bot", "{entry}");
    assert_eq!(entry["by"]["id"], bot_id.as_str());
    assert_eq!(entry["to"]["id"], m1.as_str());

    // One order per dialog, with the manager and the customer's source (R1).
    let orders_now = || app.orders(&admin);
    eventually(|| async { orders_now().await.len() == 3 }).await;
    let orders = orders_now().await;
    let of = |d: &str| {
        orders
            .iter()
            .find(|o| o["dialog_id"] == d)
            .cloned()
            .unwrap()
    };
    assert_eq!(of(&a)["manager_id"], m1.as_str());
    assert_eq!(of(&c)["manager_id"], m2.as_str());
    assert_eq!(of(&b)["status"], "new");
    assert_eq!(of(&b)["source"]["channel_id"], channel.as_str());
    assert_eq!(of(&b)["source"]["utm"]["source"], "ads");
}

#[tokio::test]
async fn r18_a_busy_managers_unanswered_new_dialogs_are_handed_on() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (channel, transport) = app.channel(&admin, "whatsapp_qr").await;
    let (m1, m1_token) = app.user(&admin, "m1", "manager", &[]).await;
    let (m2, _) = app.user(&admin, "m2", "manager", &[]).await;
    // Only m1 at first, so both dialogs go to m1.
    let (bot_id, _) = bot(
        &app,
        &admin,
        json!([rule(
            &channel,
            &[&m1],
            json!({"reassign_when_unavailable": "only_new"})
        )]),
    )
    .await;
    let fresh = app.dialog(&transport, "fresh", "hello?").await;
    let answered = app.dialog(&transport, "answered", "hello?").await;
    assigned_to(&app, &admin, &fresh, &m1).await;
    assigned_to(&app, &admin, &answered, &m1).await;
    let sent = app.send(&m1_token, &answered, "Hi!").await;
    assert_eq!(sent.status, 201);
    app.inbound(
        &transport,
        "answered",
        "cust-answered",
        "answered-2",
        "and?",
    )
    .await;
    // m2 joins the rule; then m1 becomes busy.
    let patch = app
        .call("PATCH", &format!("/api/v1/bots/{bot_id}"), Some(&admin), Some(json!({"distribution": [rule(&channel, &[&m1, &m2], json!({"reassign_when_unavailable": "only_new"}))]})))
        .await;
    assert_eq!(patch.status, 200, "{patch:?}");
    let busy = app
        .call(
            "PATCH",
            &format!("/api/v1/users/{m1}"),
            Some(&m1_token),
            Some(json!({"work_status": "busy"})),
        )
        .await;
    assert_eq!(busy.status, 200, "{busy:?}");
    assigned_to(&app, &admin, &fresh, &m2).await;
    // `only_new`: the dialog m1 already answered stays with m1.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(responsible(&app, &admin, &answered).await, m1.as_str());
}

#[tokio::test]
async fn the_bot_api_lists_writes_hands_on_and_closes_the_bots_own_dialogs() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "livechat").await;
    let (m1, _) = app.user(&admin, "m1", "manager", &[]).await;
    let (bot_id, token) = bot(&app, &admin, json!([])).await;
    let mine = app.dialog(&transport, "mine", "hi bot").await;
    let other = app.dialog(&transport, "other", "hi").await;
    let r = app
        .call(
            "POST",
            &format!("/api/v1/dialogs/{mine}/reassign"),
            Some(&admin),
            Some(json!({"to": {"type": "bot", "id": bot_id}})),
        )
        .await;
    assert_eq!(r.status, 200);
    let call = |method: &'static str, path: String, body: Option<Value>| {
        let (app, token) = (&app, &token);
        async move {
            let path = format!("/api/bot/v1{path}");
            let a = app
                .call_as(method, &path, &[("x-bot-token", token)], body)
                .await;
            (a.status, a.body)
        }
    };
    let (status, list) = call(
        "GET",
        format!("/dialogs?min_position={}", r.position()),
        None,
    )
    .await;
    assert_eq!(status, 200, "{list}");
    let ids: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![mine.as_str()], "only the bot's own dialogs");
    let (status, msg) = call(
        "POST",
        format!("/dialogs/{mine}/messages"),
        Some(json!({"text": "Hello from the bot"})),
    )
    .await;
    assert_eq!(status, 201, "{msg}");
    assert_eq!(msg["author"]["type"], "bot");
    let (status, refused) = call(
        "POST",
        format!("/dialogs/{other}/messages"),
        Some(json!({"text": "not mine"})),
    )
    .await;
    // Writing needs responsibility (R3): a bot is never responsible for an unassigned dialog.
    assert_eq!(
        (status, refused["code"].as_str()),
        (403, Some("not_responsible")),
        "{refused}"
    );
    let (status, _) = call("POST", format!("/dialogs/{other}/close"), None).await;
    assert_eq!(status, 404);
    let (status, _) = call("POST", format!("/dialogs/{mine}/close"), None).await;
    assert_eq!(status, 200);
    let (status, handed) = call(
        "POST",
        format!("/dialogs/{mine}/reassign"),
        Some(json!({"to": {"type": "user", "id": m1}})),
    )
    .await;
    assert_eq!(status, 200, "{handed}");
    let (status, list) = call(
        "GET",
        format!(
            "/dialogs?status=all&min_position={}",
            handed["position"].as_str().unwrap()
        ),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(list["items"], json!([]), "handed on: no longer the bot's");
    // Tokens: unknown, and a deactivated bot's.
    let bad = app
        .call_as(
            "GET",
            "/api/bot/v1/dialogs",
            &[("x-bot-token", "nope")],
            None,
        )
        .await;
    assert_eq!(bad.status, 401);
    let off = app
        .call(
            "PATCH",
            &format!("/api/v1/bots/{bot_id}"),
            Some(&admin),
            Some(json!({"active": false})),
        )
        .await;
    assert_eq!(off.status, 200);
    eventually(|| async { call("GET", "/dialogs".into(), None).await.0 == 401 }).await;
}

#[tokio::test]
async fn r18_round_robin_among_online_managers_and_a_manager_who_leaves_hands_on_waiting_dialogs() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (channel, transport) = app.channel(&admin, "telegram").await;
    let (m1, m1_token) = app.user(&admin, "m1", "manager", &[]).await;
    let (m2, m2_token) = app.user(&admin, "m2", "manager", &[]).await;
    let (m3, _) = app.user(&admin, "m3", "manager", &[]).await; // never online
    let rules = json!([rule(
        &channel,
        &[&m1, &m2, &m3],
        json!({
            "require_free": false, "require_online": true, "strategy": "round_robin",
            "reassign_when_unavailable": "all_unanswered"
        })
    )]);
    bot(&app, &admin, rules).await;
    let ws1 = app.ws(&m1_token, None).await;
    let _ws2 = app.ws(&m2_token, None).await;
    let mut got = Vec::new();
    for chat in ["a", "b", "c"] {
        let d = app.dialog(&transport, chat, "hi").await;
        eventually(|| async { responsible(&app, &admin, &d).await.is_string() }).await;
        got.push((d.clone(), responsible(&app, &admin, &d).await));
    }
    let who: Vec<&Value> = got.iter().map(|(_, r)| r).collect();
    assert_eq!(
        who,
        vec![&json!(m1), &json!(m2), &json!(m1)],
        "turns among the online ones"
    );
    // m1's last socket closes: their waiting dialogs go to m2, the only one online.
    ws1.close().await;
    for (d, r) in &got {
        if *r == json!(m1) {
            assigned_to(&app, &admin, d, &m2).await;
        }
    }
}

/// R18's round-robin turns are the log's, not the running process's (R34: whichever node runs
/// the bot next, a restarted one included, goes on from the last hand-out): m1 got the last
/// dialog before a restart, so m2 gets the first after it, whether the read models come back
/// from the snapshot or from the log.
#[tokio::test]
async fn r18_round_robin_turns_go_on_after_a_restart() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (channel, transport) = app.channel(&admin, "telegram").await;
    let (m1, _) = app.user(&admin, "m1", "manager", &[]).await;
    let (m2, _) = app.user(&admin, "m2", "manager", &[]).await;
    let rules = json!([rule(
        &channel,
        &[&m1, &m2],
        json!({"require_free": false, "require_online": false, "strategy": "round_robin"})
    )]);
    bot(&app, &admin, rules).await;
    let first = app.dialog(&transport, "a", "hi").await;
    assigned_to(&app, &admin, &first, &m1).await;
    let mut app = app;
    for (chat, next, from_snapshot) in [("b", &m2, true), ("c", &m1, false)] {
        let dir = app.stop().await;
        if !from_snapshot {
            for entry in std::fs::read_dir(dir.path()).unwrap() {
                let path = entry.unwrap().path();
                if path
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().contains("snapshot"))
                {
                    std::fs::remove_file(path).unwrap();
                }
            }
        }
        app = chatd_tests::spawn_app_in(dir).await;
        assert_eq!(app.restored_from().is_some(), from_snapshot);
        let admin = app.admin().await;
        let d = app.dialog(&transport, chat, "hi").await;
        assigned_to(&app, &admin, &d, next).await;
    }
}
