//! The SPA on its own origin (issue 18): CORS from an allow-list in the configuration. An allowed
//! origin's preflight and calls succeed and may read what they need; any other origin is
//! refused (403 `origin_not_allowed`), and so is its WebSocket upgrade. The default allows no other origin; same-origin
//! pages (the console) always pass.

use chatd_tests::*;
use reqwest::header::HeaderMap;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

const SPA: &str = "https://app.shop.example";
const EVIL: &str = "https://evil.example";

async fn preflight(app: &TestApp, origin: &str) -> (u16, HeaderMap) {
    let r = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/api/v1/dialogs/facets"))
        .header("origin", origin)
        .header("access-control-request-method", "GET")
        .header(
            "access-control-request-headers",
            "authorization, x-request-id",
        )
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.headers().clone())
}

fn header<'a>(h: &'a HeaderMap, name: &str) -> &'a str {
    h.get(name).map_or("", |v| v.to_str().unwrap())
}

/// The status of a WebSocket upgrade sent with `Origin: origin` (101 when accepted).
async fn upgrade(app: &TestApp, token: &str, origin: &str) -> u16 {
    let url = format!(
        "{}/api/v1/ws?token={token}",
        app.base.replace("http://", "ws://")
    );
    let mut req = url.into_client_request().unwrap();
    req.headers_mut().insert("origin", origin.parse().unwrap());
    match tokio_tungstenite::connect_async(req).await {
        Ok((_, response)) => response.status().as_u16(),
        Err(tokio_tungstenite::tungstenite::Error::Http(r)) => r.status().as_u16(),
        Err(e) => panic!("{e}"),
    }
}

#[tokio::test]
async fn an_allowed_origin_calls_the_api_and_any_other_is_refused() {
    let app = spawn_app_with(tempfile::tempdir().unwrap(), |c| {
        c.cors_origins = vec![SPA.to_owned()].into();
    })
    .await;
    let admin = app.admin().await;

    let (status, h) = preflight(&app, SPA).await;
    assert_eq!(status, 200, "{h:?}");
    assert_eq!(header(&h, "access-control-allow-origin"), SPA);
    assert!(
        header(&h, "access-control-allow-methods").contains("PATCH"),
        "{h:?}"
    );
    let allowed = header(&h, "access-control-allow-headers").to_lowercase();
    assert!(
        allowed.contains("authorization") && allowed.contains("x-request-id"),
        "{h:?}"
    );
    assert!(
        h.get("access-control-allow-credentials").is_none(),
        "bearer tokens, no cookies"
    );

    let r = app
        .client
        .get(app.url("/api/v1/dialogs/facets"))
        .header("origin", SPA)
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(header(r.headers(), "access-control-allow-origin"), SPA);
    let exposed = header(r.headers(), "access-control-expose-headers").to_lowercase();
    assert!(
        exposed.contains("x-request-id") && exposed.contains("retry-after"),
        "{exposed}"
    );
    // A problem document is readable cross-origin too.
    let r = app
        .client
        .get(app.url("/api/v1/dialogs/facets"))
        .header("origin", SPA)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(header(r.headers(), "access-control-allow-origin"), SPA);

    let (status, h) = preflight(&app, EVIL).await;
    assert_eq!(status, 403, "{h:?}");
    assert!(h.get("access-control-allow-origin").is_none());
    let r = app
        .client
        .get(app.url("/api/v1/dialogs/facets"))
        .header("origin", EVIL)
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        403,
        "a call from a foreign origin is refused outright"
    );
    assert!(r.headers().get("access-control-allow-origin").is_none());
    assert_eq!(
        header(r.headers(), "content-type"),
        "application/problem+json"
    );
    let problem: serde_json::Value = r.json().await.unwrap();
    assert_eq!(problem["code"], "origin_not_allowed", "R38: {problem}");

    // The page's own origin (the console) passes without being listed.
    let own = app.base.clone();
    let r = app
        .client
        .post(app.url("/api/v1/dialogs/delete"))
        .header("origin", &own)
        .bearer_auth(&admin)
        .json(&serde_json::json!({"ids": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        422,
        "same origin, handled: {:?}",
        r.text().await
    );

    assert_eq!(upgrade(&app, &admin, SPA).await, 101);
    assert_eq!(upgrade(&app, &admin, &own).await, 101);
    assert_eq!(
        upgrade(&app, &admin, EVIL).await,
        403,
        "no feed for a foreign page"
    );
}

#[tokio::test]
async fn by_default_no_other_origin_is_allowed() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (status, h) = preflight(&app, SPA).await;
    assert_eq!(status, 403, "{h:?}");
    assert!(h.get("access-control-allow-origin").is_none());
    assert_eq!(upgrade(&app, &admin, SPA).await, 403);
    // Clients that are not browsers send no Origin and are not affected.
    let me = app.call("GET", "/api/v1/me", Some(&admin), None).await;
    assert_eq!(me.status, 200);
}
