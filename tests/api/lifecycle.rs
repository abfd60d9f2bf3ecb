//! Messages that change after they are sent (R21–R23) and typing (R24), both directions:
//! managers through the API, customers through the transport, the webhook receiver as the
//! integration, WebSocket clients as the SPA, the audit API as the auditor.

use chatd_tests::receiver::{Hit, Receiver};
use chatd_tests::{eventually, spawn_app_with, Answer, TestApp};
use serde_json::{json, Value};
use std::time::Duration;

fn fast_retries(c: &mut chatd_server::Config) {
    c.webhooks.base_delay = Duration::from_millis(50);
    c.webhooks.max_delay = Duration::from_millis(200);
    c.webhooks.attempts = 6;
}

async fn fast_app() -> TestApp {
    spawn_app_with(tempfile::tempdir().unwrap(), fast_retries).await
}

/// The message path of a dialog.
fn msg(dialog: &str, id: &str) -> String {
    format!("/api/v1/dialogs/{dialog}/messages/{id}")
}

async fn edit(app: &TestApp, token: &str, dialog: &str, id: &str, text: &str) -> Answer {
    let body = json!({ "text": text });
    app.call("PATCH", &msg(dialog, id), Some(token), Some(body))
        .await
}

async fn react(app: &TestApp, token: &str, dialog: &str, id: &str, emoji: Value) -> Answer {
    let path = format!("{}/reaction", msg(dialog, id));
    let body = json!({ "emoji": emoji });
    app.call("PUT", &path, Some(token), Some(body)).await
}

/// The dialog's events as the audit API gives them.
async fn audit(app: &TestApp, auditor: &str, dialog: &str) -> Vec<Value> {
    let path = format!("/api/audit/v1/dialogs/{dialog}/events?limit=500");
    let a = app.call("GET", &path, Some(auditor), None).await;
    assert_eq!(a.status, 200, "{a:?}");
    a.body["items"].as_array().unwrap().clone()
}

/// The message with `id` in the dialog's timeline, as `token` sees it.
async fn timeline_message(app: &TestApp, token: &str, dialog: &str, id: &str) -> Value {
    let path = format!("/api/v1/dialogs/{dialog}/timeline?limit=200");
    let t = app.call("GET", &path, Some(token), None).await;
    assert_eq!(t.status, 200, "{t:?}");
    t.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["message"]["id"] == id)
        .map(|e| e["message"].clone())
        .expect("the message is in the timeline")
}

/// The next `message_updated` frame of one kind of change (status frames come and go).
async fn next_change(ws: &mut chatd_tests::Ws, change: &str) -> Value {
    loop {
        let f = ws.next_of(&["message_updated"]).await;
        if f["data"]["change"] == change {
            return f;
        }
    }
}

fn types(hits: &[Hit]) -> Vec<String> {
    hits.iter()
        .map(|h| h.json()["type"].as_str().unwrap().to_owned())
        .collect()
}

/// A channel with a webhook, a customer's dialog in it, and a manager who answered (and so
/// took it). Returns `(transport token, secret, dialog, manager token, manager id, message)`.
struct Desk {
    admin: String,
    transport: String,
    dialog: String,
    manager: String,
    manager_id: String,
    message: String,
    /// Where the manager's message is in the log.
    position: String,
}

async fn desk(app: &TestApp, kind: &str, webhook: Option<&str>) -> Desk {
    let admin = app.admin().await;
    let transport = match webhook {
        Some(url) => app.channel_with_webhook(&admin, kind, url).await.1,
        None => app.channel(&admin, kind).await.1,
    };
    let dialog = app.dialog(&transport, "chat-1", "hello").await;
    let (manager_id, manager) = app.user(&admin, "mia", "manager", &[]).await;
    let sent = app.send(&manager, &dialog, "The price is 14 EUR").await;
    assert_eq!(sent.status, 201, "{sent:?}");
    Desk {
        admin,
        transport,
        dialog,
        manager,
        manager_id,
        message: sent.body["id"].as_str().unwrap().to_owned(),
        position: sent.position(),
    }
}

