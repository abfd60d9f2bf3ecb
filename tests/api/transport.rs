//! The transport side (SPEC §5): signed webhooks with at-least-once delivery driven from the log,
//! delivery statuses (R14) and their WebSocket frames.

use chatd_tests::receiver::Receiver;
use chatd_tests::{spawn_app_in, spawn_app_with, TestApp};
use hmac::{Hmac, Mac};
use serde_json::json;
use std::time::Duration;

fn fast_retries(c: &mut chatd_server::Config) {
    c.webhooks.base_delay = Duration::from_millis(50);
    c.webhooks.max_delay = Duration::from_millis(200);
    c.webhooks.attempts = 6;
}

async fn fast_app() -> TestApp {
    spawn_app_with(tempfile::tempdir().unwrap(), fast_retries).await
}

fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// A reply from `admin` in a new dialog of the channel; returns `(dialog, message id)`.
async fn reply(
    app: &TestApp,
    admin: &str,
    transport: &str,
    chat: &str,
    text: &str,
) -> (String, String) {
    let dialog = app.dialog(transport, chat, "hello").await;
    let sent = app
        .call(
            "POST",
            &format!("/api/v1/dialogs/{dialog}/messages"),
            Some(admin),
            Some(json!({"text": text})),
        )
        .await;
    assert_eq!(sent.status, 201, "{sent:?}");
    assert_eq!(sent.body["status"], "queued");
    (dialog, sent.body["id"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn a_reply_reaches_the_integration_signed_and_its_statuses_only_move_forward() {
    let app = fast_app().await;
    let receiver = Receiver::start(&[]).await;
    let admin = app.admin().await;
    let (channel, transport, secret) = app
        .channel_with_webhook(&admin, "whatsapp_business", &receiver.url)
        .await;

    // R1: the first message opens a dialog, and the customer card shows where they came from.
    let opened = app
        .inbound(
            &transport,
            "chat-1",
            "cust-1",
            "in-1",
            "is the kettle in stock?",
        )
        .await;
    assert_eq!(opened.status, 200, "{opened:?}");
    let dialog = opened.body["dialog_id"].as_str().unwrap().to_owned();
    let detail = app.detail(&admin, &dialog, None).await;
    assert_eq!(
        detail.body["customer_card"]["source"]["channel_id"],
        channel
    );
    assert_eq!(
        detail.body["customer_card"]["source"]["utm"]["source"],
        "ads"
    );

    let mut ws = app.ws(&admin, None).await;
    let sent = app.send(&admin, &dialog, "Yes, 3 left").await;
    assert_eq!(sent.status, 201, "{sent:?}");
    let message = sent.body["id"].as_str().unwrap().to_owned();

    // The webhook: signed with the channel's secret, naming the message and the chat.
    let hit = receiver.wait_for(1).await.remove(0);
    assert_eq!(
        hit.signature,
        signature(&secret, &hit.body),
        "a valid HMAC-SHA256 signature"
    );
    assert_ne!(hit.signature, signature("another secret", &hit.body));
    let body = hit.json();
    assert_eq!(body["type"], "message_sent");
    assert_eq!(body["id"], message.as_str());
    assert_eq!(hit.delivery, message);
    assert_eq!(body["data"]["external_chat_id"], "chat-1");
    assert_eq!(body["data"]["customer_external_id"], "cust-1");
    assert_eq!(body["data"]["text"], "Yes, 3 left");
    app.wait_status(&admin, &dialog, &message, "sent").await;
    let frame = ws.next_of(&["message_updated"]).await;
    assert_eq!(frame["data"]["status"], "sent", "{frame}");

    // Acks by the integration's id (the receiver answered `ext-1`), then read-until.
    let delivered = app
        .transport(
            &transport,
            "/messages/ack",
            json!({"external_message_id": "ext-1", "status": "delivered"}),
        )
        .await;
    assert_eq!(
        (delivered.status, delivered.body["changed"].clone()),
        (200, json!(true)),
        "{delivered:?}"
    );
    assert_eq!(
        app.message_status(&admin, &dialog, &message).await,
        "delivered"
    );
    assert_eq!(
        ws.next_of(&["message_updated"]).await["data"]["status"],
        "delivered"
    );
    let until = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let read = app
        .transport(
            &transport,
            "/messages/read-until",
            json!({"external_chat_id": "chat-1", "until": until}),
        )
        .await;
    assert_eq!(
        (read.status, read.body["read"].clone()),
        (200, json!(1)),
        "{read:?}"
    );
    assert_eq!(app.message_status(&admin, &dialog, &message).await, "read");
    assert_eq!(
        ws.next_of(&["message_updated"]).await["data"]["status"],
        "read"
    );

    // R14: a late `delivered` after `read` changes nothing, by either id.
    for by in [
        json!({"message_id": message, "status": "delivered"}),
        json!({"external_message_id": "ext-1", "status": "sent"}),
    ] {
        let late = app.transport(&transport, "/messages/ack", by).await;
        assert_eq!(
            (late.status, late.body["changed"].clone()),
            (200, json!(false)),
            "{late:?}"
        );
    }
    assert_eq!(app.message_status(&admin, &dialog, &message).await, "read");

    // Reports about messages the channel does not own, or unknown ids, are 404.
    let (_, other_transport, _) = app
        .channel_with_webhook(&admin, "custom", &receiver.url)
        .await;
    let foreign = app
        .transport(
            &other_transport,
            "/messages/ack",
            json!({"message_id": message, "status": "read"}),
        )
        .await;
    assert_eq!(foreign.status, 404, "{foreign:?}");
    let unknown = app
        .transport(
            &transport,
            "/messages/ack",
            json!({"external_message_id": "nope", "status": "read"}),
        )
        .await;
    assert_eq!(unknown.status, 404);
    let nameless = app
        .transport(&transport, "/messages/ack", json!({"status": "read"}))
        .await;
    assert_eq!(
        (nameless.status, nameless.code()),
        (422, "validation_failed")
    );
    assert_eq!(receiver.hits().len(), 1, "one delivery, no duplicates");
    receiver.stop().await;
}

#[tokio::test]
async fn a_status_the_channel_does_not_declare_is_refused() {
    let app = fast_app().await;
    let receiver = Receiver::start(&[]).await;
    let admin = app.admin().await;
    // R20: Telegram reports neither delivered nor read.
    let (_, transport, _) = app
        .channel_with_webhook(&admin, "telegram", &receiver.url)
        .await;
    let (dialog, message) = reply(&app, &admin, &transport, "tg-1", "hi").await;
    app.wait_status(&admin, &dialog, &message, "sent").await;
    let delivered = app
        .transport(
            &transport,
            "/messages/ack",
            json!({"message_id": message, "status": "delivered"}),
        )
        .await;
    assert_eq!(
        (delivered.status, delivered.code()),
        (422, "unsupported_by_channel"),
        "{delivered:?}"
    );
    let until = "2100-01-01T00:00:00Z";
    let read = app
        .transport(
            &transport,
            "/messages/read-until",
            json!({"external_chat_id": "tg-1", "until": until}),
        )
        .await;
    assert_eq!((read.status, read.code()), (422, "unsupported_by_channel"));
    assert_eq!(app.message_status(&admin, &dialog, &message).await, "sent");
}

#[tokio::test]
async fn a_receiver_that_fails_three_times_gets_the_message_exactly_once_more() {
    let app = fast_app().await;
    let receiver = Receiver::start(&[500, 500, 503]).await;
    let admin = app.admin().await;
    let (_, transport, _) = app
        .channel_with_webhook(&admin, "custom", &receiver.url)
        .await;
    let (dialog, message) = reply(&app, &admin, &transport, "c-1", "retry me").await;
    app.wait_status(&admin, &dialog, &message, "sent").await;
    // Whatever else happens now, no further call arrives.
    tokio::time::sleep(Duration::from_millis(600)).await;
    let hits = receiver.hits();
    let statuses: Vec<u16> = hits.iter().map(|h| h.status).collect();
    assert_eq!(statuses, vec![500, 500, 503, 200]);
    let attempts: Vec<&str> = hits.iter().map(|h| h.attempt.as_str()).collect();
    assert_eq!(attempts, vec!["1", "2", "3", "4"]);
    assert!(
        hits.iter()
            .all(|h| h.delivery == message && h.body == hits[0].body),
        "the same message each time"
    );
}

#[tokio::test]
async fn pending_deliveries_resume_after_a_restart_and_a_delivered_one_is_not_sent_again() {
    // Slow retries, so that the restart happens while the message is still failing.
    let slow = |c: &mut chatd_server::Config| {
        c.webhooks.base_delay = Duration::from_millis(400);
        c.webhooks.max_delay = Duration::from_millis(400);
    };
    let app = spawn_app_with(tempfile::tempdir().unwrap(), slow).await;
    let receiver = Receiver::start(&[500, 500, 500]).await;
    let admin = app.admin().await;
    let (_, transport, _) = app
        .channel_with_webhook(&admin, "custom", &receiver.url)
        .await;
    let (dialog, message) = reply(&app, &admin, &transport, "c-1", "survive a restart").await;
    receiver.wait_for(2).await;
    let dir = app.stop().await;
    let before = receiver.hits().len();
    assert!(
        before < 4,
        "not yet delivered when chatd stopped: {before} calls"
    );

    let app = spawn_app_with(dir, fast_retries).await;
    let admin = app.admin().await;
    app.wait_status(&admin, &dialog, &message, "sent").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let hits = receiver.hits();
    assert_eq!(
        hits.iter().filter(|h| h.status == 200).count(),
        1,
        "{hits:?}"
    );
    assert_eq!(hits.last().unwrap().status, 200);
    assert_eq!(hits.len(), 4, "three failures, then exactly one success");

    // A second restart finds nothing to deliver.
    let dir = app.stop().await;
    let app = spawn_app_in(dir).await;
    let admin = app.admin().await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        receiver.hits().len(),
        4,
        "a delivered message is never posted again"
    );
    assert_eq!(app.message_status(&admin, &dialog, &message).await, "sent");
}

#[tokio::test]
async fn giving_up_marks_the_message_failed_with_network_error_and_other_channels_go_on() {
    let app = spawn_app_with(tempfile::tempdir().unwrap(), |c| {
        fast_retries(c);
        c.webhooks.attempts = 3;
    })
    .await;
    let dead = Receiver::start(&[500; 100]).await;
    let alive = Receiver::start(&[]).await;
    let admin = app.admin().await;
    let (_, dead_transport, _) = app.channel_with_webhook(&admin, "custom", &dead.url).await;
    let (_, alive_transport, _) = app
        .channel_with_webhook(&admin, "livechat", &alive.url)
        .await;
    let (dead_dialog, dead_message) =
        reply(&app, &admin, &dead_transport, "d-1", "into the void").await;
    let (alive_dialog, alive_message) = reply(&app, &admin, &alive_transport, "a-1", "hello").await;
    app.wait_status(&admin, &alive_dialog, &alive_message, "sent")
        .await;
    app.wait_status(&admin, &dead_dialog, &dead_message, "failed")
        .await;
    assert_eq!(dead.hits().len(), 3);
    let t = app
        .call(
            "GET",
            &format!("/api/v1/dialogs/{dead_dialog}/timeline"),
            Some(&admin),
            None,
        )
        .await;
    let failed = t.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["message"]["id"] == dead_message.as_str())
        .unwrap();
    assert_eq!(
        failed["message"]["error"]["code"], "network_error",
        "{failed}"
    );

    // A refusal (4xx) fails at once, without retries.
    let refusing = Receiver::start(&[422]).await;
    let (_, t3, _) = app
        .channel_with_webhook(&admin, "custom", &refusing.url)
        .await;
    let (d3, m3) = reply(&app, &admin, &t3, "r-1", "no thanks").await;
    app.wait_status(&admin, &d3, &m3, "failed").await;
    assert_eq!(refusing.hits().len(), 1);
}

#[tokio::test]
async fn the_webhook_carries_attachments_the_integration_can_download_and_the_quoted_external_id() {
    let app = fast_app().await;
    let receiver = Receiver::start(&[]).await;
    let admin = app.admin().await;
    let (_, transport, _) = app
        .channel_with_webhook(&admin, "telegram", &receiver.url)
        .await;
    let dialog = app.dialog(&transport, "t-1", "question").await;
    let tl = app
        .call(
            "GET",
            &format!("/api/v1/dialogs/{dialog}/timeline"),
            Some(&admin),
            None,
        )
        .await;
    let question = tl.body["items"][0]["message"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let pdf = b"%PDF-1.4 the invoice".to_vec();
    let up = app
        .upload(&admin, false, "invoice.pdf", "application/pdf", pdf.clone())
        .await;
    let file = up.body["id"].as_str().unwrap().to_owned();
    let sent = app
        .call(
            "POST",
            &format!("/api/v1/dialogs/{dialog}/messages"),
            Some(&admin),
            Some(json!({"text": "here", "attachment_ids": [file], "quote_message_id": question})),
        )
        .await;
    assert_eq!(sent.status, 201, "{sent:?}");
    let body = receiver.wait_for(1).await[0].json();
    let a = &body["data"]["attachments"][0];
    assert_eq!(
        (a["name"].as_str(), a["kind"].as_str()),
        (Some("invoice.pdf"), Some("file"))
    );
    // The quoted customer message is named by the integration's own id ("t-1-question").
    assert_eq!(body["data"]["quote"]["external_id"], "t-1-question");
    let got = app
        .client
        .get(app.url(a["url"].as_str().unwrap()))
        .header("x-transport-token", &transport)
        .send()
        .await
        .unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(got.bytes().await.unwrap().to_vec(), pdf);
}
