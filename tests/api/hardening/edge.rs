//! Findings 4–7: sockets per user, slow bodies, R3 for reactions and typing, origins; and the
//! files and channel secrets the issue found cheap to close.

use chatd_tests::*;
use serde_json::{json, Value};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn finding_4_one_user_holds_at_most_ws_per_user_sockets_the_oldest_goes() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, m1) = app.user(&admin, "m1", "manager", &[]).await;
    let oldest = app.ws(&m1, None).await;
    let mut rest = Vec::new();
    for _ in 0..19 {
        rest.push(app.ws(&m1, None).await);
    }
    // The 21st: accepted, and the oldest is closed with 4429.
    let newest = app.ws(&m1, None).await;
    let (_, code) = oldest.closed_within(5).await;
    assert_eq!(code, Some(4429));
    // Another user is not affected by m1's sockets.
    let mut admin_ws = app.ws(&admin, None).await;
    let (_, transport) = app.channel(&admin, "custom").await;
    app.dialog(&transport, "chat-9", "hi").await;
    admin_ws.next_of(&["dialog_opened"]).await;
    drop((rest, newest));
}

/// A raw request whose body trickles in a byte at a time; what the server answers, and when.
async fn trickle(app: &TestApp, every: Duration, bytes: usize) -> (String, Duration) {
    let addr = app.base.trim_start_matches("http://").to_owned();
    let mut s = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head = format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {bytes}\r\n\r\n"
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let start = std::time::Instant::now();
    let (mut r, mut w) = s.into_split();
    let writer = tokio::spawn(async move {
        for _ in 0..bytes {
            if w.write_all(b" ").await.is_err() {
                return;
            }
            tokio::time::sleep(every).await;
        }
    });
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(30), r.read_to_end(&mut answer)).await;
    writer.abort();
    assert!(read.is_ok(), "the connection stays open after 30 s");
    (
        String::from_utf8_lossy(&answer).into_owned(),
        start.elapsed(),
    )
}

#[tokio::test]
async fn finding_5_a_body_that_trickles_in_is_answered_408_and_the_connection_closed() {
    let app = spawn_app_with(tempfile::tempdir().unwrap(), |c| {
        c.body_timing = chatd_server::http::body::BodyTiming::new(Some(2), None);
    })
    .await;
    let (answer, took) = trickle(&app, Duration::from_millis(300), 1000).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("request_timeout"), "{answer}");
    assert!(took >= Duration::from_secs(2), "{took:?}");
    // An ordinary body still passes.
    let ok = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"login": "admin", "password": ADMIN_PASSWORD})),
        )
        .await;
    assert_eq!(ok.status, 200);
}

#[tokio::test]
async fn finding_6_view_all_does_not_write_to_the_customer_through_reactions_or_typing() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "custom").await;
    let g = app
        .call(
            "POST",
            "/api/v1/groups",
            Some(&admin),
            Some(json!({"name": "supervisors", "rights": ["dialogs.view_all"]})),
        )
        .await;
    assert_eq!(g.status, 201, "{g:?}");
    let gid = g.body["id"].as_str().unwrap().to_owned();
    let (m1_id, m1) = app.user(&admin, "m1", "manager", &[]).await;
    let (_, sup) = app.user(&admin, "sup", "manager", &[&gid]).await;
    let got = app
        .inbound(&transport, "chat-1", "c1", "msg-1", "hello")
        .await;
    let dialog = got.body["dialog_id"].as_str().unwrap().to_owned();
    let message = got.body["message_id"].as_str().unwrap().to_owned();
    assert_eq!(app.reassign(&admin, &dialog, &m1_id).await.status, 200);
    assert_eq!(
        app.detail(&sup, &dialog, None).await.status,
        200,
        "sup sees it"
    );

    let react = |token: String| {
        let path = format!("/api/v1/dialogs/{dialog}/messages/{message}/reaction");
        let app = &app;
        async move {
            app.call("PUT", &path, Some(&token), Some(json!({"emoji": "👍"})))
                .await
        }
    };
    let r = react(sup.clone()).await;
    assert_eq!((r.status, r.code()), (403, "not_responsible"), "{r:?}");
    let typing = format!("/api/v1/dialogs/{dialog}/typing");
    let t = app.call("POST", &typing, Some(&sup), None).await;
    assert_eq!((t.status, t.code()), (403, "not_responsible"), "{t:?}");
    // The responsible still does both.
    assert_eq!(react(m1.clone()).await.status, 200);
    assert_eq!(app.call("POST", &typing, Some(&m1), None).await.status, 200);
}

#[tokio::test]
async fn finding_7_a_forged_host_with_a_matching_origin_is_refused() {
    let app = spawn_app().await;
    let r = app
        .client
        .get(app.url("/api/v1/me"))
        .header("host", "evil.example")
        .header("origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "origin_not_allowed", "{body}");
    assert!(body["detail"].as_str().unwrap().contains("public_url"));
    // The page's own origin, as an address, still passes.
    let own = app
        .client
        .get(app.url("/healthz"))
        .header("origin", app.base.as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 200);
}

#[tokio::test]
async fn finding_7_with_public_url_only_that_origin_is_chatds_own() {
    let app = spawn_app_with(tempfile::tempdir().unwrap(), |c| {
        c.public_url = Some("https://chat.shop.example/".into());
    })
    .await;
    let status = |origin: &'static str| {
        let app = &app;
        async move {
            app.client
                .get(app.url("/healthz"))
                .header("origin", origin)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(status("https://chat.shop.example").await, 200);
    let own = app.base.clone();
    let by_address = app
        .client
        .get(app.url("/healthz"))
        .header("origin", own)
        .send()
        .await
        .unwrap();
    assert_eq!(by_address.status(), 403);
}

#[tokio::test]
async fn managers_do_not_read_webhook_urls_and_files_are_sandboxed() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, m1) = app.user(&admin, "m1", "manager", &[]).await;
    let (_, transport, _) = app
        .channel_with_webhook(&admin, "custom", "http://127.0.0.1:9/hook?key=secret")
        .await;
    let list = |t: String| {
        let app = &app;
        async move {
            app.call("GET", "/api/v1/channels", Some(&t), None)
                .await
                .body
        }
    };
    assert!(list(admin.clone()).await["items"][0]["webhook_url"].is_string());
    assert!(list(m1.clone()).await["items"][0]["webhook_url"].is_null());

    let f = app
        .upload(
            &transport,
            true,
            "x.html",
            "text/html",
            b"<script>alert(1)</script>".to_vec(),
        )
        .await;
    let id = f.body["id"].as_str().unwrap().to_owned();
    let dialog = app
        .client
        .post(app.url("/api/transport/v1/messages"))
        .header("x-transport-token", &transport)
        .json(
            &json!({"external_chat_id": "c", "customer": {"external_id": "c", "name": "C"},
            "message": {"external_id": "m", "attachment_ids": [id]}}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(dialog.status(), 200);
    let r = app
        .client
        .get(app.url(&format!("/api/v1/files/{id}")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("sandbox"), "{csp}");
}
