//! Findings 8–10: writes see the caller's own earlier writes, bodies are strict, and refusals
//! say what to change (R38).

use chatd_tests::*;
use serde_json::{json, Value};
use std::time::Duration;

/// A chatd whose read models apply every event 300 ms late, with or without the own-writes
/// memory; its admin, a channel's token, a dialog's id and its customer's id.
async fn lagging(own_writes: bool) -> (TestApp, String, String, String, String) {
    let app = spawn_app_with(tempfile::tempdir().unwrap(), |c| {
        c.test_follower_delay = Some(Duration::from_millis(300));
        c.own_writes = own_writes;
    })
    .await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "custom").await;
    // The integration's write is not the admin's own: the admin names its position.
    let got = app
        .inbound(&transport, "chat-1", "cust-chat-1", "m-1", "hello")
        .await;
    let dialog = got.body["dialog_id"].as_str().unwrap().to_owned();
    let seen = app.detail(&admin, &dialog, Some(&got.position())).await;
    let customer = seen.body["customer"]["id"].as_str().unwrap().to_owned();
    (app, admin, transport, dialog, customer)
}

/// Finding 8: with the read models held back, every create-then-use at once still works: the
/// caller's next request waits for its own earlier write (R38).
#[tokio::test]
async fn finding_8_create_then_use_at_once_while_the_read_models_lag() {
    let (app, admin, transport, dialog, customer) = lagging(true).await;
    let tag = app.tag(&admin, "vip", "red").await;
    let tag_id = tag.body["id"].as_str().unwrap().to_owned();
    let put = app
        .call(
            "POST",
            &format!("/api/v1/customers/{customer}/tags"),
            Some(&admin),
            Some(json!({"tag_id": tag_id, "pinned": true})),
        )
        .await;
    assert_eq!(put.status, 200, "tag: {put:?}");

    let g = app
        .call(
            "POST",
            "/api/v1/groups",
            Some(&admin),
            Some(json!({"name": "night", "rights": []})),
        )
        .await;
    let gid = g.body["id"].as_str().unwrap().to_owned();
    let u = app
        .call(
            "POST",
            "/api/v1/users",
            Some(&admin),
            Some(json!({"login": "nina", "name": "Nina", "password": "password-123", "role": "manager", "group_ids": [gid]})),
        )
        .await;
    assert_eq!(u.status, 201, "group: {u:?}");

    let f = app
        .upload(&admin, false, "a.txt", "text/plain", b"hello".to_vec())
        .await;
    let file = f.body["id"].as_str().unwrap().to_owned();
    let sent = app
        .call(
            "POST",
            &format!("/api/v1/dialogs/{dialog}/messages"),
            Some(&admin),
            Some(json!({"text": "see attached", "attachment_ids": [file]})),
        )
        .await;
    assert_eq!(sent.status, 201, "file: {sent:?}");

    let q = app
        .call(
            "POST",
            "/api/v1/quick-replies",
            Some(&admin),
            Some(json!({"name": "hi", "text": "Hello!", "shared": true})),
        )
        .await;
    assert_eq!(q.status, 201, "{q:?}");
    let qid = q.body["id"].as_str().unwrap().to_owned();
    let used = app
        .call(
            "POST",
            &format!("/api/v1/quick-replies/{qid}/use"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(used.status, 200, "quick reply: {used:?}");

    // A transport's upload, then its message naming the file.
    let f = app
        .upload(&transport, true, "b.txt", "text/plain", b"bye".to_vec())
        .await;
    let file = f.body["id"].as_str().unwrap().to_owned();
    let sent = app
        .transport(&transport, "/messages", json!({"external_chat_id": "chat-1", "customer": {"external_id": "cust-chat-1", "name": "C"},
            "message": {"external_id": "m-file", "attachment_ids": [file]}}))
        .await;
    assert_eq!(sent.status, 200, "{sent:?}");
}

/// The control: the same create-then-use without the own-writes wait fails while the read
/// models lag, so the test above shows the wait, not luck.
#[tokio::test]
async fn finding_8_without_the_wait_a_lagging_node_refuses_the_new_tag() {
    let (app, admin, _, _, customer) = lagging(false).await;
    let tag = app.tag(&admin, "vip", "red").await;
    let put = app
        .call(
            "POST",
            &format!("/api/v1/customers/{customer}/tags"),
            Some(&admin),
            Some(json!({"tag_id": tag.body["id"], "pinned": true})),
        )
        .await;
    assert_ne!(put.status, 200, "the lag shows without the wait: {put:?}");
    // Naming the write's position by hand is what the wait does for the caller.
    let put = app
        .call(
            "POST",
            &format!(
                "/api/v1/customers/{customer}/tags?min_position={}",
                tag.position()
            ),
            Some(&admin),
            Some(json!({"tag_id": tag.body["id"], "pinned": true})),
        )
        .await;
    assert_eq!(put.status, 200, "{put:?}");
}

#[tokio::test]
async fn finding_9_unknown_fields_are_refused_by_path_and_capabilities_merge() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let c = app
        .call(
            "POST",
            "/api/v1/channels",
            Some(&admin),
            Some(json!({"type": "whatsapp_business", "name": "WA", "settings": {"reply_window_s": 10}})),
        )
        .await;
    assert_eq!((c.status, c.code()), (422, "unknown_field"), "{c:?}");
    assert!(c.body["detail"]
        .as_str()
        .unwrap()
        .contains("settings.reply_window_s"));
    let t = app
        .call(
            "POST",
            "/api/v1/tags",
            Some(&admin),
            Some(json!({"name": "x", "color": "red", "pinned_by_default": true})),
        )
        .await;
    assert_eq!((t.status, t.code()), (422, "unknown_field"));
    assert!(t.body["detail"]
        .as_str()
        .unwrap()
        .contains("pinned_by_default"));

    // A partial capabilities object on create: the rest from the type's defaults.
    let c = app
        .call(
            "POST",
            "/api/v1/channels",
            Some(&admin),
            Some(json!({"type": "whatsapp_business", "name": "WA", "settings": {"capabilities": {"reply_window_s": 10}, "limits": {"video": null}}})),
        )
        .await;
    assert_eq!(c.status, 201, "{c:?}");
    let caps = &c.body["capabilities"];
    assert_eq!(caps["reply_window_s"], 10);
    assert_eq!(caps["text_max_len"], 2000, "the default kept");
    assert_eq!(caps["editing"], true);
    assert!(c.body["limits"]["video"].is_null());
    assert_eq!(c.body["limits"]["image"], 5 * 1024 * 1024);
    let id = c.body["id"].as_str().unwrap().to_owned();

    // A partial PATCH: the current values kept.
    let p = app
        .call(
            "PATCH",
            &format!("/api/v1/channels/{id}"),
            Some(&admin),
            Some(json!({"settings": {"capabilities": {"text_max_len": 1000, "edit_window_s": null}}})),
        )
        .await;
    assert_eq!(p.status, 200, "{p:?}");
    let caps = &p.body["capabilities"];
    assert_eq!(caps["text_max_len"], 1000);
    assert_eq!(caps["reply_window_s"], 10, "kept from before");
    assert!(caps["edit_window_s"].is_null());
    let nested = app
        .call(
            "PATCH",
            &format!("/api/v1/channels/{id}"),
            Some(&admin),
            Some(json!({"settings": {"capabilities": {"text_max_lenght": 5}}})),
        )
        .await;
    assert_eq!(nested.code(), "unknown_field");
    assert!(nested.body["detail"]
        .as_str()
        .unwrap()
        .contains("settings.capabilities.text_max_lenght"));
    let after = app
        .call("GET", "/api/v1/channels", Some(&admin), None)
        .await;
    let kept = after.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id.as_str())
        .unwrap()
        .clone();
    assert_eq!(kept["capabilities"]["text_max_len"], 1000, "nothing stored");
}

#[tokio::test]
async fn finding_10_refusals_say_what_to_change() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let r = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth(&admin)
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(
        r.json::<Value>().await.unwrap()["code"],
        "origin_not_allowed"
    );

    let (_, transport) = app.channel(&admin, "custom").await;
    app.inbound(&transport, "chat-1", "c1", "cm-1", "hello")
        .await;
    let edit = app
        .transport(
            &transport,
            "/messages/edit",
            json!({"message": {"external_id": "cm-1", "text": "hello!"}}),
        )
        .await;
    assert_eq!(
        (edit.status, edit.code()),
        (422, "chat_required"),
        "{edit:?}"
    );
    assert!(edit.body["detail"]
        .as_str()
        .unwrap()
        .contains("external_chat_id"));
    let with_chat = app
        .transport(
            &transport,
            "/messages/edit",
            json!({"external_chat_id": "chat-1", "message": {"external_id": "cm-1", "text": "hello!"}}),
        )
        .await;
    assert_eq!(with_chat.status, 200, "{with_chat:?}");
}
