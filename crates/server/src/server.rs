//! Starting and stopping the service. Stopping is graceful: the HTTP server stops accepting,
//! finishes in-flight requests, and then the store finishes the appends it accepted.

use crate::audit::checkpoint::Checkpointer;
use crate::config::{Config, StoreKind};
use crate::datadir::{self, DirLock, LockError};
use crate::files::{Blobs, Decoding};
use crate::http;
use crate::{delivery, gateway, telemetry};
use actix_web::{web, HttpServer};
use chatd_app::{credentials, App};
use chatd_store::{EventStore, KurrentStore, PostgresStore, SqliteConfig, SqliteStore, StoreError};
use gateway::Hub;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StartError {
    #[error("{0}")]
    DataDir(#[from] LockError),
    #[error("cannot open the event store: {0}")]
    Store(#[from] StoreError),
    #[error("cannot open the file store: {0}")]
    Files(String),
    #[error("cannot create the bootstrap admin: {0}")]
    Bootstrap(String),
    #[error("{0}")]
    AuditKey(String),
    #[error("{0}")]
    MasterKey(String),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        #[source]
        source: std::io::Error,
    },
}

/// The read models' snapshot in the data directory.
pub const SNAPSHOT_FILE: &str = "readmodels.snapshot";
/// How often the snapshot is refreshed while the log moves (and always on a graceful stop).
const SNAPSHOT_EVERY: Duration = Duration::from_secs(300);
/// R34: how often a node tells the others who is online on it.
const PRESENCE_EVERY: Duration = Duration::from_secs(2);

/// Seconds in-flight requests get to finish on shutdown.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

pub async fn open_store(config: &Config) -> Result<Arc<dyn EventStore>, StoreError> {
    match &config.store {
        StoreKind::Embedded => {
            let mut c = SqliteConfig::new(config.store_path());
            c.max_batch = config.max_batch;
            Ok(SqliteStore::open(c)?)
        }
        // Connects, migrates the schema and starts the writer; a wrong URL, an unreachable host
        // or refused credentials fail here, naming the host and the reason.
        StoreKind::Postgres { url } => Ok(PostgresStore::connect(url, config.max_batch).await?),
        StoreKind::KurrentDb { connection } => {
            let store = KurrentStore::connect(connection)?;
            // Fail at start, with the reason, rather than on the first request.
            store.ping().await?;
            Ok(store)
        }
    }
}

/// A started chatd: where it listens, and how to stop it.
pub struct Running {
    pub addr: SocketAddr,
    /// The bootstrap admin's password when chatd generated it (shown once).
    pub generated_admin_password: Option<String>,
    pub app: Arc<App>,
    /// This node's WebSocket connections.
    pub hub: Arc<Hub>,
    handle: actix_web::dev::ServerHandle,
    done: tokio::task::JoinHandle<std::io::Result<()>>,
    store: Arc<dyn EventStore>,
    /// The data directory, held until this value is dropped (after the store is closed).
    _lock: DirLock,
}

/// What stops a running chatd: its sockets are told to go away (1001) at once, then in-flight
/// requests finish and the server stops listening.
#[derive(Clone)]
pub struct Stopper {
    handle: actix_web::dev::ServerHandle,
    hub: Arc<Hub>,
}

impl Stopper {
    pub async fn stop(&self) {
        self.hub.close_all();
        self.handle.stop(true).await;
    }
}

impl Running {
    /// Stop gracefully and wait until every accepted append is durable.
    pub async fn stop(self) {
        self.stopper().stop().await;
        self.wait().await;
    }

    pub fn stopper(&self) -> Stopper {
        Stopper {
            handle: self.handle.clone(),
            hub: self.hub.clone(),
        }
    }

    /// Wait until the server stops by itself, then close the store.
    pub async fn wait(self) {
        let _ = self.done.await;
        self.app.shutdown().await;
        self.store.close().await;
    }

    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.handle.clone()
    }
}

