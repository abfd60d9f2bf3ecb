//! Starting and stopping the service. Stopping is graceful: the HTTP server stops accepting,
//! finishes in-flight requests, and then the store finishes the appends it accepted.

use crate::config::{Config, StoreKind};
use crate::http;
use crate::state::AppState;
use actix_web::{web, App, HttpServer};
use chatd_store::{EventStore, SqliteConfig, SqliteStore, StoreError};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StartError {
    #[error("cannot open the event store: {0}")]
    Store(#[from] StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        #[source]
        source: std::io::Error,
    },
}

/// Seconds in-flight requests get to finish on shutdown.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

pub fn open_store(config: &Config) -> Result<Arc<dyn EventStore>, StoreError> {
    match config.store {
        StoreKind::Embedded => {
            let mut c = SqliteConfig::new(config.store_path());
            c.max_batch = config.max_batch;
            Ok(SqliteStore::open(c)?)
        }
    }
}

/// A started chatd: where it listens, and how to stop it.
pub struct Running {
    pub addr: SocketAddr,
    handle: actix_web::dev::ServerHandle,
    done: tokio::task::JoinHandle<std::io::Result<()>>,
    store: Arc<dyn EventStore>,
}

impl Running {
    /// Stop gracefully and wait until every accepted append is durable.
    pub async fn stop(self) {
        self.handle.stop(true).await;
        let _ = self.done.await;
        self.store.close().await;
    }

    /// Wait until the server stops by itself, then close the store.
    pub async fn wait(self) {
        let _ = self.done.await;
        self.store.close().await;
    }

    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.handle.clone()
    }
}

/// Open the store and start serving on `config.listen` (port 0 picks a free port).
pub async fn start(config: &Config) -> Result<Running, StartError> {
    let store = open_store(config)?;
    let state = web::Data::new(AppState {
        store: store.clone(),
    });
    let server =
        HttpServer::new(move || App::new().app_data(state.clone()).configure(http::routes))
            .disable_signals()
            .shutdown_timeout(SHUTDOWN_GRACE.as_secs())
            .bind(&config.listen)
            .map_err(|source| StartError::Bind {
                addr: config.listen.clone(),
                source,
            })?;
    let addr = server.addrs()[0];
    let server = server.run();
    let handle = server.handle();
    let done = tokio::spawn(server);
    Ok(Running {
        addr,
        handle,
        done,
        store,
    })
}
