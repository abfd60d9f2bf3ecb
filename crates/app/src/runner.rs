//! The command runner: `execute::<A>(id, command)` loads an aggregate (from its typed cache,
//! caught up from the store), decides, and appends with the version the decision was made on,
//! retrying from a fresh read when another writer got there first. No stream name is spelled
//! here or by a caller: `Aggregate::stream` makes it.

use crate::{App, AppError, Outcome};
use chatd_domain::customer::Customer;
use chatd_domain::dialog::Dialog;
use chatd_domain::file::File;
use chatd_domain::order::Order;
use chatd_domain::people::{Bot, Group, User};
use chatd_domain::setup::{Channel, QuickReply, Settings, Tag};
use chatd_domain::{Aggregate, Command, EventMeta, Recorded};
use chatd_projections::privacy;
use chatd_projections::{decode_recorded, new_event, new_sealed_event, DecodeFailure};
use chatd_store::{Direction, ExpectedVersion, StoreError};
use std::collections::HashMap;
use std::fmt::Display;
use std::sync::Mutex;
use uuid::Uuid;

/// Attempts of a command whose stream changed between reading and appending.
const ATTEMPTS: usize = 8;
/// Aggregates of one type kept folded in memory; beyond it an arbitrary one is dropped (and
/// re-read later).
const CACHED_PER_TYPE: usize = 20_000;

/// Folded states of one aggregate type by stream, each with the version it was folded to. A
/// cached state is never trusted blindly: a load first asks the store for what came after it.
pub struct Slot<A>(Mutex<HashMap<String, (A, u64)>>);

impl<A> Default for Slot<A> {
    fn default() -> Self {
        Slot(Mutex::new(HashMap::new()))
    }
}

impl<A> Slot<A> {
    fn take(&self, stream: &str) -> Option<(A, u64)> {
        self.0.lock().expect("aggregate cache lock").remove(stream)
    }

    pub(crate) fn drop_stream(&self, stream: &str) {
        self.0.lock().expect("aggregate cache lock").remove(stream);
    }

    fn put(&self, stream: &str, state: A, version: u64) {
        let mut map = self.0.lock().expect("aggregate cache lock");
        if map.len() >= CACHED_PER_TYPE && !map.contains_key(stream) {
            if let Some(victim) = map.keys().next().cloned() {
                map.remove(&victim);
            }
        }
        map.insert(stream.to_owned(), (state, version));
    }
}

/// An aggregate the runner can cache: which slot of [`Caches`] holds it.
pub trait Cached: Aggregate {
    fn slot(caches: &Caches) -> &Slot<Self>;
}

macro_rules! caches {
    ($($field:ident: $state:ty),* $(,)?) => {
        /// One typed cache per aggregate.
        #[derive(Default)]
        pub struct Caches {
            $($field: Slot<$state>,)*
        }

        $(impl Cached for $state {
            fn slot(caches: &Caches) -> &Slot<Self> {
                &caches.$field
            }
        })*
    };
}

caches!(
    dialog: Dialog,
    customer: Customer,
    user: User,
    group: Group,
    bot: Bot,
    channel: Channel,
    tag: Tag,
    quick_reply: QuickReply,
    settings: Settings,
    order: Order,
    file: File,
);

impl Caches {
    /// Whether a folded state of `stream` is kept (tests).
    #[cfg(test)]
    pub fn holds<A: Cached>(&self, stream: &str) -> bool {
        A::slot(self)
            .0
            .lock()
            .expect("aggregate cache lock")
            .contains_key(stream)
    }
}

impl App {
    /// Decide `cmd` on the current state of aggregate `A` number `id` and append the result,
    /// retrying from a fresh read when another writer got there first.
    pub async fn execute<A: Cached>(
        &self,
        id: impl Display,
        cmd: &Command<A::Command>,
    ) -> Result<Outcome<A::Event>, AppError> {
        self.execute_with::<A>(id, cmd, None).await
    }

    /// [`App::execute`] for work done under a lease (R34): the append is refused
    /// (`StoreError::LeaseLost`) unless `fence` is still the lease's.
    pub async fn execute_fenced<A: Cached>(
        &self,
        id: impl Display,
        cmd: &Command<A::Command>,
        fence: &chatd_store::cluster::Fence,
    ) -> Result<Outcome<A::Event>, AppError> {
        self.execute_with::<A>(id, cmd, Some(fence)).await
    }

