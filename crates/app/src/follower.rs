//! The follower of the log: applies every event to the read models, in order, publishes how far
//! it got (for `min_position`), and then tells each listener and the distribution bot. It reads
//! the store's subscription until it has caught up; then, on a store that offers it (the embedded
//! one), it takes the rest on the store's thread that makes events durable (`tap_live`), so an
//! event reaches its listeners with no thread hand-over and an append is answered only once the
//! read models show it. The edge registers its listeners here (the WebSocket gateway, webhook
//! delivery); this layer never knows what they do.

use chatd_domain::dialog::{DialogEvent, Sight};
use chatd_domain::people::UserEvent;
use chatd_domain::{DialogId, UserId};
use chatd_projections::codec::category;
use chatd_projections::model::Decoded;
use chatd_projections::{AnyEvent, ReadModel};
use chatd_store::{Position, RecordedEvent, Subscription};
use std::sync::{Arc, RwLock};
use tokio::sync::{mpsc, watch};
use uuid::Uuid;

/// One event the read models just applied, as listeners hear it.
pub struct Applied<'a> {
    pub position: Position,
    /// The id in the stream's name (`None` for `settings-chat`).
    pub stream_id: Option<Uuid>,
    pub event: &'a AnyEvent,
    /// For a dialog's event: the dialog's sight just before it (after it: ask the read models).
    pub before: Option<Sight>,
}

/// Hears every applied event, in log order, while the read models are locked for reading: on
/// the follower's task, or on the store's sync thread once the follower is live there (appends
/// wait meanwhile). It hands the news on (renders, queues) and never waits.
pub trait Listener: Send + Sync + 'static {
    /// The follower starts after `from` (the read models were restored there; `None`: from the
    /// beginning of the log).
    fn starts_at(&self, from: Option<Position>) {
        let _ = from;
    }

    fn applied(&self, m: &ReadModel, event: &Applied<'_>);

    /// R24: someone is typing (never stored; heard on the caller's task, live only).
    fn typing(&self, m: &ReadModel, typing: &Typing) {
        let _ = (m, typing);
    }

    /// R34: the users holding a socket on some other node now, as the store says (each time
    /// that changes; this node's own sockets are not in it).
    fn online_elsewhere(&self, users: &std::collections::HashSet<chatd_domain::UserId>) {
        let _ = users;
    }
}

/// R24: `actor` is typing in a dialog. Not an event: nothing is stored or replayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Typing {
    pub dialog_id: DialogId,
    /// A user or bot of ours, or the customer (for the integration's report).
    pub actor: chatd_domain::Actor,
    pub at: time::OffsetDateTime,
}

/// Who holds a socket on this node: the edge knows, R18's `require_online` asks.
pub trait Presence: Send + Sync + 'static {
    fn is_online(&self, user: UserId) -> bool;
}

/// Nobody is online (tools and tests without a gateway).
pub struct Nobody;

impl Presence for Nobody {
    fn is_online(&self, _: UserId) -> bool {
        false
    }
}

/// What the distribution bot (R18) is told of, in log order.
#[derive(Debug, Clone, Copy)]
pub enum Work {
    /// A customer wrote in a dialog nobody is responsible for.
    Unassigned(DialogId),
    /// A user's work status changed, they were deactivated, or their last socket closed.
    Unavailable(UserId),
    /// R31: capacity may have appeared (a dialog closed, deleted or reassigned away from a
    /// manager, a user reactivated or online, a bot's rules changed): the queue is looked at.
    Capacity,
}

