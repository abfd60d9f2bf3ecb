//! The contract every event store backend passes, written once. A backend's test file provides a
//! [`Harness`] and calls [`contract_suite!`](crate::contract_suite) to get one test per case.
//!
//! Cases use streams with fresh random names and look only at their own events on the global
//! log, so they also run against a shared server that holds other data.

use crate::hash::{recompute, GENESIS};
use crate::{
    Direction, EventStore, ExpectedVersion, NewEvent, Position, RecordedEvent, StoreError,
};
use async_trait::async_trait;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

#[async_trait]
pub trait Harness: Send + Sync + Sized + 'static {
    type Store: EventStore;
    /// Set up the backend, or `None` (having said why) when it cannot run here.
    async fn start() -> Option<Self>;
    /// Open the store; opening again after `close` sees the same data.
    async fn open(&self) -> Arc<Self::Store>;
    /// Whether the store takes a live tap (`EventStore::tap_live`) at its head.
    const LIVE_TAP: bool = false;
}

/// One `#[tokio::test]` per contract case for the given harness type, each with the attributes
/// given after it (e.g. a `cfg_attr(..., ignore = "why")`).
#[macro_export]
macro_rules! contract_suite {
    ($harness:ty $(, #[$attr:meta])*) => {
        $crate::contract_suite!(@cases $harness; [$(#[$attr])*];
            versions_start_at_zero_and_read_both_ways,
            expected_versions_are_enforced,
            retried_appends_are_idempotent,
            global_log_is_ordered_and_reads_are_exclusive,
            subscription_turns_live_without_gap_or_duplicate,
            subscription_from_any_position,
            a_live_tap_hears_every_durable_event_before_its_answer,
            concurrent_writers_keep_streams_contiguous,
            a_conflict_fails_only_its_own_append,
            every_event_links_to_its_predecessor,
            reopen_after_close_keeps_history,
            empty_appends_are_refused,
            scans_match_reads_and_contiguous_logs_have_no_hole,
            a_checkpoint_of_stream_heads_is_extended_by_later_appends,
            a_stale_lease_holder_cannot_append,
            presence_is_what_living_nodes_last_said,
            failed_logins_are_counted_in_a_row_and_forgotten_on_success,
            data_keys_are_made_once_and_destroyed_for_good,
        );
    };
    (@cases $harness:ty; $attrs:tt; $($case:ident),* $(,)?) => {$(
        $crate::contract_suite!(@case $harness; $attrs; $case);
    )*};
    (@case $harness:ty; [$(#[$attr:meta])*]; $case:ident) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        $(#[$attr])*
        async fn $case() {
            if let Some(h) = <$harness as $crate::contract::Harness>::start().await {
                $crate::contract::$case(&h).await;
            }
        }
    };
}

fn stream(tag: &str) -> String {
    format!("contract{}-{tag}", Uuid::new_v4().simple())
}

pub fn event(n: u64) -> NewEvent {
    NewEvent {
        id: Uuid::new_v4(),
        event_type: "contract_event".into(),
        schema_version: 1,
        data: format!("{{\"n\":{n}}}").into_bytes(),
        metadata: b"{}".to_vec(),
    }
}

fn n_of(e: &RecordedEvent) -> u64 {
    let s = std::str::from_utf8(&e.data).unwrap();
    s.trim_start_matches("{\"n\":")
        .trim_end_matches('}')
        .parse()
        .unwrap()
}

async fn all_of(
    store: &impl EventStore,
    after: Option<Position>,
    streams: &HashSet<String>,
) -> Vec<RecordedEvent> {
    let mut out = Vec::new();
    let mut cursor = after;
    loop {
        let page = store.read_all(cursor, 500).await.unwrap();
        let Some(last) = page.last() else { break };
        cursor = Some(last.position);
        out.extend(page.into_iter().filter(|e| streams.contains(&e.stream)));
    }
    out
}

mod appends;
mod cluster;
mod keys;
mod log;

pub use appends::*;
pub use cluster::*;
pub use keys::*;
pub use log::*;