#[tokio::test]
async fn r21_a_manager_corrects_a_price_the_integration_hears_it_in_order_and_auditors_keep_both_texts(
) {
    let app = fast_app().await;
    let receiver = Receiver::start(&[]).await;
    let d = desk(&app, "custom", Some(&receiver.url)).await;
    app.wait_status(&d.manager, &d.dialog, &d.message, "sent")
        .await;
    let before = d.position.clone();
    let mut ws = app.ws(&d.admin, None).await;

    let e = edit(
        &app,
        &d.manager,
        &d.dialog,
        &d.message,
        "The price is 41 EUR",
    )
    .await;
    assert_eq!(e.status, 200, "{e:?}");
    assert_eq!(e.body["text"], "The price is 41 EUR");
    assert!(e.body["edited_at"].is_string(), "{e:?}");
    assert_eq!(
        e.body["status"], "sent",
        "an edit never moves a status (R14)"
    );

    // Live: the colleague's feed shows the change, and the list row's last message.
    let f = next_change(&mut ws, "edited").await;
    assert_eq!(f["data"]["message_id"], d.message.as_str());
    assert_eq!(f["data"]["text"], "The price is 41 EUR");
    let row = ws.next_of(&["dialog_updated"]).await;
    assert_eq!(
        row["data"]["dialog"]["last_message"]["text"],
        "The price is 41 EUR"
    );

    // Resuming from before the edit replays the same change.
    let mut resumed = app.ws(&d.admin, Some(&before)).await;
    let again = next_change(&mut resumed, "edited").await;
    assert_eq!(again["position"], f["position"]);

    // The integration: message_sent, then message_updated with the messenger's id.
    let hits = receiver.wait_for(2).await;
    assert_eq!(types(&hits), ["message_sent", "message_updated"]);
    let (sent, updated) = (hits[0].json(), hits[1].json());
    assert_eq!(updated["data"]["message_id"], d.message.as_str());
    assert_eq!(updated["data"]["external_message_id"], "ext-1");
    assert_eq!(updated["data"]["text"], "The price is 41 EUR");
    assert_eq!(updated["data"]["by"]["id"], d.manager_id.as_str());
    assert!(sent["event_id"].is_string() && updated["event_id"].is_string());
    assert_ne!(sent["event_id"], updated["event_id"]);
    assert_eq!(hits[1].delivery, updated["event_id"].as_str().unwrap());

    // Views and the audit trail.
    let m = timeline_message(&app, &d.manager, &d.dialog, &d.message).await;
    assert_eq!(m["text"], "The price is 41 EUR");
    assert_eq!(m["edited_at"], e.body["edited_at"]);
    let (_, auditor) = app.user(&d.admin, "audrey", "auditor", &[]).await;
    let events = audit(&app, &auditor, &d.dialog).await;
    let texts: Vec<&Value> = events
        .iter()
        .filter(|e| e["type"] == "message_sent" || e["type"] == "message_edited")
        .map(|e| &e["data"]["text"])
        .collect();
    assert_eq!(
        texts,
        [&json!("The price is 14 EUR"), &json!("The price is 41 EUR")]
    );
    receiver
        .wait_for(2)
        .await
        .iter()
        .for_each(|h| assert_eq!(h.status, 200));
    eventually(|| async {
        let events = audit(&app, &auditor, &d.dialog).await;
        events
            .iter()
            .any(|e| e["type"] == "notice_delivered" && e["data"]["error"].is_null())
    })
    .await;

    // The same text again changes nothing; an admin may correct it too (R21).
    let n = audit(&app, &auditor, &d.dialog).await.len();
    let same = edit(
        &app,
        &d.manager,
        &d.dialog,
        &d.message,
        "The price is 41 EUR",
    )
    .await;
    assert_eq!(same.status, 200);
    let by_admin = edit(&app, &d.admin, &d.dialog, &d.message, "The price is 42 EUR").await;
    assert_eq!(by_admin.status, 200, "{by_admin:?}");
    let after = audit(&app, &auditor, &d.dialog).await;
    let edits = after
        .iter()
        .filter(|e| e["type"] == "message_edited")
        .count();
    assert_eq!(edits, 2, "one edit each, none for the repeat");
    assert!(after.len() > n);
}