/// The distribution bot hears of an unassigned dialog a customer wrote in (when there are bots)
/// and of a user who may have become unavailable.
fn work_of(m: &ReadModel, e: &Applied<'_>) -> Option<Work> {
    let id = e.stream_id?;
    match e.event {
        AnyEvent::Dialog(r) => match &r.event {
            DialogEvent::MessageReceived { .. }
                if !m.people.bots.is_empty()
                    && m.dialogs
                        .get(&id.into())
                        .is_some_and(|row| row.responsible.is_none()) =>
            {
                Some(Work::Unassigned(id.into()))
            }
            DialogEvent::DialogClosed {}
            | DialogEvent::DialogDeleted {}
            | DialogEvent::Reassigned {
                from: Some(chatd_domain::Assignee::User { .. }),
                ..
            } if !m.people.bots.is_empty() => Some(Work::Capacity),
            _ => None,
        },
        AnyEvent::User(r) => match &r.event {
            UserEvent::WorkStatusChanged { .. }
            | UserEvent::UserUpdated {
                active: Some(false),
                ..
            } => Some(Work::Unavailable(id.into())),
            UserEvent::UserUpdated {
                active: Some(true), ..
            } if !m.people.bots.is_empty() => Some(Work::Capacity),
            _ => None,
        },
        AnyEvent::Bot(_) => Some(Work::Capacity),
        _ => None,
    }
}

/// R35: what the follower needs for sealed events: the keys (a key another node made is
/// fetched when its first event arrives) and where to say that a customer was erased.
pub(crate) struct Keyed {
    pub keys: crate::privacy::Keys,
    pub store: Arc<dyn chatd_store::EventStore>,
    pub erased: mpsc::UnboundedSender<Erased>,
}

/// R35: a customer erased in the log, as this node applied it.
pub(crate) struct Erased {
    pub customer: chatd_domain::CustomerId,
    /// The customer's dialogs and files, whose folded states this node may keep.
    pub dialogs: Vec<DialogId>,
    pub files: Vec<chatd_domain::FileId>,
    /// Subjects whose keys were still live here: the store's copies go too (the node that
    /// erased may have stopped between the append and the destruction).
    pub live: Vec<Uuid>,
}

/// R35: the customer's keys are forgotten at once, so the next event decoded here already
/// shows them erased.
fn erased_here(m: &ReadModel, keyed: &Keyed, id: Uuid) -> Erased {
    let customer = chatd_domain::CustomerId::from(id);
    let files = m.files_of(customer);
    let mut live = Vec::new();
    for s in std::iter::once(id).chain(files.iter().map(|f| f.0)) {
        if !keyed.keys.is_destroyed(s) {
            live.push(s);
        }
        keyed.keys.ring.forget(s);
    }
    Erased {
        customer,
        dialogs: m.dialogs_of(customer),
        files,
        live,
    }
}

/// Decode `event`, fetching a data key another node made if the decode lacked one (and decoding
/// it again), before the read models are locked.
async fn decode_keyed(keyed: &Keyed, event: &RecordedEvent) -> Decoded {
    let mut decoded = Decoded::of(event, &keyed.keys.ring);
    for _ in 0..2 {
        let Some(subject) = decoded.missing_key() else {
            break;
        };
        if let Err(e) = keyed.keys.fetch(keyed.store.as_ref(), subject).await {
            tracing::warn!(error = %e, %subject, "cannot fetch a data key");
        }
        decoded = Decoded::of(event, &keyed.keys.ring);
    }
    decoded
}

/// Who the follower tells: `min_position` waiters, the listeners, the distribution bot.
pub(crate) struct Told {
    pub progress: watch::Sender<Option<Position>>,
    pub listeners: Vec<Arc<dyn Listener>>,
    pub work: mpsc::UnboundedSender<Work>,
}

/// What the follower does with each event, wherever it runs: on its own task while it catches
/// up with the log, then on the store's thread that makes events durable (`tap_live`), with no
/// thread hand-over between an event's fsync and its frames (SPEC §7's P3).
struct Follower {
    keyed: Keyed,
    model: Arc<RwLock<ReadModel>>,
    told: Told,
    /// R28: how old each event is when the read models apply it.
    lag: metrics::Gauge,
    applied_total: metrics::Counter,
}

