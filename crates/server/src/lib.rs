//! chatd's edge: configuration, the HTTP server and its wiring to the store and read models.
//!
//! Invariant: no business rule lives here. Handlers turn requests into domain commands and domain
//! results into responses; the rules are `chatd-domain`'s.

pub mod app;
pub mod audit;
pub mod config;
pub mod delivery;
pub mod distribution;
pub mod files;
pub mod gateway;
pub mod http;
pub mod server;
pub mod telemetry;

pub use config::Config;
pub use server::{open_store, start, Running};
