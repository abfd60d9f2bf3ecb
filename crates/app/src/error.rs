//! The application's one error type. It names what went wrong, never a status code: the edge
//! maps it (and every `DomainError`) to a problem document in one place.

use chatd_domain::DomainError;
use chatd_store::StoreError;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum AppError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the read models have not reached position {0} within 5 s")]
    Lagging(String),
    #[error("the stream kept changing under this command")]
    Contended,
    /// R6: a blocked customer's message, refused to the transport (and recorded for audit).
    #[error("the customer is blocked")]
    InboundRefused,
    #[error("wrong login or password")]
    InvalidCredentials,
    /// R28: too many failed logins for this login; try again after the wait.
    #[error("too many failed logins; try again in {} s", .0.as_secs().max(1))]
    Throttled(std::time::Duration),
    /// A message names a file that does not exist or that the caller may not read (R32).
    #[error("no such file {0}: upload it through the files route first")]
    UnknownFile(uuid::Uuid),
    /// R38: the integration named a message that is not one we sent without the chat it is in.
    #[error("no message we sent has this id: a customer's message is found through its chat, so name external_chat_id too")]
    ChatRequired,
}
