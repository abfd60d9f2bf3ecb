//! P1: durable appends on the embedded store. Group commit against one transaction per append,
//! and against a bare rusqlite loop inserting the same rows in transactions of 64 (the disk's
//! ceiling), all in this run on this disk.

use crate::stats::{histogram, met, percentiles, rate};
use crate::workload::message;
use chatd_domain::dialog::Dialog;
use chatd_domain::Aggregate;
use chatd_store::{EventStore, ExpectedVersion, NewEvent, SqliteConfig, SqliteStore};
use hdrhistogram::Histogram;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub struct Measured {
    pub events_per_sec: f64,
    pub latency: String,
    pub mean_batch: f64,
}

/// `writers` tasks, each appending one event at a time to its own dialog stream of `store`
/// until `run_for` has passed: events appended, the latency histogram, the time taken.
pub async fn concurrent_appends<S: EventStore>(
    store: &Arc<S>,
    writers: usize,
    run_for: Duration,
) -> (u64, Histogram<u64>, Duration) {
    let started = Instant::now();
    let deadline = started + run_for;
    let tasks: Vec<_> = (0..writers)
        .map(|w| {
            let store = store.clone();
            tokio::spawn(async move {
                let stream = Dialog::stream(uuid::Uuid::new_v4());
                let mut h = histogram();
                let mut n = 0u64;
                let mut version = None;
                // The client's encoding is not the store's cost: clone one encoded event.
                let template = message(w as u64);
                while Instant::now() < deadline {
                    let ev = NewEvent {
                        id: uuid::Uuid::new_v4(),
                        ..template.clone()
                    };
                    let t = Instant::now();
                    let expected =
                        version.map_or(ExpectedVersion::NoStream, ExpectedVersion::Exact);
                    let r = store
                        .append(&stream, expected, vec![ev])
                        .await
                        .expect("append");
                    h.record(t.elapsed().as_micros() as u64).ok();
                    version = Some(r.version);
                    n += 1;
                }
                (n, h)
            })
        })
        .collect();
    let mut total = 0;
    let mut h = histogram();
    for t in tasks {
        let (n, th) = t.await.expect("writer");
        total += n;
        h.add(th).ok();
    }
    (total, h, started.elapsed())
}

/// How the store under test commits.
#[derive(Clone, Copy)]
struct Mode {
    label: &'static str,
    max_batch: usize,
    /// The log fsynced beside the writer (the default), or by the writer's own commit.
    sync_beside: bool,
    /// Concurrent writers measured.
    writers: &'static [usize],
}

const MODES: [Mode; 3] = [
    Mode {
        label: "group commit",
        max_batch: 1024,
        sync_beside: true,
        writers: &[1, 8, 64],
    },
    Mode {
        label: "group commit, fsync on the writer",
        max_batch: 1024,
        sync_beside: false,
        // The comparison for the syncer, at the bar's 64 writers only.
        writers: &[64],
    },
    Mode {
        label: "one transaction per append",
        max_batch: 1,
        sync_beside: false,
        writers: &[1, 8, 64],
    },
];

async fn appends(mode: Mode, writers: usize, run_for: Duration) -> Measured {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = SqliteConfig::new(dir.path().join("events.db"));
    config.max_batch = mode.max_batch;
    config.sync_beside = mode.sync_beside;
    let store = SqliteStore::open(config).expect("open store");
    let (total, h, elapsed) = concurrent_appends(&store, writers, run_for).await;
    let stats = store.writer_stats();
    store.close().await;
    Measured {
        events_per_sec: rate(total, elapsed),
        latency: percentiles(&h),
        mean_batch: stats.mean_batch(),
    }
}

/// The same rows, inserted by a plain loop in transactions of `batch`, with the same schema and
/// pragmas: no expected-version check, no hash, no idempotency, no channel, no tasks.
fn bare_rusqlite(batch: usize, run_for: Duration) -> f64 {
    let dir = tempfile::tempdir().expect("temp dir");
    let conn = rusqlite::Connection::open(dir.path().join("bare.db")).expect("open");
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", "FULL").unwrap();
    conn.pragma_update(None, "cache_size", -32768).unwrap();
    conn.execute_batch(chatd_store::sqlite::SCHEMA).unwrap();
    let rows: Vec<NewEvent> = (0..batch as u64).map(message).collect();
    let streams: Vec<String> = (0..batch)
        .map(|_| Dialog::stream(uuid::Uuid::new_v4()))
        .collect();
    let mut version = 0i64;
    let started = Instant::now();
    let mut position = 0i64;
    while started.elapsed() < run_for {
        let tx = conn.unchecked_transaction().unwrap();
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO events (position, stream, version, id, event_type, schema_version, \
                     data, metadata, recorded_at, prev_hash, hash) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                )
                .unwrap();
            for (i, e) in rows.iter().enumerate() {
                position += 1;
                insert
                    .execute(rusqlite::params![
                        position,
                        streams[i],
                        version,
                        uuid::Uuid::new_v4().as_bytes(),
                        e.event_type,
                        e.schema_version,
                        e.data,
                        e.metadata,
                        0i64,
                        [0u8; 32],
                        [0u8; 32]
                    ])
                    .unwrap();
            }
        }
        tx.commit().unwrap();
        version += 1;
    }
    rate(position as u64, started.elapsed())
}

pub async fn run(run_for: Duration) {
    println!(
        "P1  durable appends, embedded store (1 event per append, {} s each)",
        run_for.as_secs()
    );
    println!(
        "    {:<34} {:>8} {:>12} {:>7} {:>7} {:>8} {:>10}",
        "mode", "writers", "events/s", "p50 ms", "p99 ms", "max ms", "appends/tx"
    );
    let mut at64 = [0.0; MODES.len()];
    for (i, mode) in MODES.into_iter().enumerate() {
        for &writers in mode.writers {
            let m = appends(mode, writers, run_for).await;
            println!(
                "    {:<34} {writers:>8} {:>12.0} {} {:>10.1}",
                mode.label, m.events_per_sec, m.latency, m.mean_batch
            );
            if writers == 64 {
                at64[i] = m.events_per_sec;
            }
        }
    }
    let [group64, writer_synced64, single64] = at64;
    let bare = tokio::task::spawn_blocking(move || bare_rusqlite(64, run_for))
        .await
        .unwrap();
    println!(
        "    {:<34} {:>8} {:>12.0}",
        "baseline: bare rusqlite, tx of 64", 1, bare
    );
    println!(
        "    fsync beside the writer / on it at 64 writers: {:.2}",
        group64 / writer_synced64.max(1e-9)
    );
    println!(
        "    group commit / one-per-append at 64 writers: {:.1}x (bar >= 10x: {})",
        group64 / single64.max(1e-9),
        met(group64 / single64.max(1e-9) >= 10.0)
    );
    println!(
        "    group commit / bare rusqlite at 64 writers:  {:.2} (bar >= 0.85: {}); bar >= 80k events/s: {}",
        group64 / bare.max(1e-9),
        met(group64 / bare.max(1e-9) >= 0.85),
        met(group64 >= 80_000.0)
    );
}
