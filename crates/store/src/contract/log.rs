//! Contract cases of the global log and its subscriptions.

use super::*;

pub async fn global_log_is_ordered_and_reads_are_exclusive<H: Harness>(h: &H) {
    let store = h.open().await;
    let start = store.head().await.unwrap();
    let (a, b) = (stream("a"), stream("b"));
    let mut results = Vec::new();
    for i in 0..10u64 {
        let s = if i % 2 == 0 { &a } else { &b };
        results.push(
            store
                .append(s, ExpectedVersion::Any, vec![event(i)])
                .await
                .unwrap(),
        );
    }
    let ours: HashSet<_> = [a.clone(), b.clone()].into();
    let log = all_of(&*store, start, &ours).await;
    assert_eq!(
        log.iter().map(n_of).collect::<Vec<_>>(),
        (0..10).collect::<Vec<_>>()
    );
    assert!(log.windows(2).all(|w| w[0].position < w[1].position));
    assert_eq!(
        log.iter().map(|e| e.position).collect::<Vec<_>>(),
        results.iter().map(|r| r.position).collect::<Vec<_>>()
    );
    // `after` is exclusive.
    let after = all_of(&*store, Some(log[4].position), &ours).await;
    assert_eq!(
        after.iter().map(n_of).collect::<Vec<_>>(),
        (5..10).collect::<Vec<_>>()
    );
    assert!(store.head().await.unwrap() >= Some(log[9].position));
}

/// Collect our events from `sub` until the one at `until` has arrived.
async fn collect_until(
    sub: &mut crate::Subscription,
    ours: &HashSet<String>,
    until: Position,
) -> Vec<Arc<RecordedEvent>> {
    let mut got = Vec::new();
    let mut last_seen: Option<Position> = None;
    loop {
        let e = tokio::time::timeout(Duration::from_secs(30), sub.next())
            .await
            .expect("subscription stalled")
            .expect("subscription ended")
            .expect("subscription failed");
        if let Some(prev) = last_seen {
            assert!(
                e.position > prev,
                "positions must strictly increase: {prev:?} then {:?}",
                e.position
            );
        }
        last_seen = Some(e.position);
        let done = e.position >= until;
        if ours.contains(&e.stream) {
            got.push(e);
        }
        if done {
            return got;
        }
    }
}

pub async fn subscription_turns_live_without_gap_or_duplicate<H: Harness>(h: &H) {
    let store = h.open().await;
    let streams: Vec<String> = (0..3).map(|i| stream(&format!("s{i}"))).collect();
    let ours: HashSet<String> = streams.iter().cloned().collect();
    let start = store.head().await.unwrap();
    // History before subscribing…
    for i in 0..50u64 {
        store
            .append(
                &streams[(i % 3) as usize],
                ExpectedVersion::Any,
                vec![event(i)],
            )
            .await
            .unwrap();
    }
    let mut sub = store.subscribe_all(start).await.unwrap();
    // …and appends racing the catch-up.
    let writer = {
        let (store, streams) = (store.clone(), streams.clone());
        tokio::spawn(async move {
            let mut last = None;
            for i in 50..400u64 {
                let n = 1 + (i % 3);
                let batch = (0..n).map(|k| event(i * 10 + k)).collect();
                last = Some(
                    store
                        .append(&streams[(i % 3) as usize], ExpectedVersion::Any, batch)
                        .await
                        .unwrap()
                        .position,
                );
                if i % 50 == 0 {
                    tokio::task::yield_now().await;
                }
            }
            last.unwrap()
        })
    };
    let last = writer.await.unwrap();
    let got = collect_until(&mut sub, &ours, last).await;
    let expected = all_of(&*store, start, &ours).await;
    assert_eq!(got.len(), expected.len(), "no gap, no duplicate");
    assert!(got.iter().zip(&expected).all(|(g, e)| **g == *e));
    // Still live afterwards.
    let more = store
        .append(&streams[0], ExpectedVersion::Any, vec![event(99_999)])
        .await
        .unwrap();
    let tail = collect_until(&mut sub, &ours, more.position).await;
    assert_eq!(tail.len(), 1);
    assert_eq!(n_of(&tail[0]), 99_999);
}

