//! R25 reply window and R26 message templates (WhatsApp Business, Messenger, Instagram): a
//! closed window refuses free-form messages before anything is stored, a new customer message
//! reopens it, and an approved template goes out rendered, to a real webhook receiver.

use chatd_tests::receiver::Receiver;
use chatd_tests::{spawn_app, Answer, TestApp};
use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

fn ago(hours: i64) -> String {
    (OffsetDateTime::now_utc() - time::Duration::hours(hours))
        .format(&Rfc3339)
        .unwrap()
}

/// A customer message reported as written `hours` ago.
async fn wrote(app: &TestApp, transport: &str, id: &str, hours: i64) -> Answer {
    app.transport(
        transport,
        "/messages",
        json!({"external_chat_id": "wa-1",
               "customer": {"external_id": "c-1", "name": "Ann"},
               "message": {"external_id": id, "text": "Is my order ready?", "created_at": ago(hours)}}),
    )
    .await
}

fn order_ready(status: &str) -> Value {
    json!({"code": "order_ready", "name": "Order ready", "language": "en",
           "body": "Hello {{1}}, your order {{2}} is ready for pickup.", "status": status})
}

async fn publish(app: &TestApp, transport: &str, templates: Value) -> Answer {
    let body = json!({ "templates": templates });
    let token = [("x-transport-token", transport)];
    app.call_as("PUT", "/api/transport/v1/templates", &token, Some(body))
        .await
}

async fn send(app: &TestApp, token: &str, dialog: &str, body: Value) -> Answer {
    let path = format!("/api/v1/dialogs/{dialog}/messages");
    app.call("POST", &path, Some(token), Some(body)).await
}

async fn events(app: &TestApp, admin: &str, dialog: &str) -> usize {
    app.dialog_events(admin, dialog).await.len()
}

#[tokio::test]
async fn r25_a_day_old_conversation_refuses_free_text_and_a_new_customer_message_reopens_it() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "whatsapp_business").await;
    let (_, manager) = app.user(&admin, "mia", "manager", &[]).await;
    let first = wrote(&app, &transport, "m1", 25).await;
    assert_eq!(first.status, 200, "{first:?}");
    let dialog = first.body["dialog_id"].as_str().unwrap().to_owned();

    let d = app.detail(&manager, &dialog, None).await;
    let closes =
        OffsetDateTime::parse(d.body["reply_window_closes_at"].as_str().unwrap(), &Rfc3339)
            .unwrap();
    assert!(
        closes < OffsetDateTime::now_utc(),
        "closed an hour ago: {d:?}"
    );
    let before = events(&app, &admin, &dialog).await;
    let refused = send(&app, &manager, &dialog, json!({"text": "Yes, it is!"})).await;
    assert_eq!(
        (refused.status, refused.code()),
        (409, "reply_window_closed"),
        "{refused:?}"
    );
    let up = app
        .upload(&manager, false, "r.txt", "text/plain", b"receipt".to_vec())
        .await;
    let with_file = send(
        &app,
        &manager,
        &dialog,
        json!({"attachment_ids": [up.body["id"]]}),
    )
    .await;
    assert_eq!(with_file.code(), "reply_window_closed");
    assert_eq!(
        events(&app, &admin, &dialog).await,
        before,
        "nothing stored"
    );
    let list = app
        .call("GET", "/api/v1/dialogs", Some(&manager), None)
        .await;
    assert_eq!(
        list.body["items"][0]["reply_window_closes_at"],
        d.body["reply_window_closes_at"]
    );

    // The customer writes again: the window reopens, live.
    let mut ws = app.ws(&manager, None).await;
    assert_eq!(wrote(&app, &transport, "m2", 0).await.status, 200);
    let f = ws.next_of(&["dialog_updated"]).await;
    let reopened = f["data"]["dialog"]["reply_window_closes_at"]
        .as_str()
        .unwrap()
        .to_owned();
    let reopened = OffsetDateTime::parse(&reopened, &Rfc3339).unwrap();
    assert!(reopened > OffsetDateTime::now_utc() + time::Duration::hours(23));
    let ok = send(&app, &manager, &dialog, json!({"text": "Yes, it is!"})).await;
    assert_eq!(ok.status, 201, "{ok:?}");

    // Channels without a window say so.
    let (_, telegram) = app.channel(&admin, "telegram").await;
    let other = app.dialog(&telegram, "tg-1", "hi").await;
    let d = app.detail(&admin, &other, None).await;
    assert!(d.body["reply_window_closes_at"].is_null(), "{d:?}");
}

