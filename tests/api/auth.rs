//! SPEC §3 and §6: the bootstrap admin, login, tokens, roles.

use chatd_tests::{spawn_app, ADMIN_PASSWORD};
use serde_json::json;

#[tokio::test]
async fn the_bootstrap_admin_logs_in_and_sees_itself() {
    let app = spawn_app().await;
    let token = app.admin().await;
    let me = app.call("GET", "/api/v1/me", Some(&token), None).await;
    assert_eq!(me.status, 200, "{me:?}");
    assert_eq!(me.body["user"]["login"], "admin");
    assert_eq!(me.body["user"]["role"], "admin");
    assert_eq!(
        me.body["user"]["rights"].as_array().unwrap().len(),
        4,
        "admin holds every right"
    );
    assert_eq!(me.body["unread_dialogs"], 0);
    app.stop().await;
}

#[tokio::test]
async fn wrong_passwords_missing_and_forged_tokens_are_refused() {
    let app = spawn_app().await;
    let bad = app.login_attempt("admin", "nope").await;
    assert_eq!((bad.status, bad.code()), (401, "invalid_credentials"));
    let nobody = app.login_attempt("ghost", ADMIN_PASSWORD).await;
    assert_eq!((nobody.status, nobody.code()), (401, "invalid_credentials"));
    let missing = app.call("GET", "/api/v1/dialogs", None, None).await;
    assert_eq!((missing.status, missing.code()), (401, "unauthorized"));
    assert_eq!(missing.content_type, "application/problem+json");
    let forged = app
        .call("GET", "/api/v1/dialogs", Some("0123456789abcdef"), None)
        .await;
    assert_eq!((forged.status, forged.code()), (401, "unauthorized"));
    app.stop().await;
}

#[tokio::test]
async fn logout_revokes_the_token() {
    let app = spawn_app().await;
    let token = app.admin().await;
    let out = app
        .call("POST", "/api/v1/auth/logout", Some(&token), None)
        .await;
    assert_eq!(out.status, 200);
    let after = app.call("GET", "/api/v1/me", Some(&token), None).await;
    assert_eq!(after.status, 401);
    app.stop().await;
}

#[tokio::test]
async fn only_the_admin_manages_users_and_auditors_cannot_use_the_manager_api() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, manager) = app.user(&admin, "maria", "manager", &[]).await;
    let denied = app
        .call(
            "POST",
            "/api/v1/users",
            Some(&manager),
            Some(json!({"login": "x", "name": "X", "password": "password-123", "role": "admin"})),
        )
        .await;
    assert_eq!((denied.status, denied.code()), (403, "forbidden"));
    let dup = app
        .call(
            "POST",
            "/api/v1/users",
            Some(&admin),
            Some(json!({"login": "maria", "name": "Again", "password": "password-123", "role": "manager"})),
        )
        .await;
    assert_eq!((dup.status, dup.code()), (409, "already_exists"));
    let (_, auditor) = app.user(&admin, "audrey", "auditor", &[]).await;
    let me = app.call("GET", "/api/v1/me", Some(&auditor), None).await;
    assert_eq!(me.status, 200);
    let list = app
        .call("GET", "/api/v1/dialogs", Some(&auditor), None)
        .await;
    assert_eq!((list.status, list.code()), (403, "forbidden"));
    app.stop().await;
}

#[tokio::test]
async fn a_deactivated_user_can_no_longer_log_in_or_use_a_token() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (id, token) = app.user(&admin, "leaver", "manager", &[]).await;
    let off = app
        .call(
            "PATCH",
            &format!("/api/v1/users/{id}"),
            Some(&admin),
            Some(json!({"active": false})),
        )
        .await;
    assert_eq!(off.status, 200, "{off:?}");
    assert_eq!(off.body["active"], false);
    assert_eq!(
        app.call("GET", "/api/v1/me", Some(&token), None)
            .await
            .status,
        401
    );
    let again = app.login_attempt("leaver", "password-123").await;
    assert_eq!(again.status, 401);
    app.stop().await;
}

#[tokio::test]
async fn users_set_their_own_work_status() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (id, token) = app.user(&admin, "worker", "manager", &[]).await;
    let a = app
        .call(
            "PATCH",
            &format!("/api/v1/users/{id}"),
            Some(&token),
            Some(json!({"work_status": "lunch"})),
        )
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(a.body["work_status"], "lunch");
    let role = app
        .call(
            "PATCH",
            &format!("/api/v1/users/{id}"),
            Some(&token),
            Some(json!({"role": "admin"})),
        )
        .await;
    assert_eq!(role.status, 403, "a manager cannot promote themselves");
    app.stop().await;
}