/// Open the store and start serving on `config.listen` (port 0 picks a free port); return once
/// the read models have caught up and the service is ready.
pub async fn start(config: &Config) -> Result<Running, StartError> {
    bind(config).await?.ready().await
}

/// A chatd that listens but may still be catching up: `/healthz`, `/readyz` and `/metrics`
/// answer; every other route answers 503 `not_ready` until [`Starting::ready`] is done.
pub struct Starting {
    pub addr: SocketAddr,
    app: Arc<App>,
    hub: Arc<Hub>,
    outbox_feed: delivery::OutboxFeed,
    config: Config,
    handle: actix_web::dev::ServerHandle,
    done: tokio::task::JoinHandle<std::io::Result<()>>,
    store: Arc<dyn EventStore>,
    lock: DirLock,
}

/// Take the data directory, open the store, start the read models catching up, and listen.
pub async fn bind(config: &Config) -> Result<Starting, StartError> {
    let lock = datadir::lock(&config.data_dir)?;
    telemetry::install_metrics();
    let signer = web::Data::new(Checkpointer::new(
        config.audit_key().map_err(StartError::AuditKey)?,
    ));
    let store = open_store(config).await?;
    // The edge's listeners hear the log from the first event the read models apply.
    let hub = Arc::new(Hub::new(config.ws_queue, config.ws_per_user));
    let (outbox, outbox_feed) = delivery::outbox();
    let keys = crate::master_key::keys(config, store.as_ref()).map_err(StartError::MasterKey)?;
    let app = App::open(
        store.clone(),
        Some(config.data_dir.join(SNAPSHOT_FILE)),
        vec![hub.clone(), outbox],
        hub.clone(),
        config.test_follower_delay,
        keys,
        match config.test_clock {
            Some(start) => chatd_app::clock::Clock::adjustable(start),
            None => chatd_app::clock::Clock::system(),
        },
    )
    .await?;
    app.sessions.set_idle(config.session_idle);
    let blobs = web::Data::new(
        Blobs::open(&config.data_dir, config.file_store.as_deref())
            .map_err(|e| StartError::Files(e.to_string()))?,
    );
    let decoding = web::Data::new(Decoding::new(
        config.image_decodes,
        config.image_decode_bytes,
    ));
    let state = web::Data::from(app.clone());
    let hub_data = web::Data::from(hub.clone());
    let origins =
        http::cors::Origins::new(config.public_url.as_deref(), config.cors_origins.clone());
    let origins_data = web::Data::new(origins.clone());
    let body_timing = web::Data::new(config.body_timing);
    let own_writes = web::Data::new(http::own_writes::OwnWrites::new(config.own_writes));
    let server = HttpServer::new(move || {
        actix_web::App::new()
            .wrap(actix_web::middleware::from_fn(http::own_writes::wait))
            .wrap(actix_web::middleware::from_fn(http::body::limit))
            .wrap(http::cors::layer(origins.clone()))
            .wrap(actix_web::middleware::from_fn(http::cors::guard))
            .wrap(http::hygiene::problems())
            .wrap(http::hygiene::headers())
            .wrap(actix_web::middleware::from_fn(http::health::until_ready))
            .wrap(actix_web::middleware::from_fn(http::observe::measure))
            .wrap(http::observe::request_ids())
            .app_data(state.clone())
            .app_data(hub_data.clone())
            .app_data(blobs.clone())
            .app_data(decoding.clone())
            .app_data(signer.clone())
            .app_data(origins_data.clone())
            .app_data(body_timing.clone())
            .app_data(own_writes.clone())
            .configure(http::routes)
    })
    .disable_signals()
    // A request head must arrive within 5 s of the connection (or of the last request on a
    // kept-alive one), an idle kept-alive connection is closed after 5 s (docs/SECURITY.md).
    .client_request_timeout(Duration::from_secs(5))
    .keep_alive(Duration::from_secs(5))
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
    Ok(Starting {
        addr,
        app,
        hub,
        outbox_feed,
        config: config.clone(),
        handle,
        done,
        store,
        lock,
    })
}