#[tokio::test]
async fn r21_to_r23_refusals_are_problem_documents_and_store_nothing() {
    let app = fast_app().await;
    let d = desk(&app, "custom", None).await;
    let (_, auditor) = app.user(&d.admin, "audrey", "auditor", &[]).await;
    let (_, other) = app.user(&d.admin, "otto", "manager", &[]).await;
    let other_dialog = app.dialog(&d.transport, "chat-2", "hi there").await;
    let customers = timeline_message_id(&app, &d.admin, &d.dialog, "customer").await;
    let before = audit(&app, &auditor, &d.dialog).await.len();

    let cases: Vec<(Answer, u16, &str)> = vec![
        // A message of another dialog, an unknown one, a dialog the caller does not see.
        (
            edit(&app, &d.manager, &other_dialog, &d.message, "x").await,
            404,
            "not_found",
        ),
        (
            edit(&app, &d.manager, &d.dialog, &uuid(), "x").await,
            404,
            "not_found",
        ),
        (
            edit(&app, &other, &d.dialog, &d.message, "x").await,
            404,
            "not_found",
        ),
        (
            react(&app, &other, &d.dialog, &d.message, json!("👍")).await,
            404,
            "not_found",
        ),
        // A customer's message by a manager; a colleague's message.
        (
            edit(&app, &d.manager, &d.dialog, &customers, "x").await,
            403,
            "not_author",
        ),
        (
            edit(&app, &d.manager, &d.dialog, &d.message, &"x".repeat(2001)).await,
            422,
            "text_too_long",
        ),
        (
            edit(&app, &d.manager, &d.dialog, &d.message, "  ").await,
            422,
            "empty_message",
        ),
        (
            react(&app, &d.manager, &d.dialog, &d.message, json!("ok")).await,
            422,
            "validation_failed",
        ),
        (
            react(&app, &auditor, &d.dialog, &d.message, json!("👍")).await,
            403,
            "forbidden",
        ),
    ];
    for (i, (a, status, code)) in cases.iter().enumerate() {
        assert_eq!((a.status, a.code()), (*status, *code), "case {i}: {a:?}");
        assert_eq!(a.content_type, "application/problem+json", "case {i}");
    }
    let bad = app
        .call(
            "PATCH",
            &msg(&d.dialog, &d.message),
            Some(&d.manager),
            Some(json!({"text": 5})),
        )
        .await;
    assert!(bad.status == 400 || bad.status == 422, "{bad:?}");
    assert_eq!(
        audit(&app, &auditor, &d.dialog).await.len(),
        before,
        "nothing stored"
    );

    // Deleted: the message stays deleted and takes no edit or reaction.
    let del = app
        .call(
            "DELETE",
            &msg(&d.dialog, &d.message),
            Some(&d.manager),
            None,
        )
        .await;
    assert_eq!(del.status, 200, "{del:?}");
    let e = edit(&app, &d.manager, &d.dialog, &d.message, "x").await;
    assert_eq!((e.status, e.code()), (409, "message_deleted"));
    let r = react(&app, &d.manager, &d.dialog, &d.message, json!("👍")).await;
    assert_eq!((r.status, r.code()), (409, "message_deleted"));
    assert_eq!(audit(&app, &auditor, &d.dialog).await.len(), before + 1);
}

