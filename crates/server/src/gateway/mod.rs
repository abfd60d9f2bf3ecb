//! The WebSocket gateway (SPEC §5): live frames per user, fed by the same subscription as the read
//! models, never by polling.

pub mod asyncapi;
pub mod frames;
pub mod hub;
pub mod listen;
pub mod ws;

pub use hub::Hub;