impl Starting {
    /// Wait for the read models to catch up, then start the background work that needs them
    /// (the bootstrap admin, webhook delivery, distribution, snapshots).
    pub async fn ready(self) -> Result<Running, StartError> {
        let Starting {
            addr,
            app,
            hub,
            outbox_feed,
            config,
            handle,
            done,
            store,
            lock,
        } = self;
        app.caught_up().await?;
        let weak = Arc::downgrade(&app);
        hub.on_presence(move |user, online| {
            if let Some(app) = weak.upgrade() {
                if online {
                    app.user_came_online(user);
                } else {
                    app.user_went_offline(user);
                }
            }
        });
        app.snapshot_periodically(SNAPSHOT_EVERY);
        gateway::listen::watch_waiting_levels(&app, hub.clone());
        gateway::listen::announce_presence(&app, hub.clone());
        // R34: who is online here, shared with the other nodes; the work that must happen once
        // runs on the node holding its lease.
        let local = hub.clone();
        chatd_app::cluster::share_presence(&app, PRESENCE_EVERY, move || local.online_users());
        let webhooks =
            chatd_app::cluster::hold(&app, chatd_app::cluster::WEBHOOKS, config.lease_ttl);
        delivery::start(&app, outbox_feed, config.webhooks.clone(), webhooks);
        let bot =
            chatd_app::cluster::hold(&app, chatd_app::cluster::DISTRIBUTION, config.lease_ttl);
        chatd_app::distribution::start(&app, bot);
        let timers = chatd_app::cluster::hold(&app, chatd_app::cluster::TIMERS, config.lease_ttl);
        chatd_app::timers::start(&app, timers);
        let generated_admin_password = bootstrap_admin(&app, &config).await?;
        // Made before the first login needs it, so that no login pays for it (R32's timing).
        tokio::task::spawn_blocking(credentials::stand_in_hash);
        Ok(Running {
            addr,
            generated_admin_password,
            app,
            hub,
            handle,
            done,
            store,
            _lock: lock,
        })
    }

    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.handle.clone()
    }
}

/// SPEC §6: on an empty store, user `admin` with `CHATD_ADMIN_PASSWORD` or a generated password
/// (returned so that it is shown once).
async fn bootstrap_admin(app: &App, config: &Config) -> Result<Option<String>, StartError> {
    use chatd_domain::{Principal, Role};
    if !app.model().people.users.is_empty() {
        return Ok(None);
    }
    let (password, generated) = match &config.admin_password {
        Some(p) => (p.clone(), None),
        None => {
            let p = credentials::new_token()[..20].to_owned();
            (p.clone(), Some(p))
        }
    };
    let password_hash = credentials::hash_password_off_thread(password).await;
    let created = chatd_app::usecases::users::create(
        app,
        Principal::System,
        "admin",
        "Administrator",
        Role::Admin,
        vec![],
        password_hash,
    )
    .await;
    let (made_here, position) = match created {
        Ok((_, out)) => (true, out.position),
        // R34: another node starting on the same empty store made it first. This node is ready
        // once its read models hold that admin too, or a login on it right away would fail.
        Err(chatd_app::AppError::Domain(chatd_domain::DomainError::AlreadyExists)) => (
            false,
            app.store
                .head()
                .await
                .map_err(|e| StartError::Bootstrap(e.to_string()))?,
        ),
        Err(e) => return Err(StartError::Bootstrap(e.to_string())),
    };
    app.wait_for(position, std::time::Duration::from_secs(30))
        .await
        .map_err(|e| StartError::Bootstrap(e.to_string()))?;
    Ok(generated.filter(|_| made_here))
}
