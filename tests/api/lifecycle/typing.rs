//! R24: typing both ways.

use super::*;

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
    let new: Vec<&str> = after[before..]
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert!(
        new.contains(&"message_sent")
            && new
                .iter()
                .all(|t| *t == "message_sent" || *t == "message_status_changed"),
        "only the new message and delivery statuses: {new:?}"
    );
}
