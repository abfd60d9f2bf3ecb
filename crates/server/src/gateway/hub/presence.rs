//! Presence announced in ticks. A socket opening or closing does not tell every other socket at
//! once: with N managers logging in at a shift's start that is N² frames, enough to fill every
//! queue and drop the slowest clients. The hub notes whose online flag moved; every
//! [`TICK`] it announces the net change: a `user_updated` per user when few moved (what a desk
//! sees every day), one `presence` frame of at most [`CHUNK`] users when many did, the rest of a
//! crowd in the ticks after. One frame per socket per tick keeps what a socket is sent at once
//! small: the HTTP layer keeps each connection's write buffer at the largest burst it wrote
//! (up to 128 KiB), so a tick's burst is idle memory on every socket afterwards (P6).
//!
//! R34: a user is shown online with a socket on this node or on another, as the store last said
//! (`Hub::set_elsewhere`); moving in or out of the other nodes' set is announced the same way.

use super::{Change, Hub, Summary};
use chatd_domain::UserId;
use chatd_projections::ReadModel;
use chatd_store::Position;
use std::collections::HashSet;
use std::time::Duration;

/// How often the hub announces who went online or offline.
pub const TICK: Duration = Duration::from_millis(250);
/// Up to this many users moved in one tick: a `user_updated` each; more: `presence` frames.
pub const SINGLES: usize = 16;

/// Users one tick announces at most (one `presence` frame of about 10 KB): a crowd is told over
/// several ticks, 1,024 users a second.
pub const CHUNK: usize = 256;

/// Whose online flag moved since the last tick, and what the sockets last heard.
#[derive(Default)]
pub(super) struct Announcer {
    /// In the order they moved (a user twice when they moved twice: `take` tells each once,
    /// since after the first the sockets have heard what is true now).
    pending: Vec<UserId>,
    /// The users the sockets were last told are online.
    heard_online: HashSet<UserId>,
}

/// The net change of one tick.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Moved {
    pub online: Vec<UserId>,
    pub offline: Vec<UserId>,
}

impl Moved {
    pub fn len(&self) -> usize {
        self.online.len() + self.offline.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Announcer {
    /// `user`'s first socket opened or last one closed.
    pub fn moved(&mut self, user: UserId) {
        self.pending.push(user);
    }

    /// Who is online now (`online`: a socket here or on another node) against what the sockets
    /// last heard, for at most [`CHUNK`] users; the rest stay pending for the next tick, in
    /// order. A user who came and went within one tick is not announced at all.
    pub fn take(&mut self, online: impl Fn(UserId) -> bool) -> Moved {
        let mut out = Moved::default();
        let mut seen = 0;
        for user in &self.pending {
            if out.len() == CHUNK {
                break;
            }
            seen += 1;
            let now = online(*user);
            if now == self.heard_online.contains(user) {
                continue;
            }
            if now {
                self.heard_online.insert(*user);
                out.online.push(*user);
            } else {
                self.heard_online.remove(user);
                out.offline.push(*user);
            }
        }
        self.pending.drain(..seen);
        out
    }
}

impl Hub {
    /// Tell every socket whose online flag moved since the last call (every [`TICK`]):
    /// a `user_updated` each when at most [`SINGLES`] moved, else one `presence`
    /// frame of at most [`CHUNK`] users (the rest of a crowd in the ticks after).
    pub fn announce_presence(&self, m: &ReadModel) {
        let mut inner = self.inner.lock().expect("hub lock");
        let inner = &mut *inner;
        let mut announcer = std::mem::take(&mut inner.announcer);
        let moved = announcer.take(|u| inner.shown_online(u));
        inner.announcer = announcer;
        if moved.is_empty() {
            return;
        }
        let position = m.position.unwrap_or(Position::single(0));
        let changes: Vec<Change> = if moved.len() <= SINGLES {
            let each = moved.online.into_iter().chain(moved.offline);
            each.map(|id| Change::Online { id }).collect()
        } else {
            vec![Change::Presence {
                online: moved.online,
                offline: moved.offline,
            }]
        };
        for change in changes {
            Self::deliver(inner, m, Summary { position, change });
        }
    }

    /// R34: the users with a socket on another node now. Whoever moved in or out of it is
    /// announced at the next tick, unless this node's own sockets keep their flag as it was.
    pub fn set_elsewhere(&self, users: &HashSet<UserId>) {
        let mut inner = self.inner.lock().expect("hub lock");
        let moved: Vec<UserId> = inner
            .elsewhere
            .symmetric_difference(users)
            .copied()
            .collect();
        moved.into_iter().for_each(|u| inner.announcer.moved(u));
        inner.elsewhere = users.clone();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// Online: holding a socket, as `sockets` counts them.
    fn on(sockets: &HashMap<UserId, usize>) -> impl Fn(UserId) -> bool + '_ {
        |u| sockets.get(&u).is_some_and(|n| *n > 0)
    }

    #[test]
    fn a_crowd_is_told_over_ticks_of_at_most_chunk_users_each() {
        let ids =
            |n: usize| -> Vec<UserId> { (0..n).map(|_| uuid::Uuid::new_v4().into()).collect() };
        let (came, went) = (ids(CHUNK + 10), ids(CHUNK));
        let mut sockets: HashMap<UserId, usize> = went.iter().map(|u| (*u, 1)).collect();
        let mut an = Announcer::default();
        went.iter().for_each(|u| an.moved(*u));
        assert_eq!(an.take(on(&sockets)).online, went);
        // The shift changes: CHUNK + 10 come, CHUNK go, and one of those comes back at once.
        for u in &came {
            sockets.insert(*u, 1);
            an.moved(*u);
        }
        for u in &went {
            sockets.remove(u);
            an.moved(*u);
        }
        an.moved(went[0]);
        sockets.insert(went[0], 1);
        let mut ticks = vec![];
        loop {
            let moved = an.take(on(&sockets));
            if moved.is_empty() {
                break;
            }
            assert!(moved.len() <= CHUNK);
            ticks.push(moved);
        }
        assert_eq!(
            ticks.len(),
            3,
            "{} + {} users in ticks of {CHUNK}",
            came.len(),
            went.len() - 1
        );
        let online: Vec<UserId> = ticks.iter().flat_map(|t| t.online.clone()).collect();
        let offline: Vec<UserId> = ticks.iter().flat_map(|t| t.offline.clone()).collect();
        assert_eq!(online, came, "in the order they came, each once");
        assert_eq!(offline, went[1..], "went[0] is back: never heard offline");
    }

    #[test]
    fn a_tick_announces_the_net_change_once_per_user() {
        let (a, b, c): (UserId, UserId, UserId) = (
            uuid::Uuid::new_v4().into(),
            uuid::Uuid::new_v4().into(),
            uuid::Uuid::new_v4().into(),
        );
        let mut an = Announcer::default();
        let mut sockets = HashMap::from([(a, 1), (b, 2)]);
        an.moved(a);
        an.moved(b);
        an.moved(a);
        // c came and went within the tick: nobody hears of it.
        an.moved(c);
        let moved = an.take(on(&sockets));
        assert_eq!(moved.online, vec![a, b]);
        assert!(moved.offline.is_empty());
        assert_eq!(
            an.take(on(&sockets)),
            Moved::default(),
            "nothing moved since"
        );

        sockets.remove(&a);
        an.moved(a);
        an.moved(c);
        let moved = an.take(on(&sockets));
        assert_eq!((moved.online, moved.offline), (vec![], vec![a]));

        // Gone and back within one tick: the sockets already think b online.
        an.moved(b);
        assert!(an.take(on(&sockets)).is_empty());
    }
}
