//! R28: repeated failed logins are slowed down, never locked out for good.
//!
//! A `Throttle` counts failures per key. The first `free` failures cost nothing; each further
//! one closes the key for a delay that doubles from `base` up to `max`; a success, or `window`
//! without failures, forgets the key. Logins are counted twice (see `usecases::sessions`):
//! per login *and client address*, strictly, so one guesser is slowed to a crawl; and per login
//! alone, leniently (a short `max`), so guessing from many addresses is slowed too while the
//! real user, from their own address, waits at most that short delay.
//!
//! Memory is bounded: past `capacity` keys the expired ones are dropped, then the oldest half.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Failures allowed before any delay.
    pub free: u32,
    /// The first delay; each further failure doubles it.
    pub base: Duration,
    /// The longest delay.
    pub max: Duration,
    /// A key with no failure for this long is forgotten.
    pub window: Duration,
    /// Keys remembered at most.
    pub capacity: usize,
}

impl Policy {
    /// How long a key stays closed after its `failures`th failure in a row (past the free ones).
    fn delay(&self, failures: u32) -> Duration {
        let doublings = failures.saturating_sub(self.free + 1).min(20);
        self.base.saturating_mul(1 << doublings).min(self.max)
    }
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    failures: u32,
    last: Instant,
    closed_until: Option<Instant>,
}

pub struct Throttle {
    policy: Policy,
    entries: Mutex<HashMap<String, Entry>>,
}

impl Throttle {
    pub fn new(policy: Policy) -> Throttle {
        Throttle {
            policy,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(wait)` while `key` is closed.
    pub fn check(&self, key: &str, now: Instant) -> Result<(), Duration> {
        let entries = self.entries.lock().expect("throttle lock");
        match entries.get(key).and_then(|e| e.closed_until) {
            Some(until) if until > now => Err(until - now),
            _ => Ok(()),
        }
    }

    /// A failure for `key` at `now`: may close it.
    pub fn failed(&self, key: &str, now: Instant) {
        let p = self.policy;
        let mut entries = self.entries.lock().expect("throttle lock");
        if entries.len() >= p.capacity && !entries.contains_key(key) {
            make_room(&mut entries, now, p);
        }
        let e = entries.entry(key.to_owned()).or_insert(Entry {
            failures: 0,
            last: now,
            closed_until: None,
        });
        if now.duration_since(e.last) > p.window {
            e.failures = 0;
        }
        e.failures = e.failures.saturating_add(1);
        e.last = now;
        if e.failures > p.free {
            e.closed_until = Some(now + p.delay(e.failures));
        }
    }

    /// What every node counted for `key` (R34): `failures` in a row, the last at `last`. When
    /// that is more than this node counted, the key takes it, and closes as it would have here.
    pub fn raise(&self, key: &str, failures: u32, last: Instant) {
        let p = self.policy;
        let mut entries = self.entries.lock().expect("throttle lock");
        if let Some(e) = entries.get(key) {
            if e.failures >= failures {
                return;
            }
        } else if entries.len() >= p.capacity {
            make_room(&mut entries, last, p);
        }
        entries.insert(
            key.to_owned(),
            Entry {
                failures,
                last,
                closed_until: (failures > p.free).then(|| last + p.delay(failures)),
            },
        );
    }

    /// The policy's window: a key with no failure for this long is forgotten.
    pub fn window(&self) -> Duration {
        self.policy.window
    }

    /// A success for `key`: forgotten.
    pub fn succeeded(&self, key: &str) {
        self.entries.lock().expect("throttle lock").remove(key);
    }

    /// Keys remembered now.
    pub fn len(&self) -> usize {
        self.entries.lock().expect("throttle lock").len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn make_room(entries: &mut HashMap<String, Entry>, now: Instant, p: Policy) {
    entries.retain(|_, e| now.duration_since(e.last) <= p.window);
    if entries.len() < p.capacity {
        return;
    }
    let mut ages: Vec<Instant> = entries.values().map(|e| e.last).collect();
    ages.sort_unstable();
    let cut = ages[ages.len() / 2];
    entries.retain(|_, e| e.last > cut);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> Policy {
        Policy {
            free: 3,
            base: Duration::from_secs(1),
            max: Duration::from_secs(8),
            window: Duration::from_secs(60),
            capacity: 4,
        }
    }

    #[test]
    fn what_other_nodes_counted_closes_a_key_as_if_counted_here() {
        let t = Throttle::new(policy());
        let now = Instant::now();
        t.failed("a", now);
        // Five in a row across the nodes, the last a second ago: closed for 2 s from then.
        t.raise("a", 5, now - Duration::from_secs(1));
        assert_eq!(t.check("a", now), Err(Duration::from_secs(1)));
        assert!(t.check("a", now + Duration::from_secs(1)).is_ok());
        // A smaller count than this node's own changes nothing; the next failure here counts on.
        t.raise("a", 2, now);
        t.failed("a", now);
        assert_eq!(t.check("a", now), Err(Duration::from_secs(4)));
        // Within the free failures, a raised key stays open.
        t.raise("b", 3, now);
        assert!(t.check("b", now).is_ok());
    }

    #[test]
    fn free_failures_then_doubling_delays_up_to_the_cap() {
        let t = Throttle::new(policy());
        let now = Instant::now();
        for _ in 0..3 {
            t.failed("a", now);
            assert!(t.check("a", now).is_ok());
        }
        let mut waits = vec![];
        for _ in 0..6 {
            t.failed("a", now);
            waits.push(t.check("a", now).unwrap_err().as_secs());
        }
        assert_eq!(waits, vec![1, 2, 4, 8, 8, 8]);
        // Open again once the delay has passed; another key was never closed.
        assert!(t.check("a", now + Duration::from_secs(9)).is_ok());
        assert!(t.check("b", now).is_ok());
    }

    #[test]
    fn a_success_or_a_quiet_window_forgets() {
        let t = Throttle::new(policy());
        let now = Instant::now();
        for _ in 0..5 {
            t.failed("a", now);
        }
        t.succeeded("a");
        assert!(t.check("a", now).is_ok());
        for _ in 0..5 {
            t.failed("a", now);
        }
        // After the window, the count starts again: one failure is free.
        let later = now + Duration::from_secs(120);
        t.failed("a", later);
        assert!(t.check("a", later).is_ok());
    }

    #[test]
    fn memory_stays_within_capacity_however_many_keys_fail() {
        let t = Throttle::new(policy());
        let start = Instant::now();
        for i in 0..1000u64 {
            t.failed(&format!("k{i}"), start + Duration::from_millis(i));
            assert!(t.len() <= 4, "{} keys", t.len());
        }
    }
}
