//! One read shared by every caller that needs a value no older than its own arrival (the log's
//! head when a credential misses, R34). Reads run one at a time. A caller that arrives while a
//! read is in flight cannot use it (it may have started before the caller's news was written),
//! so it waits for the next one, which it shares with everyone else who waited: a flood of
//! misses (forged tokens) costs the store at most one read at a time, and each caller at most
//! two reads' time. A failure is shared like a value (the store is down now for all of them):
//! during an outage the waiters do not queue up one failing read each.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};

pub struct Fresh<T, E> {
    /// Reads started so far; the number of a read is its place in this count.
    started: AtomicU64,
    /// The last read: its number and outcome. Held while a read runs.
    last: tokio::sync::Mutex<Option<(u64, Result<T, E>)>>,
}

impl<T: Clone, E: Clone> Default for Fresh<T, E> {
    fn default() -> Self {
        Fresh {
            started: AtomicU64::new(0),
            last: tokio::sync::Mutex::new(None),
        }
    }
}

impl<T: Clone, E: Clone> Fresh<T, E> {
    /// The outcome of a read begun after this call began: a shared one when such a read has
    /// finished while the caller waited its turn, else `read`'s.
    pub async fn get<Fut>(&self, read: impl FnOnce() -> Fut) -> Result<T, E>
    where
        Fut: Future<Output = Result<T, E>>,
    {
        let arrived = self.started.load(Ordering::SeqCst);
        let mut last = self.last.lock().await;
        if let Some((number, outcome)) = last.as_ref() {
            if *number > arrived {
                return outcome.clone();
            }
        }
        let number = self.started.fetch_add(1, Ordering::SeqCst) + 1;
        let outcome = read().await;
        *last = Some((number, outcome.clone()));
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::time::Duration;

    /// A source whose reads take a while: each returns the value it saw when it began.
    #[derive(Default)]
    struct Source {
        value: AtomicU64,
        reads: AtomicU64,
    }

    impl Source {
        async fn read(&self) -> Result<u64, ()> {
            self.reads.fetch_add(1, Ordering::SeqCst);
            let seen = self.value.load(Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(20)).await;
            Ok(seen)
        }
    }

    #[tokio::test]
    async fn callers_one_after_another_each_read() {
        let (fresh, source) = (Fresh::default(), Source::default());
        for n in 0..3 {
            source.value.store(n, Ordering::SeqCst);
            assert_eq!(fresh.get(|| source.read()).await, Ok(n));
        }
        assert_eq!(source.reads.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn a_flood_shares_one_read_and_none_gets_a_value_older_than_its_arrival() {
        let fresh = Arc::new(Fresh::default());
        let source = Arc::new(Source::default());
        // The first caller's read begins before the news (value 1) is written ...
        let first = {
            let (fresh, source) = (fresh.clone(), source.clone());
            tokio::spawn(async move { fresh.get(|| source.read()).await })
        };
        tokio::time::sleep(Duration::from_millis(5)).await;
        source.value.store(1, Ordering::SeqCst);
        // ... and fifty callers arrive after it, while that read is in flight.
        let flood: Vec<_> = (0..50)
            .map(|_| {
                let (fresh, source) = (fresh.clone(), source.clone());
                tokio::spawn(async move { fresh.get(|| source.read()).await })
            })
            .collect();
        assert_eq!(first.await.unwrap(), Ok(0));
        for caller in flood {
            assert_eq!(
                caller.await.unwrap(),
                Ok(1),
                "a read begun before it arrived"
            );
        }
        assert_eq!(
            source.reads.load(Ordering::SeqCst),
            2,
            "one read for the flood"
        );
    }

    #[tokio::test]
    async fn a_failure_goes_to_those_who_waited_for_it_and_a_later_caller_reads_again() {
        let fresh: Arc<Fresh<u64, &str>> = Arc::new(Fresh::default());
        let reads = Arc::new(AtomicU64::new(0));
        let failing = |reads: Arc<AtomicU64>| async move {
            reads.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(20)).await;
            Err("down")
        };
        let callers: Vec<_> = (0..20)
            .map(|_| {
                let (fresh, reads) = (fresh.clone(), reads.clone());
                tokio::spawn(async move { fresh.get(|| failing(reads)).await })
            })
            .collect();
        for caller in callers {
            assert_eq!(caller.await.unwrap(), Err("down"));
        }
        assert_eq!(reads.load(Ordering::SeqCst), 2, "not one failing read each");
        assert_eq!(fresh.get(|| async { Ok(7) }).await, Ok(7));
    }
}
