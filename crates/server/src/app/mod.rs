//! The application layer: runs domain commands against their streams with optimistic
//! concurrency, keeps the read models following the log, and answers `min_position` waits.

pub mod credentials;
mod error;

pub use error::{domain_status, AppError};

use chatd_domain::{Command, DomainError, DomainEvent, EventMeta, Recorded};
use chatd_projections::{decode_recorded, new_event, ReadModel};
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
    model: Arc<RwLock<ReadModel>>,
    progress: watch::Receiver<Option<Position>>,
    aggregates: Mutex<HashMap<String, Cached>>,
}

/// An aggregate's state as of `version`. A cached state is never trusted blindly: every load
/// reads the events after `version` first, so appends by other nodes are folded in too.
struct Cached {
    version: Option<u64>,
    state: Box<dyn Any + Send>,
}

/// Aggregates kept folded in memory; beyond it an arbitrary one is dropped (and re-read later).
const CACHED_AGGREGATES: usize = 20_000;

/// What a command did: its events, and the global position of the last one (or of the log's
/// head when it changed nothing), for the client's next `min_position`.
pub struct Outcome<E> {
    pub events: Vec<Recorded<E>>,
    pub position: Option<Position>,
}

impl App {
    /// Start following the log from position 0 into fresh read models, and return once they have
    /// caught up with the log as it is now.
    pub async fn start(store: Arc<dyn EventStore>) -> Result<Arc<App>, StoreError> {
        let model = Arc::new(RwLock::new(ReadModel::default()));
        let (tx, progress) = watch::channel(None);
        let head = store.head().await?;
        let mut sub = store.subscribe_all(None).await?;
        let worker_model = model.clone();
        tokio::spawn(async move {
            while let Some(next) = sub.next().await {
                let event = match next {
                    Ok(e) => e,
                    Err(e) => {
                        tracing::error!(error = %e, "projection subscription failed");
                        return;
                    }
                };
                {
                    let mut m = worker_model.write().expect("read model lock");
                    if let Err(e) = m.apply(&event) {
                        // An event we cannot read is skipped loudly, never silently rewritten.
                        tracing::error!(error = %e, "projection skipped an event");
                        m.position = Some(event.position);
                    }
                }
                let _ = tx.send(Some(event.position));
            }
        });
        let app = Arc::new(App {
            store,
            model,
            progress,
            aggregates: Mutex::new(HashMap::new()),
        });
        app.wait_for(head, Duration::from_secs(3600))
            .await
            .map_err(|e| StoreError::Internal(e.to_string()))?;
        Ok(app)
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
                    return Ok(Outcome {
                        events: events
                            .into_iter()
                            .map(|event| Recorded { meta, event })
                            .collect(),
                        position: Some(r.position),
                    })
                }
                Err(StoreError::WrongExpectedVersion { .. }) => continue,
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
    pub async fn load<S: Default + Send + 'static, E: DomainEvent>(
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
