//! R27: internal notes and mentions. A note is for the team: the customer, the webhook, the
//! counters, the waiting clock and the last message never see it. A mention lets a colleague
//! see the dialog until they mark it done.

use chatd_tests::receiver::Receiver;
use chatd_tests::{spawn_app, Answer, TestApp};
use serde_json::{json, Value};
use std::time::Duration;

async fn note(app: &TestApp, token: &str, dialog: &str, text: &str, mentions: Value) -> Answer {
    let path = format!("/api/v1/dialogs/{dialog}/notes");
    let body = json!({"text": text, "mentions": mentions});
    app.call("POST", &path, Some(token), Some(body)).await
}

async fn me(app: &TestApp, token: &str) -> Value {
    app.call("GET", "/api/v1/me", Some(token), None).await.body
}

#[tokio::test]
async fn r27_a_note_reaches_no_customer_webhook_counter_clock_last_message_or_status() {
    let app = spawn_app().await;
    let receiver = Receiver::start(&[]).await;
    let admin = app.admin().await;
    let (_, transport, _) = app
        .channel_with_webhook(&admin, "custom", &receiver.url)
        .await;
    let (m1_id, m1) = app.user(&admin, "mia", "manager", &[]).await;
    let dialog = app
        .dialog(&transport, "chat-1", "Do you have red shirts?")
        .await;
    assert_eq!(app.reassign(&admin, &dialog, &m1_id).await.status, 200);
    let before = app.detail(&m1, &dialog, None).await.body;
    let unread_before = me(&app, &m1).await["unread_dialogs"].clone();
    let mut ws = app.ws(&admin, None).await;

    let n = note(
        &app,
        &m1,
        &dialog,
        "Checking the warehouse first",
        json!([]),
    )
    .await;
    assert_eq!(n.status, 201, "{n:?}");
    assert_eq!(n.body["text"], "Checking the warehouse first");
    assert_eq!(n.body["author"]["id"], m1_id.as_str());
    let f = ws.next_of(&["note_updated"]).await;
    assert_eq!(
        (f["data"]["change"].as_str(), f["data"]["text"].as_str()),
        (Some("added"), Some("Checking the warehouse first"))
    );

    // The timeline has it; the row, counters and clock do not move.
    let t = app
        .call(
            "GET",
            &format!("/api/v1/dialogs/{dialog}/timeline"),
            Some(&m1),
            None,
        )
        .await;
    assert_eq!(t.body["items"][0]["type"], "note");
    assert_eq!(t.body["items"][0]["note"]["id"], n.body["id"]);
    let after = app.detail(&m1, &dialog, Some(&n.position())).await.body;
    for field in [
        "last_message",
        "waiting_since",
        "status",
        "last_activity_at",
        "unread_count",
        "waiting_level",
    ] {
        assert_eq!(after[field], before[field], "{field}");
    }
    assert_eq!(me(&app, &m1).await["unread_dialogs"], unread_before);

    // Nothing went to the integration: the next message is the first body it gets.
    app.send(&m1, &dialog, "Yes, we do").await;
    receiver.wait_for(1).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let hits = receiver.hits();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].json()["type"], "message_sent");

    // A closed dialog stays closed under a note.
    app.call(
        "POST",
        &format!("/api/v1/dialogs/{dialog}/close"),
        Some(&m1),
        None,
    )
    .await;
    let n2 = note(&app, &m1, &dialog, "Closed: customer happy", json!([])).await;
    assert_eq!(n2.status, 201);
    let d = app.detail(&m1, &dialog, Some(&n2.position())).await;
    assert_eq!(d.body["status"], "closed");
}

