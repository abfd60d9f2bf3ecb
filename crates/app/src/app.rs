//! `App`: the command runner's home (see `runner`), the read models following the log (see
//! `follower`), `min_position` waits, and the background tasks, which it owns and joins on
//! shutdown.

use crate::follower::{self, Listener, Presence, Work};
use crate::{runner, snapshot, AppError};
use chatd_projections::ReadModel;
use chatd_store::{EventStore, Position, StoreError};
use std::future::Future;
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard};
use std::time::Duration;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;

/// How long a read waits for the read models to reach its `min_position` (SPEC §2).
pub const MIN_POSITION_WAIT: Duration = Duration::from_secs(5);
/// How long shutdown waits for background tasks to wind down before aborting them.
const WIND_DOWN: Duration = Duration::from_secs(10);

/// What the distribution bot (R18) is told of, in log order.
pub type DistributionFeed = mpsc::UnboundedReceiver<Work>;

pub struct App {
    pub store: Arc<dyn EventStore>,
    /// Where the read models' snapshot is kept, if anywhere.
    snapshot_path: Option<std::path::PathBuf>,
    /// The position the read models were restored at, when a snapshot was used.
    pub restored_from: Option<Position>,
    pub(crate) model: Arc<RwLock<ReadModel>>,
    progress: watch::Receiver<Option<Position>>,
    /// Aggregates kept folded in memory, by type (see `runner`).
    pub(crate) caches: runner::Caches,
    work: mpsc::UnboundedSender<Work>,
    distribution_feed: Mutex<Option<DistributionFeed>>,
    /// Who holds a socket on this node (for R18's `require_online`).
    presence: Arc<dyn Presence>,
    /// Who holds a socket on another node, as the store last said (R34, `cluster::share_presence`).
    pub(crate) cluster_online: RwLock<std::collections::HashSet<chatd_domain::UserId>>,
    /// This process's name among the nodes: the holder of its leases, the key of its presence.
    pub node: String,
    /// Set when chatd stops: background work winds down.
    stopping: watch::Sender<bool>,
    /// Every background task: the follower, the workers, the timers.
    tasks: Mutex<JoinSet<()>>,
    /// The log's head at start: ready once the read models have applied it.
    started_at: Option<Position>,
    /// Session state beyond the log: idle limit, failed-login throttles (R28).
    pub sessions: crate::usecases::sessions::Sessions,
    /// Held while a change that could remove the last active admin is checked and made (R28).
    pub(crate) admin_changes: tokio::sync::Mutex<()>,
    /// The follower's listeners, also told of what is not in the log (R24's typing).
    listeners: Vec<Arc<dyn Listener>>,
    /// R24: at most one typing notice per dialog and side every few seconds.
    pub(crate) typing: crate::usecases::typing::Throttle,
    /// R35: the data keys that seal and open personal strings.
    pub keys: crate::privacy::Keys,
    /// One snapshot write at a time (they share the temporary file).
    snapshot_writes: tokio::sync::Mutex<()>,
    /// R37: the time of every command and timer.
    pub clock: crate::clock::Clock,
    /// Commands for one stream take turns (`lanes`).
    pub(crate) lanes: crate::lanes::Lanes,
    /// Appends that lost the version check and were decided again (a metric, and tests).
    pub(crate) conflicts: std::sync::atomic::AtomicU64,
    /// The log's head, read afresh for `caught_up_with_head` and shared by callers that wait.
    head: crate::coalesce::Fresh<Option<Position>, StoreError>,
}

impl App {
    /// Start following the log into the read models (restored from the snapshot at
    /// `snapshot_path` when it is usable, else from position 0), telling `listeners` of every
    /// event applied, and return once they have caught up with the log as it is now.
    pub async fn start(
        store: Arc<dyn EventStore>,
        snapshot_path: Option<std::path::PathBuf>,
        listeners: Vec<Arc<dyn Listener>>,
        presence: Arc<dyn Presence>,
        keys: crate::privacy::Keys,
    ) -> Result<Arc<App>, StoreError> {
        let clock = crate::clock::Clock::system();
        let app = Self::open(store, snapshot_path, listeners, presence, None, keys, clock).await?;
        app.caught_up().await?;
        Ok(app)
    }

