//! The application layer: runs domain commands against their streams with optimistic
//! concurrency, keeps the read models following the log, and answers `min_position` waits.

pub mod credentials;
mod error;
mod runner;
mod snapshot;

pub use error::{domain_status, AppError};
pub use runner::Cached;

use crate::gateway::frames::{self, Change, Sight, Summary};
use crate::gateway::Hub;
use chatd_domain::dialog::DialogEvent;
use chatd_domain::people::UserEvent;
use chatd_domain::DialogId;
use chatd_domain::Recorded;
use chatd_projections::codec::category;
use chatd_projections::model::stream_id;
use chatd_projections::{AnyEvent, ReadModel};
use chatd_store::{EventStore, Position, StoreError};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard};
use std::time::Duration;
use tokio::sync::watch;
use uuid::Uuid;

/// How long a read waits for the read models to reach its `min_position` (SPEC §2).
pub const MIN_POSITION_WAIT: Duration = Duration::from_secs(5);

pub struct App {
    pub store: Arc<dyn EventStore>,
    /// This node's WebSocket connections.
    pub hub: Arc<Hub>,
    /// Where the read models' snapshot is kept, if anywhere.
    snapshot_path: Option<std::path::PathBuf>,
    /// The position the read models were restored at, when a snapshot was used.
    pub restored_from: Option<Position>,
    model: Arc<RwLock<ReadModel>>,
    progress: watch::Receiver<Option<Position>>,
    /// Aggregates kept folded in memory, by type (see `runner`).
    caches: runner::Caches,
    /// Messages that entered the outbox, as the projection applies them (for `delivery`).
    outbox_feed: Mutex<Option<OutboxFeed>>,
    distribution_feed: Mutex<Option<DistributionFeed>>,
    /// Set when chatd stops: background work (deliveries) winds down.
    stopping: watch::Sender<bool>,
}

/// Messages to deliver by webhook: `(dialog, message)` in log order.
pub type OutboxFeed = tokio::sync::mpsc::UnboundedReceiver<(DialogId, chatd_domain::MessageId)>;

/// What the distribution bot (R18) is told of, in log order.
#[derive(Debug, Clone, Copy)]
pub enum Work {
    /// A customer wrote in a dialog nobody is responsible for.
    Unassigned(DialogId),
    /// A user's work status changed, they were deactivated, or their last socket closed.
    Unavailable(chatd_domain::UserId),
}

pub type DistributionFeed = tokio::sync::mpsc::UnboundedReceiver<Work>;

/// The background workers' inputs, fed by the projection worker after each event it applies.
struct Feeds {
    outbox: tokio::sync::mpsc::UnboundedSender<(DialogId, chatd_domain::MessageId)>,
    work: tokio::sync::mpsc::UnboundedSender<Work>,
}

impl Feeds {
    /// Tell webhook delivery of a message that entered the outbox, and the distribution bot of
    /// an unassigned dialog a customer wrote in (when there are bots) or a user who may have
    /// become unavailable.
    fn hear(&self, m: &ReadModel, decoded: &AnyEvent, stream: Option<Uuid>) {
        let Some(id) = stream else { return };
        match decoded {
            AnyEvent::Dialog(r) => match &r.event {
                DialogEvent::MessageSent { message_id, .. }
                    if m.outbox.pending.contains_key(message_id) =>
                {
                    let _ = self.outbox.send((id.into(), *message_id));
                }
                DialogEvent::MessageReceived { .. }
                    if !m.people.bots.is_empty()
                        && m.dialogs
                            .get(&id.into())
                            .is_some_and(|row| row.responsible.is_none()) =>
                {
                    let _ = self.work.send(Work::Unassigned(id.into()));
                }
                _ => {}
            },
            AnyEvent::User(r) => {
                if let UserEvent::WorkStatusChanged { .. }
                | UserEvent::UserUpdated {
                    active: Some(false),
                    ..
                } = &r.event
                {
                    let _ = self.work.send(Work::Unavailable(id.into()));
                }
            }
            _ => {}
        }
    }
}

/// What the gateway needs of a decoded event, if anything.
fn gateway_change(
    m: &ReadModel,
    decoded: AnyEvent,
    before: Option<Sight>,
    stream: Option<Uuid>,
) -> Option<Change> {
    let id = stream?;
    match decoded {
        AnyEvent::Dialog(r) => Some(Change::Dialog {
            id: id.into(),
            before,
            after: frames::sight(m, &id.into()),
            event: Box::new(r.event),
            at: r.meta.at,
        }),
        AnyEvent::Customer(r) => match r.event {
            // Refused while blocked: for the audit trail only.
            chatd_domain::customer::CustomerEvent::InboundRefused { .. } => None,
            _ => Some(Change::Customer { id: id.into() }),
        },
        AnyEvent::User(r) => match r.event {
            UserEvent::SessionStarted { .. } => None,
            UserEvent::SessionEnded { .. } => Some(Change::Access {
                user: Some(id.into()),
            }),
            _ => Some(Change::User { id: id.into() }),
        },
        // A group's rights are part of its members' principals.
        AnyEvent::Group(_) => Some(Change::Access { user: None }),
        _ => None,
    }
}

/// What a command did: its events, and the global position of the last one (or of the log's
/// head when it changed nothing), for the client's next `min_position`.
pub struct Outcome<E> {
    pub events: Vec<Recorded<E>>,
    pub position: Option<Position>,
}

