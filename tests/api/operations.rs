//! R28: running chatd for real. Probes and metrics, request ids, 405s, file names that always
//! download, and the session rules (last admin, logout, new passwords, idle expiry, throttled
//! logins). The binary's own parts (the data-directory lock, `chatd user`, readiness while
//! catching up) are in `crates/server/tests/cli.rs`.

use chatd_tests::{spawn_app, spawn_app_with, TestApp, ADMIN_PASSWORD};
use serde_json::json;

/// The value of one sample line of the Prometheus text (`name{labels} value`), 0 if absent.
fn sample(metrics: &str, series: &str) -> f64 {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or(0.0)
}

async fn scrape(app: &TestApp) -> String {
    let r = app.get("/metrics").await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    r.text().await.unwrap()
}

#[tokio::test]
async fn metrics_count_requests_by_route_template_and_status_and_name_every_area() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    app.inbound(&transport, "chat-1", "cust-1", "m1", "hello")
        .await;
    let ws = app.ws(&admin, None).await;
    let me = r#"chatd_http_requests_total{method="GET",route="/api/v1/me",status="200"}"#;
    let missing =
        r#"chatd_http_requests_total{method="GET",route="/api/v1/dialogs/{id}",status="404"}"#;
    let before = scrape(&app).await;
    for _ in 0..3 {
        assert_eq!(
            app.call("GET", "/api/v1/me", Some(&admin), None)
                .await
                .status,
            200
        );
    }
    let unknown = uuid::Uuid::new_v4();
    let a = app
        .call(
            "GET",
            &format!("/api/v1/dialogs/{unknown}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(a.status, 404);
    let after = scrape(&app).await;
    // Other tests share the process's recorder: at least ours were counted.
    assert!(sample(&after, me) - sample(&before, me) >= 3.0, "{after}");
    assert!(sample(&after, missing) - sample(&before, missing) >= 1.0);
    // The route template, never the raw path (which would grow the registry per id).
    assert!(!after.contains(&unknown.to_string()));
    for family in [
        "chatd_http_request_duration_seconds_bucket",
        "chatd_store_append_seconds_bucket",
        "chatd_store_commit_batch_size_bucket",
        "chatd_projection_lag_seconds",
        "chatd_projection_lag_events",
        "chatd_ws_connections",
        "chatd_ws_frames_sent_total",
        "chatd_inbound_messages_total{outcome=\"accepted\"}",
        "chatd_logins_total{outcome=\"ok\"}",
        "chatd_ready",
    ] {
        assert!(after.contains(family), "{family} missing from:\n{after}");
    }
    assert!(sample(&after, "chatd_ws_connections") >= 1.0);
    ws.close().await;
    app.stop().await;
}

#[tokio::test]
async fn readyz_answers_ready_once_caught_up_and_healthz_stays_the_liveness_probe() {
    let app = spawn_app().await;
    let r = app.get("/readyz").await;
    assert_eq!(r.status(), 200);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["status"], "ready");
    assert_eq!(app.get("/healthz").await.status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn a_known_path_with_the_wrong_method_is_405_with_allow() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let r = app
        .client
        .delete(app.url("/api/v1/users"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
    assert_eq!(r.headers()["allow"], "GET, POST");
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["code"], "method_not_allowed");
    let some_user = uuid::Uuid::new_v4();
    let r = app
        .client
        .get(app.url(&format!("/api/v1/users/{some_user}")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        (r.status().as_u16(), &r.headers()["allow"]),
        (405, &"PATCH".parse().unwrap())
    );
    // An unknown path stays 404.
    let r = app
        .client
        .delete(app.url("/api/v1/nothing"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    app.stop().await;
}

#[tokio::test]
async fn every_answer_carries_a_request_id_the_clients_own_when_it_sent_one() {
    let app = spawn_app().await;
    let mine = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "trace-42")
        .send()
        .await
        .unwrap();
    assert_eq!(mine.headers()["x-request-id"], "trace-42");
    let mut seen = std::collections::HashSet::new();
    for path in ["/healthz", "/api/v1/me", "/no/such/path"] {
        let r = app.get(path).await;
        let id = r.headers()["x-request-id"].to_str().unwrap().to_owned();
        assert!(uuid::Uuid::parse_str(&id).is_ok(), "{path}: {id}");
        assert!(seen.insert(id), "ids are fresh per request");
    }
    app.stop().await;
}

/// Percent-decode an RFC 8187 `filename*=UTF-8''…` value.
fn rfc8187(v: &str) -> String {
    let raw = v.strip_prefix("UTF-8''").expect("UTF-8 extended value");
    let mut bytes = Vec::new();
    let mut it = raw.bytes();
    while let Some(b) = it.next() {
        if b == b'%' {
            let hex: String = [it.next().unwrap(), it.next().unwrap()]
                .iter()
                .map(|c| *c as char)
                .collect();
            bytes.push(u8::from_str_radix(&hex, 16).unwrap());
        } else {
            bytes.push(b);
        }
    }
    String::from_utf8(bytes).unwrap()
}

/// The name a download's `Content-Disposition` gives: `filename*` when present, else `filename`.
fn disposition_name(header: &str) -> String {
    let params: Vec<(&str, &str)> = header
        .split(';')
        .skip(1)
        .filter_map(|p| p.trim().split_once('='))
        .collect();
    if let Some((_, v)) = params.iter().find(|(k, _)| *k == "filename*") {
        return rfc8187(v);
    }
    let (_, v) = params.iter().find(|(k, _)| *k == "filename").unwrap();
    v.trim_matches('"').to_owned()
}

/// Names a client could send: control characters, separators, quotes, bidi overrides, any
/// Unicode, and long ones. Deterministic (proptest's fixed-seed runner).
fn odd_names(n: usize) -> Vec<String> {
    use proptest::strategy::{Strategy, ValueTree};
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = proptest::prop_oneof![
        "\\PC{0,40}",
        "[\\x00-\\x1f\\x7f\"\\\\/;%\u{202e} a-zé]{0,30}",
        ".{250,300}",
    ];
    let mut names: Vec<String> = (0..n)
        .map(|_| strategy.new_tree(&mut runner).unwrap().current())
        .collect();
    names.extend(
        [
            "a\u{1}b.png",
            "line\nbreak.txt",
            "",
            "\"quoted\".pdf",
            "фото.jpg",
        ]
        .map(String::from),
    );
    names
}

#[tokio::test]
async fn any_uploaded_name_can_be_downloaded_again_under_its_cleaned_name() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    for raw in odd_names(40) {
        let r = app
            .client
            .post(app.url("/api/v1/files"))
            .query(&[("name", raw.as_str())])
            .bearer_auth(&admin)
            .header("content-type", "text/plain")
            .body("some bytes")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "upload {raw:?}");
        let up: serde_json::Value = r.json().await.unwrap();
        let kept = up["name"].as_str().unwrap().to_owned();
        assert_eq!(kept, chatd_domain::file::clean_name(&raw), "{raw:?}");
        assert!(
            !kept.chars().any(char::is_control),
            "{raw:?} kept as {kept:?}"
        );
        let d = app
            .client
            .get(app.url(&format!("/api/v1/files/{}", up["id"].as_str().unwrap())))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap();
        assert_eq!(d.status(), 200, "download of {raw:?}");
        let header = d.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(header.starts_with("attachment"), "{header}");
        assert_eq!(disposition_name(&header), kept, "{header}");
        assert_eq!(d.text().await.unwrap(), "some bytes");
    }
    app.stop().await;
}

async fn patch_user(
    app: &TestApp,
    token: &str,
    id: &str,
    body: serde_json::Value,
) -> chatd_tests::Answer {
    app.call(
        "PATCH",
        &format!("/api/v1/users/{id}"),
        Some(token),
        Some(body),
    )
    .await
}

#[tokio::test]
async fn the_last_active_admin_cannot_be_deactivated_or_demoted() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let me = app.call("GET", "/api/v1/me", Some(&admin), None).await;
    let admin_id = me.body["user"]["id"].as_str().unwrap().to_owned();
    for change in [json!({"active": false}), json!({"role": "manager"})] {
        let a = patch_user(&app, &admin, &admin_id, change).await;
        assert_eq!((a.status, a.code()), (409, "last_admin"), "{a:?}");
    }
    // Still an admin, still logged in.
    assert_eq!(
        app.call("GET", "/api/v1/users", Some(&admin), None)
            .await
            .status,
        200
    );
    // With a second admin, the first may step down; then the second is the last.
    let (second_id, second) = app.user(&admin, "second", "admin", &[]).await;
    let a = patch_user(&app, &admin, &admin_id, json!({"role": "manager"})).await;
    assert_eq!(a.status, 200, "{a:?}");
    let a = patch_user(&app, &second, &second_id, json!({"active": false})).await;
    assert_eq!((a.status, a.code()), (409, "last_admin"));
    app.stop().await;
}

#[tokio::test]
async fn a_new_password_ends_the_users_sessions_and_closes_their_sockets() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (id, manager) = app.user(&admin, "m1", "manager", &[]).await;
    let ws = app.ws(&manager, None).await;
    let a = patch_user(&app, &admin, &id, json!({"password": "another-password"})).await;
    assert_eq!(a.status, 200);
    let after = app.call("GET", "/api/v1/me", Some(&manager), None).await;
    assert_eq!(after.status, 401);
    let (_, code) = ws.closed_within(10).await;
    assert_eq!(code, Some(4401), "session_ended");
    // The new password works; the admin's own session is untouched.
    app.login("m1", "another-password").await;
    assert_eq!(
        app.call("GET", "/api/v1/me", Some(&admin), None)
            .await
            .status,
        200
    );
    app.stop().await;
}