#[tokio::test]
async fn r27_a_mention_gives_a_colleague_sight_and_a_frame_until_they_mark_it_done() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    let (m1_id, m1) = app.user(&admin, "mia", "manager", &[]).await;
    let (m2_id, m2) = app.user(&admin, "max", "manager", &[]).await;
    let (_, m3) = app.user(&admin, "otto", "manager", &[]).await;
    let dialog = app.dialog(&transport, "chat-1", "Where is order 42?").await;
    assert_eq!(app.reassign(&admin, &dialog, &m1_id).await.status, 200);
    let detail = format!("/api/v1/dialogs/{dialog}");
    assert_eq!(app.call("GET", &detail, Some(&m2), None).await.status, 404);
    let mut ws2 = app.ws(&m2, None).await;

    let n = note(
        &app,
        &m1,
        &dialog,
        "@max you shipped 42, where is it?",
        json!([m2_id]),
    )
    .await;
    assert_eq!(n.status, 201, "{n:?}");
    assert_eq!(n.body["mentions"][0]["id"], m2_id.as_str());
    let f = ws2.next_of(&["mention_new"]).await;
    assert_eq!(
        f["data"]["note"]["text"],
        "@max you shipped 42, where is it?"
    );
    assert_eq!(f["data"]["dialog"]["id"], dialog.as_str());
    let mention = f["data"]["mention_id"].as_str().unwrap().to_owned();

    // While open: the counter, the list, the filter, the detail, the timeline, notes.
    assert_eq!(me(&app, &m2).await["open_mentions"], 1);
    let open = app
        .call("GET", "/api/v1/mentions?status=open", Some(&m2), None)
        .await;
    assert_eq!(open.body["items"][0]["id"], mention.as_str());
    assert_eq!(open.body["items"][0]["by"]["id"], m1_id.as_str());
    let list = app
        .call("GET", "/api/v1/dialogs?mentioned=me", Some(&m2), None)
        .await;
    assert_eq!(list.status, 200, "{list:?}");
    assert_eq!(chatd_tests::ids(&list.body), std::slice::from_ref(&dialog));
    assert_eq!(app.call("GET", &detail, Some(&m2), None).await.status, 200);
    let t = app
        .call("GET", &format!("{detail}/timeline"), Some(&m2), None)
        .await;
    assert_eq!(t.status, 200);
    let reply = note(&app, &m2, &dialog, "It left on Monday", json!([])).await;
    assert_eq!(reply.status, 201, "{reply:?}");
    // Writing to the customer stays the responsible's (R3), and the colleague who was never
    // mentioned sees nothing.
    assert_eq!(app.send(&m2, &dialog, "hi").await.status, 404);
    assert_eq!(app.call("GET", &detail, Some(&m3), None).await.status, 404);
    assert_eq!(note(&app, &m3, &dialog, "x", json!([])).await.status, 404);
    let someone_elses = app
        .call(
            "POST",
            &format!("/api/v1/mentions/{mention}/done"),
            Some(&m3),
            None,
        )
        .await;
    assert_eq!(someone_elses.status, 404);

    // Done: the dialog leaves their sight, live.
    let done = app
        .call(
            "POST",
            &format!("/api/v1/mentions/{mention}/done"),
            Some(&m2),
            None,
        )
        .await;
    assert_eq!(done.status, 200, "{done:?}");
    let f = ws2.next_of(&["dialog_removed"]).await;
    assert_eq!(f["data"]["dialog_id"], dialog.as_str());
    assert_eq!(app.call("GET", &detail, Some(&m2), None).await.status, 404);
    assert_eq!(me(&app, &m2).await["open_mentions"], 0);
    let done_list = app
        .call("GET", "/api/v1/mentions?status=done", Some(&m2), None)
        .await;
    assert_eq!(done_list.body["items"][0]["status"], "done");
    let list = app
        .call("GET", "/api/v1/dialogs?mentioned=me", Some(&m2), None)
        .await;
    assert!(chatd_tests::ids(&list.body).is_empty());
}