    async fn execute_with<A: Cached>(
        &self,
        id: impl Display,
        cmd: &Command<A::Command>,
        fence: Option<&chatd_store::cluster::Fence>,
    ) -> Result<Outcome<A::Event>, AppError> {
        let stream = A::stream(id);
        // Hot dialogs: this node's commands on the stream take turns (see `lanes`).
        let _turn = self.lanes.enter(&stream).await;
        for _ in 0..ATTEMPTS {
            let (state, version) = self.load::<A>(&stream).await?;
            let events = match state.decide(cmd) {
                Ok(events) => events,
                Err(e) => {
                    self.keep(&stream, state, version);
                    return Err(e.into());
                }
            };
            if events.is_empty() {
                self.keep(&stream, state, version);
                return Ok(Outcome {
                    events: vec![],
                    position: self.store.head().await?,
                });
            }
            let meta = EventMeta {
                at: cmd.at,
                actor: cmd.by.actor(),
            };
            let new = match self.encode(&state, &events, &meta).await {
                Ok(new) => new,
                Err(e) => {
                    self.keep(&stream, state, version);
                    return Err(e);
                }
            };
            let expected = version.map_or(ExpectedVersion::NoStream, ExpectedVersion::Exact);
            let started = std::time::Instant::now();
            let appended = match fence {
                None => self.store.append(&stream, expected, new).await,
                Some(f) => self.store.append_fenced(&stream, expected, new, f).await,
            };
            metrics::histogram!("chatd_store_append_seconds")
                .record(started.elapsed().as_secs_f64());
            match appended {
                Ok(r) => {
                    let recorded: Vec<_> = events
                        .into_iter()
                        .map(|event| Recorded { meta, event })
                        .collect();
                    let state = recorded.iter().fold(state, A::evolve);
                    self.keep(&stream, state, Some(r.version));
                    return Ok(Outcome {
                        events: recorded,
                        position: Some(r.position),
                    });
                }
                Err(StoreError::WrongExpectedVersion { .. }) => {
                    // Someone else appended: the next load folds their events in.
                    self.conflicts
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    metrics::counter!("chatd_append_conflicts_total").increment(1);
                    self.keep(&stream, state, version);
                    continue;
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(AppError::Contended)
    }

    /// The events as the store takes them: R35's personal strings sealed under the data
    /// subject's key; nothing personal may be written under a destroyed one.
    async fn encode<A: Aggregate>(
        &self,
        state: &A,
        events: &[A::Event],
        meta: &EventMeta,
    ) -> Result<Vec<chatd_store::NewEvent>, AppError> {
        let subject = if self.keys.ring.sealing() {
            state.data_subject(events)
        } else {
            None
        };
        let Some(subject) = subject else {
            return Ok(events
                .iter()
                .map(|e| new_event(Uuid::new_v4(), meta, e))
                .collect());
        };
        let key = self.sealing_key(subject).await?;
        events
            .iter()
            .map(|e| match &key {
                Some(k) => Ok(new_sealed_event(Uuid::new_v4(), meta, e, subject, k)),
                None if privacy::has_personal(e) => {
                    Err(chatd_domain::DomainError::CustomerErased.into())
                }
                None => Ok(new_event(Uuid::new_v4(), meta, e)),
            })
            .collect()
    }

    /// A stored event of `A`, opened; a data key another node made is fetched first.
    async fn decode<A: Aggregate>(
        &self,
        e: &chatd_store::RecordedEvent,
    ) -> Result<Recorded<A::Event>, AppError> {
        let decoded = match decode_recorded::<A::Event>(e, &self.keys.ring) {
            Err(DecodeFailure::MissingKey { subject, .. }) => {
                self.keys.fetch(self.store.as_ref(), subject).await?;
                decode_recorded::<A::Event>(e, &self.keys.ring)
            }
            other => other,
        };
        decoded.map_err(|err| StoreError::Internal(err.to_string()).into())
    }

    /// Forget the folded state of `A` number `id` (R35: an erased customer's streams).
    pub(crate) fn forget<A: Cached>(&self, id: impl Display) {
        A::slot(&self.caches).drop_stream(&A::stream(id));
    }

    /// Every event of aggregate `A` number `id`, decoded, oldest first, with its version.
    pub async fn history<A: Aggregate>(
        &self,
        id: impl Display,
    ) -> Result<Vec<(u64, Recorded<A::Event>)>, AppError> {
        let stream = A::stream(id);
        let mut out = Vec::new();
        let mut from = 0;
        loop {
            let page = self
                .store
                .read_stream(&stream, from, Direction::Forwards, 1024)
                .await?;
            let full = page.len() == 1024;
            for e in &page {
                let r = self.decode::<A>(e).await?;
                out.push((e.version, r));
                from = e.version + 1;
            }
            if !full {
                return Ok(out);
            }
        }
    }

    /// An aggregate's current state for a read outside `execute`; the cache keeps it, so the
    /// next command on the stream does not read its history again.
    pub async fn current<A: Cached>(&self, id: impl Display) -> Result<A, AppError> {
        let stream = A::stream(id);
        let (state, version) = self.load::<A>(&stream).await?;
        self.keep(&stream, state.clone(), version);
        Ok(state)
    }

    /// Fold a stream into its aggregate's state; also its version (`None`: no stream yet).
    /// Starts from the cached state, if any, and reads only the events after it.
    async fn load<A: Cached>(&self, stream: &str) -> Result<(A, Option<u64>), AppError> {
        let (mut state, mut version) = match A::slot(&self.caches).take(stream) {
            Some((state, version)) => (state, Some(version)),
            None => (A::default(), None),
        };
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
                let r = self.decode::<A>(e).await?;
                state = state.evolve(&r);
                version = Some(e.version);
            }
            if !full {
                return Ok((state, version));
            }
        }
    }

    /// Remember a folded state for the next command on the same stream.
    fn keep<A: Cached>(&self, stream: &str, state: A, version: Option<u64>) {
        if let Some(version) = version {
            A::slot(&self.caches).put(stream, state, version);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{app_on, cmd, receive, store_in};
    use chatd_domain::channel::{ChannelProfile, ChannelType};
    use chatd_domain::dialog::{self, DialogCommand, DialogEvent};
    use chatd_domain::{Actor, Principal, Rights, Role};
    use chatd_store::EventStore;

    fn admin() -> Principal {
        Principal::User {
            id: Uuid::new_v4().into(),
            role: Role::Admin,
            rights: Rights::NONE,
        }
    }

    /// The aggregate cache is caught up from the store before every decision: an append made
    /// elsewhere (another node) is seen, and the cache is filled after every successful append.
    #[tokio::test]
    async fn commands_decide_on_appends_made_behind_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_in(&dir);
        let app = app_on(&store, vec![]).await;
        let channel = Uuid::new_v4().into();
        let dialog_id = Uuid::new_v4();
        let stream = format!("dialog-{dialog_id}");
        assert_eq!(stream, Dialog::stream(dialog_id));
        let open = cmd(
            Principal::Channel { id: channel },
            receive(channel, dialog_id, "m1"),
        );
        app.execute::<Dialog>(dialog_id, &open).await.unwrap();
        assert!(
            app.caches.holds::<dialog::Dialog>(&stream),
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
            .execute::<Dialog>(dialog_id, &cmd(admin(), DialogCommand::Close))
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
                template: None,
                message_id: Uuid::new_v4().into(),
                text: "back".into(),
                attachments: vec![],
                quote_message_id: None,
                customer_blocked: false,
                channel: ChannelProfile::default_for(ChannelType::Custom),
            })),
        );
        let out = app.execute::<Dialog>(dialog_id, &send).await.unwrap();
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

