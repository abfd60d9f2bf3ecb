//! The application's one error type, mapped once to a problem document.

use crate::http::Problem;
use actix_web::http::StatusCode;
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
    #[error("{detail}")]
    Unauthorized { detail: &'static str },
    #[error("{detail}")]
    BadRequest { code: &'static str, detail: String },
    #[error("the stream kept changing under this command")]
    Contended,
}

impl AppError {
    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Self {
        AppError::BadRequest {
            code,
            detail: detail.into(),
        }
    }
}

/// HTTP status of each domain refusal.
pub fn domain_status(e: &DomainError) -> StatusCode {
    match e {
        DomainError::NotFound => StatusCode::NOT_FOUND,
        DomainError::AlreadyExists
        | DomainError::CustomerBlocked
        | DomainError::CustomerNotPinned
        | DomainError::CustomerAlreadyPinned
        | DomainError::DialogDeleted => StatusCode::CONFLICT,
        DomainError::NotResponsible | DomainError::Forbidden | DomainError::MissingRight(_) => {
            StatusCode::FORBIDDEN
        }
        DomainError::AttachmentTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        DomainError::TextTooLong { .. }
        | DomainError::EmptyMessage
        | DomainError::TooManyAttachments { .. }
        | DomainError::UnsupportedByChannel { .. }
        | DomainError::QuoteNotFound
        | DomainError::InvalidAssignee
        | DomainError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

impl From<AppError> for Problem {
    fn from(e: AppError) -> Problem {
        match &e {
            AppError::Domain(d) => Problem::new(domain_status(d), d.code(), d.to_string()),
            AppError::Lagging(_) => Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "projection_lagging",
                e.to_string(),
            ),
            AppError::Unauthorized { detail } => {
                Problem::new(StatusCode::UNAUTHORIZED, "unauthorized", *detail)
            }
            AppError::BadRequest { code, detail } => {
                Problem::new(StatusCode::BAD_REQUEST, code, detail.clone())
            }
            AppError::Contended => {
                Problem::new(StatusCode::CONFLICT, "concurrent_update", e.to_string())
            }
            AppError::Store(StoreError::WrongExpectedVersion { .. }) => {
                Problem::new(StatusCode::CONFLICT, "concurrent_update", e.to_string())
            }
            AppError::Store(s) => Problem::internal(s),
        }
    }
}

impl From<AppError> for actix_web::Error {
    fn from(e: AppError) -> Self {
        Problem::from(e).into()
    }
}
