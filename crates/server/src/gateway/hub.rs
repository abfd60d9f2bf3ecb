//! The connections of this node and the recent changes it has seen. Every connection has a
//! bounded queue; a client that cannot keep up is told `resync_required` and dropped, without
//! slowing anyone else. Changes are kept for resumption: a client reconnecting with `since` gets
//! the frames of every change after it that it could see when it happened and can still see now
//! (R32); a `since` older than what this node kept answers `resync_required`. A socket whose
//! session ends or whose access changes is closed at once, with the reason.

use super::frames::{frames_for, removed, Change, Summary};
use bytestring::ByteString;
use chatd_domain::dialog::sees_all;
use chatd_domain::{Assignee, DialogId, Principal, Role, UserId};
use chatd_projections::ReadModel;
use chatd_store::Position;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot};

mod presence;
pub use presence::{SINGLES as PRESENCE_SINGLES, TICK as PRESENCE_TICK};

/// Frames one connection may have queued before it counts as too slow (default of `ws_queue`).
pub const QUEUE: usize = 1024;
/// Changes kept for resumption.
pub const RECENT: usize = 50_000;
/// Connections one node holds at most.
pub const MAX_CONNECTIONS: usize = 20_000;
/// Connections one user holds on one node at most (`ws_per_user`): one user cannot take the
/// node's whole budget. A new one beyond it ends that user's oldest ([`End::Replaced`]).
pub const PER_USER: usize = 20;

/// Where a reconnecting client resumes: after the change at `position` or, with `part`, after
/// that frame of it (the client was cut off between two frames of one change).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resume {
    pub position: Position,
    pub part: Option<u32>,
}

/// Why the hub ended a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// Its queue was full: the client is told `resync_required`.
    TooSlow,
    /// Its session ended: logged out, or the user was deactivated (tokens are revoked).
    SessionEnded,
    /// The user's role or rights changed: what they may see changed, so they reconnect.
    AccessChanged,
    /// The user opened more sockets than `ws_per_user`: the oldest goes (most likely a tab
    /// left behind), so a user who opens a new one always gets a working feed.
    Replaced,
    /// chatd is stopping: every socket is told to go away at once, so an open console never
    /// holds the stop up (R39).
    GoingAway,
}

struct Conn {
    principal: Principal,
    /// The session it was opened with, checked again whenever the user's access may change.
    token_hash: Option<String>,
    /// Frames are shared: one rendered for many sockets is one buffer.
    tx: mpsc::Sender<ByteString>,
    end: Option<oneshot::Sender<End>>,
}

struct Inner {
    conns: HashMap<u64, Conn>,
    next_id: u64,
    recent: VecDeque<Arc<Summary>>,
    /// Changes at or before this position may be missing from `recent`.
    forgotten_upto: Option<Position>,
    /// Open sockets per user.
    online: HashMap<UserId, usize>,
    /// Users with a socket on another node, as the store last said (R34).
    elsewhere: HashSet<UserId>,
    audience: Audience,
    /// Whose online flag moved since the last [`Hub::announce_presence`].
    announcer: presence::Announcer,
    /// Told when a user's first socket opens (`true`) or last one closes (`false`).
    presence_listener: Option<Box<dyn Fn(UserId, bool) + Send>>,
    meters: Meters,
}

/// R28: the feed's figures, registered once (recording is then an atomic operation).
struct Meters {
    connections: metrics::Gauge,
    frames: metrics::Counter,
    resync_slow: metrics::Counter,
    resync_resume: metrics::Counter,
}

impl Meters {
    fn new() -> Meters {
        let resyncs =
            |reason: &'static str| metrics::counter!("chatd_ws_resyncs_total", "reason" => reason);
        Meters {
            connections: metrics::gauge!("chatd_ws_connections"),
            frames: metrics::counter!("chatd_ws_frames_sent_total"),
            resync_slow: resyncs("too_slow"),
            resync_resume: resyncs("resume"),
        }
    }
}

