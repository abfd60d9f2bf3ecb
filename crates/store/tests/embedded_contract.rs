//! The store contract suite against the embedded SQLite store, each test in its own temp dir.

use async_trait::async_trait;
use chatd_store::contract::Harness;
use chatd_store::{SqliteConfig, SqliteStore};
use std::sync::Arc;

struct Embedded {
    dir: tempfile::TempDir,
}

#[async_trait]
impl Harness for Embedded {
    type Store = SqliteStore;

    async fn start() -> Option<Self> {
        Some(Embedded {
            dir: tempfile::tempdir().expect("temp dir"),
        })
    }

    async fn open(&self) -> Arc<SqliteStore> {
        SqliteStore::open(SqliteConfig::new(self.dir.path().join("events.db"))).expect("open store")
    }
}

chatd_store::contract_suite!(Embedded);

/// Group commit off (one transaction per append) must keep the same contract.
mod unbatched {
    use super::*;

    struct Unbatched(Embedded);

    #[async_trait]
    impl Harness for Unbatched {
        type Store = SqliteStore;
        async fn start() -> Option<Self> {
            Embedded::start().await.map(Unbatched)
        }
        async fn open(&self) -> Arc<SqliteStore> {
            let mut config = SqliteConfig::new(self.0.dir.path().join("events.db"));
            config.max_batch = 1;
            SqliteStore::open(config).expect("open store")
        }
    }

    chatd_store::contract_suite!(Unbatched);
}
