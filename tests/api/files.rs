//! Files and attachments (R7): uploads on both APIs, sniffing and previews, per-channel size
//! limits when a file is sent, the dialog's attachments, re-sending, and download visibility.

use chatd_tests::{spawn_app, TestApp};
use serde_json::json;

const MB: usize = 1024 * 1024;

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([x as u8, y as u8, 99]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// `size` bytes that sniff as a PNG image (the signature, then padding).
fn big_image(size: usize) -> Vec<u8> {
    let mut bytes = png(2, 2);
    bytes.resize(size, 0);
    bytes
}

async fn send(
    app: &TestApp,
    token: &str,
    dialog: &str,
    body: serde_json::Value,
) -> chatd_tests::Answer {
    app.call(
        "POST",
        &format!("/api/v1/dialogs/{dialog}/messages"),
        Some(token),
        Some(body),
    )
    .await
}

#[tokio::test]
async fn r7_a_9mb_image_is_refused_on_facebook_naming_the_limit_and_passes_on_telegram() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, fb) = app.channel(&admin, "facebook").await;
    let (_, tg) = app.channel(&admin, "telegram").await;
    let fb_dialog = app.dialog(&fb, "fb-1", "hi").await;
    let tg_dialog = app.dialog(&tg, "tg-1", "hi").await;
    let up = app
        .upload(
            &admin,
            false,
            "photo.png",
            "application/octet-stream",
            big_image(9 * MB),
        )
        .await;
    assert_eq!(up.status, 201, "{up:?}");
    assert_eq!(
        (up.body["kind"].as_str(), up.body["mime"].as_str()),
        (Some("image"), Some("image/png"))
    );
    let file = up.body["id"].as_str().unwrap();

    let refused = send(
        &app,
        &admin,
        &fb_dialog,
        json!({"text": "", "attachment_ids": [file]}),
    )
    .await;
    assert_eq!(
        (refused.status, refused.code()),
        (413, "attachment_too_large"),
        "{refused:?}"
    );
    let detail = refused.body["detail"].as_str().unwrap();
    assert!(
        detail.contains("8 MB") && detail.contains("9 MB"),
        "{detail}"
    );
    let passed = send(
        &app,
        &admin,
        &tg_dialog,
        json!({"text": "", "attachment_ids": [file]}),
    )
    .await;
    assert_eq!(passed.status, 201, "{passed:?}");
    assert_eq!(passed.body["attachments"][0]["size"], 9 * MB);

    // The same limits hold for what a customer sends in.
    let inbound_file = app
        .upload(&fb, true, "big.png", "image/png", big_image(9 * MB))
        .await;
    assert_eq!(inbound_file.status, 201, "{inbound_file:?}");
    let inbound = app
        .transport(
            &fb,
            "/messages",
            json!({
                "external_chat_id": "fb-1",
                "customer": {"external_id": "cust-fb-1", "name": "Ann"},
                "message": {"external_id": "fb-big", "attachment_ids": [inbound_file.body["id"]]},
            }),
        )
        .await;
    assert_eq!(
        (inbound.status, inbound.code()),
        (413, "attachment_too_large"),
        "{inbound:?}"
    );
    // Spooled uploads leave nothing behind.
    let spool = app.dir.path().join("tmp");
    assert_eq!(std::fs::read_dir(spool).map(|d| d.count()).unwrap_or(0), 0);
}

