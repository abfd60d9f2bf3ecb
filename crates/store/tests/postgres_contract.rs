//! The store contract suite against a real PostgreSQL (R33), started by the test itself from
//! Debian's `postgresql` package (`chatd_store::postgres::testing`). One server serves every
//! case of this binary; each case uses fresh stream names. Without PostgreSQL the cases say
//! NOT RUN and pass nothing.

use async_trait::async_trait;
use chatd_store::contract::Harness;
use chatd_store::postgres::testing::TestPostgres;
use chatd_store::PostgresStore;
use std::sync::{Arc, OnceLock};

static SERVER: OnceLock<Option<TestPostgres>> = OnceLock::new();

struct Postgres {
    url: String,
}

#[async_trait]
impl Harness for Postgres {
    type Store = PostgresStore;

    async fn start() -> Option<Self> {
        let server =
            tokio::task::spawn_blocking(|| SERVER.get_or_init(TestPostgres::start).is_some())
                .await
                .unwrap();
        server.then(|| Postgres {
            url: SERVER.get().unwrap().as_ref().unwrap().url(),
        })
    }

    async fn open(&self) -> Arc<PostgresStore> {
        PostgresStore::connect(&self.url, 256)
            .await
            .expect("connect")
    }
}

chatd_store::contract_suite!(Postgres);
