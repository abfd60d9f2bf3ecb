//! R35's keys as the application uses them: the keyring (`chatd_projections::privacy`) filled
//! from the key store at start, a key made for a subject the first time something personal is
//! written about it, a key another node made fetched when one of its events arrives, and keys
//! destroyed when a customer is erased (on every node, as each applies `customer_erased`).

use crate::{App, AppError};
use chatd_projections::privacy::{DataKey, KeyError, Keyring, Lookup};
use chatd_store::keys::KeyStore;
use chatd_store::{EventStore, StoreError};
use std::sync::Arc;
use uuid::Uuid;

/// The keyring and where its keys are kept.
#[derive(Clone)]
pub struct Keys {
    pub ring: Arc<Keyring>,
    /// `None`: the event store's own (`EventStore::keys`).
    beside: Option<Arc<dyn KeyStore>>,
}

impl Keys {
    /// Seal nothing (tools and tests that need no privacy).
    pub fn off() -> Keys {
        Keys {
            ring: Arc::new(Keyring::default()),
            beside: None,
        }
    }

    /// Keys under `master`, kept by the event store, or by `beside` when it keeps none.
    pub fn new(master: [u8; 32], beside: Option<Arc<dyn KeyStore>>) -> Keys {
        Keys {
            ring: Arc::new(Keyring::new(master)),
            beside,
        }
    }

    fn store<'a>(&'a self, events: &'a dyn EventStore) -> Result<&'a dyn KeyStore, StoreError> {
        match &self.beside {
            Some(k) => Ok(k.as_ref()),
            None => events.keys().ok_or_else(|| {
                StoreError::Internal(
                    "this store keeps no data keys and none were set beside it".into(),
                )
            }),
        }
    }

    /// Learn every key the store holds (at start).
    pub async fn load(&self, events: &dyn EventStore) -> Result<usize, StoreError> {
        if !self.ring.sealing() {
            return Ok(0);
        }
        let all = self.store(events)?.all().await?;
        for (subject, stored) in &all {
            self.ring.learn(*subject, stored).map_err(unwrap_error)?;
        }
        Ok(all.len())
    }

    /// What the store holds for `subject`, learnt (a key another node made).
    pub async fn fetch(
        &self,
        events: &dyn EventStore,
        subject: Uuid,
    ) -> Result<Lookup, StoreError> {
        let stored = self.store(events)?.get(subject).await?;
        self.ring.learn(subject, &stored).map_err(unwrap_error)
    }

    /// `subject`'s key to seal with, made if it has none; `None`: it was destroyed.
    pub async fn for_sealing(
        &self,
        events: &dyn EventStore,
        subject: Uuid,
    ) -> Result<Option<DataKey>, StoreError> {
        let mut found = self.ring.lookup(subject);
        if let Lookup::Unknown = found {
            found = self.fetch(events, subject).await?;
        }
        if let Lookup::Unknown = found {
            let wrapped = self
                .ring
                .fresh_wrapped(subject)
                .expect("a sealing keyring has a master key");
            let stored = self.store(events)?.create(subject, &wrapped).await?;
            found = self.ring.learn(subject, &stored).map_err(unwrap_error)?;
        }
        Ok(match found {
            Lookup::Live(k) => Some(k),
            _ => None,
        })
    }

    /// Destroy `subject`'s key in the store and here; whether a live key was there.
    pub async fn destroy(
        &self,
        events: &dyn EventStore,
        subject: Uuid,
    ) -> Result<bool, StoreError> {
        if !self.ring.sealing() {
            return Ok(false);
        }
        let was = self.store(events)?.destroy(subject).await?;
        self.ring.forget(subject);
        Ok(was)
    }

    /// Whether the keyring knows `subject`'s key as destroyed.
    pub fn is_destroyed(&self, subject: Uuid) -> bool {
        matches!(self.ring.lookup(subject), Lookup::Destroyed)
    }
}

fn unwrap_error(e: KeyError) -> StoreError {
    StoreError::Internal(e.to_string())
}

impl App {
    /// `subject`'s sealing key for a command's events; a destroyed one refuses anything
    /// personal (R35: nothing more is written about an erased customer).
    pub(crate) async fn sealing_key(&self, subject: Uuid) -> Result<Option<DataKey>, AppError> {
        Ok(self.keys.for_sealing(self.store.as_ref(), subject).await?)
    }
}
