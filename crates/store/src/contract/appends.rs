//! Contract cases of appends and stream reads.

use super::*;

pub async fn versions_start_at_zero_and_read_both_ways<H: Harness>(h: &H) {
    let store = h.open().await;
    let s = stream("v");
    let r = store
        .append(
            &s,
            ExpectedVersion::NoStream,
            vec![event(0), event(1), event(2)],
        )
        .await
        .unwrap();
    assert_eq!(r.version, 2);
    let r2 = store
        .append(&s, ExpectedVersion::Exact(2), vec![event(3)])
        .await
        .unwrap();
    assert_eq!(r2.version, 3);
    assert!(r2.position > r.position);
    let fwd = store
        .read_stream(&s, 0, Direction::Forwards, 100)
        .await
        .unwrap();
    assert_eq!(
        fwd.iter().map(|e| e.version).collect::<Vec<_>>(),
        vec![0, 1, 2, 3]
    );
    assert_eq!(fwd.iter().map(n_of).collect::<Vec<_>>(), vec![0, 1, 2, 3]);
    assert_eq!(fwd[3].position, r2.position);
    let from2 = store
        .read_stream(&s, 2, Direction::Forwards, 1)
        .await
        .unwrap();
    assert_eq!(from2.len(), 1);
    assert_eq!(from2[0].version, 2);
    let back = store
        .read_stream(&s, u64::MAX, Direction::Backwards, 2)
        .await
        .unwrap();
    assert_eq!(
        back.iter().map(|e| e.version).collect::<Vec<_>>(),
        vec![3, 2]
    );
    let none = store
        .read_stream(&stream("missing"), 0, Direction::Forwards, 10)
        .await
        .unwrap();
    assert!(none.is_empty());
}

pub async fn expected_versions_are_enforced<H: Harness>(h: &H) {
    let store = h.open().await;
    let s = stream("c");
    let wrong = store
        .append(&s, ExpectedVersion::StreamExists, vec![event(0)])
        .await;
    assert!(
        matches!(
            wrong,
            Err(StoreError::WrongExpectedVersion { actual: None, .. })
        ),
        "{wrong:?}"
    );
    let wrong = store
        .append(&s, ExpectedVersion::Exact(0), vec![event(0)])
        .await;
    assert!(
        matches!(wrong, Err(StoreError::WrongExpectedVersion { .. })),
        "{wrong:?}"
    );
    store
        .append(&s, ExpectedVersion::NoStream, vec![event(0)])
        .await
        .unwrap();
    let wrong = store
        .append(&s, ExpectedVersion::NoStream, vec![event(1)])
        .await;
    assert!(
        matches!(
            wrong,
            Err(StoreError::WrongExpectedVersion {
                actual: Some(0),
                ..
            })
        ),
        "{wrong:?}"
    );
    let wrong = store
        .append(&s, ExpectedVersion::Exact(5), vec![event(1)])
        .await;
    assert!(
        matches!(
            wrong,
            Err(StoreError::WrongExpectedVersion {
                actual: Some(0),
                ..
            })
        ),
        "{wrong:?}"
    );
    store
        .append(&s, ExpectedVersion::StreamExists, vec![event(1)])
        .await
        .unwrap();
    store
        .append(&s, ExpectedVersion::Any, vec![event(2)])
        .await
        .unwrap();
    let all = store
        .read_stream(&s, 0, Direction::Forwards, 10)
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(n_of).collect::<Vec<_>>(),
        vec![0, 1, 2],
        "refused appends wrote nothing"
    );
}