    /// Like [`App::start`], but return at once: the read models catch up in the background
    /// (R28: the edge answers `/readyz` 503 meanwhile); [`App::caught_up`] waits for them.
    pub async fn open(
        store: Arc<dyn EventStore>,
        snapshot_path: Option<std::path::PathBuf>,
        listeners: Vec<Arc<dyn Listener>>,
        presence: Arc<dyn Presence>,
        follower_delay: Option<Duration>,
        keys: crate::privacy::Keys,
        clock: crate::clock::Clock,
    ) -> Result<Arc<App>, StoreError> {
        let head = store.head().await?;
        keys.load(store.as_ref()).await?;
        let restored = match &snapshot_path {
            Some(path) => snapshot::load(path, head).await,
            None => None,
        };
        let legacy = restored.as_ref().is_some_and(|r| r.legacy);
        let restored = restored.map(|r| r.model);
        let restored_from = restored.as_ref().and_then(|m| m.position);
        let mut model = restored.unwrap_or_default();
        model.keys = keys.ring.clone();
        let model = Arc::new(RwLock::new(model));
        let (erased_tx, erased_rx) = mpsc::unbounded_channel();
        let (progress_tx, progress) = watch::channel(restored_from);
        let (work, work_rx) = mpsc::unbounded_channel();
        let stopping = watch::channel(false).0;
        for l in &listeners {
            l.starts_at(restored_from);
        }
        let sub = store.subscribe_all(restored_from).await?;
        let mut tasks = JoinSet::new();
        tasks.spawn(follower::follow(
            sub,
            follower::Keyed {
                keys: keys.clone(),
                store: store.clone(),
                erased: erased_tx,
            },
            model.clone(),
            follower::Told {
                progress: progress_tx,
                listeners: listeners.clone(),
                work: work.clone(),
            },
            stopping.subscribe(),
            follower_delay,
        ));
        let app = Arc::new(App {
            store,
            snapshot_path,
            restored_from,
            model,
            progress,
            caches: runner::Caches::default(),
            work,
            distribution_feed: Mutex::new(Some(work_rx)),
            presence,
            cluster_online: Default::default(),
            node: crate::cluster::node_name(),
            stopping,
            tasks: Mutex::new(tasks),
            started_at: head,
            sessions: Default::default(),
            admin_changes: Default::default(),
            listeners,
            typing: Default::default(),
            keys,
            snapshot_writes: Default::default(),
            clock,
            lanes: Default::default(),
            conflicts: Default::default(),
            head: Default::default(),
        });
        crate::usecases::privacy::follow_erasures(&app, erased_rx);
        if restored_from.is_some() {
            crate::reports::rebuild(&app);
        }
        if legacy {
            // An earlier build's JSON snapshot is read once and replaced.
            app.save_snapshot().await;
        }
        Ok(app)
    }

    /// A command by `by`, now (the application's clock).
    pub fn command<C>(&self, by: chatd_domain::Principal, body: C) -> chatd_domain::Command<C> {
        chatd_domain::Command {
            by,
            at: self.clock.now(),
            body,
        }
    }

    /// Now, by the application's clock.
    pub fn now(&self) -> time::OffsetDateTime {
        self.clock.now()
    }

    /// Wait until the read models have applied the log as it was at start.
    pub async fn caught_up(&self) -> Result<(), StoreError> {
        self.wait_for(self.started_at, Duration::from_secs(3600))
            .await
            .map_err(|e| StoreError::Internal(e.to_string()))
    }

    /// R28's readiness: the read models have applied the log as it was at start.
    pub fn is_ready(&self) -> bool {
        match self.started_at {
            None => true,
            Some(head) => self.position().is_some_and(|p| p >= head),
        }
    }

    /// The log's head when this node started (what readiness waits for).
    pub fn started_at(&self) -> Option<Position> {
        self.started_at
    }

    /// Run `task` in the background until shutdown; it should end soon after `stopping()`
    /// turns `true`.
    pub fn spawn(&self, task: impl Future<Output = ()> + Send + 'static) {
        self.tasks.lock().expect("task set lock").spawn(task);
    }

    /// Stop background work: tell every task, wait for them to end (aborting any that do not
    /// within a few seconds), then write the snapshot.
    pub async fn shutdown(&self) {
        self.stopping.send_replace(true);
        let mut tasks = std::mem::take(&mut *self.tasks.lock().expect("task set lock"));
        let joined = tokio::time::timeout(WIND_DOWN, async {
            while tasks.join_next().await.is_some() {}
        })
        .await;
        if joined.is_err() {
            tracing::warn!("background tasks did not stop in time; aborting them");
            tasks.shutdown().await;
        }
        self.save_snapshot().await;
    }

