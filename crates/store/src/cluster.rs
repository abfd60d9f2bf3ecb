//! Several nodes as one service (R34): leases, and who is online on which node.
//!
//! Leases: work that must happen once across several chatd nodes (webhook delivery, the
//! distribution bot, timers, the last-admin guard) runs on the node holding its lease.
//!
//! A lease is named; a holder takes it for a time and renews it well before that time is out.
//! When the holder dies, the lease runs out and another node takes it. Each new holder gets a
//! larger **fence**: work done under a lease appends with it ([`EventStore::append_fenced`]), and
//! the store refuses an append whose fence is no longer the lease's, so a holder that stalled
//! (a pause, a lost network), lost its lease and woke up cannot act on it.
//!
//! Presence: each node says, every few seconds, which users hold a socket on it; a user is
//! online while some node's word has not run out (R18's `require_online` across nodes).
//!
//! Failed logins (R28): PostgreSQL counts them across the nodes, so a guesser spreading attempts
//! over the nodes is slowed as on one; the embedded store leaves the count to its one node.
//!
//! The embedded store is one process (the data directory's lock): its leases and presence are
//! kept in memory ([`LocalCluster`]). PostgreSQL keeps them in `chatd_leases`,
//! `chatd_presence` and `chatd_login_failures`, with the database's clock, so the nodes' clocks
//! need not agree.

use crate::StoreError;
use async_trait::async_trait;
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// What an append under a lease carries: the lease's name, its holder and the fence it was
/// taken with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fence {
    pub lease: String,
    pub holder: String,
    pub fence: u64,
}

#[async_trait]
pub trait Cluster: Send + Sync {
    /// Take lease `name` for `holder` for `ttl`, or renew it when `holder` holds it: the fence
    /// it is held with, or `None` while another holder's lease runs. The fence grows with every
    /// new holder and stays the same across renewals.
    async fn acquire(
        &self,
        name: &str,
        holder: &str,
        ttl: Duration,
    ) -> Result<Option<u64>, StoreError>;

    /// Give lease `name` up, if `holder` holds it, so another node need not wait for it to run
    /// out (a node stopping).
    async fn release(&self, name: &str, holder: &str) -> Result<(), StoreError>;

    /// Node `node` holds sockets of exactly `users` now; its word lasts `ttl`.
    async fn heartbeat(&self, node: &str, users: &[Uuid], ttl: Duration) -> Result<(), StoreError>;

    /// Every user some node but `except` has said holds a socket on it, in a word not yet run
    /// out (a node asks with its own name: it knows its own sockets better than its last word).
    async fn online(&self, except: &str) -> Result<HashSet<Uuid>, StoreError>;

    /// R28 across nodes: one more failed login under `key` (a digest, never a login or an
    /// address). The failures counted under it in a row, this one included; one more than
    /// `window` after the previous starts the count again. `None` where the store is one
    /// process: that node's own count is the whole count.
    async fn login_failed(&self, key: &str, window: Duration) -> Result<Option<u32>, StoreError> {
        let _ = (key, window);
        Ok(None)
    }

    /// The failures counted under `key`, and how long ago the last was, while that is within
    /// `window`; `None` when there are none (or the store is one process).
    async fn login_failures(
        &self,
        key: &str,
        window: Duration,
    ) -> Result<Option<(u32, Duration)>, StoreError> {
        let _ = (key, window);
        Ok(None)
    }

    /// A login succeeded under `key`: its failures are forgotten.
    async fn login_succeeded(&self, key: &str) -> Result<(), StoreError> {
        let _ = key;
        Ok(())
    }
}

struct Held {
    holder: String,
    fence: u64,
    until: Instant,
}

/// Leases and presence in one process's memory: the embedded store's (one process holds a
/// data directory), and a reference for the contract.
#[derive(Default)]
pub struct LocalCluster {
    held: Mutex<HashMap<String, Held>>,
    presence: Mutex<HashMap<String, (HashSet<Uuid>, Instant)>>,
}

impl LocalCluster {
    /// Whether `fence` is the lease's now, held and not run out.
    pub fn admits(&self, fence: &Fence) -> bool {
        let held = self.held.lock().expect("leases lock");
        held.get(&fence.lease).is_some_and(|h| {
            h.holder == fence.holder && h.fence == fence.fence && h.until > Instant::now()
        })
    }
}

#[async_trait]
impl Cluster for LocalCluster {
    async fn acquire(
        &self,
        name: &str,
        holder: &str,
        ttl: Duration,
    ) -> Result<Option<u64>, StoreError> {
        let mut held = self.held.lock().expect("leases lock");
        let now = Instant::now();
        let fence = match held.get(name) {
            Some(h) if h.holder == holder => h.fence,
            Some(h) if h.until > now => return Ok(None),
            Some(h) => h.fence + 1,
            None => 1,
        };
        held.insert(
            name.to_owned(),
            Held {
                holder: holder.to_owned(),
                fence,
                until: now + ttl,
            },
        );
        Ok(Some(fence))
    }

    async fn release(&self, name: &str, holder: &str) -> Result<(), StoreError> {
        let mut held = self.held.lock().expect("leases lock");
        if let Some(h) = held.get_mut(name) {
            if h.holder == holder {
                h.until = Instant::now();
            }
        }
        Ok(())
    }

    async fn heartbeat(&self, node: &str, users: &[Uuid], ttl: Duration) -> Result<(), StoreError> {
        self.presence.lock().expect("presence lock").insert(
            node.to_owned(),
            (users.iter().copied().collect(), Instant::now() + ttl),
        );
        Ok(())
    }

    async fn online(&self, except: &str) -> Result<HashSet<Uuid>, StoreError> {
        let now = Instant::now();
        Ok(self
            .presence
            .lock()
            .expect("presence lock")
            .iter()
            .filter(|(node, (_, until))| node.as_str() != except && *until > now)
            .map(|(_, word)| word)
            .flat_map(|(users, _)| users.iter().copied())
            .collect())
    }
}

/// The refusal of an append whose fence is not the lease's.
pub fn stale(fence: &Fence) -> StoreError {
    StoreError::LeaseLost(format!(
        "lease {} is no longer held by {} with fence {}",
        fence.lease, fence.holder, fence.fence
    ))
}