/// Connections indexed by what they may see, so a dialog change is offered only to the sockets
/// that could see it before or after, not to every socket of the node.
#[derive(Default)]
struct Audience {
    all_seeing: HashSet<u64>,
    /// Managers see unassigned dialogs too.
    managers: HashSet<u64>,
    by_assignee: HashMap<Assignee, HashSet<u64>>,
}

impl Audience {
    fn change(&mut self, id: u64, p: &Principal, present: bool) {
        let set = |s: &mut HashSet<u64>| {
            if present {
                s.insert(id);
            } else {
                s.remove(&id);
            }
        };
        if sees_all(p) {
            set(&mut self.all_seeing);
            return;
        }
        if matches!(
            p,
            Principal::User {
                role: Role::Manager,
                ..
            }
        ) {
            set(&mut self.managers);
        }
        if let Some(a) = p.as_assignee() {
            set(self.by_assignee.entry(a).or_default());
        }
    }

    /// Sockets that may see a dialog with one of these responsibles (of dialogs not deleted).
    fn for_dialog(&self, responsibles: impl IntoIterator<Item = Option<Assignee>>) -> HashSet<u64> {
        let mut out = self.all_seeing.clone();
        for r in responsibles {
            match r {
                None => out.extend(&self.managers),
                Some(a) => out.extend(self.by_assignee.get(&a).into_iter().flatten()),
            }
        }
        out
    }
}

impl Inner {
    fn is_online(&self, user: UserId) -> bool {
        self.online.get(&user).is_some_and(|n| *n > 0)
    }

    /// What the sockets are told: online on this node or on another (R34).
    fn shown_online(&self, user: UserId) -> bool {
        self.is_online(user) || self.elsewhere.contains(&user)
    }
}

pub struct Hub {
    inner: Mutex<Inner>,
    queue: usize,
    per_user: usize,
}

/// A registered connection.
pub struct Connection {
    pub id: u64,
    pub user: Option<UserId>,
    /// Frames the client missed since its `since`, to send before the live ones.
    pub backlog: Vec<String>,
    pub frames: mpsc::Receiver<ByteString>,
    /// Resolves when the hub ends the connection (with the reason), or drops it.
    pub ended: oneshot::Receiver<End>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    TooManyConnections,
    /// `since` is older than what this node kept: the client reloads.
    ResyncRequired,
}

impl Hub {
    /// A hub whose connections may queue `queue` frames each, at most `per_user` of them per
    /// user.
    pub fn new(queue: usize, per_user: usize) -> Hub {
        Hub {
            queue,
            per_user: per_user.max(1),
            inner: Mutex::new(Inner {
                conns: HashMap::new(),
                next_id: 0,
                recent: VecDeque::new(),
                forgotten_upto: None,
                online: HashMap::new(),
                elsewhere: HashSet::new(),
                audience: Audience::default(),
                announcer: presence::Announcer::default(),
                presence_listener: None,
                meters: Meters::new(),
            }),
        }
    }

    /// The node's read models start after `start`: nothing before it can be resumed.
    pub fn forget_upto(&self, start: Option<Position>) {
        self.inner.lock().expect("hub lock").forgotten_upto = start;
    }

    /// R35: a customer was erased: the changes kept for resumption carry their texts, so they
    /// all go (a client resuming from before the erasure reloads instead).
    pub fn forget_recent(&self) {
        let mut inner = self.inner.lock().expect("hub lock");
        if let Some(last) = inner.recent.back().map(|s| s.position) {
            inner.forgotten_upto = Some(last);
        }
        inner.recent.clear();
    }

    /// Deliver a change to every connection that may see it, and keep it for resumption.
    pub fn publish(&self, m: &ReadModel, summary: Summary) {
        let mut inner = self.inner.lock().expect("hub lock");
        match summary.change {
            Change::User { id } | Change::Access { user: Some(id) } => {
                Self::check_access(&mut inner, m, Some(id))
            }
            Change::Access { user: None } => Self::check_access(&mut inner, m, None),
            _ => {}
        }
        let summary = Self::deliver(&mut inner, m, summary);
        if summary.change.is_live_only() {
            return;
        }
        inner.recent.push_back(summary);
        if inner.recent.len() > RECENT {
            if let Some(old) = inner.recent.pop_front() {
                inner.forgotten_upto = Some(old.position);
            }
        }
    }