#[tokio::test]
async fn r27_refusals_invalid_mentions_authors_auditors_and_bad_input() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    let (m1_id, m1) = app.user(&admin, "mia", "manager", &[]).await;
    let (m2_id, m2) = app.user(&admin, "max", "manager", &[]).await;
    let (auditor_id, auditor) = app.user(&admin, "audrey", "auditor", &[]).await;
    let (gone_id, _) = app.user(&admin, "gone", "manager", &[]).await;
    let off = app
        .call(
            "PATCH",
            &format!("/api/v1/users/{gone_id}"),
            Some(&admin),
            Some(json!({"active": false})),
        )
        .await;
    assert_eq!(off.status, 200, "{off:?}");
    let dialog = app.dialog(&transport, "chat-1", "hello").await;
    assert_eq!(app.reassign(&admin, &dialog, &m1_id).await.status, 200);
    let count = || async { app.dialog_events(&admin, &dialog).await.len() };
    let before = count().await;

    let cases = [
        (
            note(&app, &m1, &dialog, "x", json!([uuid::Uuid::new_v4()])).await,
            422,
            "invalid_mention",
        ),
        (
            note(&app, &m1, &dialog, "x", json!([gone_id])).await,
            422,
            "invalid_mention",
        ),
        (
            note(&app, &m1, &dialog, "x", json!([auditor_id])).await,
            422,
            "invalid_mention",
        ),
        (
            note(&app, &m1, &dialog, &"x".repeat(2001), json!([])).await,
            422,
            "text_too_long",
        ),
        (
            note(&app, &m1, &dialog, "  ", json!([])).await,
            422,
            "empty_message",
        ),
        (
            note(&app, &auditor, &dialog, "x", json!([])).await,
            403,
            "forbidden",
        ),
        (
            note(&app, &m2, &dialog, "x", json!([])).await,
            404,
            "not_found",
        ),
    ];
    for (i, (a, status, code)) in cases.iter().enumerate() {
        assert_eq!((a.status, a.code()), (*status, *code), "case {i}: {a:?}");
    }
    let many: Vec<String> = (0..21).map(|_| m2_id.clone()).collect();
    let deduped = note(&app, &m1, &dialog, "x", json!(many)).await;
    assert_eq!(
        deduped.status, 201,
        "the same user twenty-one times is one mention: {deduped:?}"
    );
    assert_eq!(count().await, before + 1);

    // Only the author edits or deletes a note.
    let id = deduped.body["id"].as_str().unwrap();
    let path = format!("/api/v1/dialogs/{dialog}/notes/{id}");
    let by_other = app
        .call("PATCH", &path, Some(&m2), Some(json!({"text": "mine now"})))
        .await;
    assert_eq!(
        (by_other.status, by_other.code()),
        (403, "not_author"),
        "{by_other:?}"
    );
    let edited = app
        .call("PATCH", &path, Some(&m1), Some(json!({"text": "y"})))
        .await;
    assert_eq!(
        (edited.status, edited.body["text"].as_str()),
        (200, Some("y"))
    );
    assert!(edited.body["edited_at"].is_string());
    let deleted = app.call("DELETE", &path, Some(&m1), None).await;
    assert_eq!(
        (deleted.status, deleted.body["deleted"].as_bool()),
        (200, Some(true))
    );
    // Deleting the note closed max's mention.
    assert_eq!(me(&app, &m2).await["open_mentions"], 0);
    let again = app
        .call("PATCH", &path, Some(&m1), Some(json!({"text": "z"})))
        .await;
    assert_eq!(again.code(), "message_deleted");

    // A quick reply cannot be made from a note: it is not a message of the dialog.
    let qr = app
        .call(
            "POST",
            "/api/v1/quick-replies",
            Some(&m1),
            Some(json!({"name": "n", "from_message_id": id, "dialog_id": dialog})),
        )
        .await;
    assert_eq!((qr.status, qr.code()), (422, "validation_failed"), "{qr:?}");
    let bad = app
        .call("GET", "/api/v1/mentions?status=maybe", Some(&m1), None)
        .await;
    assert_eq!(bad.status, 400);
    let bad = app
        .call("GET", "/api/v1/dialogs?mentioned=you", Some(&m1), None)
        .await;
    assert_eq!(bad.status, 400);
}