impl Follower {
    /// Apply one decoded event to the read models, then tell the listeners and the distribution
    /// bot (never waits: it runs on the store's thread once live).
    fn apply(&self, event: &RecordedEvent, decoded: Decoded) {
        self.lag
            .set((time::OffsetDateTime::now_utc() - event.recorded_at).as_seconds_f64());
        self.applied_total.increment(1);
        let (model, keyed) = (&self.model, &self.keyed);
        let stream_id = decoded.stream_id();
        let dialog = (category(&event.stream) == "dialog")
            .then_some(stream_id.map(DialogId::from))
            .flatten();
        let applied = {
            // The lock is held for the apply alone.
            let mut m = model.write().expect("read model lock");
            let before = dialog.and_then(|d| m.dialogs.get(&d).map(|r| r.sight()));
            match m.apply_decoded(decoded) {
                Ok(decoded) => decoded.map(|d| (d, before)),
                Err(e) => {
                    // An event we cannot read is skipped loudly, never silently rewritten.
                    tracing::error!(error = %e, "projection skipped an event");
                    m.position = Some(event.position);
                    None
                }
            }
        };
        if let Some((AnyEvent::Customer(r), _)) = &applied {
            if let (chatd_domain::customer::CustomerEvent::CustomerErased { .. }, Some(id)) =
                (&r.event, stream_id)
            {
                let erased = erased_here(&model.read().expect("read model lock"), keyed, id);
                let _ = keyed.erased.send(erased);
            }
        }
        // Listeners hear of a change after the read models show it.
        if let Some((decoded, before)) = applied {
            let m = model.read().expect("read model lock");
            let e = Applied {
                position: event.position,
                stream_id,
                event: &decoded,
                before,
            };
            if let Some(w) = work_of(&m, &e) {
                let _ = self.told.work.send(w);
            }
            for l in &self.told.listeners {
                l.applied(&m, &e);
            }
        }
    }

    /// Take the rest of the log on the store's thread, if the store has one and every event up
    /// to its head is applied: then the task's subscription is no longer needed. The tap holds
    /// the follower weakly (the follower holds the store), so it lets go once the follower's
    /// task, which holds it, has ended (chatd stopping, or the app dropped).
    fn go_live(self: &Arc<Self>, applied: Option<Position>) -> bool {
        let weak = Arc::downgrade(self);
        let runtime = tokio::runtime::Handle::current();
        let tap = Box::new(move |batch: &[Arc<RecordedEvent>]| {
            let Some(me) = weak.upgrade() else {
                return false;
            };
            for event in batch {
                let mut decoded = Decoded::of(event, &me.keyed.keys.ring);
                if decoded.missing_key().is_some() {
                    // Rare (a key this node has not seen): the store's thread waits for it.
                    decoded = runtime.block_on(decode_keyed(&me.keyed, event));
                }
                let _context = runtime.enter();
                me.apply(event, decoded);
            }
            let mut last = batch.last().map(|e| e.position);
            tell(&me.told.progress, &mut last);
            true
        });
        self.keyed.store.tap_live(applied, tap).is_ok()
    }
}