    /// R32: end the connections (of `user`, or of everyone) whose session is gone or whose
    /// principal is no longer what the read models say it is.
    fn check_access(inner: &mut Inner, m: &ReadModel, user: Option<UserId>) {
        let now = OffsetDateTime::now_utc();
        let ended: Vec<(u64, End)> = inner
            .conns
            .iter()
            .filter(|(_, c)| user.is_none() || c.principal.user_id() == user)
            .filter_map(|(id, c)| {
                let hash = c.token_hash.as_deref()?;
                // An open socket is a session in use (its heartbeat records it): only
                // revocation and the 30-day expiry end it here.
                match m.people.session(hash, now, time::Duration::MAX) {
                    None => Some((*id, End::SessionEnded)),
                    Some(u) if m.people.principal_of(u) != c.principal => {
                        Some((*id, End::AccessChanged))
                    }
                    Some(_) => None,
                }
            })
            .collect();
        Self::end_all(inner, ended);
    }

    /// End connections (their users' going offline is announced at the next tick).
    fn end_all(inner: &mut Inner, ending: Vec<(u64, End)>) {
        for (id, why) in ending {
            Self::end(inner, id, why);
        }
    }

    /// Deliver `summary`, then end the connections that could not take it.
    fn deliver(inner: &mut Inner, m: &ReadModel, summary: Summary) -> Arc<Summary> {
        let summary = Arc::new(summary);
        let ending = Self::offer(inner, m, &summary);
        Self::end_all(inner, ending);
        summary
    }

    /// Offer one change to the connections that could see it; the ids whose queue is full or
    /// whose socket is gone.
    fn offer(inner: &Inner, m: &ReadModel, summary: &Summary) -> Vec<(u64, End)> {
        let targets: Vec<u64> = match &summary.change {
            Change::Dialog {
                before,
                after,
                event,
                ..
            } => {
                let mut targets = inner
                    .audience
                    .for_dialog([before, after].into_iter().flatten().map(|s| s.responsible));
                // R27: the mentioned hear of it whether or not R2 shows them the dialog.
                for user in super::frames::concerned(event) {
                    let sockets = inner
                        .audience
                        .by_assignee
                        .get(&Assignee::User { id: *user });
                    targets.extend(sockets.into_iter().flatten());
                }
                targets.into_iter().collect()
            }
            Change::Waiting { id } | Change::Typing { id, .. } => m
                .dialogs
                .get(id)
                .map(|r| {
                    inner
                        .audience
                        .for_dialog([r.responsible])
                        .into_iter()
                        .collect()
                })
                .unwrap_or_default(),
            // R32: a customer is seen through its dialogs.
            Change::Customer { id } => inner
                .audience
                .for_dialog(m.dialogs.customer_responsibles(id))
                .into_iter()
                .collect(),
            Change::Access { .. } => vec![],
            Change::User { .. } | Change::Online { .. } | Change::Presence { .. } => {
                inner.conns.keys().copied().collect()
            }
        };
        let mut dropped = Vec::new();
        let online = |u: UserId| inner.shown_online(u);
        // Rendered once per principal: a user's tabs share their frames. Changes of customers
        // and users read the same for every socket that may see them: once per change.
        let shared = matches!(
            summary.change,
            Change::Customer { .. }
                | Change::User { .. }
                | Change::Online { .. }
                | Change::Presence { .. }
        );
        let mut rendered: HashMap<Option<Principal>, Vec<ByteString>> = HashMap::new();
        for id in targets {
            let Some(c) = inner.conns.get(&id) else {
                continue;
            };
            if let Change::Customer { id } = &summary.change {
                if !m.dialogs.customer_visible_to(&c.principal, id) {
                    continue;
                }
            }
            let key = (!shared).then_some(c.principal);
            let frames = rendered.entry(key).or_insert_with(|| {
                let frames = frames_for(m, &c.principal, summary, &online);
                frames.into_iter().map(ByteString::from).collect()
            });
            for f in frames.iter() {
                match c.tx.try_send(f.clone()) {
                    Ok(()) => inner.meters.frames.increment(1),
                    Err(mpsc::error::TrySendError::Full(_)) => {
                        inner.meters.resync_slow.increment(1);
                        dropped.push((id, End::TooSlow));
                        break;
                    }
                    Err(mpsc::error::TrySendError::Closed(_)) => {
                        // The socket's task is gone: nobody hears the reason.
                        dropped.push((id, End::SessionEnded));
                        break;
                    }
                }
            }
        }
        dropped
    }

