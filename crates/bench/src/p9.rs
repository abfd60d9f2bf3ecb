//! P9: durable appends on PostgreSQL (R33): 64 writers, each on its own stream, through the
//! store (one writer connection, group commit under the log's lock row), next to a bare loop
//! inserting the same rows into the same PostgreSQL in transactions of 64 (the database's
//! ceiling for this row shape), in the same run. The server is the test one
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

/// The same row shape inserted by a bare loop, `batch` rows per transaction.
async fn bare(url: &str, batch: usize, run_for: Duration) -> f64 {
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
        .prepare("INSERT INTO bench_bare VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
        .await
        .expect("prepare");
    let template = message(0);
    let hash = [7u8; 32];
    let stream = Dialog::stream(uuid::Uuid::new_v4());
    let started = Instant::now();
    let mut position = 0i64;
    while started.elapsed() < run_for {
        client.batch_execute("BEGIN").await.expect("begin");
        for _ in 0..batch {
            position += 1;
            client
                .execute(
                    &insert,
                    &[
                        &position,
                        &stream,
                        &position,
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
    let baseline = bare(&url, 64, run_for).await;
    println!("    baseline: bare INSERT loop, 64 rows per transaction   {baseline:>10.0} events/s");
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
