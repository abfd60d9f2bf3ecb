//! The Audit API (SPEC §5): auditors read every event, deleted dialogs included, and change
//! nothing; nobody else reads it but admins.

use chatd_tests::spawn_app;
use serde_json::json;

#[tokio::test]
async fn an_auditor_reads_a_deleted_dialogs_whole_history_that_managers_and_admins_no_longer_see() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (manager_id, manager) = app.user(&admin, "maria", "manager", &[]).await;
    let (_, auditor) = app.user(&admin, "audrey", "auditor", &[]).await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    let dialog = app.dialog(&transport, "chat-1", "where is my order?").await;
    let r = app.reassign(&admin, &dialog, &manager_id).await;
    assert_eq!(r.status, 200);
    let sent = app.send(&manager, &dialog, "On its way").await;
    assert_eq!(sent.status, 201);
    let deleted = app
        .call(
            "POST",
            "/api/v1/dialogs/delete",
            Some(&admin),
            Some(json!({"ids": [dialog]})),
        )
        .await;
    assert_eq!(deleted.status, 200, "{deleted:?}");

    // R13: gone from the manager API for everyone, the admin included.
    for token in [&manager, &admin] {
        for path in [
            format!("/api/v1/dialogs/{dialog}"),
            format!("/api/v1/dialogs/{dialog}/timeline"),
        ] {
            let a = app.call("GET", &path, Some(token), Some(json!(null))).await;
            assert_eq!(a.status, 404, "{path}: {a:?}");
        }
    }

    let events = app
        .call(
            "GET",
            &format!("/api/audit/v1/dialogs/{dialog}/events"),
            Some(&auditor),
            None,
        )
        .await;
    assert_eq!(events.status, 200, "{events:?}");
    let items = events.body["items"].as_array().unwrap();
    let types: Vec<&str> = items.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        [
            "dialog_opened",
            "message_received",
            "reassigned",
            "message_sent",
            "dialog_deleted"
        ]
    );
    assert_eq!(items[1]["data"]["text"], "where is my order?");
    assert_eq!(items[3]["data"]["text"], "On its way");
    // R39: the author with their name beside the id.
    assert_eq!(
        items[3]["author"],
        json!({"type": "user", "id": manager_id, "name": "MARIA"})
    );
    assert_eq!(items[3]["at"], items[3]["metadata"]["at"]);
    assert_eq!(items[0]["author"]["type"], "channel");
    for (i, e) in items.iter().enumerate() {
        assert_eq!(e["version"], i);
        assert_eq!(e["schema_version"], 1);
        assert!(
            e["position"].is_string()
                && e["recorded_at"].is_string()
                && e["metadata"]["at"].is_string()
        );
        if i > 0 {
            assert_eq!(
                e["prev_hash"],
                items[i - 1]["hash"],
                "each event links to its predecessor"
            );
        }
    }
    // Paging by version.
    let first = app
        .call(
            "GET",
            &format!("/api/audit/v1/dialogs/{dialog}/events?limit=2"),
            Some(&auditor),
            None,
        )
        .await;
    assert_eq!(first.body["items"].as_array().unwrap().len(), 2);
    let cursor = first.body["next_cursor"].as_str().unwrap().to_owned();
    let rest = app
        .call(
            "GET",
            &format!("/api/audit/v1/dialogs/{dialog}/events?cursor={cursor}&limit=10"),
            Some(&auditor),
            None,
        )
        .await;
    assert_eq!(rest.body["items"][0]["type"], "reassigned");
    assert!(rest.body["next_cursor"].is_null());
    // Admins read it too; managers do not.
    let by_admin = app
        .call(
            "GET",
            &format!("/api/audit/v1/dialogs/{dialog}/events"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(by_admin.status, 200);
    let by_manager = app
        .call(
            "GET",
            &format!("/api/audit/v1/dialogs/{dialog}/events"),
            Some(&manager),
            None,
        )
        .await;
    assert_eq!((by_manager.status, by_manager.code()), (403, "forbidden"));
    let unknown = app
        .call(
            "GET",
            &format!("/api/audit/v1/dialogs/{}/events", uuid::Uuid::new_v4()),
            Some(&auditor),
            None,
        )
        .await;
    assert_eq!(unknown.status, 404);
}

#[tokio::test]
async fn the_global_log_pages_without_gaps_and_redacts_secrets() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, auditor) = app.user(&admin, "audrey", "auditor", &[]).await;
    let (_, transport) = app.channel(&admin, "custom").await;
    for n in 0..7 {
        app.dialog(&transport, &format!("c-{n}"), "hi").await;
    }
    let all = app
        .call(
            "GET",
            "/api/audit/v1/events?limit=1000",
            Some(&auditor),
            None,
        )
        .await;
    let all = all.body["items"].as_array().unwrap().clone();
    assert!(all.len() > 20, "{}", all.len());
    let mut paged = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let path = match &after {
            Some(a) => format!("/api/audit/v1/events?limit=5&after={a}"),
            None => "/api/audit/v1/events?limit=5".into(),
        };
        let page = app.call("GET", &path, Some(&auditor), None).await;
        assert_eq!(page.status, 200, "{page:?}");
        paged.extend(page.body["items"].as_array().unwrap().iter().cloned());
        match page.body["next_cursor"].as_str() {
            Some(c) => after = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(
        paged, all,
        "pages join into the whole log, in order, once each"
    );
    let text = serde_json::to_string(&all).unwrap();
    assert!(!text.contains("$argon2"), "password hashes are redacted");
    let channel = all
        .iter()
        .find(|e| e["type"] == "channel_registered")
        .unwrap();
    assert_eq!(channel["data"]["webhook_secret"], "[redacted]");
    assert_eq!(channel["data"]["transport_token_hash"], "[redacted]");

    let bad = app
        .call(
            "GET",
            "/api/audit/v1/events?after=yesterday",
            Some(&auditor),
            None,
        )
        .await;
    assert_eq!((bad.status, bad.code()), (400, "invalid_query"));
    let too_many = app
        .call(
            "GET",
            "/api/audit/v1/events?limit=5000",
            Some(&auditor),
            None,
        )
        .await;
    assert_eq!(too_many.status, 400);
    // Auditors change nothing and read nothing of the manager API.
    let dialogs = app
        .call("GET", "/api/v1/dialogs", Some(&auditor), None)
        .await;
    assert_eq!(dialogs.status, 403);
    let create = app
        .call(
            "POST",
            "/api/v1/tags",
            Some(&auditor),
            Some(json!({"name": "x", "color": "red"})),
        )
        .await;
    assert_eq!(create.status, 403);
    let no_token = app.call("GET", "/api/audit/v1/events", None, None).await;
    assert_eq!(no_token.status, 401);
}