    /// End a connection, telling its socket why.
    fn end(inner: &mut Inner, id: u64, why: End) {
        if let Some(end) = inner.conns.get_mut(&id).and_then(|c| c.end.take()) {
            let _ = end.send(why);
        }
        Self::remove(inner, id)
    }

    /// Remove a connection; when it was its user's last, the user goes offline.
    fn remove(inner: &mut Inner, id: u64) {
        let Some(c) = inner.conns.remove(&id) else {
            return;
        };
        inner.meters.connections.set(inner.conns.len() as f64);
        inner.audience.change(id, &c.principal, false);
        let Some(user) = c.principal.user_id() else {
            return;
        };
        let Some(n) = inner.online.get_mut(&user) else {
            return;
        };
        *n -= 1;
        if *n == 0 {
            inner.online.remove(&user);
            inner.announcer.moved(user);
            if let Some(listener) = &inner.presence_listener {
                listener(user, false);
            }
        }
    }

    pub fn is_online(&self, user: UserId) -> bool {
        self.inner.lock().expect("hub lock").is_online(user)
    }

    /// Every user holding a socket on this node (R34's shared presence).
    pub fn online_users(&self) -> Vec<UserId> {
        let inner = self.inner.lock().expect("hub lock");
        inner
            .online
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(u, _)| *u)
            .collect()
    }

    /// Call `listener` whenever a user's last connection on this node goes (under the hub's
    /// lock: it must only hand the news on, e.g. into a channel).
    pub fn on_presence(&self, listener: impl Fn(UserId, bool) + Send + 'static) {
        self.inner.lock().expect("hub lock").presence_listener = Some(Box::new(listener));
    }

    /// Register a connection of `principal`, opened with the session `token_hash` (checked by
    /// the caller against the same read models `m`); with `since`, compute what it missed under
    /// the same lock, so that nothing falls between the backlog and the live frames and nothing
    /// is in both.
    pub fn connect(
        &self,
        m: &ReadModel,
        principal: Principal,
        token_hash: Option<String>,
        since: Option<Resume>,
    ) -> Result<Connection, Refused> {
        let mut inner = self.inner.lock().expect("hub lock");
        if let Some(user) = principal.user_id() {
            if inner.online.get(&user).is_some_and(|n| *n >= self.per_user) {
                let oldest = inner
                    .conns
                    .iter()
                    .filter(|(_, c)| c.principal.user_id() == Some(user))
                    .map(|(id, _)| *id)
                    .min();
                if let Some(oldest) = oldest {
                    Self::end(&mut inner, oldest, End::Replaced);
                }
            }
        }
        if inner.conns.len() >= MAX_CONNECTIONS {
            return Err(Refused::TooManyConnections);
        }
        let backlog = match since {
            None => vec![],
            Some(since) => {
                let missed = inner
                    .forgotten_upto
                    // With a part, the change at `since` itself must still be kept.
                    .is_none_or(|f| {
                        since.position > f || (since.position == f && since.part.is_none())
                    })
                    .then(|| Self::missed(&inner, m, &principal, since, self.queue))
                    .flatten();
                match missed {
                    Some(frames) => frames,
                    None => {
                        inner.meters.resync_resume.increment(1);
                        return Err(Refused::ResyncRequired);
                    }
                }
            }
        };
        let (tx, frames) = mpsc::channel(self.queue);
        let (end, ended) = oneshot::channel();
        let id = inner.next_id;
        inner.next_id += 1;
        inner.conns.insert(
            id,
            Conn {
                principal,
                token_hash,
                tx,
                end: Some(end),
            },
        );
        inner.audience.change(id, &principal, true);
        inner.meters.connections.set(inner.conns.len() as f64);
        if let Some(user) = principal.user_id() {
            let n = inner.online.entry(user).or_default();
            *n += 1;
            if *n == 1 {
                inner.announcer.moved(user);
                if let Some(listener) = &inner.presence_listener {
                    listener(user, true);
                }
            }
        }
        Ok(Connection {
            id,
            user: principal.user_id(),
            backlog,
            frames,
            ended,
        })
    }

    /// R32: the frames of every kept change after `since` that `viewer` could see when it
    /// happened (`frames_for` judges each change by the dialog's sight before and after it) and
    /// can still see now. A dialog out of the viewer's sight now (reassigned away, deleted) is
    /// not replayed at all: a viewer who had it at `since` is told `dialog_removed`, at the
    /// position of the last change to it, and nothing else. Rows are rendered as the read
    /// models show them now, which is never more than the viewer may see now. More than `limit`
    /// frames (what a live client may have queued) is `None`: the client reloads instead, so a
    /// resumption costs no more memory than a connected client may hold. With a `part`, the
    /// change at `since` is rendered again and its frames after that part are sent first.
    fn missed(
        inner: &Inner,
        m: &ReadModel,
        viewer: &Principal,
        since: Resume,
        limit: usize,
    ) -> Option<Vec<String>> {
        let Resume { position, part } = since;
        let missed: Vec<&Arc<Summary>> = inner
            .recent
            .iter()
            .filter(|s| s.position > position || (part.is_some() && s.position == position))
            .collect();
        // Per dialog out of sight now: whether the viewer had it at `since`, and its last change.
        let mut hidden: HashMap<DialogId, Option<(bool, Position)>> = HashMap::new();
        for s in &missed {
            if let Change::Dialog { id, before, .. } = &s.change {
                let entry = hidden.entry(*id).or_insert_with(|| {
                    let seen_now = m.dialogs.get(id).is_some_and(|r| r.is_visible_to(viewer));
                    (!seen_now).then(|| (before.is_some_and(|b| b.visible_to(viewer)), s.position))
                });
                if let Some((_, last)) = entry {
                    *last = s.position;
                }
            }
        }
        let online = |u: UserId| inner.shown_online(u);
        let mut out = Vec::new();
        for s in missed {
            let frames = match &s.change {
                Change::Dialog { id, .. } => match hidden.get(id).copied().flatten() {
                    None => frames_for(m, viewer, s, &online),
                    Some((true, last)) if last == s.position => removed(m, viewer, last, *id),
                    Some(_) => vec![],
                },
                _ => frames_for(m, viewer, s, &online),
            };
            let had = match part {
                Some(part) if s.position == position => part as usize + 1,
                _ => 0,
            };
            out.extend(frames.into_iter().skip(had));
            if out.len() > limit {
                return None;
            }
        }
        Some(out)
    }

    pub fn disconnect(&self, id: u64) {
        Self::remove(&mut self.inner.lock().expect("hub lock"), id);
    }

    /// End every connection (chatd is stopping); presence is not announced, nobody is left.
    pub fn close_all(&self) {
        let mut inner = self.inner.lock().expect("hub lock");
        let ids: Vec<u64> = inner.conns.keys().copied().collect();
        for id in ids {
            Self::end(&mut inner, id, End::GoingAway);
        }
    }

    pub fn connections(&self) -> usize {
        self.inner.lock().expect("hub lock").conns.len()
    }
}

#[cfg(test)]
mod tests;