impl App {
    /// Start following the log from position 0 into fresh read models, and return once they have
    /// caught up with the log as it is now.
    pub async fn start(
        store: Arc<dyn EventStore>,
        snapshot_path: Option<std::path::PathBuf>,
        ws_queue: usize,
    ) -> Result<Arc<App>, StoreError> {
        let head = store.head().await?;
        let restored = match &snapshot_path {
            Some(path) => snapshot::load(path, head).await,
            None => None,
        };
        let restored_from = restored.as_ref().and_then(|m| m.position);
        let start = restored_from;
        let model = Arc::new(RwLock::new(restored.unwrap_or_default()));
        let (tx, progress) = watch::channel(start);
        let mut sub = store.subscribe_all(start).await?;
        let worker_model = model.clone();
        let hub = Arc::new(Hub::new(start, ws_queue));
        let worker_hub = hub.clone();
        let (outbox_tx, outbox_rx) = tokio::sync::mpsc::unbounded_channel();
        let (work_tx, work_rx) = tokio::sync::mpsc::unbounded_channel();
        let offline_tx = work_tx.clone();
        let feeds = Feeds {
            outbox: outbox_tx,
            work: work_tx,
        };
        hub.on_offline(move |user| {
            let _ = offline_tx.send(Work::Unavailable(user));
        });
        tokio::spawn(async move {
            while let Some(next) = sub.next().await {
                let event = match next {
                    Ok(e) => e,
                    Err(e) => {
                        tracing::error!(error = %e, "projection subscription failed");
                        return;
                    }
                };
                let stream_uuid = stream_id::<Uuid>(&event.stream);
                let dialog = (category(&event.stream) == "dialog")
                    .then_some(stream_uuid.map(DialogId::from))
                    .flatten();
                let applied = {
                    let mut m = worker_model.write().expect("read model lock");
                    let before = dialog.and_then(|d| frames::sight(&m, &d));
                    match m.apply(&event) {
                        Ok(decoded) => decoded.map(|d| (d, before)),
                        Err(e) => {
                            // An event we cannot read is skipped loudly, never silently rewritten.
                            tracing::error!(error = %e, "projection skipped an event");
                            m.position = Some(event.position);
                            None
                        }
                    }
                };
                // The gateway hears of a change after the read models show it.
                if let Some((decoded, before)) = applied {
                    let m = worker_model.read().expect("read model lock");
                    feeds.hear(&m, &decoded, stream_uuid);
                    if let Some(change) = gateway_change(&m, decoded, before, stream_uuid) {
                        worker_hub.publish(
                            &m,
                            Summary {
                                position: event.position,
                                change,
                            },
                        );
                    }
                }
                let _ = tx.send(Some(event.position));
            }
        });
        let app = Arc::new(App {
            store,
            hub,
            snapshot_path,
            restored_from,
            model,
            progress,
            caches: runner::Caches::default(),
            outbox_feed: Mutex::new(Some(outbox_rx)),
            distribution_feed: Mutex::new(Some(work_rx)),
            stopping: watch::channel(false).0,
        });
        app.wait_for(head, Duration::from_secs(3600))
            .await
            .map_err(|e| StoreError::Internal(e.to_string()))?;
        Ok(app)
    }

    /// Write the read models' snapshot (see `snapshot`), if a path is configured.
    pub async fn save_snapshot(&self) {
        let Some(path) = self.snapshot_path.clone() else {
            return;
        };
        let snap = self.model().snapshot();
        match tokio::task::spawn_blocking(move || snapshot::save(&path, &snap)).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "could not write the read-model snapshot"),
            Err(e) => tracing::warn!(error = %e, "snapshot task failed"),
        }
    }

    /// R15: push waiting-level changes when the clock crosses a threshold, with no request made.
    /// The thresholds come from the read models, so they survive a restart.
    pub fn watch_waiting_levels(self: &Arc<Self>) {
        const TICK: Duration = Duration::from_secs(1);
        let weak = Arc::downgrade(self);
        tokio::spawn(async move {
            let mut last = time::OffsetDateTime::now_utc();
            loop {
                tokio::time::sleep(TICK).await;
                let Some(app) = weak.upgrade() else { return };
                let now = time::OffsetDateTime::now_utc();
                let m = app.model();
                let position = m.position.unwrap_or(Position::single(0));
                for id in m.dialogs.crossing(last, now) {
                    app.hub.publish(
                        &m,
                        Summary {
                            position,
                            change: Change::Waiting { id },
                        },
                    );
                }
                last = now;
            }
        });
    }

    /// Snapshot every `every` while the log moves, until the app is dropped.
    pub fn snapshot_periodically(self: &Arc<Self>, every: Duration) {
        let weak = Arc::downgrade(self);
        tokio::spawn(async move {
            let mut saved = None;
            loop {
                tokio::time::sleep(every).await;
                let Some(app) = weak.upgrade() else { return };
                let now = app.position();
                if now != saved {
                    app.save_snapshot().await;
                    saved = now;
                }
            }
        });
    }

    /// The outbox feed, to the one consumer that asks first.
    pub fn take_outbox_feed(&self) -> Option<OutboxFeed> {
        self.outbox_feed.lock().expect("outbox feed lock").take()
    }

    /// The distribution feed, to the one consumer that asks first.
    pub fn take_distribution_feed(&self) -> Option<DistributionFeed> {
        self.distribution_feed
            .lock()
            .expect("distribution feed lock")
            .take()
    }

    /// Tell background work that chatd is stopping.
    pub fn stop_background(&self) {
        self.stopping.send_replace(true);
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
