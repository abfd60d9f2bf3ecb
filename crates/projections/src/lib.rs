//! Read models, built by folding the global log (`$all`) from a checkpoint.
//!
//! Invariant: read models are derived data. Everything here can be thrown away and rebuilt by
//! replaying the log from position 0, and the rebuild equals what live projection produced.
//!
//! Module map:
//! - `codec`: domain event ⇄ stored event (type, schema version, data, `{at, actor}`), upcasting;
//! - `model`: the manager API's read models (`ReadModel::apply`): people, catalog, customers,
//!   dialogs and their list indexes, files, the webhook outbox, snapshots;
//! - `privacy` (R35): the keyring, sealing and opening personal strings under data keys;
//! - `timeline`: a dialog's timeline folded on demand, and `message_of`, the one way from a
//!   message event to a message;
//! - `fold`, `replay`: every aggregate folded from the whole log (`chatd replay`).

pub mod codec;
pub mod fold;
pub mod model;
pub mod privacy;
pub mod replay;
pub mod timeline;

pub use codec::{
    decode_event, decode_recorded, new_event, new_sealed_event, AnyEvent, DecodeFailure,
};
pub use fold::DomainFold;
pub use model::ReadModel;