#[tokio::test]
async fn r21_to_r23_a_channel_without_the_capability_refuses_and_windows_close() {
    let app = fast_app().await;
    // Instagram: no editing, reactions only ❤️.
    let d = desk(&app, "instagram", None).await;
    let e = edit(&app, &d.manager, &d.dialog, &d.message, "x").await;
    assert_eq!(
        (e.status, e.code()),
        (422, "unsupported_by_channel"),
        "{e:?}"
    );
    let r = react(&app, &d.manager, &d.dialog, &d.message, json!("👍")).await;
    assert_eq!(
        (r.status, r.code()),
        (422, "unsupported_by_channel"),
        "{r:?}"
    );
    let r = react(&app, &d.manager, &d.dialog, &d.message, json!("❤️")).await;
    assert_eq!(r.status, 200, "{r:?}");

    // A channel that declares a one-second edit window.
    let caps = json!({"text_max_len": 2000, "quoting": true, "editing": true, "deleting": false,
        "delivered_status": true, "read_status": true, "max_attachments": 10,
        "edit_window_s": 1, "reactions": false, "reaction_emoji": null});
    let c = app
        .call(
            "POST",
            "/api/v1/channels",
            Some(&d.admin),
            Some(json!({"type": "custom", "name": "strict", "settings": {"capabilities": caps}})),
        )
        .await;
    assert_eq!(c.status, 201, "{c:?}");
    assert_eq!(c.body["capabilities"]["edit_window_s"], 1);
    let strict = c.body["transport_token"].as_str().unwrap();
    let dialog = app.dialog(strict, "chat-9", "hello").await;
    let sent = app.send(&d.manager, &dialog, "quick").await;
    let id = sent.body["id"].as_str().unwrap();
    assert_eq!(
        edit(&app, &d.manager, &dialog, id, "quick!").await.status,
        200
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let late = edit(&app, &d.manager, &dialog, id, "too late").await;
    assert_eq!(
        (late.status, late.code()),
        (422, "edit_window_passed"),
        "{late:?}"
    );
    let del = app
        .call("DELETE", &msg(&dialog, id), Some(&d.manager), None)
        .await;
    assert_eq!((del.status, del.code()), (422, "unsupported_by_channel"));
    let r = react(&app, &d.manager, &dialog, id, json!("👍")).await;
    assert_eq!((r.status, r.code()), (422, "unsupported_by_channel"));

    // Declaring something that is not an emoji is refused.
    let bad = app
        .call(
            "POST",
            "/api/v1/channels",
            Some(&d.admin),
            Some(
                json!({"type": "custom", "name": "bad", "settings": {"capabilities":
                {"text_max_len": 2000, "quoting": true, "editing": true, "deleting": true,
                 "delivered_status": true, "read_status": true, "max_attachments": 10,
                 "reactions": true, "reaction_emoji": ["👍", "thumbs up"]}}}),
            ),
        )
        .await;
    assert_eq!(
        (bad.status, bad.code()),
        (422, "validation_failed"),
        "{bad:?}"
    );
}

/// The id of the first message by `author_type` in the dialog's timeline.
async fn timeline_message_id(app: &TestApp, token: &str, dialog: &str, author: &str) -> String {
    let path = format!("/api/v1/dialogs/{dialog}/timeline?limit=200");
    let t = app.call("GET", &path, Some(token), None).await;
    t.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["message"]["author"]["type"] == author)
        .map(|e| e["message"]["id"].as_str().unwrap().to_owned())
        .expect("a message by that author")
}

fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[tokio::test]
async fn r21_r22_customers_edits_and_deletions_reach_managers_live_never_the_webhook() {
    let app = fast_app().await;
    let receiver = Receiver::start(&[]).await;
    let admin = app.admin().await;
    let (_, transport, _) = app
        .channel_with_webhook(&admin, "custom", &receiver.url)
        .await;
    let (_, other_transport) = app.channel(&admin, "custom").await;
    let (_, manager) = app.user(&admin, "mia", "manager", &[]).await;
    let dialog = app
        .dialog(&transport, "chat-1", "I want 3 red shirts")
        .await;
    let mut ws = app.ws(&manager, None).await;
    let ours = app.send(&manager, &dialog, "Sure").await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let theirs = timeline_message_id(&app, &manager, &dialog, "customer").await;

    let edited = app
        .transport(&transport, "/messages/edit",
            json!({"external_chat_id": "chat-1", "message": {"external_id": "chat-1-I want 3 red shirts", "text": "I want 4 red shirts"}}))
        .await;
    assert_eq!(edited.status, 200, "{edited:?}");
    assert_eq!(edited.body["message_id"], theirs.as_str());
    assert_eq!(edited.body["changed"], true);
    let f = next_change(&mut ws, "edited").await;
    assert_eq!(
        (f["data"]["change"].as_str(), f["data"]["text"].as_str()),
        (Some("edited"), Some("I want 4 red shirts"))
    );
    let m = timeline_message(&app, &manager, &dialog, &theirs).await;
    assert_eq!(m["text"], "I want 4 red shirts");

    // Refusals: our message is not the customer's; the customer's needs its chat; another
    // channel's token finds nothing.
    let not_theirs = app
        .transport(
            &transport,
            "/messages/edit",
            json!({"message": {"message_id": ours, "text": "x"}}),
        )
        .await;
    assert_eq!(
        (not_theirs.status, not_theirs.code()),
        (403, "not_author"),
        "{not_theirs:?}"
    );
    let no_chat = app
        .transport(
            &transport,
            "/messages/delete",
            json!({"message": {"external_id": "chat-1-I want 3 red shirts"}}),
        )
        .await;
    assert_eq!(no_chat.status, 404, "{no_chat:?}");
    let foreign = app
        .transport(&other_transport, "/messages/delete",
            json!({"external_chat_id": "chat-1", "message": {"external_id": "chat-1-I want 3 red shirts"}}))
        .await;
    assert_eq!(foreign.status, 404, "{foreign:?}");
    let nameless = app
        .transport(
            &transport,
            "/messages/delete",
            json!({"external_chat_id": "chat-1", "message": {}}),
        )
        .await;
    assert_eq!(
        (nameless.status, nameless.code()),
        (422, "validation_failed")
    );

    let deleted = app
        .transport(&transport, "/messages/delete",
            json!({"external_chat_id": "chat-1", "message": {"external_id": "chat-1-I want 3 red shirts"}}))
        .await;
    assert_eq!(deleted.status, 200, "{deleted:?}");
    let f = next_change(&mut ws, "deleted").await;
    assert_eq!(
        (f["data"]["change"].as_str(), f["data"]["deleted"].as_bool()),
        (Some("deleted"), Some(true))
    );
    let m = timeline_message(&app, &manager, &dialog, &theirs).await;
    assert_eq!(
        (m["deleted"].as_bool(), m["text"].is_null()),
        (Some(true), true),
        "{m}"
    );
    assert_eq!(m["attachments"], json!([]));

    // The integration told us; nothing of it goes back. Bodies of one dialog keep their
    // order, so once the next message arrives nothing can be behind it.
    app.send(&manager, &dialog, "Noted").await;
    let hits = receiver.wait_for(2).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        types(&receiver.hits()),
        ["message_sent", "message_sent"],
        "{hits:?}"
    );

    // Auditors still read the original.
    let (_, auditor) = app.user(&admin, "audrey", "auditor", &[]).await;
    let events = audit(&app, &auditor, &dialog).await;
    assert_eq!(events[1]["data"]["text"], "I want 3 red shirts");
    assert!(events.iter().any(|e| e["type"] == "message_deleted"));
}

