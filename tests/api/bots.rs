//! R18's bots as assignees: registration with a token shown once, the bot filter, orders.

use chatd_tests::spawn_app;
use serde_json::{json, Value};

#[tokio::test]
async fn bots_are_registered_with_a_token_shown_once_and_become_assignees() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (channel, transport) = app.channel(&admin, "telegram").await;
    let (m1, manager) = app.user(&admin, "m1", "manager", &[]).await;
    let denied = app
        .call(
            "POST",
            "/api/v1/bots",
            Some(&manager),
            Some(json!({"name": "nope"})),
        )
        .await;
    assert_eq!((denied.status, denied.code()), (403, "missing_right"));
    let rules = json!([{
        "channel_id": channel, "manager_ids": [m1], "max_open_per_manager": 10,
        "require_free": true, "require_online": false, "strategy": "least_loaded",
        "reassign_when_unavailable": "only_new", "create_customer": true, "create_order": true
    }]);
    let bot = app
        .call(
            "POST",
            "/api/v1/bots",
            Some(&admin),
            Some(json!({"name": "Distribution", "distribution": rules})),
        )
        .await;
    assert_eq!(bot.status, 201, "{bot:?}");
    assert_eq!(bot.body["token"].as_str().map(str::len), Some(64));
    assert_eq!(bot.body["distribution"][0]["strategy"], "least_loaded");
    let bot_id = bot.body["id"].as_str().unwrap().to_owned();
    let list = app.call("GET", "/api/v1/bots", Some(&manager), None).await;
    assert_eq!(list.body["items"][0]["name"], "Distribution");
    assert_eq!(
        list.body["items"][0]["token"],
        Value::Null,
        "the token is shown once"
    );

    let dialog = app.dialog(&transport, "c1", "hi").await;
    chatd_tests::eventually(|| async {
        let d = app.detail(&admin, &dialog, None).await;
        d.body["responsible"]["id"] == m1.as_str()
    })
    .await;
    let r = app
        .call(
            "POST",
            &format!("/api/v1/dialogs/{dialog}/reassign"),
            Some(&admin),
            Some(json!({"to": {"type": "bot", "id": bot_id}})),
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    let by_bot = app
        .call(
            "GET",
            &format!(
                "/api/v1/dialogs?responsible=bot:{bot_id}&min_position={}",
                r.position()
            ),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(by_bot.body["items"][0]["responsible"]["type"], "bot");
    assert_eq!(
        by_bot.body["items"][0]["responsible"]["name"],
        "Distribution"
    );
    let facets = app
        .call("GET", "/api/v1/dialogs/facets", Some(&admin), None)
        .await;
    assert_eq!(
        facets.body["bots"][0]["dialogs"], 1,
        "a bot exists: the bot filter appears"
    );
    let off = app
        .call(
            "PATCH",
            &format!("/api/v1/bots/{bot_id}"),
            Some(&admin),
            Some(json!({"active": false})),
        )
        .await;
    assert_eq!(off.body["active"], false);
    let to_inactive = app
        .call(
            "POST",
            &format!("/api/v1/dialogs/{dialog}/reassign"),
            Some(&admin),
            Some(json!({"to": {"type": "user", "id": "7d0e8f2c-3c0a-4c55-9a8e-5d2b3f1a9c01"}})),
        )
        .await;
    assert_eq!(
        (to_inactive.status, to_inactive.code()),
        (422, "invalid_assignee")
    );
    // R18: the bot distributed the dialog to m1 before the admin took it, and made an order.
    let orders = app.call("GET", "/api/v1/orders", Some(&admin), None).await;
    assert_eq!(orders.status, 200);
    assert_eq!(
        orders.body["items"][0]["dialog_id"],
        dialog.as_str(),
        "{orders:?}"
    );
    assert_eq!(orders.body["items"][0]["manager_id"], m1.as_str());
    app.stop().await;
}

#[tokio::test]
async fn the_openapi_document_is_served() {
    let app = spawn_app().await;
    let doc = app.call("GET", "/api/v1/openapi.json", None, None).await;
    assert_eq!(doc.status, 200);
    assert!(doc.body["paths"]["/api/v1/dialogs"]["get"].is_object());
    assert!(doc.body["components"]["schemas"]["DialogRowOut"].is_object());
    app.stop().await;
}
