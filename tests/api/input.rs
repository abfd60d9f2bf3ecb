//! Bad input gets a 4xx problem document with a stable code and changes nothing.

use chatd_tests::spawn_app;
use serde_json::json;

#[tokio::test]
async fn malformed_json_wrong_types_oversize_bodies_and_unknown_ids() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let before = app
        .get("/healthz")
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap()["position"]
        .clone();

    let raw = |body: &'static str| {
        app.client
            .post(app.url("/api/v1/tags"))
            .bearer_auth(&admin)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let r = raw("{\"name\": ").await.unwrap();
    assert_eq!(r.status(), 400);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["code"], "malformed_json");

    let r = raw("{\"name\": 5, \"color\": \"red\"}").await.unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["code"],
        "invalid_body"
    );

    let r = raw("{\"name\": \"x\", \"color\": \"ultraviolet\"}")
        .await
        .unwrap();
    assert_eq!(r.status(), 422);

    let huge = format!(
        "{{\"name\": \"{}\", \"color\": \"red\"}}",
        "x".repeat(400_000)
    );
    let r = app
        .client
        .post(app.url("/api/v1/tags"))
        .bearer_auth(&admin)
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["code"],
        "body_too_large"
    );

    let unknown = app
        .call(
            "GET",
            &format!("/api/v1/dialogs/{}", uuid_like()),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!((unknown.status, unknown.code()), (404, "not_found"));
    let not_an_id = app
        .call("GET", "/api/v1/dialogs/not-a-uuid", Some(&admin), None)
        .await;
    assert_eq!((not_an_id.status, not_an_id.code()), (404, "not_found"));
    let act = app
        .call(
            "POST",
            &format!("/api/v1/dialogs/{}/close", uuid_like()),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!((act.status, act.code()), (404, "not_found"));

    let bad_query = app
        .call("GET", "/api/v1/dialogs?limit=lots", Some(&admin), None)
        .await;
    assert_eq!((bad_query.status, bad_query.code()), (400, "invalid_query"));
    let bad_status = app
        .call("GET", "/api/v1/dialogs?status=maybe", Some(&admin), None)
        .await;
    assert_eq!(
        (bad_status.status, bad_status.code()),
        (400, "invalid_query")
    );
    let bad_cursor = app
        .call("GET", "/api/v1/dialogs?cursor=zz", Some(&admin), None)
        .await;
    assert_eq!(
        (bad_cursor.status, bad_cursor.code()),
        (400, "invalid_query")
    );

    let after = app
        .get("/healthz")
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap()["position"]
        .clone();
    assert_eq!(before, after, "refused requests stored nothing");
    app.stop().await;
}

fn uuid_like() -> &'static str {
    "7d0e8f2c-3c0a-4c55-9a8e-5d2b3f1a9c01"
}

#[tokio::test]
async fn transport_requests_need_a_valid_token_and_ids() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, token) = app.channel(&admin, "telegram").await;
    let no_token = app.inbound("", "c", "u", "m", "hi").await;
    assert_eq!((no_token.status, no_token.code()), (401, "unauthorized"));
    let forged = app.inbound("forged", "c", "u", "m", "hi").await;
    assert_eq!(forged.status, 401);
    let empty_chat = app.inbound(&token, "", "u", "m", "hi").await;
    assert_eq!(
        (empty_chat.status, empty_chat.code()),
        (422, "validation_failed")
    );
    let empty_text = app.inbound(&token, "c", "u", "m", "  ").await;
    assert_eq!(
        (empty_text.status, empty_text.code()),
        (422, "empty_message")
    );
    let limits = app
        .call(
            "PUT",
            "/api/v1/settings/time-limits",
            Some(&admin),
            Some(json!({"default": {"warning_after": 15, "limit": 60}, "channels": {}})),
        )
        .await;
    assert_eq!((limits.status, limits.code()), (422, "validation_failed"));
    app.stop().await;
}

#[tokio::test]
async fn a_read_waits_for_min_position_then_answers_projection_lagging() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let lagging = app
        .call(
            "GET",
            "/api/v1/dialogs?min_position=999999999",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(
        (lagging.status, lagging.code()),
        (503, "projection_lagging")
    );
    let bad = app
        .call(
            "GET",
            "/api/v1/dialogs?min_position=soon",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!((bad.status, bad.code()), (400, "invalid_query"));
    // A reached position answers at once.
    let tag = app
        .call(
            "POST",
            "/api/v1/tags",
            Some(&admin),
            Some(json!({"name": "x", "color": "red"})),
        )
        .await;
    let ok = app
        .call(
            "GET",
            &format!("/api/v1/tags?min_position={}", tag.position()),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(ok.status, 200);
    assert_eq!(ok.body["items"][0]["name"], "x");
    app.stop().await;
}