#[tokio::test]
async fn r26_an_approved_template_goes_out_rendered_outside_the_window_to_the_webhook() {
    let app = spawn_app().await;
    let receiver = Receiver::start(&[]).await;
    let admin = app.admin().await;
    let (channel, transport, _) = app
        .channel_with_webhook(&admin, "whatsapp_business", &receiver.url)
        .await;
    let (_, manager) = app.user(&admin, "mia", "manager", &[]).await;
    let dialog = wrote(&app, &transport, "m1", 30).await.body["dialog_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let set = json!([order_ready("approved"),
        {"code": "survey", "name": "Survey", "language": "en", "body": "How did we do?", "status": "pending"}]);
    let p = publish(&app, &transport, set.clone()).await;
    assert_eq!(
        (p.status, p.body["templates"].as_u64()),
        (200, Some(2)),
        "{p:?}"
    );
    assert_eq!(publish(&app, &transport, set).await.body["changed"], false);

    let path = format!(
        "/api/v1/channels/{channel}/templates?min_position={}",
        p.body["position"].as_str().unwrap()
    );
    let list = app.call("GET", &path, Some(&manager), None).await;
    assert_eq!(list.status, 200, "{list:?}");
    let codes: Vec<&str> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["order_ready", "survey"]);

    let sent = send(
        &app,
        &manager,
        &dialog,
        json!({"template": {"code": "order_ready", "params": ["Ann", "#1042"]}}),
    )
    .await;
    assert_eq!(sent.status, 201, "{sent:?}");
    assert_eq!(
        sent.body["text"],
        "Hello Ann, your order #1042 is ready for pickup."
    );
    let used = json!({"code": "order_ready", "language": "en", "params": ["Ann", "#1042"]});
    assert_eq!(sent.body["template"], used);
    let hits = receiver.wait_for(1).await;
    let body = hits[0].json();
    assert_eq!(
        body["data"]["text"],
        "Hello Ann, your order #1042 is ready for pickup."
    );
    assert_eq!(body["data"]["template"], used);
    let id = sent.body["id"].as_str().unwrap();
    assert_eq!(
        app.timeline_message(&manager, &dialog, id).await["template"],
        used
    );
    let stored = app
        .dialog_events(&admin, &dialog)
        .await
        .into_iter()
        .find(|e| e["type"] == "message_sent")
        .unwrap()
        .clone();
    assert_eq!(stored["data"]["template"], used);
}

