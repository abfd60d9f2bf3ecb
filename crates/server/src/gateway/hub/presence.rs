//! Presence announced in ticks. A socket opening or closing does not tell every other socket at
//! once: with N managers logging in at a shift's start that is N² frames, enough to fill every
//! queue and drop the slowest clients. The hub notes whose online flag moved; every
//! [`TICK`] it announces the net change: a `user_updated` per user when few moved (what a desk
//! sees every day), `presence` frames of at most [`CHUNK`] users when many did.

use chatd_domain::UserId;
use std::collections::{HashMap, HashSet};
use std::time::Duration;

/// How often the hub announces who went online or offline.
pub const TICK: Duration = Duration::from_millis(250);
/// Up to this many users moved in one tick: a `user_updated` each; more: `presence` frames.
pub const SINGLES: usize = 16;

/// Users one `presence` frame lists at most (about 10 KB): a frame stays small however large
/// the desk, and a crowd is told in several.
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

    /// The crowd in parts of at most [`CHUNK`] users, in order: those who came online, then
    /// those who went offline.
    pub fn chunks(self) -> Vec<Moved> {
        let part = |online: &[UserId], offline: &[UserId]| Moved {
            online: online.to_vec(),
            offline: offline.to_vec(),
        };
        let on = self.online.chunks(CHUNK).map(|c| part(c, &[]));
        on.chain(self.offline.chunks(CHUNK).map(|c| part(&[], c)))
            .collect()
    }
}

impl Announcer {
    /// `user`'s first socket opened or last one closed.
    pub fn moved(&mut self, user: UserId) {
        self.pending.push(user);
    }

    /// Who is online now (open sockets per user) against what the sockets last heard: a user
    /// who came and went within one tick is not announced at all.
    pub fn take(&mut self, sockets: &HashMap<UserId, usize>) -> Moved {
        let mut out = Moved::default();
        for user in self.pending.drain(..) {
            let now = sockets.get(&user).is_some_and(|n| *n > 0);
            if now == self.heard_online.contains(&user) {
                continue;
            }
            if now {
                self.heard_online.insert(user);
                out.online.push(user);
            } else {
                self.heard_online.remove(&user);
                out.offline.push(user);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crowd_is_told_in_parts_of_at_most_chunk_users() {
        let ids =
            |n: usize| -> Vec<UserId> { (0..n).map(|_| uuid::Uuid::new_v4().into()).collect() };
        let moved = Moved {
            online: ids(CHUNK + 10),
            offline: ids(CHUNK),
        };
        let (online, offline) = (moved.online.clone(), moved.offline.clone());
        let parts = moved.chunks();
        assert_eq!(parts.len(), 3);
        assert!(parts.iter().all(|p| p.len() <= CHUNK && p.len() > 0));
        let back: Vec<UserId> = parts.iter().flat_map(|p| p.online.clone()).collect();
        assert_eq!(back, online);
        let back: Vec<UserId> = parts.iter().flat_map(|p| p.offline.clone()).collect();
        assert_eq!(back, offline);
        assert!(Moved::default().chunks().is_empty());
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
        let moved = an.take(&sockets);
        assert_eq!(moved.online, vec![a, b]);
        assert!(moved.offline.is_empty());
        assert_eq!(an.take(&sockets), Moved::default(), "nothing moved since");

        sockets.remove(&a);
        an.moved(a);
        an.moved(c);
        let moved = an.take(&sockets);
        assert_eq!((moved.online, moved.offline), (vec![], vec![a]));

        // Gone and back within one tick: the sockets already think b online.
        an.moved(b);
        assert_eq!(an.take(&sockets).len(), 0);
    }
}
