//! R28: a data directory is held by one process at a time. `chatd serve` and every command that
//! writes take an exclusive OS lock on `<data dir>/chatd.lock` (`flock`, through the standard
//! library) and hold it while they run; the OS releases it when the process ends, however it
//! ends, so a crash never leaves a stale lock behind. A second writer is refused before it
//! opens anything.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// The lock file inside a data directory.
pub const LOCK_FILE: &str = "chatd.lock";

#[derive(Debug, Error)]
pub enum LockError {
    #[error(
        "the data directory {dir} is in use by another chatd process{holder}; stop it first \
         (read-only commands such as `chatd audit verify` may run beside it)"
    )]
    InUse { dir: PathBuf, holder: String },
    #[error("cannot lock the data directory {dir}: {source}")]
    Io {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The held lock; dropping it releases the directory.
#[derive(Debug)]
pub struct DirLock {
    _file: File,
}

/// Take the data directory `dir` (created if missing) for this process, or say who holds it.
pub fn lock(dir: &Path) -> Result<DirLock, LockError> {
    let io = |source| LockError::Io {
        dir: dir.to_owned(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(dir.join(LOCK_FILE))
        .map_err(io)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let mut pid = String::new();
            let _ = file.read_to_string(&mut pid);
            let pid = pid.trim();
            return Err(LockError::InUse {
                dir: dir.to_owned(),
                holder: if pid.is_empty() {
                    String::new()
                } else {
                    format!(" (pid {pid})")
                },
            });
        }
        Err(TryLockError::Error(e)) => return Err(io(e)),
    }
    // Who holds it, for the message a second process prints.
    file.set_len(0).map_err(io)?;
    file.rewind().map_err(io)?;
    write!(file, "{}", std::process::id()).map_err(io)?;
    Ok(DirLock { _file: file })
}

/// Whether another process holds `dir` now (for read-only commands, which only say so).
pub fn in_use(dir: &Path) -> bool {
    let Ok(file) = File::open(dir.join(LOCK_FILE)) else {
        return false;
    };
    match file.try_lock_shared() {
        Ok(()) => {
            let _ = file.unlock();
            false
        }
        Err(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_one_directory_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let first = lock(dir.path()).unwrap();
        assert!(in_use(dir.path()));
        let err = lock(dir.path()).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, LockError::InUse { .. }), "{msg}");
        assert!(msg.contains(&dir.path().display().to_string()), "{msg}");
        assert!(
            msg.contains(&format!("pid {}", std::process::id())),
            "{msg}"
        );
        drop(first);
        assert!(!in_use(dir.path()));
        let _again = lock(dir.path()).unwrap();
    }
}
