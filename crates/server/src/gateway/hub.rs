//! The connections of this node and the recent changes it has seen. Every connection has a
//! bounded queue; a client that cannot keep up is told `resync_required` and dropped, without
//! slowing anyone else. Changes are kept for resumption: a client reconnecting with `since` gets
//! the frames of every change after it, computed exactly as for live delivery; a `since` older
//! than what this node kept answers `resync_required`.

use super::frames::{frames_for, Change, Summary};
use chatd_domain::dialog::sees_all;
use chatd_domain::{Assignee, Principal, Role, UserId};
use chatd_projections::ReadModel;
use chatd_store::Position;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, Notify};

/// Frames one connection may have queued before it counts as too slow (default of `ws_queue`).
pub const QUEUE: usize = 1024;
/// Changes kept for resumption.
pub const RECENT: usize = 50_000;
/// Connections one node holds at most.
pub const MAX_CONNECTIONS: usize = 20_000;

struct Conn {
    principal: Principal,
    tx: mpsc::Sender<String>,
    too_slow: Arc<Notify>,
}

struct Inner {
    conns: HashMap<u64, Conn>,
    next_id: u64,
    recent: VecDeque<Arc<Summary>>,
    /// Changes at or before this position may be missing from `recent`.
    forgotten_upto: Option<Position>,
    /// Open sockets per user.
    online: HashMap<UserId, usize>,
    audience: Audience,
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

    /// Sockets that may see a dialog with one of these responsibles.
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
}

pub struct Hub {
    inner: Mutex<Inner>,
    queue: usize,
}

/// A registered connection.
pub struct Connection {
    pub id: u64,
    pub user: Option<UserId>,
    /// Frames the client missed since its `since`, to send before the live ones.
    pub backlog: Vec<String>,
    pub frames: mpsc::Receiver<String>,
    pub too_slow: Arc<Notify>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    TooManyConnections,
    /// `since` is older than what this node kept: the client reloads.
    ResyncRequired,
}

impl Hub {
    /// A hub for a node whose read models start at `start`: nothing before it can be resumed.
    pub fn new(start: Option<Position>, queue: usize) -> Hub {
        Hub {
            queue,
            inner: Mutex::new(Inner {
                conns: HashMap::new(),
                next_id: 0,
                recent: VecDeque::new(),
                forgotten_upto: start,
                online: HashMap::new(),
                audience: Audience::default(),
            }),
        }
    }

    /// Deliver a change to every connection that may see it, and keep it for resumption.
    pub fn publish(&self, m: &ReadModel, summary: Summary) {
        let mut inner = self.inner.lock().expect("hub lock");
        let summary = Self::deliver(&mut inner, m, summary);
        if matches!(
            summary.change,
            Change::Online { .. } | Change::Waiting { .. }
        ) {
            // Not in the log: delivered live only.
            return;
        }
        inner.recent.push_back(summary);
        if inner.recent.len() > RECENT {
            if let Some(old) = inner.recent.pop_front() {
                inner.forgotten_upto = Some(old.position);
            }
        }
    }

    fn deliver(inner: &mut Inner, m: &ReadModel, summary: Summary) -> Arc<Summary> {
        let summary = Arc::new(summary);
        let targets: Vec<u64> = match &summary.change {
            Change::Dialog { before, after, .. } => inner
                .audience
                .for_dialog([before, after].into_iter().flatten().map(|s| s.responsible))
                .into_iter()
                .collect(),
            Change::Waiting { id } => m
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
            _ => inner.conns.keys().copied().collect(),
        };
        let mut slow = Vec::new();
        let online = |u: UserId| inner.is_online(u);
        // Rendered once per principal: a user's tabs share their frames.
        let mut rendered: HashMap<Principal, Vec<String>> = HashMap::new();
        for id in targets {
            let Some(c) = inner.conns.get(&id) else {
                continue;
            };
            let frames = rendered
                .entry(c.principal)
                .or_insert_with(|| frames_for(m, &c.principal, &summary, &online));
            for f in frames.iter() {
                if c.tx.try_send(f.clone()).is_err() {
                    c.too_slow.notify_one();
                    slow.push(id);
                    break;
                }
            }
        }
        for id in slow {
            Self::forget(inner, m, id);
        }
        summary
    }

    /// Drop a connection; the user's last one going tells everyone they are offline.
    fn forget(inner: &mut Inner, m: &ReadModel, id: u64) {
        let Some(c) = inner.conns.remove(&id) else {
            return;
        };
        inner.audience.change(id, &c.principal, false);
        let Some(user) = c.principal.user_id() else {
            return;
        };
        let left = inner.online.get_mut(&user).map(|n| {
            *n -= 1;
            *n
        });
        if left == Some(0) {
            inner.online.remove(&user);
            let position = m.position.unwrap_or(Position::single(0));
            Self::deliver(
                inner,
                m,
                Summary {
                    position,
                    change: Change::Online { id: user },
                },
            );
        }
    }

    pub fn is_online(&self, user: UserId) -> bool {
        self.inner.lock().expect("hub lock").is_online(user)
    }

    /// Register a connection; with `since`, compute what it missed under the same lock, so that
    /// nothing falls between the backlog and the live frames and nothing is in both.
    pub fn connect(
        &self,
        m: &ReadModel,
        principal: Principal,
        since: Option<Position>,
    ) -> Result<Connection, Refused> {
        let mut inner = self.inner.lock().expect("hub lock");
        if inner.conns.len() >= MAX_CONNECTIONS {
            return Err(Refused::TooManyConnections);
        }
        let backlog = match since {
            None => vec![],
            Some(since) => {
                if inner.forgotten_upto.is_some_and(|f| since < f) {
                    return Err(Refused::ResyncRequired);
                }
                let online = |u: UserId| inner.is_online(u);
                inner
                    .recent
                    .iter()
                    .filter(|s| s.position > since)
                    .flat_map(|s| frames_for(m, &principal, s, &online))
                    .collect()
            }
        };
        let (tx, frames) = mpsc::channel(self.queue);
        let too_slow = Arc::new(Notify::new());
        let id = inner.next_id;
        inner.next_id += 1;
        inner.conns.insert(
            id,
            Conn {
                principal,
                tx,
                too_slow: too_slow.clone(),
            },
        );
        inner.audience.change(id, &principal, true);
        if let Some(user) = principal.user_id() {
            let n = inner.online.entry(user).or_default();
            *n += 1;
            if *n == 1 {
                let position = m.position.unwrap_or(Position::single(0));
                Self::deliver(
                    &mut inner,
                    m,
                    Summary {
                        position,
                        change: Change::Online { id: user },
                    },
                );
            }
        }
        Ok(Connection {
            id,
            user: principal.user_id(),
            backlog,
            frames,
            too_slow,
        })
    }

    pub fn disconnect(&self, m: &ReadModel, id: u64) {
        let mut inner = self.inner.lock().expect("hub lock");
        Self::forget(&mut inner, m, id);
    }

    pub fn connections(&self) -> usize {
        self.inner.lock().expect("hub lock").conns.len()
    }
}
