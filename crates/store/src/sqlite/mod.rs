//! The embedded default store: one SQLite file in WAL mode, a global position column, group
//! commit (see `writer`), and the log's fsync beside the writer (see `durable`). Reads see the
//! log up to the durable head.

mod checkpoint;
mod durable;
mod import;
pub(crate) mod keys;
mod schema;
mod writer;

use crate::hash::content_digests;
use crate::subscription::{Subscription, SubscriptionSender};
use crate::{
    AppendResult, Direction, EventStore, ExpectedVersion, NewEvent, Position, RecordedEvent,
    Scanned, StoreError,
};
use async_trait::async_trait;
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::{broadcast, mpsc, oneshot};
use writer::AppendRequest;

pub use import::SqliteImport;
pub use schema::SCHEMA;

#[derive(Debug, Clone)]
pub struct SqliteConfig {
    pub path: PathBuf,
    /// Most appends one transaction takes. 1 turns group commit off (one transaction per append),
    /// which the benchmark uses as its baseline.
    pub max_batch: usize,
    /// Appends that may wait for the writer; callers beyond it wait their turn.
    pub queue: usize,
    /// Fsync the log on a thread beside the writer, which commits the next batch meanwhile
    /// (`durable`). Off: the writer's connection syncs each commit itself (`synchronous=FULL`),
    /// which the benchmark measures against.
    pub sync_beside: bool,
}

impl SqliteConfig {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        SqliteConfig {
            path: path.into(),
            max_batch: 1024,
            queue: 16384,
            sync_beside: true,
        }
    }
}

/// Batches of committed events, in commit order, for live subscribers.
type LiveBatch = Arc<Vec<Arc<RecordedEvent>>>;

pub(crate) struct Shared {
    /// Position of the last durable event; 0 when the log is empty. Reads stop here.
    head: AtomicU64,
    live: broadcast::Sender<LiveBatch>,
    /// Transactions committed and appends answered, for `WriterStats`.
    commits: AtomicU64,
    appends: AtomicU64,
    /// Appends sent to the writer and not yet answered.
    in_flight: AtomicUsize,
    /// Appends committed and waiting for their fsync (`durable`).
    syncing: AtomicUsize,
    /// An fsync failed: the store refuses appends until a restart.
    failed: AtomicBool,
    /// Streams' versions as of every append answered (bounded; see `cached_version`).
    versions: std::sync::Mutex<std::collections::HashMap<String, u64>>,
    /// The consumer that takes durable batches where they are published (`tap_live`). The head
    /// moves only under this lock, so a tap is installed exactly at the head.
    tap: std::sync::Mutex<Option<crate::LiveTap>>,
}

/// What the group commit has done so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriterStats {
    pub commits: u64,
    pub appends: u64,
}

impl WriterStats {
    /// Appends per transaction.
    pub fn mean_batch(&self) -> f64 {
        self.appends as f64 / self.commits.max(1) as f64
    }
}

impl Shared {
    fn head(&self) -> u64 {
        self.head.load(Ordering::Acquire)
    }
    fn set_head(&self, p: u64) {
        self.head.store(p, Ordering::Release)
    }
}

pub struct SqliteStore {
    shared: Arc<Shared>,
    appends: Mutex<Option<mpsc::Sender<AppendRequest>>>,
    writer: Mutex<Option<std::thread::JoinHandle<()>>>,
    checkpointer: Mutex<Option<checkpoint::Checkpointer>>,
    readers: Arc<ReadPool>,
    /// One process holds the store: its leases and presence are in memory.
    cluster: crate::cluster::LocalCluster,
    /// R35's data keys, in the same file.
    keys: keys::SqliteKeys,
}

