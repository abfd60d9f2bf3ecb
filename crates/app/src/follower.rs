//! The follower of the log: applies every event of the store's subscription to the read models,
//! in order, publishes how far it got (for `min_position`), and then tells each listener and the
//! distribution bot. The edge registers its listeners here (the WebSocket gateway, webhook
//! delivery); this layer never knows what they do.

use chatd_domain::dialog::{DialogEvent, Sight};
use chatd_domain::people::UserEvent;
use chatd_domain::{DialogId, UserId};
use chatd_projections::codec::category;
use chatd_projections::model::Decoded;
use chatd_projections::{AnyEvent, ReadModel};
use chatd_store::{Position, Subscription};
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

/// Hears every applied event, in log order, on the follower's task while the read models are
/// locked for reading: it hands the news on (renders, queues) and never waits.
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

/// Apply `event`, decoded as `decoded`, fetching a data key another node made if the decode
/// lacked one (and decoding it again), all before the read models are locked.
async fn apply_keyed(
    model: &RwLock<ReadModel>,
    keyed: &Keyed,
    event: &chatd_store::RecordedEvent,
    mut decoded: Decoded,
    before_of: impl Fn(&ReadModel) -> Option<Sight>,
) -> Result<(Option<AnyEvent>, Option<Sight>), chatd_projections::DecodeFailure> {
    for _ in 0..2 {
        let Some(subject) = decoded.missing_key() else {
            break;
        };
        if let Err(e) = keyed.keys.fetch(keyed.store.as_ref(), subject).await {
            tracing::warn!(error = %e, %subject, "cannot fetch a data key");
        }
        decoded = Decoded::of(event, &keyed.keys.ring);
    }
    let mut m = model.write().expect("read model lock");
    let before = before_of(&m);
    m.apply_decoded(decoded).map(|d| (d, before))
}

/// Who the follower tells: `min_position` waiters, the listeners, the distribution bot.
pub(crate) struct Told {
    pub progress: watch::Sender<Option<Position>>,
    pub listeners: Vec<Arc<dyn Listener>>,
    pub work: mpsc::UnboundedSender<Work>,
}

/// The follower's loop, until the subscription ends or chatd stops.
pub(crate) async fn follow(
    mut sub: Subscription,
    keyed: Keyed,
    model: Arc<RwLock<ReadModel>>,
    told: Told,
    mut stopping: watch::Receiver<bool>,
    delay: Option<std::time::Duration>,
) {
    let Told {
        progress,
        listeners,
        work,
    } = told;
    // R28: how old each event is when the read models apply it.
    let lag = metrics::gauge!("chatd_projection_lag_seconds");
    let applied_total = metrics::counter!("chatd_projection_events_total");
    // How far the read models got is told once for the events that were queued together (up
    // to RUN), not once per event: each telling wakes every request waiting to read its own
    // write (R38), and a commit's events arrive together (P2). A lagging node's test delay
    // tells each event.
    let run_cap = if delay.is_some() { 1 } else { RUN };
    let mut untold: Option<Position> = None;
    let mut run = 0;
    loop {
        let queued = if run < run_cap { sub.ready() } else { None };
        let next = match queued {
            Some(next) => Some(next),
            None => {
                tell(&progress, &mut untold);
                run = 0;
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
                tell(&progress, &mut untold);
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
        lag.set((time::OffsetDateTime::now_utc() - event.recorded_at).as_seconds_f64());
        applied_total.increment(1);
        // Decoded before the read models are locked: the lock is held for the apply alone.
        let decoded = Decoded::of(&event, &keyed.keys.ring);
        let stream_id = decoded.stream_id();
        let dialog = (category(&event.stream) == "dialog")
            .then_some(stream_id.map(DialogId::from))
            .flatten();
        let before_of = |m: &ReadModel| dialog.and_then(|d| m.dialogs.get(&d).map(|r| r.sight()));
        let applied = match apply_keyed(&model, &keyed, &event, decoded, before_of).await {
            Ok((decoded, before)) => decoded.map(|d| (d, before)),
            Err(e) => {
                // An event we cannot read is skipped loudly, never silently rewritten.
                tracing::error!(error = %e, "projection skipped an event");
                model.write().expect("read model lock").position = Some(event.position);
                None
            }
        };
        if let Some((AnyEvent::Customer(r), _)) = &applied {
            if let (chatd_domain::customer::CustomerEvent::CustomerErased { .. }, Some(id)) =
                (&r.event, stream_id)
            {
                let erased = erased_here(&model.read().expect("read model lock"), &keyed, id);
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
                let _ = work.send(w);
            }
            for l in &listeners {
                l.applied(&m, &e);
            }
        }
        untold = Some(event.position);
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
