//! R32: visibility is complete. Whatever is reached through a dialog (its customer, its files,
//! its frames, live or resumed) answers only what the caller may see now; everything else is
//! 404, whatever the verb. Each test reproduces a finding of issue 10 as an ordinary manager.

use chatd_tests::{spawn_app, Answer, TestApp};
use serde_json::{json, Value};

/// Frames about `dialog`, by type.
fn types_about(frames: &[Value], dialog: &str) -> Vec<String> {
    frames
        .iter()
        .filter(|f| f["data"]["dialog_id"] == dialog || f["data"]["dialog"]["id"] == dialog)
        .map(|f| f["type"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn is_message(text: &'static str) -> impl Fn(&Value) -> bool {
    move |f: &Value| f["type"] == "message_new" && f["data"]["message"]["text"] == text
}

async fn delete_dialog(app: &TestApp, admin: &str, dialog: &str) -> Answer {
    let a = app
        .call(
            "POST",
            "/api/v1/dialogs/delete",
            Some(admin),
            Some(json!({ "ids": [dialog] })),
        )
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(a.body["items"][0]["result"], "deleted", "{a:?}");
    a
}

async fn patch_user(app: &TestApp, admin: &str, user: &str, body: Value) {
    let a = app
        .call(
            "PATCH",
            &format!("/api/v1/users/{user}"),
            Some(admin),
            Some(body),
        )
        .await;
    assert_eq!(a.status, 200, "{a:?}");
}

/// Finding 1: `since=` replayed hidden dialogs, rendered from their current state, and deleted
/// dialogs with their text. Failed before R32: m2's backlog held m1's reply and the deleted text.
#[tokio::test]
async fn r32_resume_replays_nothing_of_a_dialog_reassigned_away_opened_for_others_or_deleted() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    let (m1, t1) = app.user(&admin, "m1", "manager", &[]).await;
    let (m2, t2) = app.user(&admin, "m2", "manager", &[]).await;
    let a = app.dialog(&transport, "a", "hello a").await;
    let c = app.dialog(&transport, "c", "hello c").await;
    let d = app.dialog(&transport, "d", "hello d").await;
    let mut since = String::new();
    for dialog in [&a, &c, &d] {
        let r = app.reassign(&admin, dialog, &m2).await;
        assert_eq!(r.status, 200, "{r:?}");
        since = r.position();
    }
    // While m2 is away: A is handed to m1, who answers; B opens and goes to m1; C is deleted.
    app.inbound(
        &transport,
        "a",
        "cust-a",
        "a-2",
        "secret: a, while m2 held it",
    )
    .await;
    assert_eq!(app.reassign(&t2, &a, &m1).await.status, 200);
    assert_eq!(
        app.send(&t1, &a, "secret: m1's reply in a").await.status,
        201
    );
    app.inbound(&transport, "a", "cust-a", "a-3", "secret: a, after")
        .await;
    let b = app.dialog(&transport, "b", "secret: b opened").await;
    assert_eq!(app.reassign(&admin, &b, &m1).await.status, 200);
    assert_eq!(
        app.send(&t1, &b, "secret: m1's reply in b").await.status,
        201
    );
    app.inbound(&transport, "c", "cust-c", "c-2", "secret: c, then deleted")
        .await;
    delete_dialog(&app, &admin, &c).await;
    let marker = app
        .inbound(&transport, "d", "cust-d", "d-2", "still yours")
        .await;
    assert_eq!(marker.status, 200);

    let mut w = app.ws(&t2, Some(&since)).await;
    let frames = w.until(is_message("still yours")).await;
    let all = serde_json::to_string(&frames).unwrap();
    assert!(!all.contains("secret"), "m2's backlog: {all}");
    assert_eq!(types_about(&frames, &a), ["dialog_removed"], "{all}");
    assert!(types_about(&frames, &b).is_empty(), "{all}");
    assert_eq!(types_about(&frames, &c), ["dialog_removed"], "{all}");
    assert!(types_about(&frames, &d).contains(&"message_new".to_owned()));
    w.close().await;

    // An admin sees every dialog, A and B included, but never a deleted one again.
    let mut w = app.ws(&admin, Some(&since)).await;
    let frames = w.until(is_message("still yours")).await;
    let all = serde_json::to_string(&frames).unwrap();
    assert!(all.contains("secret: m1's reply in a"), "{all}");
    assert!(!all.contains("secret: c, then deleted"), "{all}");
    assert_eq!(types_about(&frames, &c), ["dialog_removed"], "{all}");
    w.close().await;
    app.stop().await;
}

/// Finding 2: an open socket outlived deactivation, and reactivation revived the old token.
/// Failed before R32: the socket stayed open and kept receiving customer messages.
#[tokio::test]
async fn r32_deactivation_closes_open_sockets_and_revokes_tokens_for_good() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    let (m2, t2) = app.user(&admin, "m2", "manager", &[]).await;
    let first = app.dialog(&transport, "x", "hello").await;
    let w = app.ws(&t2, None).await;
    patch_user(&app, &admin, &m2, json!({"active": false})).await;
    app.inbound(&transport, "x", "cust-x", "x-2", "after deactivation")
        .await;
    let (frames, code) = w.closed_within(10).await;
    assert_eq!(code, Some(4401), "closed as session_ended: {frames:?}");
    assert!(!serde_json::to_string(&frames)
        .unwrap()
        .contains("after deactivation"));
    assert_eq!(
        app.call("GET", "/api/v1/me", Some(&t2), None).await.status,
        401
    );
    assert_eq!(app.ws_refused(&t2, Some("1")).await, Some(401));
    // Reactivated: the old token stays revoked; a new login works.
    patch_user(&app, &admin, &m2, json!({"active": true})).await;
    assert_eq!(
        app.call("GET", "/api/v1/me", Some(&t2), None).await.status,
        401
    );
    assert_eq!(app.ws_refused(&t2, None).await, Some(401));
    let fresh = app.login("m2", "password-123").await;
    let d = app.detail(&fresh, &first, None).await;
    assert_eq!(d.status, 200);
    app.stop().await;
}

/// A role change closes the socket too (what the user may see changed); logout ends it.
#[tokio::test]
async fn r32_a_role_change_or_logout_closes_the_users_sockets_with_the_reason() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (m3, t3) = app.user(&admin, "m3", "manager", &[]).await;
    let w = app.ws(&t3, None).await;
    patch_user(&app, &admin, &m3, json!({"role": "chat_admin"})).await;
    let (_, code) = w.closed_within(10).await;
    assert_eq!(code, Some(4403), "closed as access_changed");
    // The token itself still works: reconnecting sees what a chat admin sees.
    let w = app.ws(&t3, None).await;
    let out = app
        .call("POST", "/api/v1/auth/logout", Some(&t3), None)
        .await;
    assert_eq!(out.status, 200, "{out:?}");
    let (_, code) = w.closed_within(10).await;
    assert_eq!(code, Some(4401), "closed as session_ended");
    app.stop().await;
}

