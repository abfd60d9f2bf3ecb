//! Invariants stated once, checked on generated append sequences against the embedded store:
//! positions strictly increase in acknowledgement order, the global log is exactly the
//! acknowledged events in that order, stream versions are contiguous from 0, refusals write nothing.

use chatd_store::contract::event;
use chatd_store::{Direction, EventStore, ExpectedVersion, SqliteConfig, SqliteStore};
use proptest::prelude::*;
use std::collections::HashMap;

#[derive(Debug, Clone)]
struct Op {
    stream: usize,
    events: usize,
    /// 0: Any, 1: NoStream, 2: StreamExists, 3: Exact(right), 4: Exact(wrong)
    expected: u8,
}

fn op() -> impl Strategy<Value = Op> {
    (0..4usize, 1..4usize, 0..5u8).prop_map(|(stream, events, expected)| Op {
        stream,
        events,
        expected,
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn appends_keep_order_and_contiguity(ops in proptest::collection::vec(op(), 1..40)) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let dir = tempfile::tempdir().unwrap();
            let store = SqliteStore::open(SqliteConfig::new(dir.path().join("events.db"))).unwrap();
            let mut versions: HashMap<usize, u64> = HashMap::new();
            let mut acked = Vec::new();
            for op in ops {
                let name = format!("p-{}", op.stream);
                let current = versions.get(&op.stream).copied();
                let expected = match op.expected {
                    0 => ExpectedVersion::Any,
                    1 => ExpectedVersion::NoStream,
                    2 => ExpectedVersion::StreamExists,
                    3 => current.map_or(ExpectedVersion::NoStream, ExpectedVersion::Exact),
                    _ => ExpectedVersion::Exact(current.map_or(7, |v| v + 3)),
                };
                let should_pass = match expected {
                    ExpectedVersion::Any => true,
                    ExpectedVersion::NoStream => current.is_none(),
                    ExpectedVersion::StreamExists => current.is_some(),
                    ExpectedVersion::Exact(v) => current == Some(v),
                };
                let batch: Vec<_> = (0..op.events).map(|i| event(i as u64)).collect();
                let ids: Vec<_> = batch.iter().map(|e| e.id).collect();
                let result = store.append(&name, expected, batch).await;
                assert_eq!(result.is_ok(), should_pass, "{expected:?} on {current:?}: {result:?}");
                if let Ok(r) = result {
                    let first = current.map_or(0, |v| v + 1);
                    assert_eq!(r.version, first + op.events as u64 - 1);
                    versions.insert(op.stream, r.version);
                    acked.extend(ids);
                }
            }
            let log = store.read_all(None, 10_000).await.unwrap();
            assert_eq!(log.iter().map(|e| e.id).collect::<Vec<_>>(), acked);
            assert!(log.windows(2).all(|w| w[0].position < w[1].position));
            for (s, last) in versions {
                let evs = store.read_stream(&format!("p-{s}"), 0, Direction::Forwards, 10_000).await.unwrap();
                assert_eq!(evs.iter().map(|e| e.version).collect::<Vec<_>>(), (0..=last).collect::<Vec<_>>());
            }
            store.close().await;
        });
    }
}
