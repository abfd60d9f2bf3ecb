//! chatd's edge: configuration, the HTTP server and its wiring to the application layer.
//!
//! Module map:
//! - `server`: start-up (the app, its listeners, the HTTP server) and graceful stop;
//! - `http`: one module per API area; `extract` (who calls), `problem` (the one mapping to
//!   problem documents and every stable code), `views` (the JSON shapes), `hygiene`
//!   (headers and framework errors), `openapi`;
//! - `gateway`: the WebSocket feed: `hub` (connections, resumption, access checks), `frames`,
//!   `listen` (the hub as a listener of the log, the R15 ticker), `ws`, `asyncapi`;
//! - `delivery`: outgoing webhooks, fed by its `Outbox` listener;
//! - `files`: the content-addressed file store and upload inspection (`Decoding` gate);
//! - `audit`: the auditors' reading of the log and `verify`; `config`, `telemetry`;
//! - `datadir`: the one-process-per-data-directory lock; `offline`: `chatd user …`;
//!   `move_store`: `chatd store copy`.
//!
//! Invariant: no business rule lives here. Handlers parse, authorise, call one use case of
//! `chatd-app` and present the result; the rules are `chatd-domain`'s.

pub mod audit;
pub mod config;
pub mod datadir;
pub mod delivery;
pub mod demo;
pub mod files;
pub mod gateway;
pub mod http;
pub mod master_key;
pub mod move_store;
pub mod offline;
pub mod server;
pub mod telemetry;

/// The application layer, re-exported for the edge's own modules and for tools (bench, tests).
pub use chatd_app as app;
pub use config::Config;
pub use server::{bind, open_store, start, Running, Starting};
