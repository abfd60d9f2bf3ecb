//! The seed's scenarios over HTTP, continued: blocking (R6), text (R8), quotes and drafts
//! (R9, R11), unpinning (R12).

use chatd_tests::{ids, spawn_app};
use serde_json::{json, Value};

#[tokio::test]
async fn r6_a_blocked_customers_dialog_refuses_sending_and_their_messages_appear_nowhere() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    let dialog = app.dialog(&transport, "c1", "hi").await;
    let customer = app.customer_of(&admin, &dialog).await;
    let block = app
        .call(
            "POST",
            &format!("/api/v1/customers/{customer}/block"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(block.status, 200);
    let d = app.detail(&admin, &dialog, Some(&block.position())).await;
    assert_eq!(d.body["customer_card"]["blocked"], true);
    let send = app.send(&admin, &dialog, "hello").await;
    assert_eq!((send.status, send.code()), (409, "customer_blocked"));
    let inbound = app
        .inbound(&transport, "c1", "cust-c1", "m-blocked", "let me in")
        .await;
    assert_eq!((inbound.status, inbound.code()), (403, "customer_blocked"));
    let other_chat = app
        .inbound(&transport, "c2", "cust-c1", "m-blocked-2", "new chat")
        .await;
    assert_eq!(other_chat.status, 403, "blocked everywhere");
    let list = app
        .call("GET", "/api/v1/dialogs?status=all", Some(&admin), None)
        .await;
    assert_eq!(
        ids(&list.body),
        vec![dialog.clone()],
        "no dialog for the refused chat"
    );
    assert_eq!(list.body["items"][0]["last_message"]["text"], "hi");
    let unblock = app
        .call(
            "POST",
            &format!("/api/v1/customers/{customer}/unblock"),
            Some(&admin),
            None,
        )
        .await;
    let send = app.send(&admin, &dialog, "welcome back").await;
    assert!(unblock.status == 200 && send.status == 201, "{send:?}");
    // The refused messages are kept for the audit trail, on the customer's stream: the audit
    // reads them...
    let log = app
        .call("GET", "/api/audit/v1/events?limit=1000", Some(&admin), None)
        .await;
    let audited: Vec<&Value> = log.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "inbound_refused" && e["stream"] == format!("customer-{customer}"))
        .collect();
    assert_eq!(audited.len(), 2, "{audited:?}");
    assert_eq!(audited[0]["data"]["message"]["text"], "let me in");
    assert_eq!(audited[1]["data"]["message"]["text"], "new chat");
    // ...and the store holds them sealed under the customer's key (R35).
    let dir = app.stop().await;
    let store = chatd_store::SqliteStore::open(chatd_store::SqliteConfig::new(
        dir.path().join("events.db"),
    ))
    .unwrap();
    let events = chatd_store::EventStore::read_stream(
        &*store,
        &format!("customer-{customer}"),
        0,
        chatd_store::Direction::Forwards,
        100,
    )
    .await
    .unwrap();
    let refused: Vec<String> = events
        .iter()
        .filter(|e| e.event_type == "inbound_refused")
        .map(|e| String::from_utf8_lossy(&e.data).into_owned())
        .collect();
    assert_eq!(refused.len(), 2, "{refused:?}");
    assert!(
        refused
            .iter()
            .all(|r| r.contains("pii1:") && !r.contains("let me in") && !r.contains("new chat")),
        "{refused:?}"
    );
    chatd_store::EventStore::close(&*store).await;
}

#[tokio::test]
async fn r8_a_2001_character_message_is_refused_and_2000_pass() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    let dialog = app.dialog(&transport, "c1", "hi").await;
    let long = app
        .call(
            "POST",
            &format!("/api/v1/dialogs/{dialog}/messages"),
            Some(&admin),
            Some(json!({"text": "ж".repeat(2001)})),
        )
        .await;
    assert_eq!((long.status, long.code()), (422, "text_too_long"));
    let empty = app.send(&admin, &dialog, "").await;
    assert_eq!((empty.status, empty.code()), (422, "empty_message"));
    let ok = app
        .call(
            "POST",
            &format!("/api/v1/dialogs/{dialog}/messages"),
            Some(&admin),
            Some(json!({"text": "ж".repeat(2000)})),
        )
        .await;
    assert_eq!(ok.status, 201);
    app.stop().await;
}

#[tokio::test]
async fn r9_r11_quotes_embed_the_original_and_drafts_are_the_last_communication_until_sent() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    let dialog = app.dialog(&transport, "c1", "Where is my kettle?").await;
    let tl = app
        .call(
            "GET",
            &format!("/api/v1/dialogs/{dialog}/timeline"),
            Some(&admin),
            None,
        )
        .await;
    let quoted = tl.body["items"][0]["message"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let draft = app
        .call(
            "PUT",
            &format!("/api/v1/dialogs/{dialog}/draft"),
            Some(&admin),
            Some(json!({"text": "It ships..."})),
        )
        .await;
    let list = app
        .call(
            "GET",
            &format!("/api/v1/dialogs?min_position={}", draft.position()),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(list.body["items"][0]["draft"], "It ships...");
    let sent = app
        .call(
            "POST",
            &format!("/api/v1/dialogs/{dialog}/messages"),
            Some(&admin),
            Some(json!({"text": "It ships today.", "quote_message_id": quoted})),
        )
        .await;
    assert_eq!(sent.status, 201, "{sent:?}");
    assert_eq!(sent.body["quote"]["text"], "Where is my kettle?");
    assert_eq!(sent.body["quote"]["author"]["type"], "customer");
    let list = app
        .call(
            "GET",
            &format!("/api/v1/dialogs?min_position={}", sent.position()),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(
        list.body["items"][0]["draft"],
        Value::Null,
        "sending clears the author's draft"
    );
    assert_eq!(
        list.body["items"][0]["last_message"]["text"],
        "It ships today."
    );
    assert_eq!(
        list.body["items"][0]["last_message"]["author_type"],
        "manager"
    );
    let bad_quote = app
        .call(
            "POST",
            &format!("/api/v1/dialogs/{dialog}/messages"),
            Some(&admin),
            Some(json!({"text": "x", "quote_message_id": "7d0e8f2c-3c0a-4c55-9a8e-5d2b3f1a9c01"})),
        )
        .await;
    assert_eq!(
        (bad_quote.status, bad_quote.code()),
        (422, "quote_not_found")
    );
    app.stop().await;
}

#[tokio::test]
async fn r12_unpin_removes_the_customer_from_the_dialog_but_keeps_the_customer() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    let dialog = app.dialog(&transport, "c1", "hi").await;
    let customer = app.customer_of(&admin, &dialog).await;
    let un = app
        .call(
            "POST",
            &format!("/api/v1/dialogs/{dialog}/unpin-customer"),
            Some(&admin),
            None,
        )
        .await;
    let d = app.detail(&admin, &dialog, Some(&un.position())).await;
    assert_eq!(d.body["customer"], Value::Null);
    assert_eq!(d.body["customer_card"], Value::Null);
    assert_eq!(d.body["external_chat_id"], "c1");
    assert_eq!(
        app.call(
            "GET",
            &format!("/api/v1/customers/{customer}"),
            Some(&admin),
            None
        )
        .await
        .status,
        200
    );
    let pin = app
        .call(
            "POST",
            &format!("/api/v1/dialogs/{dialog}/pin-customer"),
            Some(&admin),
            Some(json!({"customer_id": customer})),
        )
        .await;
    let d = app.detail(&admin, &dialog, Some(&pin.position())).await;
    assert_eq!(d.body["customer"]["id"], customer.as_str());
    app.stop().await;
}
