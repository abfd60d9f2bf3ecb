//! Reading the whole log in pages and folding it, with the figures `chatd replay` prints.

use crate::fold::DomainFold;
use crate::model::ReadModel;
use crate::privacy::Keyring;
use chatd_store::ahead::read_ahead;
use chatd_store::{EventStore, RecordedEvent, StoreError};
use std::sync::Arc;
use std::time::{Duration, Instant};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum ReplayError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Decode(#[from] crate::DecodeFailure),
}

#[derive(Debug, Clone, Copy)]
pub struct ReplayStats {
    pub events: u64,
    pub elapsed: Duration,
}

impl ReplayStats {
    pub fn events_per_sec(&self) -> f64 {
        self.events as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Page size of log reads during a replay.
pub const PAGE: usize = 8192;

/// Read the whole log from position 0 in pages, handing every event to `apply`.
async fn walk(
    store: &dyn EventStore,
    mut apply: impl FnMut(&chatd_store::RecordedEvent) -> Result<(), crate::DecodeFailure>,
) -> Result<ReplayStats, ReplayError> {
    let started = Instant::now();
    let mut events = 0u64;
    read_ahead(
        None,
        |after| store.read_all(after, PAGE),
        |page: &[RecordedEvent]| {
            events += page.len() as u64;
            page.iter()
                .try_for_each(&mut apply)
                .map_err(ReplayError::from)
        },
    )
    .await?;
    Ok(ReplayStats {
        events,
        elapsed: started.elapsed(),
    })
}

/// Fold every aggregate through the domain's `evolve` from position 0.
pub async fn replay_all(
    store: &dyn EventStore,
    keys: Arc<Keyring>,
) -> Result<(DomainFold, ReplayStats), ReplayError> {
    let mut fold = DomainFold {
        keys,
        ..Default::default()
    };
    let stats = walk(store, |e| fold.apply(e)).await?;
    Ok((fold, stats))
}

/// Rebuild every read model of the API from position 0, as a node without a snapshot does.
pub async fn rebuild_read_models(
    store: &dyn EventStore,
    keys: Arc<Keyring>,
) -> Result<(ReadModel, ReplayStats), ReplayError> {
    let mut model = ReadModel {
        keys,
        ..Default::default()
    };
    let stats = walk(store, |e| model.apply(e).map(|_| ())).await?;
    Ok((model, stats))
}
