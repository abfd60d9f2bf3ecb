//! R33: the global log never skips, as observed. Four stores (four writer connections, as four
//! chatd processes would have) append concurrently for a while, and two followers on their own
//! connections read the log by position the whole time. Every follower must see every committed
//! event exactly once, in position order, with no hole.
//!
//! Why this would catch the naive design: with positions from a sequence (or `bigserial`) and no
//! commit-order serialisation, transaction A takes position 10 and B position 11; B commits
//! first; a follower reading `position > 9` then sees 11 and moves its cursor past 10, which
//! commits a moment later and is never read. Here followers read continuously while four writers
//! commit batches that overlap in time, which is exactly when that happens; the check that each
//! follower's positions are 1, 2, 3, … with nothing missing fails on the first skipped event.

use chatd_store::contract::event;
use chatd_store::postgres::testing::TestPostgres;
use chatd_store::{EventStore, ExpectedVersion, PostgresStore};
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn followers_see_every_committed_event_once_in_order_under_concurrent_writers() {
    let Some(pg) = tokio::task::spawn_blocking(TestPostgres::start)
        .await
        .unwrap()
    else {
        return;
    };
    let url = pg.url();
    let writing = Arc::new(AtomicBool::new(true));
    // Two followers, from the start of the log.
    let mut followers = Vec::new();
    for _ in 0..2 {
        let store = PostgresStore::connect(&url, 64).await.unwrap();
        let writing = writing.clone();
        followers.push(tokio::spawn(async move {
            let mut sub = store.subscribe_all(None).await.unwrap();
            let mut seen = Vec::new();
            let mut while_writing = 0usize;
            let mut quiet_since = None::<Instant>;
            loop {
                match tokio::time::timeout(Duration::from_millis(200), sub.next()).await {
                    Ok(Some(Ok(e))) => {
                        if writing.load(Ordering::Relaxed) {
                            while_writing += 1;
                        }
                        seen.push((e.position.commit, e.id));
                        quiet_since = None;
                    }
                    Ok(other) => panic!("the subscription ended: {other:?}"),
                    Err(_) if !writing.load(Ordering::Relaxed) => {
                        let since = quiet_since.get_or_insert_with(Instant::now);
                        if since.elapsed() > Duration::from_secs(2) {
                            return (seen, while_writing);
                        }
                    }
                    Err(_) => {}
                }
            }
        }));
    }
    // Four writers, each its own store (its own writer connection, as a process would have),
    // for about three seconds and at most 3,000 appends each.
    let mut writers = Vec::new();
    for w in 0..4 {
        let store = PostgresStore::connect(&url, 64).await.unwrap();
        writers.push(tokio::spawn(async move {
            let mut acked = Vec::new();
            let until = Instant::now() + Duration::from_secs(3);
            let mut n = 0u64;
            while Instant::now() < until && n < 3000 {
                // Several appends in flight per writer, so batches overlap.
                let mut flight = Vec::new();
                for k in 0..8u64 {
                    let store = store.clone();
                    let events = vec![event(n + k), event(n + k + 1)];
                    let ids: Vec<_> = events.iter().map(|e| e.id).collect();
                    let stream = format!("order{w}-{}", (n + k) % 17);
                    flight.push(tokio::spawn(async move {
                        let r = store.append(&stream, ExpectedVersion::Any, events).await;
                        r.map(|_| ids)
                    }));
                }
                for f in flight {
                    acked.extend(f.await.unwrap().expect("append"));
                }
                n += 8;
            }
            store.close().await;
            acked
        }));
    }
    let mut acked = HashSet::new();
    for w in writers {
        acked.extend(w.await.unwrap());
    }
    writing.store(false, Ordering::Relaxed);
    let reader = PostgresStore::connect(&url, 1).await.unwrap();
    let head = reader.head().await.unwrap().unwrap().commit;
    assert_eq!(
        head as usize,
        acked.len(),
        "positions 1..=head, one per event"
    );
    for f in followers {
        let (seen, while_writing) = f.await.unwrap();
        let positions: Vec<u64> = seen.iter().map(|(p, _)| *p).collect();
        let expected: Vec<u64> = (1..=head).collect();
        assert!(
            positions == expected,
            "a follower saw {} events; the first out of place: {:?}",
            positions.len(),
            positions.iter().zip(&expected).find(|(a, b)| a != b)
        );
        let ids: HashSet<_> = seen.iter().map(|(_, id)| *id).collect();
        assert_eq!(ids, acked, "every acknowledged event, and nothing else");
        assert!(
            while_writing > 0,
            "the follower read while the writers wrote (else the test shows nothing)"
        );
        println!(
            "follower: {} events in order, {while_writing} of them read while writers were committing",
            seen.len()
        );
    }
    println!("{} events from 4 writers", acked.len());
    drop(pg);
}

/// R33: two processes (two stores, two writer connections) append to one stream expecting the
/// same version at the same moment: exactly one wins, the other gets a version conflict.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_racing_on_one_stream_one_wins() {
    let Some(pg) = tokio::task::spawn_blocking(TestPostgres::start)
        .await
        .unwrap()
    else {
        return;
    };
    let (a, b) = (
        PostgresStore::connect(&pg.url(), 64).await.unwrap(),
        PostgresStore::connect(&pg.url(), 64).await.unwrap(),
    );
    for round in 0..20u64 {
        let stream = format!("race-{round}");
        a.append(&stream, ExpectedVersion::NoStream, vec![event(0)])
            .await
            .unwrap();
        let (ra, rb) = tokio::join!(
            a.append(&stream, ExpectedVersion::Exact(0), vec![event(1)]),
            b.append(&stream, ExpectedVersion::Exact(0), vec![event(2)]),
        );
        let wins = [&ra, &rb].iter().filter(|r| r.is_ok()).count();
        assert_eq!(wins, 1, "round {round}: {ra:?} {rb:?}");
        let lost = if ra.is_err() { ra } else { rb };
        assert!(
            matches!(
                lost,
                Err(chatd_store::StoreError::WrongExpectedVersion {
                    actual: Some(1),
                    ..
                })
            ),
            "{lost:?}"
        );
    }
    drop(pg);
}
