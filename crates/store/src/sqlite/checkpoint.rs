//! WAL checkpoints off the writer's path. SQLite checkpoints on the committing connection by
//! default (every 1,000 pages): the writer then copies the log into the file and fsyncs it while
//! every append waits, a stall of tens of milliseconds every half second under load (P3's p99).
//! Here a thread of its own checkpoints (`PASSIVE`: it never blocks the writer) whenever commits
//! happened since its last pass, at most every [`EVERY`] (backing off to [`IDLE`] while nothing
//! is committed); the writer's own automatic checkpoint stays as a backstop at
//! [`BACKSTOP_PAGES`], should this thread fall far behind.

use super::schema;
use crate::StoreError;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::{mpsc, Arc};
use std::time::Duration;

/// How often the checkpointer looks for new commits. Short, so that each pass copies few pages
/// and its fsync of the database file is short: the log's own fsyncs queue behind it on the same
/// disk. At 100 ms, P3's append-to-frame p99 was about a quarter higher (DECISIONS: "Checkpoints
/// every 25 ms").
pub const EVERY: Duration = Duration::from_millis(25);
/// The longest an idle store's checkpointer sleeps between looks: it backs off from [`EVERY`]
/// while nothing is committed, so an idle chatd is not woken 40 times a second. No longer than
/// this, because the first pass after a quiet spell copies everything written since its last
/// look, and a longer pass means a longer flush for the appends waiting behind it.
pub const IDLE: Duration = Duration::from_millis(100);
/// WAL pages (4 KiB) after which the writer checkpoints itself: 64 MiB.
pub const BACKSTOP_PAGES: i64 = 16_384;

/// The running checkpointer; dropping it lets the thread end after its current pass, and
/// [`Checkpointer::stop`] also waits for that.
pub struct Checkpointer {
    stop: mpsc::Sender<()>,
    thread: std::thread::JoinHandle<()>,
}

/// How long to sleep after a look that found commits (`committed`) or none: [`EVERY`] while
/// the store is written, doubling up to [`IDLE`] while it is not.
fn next_wait(wait: Duration, committed: bool) -> Duration {
    if committed {
        EVERY
    } else {
        (wait * 2).min(IDLE)
    }
}

impl Checkpointer {
    /// Checkpoint `path` whenever the writer committed since the last pass.
    pub fn start(path: &Path, shared: Arc<super::Shared>) -> Result<Checkpointer, StoreError> {
        let conn = schema::open(path)?;
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("chatd-store-checkpoint".into())
            .spawn(move || {
                let mut done = shared.commits.load(Ordering::Relaxed);
                let mut wait = EVERY;
                loop {
                    let last = matches!(
                        stopped.recv_timeout(wait),
                        Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected)
                    );
                    let now = shared.commits.load(Ordering::Relaxed);
                    let committed = now != done;
                    if committed {
                        // Busy (another checkpoint running) or failing: the next pass retries,
                        // and the writer's backstop bounds the log meanwhile.
                        let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                        done = now;
                    }
                    wait = next_wait(wait, committed);
                    if last {
                        return;
                    }
                }
            })
            .map_err(|e| StoreError::Internal(e.to_string()))?;
        Ok(Checkpointer { stop, thread })
    }

    /// Stop after one last pass, and wait for it.
    pub fn stop(self) {
        drop(self.stop);
        let _ = self.thread.join();
    }
}

#[cfg(test)]
mod tests {
    use super::{next_wait, EVERY, IDLE};
    use crate::{EventStore, ExpectedVersion, NewEvent, SqliteConfig, SqliteStore};

    /// An idle store's checkpointer backs off to `IDLE`, and the first commit brings it back to
    /// `EVERY`.
    #[test]
    fn the_checkpointer_backs_off_while_idle_and_returns_on_a_commit() {
        let mut wait = EVERY;
        let mut looks = 0;
        while wait < IDLE {
            wait = next_wait(wait, false);
            looks += 1;
            assert!(looks < 10, "never reached IDLE");
        }
        assert_eq!(wait, IDLE);
        assert_eq!(next_wait(wait, false), IDLE);
        assert_eq!(next_wait(wait, true), EVERY);
        assert_eq!(next_wait(EVERY, true), EVERY);
    }

    /// Appends far below the writer's backstop still reach the database file: the checkpointer
    /// copied them there (nothing else checkpoints in this test).
    #[tokio::test]
    async fn commits_reach_the_file_without_the_writer_checkpointing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("events.db");
        let store = SqliteStore::open(SqliteConfig::new(&path)).unwrap();
        let size = || std::fs::metadata(&path).unwrap().len();
        let before = size();
        for i in 0..200 {
            let events = (0..10)
                .map(|_| NewEvent {
                    id: uuid::Uuid::new_v4(),
                    event_type: "filler".into(),
                    schema_version: 1,
                    data: format!("{{\"i\":{i},\"pad\":\"{}\"}}", "x".repeat(1000)).into_bytes(),
                    metadata: b"{}".to_vec(),
                })
                .collect();
            store
                .append(&format!("s-{i}"), ExpectedVersion::Any, events)
                .await
                .unwrap();
        }
        // 2,000 events of 1 KiB: about 500 pages of log, far below BACKSTOP_PAGES.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while size() < before + 1_000_000 && std::time::Instant::now() < deadline {
            tokio::time::sleep(super::EVERY).await;
        }
        assert!(size() >= before + 1_000_000, "{before} -> {}", size());
        store.close().await;
    }
}
