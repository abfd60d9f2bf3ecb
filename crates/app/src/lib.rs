//! chatd's application layer: what callers of every kind want done, between the edge (HTTP,
//! WebSocket, webhooks) and the domain. Module map:
//!
//! - `app`: [`App`], which owns the store handle, the read models, the typed aggregate caches
//!   and every background task (joined on [`App::shutdown`]); `min_position` waits.
//! - `lanes`: commands for one stream take turns on this node (hot dialogs, no retries).
//! - `runner`: the command runner, `App::execute::<A>(id, command)`, with optimistic
//!   concurrency and retries; `current` and `history` for reads of one aggregate.
//! - `follower`: the loop that applies the log to the read models and tells [`Listener`]s (the
//!   edge's gateway and webhook delivery) and the distribution bot.
//! - `distribution`: the distribution bot (R18) as a worker: it gathers facts and appends what
//!   `chatd_domain::distribution` decides.
//! - `usecases`: one function per thing a caller wants (`inbound::receive`, `dialogs::send`,
//!   `dialogs::reassign`, `changes::change` (R21–R23), `typing::typing` (R24),
//!   `sessions::log_in`, ...), shared by every API that offers it.
//! - `cluster` (R34): duties held under leases (work that must happen once across nodes)
//!   and presence shared through the store.
//! - `privacy` (R35): the data keys: loaded at start, made on first use, fetched from the
//!   store when another node made them, destroyed on erasure.
//! - `clock` (R37): the application's time, the system's or a test clock that moves.
//! - `reports` (R36): rebuilds the reports' facts from the log after a start from a snapshot.
//! - `timers` (R37): snoozes and scheduled messages fired at their time, once, under a lease.
//! - `credentials`: argon2id passwords and opaque tokens.
//! - `snapshot`: the read models' checkpoint file.
//! - `error`: [`AppError`], which names no status code.
//!
//! Invariant: no web framework here (no HTTP status, no JSON view); the edge maps
//! [`AppError`] to problem documents and presents results. This crate imports domain, store and
//! projections only.

mod app;
pub mod clock;
pub mod cluster;
mod coalesce;
pub mod credentials;
pub mod distribution;
mod error;
pub mod follower;
mod lanes;
pub mod privacy;
mod reports;
mod runner;
mod snapshot;
#[cfg(test)]
mod testing;
pub mod throttle;
pub mod timers;
pub mod usecases;

pub use app::{App, DistributionFeed, MIN_POSITION_WAIT};
pub use error::AppError;
pub use follower::{Applied, Listener, Nobody, Presence, Typing, Work};
pub use runner::{Cached, Caches};

/// What a command did: its events, and the global position of the last one (or of the log's
/// head when it changed nothing), for the client's next `min_position`.
pub struct Outcome<E> {
    pub events: Vec<chatd_domain::Recorded<E>>,
    pub position: Option<chatd_store::Position>,
}