pub async fn subscription_from_any_position<H: Harness>(h: &H) {
    let store = h.open().await;
    let s = stream("p");
    let ours: HashSet<String> = [s.clone()].into();
    let mut positions = Vec::new();
    for i in 0..20u64 {
        positions.push(
            store
                .append(&s, ExpectedVersion::Any, vec![event(i)])
                .await
                .unwrap()
                .position,
        );
    }
    for from in [0usize, 7, 18] {
        let mut sub = store.subscribe_all(Some(positions[from])).await.unwrap();
        let got = collect_until(&mut sub, &ours, positions[19]).await;
        assert_eq!(
            got.iter().map(|e| n_of(e)).collect::<Vec<_>>(),
            ((from as u64 + 1)..20).collect::<Vec<_>>(),
            "start position is exclusive"
        );
    }
}

/// R29: the auditor's scan sees what `read_all` sees; a contiguous store has no hole.
pub async fn scans_match_reads_and_contiguous_logs_have_no_hole<H: Harness>(h: &H) {
    let store = h.open().await;
    let start = store.head().await.unwrap();
    let (a, b) = (stream("a"), stream("b"));
    for i in 0..6u64 {
        let s = if i % 3 == 0 { &a } else { &b };
        store
            .append(s, ExpectedVersion::Any, vec![event(i), event(i + 100)])
            .await
            .unwrap();
    }
    let ours: HashSet<_> = [a.clone(), b.clone()].into();
    let read = all_of(&*store, start, &ours).await;
    let mut scanned = Vec::new();
    let mut cursor = start;
    loop {
        let page = store.scan_all(cursor, 7).await.unwrap();
        let Some(last) = page.last() else { break };
        cursor = Some(match last {
            Ok(e) => e.position,
            Err(bad) => panic!("an unreadable row in a healthy log: {bad}"),
        });
        scanned.extend(
            page.into_iter()
                .flatten()
                .filter(|e| ours.contains(&e.stream)),
        );
    }
    assert_eq!(scanned, read);
    let mut chains = crate::chains::Chains::new(false);
    scanned.iter().for_each(|e| chains.event(e));
    let (report, heads) = chains.finish();
    assert!(report.intact(), "{:?}", report.breaks);
    assert_eq!((report.events, report.streams), (12, 2));
    assert_eq!(heads[&b].version, 7);
    if store.contiguous_positions() {
        let whole = store.read_all(None, usize::MAX >> 1).await.unwrap();
        assert!(whole
            .iter()
            .enumerate()
            .all(|(i, e)| e.position == Position::single(i as u64 + 1)));
    }
}

/// R29: stream heads taken at one point are found again, unchanged, after later appends; a
/// head the log does not hold is named.
pub async fn a_checkpoint_of_stream_heads_is_extended_by_later_appends<H: Harness>(h: &H) {
    let store = h.open().await;
    let start = store.head().await.unwrap();
    let (a, b) = (stream("a"), stream("b"));
    let ours: HashSet<_> = [a.clone(), b.clone()].into();
    for s in [&a, &b, &a] {
        store
            .append(s, ExpectedVersion::Any, vec![event(1)])
            .await
            .unwrap();
    }
    let walk = |events: &[RecordedEvent], kept: Option<crate::chains::Kept>| {
        let mut c = crate::chains::Chains::new(false);
        if let Some(k) = kept {
            c = c.extending(k);
        }
        events.iter().for_each(|e| c.event(e));
        c.finish()
    };
    let (first, heads) = walk(&all_of(&*store, start, &ours).await, None);
    let kept = crate::chains::Kept {
        position: first.last,
        heads,
    };
    for s in [&b, &a] {
        store
            .append(s, ExpectedVersion::Any, vec![event(2)])
            .await
            .unwrap();
    }
    let now = all_of(&*store, start, &ours).await;
    let (report, _) = walk(&now, Some(kept.clone()));
    assert!(report.intact(), "{:?}", report.breaks);
    let mut claims_more = kept;
    claims_more.heads.insert(
        stream("gone"),
        crate::chains::Head {
            version: 0,
            hash: [7; 32],
            position: now[0].position,
        },
    );
    let (report, _) = walk(&now, Some(claims_more));
    assert_eq!(report.total_breaks, 1, "{:?}", report.breaks);
    assert!(report.breaks[0].reason.contains("the stream was removed"));
}
