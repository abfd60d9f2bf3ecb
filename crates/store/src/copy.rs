//! Moving a shop between stores (R33's `chatd store copy`): the whole log, event by event, exactly
//! as recorded (positions, stream versions, ids, hashes, metadata and store times), so the hash
//! chains and every checkpoint an auditor kept hold on the copy.
//!
//! - [`Import`]: what a target store offers: its two ends, and an import of events recorded
//!   elsewhere, all or nothing per call, each event checked to continue the log and its stream
//!   ([`check_continues`]);
//! - [`copy`]: pages of the source's log into the target; it resumes after an interruption (the
//!   target's log is then a prefix of the source's) and refuses a target holding anything else.
//!
//! Both ends need positions `1, 2, 3, …` with no hole (the embedded store and PostgreSQL), so a
//! copied event keeps its position and a checkpoint's heads stay true.

use crate::hash::{recompute, GENESIS};
use crate::{EventStore, Position, RecordedEvent, StoreError};
use async_trait::async_trait;
use std::collections::HashMap;
use std::time::Duration;

/// Each stream's last version and hash, as a target sees it.
pub type StreamHeads = HashMap<String, (u64, [u8; 32])>;

#[async_trait]
pub trait Import: Send + Sync {
    /// The first and the last event of the log (`None`: empty).
    async fn ends(&self) -> Result<Option<(RecordedEvent, RecordedEvent)>, StoreError>;

    /// Write `events` exactly as they were recorded, in one transaction. Refused (nothing
    /// written) unless they continue this log and each of their streams, see
    /// [`check_continues`].
    async fn import(&self, events: Vec<RecordedEvent>) -> Result<(), StoreError>;
}

/// Whether `events` continue a log whose last position is `head` (0: empty) and whose streams
/// end at `heads` (every stream of `events` looked up; absent: no such stream yet): positions
/// `head + 1, …` with no hole; each event at its stream's next version, chained to its head's
/// hash, with a hash that is its own. `heads` is moved along.
pub fn check_continues(
    head: u64,
    events: &[RecordedEvent],
    heads: &mut StreamHeads,
) -> Result<(), StoreError> {
    for (next, e) in (head + 1..).zip(events) {
        if e.position != Position::single(next) {
            return Err(StoreError::Invalid(format!(
                "the event at position {} does not continue the log, which is at {}: the source \
                 has a hole there (see `chatd audit verify` on it)",
                e.position,
                next - 1
            )));
        }
        if recompute(e) != e.hash {
            return Err(StoreError::Invalid(format!(
                "the event at position {} ({} version {}) does not match its hash: the source \
                 was changed (see `chatd audit verify` on it)",
                e.position, e.stream, e.version
            )));
        }
        let (version, prev) = heads
            .get(&e.stream)
            .map_or((0, GENESIS), |&(v, h)| (v + 1, h));
        if e.version != version || e.prev_hash != prev {
            return Err(StoreError::Invalid(format!(
                "the event at position {} is version {} of {}, which does not continue that \
                 stream here (next version {version})",
                e.position, e.version, e.stream
            )));
        }
        heads.insert(e.stream.clone(), (e.version, e.hash));
    }
    Ok(())
}

/// How [`copy`] goes about it.
#[derive(Debug, Clone, Copy)]
pub struct CopyOptions {
    /// Events per transaction on the target.
    pub batch: usize,
    /// A rest between batches, to leave a serving source room.
    pub pause: Duration,
}

impl Default for CopyOptions {
    fn default() -> Self {
        CopyOptions {
            batch: 1000,
            pause: Duration::ZERO,
        }
    }
}

/// What a copy did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Copied {
    /// The target's last position before this run, when it resumed an earlier one.
    pub resumed_after: Option<u64>,
    /// Events written by this run.
    pub events: u64,
    /// The last position of both logs afterwards.
    pub head: u64,
}

/// Where a copy stands, for progress reports: the last position copied, and the source's.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub copied: u64,
    pub total: u64,
}

/// Copy every event of `from` that `to` lacks; `progress` hears after each batch.
pub async fn copy(
    from: &dyn EventStore,
    to: &dyn Import,
    options: CopyOptions,
    mut progress: impl FnMut(Progress) + Send,
) -> Result<Copied, StoreError> {
    if !from.contiguous_positions() {
        return Err(StoreError::Invalid(
            "the source's positions are not 1, 2, 3, …: copy works between the embedded store \
             and PostgreSQL"
                .into(),
        ));
    }
    let start = match to.ends().await? {
        None => 0,
        Some((first, last)) => {
            let at = last.position.commit;
            let theirs = (
                from.read_all(None, 1).await?,
                from.read_all(Some(Position::single(at - 1)), 1).await?,
            );
            let same = |a: &RecordedEvent, b: Option<&RecordedEvent>| {
                b.is_some_and(|b| {
                    (&a.stream, a.version, a.id, a.hash, a.position)
                        == (&b.stream, b.version, b.id, b.hash, b.position)
                })
            };
            if !(same(&first, theirs.0.first()) && same(&last, theirs.1.first())) {
                return Err(StoreError::Invalid(format!(
                    "the target already holds other data: its event at position {at} ({} \
                     version {}) is not the source's; copy into an empty database or data \
                     directory",
                    last.stream, last.version
                )));
            }
            at
        }
    };
    let mut total = from.head().await?.map_or(0, |p| p.commit);
    let mut at = start;
    let mut events = 0u64;
    progress(Progress { copied: at, total });
    loop {
        let after = (at > 0).then(|| Position::single(at));
        let page = from.read_all(after, options.batch.max(1)).await?;
        let Some(last) = page.last() else { break };
        let last = last.position.commit;
        let n = page.len() as u64;
        to.import(page).await?;
        at = last;
        events += n;
        total = total.max(at);
        progress(Progress { copied: at, total });
        if !options.pause.is_zero() {
            tokio::time::sleep(options.pause).await;
        }
    }
    Ok(Copied {
        resumed_after: (start > 0).then_some(start),
        events,
        head: at,
    })
}