#[tokio::test]
async fn r23_one_reaction_per_actor_both_ways_shown_with_who_and_managers_go_to_the_webhook() {
    let app = fast_app().await;
    let receiver = Receiver::start(&[]).await;
    let d = desk(&app, "custom", Some(&receiver.url)).await;
    let theirs = timeline_message_id(&app, &d.manager, &d.dialog, "customer").await;
    let mut ws = app.ws(&d.admin, None).await;

    // The customer likes our answer (named by our id, as the webhook gave it).
    let liked = app
        .transport(
            &d.transport,
            "/messages/reaction",
            json!({"message_id": d.message, "emoji": "❤"}),
        )
        .await;
    assert_eq!(liked.status, 200, "{liked:?}");
    let f = next_change(&mut ws, "reaction").await;
    assert_eq!(f["data"]["reaction"]["emoji"], "❤");
    assert_eq!(f["data"]["reaction"]["by"]["type"], "customer");

    // The manager reacts to the customer's message, changes their mind, then clears it.
    for emoji in [json!("👍"), json!("🔥"), json!("🔥"), Value::Null] {
        let r = react(&app, &d.manager, &d.dialog, &theirs, emoji).await;
        assert_eq!(r.status, 200, "{r:?}");
    }
    let ours = timeline_message(&app, &d.admin, &d.dialog, &d.message).await;
    assert_eq!(
        ours["reactions"],
        json!([{"emoji": "❤", "by": {"type": "customer", "id": ours["reactions"][0]["by"]["id"], "name": "Customer cust-chat-1"}}])
    );
    let set = react(&app, &d.admin, &d.dialog, &theirs, json!("🎉")).await;
    let reactions = set.body["reactions"].as_array().unwrap();
    assert_eq!(reactions.len(), 1, "the manager's was cleared: {set:?}");
    assert_eq!(reactions[0]["by"]["type"], "user");

    // The webhook: message_sent, then the manager's three changes (the repeat was nothing) and
    // the admin's, each with the customer's message id in the messenger. Not the customer's.
    let hits = receiver.wait_for(5).await;
    assert_eq!(
        types(&hits),
        [
            "message_sent",
            "reaction_set",
            "reaction_set",
            "reaction_set",
            "reaction_set"
        ]
    );
    let emoji: Vec<Value> = hits[1..]
        .iter()
        .map(|h| h.json()["data"]["emoji"].clone())
        .collect();
    assert_eq!(emoji, [json!("👍"), json!("🔥"), Value::Null, json!("🎉")]);
    assert_eq!(
        hits[1].json()["data"]["external_message_id"],
        "chat-1-hello"
    );
    assert_eq!(hits[1].json()["data"]["by"]["id"], d.manager_id.as_str());
}

#[tokio::test]
async fn r24_typing_reaches_who_sees_the_dialog_once_per_three_seconds_and_is_never_stored() {
    let app = fast_app().await;
    let receiver = Receiver::start(&[]).await;
    let d = desk(&app, "custom", Some(&receiver.url)).await;
    let (_, other) = app.user(&d.admin, "otto", "manager", &[]).await;
    let (_, auditor) = app.user(&d.admin, "audrey", "auditor", &[]).await;
    receiver.wait_for(1).await;
    let before = audit(&app, &auditor, &d.dialog).await.len();
    let mut admin_ws = app.ws(&d.admin, None).await;
    let mut manager_ws = app.ws(&d.manager, None).await;
    let mut other_ws = app.ws(&other, None).await;

    // The customer types: everyone who sees the dialog hears it.
    let t = app
        .transport(
            &d.transport,
            "/typing",
            json!({"external_chat_id": "chat-1"}),
        )
        .await;
    assert_eq!(
        (t.status, t.body["sent"].as_bool()),
        (200, Some(true)),
        "{t:?}"
    );
    for ws in [&mut admin_ws, &mut manager_ws] {
        let f = ws.next_of(&["typing"]).await;
        assert_eq!(f["data"]["dialog_id"], d.dialog.as_str());
        assert_eq!(f["data"]["actor"]["type"], "customer");
        assert!(
            f["position"].is_null(),
            "typing is not a point to resume from"
        );
    }

    // The manager types: the colleague who sees the dialog hears it, the typer does not.
    let path = format!("/api/v1/dialogs/{}/typing", d.dialog);
    let t = app.call("POST", &path, Some(&d.manager), None).await;
    assert_eq!(
        (t.status, t.body["sent"].as_bool()),
        (200, Some(true)),
        "{t:?}"
    );
    let f = admin_ws.next_of(&["typing"]).await;
    assert_eq!(f["data"]["actor"]["id"], d.manager_id.as_str());
    // Within three seconds, nothing more goes out for this dialog.
    let again = app.call("POST", &path, Some(&d.admin), None).await;
    assert_eq!(
        (again.status, again.body["sent"].as_bool()),
        (200, Some(false))
    );
    // Who does not see the dialog cannot type in it.
    let t = app.call("POST", &path, Some(&other), None).await;
    assert_eq!((t.status, t.code()), (404, "not_found"));
    let t = app.call("POST", &path, Some(&auditor), None).await;
    assert_eq!(
        (t.status, t.code()),
        (403, "forbidden"),
        "auditors read history only"
    );
    let t = app
        .transport(
            &d.transport,
            "/typing",
            json!({"external_chat_id": "nobody"}),
        )
        .await;
    assert_eq!(t.status, 404);

    // A marker every socket sees: the manager's own feed and the colleague's hold no typing.
    let me = format!("/api/v1/users/{}", d.manager_id);
    let busy = json!({"work_status": "busy"});
    app.call("PATCH", &me, Some(&d.manager), Some(busy)).await;
    let mark = |f: &Value| f["type"] == "user_updated";
    let mine = manager_ws.until(mark).await;
    assert!(mine.iter().all(|f| f["type"] != "typing"), "{mine:?}");
    let theirs = other_ws.until(mark).await;
    assert!(theirs.iter().all(|f| f["type"] != "typing"), "{theirs:?}");

    // The webhook heard the manager's typing once, in order before the next message.
    app.send(&d.manager, &d.dialog, "Here you are").await;
    let hits = receiver.wait_for(3).await;
    assert_eq!(types(&hits), ["message_sent", "typing", "message_sent"]);
    let typing = hits[1].json();
    assert_eq!(typing["data"]["by"]["id"], d.manager_id.as_str());
    assert_eq!(typing["data"]["external_chat_id"], "chat-1");
    assert!(typing["event_id"].is_string());
    // Nothing of it is stored.
    let after = audit(&app, &auditor, &d.dialog).await;
    assert_eq!(after.len(), before + 1, "only the new message_sent");
}

