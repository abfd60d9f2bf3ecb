//! R33, moving a shop: `copy::copy` between the embedded store and PostgreSQL keeps every event
//! exactly (position, stream, version, id, type, data, metadata, store time, hashes), resumes
//! after an interruption without duplicating, and refuses a target holding other data or a
//! source that was changed.

use chatd_store::contract::event;
use chatd_store::copy::{copy, CopyOptions, Import};
use chatd_store::postgres::testing::TestPostgres;
use chatd_store::{
    EventStore, ExpectedVersion, PostgresStore, RecordedEvent, SqliteConfig, SqliteImport,
    SqliteStore, StoreError,
};
use std::path::Path;
use std::sync::Arc;

/// A log of `n` appends over a dozen streams, some of two events.
async fn fill(store: &dyn EventStore, n: usize, tag: &str) {
    for i in 0..n {
        let stream = format!("dialog-{tag}-{}", i % 12);
        let events = if i % 5 == 0 {
            vec![event(i as u64), event(i as u64 + 100_000)]
        } else {
            vec![event(i as u64)]
        };
        store
            .append(&stream, ExpectedVersion::Any, events)
            .await
            .unwrap();
    }
}

async fn all(store: &dyn EventStore) -> Vec<RecordedEvent> {
    store.read_all(None, usize::MAX).await.unwrap()
}

fn sqlite(path: &Path) -> Arc<SqliteStore> {
    SqliteStore::open(SqliteConfig::new(path)).unwrap()
}

fn options(batch: usize) -> CopyOptions {
    CopyOptions {
        batch,
        ..CopyOptions::default()
    }
}

#[tokio::test]
async fn embedded_to_embedded_keeps_every_event_and_resumes_after_an_interruption() {
    let dir = tempfile::tempdir().unwrap();
    let source = sqlite(&dir.path().join("a.db"));
    fill(&*source, 150, "x").await;
    let target_path = dir.path().join("b.db");
    let target = SqliteImport::open(&target_path).unwrap();

    // An interruption halfway: a run that copied only the log's first part (as a run killed
    // after some batches leaves it, each batch being one transaction).
    let first = all(&*source).await;
    target.import(first[..70].to_vec()).await.unwrap();

    // More is appended to the source meanwhile; the next run resumes after 70.
    fill(&*source, 20, "y").await;
    let mut seen = Vec::new();
    let copied = copy(&*source, &target, options(16), |p| seen.push(p.copied))
        .await
        .unwrap();
    let expected = all(&*source).await;
    assert_eq!(copied.resumed_after, Some(70));
    assert_eq!(copied.events, expected.len() as u64 - 70);
    assert_eq!(copied.head, expected.len() as u64);
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "progress grows");
    assert_eq!(*seen.last().unwrap(), copied.head);

    let copy_of = sqlite(&target_path);
    assert_eq!(
        all(&*copy_of).await,
        expected,
        "every field kept, none twice"
    );

    // Once more: nothing to do.
    let again = copy(&*source, &target, options(16), |_| {}).await.unwrap();
    assert_eq!((again.events, again.head), (0, copied.head));
}

#[tokio::test]
async fn a_target_holding_other_data_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let source = sqlite(&dir.path().join("a.db"));
    fill(&*source, 30, "x").await;
    let other = sqlite(&dir.path().join("b.db"));
    fill(&*other, 40, "other").await;
    let before = all(&*other).await;
    other.close().await;

    let target = SqliteImport::open(&dir.path().join("b.db")).unwrap();
    let err = copy(&*source, &target, options(16), |_| {})
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid(m) if m.contains("already holds other data")),
        "{err:?}"
    );
    assert_eq!(all(&*sqlite(&dir.path().join("b.db"))).await, before);

    // An import that does not continue the log is refused whole, too.
    let theirs = all(&*source).await;
    let err = target.import(theirs[..5].to_vec()).await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    assert_eq!(all(&*sqlite(&dir.path().join("b.db"))).await, before);
}

#[tokio::test]
async fn a_changed_source_is_not_copied() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    let source = sqlite(&path);
    fill(&*source, 30, "x").await;
    source.close().await;
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("UPDATE events SET data = x'00' WHERE position = 17", [])
        .unwrap();
    let source = sqlite(&path);
    let target = SqliteImport::open(&dir.path().join("b.db")).unwrap();
    let err = copy(&*source, &target, options(10), |_| {})
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid(m) if m.contains("position 17") && m.contains("hash")),
        "{err:?}"
    );
    // The batches before the changed event are copied and a later run resumes there.
    assert_eq!(target.ends().await.unwrap().unwrap().1.position.commit, 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn embedded_to_postgres_and_back() {
    let Some(pg) = tokio::task::spawn_blocking(TestPostgres::start)
        .await
        .unwrap()
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let source = sqlite(&dir.path().join("a.db"));
    fill(&*source, 120, "x").await;
    let expected = all(&*source).await;

    let pg_store = PostgresStore::connect(&pg.url(), 64).await.unwrap();
    pg_store.import(expected[..33].to_vec()).await.unwrap();
    let copied = copy(&*source, &*pg_store, options(25), |_| {})
        .await
        .unwrap();
    assert_eq!(copied.resumed_after, Some(33));
    assert_eq!(all(&*pg_store).await, expected);

    // The copy serves: an append continues its chains and its positions.
    let next = pg_store
        .append("dialog-x-0", ExpectedVersion::Any, vec![event(1)])
        .await
        .unwrap();
    assert_eq!(next.position.commit, expected.len() as u64 + 1);

    // And back into a fresh embedded store.
    let back_path = dir.path().join("back.db");
    let back = SqliteImport::open(&back_path).unwrap();
    let copied = copy(&*pg_store, &back, options(40), |_| {}).await.unwrap();
    assert_eq!(copied.events, expected.len() as u64 + 1);
    assert_eq!(all(&*sqlite(&back_path)).await, all(&*pg_store).await);

    // PostgreSQL as a target holding other data.
    let other = sqlite(&dir.path().join("other.db"));
    fill(&*other, 5, "other").await;
    let err = copy(&*other, &*pg_store, options(10), |_| {})
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid(m) if m.contains("already holds other data")),
        "{err:?}"
    );
}