impl SqliteStore {
    /// Open (creating if need be) the store file.
    pub fn open(config: SqliteConfig) -> Result<Arc<SqliteStore>, StoreError> {
        if let Some(dir) = config.path.parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| StoreError::Unavailable(format!("{}: {e}", dir.display())))?;
            }
        }
        let conn = schema::open(&config.path)?;
        conn.execute_batch(SCHEMA)?;
        // The checkpointer thread checkpoints; the writer only past a backstop (`checkpoint`).
        conn.pragma_update(None, "wal_autocheckpoint", checkpoint::BACKSTOP_PAGES)?;
        let head: i64 =
            conn.query_row("SELECT COALESCE(MAX(position), 0) FROM events", [], |r| {
                r.get(0)
            })?;
        let (live, _) = broadcast::channel(1024);
        let shared = Arc::new(Shared {
            head: AtomicU64::new(head as u64),
            live,
            commits: AtomicU64::new(0),
            appends: AtomicU64::new(0),
            in_flight: AtomicUsize::new(0),
            syncing: AtomicUsize::new(0),
            failed: AtomicBool::new(false),
            versions: std::sync::Mutex::new(std::collections::HashMap::new()),
            tap: std::sync::Mutex::new(None),
        });
        let keys = keys::SqliteKeys::open(&config.path)?;
        let checkpointer = checkpoint::Checkpointer::start(&config.path, shared.clone())?;
        let (tx, rx) = mpsc::channel(config.queue.max(1));
        let syncer = if config.sync_beside {
            // The syncer's fsync makes each commit durable before anyone hears of it; SQLite's
            // own would make the writer wait for the disk (DECISIONS).
            conn.pragma_update(None, "synchronous", "NORMAL")?;
            Some(durable::Syncer::start(&config.path, shared.clone())?)
        } else {
            None
        };
        let writer_shared = shared.clone();
        let max_batch = config.max_batch.max(1);
        let writer = std::thread::Builder::new()
            .name("chatd-store-writer".into())
            .spawn(move || writer::Writer::new(conn, writer_shared, syncer).run(rx, max_batch))
            .map_err(|e| StoreError::Internal(e.to_string()))?;
        Ok(Arc::new(SqliteStore {
            cluster: Default::default(),
            keys,
            shared: shared.clone(),
            appends: Mutex::new(Some(tx)),
            writer: Mutex::new(Some(writer)),
            checkpointer: Mutex::new(Some(checkpointer)),
            readers: Arc::new(ReadPool {
                shared,
                path: config.path,
                idle: Mutex::new(Vec::new()),
            }),
        }))
    }

    pub fn writer_stats(&self) -> WriterStats {
        WriterStats {
            commits: self.shared.commits.load(Ordering::Relaxed),
            appends: self.shared.appends.load(Ordering::Relaxed),
        }
    }

    /// The file behind the store.
    pub fn path(&self) -> &Path {
        &self.readers.path
    }

    async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection, u64) -> Result<T, StoreError> + Send + 'static,
    {
        read_with(&self.readers, f).await
    }

    /// A read that touches a handful of rows through an index, run on the calling thread: it
    /// takes tens of microseconds, less than handing it to a blocking pool and being woken back.
    fn read_inline<T>(
        &self,
        f: impl FnOnce(&Connection, u64) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.readers.run(f)
    }
}

async fn read_with<T, F>(pool: &Arc<ReadPool>, f: F) -> Result<T, StoreError>
where
    T: Send + 'static,
    F: FnOnce(&Connection, u64) -> Result<T, StoreError> + Send + 'static,
{
    let pool = pool.clone();
    tokio::task::spawn_blocking(move || pool.run(f))
        .await
        .map_err(|e| StoreError::Internal(e.to_string()))?
}

/// Counts an append as in flight until it is answered or abandoned.
struct InFlight<'a>(&'a AtomicUsize);