/// R29: the auditor fetches the key and a signed checkpoint over the API, keeps them, and later
/// proves the stopped store still extends the checkpoint. Managers get 403; the key survives a
/// restart; within 5 s the same checkpoint is served again (bounded work per request).
#[tokio::test]
async fn an_auditor_keeps_a_signed_checkpoint_and_the_log_extends_it_after_a_restart() {
    use chatd_server::audit::{checkpoint, key, verify};
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, auditor) = app.user(&admin, "audrey", "auditor", &[]).await;
    let (_, manager) = app.user(&admin, "max", "manager", &[]).await;
    let (_, transport) = app.channel(&admin, "custom").await;
    for n in 0..3 {
        app.dialog(&transport, &format!("c-{n}"), "hi").await;
    }
    for path in ["/api/audit/v1/checkpoint", "/api/audit/v1/key"] {
        let refused = app.call("GET", path, Some(&manager), None).await;
        assert_eq!(
            (refused.status, refused.code()),
            (403, "forbidden"),
            "{path}"
        );
    }
    let served_key = app
        .call("GET", "/api/audit/v1/key", Some(&auditor), None)
        .await;
    assert_eq!(served_key.status, 200, "{served_key:?}");
    assert_eq!(served_key.body["algorithm"], "Ed25519");
    let trusted = key::read_public(&served_key.body.to_string()).unwrap();
    assert_eq!(
        key::read_public(served_key.body["pem"].as_str().unwrap()).unwrap(),
        trusted
    );

    let a = app
        .call("GET", "/api/audit/v1/checkpoint", Some(&auditor), None)
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    let cp: checkpoint::Checkpoint = serde_json::from_value(a.body.clone()).unwrap();
    let kept = checkpoint::check(&cp, &trusted).expect("a genuine checkpoint");
    let log = app
        .call(
            "GET",
            "/api/audit/v1/events?limit=1000",
            Some(&auditor),
            None,
        )
        .await;
    let last = log.body["items"].as_array().unwrap().last().unwrap()["position"].clone();
    assert_eq!(
        cp.position,
        last.as_str().unwrap(),
        "it covers the whole log"
    );
    let streams: std::collections::HashSet<&str> = log.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["stream"].as_str().unwrap())
        .collect();
    assert_eq!(kept.heads.len(), streams.len());

    let summary = app
        .call(
            "GET",
            "/api/audit/v1/checkpoint?heads=false",
            Some(&auditor),
            None,
        )
        .await;
    assert!(summary.body.get("heads").is_none(), "{summary:?}");
    assert_eq!(
        summary.body["root"], a.body["root"],
        "the same checkpoint, served again"
    );
    assert_eq!(summary.body["signature"], a.body["signature"]);
    let summary: checkpoint::Checkpoint = serde_json::from_value(summary.body).unwrap();
    assert!(checkpoint::check(&summary, &trusted)
        .unwrap_err()
        .contains("heads=false"));

    // The desk goes on; later checkpoints cover more and still verify under the same key.
    app.dialog(&transport, "c-late", "one more").await;
    tokio::time::sleep(checkpoint::REFRESH + std::time::Duration::from_millis(200)).await;
    let b = app
        .call("GET", "/api/audit/v1/checkpoint", Some(&auditor), None)
        .await;
    let later: checkpoint::Checkpoint = serde_json::from_value(b.body).unwrap();
    let later_kept = checkpoint::check(&later, &trusted).unwrap();
    assert!(later_kept.position > kept.position);
    assert!(later.events > cp.events);

    let dir = app.stop().await;
    let app = chatd_tests::spawn_app_in(dir).await;
    let again = app
        .call("GET", "/api/audit/v1/key", Some(&auditor), None)
        .await;
    assert_eq!(
        again.body["key_id"], served_key.body["key_id"],
        "the key is kept"
    );
    let dir = app.stop().await;
    let store = chatd_store::SqliteStore::open(chatd_store::SqliteConfig::new(
        dir.path().join("events.db"),
    ))
    .unwrap();
    let (report, _) = verify::verify(&*store, Some(kept)).await.unwrap();
    assert!(report.intact(), "{:?}", report.breaks);
    chatd_store::EventStore::close(&*store).await;
}

