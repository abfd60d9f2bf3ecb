//! The PostgreSQL event store (R33): for shops that outgrow one machine and already run
//! PostgreSQL. `docs/POSTGRES.md` covers configuration, schema and the ordering decision.
//!
//! - `schema`: the tables and their versioned migrations (a newer schema is refused);
//! - `writer`: group commit in one transaction per batch, serialised across processes on the
//!   log's head row, so positions are assigned in commit order with no hole;
//! - here: connecting (with the host and reason on failure), reads from a small pool, and the
//!   catch-up subscription, woken by `LISTEN chatd_log` and polling besides (a notification is
//!   a hint, never the truth).
//!
//! While PostgreSQL is unreachable every call answers `StoreError::Unavailable` within a
//! bounded time; the writer and the pool reconnect by themselves.

mod cluster;
mod keys;
mod schema;
pub mod testing;
mod writer;

pub use schema::CURRENT as SCHEMA_VERSION;

use crate::hash::content_digests;
use crate::subscription::SubscriptionSender;
use crate::{
    AppendResult, Direction, EventStore, ExpectedVersion, NewEvent, Position, RecordedEvent,
    StoreError, Subscription,
};
use async_trait::async_trait;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot, Notify};
use tokio::task::JoinHandle;
use tokio_postgres::{Client, NoTls};

/// How long a read waits for a connection or an answer before it is `Unavailable`.
const READ_TIMEOUT: Duration = Duration::from_secs(5);
/// Read connections one process holds at most; a read beyond them waits for a free one (a new
/// connection per read would cost PostgreSQL a process each time).
const READERS: usize = 16;
/// How often a follower looks for new events when no notification came.
const POLL: Duration = Duration::from_millis(250);
const PAGE: usize = 500;

/// A database failure as the store reports it: a lost or refused connection is `Unavailable`
/// (the caller may retry), anything the server answered is `Internal`.
pub(crate) fn error(e: tokio_postgres::Error) -> StoreError {
    match e.as_db_error() {
        Some(db) if !e.is_closed() => StoreError::Internal(format!(
            "PostgreSQL: {} ({}){}",
            db.message(),
            db.code().code(),
            db.detail().map(|d| format!(": {d}")).unwrap_or_default()
        )),
        _ => StoreError::Unavailable(format!("PostgreSQL: {e}")),
    }
}

/// Opens connections to one database, each driven on its own task.
#[derive(Clone)]
pub(crate) struct Connector {
    config: tokio_postgres::Config,
    /// `host:port` as the URL names it, for messages.
    target: String,
}

impl Connector {
    fn new(url: &str) -> Result<Connector, StoreError> {
        let config: tokio_postgres::Config = url.parse().map_err(|e| {
            StoreError::Invalid(format!(
                "the PostgreSQL URL {:?} is not valid: {e}",
                redact(url)
            ))
        })?;
        let hosts: Vec<String> = config
            .get_hosts()
            .iter()
            .map(|h| match h {
                tokio_postgres::config::Host::Tcp(h) => h.clone(),
                tokio_postgres::config::Host::Unix(p) => p.display().to_string(),
            })
            .collect();
        let port = config.get_ports().first().copied().unwrap_or(5432);
        Ok(Connector {
            target: format!("{}:{port}", hosts.join(",")),
            config,
        })
    }

    pub(crate) async fn connect(&self) -> Result<Client, StoreError> {
        let (client, connection) = tokio::time::timeout(READ_TIMEOUT, self.config.connect(NoTls))
            .await
            .map_err(|_| {
                StoreError::Unavailable(format!("PostgreSQL at {} did not answer", self.target))
            })?
            .map_err(|e| {
                let why = std::error::Error::source(&e)
                    .map(|s| format!(": {s}"))
                    .unwrap_or_default();
                StoreError::Unavailable(format!("PostgreSQL at {}: {e}{why}", self.target))
            })?;
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "a PostgreSQL connection ended");
            }
        });
        Ok(client)
    }
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}{user}:***{}", &url[..s + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

