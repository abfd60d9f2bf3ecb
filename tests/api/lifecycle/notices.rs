//! Webhook notices of changes: event ids, order and restarts.

use super::*;

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
    let del = delete(&app, &d.manager, &d.dialog, &d.message).await;
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
