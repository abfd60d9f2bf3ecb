//! The application layer: runs domain commands against their streams with optimistic
//! concurrency, keeps the read models following the log, and answers `min_position` waits.

pub mod credentials;
mod error;
mod snapshot;

pub use error::{domain_status, AppError};

use crate::gateway::frames::{self, Change, Sight, Summary};
use crate::gateway::Hub;
use chatd_domain::dialog::DialogEvent;
use chatd_domain::people::UserEvent;
use chatd_domain::DialogId;
use chatd_domain::{Command, DomainError, DomainEvent, EventMeta, Recorded};
use chatd_projections::codec::category;
use chatd_projections::model::stream_id;
use chatd_projections::{decode_recorded, new_event, AnyEvent, ReadModel};
use chatd_store::{Direction, EventStore, ExpectedVersion, Position, StoreError};
use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard};
use std::time::Duration;
use tokio::sync::watch;
use uuid::Uuid;

/// How long a read waits for the read models to reach its `min_position` (SPEC §2).
pub const MIN_POSITION_WAIT: Duration = Duration::from_secs(5);
/// Attempts of a command whose stream changed between reading and appending.
const ATTEMPTS: usize = 8;

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
    aggregates: Mutex<HashMap<String, Cached>>,
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

/// An aggregate's state as of `version`. A cached state is never trusted blindly: every load
/// reads the events after `version` first, so appends by other nodes are folded in too.
struct Cached {
    version: Option<u64>,
    state: Box<dyn Any + Send>,
}