#[tokio::test]
async fn notices_keep_their_event_id_on_every_attempt_wait_their_turn_and_survive_restarts() {
    // Slow retries, so that the restart happens while the edit is still failing.
    let slow = |c: &mut chatd_server::Config| {
        c.webhooks.base_delay = Duration::from_millis(400);
        c.webhooks.max_delay = Duration::from_millis(400);
    };
    let app = spawn_app_with(tempfile::tempdir().unwrap(), slow).await;
    let receiver = Receiver::start(&[200, 500, 500, 500]).await;
    let d = desk(&app, "custom", Some(&receiver.url)).await;
    app.wait_status(&d.manager, &d.dialog, &d.message, "sent")
        .await;
    assert_eq!(
        edit(&app, &d.manager, &d.dialog, &d.message, "41 EUR")
            .await
            .status,
        200
    );
    let del = app
        .call(
            "DELETE",
            &msg(&d.dialog, &d.message),
            Some(&d.manager),
            None,
        )
        .await;
    assert_eq!(del.status, 200, "{del:?}");
    assert_eq!(del.body["deleted"], true);
    receiver.wait_for(3).await;
    let dir = app.stop().await;
    let before = receiver.hits();
    assert_eq!(
        types(&before),
        ["message_sent", "message_updated", "message_updated"]
    );

    let app = spawn_app_with(dir, fast_retries).await;
    let hits = receiver.wait_for(6).await;
    assert_eq!(
        types(&hits),
        [
            "message_sent",
            "message_updated",
            "message_updated",
            "message_updated",
            "message_updated",
            "message_deleted"
        ],
        "the deletion waited for the edit"
    );
    let updates = &hits[1..5];
    let first = updates[0].json();
    for h in updates {
        assert_eq!(
            h.json(),
            first,
            "the same body, the same event_id, every attempt"
        );
        assert_eq!(h.delivery, first["event_id"].as_str().unwrap());
    }
    assert_eq!(hits[5].json()["data"]["external_message_id"], "ext-1");
    assert_ne!(hits[5].json()["event_id"], first["event_id"]);

    // Delivered notices are in the log and are never posted again.
    let admin = app.admin().await;
    let (_, auditor) = app.user(&admin, "audrey", "auditor", &[]).await;
    eventually(|| async {
        let events = audit(&app, &auditor, &d.dialog).await;
        events
            .iter()
            .filter(|e| e["type"] == "notice_delivered")
            .count()
            == 2
    })
    .await;
    let dir = app.stop().await;
    let app = spawn_app_with(dir, fast_retries).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        receiver.hits().len(),
        6,
        "nothing is posted twice on purpose"
    );
    drop(app);
}