/// A read connection and the statements it has prepared: a read then costs one round trip
/// (an unprepared one costs two, the first to prepare it). Each execution is planned with its
/// parameters, as the writer's are (`writer::Conn`).
pub(crate) struct Reader {
    client: Client,
    statements: std::collections::HashMap<String, tokio_postgres::Statement>,
}

impl Reader {
    async fn new(client: Client) -> Result<Reader, StoreError> {
        client
            .batch_execute("SET plan_cache_mode = force_custom_plan")
            .await
            .map_err(error)?;
        Ok(Reader {
            client,
            statements: std::collections::HashMap::new(),
        })
    }

    async fn statement(&mut self, sql: &str) -> Result<tokio_postgres::Statement, StoreError> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let s = self.client.prepare(sql).await.map_err(error)?;
        self.statements.insert(sql.to_owned(), s.clone());
        Ok(s)
    }
}

pub struct PostgresStore {
    connector: Connector,
    appends: Mutex<Option<mpsc::Sender<writer::AppendRequest>>>,
    writer: Mutex<Option<JoinHandle<()>>>,
    /// Idle read connections, reused; a closed one is dropped and replaced.
    readers: tokio::sync::Mutex<Vec<Reader>>,
    /// At most [`READERS`] read connections exist at once.
    reading: tokio::sync::Semaphore,
    /// Woken by `NOTIFY chatd_log`.
    wake: Arc<Notify>,
    listener: JoinHandle<()>,
}

impl PostgresStore {
    /// Connect to `url` (e.g. `postgres://chatd:secret@db:5432/chatd`), create or migrate the
    /// schema, and start the writer. A wrong URL, an unreachable host or refused credentials
    /// fail here, naming the host and the reason.
    pub async fn connect(url: &str, max_batch: usize) -> Result<Arc<PostgresStore>, StoreError> {
        let connector = Connector::new(url)?;
        let mut first = connector.connect().await?;
        schema::migrate(&mut first).await?;
        let (tx, rx) = mpsc::channel(max_batch.max(1) * 4);
        let writer = tokio::spawn(writer::run(connector.clone(), rx, max_batch.max(1)));
        let wake = Arc::new(Notify::new());
        let listener = tokio::spawn(listen(connector.clone(), wake.clone()));
        Ok(Arc::new(PostgresStore {
            connector,
            appends: Mutex::new(Some(tx)),
            writer: Mutex::new(Some(writer)),
            readers: tokio::sync::Mutex::new(vec![Reader::new(first).await?]),
            reading: tokio::sync::Semaphore::new(READERS),
            wake,
            listener,
        }))
    }

    /// Hand an append to the writer and wait for its answer.
    async fn send(
        &self,
        stream: &str,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
        fence: Option<crate::cluster::Fence>,
    ) -> Result<AppendResult, StoreError> {
        let digests = content_digests(stream, &events);
        let (reply, answer) = oneshot::channel();
        let sender = self
            .appends
            .lock()
            .expect("append lock")
            .clone()
            .ok_or(StoreError::Closed)?;
        sender
            .send(writer::AppendRequest {
                stream: stream.to_owned(),
                expected,
                events,
                digests,
                fence,
                reply,
            })
            .await
            .map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?
    }