#[tokio::test]
async fn r26_refusals_store_nothing_and_a_republished_set_removes_a_template() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (channel, transport) = app.channel(&admin, "whatsapp_business").await;
    let (_, other_transport) = app.channel(&admin, "whatsapp_business").await;
    let (_, manager) = app.user(&admin, "mia", "manager", &[]).await;
    let dialog = wrote(&app, &transport, "m1", 30).await.body["dialog_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let paused = json!({"code": "promo", "name": "Promo", "language": "en", "body": "Sale: {{1}}", "status": "paused"});
    assert_eq!(
        publish(&app, &transport, json!([order_ready("approved"), paused]))
            .await
            .status,
        200
    );
    // Another channel's token publishes to its own channel only.
    let foreign = json!([{"code": "foreign", "name": "F", "language": "en", "body": "Hi", "status": "approved"}]);
    assert_eq!(publish(&app, &other_transport, foreign).await.status, 200);
    let before = events(&app, &admin, &dialog).await;

    let tpl = |code: &str, params: Value| json!({"template": {"code": code, "params": params}});
    let cases = [
        (tpl("nope", json!([])), 404, "template_not_found"),
        (tpl("foreign", json!([])), 404, "template_not_found"),
        (tpl("promo", json!(["50%"])), 422, "template_not_approved"),
        (tpl("order_ready", json!(["Ann"])), 422, "template_params"),
        (
            tpl("order_ready", json!(["Ann", " "])),
            422,
            "template_params",
        ),
        (
            tpl("order_ready", json!(["Ann", "x".repeat(2000)])),
            422,
            "template_params",
        ),
        (
            json!({"template": {"code": "order_ready", "params": ["Ann", "1"]}, "text": "also"}),
            422,
            "validation_failed",
        ),
    ];
    for (i, (body, status, code)) in cases.into_iter().enumerate() {
        let a = send(&app, &manager, &dialog, body).await;
        assert_eq!((a.status, a.code()), (status, code), "case {i}: {a:?}");
    }
    assert_eq!(
        events(&app, &admin, &dialog).await,
        before,
        "nothing stored"
    );

    // A published body must number its placeholders {{1}}…{{n}} in order; the detail names it.
    let bad = json!([{"code": "bad_order", "name": "B", "language": "en", "body": "Order {{2}} for {{1}}", "status": "approved"}]);
    let a = publish(&app, &transport, bad).await;
    assert_eq!(
        (a.status, a.body["code"].as_str()),
        (422, Some("validation_failed")),
        "{a:?}"
    );
    assert!(
        a.body["detail"].as_str().unwrap().contains("bad_order"),
        "{a:?}"
    );
    let twice = json!([order_ready("approved"), order_ready("pending")]);
    assert_eq!(publish(&app, &transport, twice).await.status, 422);
    let list = app
        .call(
            "GET",
            &format!("/api/v1/channels/{channel}/templates"),
            Some(&manager),
            None,
        )
        .await;
    assert_eq!(
        list.body["items"].as_array().unwrap().len(),
        2,
        "the set is unchanged"
    );

    // Republished without order_ready: it is gone.
    let p = publish(&app, &transport, json!([{"code": "promo", "name": "Promo", "language": "en", "body": "Sale: {{1}}", "status": "approved"}])).await;
    assert_eq!(p.status, 200);
    let gone = send(
        &app,
        &manager,
        &dialog,
        tpl("order_ready", json!(["Ann", "#1"])),
    )
    .await;
    assert_eq!(gone.code(), "template_not_found");
    let now_ok = send(&app, &manager, &dialog, tpl("promo", json!(["50%"]))).await;
    assert_eq!(now_ok.status, 201, "{now_ok:?}");
    // Auditors see the template set change on the channel's stream.
    let log = app
        .call("GET", "/api/audit/v1/events?limit=500", Some(&admin), None)
        .await;
    let published = log.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "templates_published")
        .count();
    assert_eq!(published, 3);
}

#[tokio::test]
async fn r25_r26_the_bot_api_send_honours_the_window_and_sends_templates() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "instagram").await;
    let dialog = wrote(&app, &transport, "m1", 25).await.body["dialog_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let bot = app
        .call(
            "POST",
            "/api/v1/bots",
            Some(&admin),
            Some(json!({"name": "Helper", "distribution": []})),
        )
        .await;
    assert_eq!(bot.status, 201, "{bot:?}");
    let (bot_id, token) = (
        bot.body["id"].as_str().unwrap(),
        bot.body["token"].as_str().unwrap(),
    );
    let to_bot = json!({"to": {"type": "bot", "id": bot_id}});
    let path = format!("/api/v1/dialogs/{dialog}/reassign");
    assert_eq!(
        app.call("POST", &path, Some(&admin), Some(to_bot))
            .await
            .status,
        200
    );
    publish(&app, &transport, json!([order_ready("approved")])).await;
    let (path, bot) = (
        format!("/api/bot/v1/dialogs/{dialog}/messages"),
        [("x-bot-token", token)],
    );
    let bot_send = |body: Value| app.call_as("POST", &path, &bot, Some(body));
    let refused = bot_send(json!({"text": "hi"})).await;
    assert_eq!(refused.status, 409);
    assert_eq!(refused.code(), "reply_window_closed");
    let sent =
        bot_send(json!({"template": {"code": "order_ready", "params": ["Ann", "#7"]}})).await;
    assert_eq!(sent.status, 201);
    let body = sent.body;
    assert_eq!(
        body["text"],
        "Hello Ann, your order #7 is ready for pickup."
    );
}