    /// Write the read models' snapshot (see `snapshot`), if a path is configured.
    pub async fn save_snapshot(&self) {
        let Some(path) = self.snapshot_path.clone() else {
            return;
        };
        let _one = self.snapshot_writes.lock().await;
        let model = self.model.clone();
        match tokio::task::spawn_blocking(move || snapshot::save(&path, &model)).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "could not write the read-model snapshot"),
            Err(e) => tracing::warn!(error = %e, "snapshot task failed"),
        }
    }

    /// Snapshot every `every` while the log moves, until shutdown.
    pub fn snapshot_periodically(self: &Arc<Self>, every: Duration) {
        let weak = Arc::downgrade(self);
        let mut stopping = self.stopping();
        self.spawn(async move {
            let mut saved = None;
            loop {
                tokio::select! {
                    _ = tokio::time::sleep(every) => {}
                    _ = stopping.wait_for(|s| *s) => return,
                }
                let Some(app) = weak.upgrade() else { return };
                let now = app.position();
                if now != saved {
                    app.save_snapshot().await;
                    saved = now;
                }
            }
        });
    }

    /// The distribution feed, to the one consumer that asks first.
    pub fn take_distribution_feed(&self) -> Option<DistributionFeed> {
        self.distribution_feed
            .lock()
            .expect("distribution feed lock")
            .take()
    }

    /// R18: a user's last socket on this node closed (under `require_online` they are
    /// unavailable now).
    pub fn user_went_offline(&self, user: chatd_domain::UserId) {
        let _ = self.work.send(Work::Unavailable(user));
    }

    /// R31: a user's first socket on this node opened (under `require_online` they may take
    /// queued dialogs now).
    pub fn user_came_online(&self, _user: chatd_domain::UserId) {
        let _ = self.work.send(Work::Capacity);
    }

    /// R34: who holds a socket on another node changed; the listeners (the hub) announce it.
    pub(crate) fn tell_online_elsewhere(
        &self,
        users: &std::collections::HashSet<chatd_domain::UserId>,
    ) {
        for l in &self.listeners {
            l.online_elsewhere(users);
        }
    }

    /// R18's `require_online`: a socket on this node, or on another as the store last said.
    pub fn is_online(&self, user: chatd_domain::UserId) -> bool {
        self.presence.is_online(user)
            || self
                .cluster_online
                .read()
                .expect("presence lock")
                .contains(&user)
    }

    /// Whether `user` holds a socket on this node.
    pub fn is_online_here(&self, user: chatd_domain::UserId) -> bool {
        self.presence.is_online(user)
    }

    /// Tell every listener of something live that is not in the log (R24).
    pub(crate) fn announce_typing(&self, t: &crate::Typing) {
        let m = self.model();
        for l in &self.listeners {
            l.typing(&m, t);
        }
    }

    /// Becomes `true` when chatd stops.
    pub fn stopping(&self) -> watch::Receiver<bool> {
        self.stopping.subscribe()
    }

    /// The read models, as of the last event applied.
    pub fn model(&self) -> RwLockReadGuard<'_, ReadModel> {
        self.model.read().expect("read model lock")
    }

    pub fn position(&self) -> Option<Position> {
        *self.progress.borrow()
    }

    /// Wait until the read models have applied the log up to its head as the store shows it now,
    /// so they show every change any node has committed (R34). Where a read finds nothing (a
    /// login, a token, an outbox match) the thing may have been written a moment ago through
    /// another node: catching up once tells "not yet applied here" from "not there". Callers
    /// that wait at once share reads of the head (`coalesce`): a flood of misses costs the
    /// store one read at a time.
    pub async fn caught_up_with_head(&self) -> Result<(), AppError> {
        let head = self.fresh_head().await?;
        self.wait_for(head, MIN_POSITION_WAIT).await
    }

    /// The log's head as the store shows it now (a read begun after this call), shared with
    /// the callers that ask at the same moment (`coalesce`).
    pub async fn fresh_head(&self) -> Result<Option<Position>, StoreError> {
        self.head.get(|| self.store.head()).await
    }

    /// Wait until the read models have applied `min` (SPEC §2: read-your-writes).
    pub async fn wait_for(&self, min: Option<Position>, limit: Duration) -> Result<(), AppError> {
        let Some(min) = min else { return Ok(()) };
        let mut rx = self.progress.clone();
        let reached =
            tokio::time::timeout(limit, rx.wait_for(|p| p.is_some_and(|p| p >= min))).await;
        match reached {
            Ok(Ok(_)) => Ok(()),
            _ => Err(AppError::Lagging(min.to_string())),
        }
    }
}