impl<'a> InFlight<'a> {
    fn enter(counter: &'a AtomicUsize) -> Self {
        counter.fetch_add(1, Ordering::Relaxed);
        InFlight(counter)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Stream reads of at most this many rows run on the caller's thread (see `read_inline`).
pub const INLINE_READ_ROWS: usize = 128;

/// Read connections kept open for reuse: enough for a busy server's concurrent reads, since
/// opening one (and its pragmas) costs far more than a read.
const MAX_IDLE_READERS: usize = 128;

/// Read connections, reused; WAL lets them read while the writer writes. Every read is handed
/// the durable head, where it stops (`durable`).
struct ReadPool {
    shared: Arc<Shared>,
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl ReadPool {
    /// Run `f` on a pooled connection, handing it the durable head where its read stops.
    fn run<T>(
        &self,
        f: impl FnOnce(&Connection, u64) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let conn = self.take()?;
        let out = f(&conn, self.shared.head());
        self.give_back(conn);
        out
    }

    fn take(&self) -> Result<Connection, StoreError> {
        if let Some(c) = self.idle.lock().expect("pool lock").pop() {
            return Ok(c);
        }
        let c = schema::open(&self.path)?;
        c.pragma_update(None, "query_only", true)?;
        // A reader meets a lock only for the instant the writer publishes a commit; SQLite's
        // default busy handler would sleep whole milliseconds for it. Yield and retry instead.
        c.busy_handler(Some(|attempt| {
            if attempt < 64 {
                std::thread::yield_now();
            } else {
                std::thread::sleep(std::time::Duration::from_micros(100));
            }
            attempt < 100_000
        }))?;
        Ok(c)
    }
    fn give_back(&self, conn: Connection) {
        let mut idle = self.idle.lock().expect("pool lock");
        if idle.len() < MAX_IDLE_READERS {
            idle.push(conn);
        }
    }
}

fn read_all_sync(
    conn: &Connection,
    after: Option<Position>,
    upto: u64,
    limit: usize,
) -> Result<Vec<RecordedEvent>, StoreError> {
    log_page(conn, after, upto, limit, schema::row_to_event)
}

/// The most rows a page reserves room for at once (a caller may ask for more and get them).
const PAGE_CAPACITY: usize = 8192;

/// Rows after `after` up to the durable head `upto`, in log order.
fn log_page<T>(
    conn: &Connection,
    after: Option<Position>,
    upto: u64,
    limit: usize,
    map: fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>, StoreError> {
    let after = after.map_or(0, |p| p.commit) as i64;
    let mut stmt = conn.prepare_cached(&format!(
        "{} WHERE position > ?1 AND position <= ?3 ORDER BY position LIMIT ?2",
        schema::SELECT_EVENT
    ))?;
    // One allocation for the page: growing it by doubling copies every row several times and
    // touches fresh memory at each step (a replay reads hundreds of such pages).
    let mut page = Vec::with_capacity(limit.min(PAGE_CAPACITY));
    for row in stmt.query_map(rusqlite::params![after, limit as i64, upto as i64], map)? {
        page.push(row?);
    }
    Ok(page)
}

#[async_trait]
impl EventStore for SqliteStore {
    async fn append(
        &self,
        stream: &str,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
    ) -> Result<AppendResult, StoreError> {
        let sender = self
            .appends
            .lock()
            .expect("append lock")
            .clone()
            .ok_or(StoreError::Closed)?;
        let (reply, answer) = oneshot::channel();
        let digests = content_digests(stream, &events);
        let _in_flight = InFlight::enter(&self.shared.in_flight);
        sender
            .send(AppendRequest {
                stream: stream.to_owned(),
                expected,
                events,
                digests,
                reply,
            })
            .await
            .map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?
    }

    async fn read_stream(
        &self,
        stream: &str,
        from: u64,
        direction: Direction,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let stream = stream.to_owned();
        let from = from.min(i64::MAX as u64) as i64;
        let query = move |conn: &Connection, upto: u64| -> Result<Vec<RecordedEvent>, StoreError> {
            let sql = match direction {
                Direction::Forwards => {
                    "WHERE stream = ?1 AND version >= ?2 AND position <= ?4 \
                     ORDER BY version ASC LIMIT ?3"
                }
                Direction::Backwards => {
                    "WHERE stream = ?1 AND version <= ?2 AND position <= ?4 \
                     ORDER BY version DESC LIMIT ?3"
                }
            };
            let mut stmt = conn.prepare_cached(&format!("{} {sql}", schema::SELECT_EVENT))?;
            let rows = stmt.query_map(
                rusqlite::params![stream, from, limit as i64, upto as i64],
                schema::row_to_event,
            )?;
            Ok(rows.collect::<Result<_, _>>()?)
        };
        if limit <= INLINE_READ_ROWS {
            self.read_inline(query)
        } else {
            self.read(query).await
        }
    }

    async fn read_all(
        &self,
        after: Option<Position>,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        self.read(move |conn, upto| read_all_sync(conn, after, upto, limit))
            .await
    }

    async fn scan_all(
        &self,
        after: Option<Position>,
        limit: usize,
    ) -> Result<Vec<Scanned>, StoreError> {
        self.read(move |conn, upto| log_page(conn, after, upto, limit, schema::scan_row))
            .await
    }

    fn contiguous_positions(&self) -> bool {
        true
    }

    async fn subscribe_all(&self, after: Option<Position>) -> Result<Subscription, StoreError> {
        let shared = self.shared.clone();
        let readers = self.readers.clone();
        Ok(Subscription::spawn(move |tx| {
            feed(shared, readers, after, tx)
        }))
    }

    fn cached_version(&self, stream: &str) -> Option<u64> {
        self.shared
            .versions
            .lock()
            .expect("versions lock")
            .get(stream)
            .copied()
    }

    async fn append_fenced(
        &self,
        stream: &str,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
        fence: &crate::cluster::Fence,
    ) -> Result<AppendResult, StoreError> {
        if !self.cluster.admits(fence) {
            return Err(crate::cluster::stale(fence));
        }
        self.append(stream, expected, events).await
    }

    fn cluster(&self) -> &dyn crate::cluster::Cluster {
        &self.cluster
    }

    fn keys(&self) -> Option<&dyn crate::keys::KeyStore> {
        Some(&self.keys)
    }

    fn tap_live(&self, after: Option<Position>, tap: crate::LiveTap) -> Result<(), crate::LiveTap> {
        let mut held = self.shared.tap.lock().expect("tap lock");
        let taken = held.as_mut().is_some_and(|t| t(&[]));
        if taken || after.map_or(0, |p| p.commit) != self.shared.head() {
            return Err(tap);
        }
        *held = Some(tap);
        Ok(())
    }

    async fn head(&self) -> Result<Option<Position>, StoreError> {
        Ok(match self.shared.head() {
            0 => None,
            n => Some(Position::single(n)),
        })
    }

    async fn close(&self) {
        // Dropping the last sender lets the writer drain what it accepted, answer it, and stop.
        drop(self.appends.lock().expect("append lock").take());
        let writer = self.writer.lock().expect("writer lock").take();
        if let Some(writer) = writer {
            let _ = tokio::task::spawn_blocking(move || writer.join()).await;
        }
        // Everything accepted is published: the tap (which may hold this store) goes.
        drop(self.shared.tap.lock().expect("tap lock").take());
        let checkpointer = self.checkpointer.lock().expect("checkpointer lock").take();
        if let Some(c) = checkpointer {
            let _ = tokio::task::spawn_blocking(move || c.stop()).await;
        }
    }
}

/// Feed one subscriber: listen to live batches first, then catch up from the file, then pass on
/// live batches, dropping what the catch-up already delivered. A subscriber that falls behind the
/// live channel goes back to the file; nothing is skipped either way.
async fn feed(
    shared: Arc<Shared>,
    readers: Arc<ReadPool>,
    after: Option<Position>,
    tx: SubscriptionSender,
) {
    const PAGE: usize = 1024;
    let mut last = after.map_or(0, |p| p.commit);
    'resubscribe: loop {
        let mut live = shared.live.subscribe();
        loop {
            let page = match read_with(&readers, move |c, upto| {
                read_all_sync(c, Some(Position::single(last)), upto, PAGE)
            })
            .await
            {
                Ok(page) => page,
                Err(e) => {
                    let _ = tx.send(Err(e)).await;
                    return;
                }
            };
            let full = page.len() == PAGE;
            for e in page {
                last = e.position.commit;
                if tx.send(Ok(Arc::new(e))).await.is_err() {
                    return;
                }
            }
            if !full {
                break;
            }
        }
        loop {
            match live.recv().await {
                Ok(batch) => {
                    for e in batch.iter() {
                        if e.position.commit <= last {
                            continue;
                        }
                        if e.position.commit != last + 1 {
                            // Cannot happen with one writer; if it ever did, the file is the truth.
                            continue 'resubscribe;
                        }
                        last = e.position.commit;
                        if tx.send(Ok(e.clone())).await.is_err() {
                            return;
                        }
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => continue 'resubscribe,
                Err(broadcast::error::RecvError::Closed) => return,
            }
        }
    }
}
