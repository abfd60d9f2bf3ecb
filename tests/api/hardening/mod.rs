//! Issue 25: what an attacker holding an ordinary manager account found, each reproduced and
//! now refused (R3, R27, R32, R38). Numbers are the findings.

mod edge;
mod hostile;
mod mentions;
mod writes;

use chatd_tests::*;
use serde_json::{json, Value};

pub(super) async fn note(
    app: &TestApp,
    token: &str,
    dialog: &str,
    text: &str,
    mentions: Value,
) -> Answer {
    let path = format!("/api/v1/dialogs/{dialog}/notes");
    app.call(
        "POST",
        &path,
        Some(token),
        Some(json!({"text": text, "mentions": mentions})),
    )
    .await
}

/// A shop: an admin, a channel, managers `m1`, `m2`, `m3`.
pub(super) struct Shop {
    pub app: TestApp,
    pub admin: String,
    pub transport: String,
    pub m: Vec<(String, String)>,
}

pub(super) async fn shop() -> Shop {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    let mut m = Vec::new();
    for login in ["m1", "m2", "m3"] {
        m.push(app.user(&admin, login, "manager", &[]).await);
    }
    Shop {
        app,
        admin,
        transport,
        m,
    }
}
