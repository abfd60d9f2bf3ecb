//! Findings 1–3: sight through mentions does not grow, and shows no card (R27, R32).

use super::{note, shop};
use serde_json::{json, Value};

#[tokio::test]
async fn finding_1_a_self_mention_is_refused_and_gives_no_sight_after_reassignment() {
    let s = shop().await;
    let (app, (m1_id, _), (m2_id, m2)) = (&s.app, s.m[0].clone(), s.m[1].clone());
    let dialog = app.dialog(&s.transport, "chat-1", "hello").await;
    // m2 sees the unassigned dialog and tries to keep it by mentioning themselves.
    let own = note(app, &m2, &dialog, "mine", json!([m2_id])).await;
    assert_eq!(
        (own.status, own.code()),
        (422, "invalid_mention"),
        "{own:?}"
    );
    assert!(own.body["detail"].as_str().unwrap().contains("yourself"));
    assert_eq!(app.reassign(&s.admin, &dialog, &m1_id).await.status, 200);
    assert_eq!(app.detail(&m2, &dialog, None).await.status, 404);
    let t = app
        .call(
            "GET",
            &format!("/api/v1/dialogs/{dialog}/timeline"),
            Some(&m2),
            None,
        )
        .await;
    assert_eq!(t.status, 404);
    let add = note(app, &m2, &dialog, "still here?", json!([])).await;
    assert_eq!(add.status, 404);
}

#[tokio::test]
async fn finding_1_sight_through_a_mention_is_not_passed_on() {
    let s = shop().await;
    let app = &s.app;
    let ((m1_id, m1), (m2_id, m2), (m3_id, m3)) = (s.m[0].clone(), s.m[1].clone(), s.m[2].clone());
    let dialog = app.dialog(&s.transport, "chat-1", "hello").await;
    assert_eq!(app.reassign(&s.admin, &dialog, &m1_id).await.status, 200);
    assert_eq!(
        note(app, &m1, &dialog, "@m2 look", json!([m2_id]))
            .await
            .status,
        201
    );
    // m2 sees the dialog only through the mention: notes yes, mentions no.
    assert_eq!(
        note(app, &m2, &dialog, "on it", json!([])).await.status,
        201
    );
    let chain = note(app, &m2, &dialog, "@m3 too", json!([m3_id])).await;
    assert_eq!(
        (chain.status, chain.code()),
        (403, "mention_not_allowed"),
        "{chain:?}"
    );
    let again = note(app, &m2, &dialog, "keep it", json!([m2_id])).await;
    assert_eq!(again.status, 403, "{again:?}");
    assert_eq!(app.detail(&m3, &dialog, None).await.status, 404);
}

#[tokio::test]
async fn finding_2_a_mention_shows_the_brief_customer_never_the_card() {
    let s = shop().await;
    let app = &s.app;
    let ((m1_id, m1), (m2_id, m2)) = (s.m[0].clone(), s.m[1].clone());
    let dialog = app.dialog(&s.transport, "+4915550001", "call me").await;
    assert_eq!(app.reassign(&s.admin, &dialog, &m1_id).await.status, 200);
    assert_eq!(
        note(app, &m1, &dialog, "@m2", json!([m2_id])).await.status,
        201
    );
    let own = app.detail(&m1, &dialog, None).await.body;
    assert_eq!(own["external_chat_id"], "+4915550001");
    assert!(own["customer_card"]["external_id"].is_string(), "{own}");

    let seen = app.detail(&m2, &dialog, None).await;
    assert_eq!(seen.status, 200);
    assert!(seen.body["customer_card"].is_null(), "{:?}", seen.body);
    assert_eq!(
        seen.body["external_chat_id"], "",
        "the chat id may be a phone"
    );
    assert_eq!(seen.body["customer"]["name"], own["customer"]["name"]);
    let customer = own["customer"]["id"].as_str().unwrap();
    let card = app
        .call(
            "GET",
            &format!("/api/v1/customers/{customer}"),
            Some(&m2),
            None,
        )
        .await;
    assert_eq!(card.status, 404);
}

#[tokio::test]
async fn finding_3_a_done_mention_keeps_the_text_it_had() {
    let s = shop().await;
    let app = &s.app;
    let ((m1_id, m1), (m2_id, m2)) = (s.m[0].clone(), s.m[1].clone());
    let dialog = app.dialog(&s.transport, "chat-1", "hello").await;
    assert_eq!(app.reassign(&s.admin, &dialog, &m1_id).await.status, 200);
    let n = note(app, &m1, &dialog, "before", json!([m2_id])).await;
    let note_id = n.body["id"].as_str().unwrap().to_owned();
    let open = app.call("GET", "/api/v1/mentions", Some(&m2), None).await;
    let mention = open.body["items"][0]["id"].as_str().unwrap().to_owned();
    let done = app
        .call(
            "POST",
            &format!("/api/v1/mentions/{mention}/done"),
            Some(&m2),
            None,
        )
        .await;
    assert_eq!(done.status, 200);
    let edit = app
        .call(
            "PATCH",
            &format!("/api/v1/dialogs/{dialog}/notes/{note_id}"),
            Some(&m1),
            Some(json!({"text": "after: the secret plan"})),
        )
        .await;
    assert_eq!(edit.status, 200);
    let list = app
        .call("GET", "/api/v1/mentions?status=done", Some(&m2), None)
        .await;
    let text = list.body["items"][0]["text"].clone();
    assert_eq!(text, "before", "{:?}", list.body);
}

#[tokio::test]
async fn mentions_are_paged() {
    let s = shop().await;
    let app = &s.app;
    let ((m1_id, m1), (m2_id, m2)) = (s.m[0].clone(), s.m[1].clone());
    let dialog = app.dialog(&s.transport, "chat-1", "hello").await;
    assert_eq!(app.reassign(&s.admin, &dialog, &m1_id).await.status, 200);
    for i in 0..5 {
        let n = note(app, &m1, &dialog, &format!("n{i}"), json!([m2_id])).await;
        assert_eq!(n.status, 201);
    }
    let first = app
        .call("GET", "/api/v1/mentions?limit=2", Some(&m2), None)
        .await;
    assert_eq!(first.body["items"].as_array().unwrap().len(), 2);
    let all = app
        .all_items(&m2, "/api/v1/mentions?limit=2", "cursor")
        .await;
    let texts: Vec<_> = all.iter().map(|m| m["text"].clone()).collect();
    assert_eq!(texts, ["n4", "n3", "n2", "n1", "n0"].map(Value::from));
    let bad = app
        .call("GET", "/api/v1/mentions?limit=500", Some(&m2), None)
        .await;
    assert_eq!(bad.status, 400);
}