/// The follower's loop: it applies the subscription's events until it has caught up with the
/// log and the store takes the rest on its own thread (`Follower::go_live`), or the
/// subscription ends, or chatd stops.
pub(crate) async fn follow(
    mut sub: Subscription,
    keyed: Keyed,
    model: Arc<RwLock<ReadModel>>,
    told: Told,
    mut stopping: watch::Receiver<bool>,
    delay: Option<std::time::Duration>,
) {
    let mut applied = model.read().expect("read model lock").position;
    let follower = Arc::new(Follower {
        keyed,
        model,
        told,
        lag: metrics::gauge!("chatd_projection_lag_seconds"),
        applied_total: metrics::counter!("chatd_projection_events_total"),
    });
    let progress = &follower.told.progress;
    // How far the read models got is told once for the events that were queued together (up
    // to RUN), not once per event: each telling wakes every request waiting to read its own
    // write (R38), and a commit's events arrive together (P2). A lagging node's test delay
    // tells each event, and never goes live.
    let run_cap = if delay.is_some() { 1 } else { RUN };
    let mut untold: Option<Position> = None;
    let mut run = 0;
    loop {
        let queued = if run < run_cap { sub.ready() } else { None };
        let next = match queued {
            Some(next) => Some(next),
            None => {
                tell(progress, &mut untold);
                run = 0;
                if delay.is_none() && follower.go_live(applied) {
                    // The store's thread applies from here on, while this task holds the
                    // follower.
                    let _ = stopping.wait_for(|s| *s).await;
                    return;
                }
                tokio::select! {
                    next = sub.next() => next,
                    _ = stopping.wait_for(|s| *s) => return,
                }
            }
        };
        let Some(next) = next else { return };
        let event = match next {
            Ok(e) => e,
            Err(e) => {
                tracing::error!(error = %e, "projection subscription failed");
                tell(progress, &mut untold);
                return;
            }
        };
        run += 1;
        if let Some(delay) = delay {
            // Testing only: apply each event `delay` after it was recorded (a lagging node).
            let due = event.recorded_at + delay;
            let wait = due - time::OffsetDateTime::now_utc();
            if wait.is_positive() {
                tokio::time::sleep(wait.unsigned_abs()).await;
            }
        }
        let decoded = decode_keyed(&follower.keyed, &event).await;
        follower.apply(&event, decoded);
        applied = Some(event.position);
        untold = applied;
    }
}

/// Events applied at most before the follower tells how far it got.
const RUN: usize = 64;

/// Tell `min_position` waiters how far the read models got, if there is news.
fn tell(progress: &watch::Sender<Option<Position>>, untold: &mut Option<Position>) {
    if let Some(p) = untold.take() {
        let _ = progress.send(Some(p));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{app_on, cmd, receive, store_in};
    use chatd_domain::dialog::Dialog;
    use chatd_domain::Principal;
    use std::sync::Mutex;

    /// Which thread told each applied event.
    #[derive(Default)]
    struct Threads(Mutex<Vec<(Position, Option<String>)>>);

    impl Listener for Threads {
        fn applied(&self, _: &ReadModel, e: &Applied<'_>) {
            let thread = std::thread::current().name().map(str::to_owned);
            self.0.lock().unwrap().push((e.position, thread));
        }
    }

    /// Once caught up, the read models follow on the store's sync thread (no hand-over between
    /// an event's fsync and its listeners, SPEC §7's P3): the listeners hear each event there,
    /// and an answered command is already applied (R38 waits for nothing). History before the
    /// start is applied by the follower's task. A second app on the same store, after the
    /// first is gone, takes the store's thread again.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn once_caught_up_the_read_models_follow_on_the_stores_thread() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_in(&dir);
        let channel = Uuid::new_v4().into();
        let by = Principal::Channel { id: channel };
        let write = |app: &Arc<crate::App>, text: &str| {
            let (app, dialog) = (app.clone(), Uuid::new_v4());
            let c = cmd(by, receive(channel, dialog, text));
            async move { (dialog, app.execute::<Dialog>(dialog, &c).await.unwrap()) }
        };
        // The history, written by an app that is gone when the next one starts.
        let first = app_on(&store, vec![]).await;
        write(&first, "before").await;
        first.shutdown().await;
        drop(first);

        let heard = Arc::new(Threads::default());
        let app = app_on(&store, vec![heard.clone()]).await;
        let started = heard.0.lock().unwrap().len();
        assert!(started > 0, "the history was applied");
        assert!(
            heard
                .0
                .lock()
                .unwrap()
                .iter()
                .all(|(_, t)| t.as_deref() != Some("chatd-store-sync")),
            "history is applied by the follower's task"
        );
        for i in 0..5 {
            let (dialog, out) = write(&app, &format!("live {i}")).await;
            let at = out.position.unwrap();
            assert!(app.position() >= Some(at), "applied before the answer");
            assert!(app.model().dialogs.get(&dialog.into()).is_some());
        }
        let heard = heard.0.lock().unwrap();
        assert!(heard.len() > started);
        for (position, thread) in &heard[started..] {
            assert_eq!(
                thread.as_deref(),
                Some("chatd-store-sync"),
                "at {position:?}"
            );
        }
    }
}
