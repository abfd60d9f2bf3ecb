//! chatd's edge: configuration, the HTTP server and its wiring to the store and read models.
//!
//! Invariant: no business rule lives here. Handlers turn requests into domain commands and domain
//! results into responses; the rules are `chatd-domain`'s.

pub mod audit;
pub mod config;
pub mod delivery;
pub mod files;
pub mod gateway;
pub mod http;
pub mod server;
pub mod telemetry;

/// The application layer, re-exported for the edge's own modules and for tools (bench, tests).
pub use chatd_app as app;
pub use config::Config;
pub use server::{open_store, start, Running};
