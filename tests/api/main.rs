//! One test binary for every black-box API test (one link instead of many).

mod audit;
mod auth;
mod bots;
mod console;
mod content;
mod cors;
mod dialogs;
mod distribution;
mod files;
mod hardening;
mod health;
mod input;
mod lifecycle;
mod lists;
mod notes;
mod operations;
mod postgres;
mod queue;
mod reports;
mod restart;
mod schema;
mod templates;
mod time;
mod transport;
mod visibility;
mod ws;
