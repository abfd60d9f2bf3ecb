//! R35's master key: the 32 bytes every data key is wrapped under. Kept as 64 hex digits in
//! a file: `master.key` in the data directory (created on first start, mode 0600), or wherever
//! `master_key_file` / `CHATD_MASTER_KEY_FILE` says (then it must exist: a typo never mints a
//! new key, which would make every sealed field unreadable). Every node of a cluster uses the
//! same one. See `docs/PRIVACY.md` for backups.

use crate::config::{Config, StoreKind};
use chatd_app::privacy::Keys;
use chatd_store::keys::{KeyStore, SqliteKeys};
use chatd_store::EventStore;
use rand_core::{OsRng, RngCore};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

/// The master key's file name in the data directory.
pub const MASTER_KEY_FILE: &str = "master.key";
/// Where a store that keeps no keys (KurrentDB) has them kept: the data directory.
pub const KEYS_FILE: &str = "keys.db";

fn parse(text: &str, shown: &str) -> Result<[u8; 32], String> {
    let bad = || format!("{shown}: not a master key (64 hex digits)");
    let hex = text.trim();
    if hex.len() != 64 {
        return Err(bad());
    }
    let mut key = [0u8; 32];
    for (i, b) in key.iter_mut().enumerate() {
        *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
    }
    Ok(key)
}

/// Read the key at `path`; when it is absent and `create` is set, generate one there.
pub fn load_or_create(path: &Path, create: bool) -> Result<[u8; 32], String> {
    let shown = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => parse(&text, &shown),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {
            let mut key = [0u8; 32];
            OsRng.fill_bytes(&mut key);
            let text: String = key.iter().map(|b| format!("{b:02x}")).collect();
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            match options.open(path) {
                Ok(mut f) => {
                    f.write_all(format!("{text}\n").as_bytes())
                        .and_then(|_| f.sync_all())
                        .map_err(|e| format!("{shown}: {e}"))?;
                    Ok(key)
                }
                // Another process made it first: use theirs.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    load_or_create(path, false)
                }
                Err(e) => Err(format!("{shown}: {e}")),
            }
        }
        Err(e) => Err(format!("master key {shown}: {e}")),
    }
}

/// The keys of this configuration: its master key, and the data keys in the store (or beside
/// it in the data directory, for a store that keeps none).
pub fn keys(config: &Config, store: &dyn EventStore) -> Result<Keys, String> {
    if !config.seal_personal_data {
        return Ok(Keys::off());
    }
    let master = load_or_create(&config.master_key_path(), config.master_key_file.is_none())?;
    let beside: Option<Arc<dyn KeyStore>> = match (&config.store, store.keys()) {
        (_, Some(_)) => None,
        (StoreKind::KurrentDb { .. }, None) | (_, None) => Some(Arc::new(
            SqliteKeys::open(&config.data_dir.join(KEYS_FILE)).map_err(|e| e.to_string())?,
        )),
    };
    Ok(Keys::new(master, beside))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_master_key_is_made_once_and_a_configured_one_must_exist() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(MASTER_KEY_FILE);
        let a = load_or_create(&path, true).unwrap();
        assert_eq!(
            load_or_create(&path, true).unwrap(),
            a,
            "read back, not made again"
        );
        let missing = dir.path().join("typo.key");
        assert!(load_or_create(&missing, false).is_err());
        assert!(!missing.exists());
        std::fs::write(&missing, "not hex").unwrap();
        assert!(load_or_create(&missing, false)
            .unwrap_err()
            .contains("64 hex digits"));
    }
}
