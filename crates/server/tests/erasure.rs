//! R35 end to end: a customer with two dialogs, an image, a quote, a note, an edit, a reaction,
//! a template message and a refused message while blocked is exported, then erased by an
//! admin. Afterwards no byte of their name, contact or texts is anywhere in the data directory
//! (the SQLite file and its WAL, the read-model snapshot, the key table, the file store), in any
//! API answer, the feed or `chatd audit export`; `chatd audit verify` passes with a checkpoint
//! kept before the erasure; a colleague's dialog with another customer is untouched; the same
//! contact writing again is a fresh customer; and a replay rebuilds the same erased views.

mod support;

use chatd_tests::receiver::Receiver;
use chatd_tests::{eventually, spawn_app_in, Answer, TestApp};
use serde_json::{json, Value};
use std::path::Path;

const NAME: &str = "Ivanka Zelenova-Quist";
const PHONE: &str = "+15550009876";
const EMAIL: &str = "ivanka.quist@example.org";
const AVATAR: &str = "https://cdn.example/ivanka-avatar-ocelot.jpg";
const CONTACT: &str = "wa-contact-marzipan-77";
const CHAT1: &str = "wa-chat-pelican-first";
const CHAT2: &str = "wa-chat-pelican-second";
const IMAGE: &str = "passport-marmoset.png";

/// Every string of the customer's that must be gone, as bytes to look for.
const SECRETS: &[&str] = &[
    "Ivanka",
    "Zelenova",
    PHONE,
    EMAIL,
    "ocelot",
    CONTACT,
    "pelican",
    "marmoset",
    "xylophone",
    "quasar",
    "zeppelin",
    "kumquat",
    "walrus",
    "fjord",
    "glacier",
];

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(40, 30, |x, y| image::Rgb([x as u8, y as u8, 7]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// The secrets found in `text`.
fn leaks(text: &str) -> Vec<&'static str> {
    SECRETS
        .iter()
        .copied()
        .filter(|s| text.contains(s))
        .collect()
}

fn assert_clean(what: &str, v: &Value) {
    let text = v.to_string();
    assert!(
        leaks(&text).is_empty(),
        "{what} leaks {:?}: {text}",
        leaks(&text)
    );
}

/// Every file under `dir` whose bytes hold a secret.
fn holds(bytes: &[u8], s: &str) -> bool {
    bytes.windows(s.len()).any(|w| w == s.as_bytes())
}

fn leaking_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_owned()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
                continue;
            }
            let bytes = std::fs::read(&path).unwrap_or_default();
            for s in SECRETS {
                if holds(&bytes, s) {
                    out.push(format!("{} holds {s}", path.display()));
                }
            }
        }
    }
    out
}

async fn customer_says(app: &TestApp, transport: &str, chat: &str, id: &str, text: &str) -> Answer {
    app.transport(
        transport,
        "/messages",
        json!({"external_chat_id": chat,
               "customer": {"external_id": CONTACT, "name": NAME, "phone": PHONE, "email": EMAIL, "avatar_url": AVATAR},
               "message": {"external_id": id, "text": text}}),
    )
    .await
}