/// Finding 3: a manager reached a customer whose only dialog is a colleague's: the card,
/// block/unblock, tags, pin-customer onto their own dialog, and live `customer_updated`.
/// Failed before R32: every one of these answered 200.
#[tokio::test]
async fn r32_a_customer_is_reachable_only_through_a_dialog_the_manager_sees() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    let (m1, t1) = app.user(&admin, "m1", "manager", &[]).await;
    let (m2, t2) = app.user(&admin, "m2", "manager", &[]).await;
    let x = app.dialog(&transport, "x", "hello").await;
    let y = app.dialog(&transport, "y", "hello").await;
    assert_eq!(app.reassign(&admin, &x, &m1).await.status, 200);
    assert_eq!(app.reassign(&admin, &y, &m2).await.status, 200);
    let cx = app.customer_of(&admin, &x).await;
    let vip = app
        .call(
            "POST",
            "/api/v1/tags",
            Some(&admin),
            Some(json!({"name": "VIP", "color": "red"})),
        )
        .await;
    let vip = vip.body["id"].as_str().unwrap().to_owned();
    let tagged = app
        .call(
            "POST",
            &format!("/api/v1/customers/{cx}/tags"),
            Some(&admin),
            Some(json!({"tag_id": vip, "pinned": true})),
        )
        .await;
    assert_eq!(tagged.status, 200);
    let mut w1 = app.ws(&t1, None).await;
    let mut w2 = app.ws(&t2, None).await;

    let card = format!("/api/v1/customers/{cx}");
    assert_eq!(app.call("GET", &card, Some(&t1), None).await.status, 200);
    for (method, path, body) in [
        ("GET", card.clone(), None),
        ("POST", format!("{card}/block"), None),
        ("POST", format!("{card}/unblock"), None),
        (
            "POST",
            format!("{card}/tags"),
            Some(json!({"tag_id": vip, "pinned": false})),
        ),
        ("DELETE", format!("{card}/tags/{vip}"), None),
    ] {
        let a = app.call(method, &path, Some(&t2), body).await;
        assert_eq!(
            (a.status, a.code()),
            (404, "not_found"),
            "{method} {path}: {a:?}"
        );
    }
    // Pinning the customer onto m2's own dialog answers as for a customer that does not exist.
    let un = app
        .call(
            "POST",
            &format!("/api/v1/dialogs/{y}/unpin-customer"),
            Some(&t2),
            None,
        )
        .await;
    assert_eq!(un.status, 200, "{un:?}");
    let pin = app
        .call(
            "POST",
            &format!("/api/v1/dialogs/{y}/pin-customer"),
            Some(&t2),
            Some(json!({ "customer_id": cx })),
        )
        .await;
    assert_eq!(
        (pin.status, pin.code()),
        (422, "validation_failed"),
        "{pin:?}"
    );

    // Nothing changed: not blocked, still tagged, and the customer still writes in.
    let c = app.call("GET", &card, Some(&admin), None).await;
    assert_eq!(c.body["blocked"], false, "{c:?}");
    assert_eq!(c.body["tags"].as_array().map(Vec::len), Some(1), "{c:?}");
    let more = app
        .inbound(&transport, "x", "cust-x", "x-2", "still here")
        .await;
    assert_eq!(more.status, 200, "{more:?}");

    // Live: the admin untags the customer; m1 hears of it, m2 does not.
    let untag = app
        .call("DELETE", &format!("{card}/tags/{vip}"), Some(&admin), None)
        .await;
    assert_eq!(untag.status, 200);
    let f = w1.next_of(&["customer_updated"]).await;
    assert_eq!(f["data"]["customer"]["id"], cx.as_str());
    app.inbound(&transport, "y", "cust-y", "y-2", "marker for m2")
        .await;
    let frames = w2.until(is_message("marker for m2")).await;
    assert!(
        !frames
            .iter()
            .any(|f| f["type"] == "customer_updated" && f["data"]["customer"]["id"] == cx.as_str()),
        "{frames:?}"
    );
    w1.close().await;
    w2.close().await;
    app.stop().await;
}

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(32, 16, |x, y| image::Rgb([x as u8, y as u8, 9]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// Finding 5a: the uploader kept downloading a file after its dialog was taken away (R2 says
/// they lose its attachments). Failed before R32: 200.
#[tokio::test]
async fn r32_the_uploader_loses_a_file_with_the_dialog_it_was_sent_in() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    let (m1, t1) = app.user(&admin, "m1", "manager", &[]).await;
    let (m2, t2) = app.user(&admin, "m2", "manager", &[]).await;
    let dialog = app.dialog(&transport, "a", "hello").await;
    assert_eq!(app.reassign(&admin, &dialog, &m1).await.status, 200);
    let up = app
        .upload(&t1, false, "photo.png", "image/png", png())
        .await;
    assert_eq!(up.status, 201, "{up:?}");
    let file = up.body["id"].as_str().unwrap().to_owned();
    let get = |t: String, path: String| {
        let app = &app;
        async move { app.call("GET", &path, Some(&t), None).await.status }
    };
    let bytes = format!("/api/v1/files/{file}");
    let preview = format!("/api/v1/files/{file}/preview");
    // Unattached: its uploader only.
    assert_eq!(get(t1.clone(), bytes.clone()).await, 200);
    assert_eq!(get(t2.clone(), bytes.clone()).await, 404);
    let sent = app
        .call(
            "POST",
            &format!("/api/v1/dialogs/{dialog}/messages"),
            Some(&t1),
            Some(json!({"text": "", "attachment_ids": [file]})),
        )
        .await;
    assert_eq!(sent.status, 201, "{sent:?}");
    assert_eq!(get(t1.clone(), preview.clone()).await, 200);
    let moved = app.reassign(&admin, &dialog, &m2).await;
    assert_eq!(moved.status, 200);
    app.call(
        "GET",
        &format!("/api/v1/me?min_position={}", moved.position()),
        Some(&t1),
        None,
    )
    .await;
    assert_eq!(get(t1.clone(), bytes.clone()).await, 404);
    assert_eq!(get(t1.clone(), preview.clone()).await, 404);
    assert_eq!(get(t2.clone(), bytes.clone()).await, 200);
    app.stop().await;
}

/// Finding 5b–c: a write into an invisible dialog told that it exists (403), and a dialog
/// could be handed to an auditor. Failed before R32: 403 `not_responsible`, and 200.
#[tokio::test]
async fn r32_writes_into_an_unseen_dialog_are_404_and_an_auditor_is_never_responsible() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    let (m1, _) = app.user(&admin, "m1", "manager", &[]).await;
    let (_, t2) = app.user(&admin, "m2", "manager", &[]).await;
    let (auditor, _) = app.user(&admin, "aud", "auditor", &[]).await;
    let dialog = app.dialog(&transport, "a", "hello").await;
    assert_eq!(app.reassign(&admin, &dialog, &m1).await.status, 200);
    let w = app.send(&t2, &dialog, "let me in").await;
    assert_eq!((w.status, w.code()), (404, "not_found"), "{w:?}");
    let nobody = app.send(&t2, &uuid::Uuid::new_v4().to_string(), "hi").await;
    assert_eq!((nobody.status, nobody.code()), (404, "not_found"));
    let r = app.reassign(&admin, &dialog, &auditor).await;
    assert_eq!((r.status, r.code()), (422, "invalid_assignee"), "{r:?}");
    let d = app.detail(&admin, &dialog, None).await;
    assert_eq!(d.body["responsible"]["id"], m1.as_str());
    app.stop().await;
}

