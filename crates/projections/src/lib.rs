//! Read models, built by folding the global log (`$all`) from a checkpoint.
//!
//! Invariant: read models are derived data. Everything here can be thrown away and rebuilt by
//! replaying the log from position 0, and the rebuild equals what live projection produced.

pub mod codec;
pub mod fold;
pub mod model;
pub mod replay;
pub mod timeline;

pub use codec::{decode_event, decode_recorded, new_event, AnyEvent, DecodeFailure};
pub use fold::DomainFold;
pub use model::ReadModel;