    /// Hot dialogs (issue 32): fifty commands on one dialog at once each apply exactly once, in
    /// some order, and none loses a version check: they took turns.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn fifty_concurrent_commands_on_one_dialog_take_turns_and_apply_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_in(&dir);
        let app = app_on(&store, vec![]).await;
        let channel = Uuid::new_v4().into();
        let dialog_id = Uuid::new_v4();
        let by = Principal::Channel { id: channel };
        app.execute::<Dialog>(dialog_id, &cmd(by, receive(channel, dialog_id, "first")))
            .await
            .unwrap();
        let runs: Vec<_> = (0..50)
            .map(|n| {
                let app = app.clone();
                tokio::spawn(async move {
                    let c = cmd(by, receive(channel, dialog_id, &format!("album-{n}")));
                    app.execute::<Dialog>(dialog_id, &c).await
                })
            })
            .collect();
        for r in runs {
            let out = r
                .await
                .unwrap()
                .expect("no conflict surfaced to the caller");
            assert_eq!(out.events.len(), 1, "each applied once");
        }
        assert_eq!(
            app.conflicts.load(std::sync::atomic::Ordering::Relaxed),
            0,
            "no version check lost: the commands took turns"
        );
        let history = app.history::<Dialog>(dialog_id).await.unwrap();
        let received = history
            .iter()
            .filter(|(_, r)| matches!(r.event, DialogEvent::MessageReceived { .. }))
            .count();
        assert_eq!(received, 51);
        assert_eq!(app.lanes.len(), 0, "no lane outlives its commands");
    }
}
