//! `chatd audit verify`'s walk: every row of the log through `chatd_store::chains`, with each
//! event of chatd's categories also decoded, so a row the domain cannot read is a break too.

use chatd_projections::codec::{decode_event, DecodeFailure};
use chatd_projections::privacy::Keyring;
use chatd_store::ahead::read_ahead;
use chatd_store::chains::{Chains, Head, Kept, Report};
use chatd_store::{EventStore, Position, Scanned, StoreError};
use std::collections::HashMap;

/// Rows scanned per read.
const PAGE: usize = 4096;

/// A walk that can be continued: the server keeps one and feeds it what the log gained since.
pub struct Walk {
    chains: Chains,
}

impl Walk {
    pub fn new(store: &dyn EventStore) -> Self {
        Walk {
            chains: Chains::new(store.contiguous_positions()),
        }
    }

    /// Also check that the log extends a kept checkpoint.
    pub fn extending(self, kept: Kept) -> Self {
        Walk {
            chains: self.chains.extending(kept),
        }
    }

    /// Read on from where the walk stopped to the end of the log.
    pub async fn catch_up(&mut self, store: &dyn EventStore) -> Result<(), StoreError> {
        // Sealed strings (R35) stay sealed: the walk checks that events decode, not what they
        // say, and needs no keys.
        let keys = Keyring::default();
        // Every row, read or not, moves the walk's last position (`Report::last`).
        read_ahead(
            self.position(),
            |after| store.scan_all(after, PAGE),
            |page: &[Scanned]| {
                for row in page {
                    match row {
                        Err(bad) => self.chains.unreadable(bad),
                        Ok(e) => match decode_event(e, &keys) {
                            Err(DecodeFailure::UnknownCategory(_)) => self.chains.foreign(e),
                            Err(failure) => {
                                self.chains.event(e);
                                self.chains
                                    .flag(e, format!("the event does not decode: {failure}"));
                            }
                            Ok(_) => self.chains.event(e),
                        },
                    }
                }
                Ok(())
            },
        )
        .await
    }

    /// The last position read (`None`: the log is empty).
    pub fn position(&self) -> Option<Position> {
        self.chains.report().last
    }

    pub fn report(&self) -> &Report {
        self.chains.report()
    }

    pub fn heads(&self) -> &HashMap<String, Head> {
        self.chains.heads()
    }

    pub fn finish(self) -> (Report, HashMap<String, Head>) {
        self.chains.finish()
    }
}

/// Walk the whole log once (against `kept` when given).
pub async fn verify(
    store: &dyn EventStore,
    kept: Option<Kept>,
) -> Result<(Report, HashMap<String, Head>), StoreError> {
    let mut walk = Walk::new(store);
    if let Some(kept) = kept {
        walk = walk.extending(kept);
    }
    walk.catch_up(store).await?;
    Ok(walk.finish())
}
