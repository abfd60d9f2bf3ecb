//! The application's clock (R37): every command's time and every timer's "now" come from here,
//! never from the system directly, so tests move time instead of sleeping for hours.
//!
//! In production the clock is the system's. A test clock (`Clock::adjustable`, enabled only by
//! the `test_clock` setting) is the system's time plus an offset that can be set forward or
//! back; timers waiting on it wake when it moves.

use std::sync::atomic::{AtomicI64, Ordering};
use time::{Duration, OffsetDateTime};
use tokio::sync::watch;

pub struct Clock {
    /// Nanoseconds added to the system's time.
    offset: AtomicI64,
    adjustable: bool,
    moved: watch::Sender<()>,
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl Clock {
    pub fn system() -> Clock {
        Clock {
            offset: AtomicI64::new(0),
            adjustable: false,
            moved: watch::channel(()).0,
        }
    }

    /// A test clock, starting at `start` (or at the system's time).
    pub fn adjustable(start: Option<OffsetDateTime>) -> Clock {
        let c = Clock {
            adjustable: true,
            ..Clock::system()
        };
        if let Some(start) = start {
            c.offset
                .store(nanos(start - OffsetDateTime::now_utc()), Ordering::SeqCst);
        }
        c
    }

    pub fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() + Duration::nanoseconds(self.offset.load(Ordering::SeqCst))
    }

    pub fn is_adjustable(&self) -> bool {
        self.adjustable
    }

    /// Set a test clock to `to`; `false` (and nothing changes) for the system's clock.
    pub fn set(&self, to: OffsetDateTime) -> bool {
        if !self.adjustable {
            return false;
        }
        self.offset
            .store(nanos(to - OffsetDateTime::now_utc()), Ordering::SeqCst);
        self.moved.send_replace(());
        true
    }

    /// Told whenever a test clock is set.
    pub fn moved(&self) -> watch::Receiver<()> {
        self.moved.subscribe()
    }
}

fn nanos(d: Duration) -> i64 {
    d.whole_nanoseconds()
        .clamp(i64::MIN as i128, i64::MAX as i128) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r37_a_test_clock_moves_and_the_system_clock_does_not() {
        let system = Clock::system();
        assert!(!system.set(OffsetDateTime::UNIX_EPOCH));
        assert!((system.now() - OffsetDateTime::now_utc()).abs() < Duration::seconds(1));
        let start = time::macros::datetime!(2026-11-28 12:00 UTC);
        let test = Clock::adjustable(Some(start));
        assert!((test.now() - start).abs() < Duration::seconds(1));
        let moved = test.moved();
        assert!(test.set(start + Duration::days(2)));
        assert!(moved.has_changed().unwrap());
        assert!((test.now() - (start + Duration::days(2))).abs() < Duration::seconds(1));
    }
}
