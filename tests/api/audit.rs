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
    assert_eq!(
        items[3]["author"],
        json!({"type": "user", "id": manager_id})
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
