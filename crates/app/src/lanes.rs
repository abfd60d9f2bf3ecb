//! Hot dialogs (issue 32): on one node, commands for the same stream take turns instead of
//! racing. An album of five photos, or an integration's burst of retries, arrives as several
//! requests on one dialog at once; racing, each loses the version check to the one before it
//! and re-reads and decides again. In a lane each decides on the state the previous one left, in
//! the cached aggregate, and appends once. Optimistic concurrency stays for other nodes.
//!
//! Fair: a lane is a FIFO mutex (tokio's). Bounded: at most `MAX_WAITING` commands wait on one
//! stream; beyond that a command races as before rather than queue without end. A lane exists
//! only while someone holds or waits for it.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};
use tokio::sync::{Mutex as Turn, OwnedMutexGuard};

/// Commands that may wait on one stream before a newcomer races instead.
pub const MAX_WAITING: usize = 256;
const SHARDS: usize = 16;

type Lane = Arc<Turn<()>>;

#[derive(Default)]
pub struct Lanes {
    shards: [Mutex<HashMap<String, Lane>>; SHARDS],
}

/// A command's turn on its stream; the lane goes when nobody else holds or awaits it.
pub struct InLane<'a> {
    turn: Option<OwnedMutexGuard<()>>,
    lane: Lane,
    shard: &'a Mutex<HashMap<String, Lane>>,
    stream: String,
}

impl Lanes {
    fn shard(&self, stream: &str) -> &Mutex<HashMap<String, Lane>> {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        stream.hash(&mut h);
        &self.shards[(h.finish() as usize) % SHARDS]
    }

    /// Wait for `stream`'s turn (`None`: too many wait already; race).
    pub async fn enter(&self, stream: &str) -> Option<InLane<'_>> {
        let shard = self.shard(stream);
        let lane = {
            let mut map = shard.lock().expect("lanes lock");
            let lane = map.entry(stream.to_owned()).or_default().clone();
            // The map's handle, this one, and one per holder or waiter.
            if Arc::strong_count(&lane) > MAX_WAITING + 2 {
                return None;
            }
            lane
        };
        let turn = lane.clone().lock_owned().await;
        Some(InLane {
            turn: Some(turn),
            lane,
            shard,
            stream: stream.to_owned(),
        })
    }

    /// Lanes that exist now (tests).
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().expect("lanes lock").len())
            .sum()
    }
}

impl Drop for InLane<'_> {
    fn drop(&mut self) {
        self.turn.take();
        let mut map = self.shard.lock().expect("lanes lock");
        // Handles are cloned under this lock: only the map's and ours left means nobody waits.
        if Arc::strong_count(&self.lane) == 2 {
            map.remove(&self.stream);
        }
    }
}
