//! R21, R22: edits and deletions both ways, and every refusal.

use super::*;

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
    let del = delete(&app, &d.manager, &d.dialog, &d.message).await;
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
    let del = delete(&app, &d.manager, &dialog, id).await;
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
    // R38: the refusal says what to change.
    assert_eq!(
        (no_chat.status, no_chat.code()),
        (422, "chat_required"),
        "{no_chat:?}"
    );
    assert!(no_chat.body["detail"]
        .as_str()
        .unwrap()
        .contains("external_chat_id"));
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
