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

/// `tap_live`: refused off the head. At the head, a store with a thread of its own that makes
/// events durable (`Harness::LIVE_TAP`) takes it, and others refuse it. The tap then hears every
/// later event once, in log order, before the append that made it durable is answered; a second
/// tap is refused while the first wants more, and taken once it wants no more.
pub async fn a_live_tap_hears_every_durable_event_before_its_answer<H: Harness>(h: &H) {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Mutex;
    let store = h.open().await;
    let s = stream("tap");
    let first = store
        .append(&s, ExpectedVersion::NoStream, vec![event(0)])
        .await
        .unwrap();
    store
        .append(&s, ExpectedVersion::Exact(0), vec![event(1)])
        .await
        .unwrap();
    let heard = Arc::new(Mutex::new(Vec::<Arc<RecordedEvent>>::new()));
    let wanted = Arc::new(AtomicBool::new(true));
    let tap = || -> crate::LiveTap {
        let (heard, wanted) = (heard.clone(), wanted.clone());
        Box::new(move |batch: &[Arc<RecordedEvent>]| {
            heard.lock().unwrap().extend(batch.iter().cloned());
            wanted.load(Ordering::Relaxed)
        })
    };
    assert!(
        store.tap_live(Some(first.position), tap()).is_err(),
        "a tap behind the head is refused"
    );
    let head = store.head().await.unwrap();
    assert_eq!(store.tap_live(head, tap()).is_ok(), H::LIVE_TAP);
    if !H::LIVE_TAP {
        return;
    }
    assert!(
        store.tap_live(head, tap()).is_err(),
        "one tap at a time while it wants more"
    );
    let streams: Vec<String> = (0..3).map(|i| stream(&format!("t{i}"))).collect();
    let writers: Vec<_> = (0..8u64)
        .map(|w| {
            let (store, streams, heard) = (store.clone(), streams.clone(), heard.clone());
            tokio::spawn(async move {
                for i in 0..25u64 {
                    let n = w * 100 + i;
                    let s = &streams[(n % 3) as usize];
                    let r = store
                        .append(s, ExpectedVersion::Any, vec![event(n), event(n + 50)])
                        .await
                        .unwrap();
                    let heard = heard.lock().unwrap();
                    assert!(
                        heard.iter().any(|e| e.position == r.position),
                        "heard before its append is answered"
                    );
                }
            })
        })
        .collect();
    for w in writers {
        w.await.unwrap();
    }
    let ours: HashSet<String> = streams.iter().cloned().collect();
    let expected = all_of(&*store, head, &ours).await;
    assert_eq!(expected.len(), 8 * 25 * 2);
    let heard_ours: Vec<RecordedEvent> = heard
        .lock()
        .unwrap()
        .iter()
        .filter(|e| ours.contains(&e.stream))
        .map(|e| (**e).clone())
        .collect();
    assert_eq!(heard_ours, expected, "every event once, in log order");
    // A tap that wants no more goes with the next batch; the next tap is taken at the head.
    wanted.store(false, Ordering::Relaxed);
    store
        .append(&s, ExpectedVersion::Exact(1), vec![event(2)])
        .await
        .unwrap();
    let heard_before = heard.lock().unwrap().len();
    let head = store.head().await.unwrap();
    wanted.store(true, Ordering::Relaxed);
    assert!(
        store.tap_live(head, tap()).is_ok(),
        "taken once the last wants no more"
    );
    assert_eq!(heard.lock().unwrap().len(), heard_before);
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