#[tokio::test]
async fn a_session_expires_after_its_idle_time_but_not_while_used() {
    let dir = tempfile::tempdir().unwrap();
    let app = spawn_app_with(dir, |c| c.session_idle = time::Duration::seconds(3)).await;
    let token = app.admin().await;
    // Used every half second for longer than the idle time: still valid.
    for _ in 0..10 {
        assert_eq!(
            app.call("GET", "/api/v1/me", Some(&token), None)
                .await
                .status,
            200
        );
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    tokio::time::sleep(std::time::Duration::from_secs(4)).await;
    let a = app.call("GET", "/api/v1/me", Some(&token), None).await;
    assert_eq!((a.status, a.code()), (401, "unauthorized"));
    app.stop().await;
}

async fn log_in_from(app: &TestApp, from: &str, login: &str, password: &str) -> reqwest::Response {
    let client = reqwest::Client::builder()
        .local_address(from.parse::<std::net::IpAddr>().unwrap())
        .build()
        .unwrap();
    client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"login": login, "password": password}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn repeated_failed_logins_are_throttled_without_locking_the_real_user_out() {
    let app = spawn_app().await;
    // Five wrong passwords are only wrong; the sixth closes this login from this address.
    for _ in 0..5 {
        let r = log_in_from(&app, "127.0.0.2", "admin", "guess").await;
        assert_eq!(r.status(), 401);
    }
    let r = log_in_from(&app, "127.0.0.2", "admin", "guess").await;
    assert_eq!(r.status(), 401);
    let r = log_in_from(&app, "127.0.0.2", "admin", ADMIN_PASSWORD).await;
    assert_eq!(r.status(), 429, "closed, even for the right password");
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait >= 1);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["code"], "too_many_attempts");
    // The real admin, from another address, is not locked out.
    let r = log_in_from(&app, "127.0.0.1", "admin", ADMIN_PASSWORD).await;
    assert_eq!(r.status(), 200);
    // Unknown logins are throttled alike (nothing tells them apart).
    for _ in 0..6 {
        log_in_from(&app, "127.0.0.2", "nobody", "guess").await;
    }
    let r = log_in_from(&app, "127.0.0.2", "nobody", "guess").await;
    assert_eq!(r.status(), 429);
    // After the wait, the right password works from the throttled address too.
    tokio::time::sleep(std::time::Duration::from_secs(wait)).await;
    let r = log_in_from(&app, "127.0.0.2", "admin", ADMIN_PASSWORD).await;
    assert_eq!(r.status(), 200);
    app.stop().await;
}