#[tokio::test]
async fn uploads_are_sniffed_measured_previewed_and_listed_by_kind() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "whatsapp_qr").await;
    let dialog = app.dialog(&transport, "w-1", "hi").await;

    // A customer's photo arrives through the transport API.
    let photo = png(800, 400);
    let up = app
        .upload(&transport, true, "photo.png", "image/png", photo.clone())
        .await;
    assert_eq!(up.status, 201, "{up:?}");
    assert_eq!(
        (up.body["width"].clone(), up.body["height"].clone()),
        (json!(800), json!(400))
    );
    let photo_id = up.body["id"].as_str().unwrap().to_owned();
    let inbound = app
        .transport(
            &transport,
            "/messages",
            json!({
                "external_chat_id": "w-1",
                "customer": {"external_id": "cust-w-1", "name": "Bob"},
                "message": {"external_id": "w-photo", "text": "look", "attachment_ids": [photo_id]},
            }),
        )
        .await;
    assert_eq!(inbound.status, 200, "{inbound:?}");

    // A manager answers with a PDF, whatever type the browser claimed.
    let pdf = b"%PDF-1.7\n1 0 obj <<>> endobj\n".to_vec();
    let doc = app
        .upload(&admin, false, "invoice.pdf", "image/png", pdf.clone())
        .await;
    assert_eq!(
        (doc.body["mime"].as_str(), doc.body["kind"].as_str()),
        (Some("application/pdf"), Some("file"))
    );
    let sent = send(
        &app,
        &admin,
        &dialog,
        json!({"text": "your invoice", "attachment_ids": [doc.body["id"]]}),
    )
    .await;
    assert_eq!(sent.status, 201, "{sent:?}");

    // The seed's two tabs.
    let images = app
        .call(
            "GET",
            &format!("/api/v1/dialogs/{dialog}/attachments?kind=image"),
            Some(&admin),
            None,
        )
        .await;
    let items = images.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{images:?}");
    assert_eq!(items[0]["file"]["id"], photo_id.as_str());
    assert_eq!(items[0]["author"]["type"], "customer");
    let files = app
        .call(
            "GET",
            &format!("/api/v1/dialogs/{dialog}/attachments?kind=file"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(files.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(files.body["items"][0]["file"]["name"], "invoice.pdf");
    let all = app
        .call(
            "GET",
            &format!("/api/v1/dialogs/{dialog}/attachments?limit=1"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(
        all.body["items"][0]["file"]["name"], "invoice.pdf",
        "newest first"
    );
    assert!(all.body["next_cursor"].is_string());
    let bad = app
        .call(
            "GET",
            &format!("/api/v1/dialogs/{dialog}/attachments?kind=video"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(bad.status, 400);

    // Download and preview: the bytes as stored, and a small JPEG.
    let got = app
        .client
        .get(app.url(&format!("/api/v1/files/{photo_id}")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(got.headers()["content-type"], "image/png");
    assert_eq!(got.bytes().await.unwrap().to_vec(), photo);
    let preview = app
        .client
        .get(app.url(&format!("/api/v1/files/{photo_id}/preview")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(preview.headers()["content-type"], "image/jpeg");
    let thumb = image::load_from_memory(&preview.bytes().await.unwrap()).unwrap();
    assert_eq!((thumb.width(), thumb.height()), (256, 128));
    let no_preview = app
        .call(
            "GET",
            &format!("/api/v1/files/{}/preview", doc.body["id"].as_str().unwrap()),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!((no_preview.status, no_preview.code()), (404, "no_preview"));
}

#[tokio::test]
async fn downloads_and_resending_follow_dialog_visibility() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (maria_id, maria) = app.user(&admin, "maria", "manager", &[]).await;
    let (_, ivan) = app.user(&admin, "ivan", "manager", &[]).await;
    let (_, transport) = app.channel(&admin, "livechat").await;
    let first = app.dialog(&transport, "l-1", "hi").await;
    let second = app.dialog(&transport, "l-2", "hi").await;
    for d in [&first, &second] {
        let r = app.reassign(&admin, d, &maria_id).await;
        assert_eq!(r.status, 200, "{r:?}");
    }
    let up = app
        .upload(&maria, false, "plan.png", "image/png", png(10, 10))
        .await;
    let file = up.body["id"].as_str().unwrap().to_owned();
    // Before it is sent, only its uploader reads it.
    let ivan_get = app
        .call("GET", &format!("/api/v1/files/{file}"), Some(&ivan), None)
        .await;
    assert_eq!(ivan_get.status, 404);
    let sent = send(
        &app,
        &maria,
        &first,
        json!({"text": "plan", "attachment_ids": [file]}),
    )
    .await;
    assert_eq!(sent.status, 201, "{sent:?}");
    // Ivan does not see Maria's dialog, so not its files either; the admin does.
    assert_eq!(
        app.call("GET", &format!("/api/v1/files/{file}"), Some(&ivan), None)
            .await
            .status,
        404
    );
    let admin_get = app
        .client
        .get(app.url(&format!("/api/v1/files/{file}")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(admin_get.status(), 200);
    // Nobody can attach a file they cannot read; the admin re-sends it to another dialog.
    let stolen = send(
        &app,
        &ivan,
        &first,
        json!({"text": "x", "attachment_ids": [file]}),
    )
    .await;
    assert_ne!(stolen.status, 201);
    let unknown = send(
        &app,
        &maria,
        &first,
        json!({"text": "x", "attachment_ids": [uuid::Uuid::new_v4()]}),
    )
    .await;
    assert_eq!((unknown.status, unknown.code()), (422, "unknown_file"));
    let resent = send(
        &app,
        &admin,
        &second,
        json!({"text": "again", "attachment_ids": [file]}),
    )
    .await;
    assert_eq!(resent.status, 201, "{resent:?}");
    let listed = app
        .call(
            "GET",
            &format!("/api/v1/dialogs/{second}/attachments"),
            Some(&maria),
            None,
        )
        .await;
    assert_eq!(listed.body["items"][0]["file"]["id"], file.as_str());

    // The integration downloads what is attached in its channel's dialogs only.
    let via_transport = app
        .client
        .get(app.url(&format!("/api/transport/v1/files/{file}")))
        .header("x-transport-token", &transport)
        .send()
        .await
        .unwrap();
    assert_eq!(via_transport.status(), 200);
    let (_, other) = app.channel(&admin, "custom").await;
    let foreign = app
        .client
        .get(app.url(&format!("/api/transport/v1/files/{file}")))
        .header("x-transport-token", &other)
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), 404);

    // Empty and oversized uploads are refused with problem documents.
    let empty = app
        .upload(&admin, false, "e.txt", "text/plain", vec![])
        .await;
    assert_eq!((empty.status, empty.code()), (422, "empty_file"));
}

#[tokio::test]
async fn multipart_uploads_work_like_raw_ones() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let boundary = "XyZ123";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"pic.png\"\r\nContent-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    let image = png(30, 20);
    body.extend_from_slice(&image);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let resp = app
        .client
        .post(app.url("/api/v1/files"))
        .bearer_auth(&admin)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let v: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(
        (v["name"].as_str(), v["width"].clone(), v["size"].clone()),
        (Some("pic.png"), json!(30), json!(image.len()))
    );
}
