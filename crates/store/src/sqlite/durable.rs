//! Durability beside the writer (DECISIONS: "The WAL is fsynced beside the writer").
//!
//! With [`SqliteConfig::sync_beside`](super::SqliteConfig) on (the default), the writer commits
//! each batch with `synchronous=NORMAL`: SQLite writes the batch's WAL frames and returns without
//! an fsync. The writer hands the batch to this module's thread and goes on to the next one. The
//! thread fsyncs the WAL file once for every batch committed meanwhile, and only then publishes
//! them, in commit order ([`publish`]): the durable head, the streams' versions, the live channel
//! and the callers' answers. Reads and subscribers see the log up to the durable head only. So, as
//! with `synchronous=FULL`, nobody is told "done" and nobody sees an event before it is on disk;
//! but the CPU goes on deciding and committing while the disk syncs, instead of idling for every
//! fsync.
//!
//! An fsync that fails leaves the file's state unknown (the kernel may have dropped the dirty
//! pages and forgotten the error): the store then refuses every append until a restart, which
//! recovers from what the file holds.

use super::Shared;
use crate::{AppendResult, RecordedEvent, StoreError};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{mpsc, Arc};
use tokio::sync::oneshot;

/// Stream versions remembered for `cached_version`; beyond it the map starts afresh.
const VERSIONS_CACHE: usize = 200_000;
/// Why an append is refused after the fsync that failed.
pub const EARLIER: &str = "an earlier fsync failed";
/// Committed batches that may wait for their fsync before the writer waits too.
const DEPTH: usize = 64;

pub type Reply = oneshot::Sender<Result<AppendResult, StoreError>>;

/// One committed transaction: its events and the answer owed to each of its appends.
pub struct Committed {
    pub recorded: Vec<Arc<RecordedEvent>>,
    pub answers: Vec<(Reply, Result<AppendResult, StoreError>)>,
}

/// Make a durable batch visible and answer its callers: versions before the head, the head
/// before the answers, so an answered append is always reflected in both.
pub fn publish(shared: &Shared, batch: Committed) {
    if !batch.recorded.is_empty() {
        let mut versions = shared.versions.lock().expect("versions lock");
        if versions.len() > VERSIONS_CACHE {
            versions.clear();
        }
        for e in &batch.recorded {
            versions.insert(e.stream.clone(), e.version);
        }
    }
    shared
        .syncing
        .fetch_sub(batch.answers.len(), Ordering::Relaxed);
    if let Some(last) = batch.recorded.last() {
        let mut tap = shared.tap.lock().expect("tap lock");
        shared.set_head(last.position.commit);
        tapped(&mut tap, &batch.recorded);
        drop(tap);
        // Nobody listening is fine: subscribers catch up from the file.
        let _ = shared.live.send(Arc::new(batch.recorded));
    }
    for (reply, outcome) in batch.answers {
        let _ = reply.send(outcome);
    }
}

/// Hand a durable batch to the live tap, if one is installed; one that wants no more goes. A tap
/// that panics goes too (its consumer stops following, as a task that panicked would), never
/// the thread that syncs.
fn tapped(tap: &mut Option<crate::LiveTap>, batch: &[Arc<RecordedEvent>]) {
    let Some(f) = tap.as_mut() else { return };
    let run = std::panic::AssertUnwindSafe(|| f(batch));
    match std::panic::catch_unwind(run) {
        Ok(true) => {}
        Ok(false) => *tap = None,
        Err(_) => {
            tracing::error!("the live tap panicked; its consumer no longer follows the log");
            *tap = None;
        }
    }
}

/// The thread that fsyncs the WAL and publishes what it made durable.
pub struct Syncer {
    batches: mpsc::SyncSender<Committed>,
    thread: std::thread::JoinHandle<()>,
    shared: Arc<Shared>,
}

impl Syncer {
    pub fn start(db: &Path, shared: Arc<Shared>) -> Result<Syncer, StoreError> {
        let (batches, rx) = mpsc::sync_channel(DEPTH);
        let mut wal = Wal::new(db);
        let syncing = shared.clone();
        let thread = std::thread::Builder::new()
            .name("chatd-store-sync".into())
            .spawn(move || {
                while let Ok(first) = rx.recv() {
                    let mut group = vec![first];
                    group.extend(rx.try_iter());
                    let synced = if syncing.failed.load(Ordering::Acquire) {
                        Err(EARLIER.to_owned())
                    } else {
                        wal.sync().map_err(|e| e.to_string())
                    };
                    match synced {
                        Ok(()) => group.into_iter().for_each(|b| publish(&syncing, b)),
                        Err(e) => refuse(&syncing, group, &e),
                    }
                }
            })
            .map_err(|e| StoreError::Internal(e.to_string()))?;
        Ok(Syncer {
            batches,
            thread,
            shared,
        })
    }

    /// Queue a committed batch for its fsync; waits while [`DEPTH`] batches already wait.
    pub fn hand(&self, batch: Committed) {
        if let Err(mpsc::SendError(batch)) = self.batches.send(batch) {
            // The thread is gone (it panicked): nothing can be made durable from here on.
            refuse(&self.shared, vec![batch], "the store's sync thread stopped");
        }
    }

    /// Sync and answer everything handed so far, then stop.
    pub fn finish(self) {
        drop(self.batches);
        let _ = self.thread.join();
    }
}

/// After a failed fsync: no answer but a refusal, and no append accepted any more.
fn refuse(shared: &Shared, group: Vec<Committed>, error: &str) {
    if !shared.failed.swap(true, Ordering::AcqRel) {
        tracing::error!(
            error,
            "fsync of the event log failed; the store refuses appends until chatd restarts"
        );
    }
    for batch in group {
        shared
            .syncing
            .fetch_sub(batch.answers.len(), Ordering::Relaxed);
        for (reply, _) in batch.answers {
            let _ = reply.send(Err(refused(error)));
        }
    }
}

/// What an append is answered once an fsync has failed.
pub fn refused(error: &str) -> StoreError {
    StoreError::Unavailable(format!(
        "the event log could not be synced to disk ({error}); restart chatd"
    ))
}

/// The SQLite file's write-ahead log, opened for fsync. It is reopened when the path names
/// another file than the one held (SQLite removes the log only when its last connection closes,
/// which the writer's never does while it runs; the check costs one `stat` per sync).
struct Wal {
    path: PathBuf,
    dir: PathBuf,
    held: Option<(File, u64)>,
}

impl Wal {
    fn new(db: &Path) -> Wal {
        let mut path = db.as_os_str().to_owned();
        path.push("-wal");
        let dir = match db.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Wal {
            path: path.into(),
            dir,
            held: None,
        }
    }

    fn sync(&mut self) -> std::io::Result<()> {
        use std::os::unix::fs::MetadataExt;
        let current = std::fs::metadata(&self.path)?.ino();
        if self.held.as_ref().map(|(_, ino)| *ino) != Some(current) {
            let file = File::open(&self.path)?;
            let ino = file.metadata()?.ino();
            // A log created since the last look: its directory entry must be durable too.
            File::open(&self.dir)?.sync_all()?;
            self.held = Some((file, ino));
        }
        let (file, _) = self.held.as_ref().expect("opened above");
        file.sync_data()
    }
}
