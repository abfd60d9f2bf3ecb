//! RFC 9457 problem documents: every error leaves as `application/problem+json` with a stable
//! machine `code` and a human `detail`; internal causes are logged, never sent.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use chatd_app::AppError;
use chatd_domain::DomainError;
use chatd_store::StoreError;
use serde::Serialize;
use std::fmt;

/// RFC 9457 problem document; `code` is the stable machine code.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: &'static str,
    pub status: u16,
    pub code: &'static str,
    pub detail: String,
    /// Seconds to wait before trying again: sent as `Retry-After`.
    #[serde(skip)]
    #[schema(ignore)]
    pub retry_after: Option<u64>,
}

impl Problem {
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        Problem {
            kind: format!("https://chatd.dev/problems/{code}"),
            title: status.canonical_reason().unwrap_or("Error"),
            status: status.as_u16(),
            code,
            detail: detail.into(),
            retry_after: None,
        }
    }

    // Every stable code the edge answers by itself, with its status (domain and application
    // errors are mapped below, in `domain_status` and `From<AppError>`).

    pub fn body_too_large(detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", detail)
    }

    pub fn file_too_large(detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "file_too_large", detail)
    }

    /// R21–R23: an integration reported a change to a message our side sent.
    pub fn not_the_customers_message() -> Self {
        Problem::new(
            StatusCode::FORBIDDEN,
            "not_author",
            "this message was sent by our side: an integration reports changes to the \
             customer's own messages only",
        )
    }

    pub fn request_timeout(detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::REQUEST_TIMEOUT, "request_timeout", detail)
    }

    pub fn origin_not_allowed(detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::FORBIDDEN, "origin_not_allowed", detail)
    }

    pub fn unknown_field(detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "unknown_field", detail)
    }

    pub fn chat_required(detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "chat_required", detail)
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::FORBIDDEN, "forbidden", detail)
    }

    pub fn invalid_body(detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body", detail)
    }

    pub fn invalid_query(detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::BAD_REQUEST, "invalid_query", detail)
    }

    pub fn malformed_json(detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::BAD_REQUEST, "malformed_json", detail)
    }

    pub fn no_preview(detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::NOT_FOUND, "no_preview", detail)
    }

    pub fn not_a_websocket(detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::BAD_REQUEST, "not_a_websocket", detail)
    }

    pub fn sort_unavailable(detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::BAD_REQUEST, "sort_unavailable", detail)
    }

    pub fn too_many_connections(detail: impl Into<String>) -> Self {
        Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "too_many_connections",
            detail,
        )
    }

    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::UNAUTHORIZED, "unauthorized", detail)
    }

    pub fn unsupported_media_type(detail: impl Into<String>) -> Self {
        Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            detail,
        )
    }

    pub fn validation_failed(detail: impl Into<String>) -> Self {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            detail,
        )
    }

    pub fn empty_file(detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "empty_file", detail)
    }

    /// An upload body that is not what its `Content-Type` says (multipart without a file part).
    pub fn unreadable_body(detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::BAD_REQUEST, "invalid_body", detail)
    }

    /// The problem document of an error status that no handler answered with one (the
    /// framework's own refusals, see `hygiene`).
    pub fn of_status(status: StatusCode) -> Self {
        let detail = status
            .canonical_reason()
            .unwrap_or("the request could not be served");
        Problem::new(status, code_of(status), detail)
    }

    pub fn method_not_allowed(detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", detail)
    }

    /// R28: the read models have not yet caught up with the store as it was at start.
    /// Sent with `Retry-After: 1`.
    pub fn not_ready(detail: impl Into<String>) -> Self {
        Problem {
            retry_after: Some(1),
            ..Problem::new(StatusCode::SERVICE_UNAVAILABLE, "not_ready", detail)
        }
    }

    /// R36: the reports are being rebuilt from the log after a start (seconds).
    pub fn reports_rebuilding() -> Self {
        Problem {
            retry_after: Some(2),
            ..Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "reports_rebuilding",
                "the reports are being rebuilt from the log after a start; try again shortly",
            )
        }
    }

    /// R29: the log does not verify, so no checkpoint is signed (logged: someone changed the
    /// store, or it is damaged).
    pub fn log_not_intact(detail: impl Into<String>) -> Self {
        let detail = detail.into();
        tracing::error!(%detail, "the log does not verify");
        Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "log_not_intact", detail)
    }

    pub fn not_found() -> Self {
        Problem::new(StatusCode::NOT_FOUND, "not_found", "no such resource")
    }

    /// A failure of ours: logged with its cause, sent without it.
    pub fn internal(cause: &dyn std::error::Error) -> Self {
        tracing::error!(error = %cause, "internal error");
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "an internal error occurred; it has been logged",
        )
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.detail)
    }
}

