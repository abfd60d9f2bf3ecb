//! P9 (P1 on PostgreSQL): durable appends (R33): 64 writers, each on its own stream, through
//! the store (one writer connection, group commit under the log's lock row), next to a bare loop
//! inserting the same rows (64 streams in turn, each at its next version) into the same
//! PostgreSQL in transactions of 64, in the same run: once
//! as 64 single-row INSERTs, and as the baseline one multi-row INSERT over `unnest` (the
//! database's ceiling for this row shape, and how the store writes). The server is the test one
//! (`chatd_store::postgres::testing`, Debian's `postgresql`), with `fsync` and
//! `synchronous_commit` at their defaults (on).

use crate::stats::{percentiles, rate};
use crate::workload::message;
use chatd_domain::dialog::Dialog;
use chatd_domain::Aggregate;
use chatd_store::postgres::testing::TestPostgres;
use chatd_store::{EventStore, PostgresStore};
use std::time::{Duration, Instant};

async fn appends(url: &str, writers: usize, run_for: Duration) -> (f64, String) {
    let store = PostgresStore::connect(url, 1024).await.expect("connect");
    let (total, h, elapsed) = crate::p1::concurrent_appends(&store, writers, run_for).await;
    store.close().await;
    (rate(total, elapsed), percentiles(&h))
}

/// The same row shape inserted by a bare loop, `batch` rows per transaction: one INSERT per row
/// (`multi_row` false) or one multi-row INSERT over `unnest` (true, as the store writes).
async fn bare(url: &str, batch: usize, multi_row: bool, run_for: Duration) -> f64 {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .expect("connect");
    tokio::spawn(connection);
    client
        .batch_execute(
            "DROP TABLE IF EXISTS bench_bare;
             CREATE TABLE bench_bare (position bigint PRIMARY KEY, stream text NOT NULL,
               version bigint NOT NULL, id uuid NOT NULL, event_type text NOT NULL,
               schema_version integer NOT NULL, data bytea NOT NULL, metadata bytea NOT NULL,
               recorded_at bigint NOT NULL, prev_hash bytea NOT NULL, hash bytea NOT NULL,
               UNIQUE (stream, version), UNIQUE (stream, id));",
        )
        .await
        .expect("table");
    let insert = client
        .prepare(if multi_row {
            "INSERT INTO bench_bare SELECT * FROM unnest($1::bigint[], $2::text[], \
             $3::bigint[], $4::uuid[], $5::text[], $6::integer[], $7::bytea[], $8::bytea[], \
             $9::bigint[], $10::bytea[], $11::bytea[])"
        } else {
            "INSERT INTO bench_bare VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        })
        .await
        .expect("prepare");
    let template = message(0);
    let hash = [7u8; 32];
    // The rows the store writes: 64 streams in turn, each at its next version.
    let streams: Vec<String> = (0..64)
        .map(|_| Dialog::stream(uuid::Uuid::new_v4()))
        .collect();
    let stream_of = |p: i64| streams[p as usize % streams.len()].as_str();
    let version_of = |p: i64| p / streams.len() as i64;
    let started = Instant::now();
    let mut position = 0i64;
    while started.elapsed() < run_for {
        client.batch_execute("BEGIN").await.expect("begin");
        if multi_row {
            let positions: Vec<i64> = (position + 1..=position + batch as i64).collect();
            let n = positions.len();
            let ids: Vec<uuid::Uuid> = (0..n).map(|_| uuid::Uuid::new_v4()).collect();
            client
                .execute(
                    &insert,
                    &[
                        &positions,
                        &positions.iter().map(|&p| stream_of(p)).collect::<Vec<_>>(),
                        &positions.iter().map(|&p| version_of(p)).collect::<Vec<_>>(),
                        &ids,
                        &vec![template.event_type.as_str(); n],
                        &vec![template.schema_version as i32; n],
                        &vec![template.data.as_slice(); n],
                        &vec![template.metadata.as_slice(); n],
                        &vec![0i64; n],
                        &vec![hash.as_slice(); n],
                        &vec![hash.as_slice(); n],
                    ],
                )
                .await
                .expect("insert");
            position += n as i64;
        } else {
            for _ in 0..batch {
                position += 1;
                client
                    .execute(
                        &insert,
                        &[
                            &position,
                            &stream_of(position),
                            &version_of(position),
                            &uuid::Uuid::new_v4(),
                            &template.event_type,
                            &(template.schema_version as i32),
                            &template.data,
                            &template.metadata,
                            &0i64,
                            &hash.as_slice(),
                            &hash.as_slice(),
                        ],
                    )
                    .await
                    .expect("insert");
            }
        }
        client.batch_execute("COMMIT").await.expect("commit");
    }
    rate(position as u64, started.elapsed())
}

pub async fn run(run_for: Duration) {
    let Some(pg) = tokio::task::spawn_blocking(TestPostgres::start)
        .await
        .expect("start")
    else {
        println!("P9  NOT RUN: PostgreSQL is not installed (apt-get install postgresql)");
        return;
    };
    let url = pg.url();
    println!(
        "P9  durable appends on PostgreSQL, 64 writers, {} s each (PostgreSQL on this machine)",
        run_for.as_secs()
    );
    let per_row = bare(&url, 64, false, run_for).await;
    println!("    bare loop, 64 single-row INSERTs per transaction     {per_row:>10.0} events/s");
    let baseline = bare(&url, 64, true, run_for).await;
    println!("    baseline: bare loop, one 64-row INSERT per transaction {baseline:>8.0} events/s");
    let (store, latency) = appends(&url, 64, run_for).await;
    println!(
        "    store, group commit under the lock row              {store:>10.0} events/s  {latency}"
    );
    let ratio = store / baseline;
    println!(
        "    P9 ratio {ratio:.2} (bar >= 0.60): {}",
        if ratio >= 0.6 { "met" } else { "NOT met" }
    );
    drop(pg);
}
