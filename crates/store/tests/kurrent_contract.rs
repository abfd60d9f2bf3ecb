//! The store contract suite against KurrentDB, when `CHATD_TEST_KURRENTDB` names a server, e.g.
//! `CHATD_TEST_KURRENTDB='kurrentdb://localhost:2113?tls=false' cargo test -p chatd-store --test
//! kurrent_contract` (see docs/KURRENTDB.md). Without it, every case is reported ignored with the
//! reason. Cases use fresh stream names, so a server holding other data is fine.

use async_trait::async_trait;
use chatd_store::contract::Harness;
use chatd_store::KurrentStore;
use std::sync::Arc;

struct Kurrent {
    connection: String,
}

#[async_trait]
impl Harness for Kurrent {
    type Store = KurrentStore;

    async fn start() -> Option<Self> {
        let connection = std::env::var("CHATD_TEST_KURRENTDB").ok()?;
        let store = KurrentStore::connect(&connection).expect("a valid connection string");
        if let Err(e) = store.ping().await {
            panic!("CHATD_TEST_KURRENTDB={connection} names no reachable server: {e}");
        }
        Some(Kurrent { connection })
    }

    async fn open(&self) -> Arc<KurrentStore> {
        KurrentStore::connect(&self.connection).expect("connect")
    }
}

chatd_store::contract_suite!(
    Kurrent,
    #[cfg_attr(
        not(kurrentdb_test_server),
        ignore = "skipped: CHATD_TEST_KURRENTDB names no KurrentDB server (see docs/KURRENTDB.md)"
    )]
);