    /// Run `f` on a read connection (reused, or a new one), within [`READ_TIMEOUT`].
    async fn read<T, F, Fut>(&self, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(Reader) -> Fut,
        Fut: std::future::Future<Output = (Reader, Result<T, StoreError>)>,
    {
        tokio::time::timeout(READ_TIMEOUT, async {
            let _permit = self
                .reading
                .acquire()
                .await
                .map_err(|_| StoreError::Closed)?;
            let pooled = {
                let mut readers = self.readers.lock().await;
                readers.retain(|r| !r.client.is_closed());
                readers.pop()
            };
            let reader = match pooled {
                Some(r) => r,
                None => Reader::new(self.connector.connect().await?).await?,
            };
            let (reader, result) = f(reader).await;
            if !reader.client.is_closed() {
                self.readers.lock().await.push(reader);
            }
            result
        })
        .await
        .unwrap_or_else(|_| {
            Err(StoreError::Unavailable(format!(
                "PostgreSQL at {} did not answer within {} s",
                self.connector.target,
                READ_TIMEOUT.as_secs()
            )))
        })
    }

    /// One statement on a read connection, prepared once per connection: its rows (none for a
    /// statement that returns none).
    async fn rows(
        &self,
        sql: impl Into<String>,
        params: Params,
    ) -> Result<Vec<tokio_postgres::Row>, StoreError> {
        let sql = sql.into();
        self.read(|mut reader| async move {
            let refs: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = params
                .iter()
                .map(|p| p.as_ref() as &(dyn tokio_postgres::types::ToSql + Sync))
                .collect();
            let result = match reader.statement(&sql).await {
                Ok(statement) => reader.client.query(&statement, &refs).await.map_err(error),
                Err(e) => Err(e),
            };
            (reader, result)
        })
        .await
    }

    async fn events(&self, sql: String, params: Params) -> Result<Vec<RecordedEvent>, StoreError> {
        self.rows(sql, params)
            .await?
            .iter()
            .map(schema::event)
            .collect()
    }
}

/// A statement's parameters, owned: they go to whichever connection runs it.
type Params = Vec<Box<dyn tokio_postgres::types::ToSql + Send + Sync>>;

#[async_trait]
impl crate::copy::Import for PostgresStore {
    async fn ends(&self) -> Result<Option<(RecordedEvent, RecordedEvent)>, StoreError> {
        let end = |order: &str| {
            self.events(
                format!("{} ORDER BY position {order} LIMIT 1", schema::SELECT_EVENT),
                vec![],
            )
        };
        let (first, last) = tokio::try_join!(end("ASC"), end("DESC"))?;
        Ok(first.into_iter().next().zip(last.into_iter().next()))
    }

