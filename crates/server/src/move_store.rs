//! `chatd store copy --from DIR|URL --to DIR|URL` (R33, moving a shop): the whole log from the
//! embedded store to PostgreSQL or back, exactly as recorded (`chatd_store::copy`), with
//! progress on a terminal. A data directory as the target is held for the copy (no chatd may
//! serve it meanwhile); as the source it may be in use, and a later run copies what was added
//! since, which is how a shop moves with a short stop: copy while serving, stop, copy again.

use crate::datadir::{self, DirLock};
use chatd_store::copy::{copy, Copied, CopyOptions, Import, Progress};
use chatd_store::keys::{KeyStore, SqliteKeys, StoredKey};
use chatd_store::{EventStore, PostgresStore, SqliteConfig, SqliteImport, SqliteStore};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The embedded store's file inside a data directory (as `Config::store_path` names it).
const STORE_FILE: &str = "events.db";

/// One end of a copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum End {
    /// A data directory holding (or to hold) the embedded store.
    Dir(PathBuf),
    /// A PostgreSQL database.
    Url(String),
}

impl std::str::FromStr for End {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(
            if s.starts_with("postgres://") || s.starts_with("postgresql://") {
                End::Url(s.to_owned())
            } else {
                End::Dir(PathBuf::from(s))
            },
        )
    }
}

impl End {
    async fn source(&self) -> Result<Arc<dyn EventStore>, String> {
        match self {
            End::Dir(dir) => {
                let file = dir.join(STORE_FILE);
                if !file.exists() {
                    return Err(format!(
                        "{} holds no chatd log ({STORE_FILE})",
                        dir.display()
                    ));
                }
                if datadir::in_use(dir) {
                    eprintln!(
                        "chatd: note: {} is in use by a running chatd; copying the log as it \
                         is now (run the copy again after stopping it to take the rest)",
                        dir.display()
                    );
                }
                Ok(SqliteStore::open(SqliteConfig::new(file)).map_err(|e| e.to_string())?)
            }
            End::Url(url) => Ok(PostgresStore::connect(url, 1)
                .await
                .map_err(|e| e.to_string())?),
        }
    }

    async fn target(&self) -> Result<Target, String> {
        match self {
            End::Dir(dir) => {
                let lock = datadir::lock(dir).map_err(|e| e.to_string())?;
                let file = dir.join(STORE_FILE);
                let import = SqliteImport::open(&file).map_err(|e| e.to_string())?;
                let keys = SqliteKeys::open(&file).map_err(|e| e.to_string())?;
                Ok((Arc::new(import), Arc::new(keys), Some(lock)))
            }
            End::Url(url) => {
                let store = PostgresStore::connect(url, 1)
                    .await
                    .map_err(|e| e.to_string())?;
                Ok((store.clone(), store, None))
            }
        }
    }
}

/// Where a copy writes: its log, its key store, and the data directory's lock (if one).
type Target = (Arc<dyn Import>, Arc<dyn KeyStore>, Option<DirLock>);

/// R35: every data key of the source, wrapped as it is (the target's chatd must use the same
/// master key), and every destroyed one destroyed: an erasure stays an erasure after a move.
async fn copy_keys(from: &dyn EventStore, to: &dyn KeyStore) -> Result<usize, String> {
    let Some(keys) = from.keys() else {
        return Ok(0);
    };
    let all = keys.all().await.map_err(|e| e.to_string())?;
    for (subject, stored) in &all {
        let there = match stored {
            StoredKey::Live(wrapped) => to.create(*subject, wrapped).await,
            StoredKey::Destroyed => to.destroy(*subject).await.map(|_| StoredKey::Destroyed),
            StoredKey::Absent => continue,
        }
        .map_err(|e| format!("copying data keys: {e}"))?;
        if &there != stored && there != StoredKey::Destroyed {
            return Err(format!(
                "the target holds another data key for {subject}: copy into an empty store"
            ));
        }
    }
    Ok(all.len())
}

/// Run a copy, reporting progress on `err` (redrawn in place on a terminal, otherwise a line
/// every few seconds) and the outcome on `out`.
pub async fn run(
    from: &End,
    to: &End,
    options: CopyOptions,
    out: &mut impl Write,
) -> Result<Copied, String> {
    if from == to {
        return Err("--from and --to name the same store".into());
    }
    let source = from.source().await?;
    let (target, target_keys, _lock) = to.target().await?;
    let mut report = Reporter::new(std::io::stderr().is_terminal());
    let copied = copy(&*source, &*target, options, |p| report.progress(p)).await;
    report.finish();
    let keys = match &copied {
        Ok(_) => copy_keys(&*source, &*target_keys).await,
        Err(_) => Ok(0),
    };
    source.close().await;
    let copied = copied.map_err(|e| format!("store copy: {e}"))?;
    let keys = keys?;
    if let Some(after) = copied.resumed_after {
        let _ = writeln!(out, "resumed after position {after}, which the target held");
    }
    let _ = writeln!(
        out,
        "copied {} events and {keys} data keys; both logs end at position {}. Uploaded files, \
         the audit signing key and the master key (master.key) are not in the log: they stay \
         in the data directory, to keep beside the copy (docs/POSTGRES.md, docs/PRIVACY.md). \
         Check the copy with `chatd audit verify [--checkpoint FILE]` configured on it.",
        copied.events, copied.head
    );
    Ok(copied)
}

/// Progress lines for a person: on a terminal one line redrawn; in a log one line every 5 s.
struct Reporter {
    terminal: bool,
    started: Instant,
    /// Where this run began, for its rate.
    from: Option<u64>,
    last: Option<Instant>,
    drawn: bool,
}

impl Reporter {
    fn new(terminal: bool) -> Self {
        Reporter {
            terminal,
            started: Instant::now(),
            from: None,
            last: None,
            drawn: false,
        }
    }

    fn progress(&mut self, p: Progress) {
        let every = if self.terminal {
            Duration::from_millis(100)
        } else {
            Duration::from_secs(5)
        };
        let from = *self.from.get_or_insert(p.copied);
        if p.copied < p.total && self.last.is_some_and(|t| t.elapsed() < every) {
            return;
        }
        self.last = Some(Instant::now());
        let percent = if p.total == 0 {
            100.0
        } else {
            p.copied as f64 * 100.0 / p.total as f64
        };
        let rate = (p.copied - from) as f64 / self.started.elapsed().as_secs_f64().max(1e-3);
        let line = format!(
            "copied {} of {} events ({percent:.1} %), {rate:.0} events/s",
            p.copied, p.total
        );
        let mut err = std::io::stderr().lock();
        if self.terminal {
            let _ = write!(err, "\r\x1b[2K{line}");
            self.drawn = true;
        } else {
            let _ = writeln!(err, "{line}");
        }
        let _ = err.flush();
    }

    fn finish(&mut self) {
        if self.drawn {
            let _ = writeln!(std::io::stderr());
        }
    }
}
