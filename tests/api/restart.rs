//! Read models resume from their persisted snapshot and follow the log from its position.

use chatd_domain::setup::{TagColor, TagEvent};
use chatd_domain::{Actor, EventMeta};
use chatd_projections::new_event;
use chatd_store::{EventStore, ExpectedVersion, SqliteConfig, SqliteStore};
use chatd_tests::{spawn_app, spawn_app_in};
use uuid::Uuid;

#[tokio::test]
async fn read_models_resume_from_the_snapshot_and_catch_up_from_its_position() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    let dialog = app.dialog(&transport, "c1", "before restart").await;
    assert_eq!(app.restored_from(), None, "a fresh store has no snapshot");
    let dir = app.stop().await;
    let snapshot = dir.path().join(chatd_server::server::SNAPSHOT_FILE);
    assert!(snapshot.exists(), "a graceful stop writes the snapshot");

    // While chatd is down, another writer appends to the log.
    let tag_id = Uuid::new_v4();
    {
        let store = SqliteStore::open(SqliteConfig::new(dir.path().join("events.db"))).unwrap();
        let meta = EventMeta {
            at: time::OffsetDateTime::now_utc(),
            actor: Actor::System,
        };
        let e = TagEvent::TagCreated {
            tag_id: tag_id.into(),
            name: "added while down".into(),
            color: TagColor::Teal,
        };
        store
            .append(
                &format!("tag-{tag_id}"),
                ExpectedVersion::NoStream,
                vec![new_event(Uuid::new_v4(), &meta, &e)],
            )
            .await
            .unwrap();
        store.close().await;
    }

    let app = spawn_app_in(dir).await;
    assert!(app.restored_from().is_some(), "started from the snapshot");
    let admin = app.admin().await;
    let d = app.detail(&admin, &dialog, None).await;
    assert_eq!(d.status, 200);
    assert_eq!(d.body["last_message"]["text"], "before restart");
    let tags = app.call("GET", "/api/v1/tags", Some(&admin), None).await;
    assert_eq!(
        tags.body["items"][0]["name"], "added while down",
        "caught up from the snapshot's position"
    );
    let dir = app.stop().await;

    // A damaged snapshot is ignored: the models are rebuilt from the whole log.
    std::fs::write(
        dir.path().join(chatd_server::server::SNAPSHOT_FILE),
        b"{not json",
    )
    .unwrap();
    let app = spawn_app_in(dir).await;
    assert_eq!(app.restored_from(), None);
    let admin = app.admin().await;
    let d = app.detail(&admin, &dialog, None).await;
    assert_eq!(d.status, 200);
    let tags = app.call("GET", "/api/v1/tags", Some(&admin), None).await;
    assert_eq!(tags.body["items"].as_array().unwrap().len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn an_earlier_builds_json_snapshot_is_read_once_and_replaced() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    let dialog = app
        .dialog(&transport, "c1", "kept in the old snapshot")
        .await;
    let dir = app.stop().await;

    // What an earlier build wrote: the same models as JSON, beside no binary file.
    let binary = dir.path().join(chatd_server::server::SNAPSHOT_FILE);
    let model =
        chatd_projections::model::snapshot::binary::decode(&std::fs::read(&binary).unwrap())
            .expect("the binary snapshot reads back");
    let legacy = binary.with_file_name("readmodels.snapshot.json");
    std::fs::write(&legacy, serde_json::to_vec(&model.snapshot()).unwrap()).unwrap();
    std::fs::remove_file(&binary).unwrap();

    let app = spawn_app_in(dir).await;
    assert_eq!(
        app.restored_from(),
        model.position.map(|p| p.to_string()),
        "restored from the JSON snapshot, not rebuilt"
    );
    assert!(binary.exists(), "replaced by a binary snapshot at once");
    assert!(!legacy.exists(), "the JSON snapshot is gone");
    let admin = app.admin().await;
    let d = app.detail(&admin, &dialog, None).await;
    assert_eq!(d.body["last_message"]["text"], "kept in the old snapshot");
    let dir = app.stop().await;

    let app = spawn_app_in(dir).await;
    assert!(
        app.restored_from().is_some(),
        "and from the binary one next"
    );
    let d = app.detail(&app.admin().await, &dialog, None).await;
    assert_eq!(d.body["last_message"]["text"], "kept in the old snapshot");
    app.stop().await;
}
