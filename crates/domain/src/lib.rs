//! chatd's domain: the events of every stream, the commands, and the pure rules that decide one
//! from the other (SPEC §2, §4).
//!
//! Invariant: no I/O, no clock, no randomness. Time and ids enter as values in commands.
//!
//! Module map:
//! - `aggregate`: the `Aggregate` trait every stream kind implements (category, state, event,
//!   command, `decide`, `evolve`);
//! - aggregates: `dialog` (R1–R14, visibility), `customer` (R1, R6, R19), `people` (users,
//!   groups, bots and their distribution rules), `setup` (channels, tags, quick replies,
//!   settings), `order`, `file`;
//! - rules callers need as values: `waiting` (R15 clock), `distribution` (R18 choice),
//!   `identity` (R1 derived ids);
//! - vocabulary: `actor` (roles, rights, principals), `ids`, `message`, `channel` (R7/R20
//!   profiles), `event` (commands, recorded events, schema versions), `error` (`DomainError`
//!   and its stable codes), `catalogue` (renders docs/EVENTS.md).

pub mod actor;
pub mod aggregate;
pub mod calendar;
pub mod catalogue;
pub mod channel;
pub mod customer;
pub mod dialog;
pub mod distribution;
pub mod error;
pub mod event;
pub mod file;
pub mod identity;
pub mod ids;
pub mod message;
pub mod order;
pub mod people;
pub mod reports;
pub mod setup;
pub mod template;
pub mod waiting;

#[cfg(test)]
mod tests;

pub use actor::{Actor, Assignee, Principal, Right, Rights, Role};
pub use aggregate::Aggregate;
pub use error::DomainError;
pub use event::{Command, DomainEvent, EncodedEvent, EventMeta, Recorded};
pub use ids::*;
pub use message::{Attachment, MessageError, MessageStatus, Quote};
