//! Messages that change after they are sent (R21–R23) and typing (R24), both directions:
//! managers through the API, customers through the transport, the webhook receiver as the
//! integration, WebSocket clients as the SPA, the audit API as the auditor.

use chatd_tests::receiver::{Hit, Receiver};
use chatd_tests::{eventually, spawn_app_with, Answer, TestApp};
use serde_json::{json, Value};
use std::time::Duration;

pub(super) fn fast_retries(c: &mut chatd_server::Config) {
    c.webhooks.base_delay = Duration::from_millis(50);
    c.webhooks.max_delay = Duration::from_millis(200);
    c.webhooks.attempts = 6;
}

pub(super) async fn fast_app() -> TestApp {
    spawn_app_with(tempfile::tempdir().unwrap(), fast_retries).await
}

/// The message path of a dialog.
pub(super) fn msg(dialog: &str, id: &str) -> String {
    format!("/api/v1/dialogs/{dialog}/messages/{id}")
}

pub(super) async fn edit(app: &TestApp, token: &str, dialog: &str, id: &str, text: &str) -> Answer {
    let body = json!({ "text": text });
    app.call("PATCH", &msg(dialog, id), Some(token), Some(body))
        .await
}

pub(super) async fn react(
    app: &TestApp,
    token: &str,
    dialog: &str,
    id: &str,
    emoji: Value,
) -> Answer {
    let path = format!("{}/reaction", msg(dialog, id));
    let body = json!({ "emoji": emoji });
    app.call("PUT", &path, Some(token), Some(body)).await
}

/// The dialog's events as the audit API gives them.
pub(super) async fn audit(app: &TestApp, auditor: &str, dialog: &str) -> Vec<Value> {
    app.dialog_events(auditor, dialog).await
}

/// `token` deletes message `id` of `dialog` (R22).
pub(super) async fn delete(app: &TestApp, token: &str, dialog: &str, id: &str) -> Answer {
    app.call("DELETE", &msg(dialog, id), Some(token), None)
        .await
}

/// The message with `id` in the dialog's timeline, as `token` sees it.
pub(super) async fn timeline_message(app: &TestApp, token: &str, dialog: &str, id: &str) -> Value {
    let m = app.timeline_message(token, dialog, id).await;
    assert!(!m.is_null(), "message {id} is in the timeline");
    m
}

/// The next `message_updated` frame of one kind of change (status frames come and go).
pub(super) async fn next_change(ws: &mut chatd_tests::Ws, change: &str) -> Value {
    loop {
        let f = ws.next_of(&["message_updated"]).await;
        if f["data"]["change"] == change {
            return f;
        }
    }
}

pub(super) fn types(hits: &[Hit]) -> Vec<String> {
    hits.iter()
        .map(|h| h.json()["type"].as_str().unwrap().to_owned())
        .collect()
}

/// A channel with a webhook, a customer's dialog in it, and a manager who answered (and so
/// took it). Returns `(transport token, secret, dialog, manager token, manager id, message)`.
pub(super) struct Desk {
    pub(super) admin: String,
    pub(super) transport: String,
    pub(super) dialog: String,
    pub(super) manager: String,
    pub(super) manager_id: String,
    pub(super) message: String,
    /// Where the manager's message is in the log.
    pub(super) position: String,
}

pub(super) async fn desk(app: &TestApp, kind: &str, webhook: Option<&str>) -> Desk {
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

/// The id of the first message by `author_type` in the dialog's timeline.
pub(super) async fn timeline_message_id(
    app: &TestApp,
    token: &str,
    dialog: &str,
    author: &str,
) -> String {
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

pub(super) fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

mod edits;
mod notices;
mod reactions;
mod typing;