/// R29: chatd never signs a log that does not verify: after someone edits a stored message of
/// the stopped store, the checkpoint route answers 500 `log_not_intact`, naming the event.
#[tokio::test]
async fn no_checkpoint_is_signed_over_a_log_changed_behind_chatds_back() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, auditor) = app.user(&admin, "audrey", "auditor", &[]).await;
    let (_, transport) = app.channel(&admin, "custom").await;
    let dialog = app.dialog(&transport, "c-1", "the price is 40").await;
    let dir = app.stop().await;
    let db = rusqlite::Connection::open(dir.path().join("events.db")).unwrap();
    let changed = db
        .execute(
            "UPDATE events SET data = CAST(replace(CAST(data AS TEXT), '40', '4') AS BLOB) WHERE stream = ?1 AND version = 1",
            [format!("dialog-{dialog}")],
        )
        .unwrap();
    assert_eq!(changed, 1);
    drop(db);
    let app = chatd_tests::spawn_app_in(dir).await;
    let refused = app
        .call("GET", "/api/audit/v1/checkpoint", Some(&auditor), None)
        .await;
    assert_eq!((refused.status, refused.code()), (500, "log_not_intact"));
    let detail = refused.body["detail"].as_str().unwrap();
    assert!(
        detail.contains(&format!("stream dialog-{dialog} version 1")) && detail.contains("altered"),
        "{detail}"
    );
}

/// R39: an auditor finds a dialog by its customer's name, deleted ones included, and reads
/// authors by name; a manager may not search.
#[tokio::test]
async fn r39_auditors_find_dialogs_by_customer_name_and_read_names() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    let (_, auditor) = app.user(&admin, "audrey", "auditor", &[]).await;
    let (_, manager) = app.user(&admin, "mia", "manager", &[]).await;
    let kept = app.dialog(&transport, "ann", "hello").await;
    let gone = app.dialog(&transport, "ann-old", "older").await;
    let del = app
        .call(
            "POST",
            "/api/v1/dialogs/delete",
            Some(&admin),
            Some(json!({"ids": [gone]})),
        )
        .await;
    assert_eq!(del.status, 200, "{del:?}");
    let found = app
        .call(
            "GET",
            "/api/audit/v1/dialogs?q=cust-ann",
            Some(&auditor),
            None,
        )
        .await;
    assert_eq!(found.status, 200, "{found:?}");
    let items = found.body["items"].as_array().unwrap();
    let ids: Vec<&str> = items.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert!(
        ids.contains(&kept.as_str()) && ids.contains(&gone.as_str()),
        "{items:?}"
    );
    assert!(items.iter().any(|d| d["deleted"] == true));
    assert_eq!(
        app.call(
            "GET",
            "/api/audit/v1/dialogs?q=nobody",
            Some(&auditor),
            None
        )
        .await
        .body["items"],
        json!([])
    );
    let refused = app
        .call("GET", "/api/audit/v1/dialogs?q=ann", Some(&manager), None)
        .await;
    assert_eq!(refused.status, 403);
    let events = app.dialog_events(&auditor, &kept).await;
    assert_eq!(
        events[0]["author"]["name"], "telegram shop",
        "the channel opened it"
    );
    assert!(
        events.iter().all(|e| e["author"]["name"].is_string()),
        "{events:?}"
    );
}