async fn publish_template(app: &TestApp, transport: &str) {
    let r = app
        .client
        .put(app.url("/api/transport/v1/templates"))
        .header("x-transport-token", transport)
        .json(
            &json!({"templates": [{"code": "order_ready", "name": "Order ready", "language": "en",
            "body": "Hello {{1}}, your order {{2}} is ready.", "status": "approved"}]}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
}

/// What the API shows of the customer's world, for comparing before and after a replay.
async fn views(app: &TestApp, admin: &str, customer: &str, dialogs: &[&str]) -> Value {
    let card = app
        .call(
            "GET",
            &format!("/api/v1/customers/{customer}"),
            Some(admin),
            None,
        )
        .await;
    let mut timelines = Vec::new();
    for d in dialogs {
        timelines.push(json!(app.timeline(admin, d).await));
    }
    let list = app
        .call("GET", "/api/v1/dialogs?status=all", Some(admin), None)
        .await;
    let mut list = list.body["items"].clone();
    // Unread counts and waiting levels move with the clock and reads; the rows' words do not.
    for row in list.as_array_mut().unwrap() {
        row.as_object_mut().unwrap().retain(|k, _| {
            ["id", "customer", "last_message", "status", "channel"].contains(&k.as_str())
        });
    }
    json!({"card": card.body, "timelines": timelines, "list": list})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn r35_an_erased_customer_leaves_no_byte_behind_and_the_audit_still_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_owned();
    let app = spawn_app_in(dir).await;
    let admin = app.admin().await;
    let receiver = Receiver::start(&[]).await;
    let (_, transport, _) = app
        .channel_with_webhook(&admin, "whatsapp_business", &receiver.url)
        .await;
    publish_template(&app, &transport).await;
    let (manager_id, manager) = app.user(&admin, "mia", "manager", &[]).await;
    let (_, auditor) = app.user(&admin, "otto", "auditor", &[]).await;

    // A colleague's dialog with another customer, which must stay as it is.
    let bob = app
        .dialog(&transport, "bob-chat", "Bob asks about lamps")
        .await;

    // The customer: a message with an image, in two dialogs.
    let up = app
        .upload(&transport, true, IMAGE, "image/png", png())
        .await;
    assert_eq!(up.status, 201, "{up:?}");
    let first = app
        .transport(
            &transport,
            "/messages",
            json!({"external_chat_id": CHAT1,
                   "customer": {"external_id": CONTACT, "name": NAME, "phone": PHONE, "email": EMAIL, "avatar_url": AVATAR},
                   "message": {"external_id": "m1", "text": "my parcel xylophone", "attachment_ids": [up.body["id"]]}}),
        )
        .await;
    assert_eq!(first.status, 200, "{first:?}");
    let d1 = first.body["dialog_id"].as_str().unwrap().to_owned();
    let m1 = first.body["message_id"].as_str().unwrap().to_owned();
    let second = customer_says(&app, &transport, CHAT2, "m2", "second fjord question").await;
    let d2 = second.body["dialog_id"].as_str().unwrap().to_owned();
    let customer = app.customer_of(&admin, &d1).await;
    assert_eq!(app.reassign(&admin, &d1, &manager_id).await.status, 200);

    // A quote, an edit, a reaction, a note and a template message.
    let send = |body: Value| {
        let path = format!("/api/v1/dialogs/{d1}/messages");
        let manager = manager.clone();
        let app = &app;
        async move { app.call("POST", &path, Some(&manager), Some(body)).await }
    };
    let reply = send(json!({"text": "we quasar it", "quote_message_id": m1})).await;
    assert_eq!(reply.status, 201, "{reply:?}");
    let reply_id = reply.body["id"].as_str().unwrap().to_owned();
    let edit = app
        .call(
            "PATCH",
            &format!("/api/v1/dialogs/{d1}/messages/{reply_id}"),
            Some(&manager),
            Some(json!({"text": "edited kumquat answer"})),
        )
        .await;
    assert_eq!(edit.status, 200, "{edit:?}");
    let react = app
        .call(
            "PUT",
            &format!("/api/v1/dialogs/{d1}/messages/{m1}/reaction"),
            Some(&manager),
            Some(json!({"emoji": "👍"})),
        )
        .await;
    assert_eq!(react.status, 200, "{react:?}");
    let note = app
        .call(
            "POST",
            &format!("/api/v1/dialogs/{d1}/notes"),
            Some(&manager),
            Some(json!({"text": "note zeppelin about her"})),
        )
        .await;
    assert_eq!(note.status, 201, "{note:?}");
    let template =
        send(json!({"template": {"code": "order_ready", "params": ["Ivanka", "#walrus-9"]}})).await;
    assert_eq!(template.status, 201, "{template:?}");

    // Blocked, she writes again: refused, and kept for the audit trail.
    let block = app
        .call(
            "POST",
            &format!("/api/v1/customers/{customer}/block"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(block.status, 200);
    let refused = customer_says(&app, &transport, CHAT1, "m3", "refused glacier words").await;
    assert_eq!(refused.status, 403, "{refused:?}");
    receiver.wait_for(2).await;

    // Before: the secrets are sealed in the store (never in clear) but readable through the API.
    let before = views(&app, &admin, &customer, &[&d1, &d2]).await;
    assert!(before.to_string().contains(NAME) && before.to_string().contains("kumquat"));
    let bob_before = app.timeline(&admin, &bob).await;

    // Art. 15: the export holds everything.
    let export = app
        .call(
            "GET",
            &format!("/api/v1/customers/{customer}/export"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(export.status, 200, "{export:?}");
    let text = export.body.to_string();
    for s in SECRETS {
        assert!(text.contains(s), "the export holds {s}");
    }
    assert_eq!(export.body["dialogs"].as_array().unwrap().len(), 2);
    assert_eq!(export.body["files"][0]["name"], IMAGE);
    let file_url = export.body["files"][0]["url"].as_str().unwrap().to_owned();
    assert_eq!(status_of(&app, &admin, &file_url).await, 200);

    // An auditor keeps a checkpoint of the log before the erasure.
    let (code, checkpoint, err) = support::chatd_in(&["audit", "checkpoint"], &data);
    assert_eq!(code, Some(0), "{err}");
    let kept = tempfile::tempdir().unwrap();
    let checkpoint_file = kept.path().join("checkpoint.json");
    std::fs::write(&checkpoint_file, checkpoint).unwrap();

    // A snapshot written before the erasure holds her in clear; the erasure rewrites it.
    let app = restart(app).await;
    let snapshot = std::fs::read(data.join("readmodels.snapshot")).unwrap();
    assert!(holds(&snapshot, NAME), "the snapshot before the erasure");
    // At rest, only the snapshot holds her in clear: the log and the file store do not.
    let at_rest = leaking_files(&data);
    assert!(
        at_rest.iter().all(|l| l.contains("readmodels.snapshot")),
        "{at_rest:#?}"
    );

    // Refusals: a manager who sees her dialog, an auditor, an unknown id.
    let erase = |token: String, id: String| {
        let app = &app;
        async move {
            app.call(
                "POST",
                &format!("/api/v1/customers/{id}/erase"),
                Some(&token),
                Some(json!({"reason": "GDPR Art. 17 request #2041"})),
            )
            .await
        }
    };
    assert_eq!(erase(manager.clone(), customer.clone()).await.status, 403);
    assert!([403, 404].contains(&erase(auditor.clone(), customer.clone()).await.status));
    let unknown = erase(admin.clone(), uuid::Uuid::new_v4().to_string()).await;
    assert_eq!((unknown.status, unknown.code()), (404, "not_found"));
    let empty = app
        .call(
            "POST",
            &format!("/api/v1/customers/{customer}/erase"),
            Some(&admin),
            Some(json!({"reason": " "})),
        )
        .await;
    assert_eq!(empty.status, 422, "{empty:?}");
    let exported = app
        .call(
            "GET",
            &format!("/api/v1/customers/{customer}/export"),
            Some(&manager),
            None,
        )
        .await;
    assert_eq!(exported.status, 403);

    // The erasure, watched by an admin's socket.
    let mut ws = app.ws(&admin, None).await;
    let done = erase(admin.clone(), customer.clone()).await;
    assert_eq!(done.status, 200, "{done:?}");
    assert_eq!(done.body["changed"], true);
    assert_eq!(done.body["files_deleted"], 1);
    let frame = ws.next_of(&["customer_updated"]).await;
    assert_eq!(frame["data"]["customer"]["erased"], true, "{frame}");
    assert_clean("the feed's frame", &frame);
    // The snapshot written before the erasure is rewritten by it (no restart needed).
    let snapshot_file = data.join("readmodels.snapshot");
    eventually(|| async {
        let now = std::fs::read(&snapshot_file).unwrap_or_default();
        !now.is_empty() && !holds(&now, NAME) && holds(&now, "[erased]")
    })
    .await;
    let again = erase(admin.clone(), customer.clone()).await;
    assert_eq!(
        (again.status, again.body["changed"].clone()),
        (200, json!(false))
    );

    // Webhooks are told, once per dialog, with no personal data.
    eventually(|| async {
        receiver
            .hits()
            .iter()
            .filter(|h| h.json()["type"] == "customer_erased")
            .count()
            == 2
    })
    .await;
    for h in receiver
        .hits()
        .iter()
        .filter(|h| h.json()["type"] == "customer_erased")
    {
        assert_clean("the customer_erased webhook", &h.json());
    }

    // Every answer shows the placeholder.
    let after = views(&app, &admin, &customer, &[&d1, &d2]).await;
    assert_clean("the API after the erasure", &after);
    assert_eq!(after["card"]["name"], "[erased]");
    assert_eq!(after["card"]["erased"], true);
    assert!(after["card"]["phone"].is_null());
    assert!(after.to_string().contains("[erased]"));
    let search = app
        .call(
            "GET",
            "/api/v1/dialogs?status=all&q=Ivanka",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(search.body["items"], json!([]), "{search:?}");
    for d in [&d1, &d2] {
        assert_clean("the audit API", &json!(app.dialog_events(&admin, d).await));
    }
    let log = app
        .call("GET", "/api/audit/v1/events?limit=1000", Some(&admin), None)
        .await;
    assert_clean("the audit log", &log.body);
    let export = app
        .call(
            "GET",
            &format!("/api/v1/customers/{customer}/export"),
            Some(&admin),
            None,
        )
        .await;
    assert_clean("the export after", &export.body);
    assert_eq!(
        status_of(&app, &admin, &file_url).await,
        404,
        "the file is gone"
    );
    assert_eq!(
        app.timeline(&admin, &bob).await,
        bob_before,
        "Bob's dialog untouched"
    );
    // Nothing more is written about her (a note is refused for a block alone).
    let path = format!("/api/v1/dialogs/{d1}/notes");
    let late = app
        .call(
            "POST",
            &path,
            Some(&admin),
            Some(json!({"text": "anyone?"})),
        )
        .await;
    assert_eq!(
        (late.status, late.code()),
        (409, "customer_erased"),
        "{late:?}"
    );

    // The same contact writing again is a fresh customer in a fresh dialog.
    let fresh = customer_says(&app, &transport, CHAT1, "m4", "hello again").await;
    assert_eq!(fresh.status, 200, "{fresh:?}");
    let d3 = fresh.body["dialog_id"].as_str().unwrap().to_owned();
    assert_ne!(d3, d1);
    let fresh_customer = app.customer_of(&admin, &d3).await;
    assert_ne!(fresh_customer, customer);
    let card = app
        .call(
            "GET",
            &format!("/api/v1/customers/{fresh_customer}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(
        (card.body["name"].as_str(), card.body["erased"].as_bool()),
        (Some(NAME), Some(false))
    );
    // ...who is erased too, so that the data directory can be searched for every secret.
    assert_eq!(
        erase(admin.clone(), fresh_customer.clone()).await.status,
        200
    );

    // The data directory: the SQLite file, its WAL, the snapshot, the keys, the file store.
    let app = restart(app).await;
    // R36 after R35: the reports are rebuilt from the log past the erased customer's sealed
    // events, so they answer again (503 until then).
    let summary = "/api/v1/reports/summary?from=2020-01-01&to=2020-01-02";
    eventually(|| async { status_of(&app, &admin, summary).await == 200 }).await;
    let dir_leaks = leaking_files(&data);
    assert!(dir_leaks.is_empty(), "{dir_leaks:#?}");
    let (code, out, err) = support::chatd_in(&["audit", "export", "--dialog", &d1], &data);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        leaks(&out).is_empty(),
        "chatd audit export leaks {:?}",
        leaks(&out)
    );
    assert!(out.contains("[erased]"));

    // A replay (no snapshot) rebuilds the same erased views.
    let live = views(&app, &admin, &customer, &[&d1, &d2]).await;
    let dir = app.stop().await;
    std::fs::remove_file(data.join("readmodels.snapshot")).unwrap();
    let app = spawn_app_in(dir).await;
    assert_eq!(app.restored_from(), None, "rebuilt from the log");
    assert_eq!(views(&app, &admin, &customer, &[&d1, &d2]).await, live);
    let dir = app.stop().await;

    // The chains cover the sealed bytes: the log verifies, and extends the kept checkpoint.
    let (code, out, err) = support::chatd_in(&["audit", "verify"], dir.path());
    assert_eq!(code, Some(0), "{out}{err}");
    let (code, out, err) = support::chatd_in(
        &[
            "audit",
            "verify",
            "--checkpoint",
            &checkpoint_file.display().to_string(),
        ],
        dir.path(),
    );
    assert_eq!(code, Some(0), "{out}{err}");
    let (code, out, err) = support::chatd_in(&["replay"], dir.path());
    assert_eq!(code, Some(0), "{out}{err}");
    receiver.stop().await;
}

/// Stop gracefully (writing the snapshot) and start again on the same data directory.
async fn restart(app: TestApp) -> TestApp {
    let dir = app.stop().await;
    spawn_app_in(dir).await
}

/// The status of a GET of `path` as `token`.
async fn status_of(app: &TestApp, token: &str, path: &str) -> u16 {
    app.client
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}