pub async fn retried_appends_are_idempotent<H: Harness>(h: &H) {
    let store = h.open().await;
    let s = stream("i");
    let batch = vec![event(0), event(1)];
    let first = store
        .append(&s, ExpectedVersion::NoStream, batch.clone())
        .await
        .unwrap();
    // The retry carries the same ids and the same expectation; the stream has moved on meanwhile.
    let again = store
        .append(&s, ExpectedVersion::NoStream, batch.clone())
        .await
        .unwrap();
    assert_eq!(again, first);
    store
        .append(&s, ExpectedVersion::Any, vec![event(2)])
        .await
        .unwrap();
    let again = store
        .append(&s, ExpectedVersion::NoStream, batch.clone())
        .await
        .unwrap();
    assert_eq!(again, first);
    assert_eq!(
        store
            .read_stream(&s, 0, Direction::Forwards, 10)
            .await
            .unwrap()
            .len(),
        3
    );
    // A retry with `Any` right after the first append is recognised too.
    let s3 = stream("any");
    let once = vec![event(5), event(6)];
    let first = store
        .append(&s3, ExpectedVersion::Any, once.clone())
        .await
        .unwrap();
    assert_eq!(
        store.append(&s3, ExpectedVersion::Any, once).await.unwrap(),
        first
    );
    assert_eq!(
        store
            .read_stream(&s3, 0, Direction::Forwards, 10)
            .await
            .unwrap()
            .len(),
        2
    );
    // Other events at a taken version are a conflict, not a retry.
    let taken = store
        .append(&s, ExpectedVersion::NoStream, vec![event(0)])
        .await;
    assert!(
        matches!(taken, Err(StoreError::WrongExpectedVersion { .. })),
        "{taken:?}"
    );
    // Concurrent retries of one append store it once.
    let s2 = stream("k");
    let one = vec![event(7)];
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let store = store.clone();
            let (s2, one) = (s2.clone(), one.clone());
            tokio::spawn(async move { store.append(&s2, ExpectedVersion::NoStream, one).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(
        store
            .read_stream(&s2, 0, Direction::Forwards, 10)
            .await
            .unwrap()
            .len(),
        1
    );
}

pub async fn concurrent_writers_keep_streams_contiguous<H: Harness>(h: &H) {
    let store = h.open().await;
    let shared = stream("shared");
    let own: Vec<String> = (0..16).map(|i| stream(&format!("w{i}"))).collect();
    let tasks: Vec<_> = own
        .iter()
        .cloned()
        .map(|mine| {
            let (store, shared) = (store.clone(), shared.clone());
            tokio::spawn(async move {
                let mut version = None;
                for i in 0..25u64 {
                    let expected =
                        version.map_or(ExpectedVersion::NoStream, ExpectedVersion::Exact);
                    version = Some(
                        store
                            .append(&mine, expected, vec![event(i)])
                            .await
                            .unwrap()
                            .version,
                    );
                    store
                        .append(&shared, ExpectedVersion::Any, vec![event(i)])
                        .await
                        .unwrap();
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    for s in &own {
        let evs = store
            .read_stream(s, 0, Direction::Forwards, 100)
            .await
            .unwrap();
        assert_eq!(
            evs.iter().map(|e| e.version).collect::<Vec<_>>(),
            (0..25).collect::<Vec<_>>()
        );
    }
    let evs = store
        .read_stream(&shared, 0, Direction::Forwards, 1000)
        .await
        .unwrap();
    assert_eq!(
        evs.iter().map(|e| e.version).collect::<Vec<_>>(),
        (0..400).collect::<Vec<_>>()
    );
    // Racing on one expected version: exactly one wins.
    let race = stream("race");
    store
        .append(&race, ExpectedVersion::NoStream, vec![event(0)])
        .await
        .unwrap();
    let tasks: Vec<_> = (0..10)
        .map(|i| {
            let (store, race) = (store.clone(), race.clone());
            tokio::spawn(async move {
                store
                    .append(&race, ExpectedVersion::Exact(0), vec![event(i)])
                    .await
            })
        })
        .collect();
    let mut wins = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => wins += 1,
            Err(StoreError::WrongExpectedVersion { .. }) => {}
            Err(e) => panic!("unexpected {e}"),
        }
    }
    assert_eq!(wins, 1);
}

pub async fn a_conflict_fails_only_its_own_append<H: Harness>(h: &H) {
    let store = h.open().await;
    let contested = stream("x");
    store
        .append(&contested, ExpectedVersion::NoStream, vec![event(0)])
        .await
        .unwrap();
    let tasks: Vec<_> = (0..64u64)
        .map(|i| {
            let store = store.clone();
            let contested = contested.clone();
            tokio::spawn(async move {
                if i % 2 == 0 {
                    (
                        i,
                        store
                            .append(&contested, ExpectedVersion::Exact(99), vec![event(i)])
                            .await,
                    )
                } else {
                    (
                        i,
                        store
                            .append(&stream("ok"), ExpectedVersion::NoStream, vec![event(i)])
                            .await,
                    )
                }
            })
        })
        .collect();
    for t in tasks {
        let (i, r) = t.await.unwrap();
        if i % 2 == 0 {
            assert!(
                matches!(r, Err(StoreError::WrongExpectedVersion { .. })),
                "{r:?}"
            );
        } else {
            assert!(r.is_ok(), "append {i} failed with its batch-mates: {r:?}");
        }
    }
    assert_eq!(
        store
            .read_stream(&contested, 0, Direction::Forwards, 10)
            .await
            .unwrap()
            .len(),
        1
    );
}

pub async fn every_event_links_to_its_predecessor<H: Harness>(h: &H) {
    let store = h.open().await;
    let s = stream("h");
    store
        .append(&s, ExpectedVersion::NoStream, vec![event(0), event(1)])
        .await
        .unwrap();
    store
        .append(&s, ExpectedVersion::Exact(1), vec![event(2)])
        .await
        .unwrap();
    let evs = store
        .read_stream(&s, 0, Direction::Forwards, 10)
        .await
        .unwrap();
    assert_eq!(evs[0].prev_hash, GENESIS);
    for w in evs.windows(2) {
        assert_eq!(w[1].prev_hash, w[0].hash);
    }
    for e in &evs {
        assert_eq!(recompute(e), e.hash, "hash covers the stored event");
    }
    let mut forged = evs[1].clone();
    forged.data = b"{\"n\":666}".to_vec();
    assert_ne!(recompute(&forged), forged.hash);
}

pub async fn reopen_after_close_keeps_history<H: Harness>(h: &H) {
    let s = stream("r");
    let (last, hash) = {
        let store = h.open().await;
        store
            .append(&s, ExpectedVersion::NoStream, vec![event(0), event(1)])
            .await
            .unwrap();
        let r = store
            .append(&s, ExpectedVersion::Exact(1), vec![event(2)])
            .await
            .unwrap();
        let hash = store
            .read_stream(&s, 2, Direction::Forwards, 1)
            .await
            .unwrap()[0]
            .hash;
        store.close().await;
        assert!(matches!(
            store.append(&s, ExpectedVersion::Any, vec![event(9)]).await,
            Err(StoreError::Closed)
        ));
        (r, hash)
    };
    let store = h.open().await;
    assert!(store.head().await.unwrap() >= Some(last.position));
    let r = store
        .append(&s, ExpectedVersion::Exact(2), vec![event(3)])
        .await
        .unwrap();
    assert_eq!(r.version, 3);
    assert!(r.position > last.position);
    let evs = store
        .read_stream(&s, 0, Direction::Forwards, 10)
        .await
        .unwrap();
    assert_eq!(evs.iter().map(n_of).collect::<Vec<_>>(), vec![0, 1, 2, 3]);
    assert_eq!(
        evs[3].prev_hash, hash,
        "the chain continues across a reopen"
    );
}

pub async fn empty_appends_are_refused<H: Harness>(h: &H) {
    let store = h.open().await;
    let r = store
        .append(&stream("e"), ExpectedVersion::Any, vec![])
        .await;
    assert!(matches!(r, Err(StoreError::Invalid(_))), "{r:?}");
}
