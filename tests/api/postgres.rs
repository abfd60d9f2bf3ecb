//! R33: chatd on a real PostgreSQL (started by the test from Debian's package): the ordinary API
//! scenario end to end, a restart that keeps everything, and an outage of the database that
//! answers 503 `store_unavailable` (never a 500, never a hang) until it is back, with no restart
//! of chatd. Without PostgreSQL installed each test says NOT RUN.

use chatd_server::config::StoreKind;
use chatd_store::postgres::testing::TestPostgres;
use chatd_tests::receiver::Receiver;
use chatd_tests::*;
use std::time::{Duration, Instant};

async fn postgres() -> Option<TestPostgres> {
    tokio::task::spawn_blocking(TestPostgres::start)
        .await
        .unwrap()
}

/// chatd on `pg`, with the master key every chatd on that database shares (R35: it wraps the
/// data keys kept in the database, so it outlives any one data directory).
async fn chatd_on(pg: &TestPostgres, dir: tempfile::TempDir) -> TestApp {
    let url = pg.url();
    let master = pg.dir().join("master.key");
    chatd_server::master_key::load_or_create(&master, true).expect("master key");
    spawn_app_with(dir, move |c| {
        c.store = StoreKind::Postgres { url };
        c.master_key_file = Some(master);
    })
    .await
}

#[tokio::test]
async fn r33_the_ordinary_scenario_runs_on_postgres_and_survives_a_restart() {
    let Some(pg) = postgres().await else { return };
    let app = chatd_on(&pg, tempfile::tempdir().unwrap()).await;
    let admin = app.admin().await;
    let receiver = Receiver::start(&[]).await;
    let (_, transport, _) = app
        .channel_with_webhook(&admin, "custom", &receiver.url)
        .await;
    let (m1, m1_token) = app.user(&admin, "mia", "manager", &[]).await;
    let mut ws = app.ws(&m1_token, None).await;
    let dialog = app
        .dialog(&transport, "chat-1", "Where is my kettle?")
        .await;
    assert_eq!(app.reassign(&admin, &dialog, &m1).await.status, 200);
    let sent = app.send(&m1_token, &dialog, "It ships today").await;
    assert_eq!(sent.status, 201, "{sent:?}");
    let id = sent.body["id"].as_str().unwrap().to_owned();
    let hooks = receiver.wait_for(1).await;
    assert_eq!(hooks[0].json()["data"]["text"], "It ships today");
    app.wait_status(&m1_token, &dialog, &id, "sent").await;
    let frames = ws
        .until(|f| f["type"] == "message_new" && f["data"]["message"]["text"] == "It ships today")
        .await;
    assert!(frames
        .iter()
        .any(|f| f["data"]["message"]["text"] == "Where is my kettle?"));
    let list = app
        .call("GET", "/api/v1/dialogs", Some(&m1_token), None)
        .await;
    assert_eq!(ids(&list.body), vec![dialog.clone()]);
    let texts: Vec<_> = app
        .timeline_messages(&m1_token, &dialog)
        .await
        .iter()
        .map(|m| m["text"].clone())
        .collect();
    assert_eq!(texts.len(), 2, "{texts:?}");

    // A restart on the same database (and a fresh data directory: the log is in PostgreSQL).
    ws.close().await;
    app.stop().await;
    let app = chatd_on(&pg, tempfile::tempdir().unwrap()).await;
    let admin = app.admin().await;
    let rows = app
        .call("GET", "/api/v1/dialogs?status=all", Some(&admin), None)
        .await;
    assert_eq!(ids(&rows.body), vec![dialog.clone()]);
    let texts = app.timeline_messages(&admin, &dialog).await;
    assert_eq!(texts.len(), 2);
    let verified = app
        .call(
            "GET",
            "/api/audit/v1/checkpoint?heads=false",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(
        verified.status, 200,
        "the chains verify on PostgreSQL: {verified:?}"
    );
    receiver.stop().await;
    app.stop().await;
}

#[tokio::test]
async fn r33_while_postgres_is_down_writes_answer_503_and_chatd_recovers_by_itself() {
    let Some(pg) = postgres().await else { return };
    let app = chatd_on(&pg, tempfile::tempdir().unwrap()).await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "custom").await;
    let got = app.inbound(&transport, "chat-1", "c1", "m1", "hello").await;
    let dialog = got.body["dialog_id"].as_str().unwrap().to_owned();
    // The read models have the dialog before the database goes away.
    let seen = app.detail(&admin, &dialog, Some(&got.position())).await;
    assert_eq!(seen.status, 200);

    pg.kill();
    let started = Instant::now();
    let down = app.send(&admin, &dialog, "are you there?").await;
    let took = started.elapsed();
    assert_eq!(
        (down.status, down.code()),
        (503, "store_unavailable"),
        "{down:?}"
    );
    assert!(
        took < Duration::from_secs(15),
        "answered in {took:?}, not hanging"
    );
    let r = app
        .client
        .post(app.url(&format!("/api/v1/dialogs/{dialog}/messages")))
        .bearer_auth(&admin)
        .json(&serde_json::json!({"text": "again"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    assert!(r.headers().contains_key("retry-after"));
    assert_eq!(app.get("/readyz").await.status(), 503);

    // Back: chatd carries on with no restart.
    pg.start_server();
    let mut sent = None;
    for _ in 0..100 {
        let a = app.send(&admin, &dialog, "back again").await;
        if a.status == 201 {
            sent = Some(a);
            break;
        }
        assert_eq!(a.status, 503, "only 503 while it reconnects: {a:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    sent.expect("chatd writes again once PostgreSQL is back");
    let timeline = app.timeline_messages(&admin, &dialog).await;
    let texts: Vec<_> = timeline
        .iter()
        .map(|m| m["text"].as_str().unwrap_or(""))
        .collect();
    assert!(texts.contains(&"back again"), "{texts:?}");
    assert!(
        !texts.contains(&"are you there?"),
        "a refused write left nothing"
    );
    assert_eq!(app.get("/readyz").await.status(), 200);
    app.stop().await;
}