impl ResponseError for Problem {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status_code());
        res.content_type("application/problem+json");
        if let Some(s) = self.retry_after {
            res.insert_header((actix_web::http::header::RETRY_AFTER, s));
        }
        res.json(self)
    }
}

/// HTTP status of each domain refusal.
pub fn domain_status(e: &DomainError) -> StatusCode {
    match e {
        DomainError::NotFound | DomainError::TemplateNotFound => StatusCode::NOT_FOUND,
        DomainError::AlreadyExists
        | DomainError::CustomerBlocked
        | DomainError::CustomerNotPinned
        | DomainError::CustomerAlreadyPinned
        | DomainError::DialogDeleted
        | DomainError::CustomerErased
        | DomainError::ErasureUnsealed
        | DomainError::LastAdmin
        | DomainError::MessageDeleted
        | DomainError::DialogClosed
        | DomainError::ScheduledNotPending
        | DomainError::TooManyScheduled { .. }
        | DomainError::ReplyWindowClosed => StatusCode::CONFLICT,
        DomainError::NotResponsible
        | DomainError::NotAuthor
        | DomainError::MentionNotAllowed
        | DomainError::Forbidden
        | DomainError::MissingRight(_) => StatusCode::FORBIDDEN,
        DomainError::AttachmentTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        DomainError::TextTooLong { .. }
        | DomainError::EmptyMessage
        | DomainError::TooManyAttachments { .. }
        | DomainError::UnsupportedByChannel { .. }
        | DomainError::QuoteNotFound
        | DomainError::InvalidAssignee
        | DomainError::EditWindowPassed { .. }
        | DomainError::TemplateNotApproved
        | DomainError::InvalidMention { .. }
        | DomainError::TemplateParams { .. }
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
            AppError::InboundRefused => {
                Problem::new(StatusCode::FORBIDDEN, "customer_blocked", e.to_string())
            }
            AppError::Throttled(wait) => Problem {
                retry_after: Some(wait.as_secs_f64().ceil().max(1.0) as u64),
                ..Problem::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "too_many_attempts",
                    e.to_string(),
                )
            },
            AppError::InvalidCredentials => Problem::new(
                StatusCode::UNAUTHORIZED,
                "invalid_credentials",
                e.to_string(),
            ),
            AppError::UnknownFile(_) => Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "unknown_file",
                e.to_string(),
            ),
            AppError::ChatRequired => Problem::chat_required(e.to_string()),
            AppError::Contended => {
                Problem::new(StatusCode::CONFLICT, "concurrent_update", e.to_string())
            }
            AppError::Store(StoreError::WrongExpectedVersion { .. }) => {
                Problem::new(StatusCode::CONFLICT, "concurrent_update", e.to_string())
            }
            // R33: the database is away; nothing was written. Try again shortly. (R34: a lease
            // lost under a change made with its fence is the same to the caller.)
            AppError::Store(StoreError::Unavailable(_) | StoreError::LeaseLost(_)) => Problem {
                retry_after: Some(2),
                ..Problem::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "store_unavailable",
                    "the event store cannot be reached right now; nothing was written: try again",
                )
            },
            AppError::Store(s) => Problem::internal(s),
        }
    }
}

/// The stable code of an error status that no handler gave a problem document.
fn code_of(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "body_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => "headers_too_large",
        StatusCode::REQUEST_TIMEOUT => "request_timeout",
        StatusCode::UNAUTHORIZED => "unauthorized",
        StatusCode::FORBIDDEN => "forbidden",
        s if s.is_server_error() => "internal",
        _ => "bad_request",
    }
}