/// Finding 5e: authenticated JSON carried no `nosniff` and no `Cache-Control`. Failed before.
#[tokio::test]
async fn r32_answers_carry_nosniff_and_are_not_stored_by_caches() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    for (path, token) in [("/api/v1/me", Some(admin.as_str())), ("/api/v1/me", None)] {
        let mut req = app.client.get(app.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let r = req.send().await.unwrap();
        let h = |k: &str| {
            r.headers()
                .get(k)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        assert_eq!(
            h("x-content-type-options").as_deref(),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(h("cache-control").as_deref(), Some("no-store"), "{path}");
    }
    // File bytes keep their own caching (content-addressed, private) and get nosniff too.
    let up = app.upload(&admin, false, "p.png", "image/png", png()).await;
    let r = app
        .client
        .get(app.url(&format!(
            "/api/v1/files/{}",
            up.body["id"].as_str().unwrap()
        )))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert!(r.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("private"));
    app.stop().await;
}

/// Every route of the manager API that takes an id, walked as a manager who cannot see the
/// thing: 404, whatever the verb. Routes come from the OpenAPI document, so a new route must be
/// placed in this table (with a valid body) before it can land.
#[tokio::test]
async fn r32_every_route_with_an_id_answers_404_to_a_manager_who_cannot_see_the_thing() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    let (m1, t1) = app.user(&admin, "m1", "manager", &[]).await;
    let (m2, t2) = app.user(&admin, "m2", "manager", &[]).await;
    let (m3, t3) = app.user(&admin, "m3", "manager", &[]).await;
    let hidden = app.dialog(&transport, "hidden", "hello").await;
    let mine = app.dialog(&transport, "mine", "hello").await;
    assert_eq!(app.reassign(&admin, &hidden, &m1).await.status, 200);
    assert_eq!(app.reassign(&admin, &mine, &m2).await.status, 200);
    let customer = app.customer_of(&admin, &hidden).await;
    let up = app.upload(&t1, false, "p.png", "image/png", png()).await;
    let file = up.body["id"].as_str().unwrap().to_owned();
    let sent = app
        .call(
            "POST",
            &format!("/api/v1/dialogs/{hidden}/messages"),
            Some(&t1),
            Some(json!({"text": "with a file", "attachment_ids": [file]})),
        )
        .await;
    assert_eq!(sent.status, 201, "{sent:?}");
    let message = sent.body["id"].as_str().unwrap().to_owned();
    let note = app
        .call(
            "POST",
            &format!("/api/v1/dialogs/{hidden}/notes"),
            Some(&t1),
            Some(json!({"text": "for the team", "mentions": [m3]})),
        )
        .await;
    assert_eq!(note.status, 201, "{note:?}");
    let note = note.body["id"].as_str().unwrap().to_owned();
    let mention = app
        .call("GET", "/api/v1/mentions", Some(&t3), None)
        .await
        .body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let tag = app
        .call(
            "POST",
            "/api/v1/tags",
            Some(&admin),
            Some(json!({"name": "t", "color": "red"})),
        )
        .await;
    let tag = tag.body["id"].as_str().unwrap().to_owned();
    let reply = app
        .call(
            "POST",
            "/api/v1/quick-replies",
            Some(&t1),
            Some(json!({"name": "mine", "text": "m1's own words"})),
        )
        .await;
    assert_eq!(reply.status, 201, "{reply:?}");
    // Every read below sees everything written so far.
    let settled = app
        .call(
            "GET",
            &format!("/api/v1/dialogs?min_position={}", reply.position()),
            Some(&t2),
            None,
        )
        .await;
    assert_eq!(settled.status, 200);
    let reply = reply.body["id"].as_str().unwrap().to_owned();
    let mine_customer = app.customer_of(&admin, &mine).await;
    // R37: m1's scheduled message in the hidden dialog.
    let tomorrow = (time::OffsetDateTime::now_utc() + time::Duration::days(1))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let scheduled = app.schedule(&t1, &hidden, &tomorrow, "later").await;
    assert_eq!(scheduled.status, 201, "{scheduled:?}");
    let scheduled = scheduled.body["id"].as_str().unwrap().to_owned();

    let doc = app.get("/api/v1/openapi.json").await;
    let doc: Value = doc.json().await.expect("the OpenAPI document");
    let mut walked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        if !path.starts_with("/api/v1/") || !path.contains('{') {
            continue;
        }
        for method in item.as_object().unwrap().keys() {
            let method = method.to_uppercase();
            let (id, expected) = match path.split('/').nth(3).unwrap() {
                // Every manager reads a channel's templates (R26); an id that is no channel is
                // not found.
                "channels" if path.ends_with("/templates") => (&hidden, 404),
                "dialogs" => (&hidden, 404),
                "customers" => (&customer, 404),
                "files" => (&file, 404),
                "quick-replies" => (&reply, 404),
                // R27: someone else's mention.
                "mentions" => (&mention, 404),
                // Staff directory: every manager lists these; changing them is an admin's.
                "users" => (&m1, 403),
                "groups" | "channels" | "bots" => (&hidden, 403),
                // Every manager reads and uses the tag catalogue; renaming or deleting a tag
                // needs settings.manage (R39).
                "tags" => (&tag, 403),
                other => panic!("place {method} {path} ({other}) in this walk"),
            };
            let body = match (method.as_str(), path.as_str()) {
                ("POST", "/api/v1/dialogs/{id}/messages") => Some(json!({"text": "hi"})),
                ("POST", "/api/v1/dialogs/{id}/reassign") => {
                    Some(json!({"to": {"type": "user", "id": m2}}))
                }
                ("PUT", "/api/v1/dialogs/{id}/draft") => Some(json!({"text": "draft"})),
                ("POST", "/api/v1/dialogs/{id}/pin-customer") => {
                    Some(json!({ "customer_id": mine_customer }))
                }
                ("POST", "/api/v1/customers/{id}/erase") => Some(json!({"reason": "stolen"})),
                ("POST", "/api/v1/customers/{id}/tags") => {
                    Some(json!({"tag_id": tag, "pinned": false}))
                }
                ("PATCH", "/api/v1/quick-replies/{id}") => Some(json!({"name": "stolen"})),
                // R21–R23 on a message of the dialog.
                ("PATCH", "/api/v1/dialogs/{id}/messages/{message_id}") => {
                    Some(json!({"text": "stolen"}))
                }
                ("PUT", "/api/v1/dialogs/{id}/messages/{message_id}/reaction") => {
                    Some(json!({"emoji": "👍"}))
                }
                ("POST", "/api/v1/dialogs/{id}/notes") => Some(json!({"text": "psst"})),
                ("PATCH", "/api/v1/dialogs/{id}/notes/{note_id}") => {
                    Some(json!({"text": "stolen"}))
                }
                ("POST", "/api/v1/dialogs/{id}/snooze") => Some(json!({"until": tomorrow})),
                ("POST", "/api/v1/dialogs/{id}/scheduled") => {
                    Some(json!({"send_at": tomorrow, "text": "stolen"}))
                }
                ("PATCH", "/api/v1/dialogs/{id}/scheduled/{schedule_id}") => {
                    Some(json!({"text": "stolen"}))
                }
                ("PATCH", _) => Some(json!({"name": "renamed"})),
                _ => None,
            };
            let url = path
                .replace("{id}", id)
                .replace("{tag_id}", &tag)
                .replace("{message_id}", &message)
                .replace("{note_id}", &note)
                .replace("{schedule_id}", &scheduled);
            let a = app.call(&method, &url, Some(&t2), body).await;
            assert_eq!(a.status, expected, "{method} {path}: {a:?}");
            if expected == 404 {
                assert_eq!(a.code(), "not_found", "{method} {path}: {a:?}");
            }
            walked += 1;
        }
    }
    assert!(walked >= 25, "walked {walked} routes");
    // Nothing was changed by any of it.
    let d = app.detail(&t1, &hidden, None).await;
    assert_eq!(d.body["responsible"]["id"], m1.as_str());
    assert_eq!(d.body["status"], "open");
    assert_eq!(d.body["snoozed_until"], Value::Null, "not snoozed");
    let s = app
        .call(
            "GET",
            &format!("/api/v1/dialogs/{hidden}/scheduled"),
            Some(&t1),
            None,
        )
        .await;
    assert_eq!(s.body["items"].as_array().map(Vec::len), Some(1), "{s:?}");
    assert_eq!(s.body["items"][0]["status"], "pending");
    assert_eq!(s.body["items"][0]["text"], "later");
    assert_eq!(
        app.message_status(&t1, &hidden, &message).await,
        "queued",
        "the message is still there"
    );
    let t = app
        .call(
            "GET",
            &format!("/api/v1/dialogs/{hidden}/timeline"),
            Some(&t1),
            None,
        )
        .await;
    let m = app.timeline_message(&t1, &hidden, &message).await;
    assert_eq!(
        (m["text"].as_str(), m["reactions"].as_array().map(Vec::len)),
        (Some("with a file"), Some(0))
    );
    let n = &t.body["items"][0]["note"];
    assert_eq!(
        (n["text"].as_str(), n["deleted"].as_bool()),
        (Some("for the team"), Some(false))
    );
    assert_eq!(
        app.call("GET", "/api/v1/mentions", Some(&t3), None)
            .await
            .body["items"][0]["status"],
        "open"
    );
    app.stop().await;
}