    async fn import(&self, events: Vec<RecordedEvent>) -> Result<(), StoreError> {
        self.read(|mut reader| async move {
            let result = writer::import(&mut reader.client, &events).await;
            (reader, result)
        })
        .await
    }
}

/// Keep one connection listening on `chatd_log` and wake followers on each notification;
/// reconnect when it drops.
async fn listen(connector: Connector, wake: Arc<Notify>) {
    use futures_util::StreamExt;
    loop {
        let connected = tokio::time::timeout(READ_TIMEOUT, connector.config.connect(NoTls)).await;
        if let Ok(Ok((client, mut connection))) = connected {
            let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
            let listening = client.batch_execute("LISTEN chatd_log");
            tokio::pin!(listening);
            let mut ready = false;
            loop {
                tokio::select! {
                    done = &mut listening, if !ready => {
                        if done.is_err() { break; }
                        ready = true;
                    }
                    m = messages.next() => match m {
                        Some(Ok(tokio_postgres::AsyncMessage::Notification(_))) => wake.notify_waiters(),
                        Some(Ok(_)) => {}
                        Some(Err(_)) | None => break,
                    }
                }
            }
            // Whatever was missed while reconnecting, the followers' polling finds.
            wake.notify_waiters();
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

#[async_trait]
impl EventStore for PostgresStore {
    async fn append(
        &self,
        stream: &str,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
    ) -> Result<AppendResult, StoreError> {
        self.send(stream, expected, events, None).await
    }

    /// Checked in the batch's transaction, after the head row's lock: a takeover commits either
    /// before it (and this append is refused) or after this batch.
    async fn append_fenced(
        &self,
        stream: &str,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
        fence: &crate::cluster::Fence,
    ) -> Result<AppendResult, StoreError> {
        self.send(stream, expected, events, Some(fence.clone()))
            .await
    }

    fn cluster(&self) -> &dyn crate::cluster::Cluster {
        self
    }

    fn keys(&self) -> Option<&dyn crate::keys::KeyStore> {
        Some(self)
    }

    async fn read_stream(
        &self,
        stream: &str,
        from: u64,
        direction: Direction,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let limit = limit.min(i64::MAX as usize) as i64;
        let stream = stream.to_owned();
        let (sql, from): (String, Option<i64>) = match direction {
            Direction::Forwards => (
                format!(
                    "{} WHERE stream = $1 AND version >= $2 ORDER BY version LIMIT $3",
                    schema::SELECT_EVENT
                ),
                Some(from.min(i64::MAX as u64) as i64),
            ),
            Direction::Backwards if from == u64::MAX => (
                format!(
                    "{} WHERE stream = $1 ORDER BY version DESC LIMIT $2",
                    schema::SELECT_EVENT
                ),
                None,
            ),
            Direction::Backwards => (
                format!(
                    "{} WHERE stream = $1 AND version <= $2 ORDER BY version DESC LIMIT $3",
                    schema::SELECT_EVENT
                ),
                Some(from.min(i64::MAX as u64) as i64),
            ),
        };
        let params: Vec<Box<dyn tokio_postgres::types::ToSql + Send + Sync>> = match from {
            Some(f) => vec![Box::new(stream), Box::new(f), Box::new(limit)],
            None => vec![Box::new(stream), Box::new(limit)],
        };
        self.events(sql, params).await
    }

    async fn read_all(
        &self,
        after: Option<Position>,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let after = after.map_or(0, |p| p.commit.min(i64::MAX as u64) as i64);
        let limit = limit.min(i64::MAX as usize) as i64;
        self.events(
            format!(
                "{} WHERE position > $1 ORDER BY position LIMIT $2",
                schema::SELECT_EVENT
            ),
            vec![Box::new(after), Box::new(limit)],
        )
        .await
    }

    /// Positions are `head + 1, …` under the lock row, with no hole: a missing position is a
    /// removed event, as on the embedded store.
    fn contiguous_positions(&self) -> bool {
        true
    }

    async fn subscribe_all(&self, after: Option<Position>) -> Result<Subscription, StoreError> {
        let store = Follower {
            connector: self.connector.clone(),
            wake: self.wake.clone(),
        };
        Ok(Subscription::spawn(move |tx| store.feed(after, tx)))
    }

    async fn head(&self) -> Result<Option<Position>, StoreError> {
        let head = self
            .read(|reader| async move {
                let r = reader
                    .client
                    .query_one("SELECT position FROM chatd_log_head", &[])
                    .await
                    .map(|r| r.get::<_, i64>(0))
                    .map_err(error);
                (reader, r)
            })
            .await?;
        Ok((head > 0).then(|| Position::single(head as u64)))
    }

    async fn close(&self) {
        drop(self.appends.lock().expect("append lock").take());
        let writer = self.writer.lock().expect("writer lock").take();
        if let Some(writer) = writer {
            let _ = writer.await;
        }
        self.listener.abort();
    }
}

/// One follower of the log: reads pages by position on its own connection, and between them
/// waits for a notification or the next poll.
struct Follower {
    connector: Connector,
    wake: Arc<Notify>,
}

impl Follower {
    async fn feed(self, after: Option<Position>, tx: SubscriptionSender) {
        let mut cursor = after.map_or(0, |p| p.commit as i64);
        let mut client: Option<Client> = None;
        let sql = format!(
            "{} WHERE position > $1 ORDER BY position LIMIT $2",
            schema::SELECT_EVENT
        );
        loop {
            // Registered before reading, so a notification during the read is not lost.
            let notified = self.wake.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if client.as_ref().is_none_or(Client::is_closed) {
                client = self.connector.connect().await.ok();
            }
            let page = match &client {
                Some(c) => {
                    tokio::time::timeout(READ_TIMEOUT, c.query(&sql, &[&cursor, &(PAGE as i64)]))
                        .await
                        .ok()
                        .and_then(Result::ok)
                }
                None => None,
            };
            let Some(rows) = page else {
                // The database is away: try again shortly, from the same place.
                client = None;
                tokio::time::sleep(Duration::from_millis(500)).await;
                continue;
            };
            let full = rows.len() == PAGE;
            for row in &rows {
                let event = match schema::event(row) {
                    Ok(e) => e,
                    Err(e) => {
                        let _ = tx.send(Err(e)).await;
                        return;
                    }
                };
                cursor = event.position.commit as i64;
                if tx.send(Ok(Arc::new(event))).await.is_err() {
                    return;
                }
            }
            if !full {
                tokio::select! {
                    _ = notified => {}
                    _ = tokio::time::sleep(POLL) => {}
                }
            }
        }
    }
}