/// Aggregates kept folded in memory; beyond it an arbitrary one is dropped (and re-read later).
const CACHED_AGGREGATES: usize = 20_000;

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
            aggregates: Mutex::new(HashMap::new()),
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

    /// Decide `cmd` on the current state of `stream` and append the result, retrying from a fresh
    /// read when another writer got there first.
    pub async fn execute<S, E, C>(
        &self,
        stream: &str,
        cmd: &Command<C>,
        evolve: fn(S, &Recorded<E>) -> S,
        decide: fn(&S, &Command<C>) -> Result<Vec<E>, DomainError>,
    ) -> Result<Outcome<E>, AppError>
    where
        S: Default + Send + 'static,
        E: DomainEvent + Clone,
    {
        for _ in 0..ATTEMPTS {
            let (state, version) = self.load(stream, evolve).await?;
            let decided = decide(&state, cmd);
            let events = match decided {
                Ok(events) => events,
                Err(e) => {
                    self.keep(stream, state, version);
                    return Err(e.into());
                }
            };
            if events.is_empty() {
                self.keep(stream, state, version);
                return Ok(Outcome {
                    events: vec![],
                    position: self.store.head().await?,
                });
            }
            let meta = EventMeta {
                at: cmd.at,
                actor: cmd.by.actor(),
            };
            let new = events
                .iter()
                .map(|e| new_event(Uuid::new_v4(), &meta, e))
                .collect();
            let expected = version.map_or(ExpectedVersion::NoStream, ExpectedVersion::Exact);
            match self.store.append(stream, expected, new).await {
                Ok(r) => {
                    let recorded: Vec<_> = events
                        .into_iter()
                        .map(|event| Recorded { meta, event })
                        .collect();
                    let state = recorded.iter().fold(state, evolve);
                    self.keep(stream, state, Some(r.version));
                    return Ok(Outcome {
                        events: recorded,
                        position: Some(r.position),
                    });
                }
                Err(StoreError::WrongExpectedVersion { .. }) => {
                    // Someone else appended: the next load folds their events in.
                    self.keep(stream, state, version);
                    continue;
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(AppError::Contended)
    }

    /// Every event of a stream, decoded, oldest first.
    pub async fn history<E: DomainEvent>(
        &self,
        stream: &str,
    ) -> Result<Vec<(u64, Recorded<E>)>, AppError> {
        let mut out = Vec::new();
        let mut from = 0;
        loop {
            let page = self
                .store
                .read_stream(stream, from, Direction::Forwards, 1024)
                .await?;
            let full = page.len() == 1024;
            for e in &page {
                let r =
                    decode_recorded::<E>(e).map_err(|err| StoreError::Internal(err.to_string()))?;
                out.push((e.version, r));
                from = e.version + 1;
            }
            if !full {
                return Ok(out);
            }
        }
    }

    /// Fold a stream into its aggregate's state; also its version (`None`: no stream yet).
    /// Starts from the cached state, if any, and reads only the events after it.
    async fn load<S: Default + Send + 'static, E: DomainEvent>(
        &self,
        stream: &str,
        evolve: fn(S, &Recorded<E>) -> S,
    ) -> Result<(S, Option<u64>), AppError> {
        let cached = self
            .aggregates
            .lock()
            .expect("aggregate cache lock")
            .remove(stream)
            .and_then(|c| c.state.downcast::<S>().ok().map(|s| (*s, c.version)));
        let (mut state, mut version) = cached.unwrap_or_default();
        // The store vouches that nothing was appended after the cached version: no read.
        if version.is_some() && self.store.cached_version(stream) == version {
            return Ok((state, version));
        }
        // A cached aggregate is usually a few events behind, so the first page is small (read
        // inline by the embedded store); a cold one continues in large pages.
        let mut page_size = 128;
        loop {
            let from = version.map_or(0, |v| v + 1);
            let page = self
                .store
                .read_stream(stream, from, Direction::Forwards, page_size)
                .await?;
            let full = page.len() == page_size;
            page_size = 1024;
            for e in &page {
                let r =
                    decode_recorded::<E>(e).map_err(|err| StoreError::Internal(err.to_string()))?;
                state = evolve(state, &r);
                version = Some(e.version);
            }
            if !full {
                return Ok((state, version));
            }
        }
    }

    /// An aggregate's current state for a read outside `execute`; the cache keeps it, so the
    /// next command on the stream does not read its history again.
    pub async fn current<S: Default + Clone + Send + 'static, E: DomainEvent>(
        &self,
        stream: &str,
        evolve: fn(S, &Recorded<E>) -> S,
    ) -> Result<S, AppError> {
        let (state, version) = self.load(stream, evolve).await?;
        self.keep(stream, state.clone(), version);
        Ok(state)
    }

    /// Remember a folded state for the next command on the same stream.
    fn keep<S: Send + 'static>(&self, stream: &str, state: S, version: Option<u64>) {
        let Some(_) = version else { return };
        let mut cache = self.aggregates.lock().expect("aggregate cache lock");
        if cache.len() >= CACHED_AGGREGATES {
            if let Some(victim) = cache.keys().next().cloned() {
                cache.remove(&victim);
            }
        }
        cache.insert(
            stream.to_owned(),
            Cached {
                version,
                state: Box::new(state),
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chatd_domain::channel::{ChannelProfile, ChannelType};
    use chatd_domain::dialog::{self, DialogCommand, DialogEvent, Inbound};
    use chatd_domain::{Actor, Principal, Rights, Role};
    use chatd_store::{SqliteConfig, SqliteStore};

    fn admin() -> Principal {
        Principal::User {
            id: Uuid::new_v4().into(),
            role: Role::Admin,
            rights: Rights::NONE,
        }
    }

    fn cmd(by: Principal, body: DialogCommand) -> Command<DialogCommand> {
        Command {
            by,
            at: time::OffsetDateTime::now_utc(),
            body,
        }
    }

    /// The aggregate cache is caught up from the store before every decision: an append made
    /// elsewhere (another node) is seen, and the cache is filled after every successful append.
    #[tokio::test]
    async fn commands_decide_on_appends_made_behind_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(SqliteConfig::new(dir.path().join("e.db"))).unwrap();
        let app = App::start(store.clone(), None, 16).await.unwrap();
        let channel = Uuid::new_v4().into();
        let dialog_id = Uuid::new_v4();
        let stream = format!("dialog-{dialog_id}");
        let open = cmd(
            Principal::Channel { id: channel },
            DialogCommand::Receive(Box::new(Inbound {
                dialog_id: dialog_id.into(),
                channel_id: channel,
                external_chat_id: "c".into(),
                customer_id: None,
                message_id: Uuid::new_v4().into(),
                external_id: "m1".into(),
                text: "hi".into(),
                attachments: vec![],
                quote_external_id: None,
                sent_at: None,
                customer_blocked: false,
                channel: ChannelProfile::default_for(ChannelType::Custom),
            })),
        );
        app.execute(&stream, &open, dialog::evolve, dialog::decide)
            .await
            .unwrap();
        assert!(
            app.aggregates.lock().unwrap().contains_key(&stream),
            "kept after the append"
        );

        // Another node closes the dialog directly in the store.
        let meta = EventMeta {
            at: time::OffsetDateTime::now_utc(),
            actor: Actor::System,
        };
        let closed = new_event(Uuid::new_v4(), &meta, &DialogEvent::DialogClosed {});
        store
            .append(&stream, ExpectedVersion::Exact(1), vec![closed])
            .await
            .unwrap();

        // Closing again is a no-op only if the decision saw that close.
        let out = app
            .execute(
                &stream,
                &cmd(admin(), DialogCommand::Close),
                dialog::evolve,
                dialog::decide,
            )
            .await
            .unwrap();
        assert!(
            out.events.is_empty(),
            "re-closing a closed dialog changes nothing: {:?}",
            out.events.len()
        );
        // And a send reopens it at the right version.
        let send = cmd(
            admin(),
            DialogCommand::Send(Box::new(dialog::Outgoing {
                message_id: Uuid::new_v4().into(),
                text: "back".into(),
                attachments: vec![],
                quote_message_id: None,
                customer_blocked: false,
                channel: ChannelProfile::default_for(ChannelType::Custom),
            })),
        );
        let out = app
            .execute(&stream, &send, dialog::evolve, dialog::decide)
            .await
            .unwrap();
        assert!(matches!(
            out.events[0].event,
            DialogEvent::DialogReopened {}
        ));
        let versions: Vec<u64> = store
            .read_stream(&stream, 0, Direction::Forwards, 100)
            .await
            .unwrap()
            .iter()
            .map(|e| e.version)
            .collect();
        assert_eq!(versions, vec![0, 1, 2, 3, 4]);
    }
}
