//! The one error type of the domain. Each variant has a stable snake_case `code` that the API sends
//! in its problem documents; clients branch on it, so codes are never renamed.

use crate::actor::Right;
use crate::channel::AttachmentKind;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    #[error("not found")]
    NotFound,
    #[error("already exists")]
    AlreadyExists,
    #[error("only the responsible manager, an admin or a chat admin may do this")]
    NotResponsible,
    #[error("this role may not do this")]
    Forbidden,
    #[error("missing right {}", .0.as_str())]
    MissingRight(Right),
    #[error("the customer is blocked")]
    CustomerBlocked,
    #[error("text is longer than {max} characters")]
    TextTooLong { max: usize },
    #[error("a message needs text or attachments")]
    EmptyMessage,
    #[error("at most {max} attachments per message")]
    TooManyAttachments { max: usize },
    #[error("{kind} attachment of {} exceeds the channel's limit of {} ({limit} bytes)", mb(*size), mb(*limit))]
    AttachmentTooLarge {
        kind: AttachmentKind,
        size: u64,
        limit: u64,
    },
    #[error("the channel does not support {what}")]
    UnsupportedByChannel { what: String },
    #[error("the quoted message is not in this dialog")]
    QuoteNotFound,
    #[error("the assignee is not an active user or bot")]
    InvalidAssignee,
    #[error("the dialog has no pinned customer")]
    CustomerNotPinned,
    #[error("the dialog is pinned to another customer")]
    CustomerAlreadyPinned,
    #[error("the dialog was deleted")]
    DialogDeleted,
    #[error("the customer's personal data was erased: nothing more can be written about them in this dialog")]
    CustomerErased,
    #[error("this customer's data was written before chatd sealed personal data, so it cannot be erased by destroying a key; see docs/PRIVACY.md, \"Older stores\"")]
    ErasureUnsealed,
    #[error(
        "the last active admin cannot be deactivated or demoted; make another user admin first"
    )]
    LastAdmin,
    #[error("the message was deleted")]
    MessageDeleted,
    #[error("messages in this channel can be edited only within {seconds} seconds of sending")]
    EditWindowPassed { seconds: u64 },
    #[error("only the message's author, an admin or a chat admin may do this")]
    NotAuthor,
    #[error("the reply window is closed: outside it only an approved template may be sent")]
    ReplyWindowClosed,
    #[error("no such template in this channel")]
    TemplateNotFound,
    #[error("the template is not approved")]
    TemplateNotApproved,
    #[error("template parameters: {reason}")]
    TemplateParams { reason: String },
    #[error("{reason}")]
    InvalidMention { reason: &'static str },
    #[error("the dialog is shown to you only through a mention: you may add notes, not mention others into it")]
    MentionNotAllowed,
    #[error("the dialog is closed: a closed dialog is out of the open lists already and comes back when the customer writes")]
    DialogClosed,
    #[error("the scheduled message was already sent, failed or was cancelled")]
    ScheduledNotPending,
    #[error("at most {max} scheduled messages may wait in one dialog")]
    TooManyScheduled { max: usize },
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
}

impl DomainError {
    /// The stable machine code of SPEC §4/§5.
    pub fn code(&self) -> &'static str {
        match self {
            DomainError::NotFound => "not_found",
            DomainError::AlreadyExists => "already_exists",
            DomainError::NotResponsible => "not_responsible",
            DomainError::Forbidden => "forbidden",
            DomainError::MissingRight(_) => "missing_right",
            DomainError::CustomerBlocked => "customer_blocked",
            DomainError::TextTooLong { .. } => "text_too_long",
            DomainError::EmptyMessage => "empty_message",
            DomainError::TooManyAttachments { .. } => "too_many_attachments",
            DomainError::AttachmentTooLarge { .. } => "attachment_too_large",
            DomainError::UnsupportedByChannel { .. } => "unsupported_by_channel",
            DomainError::QuoteNotFound => "quote_not_found",
            DomainError::InvalidAssignee => "invalid_assignee",
            DomainError::CustomerNotPinned => "customer_not_pinned",
            DomainError::CustomerAlreadyPinned => "customer_already_pinned",
            DomainError::DialogDeleted => "dialog_deleted",
            DomainError::CustomerErased => "customer_erased",
            DomainError::ErasureUnsealed => "erasure_unsealed",
            DomainError::Invalid { .. } => "validation_failed",
            DomainError::DialogClosed => "dialog_closed",
            DomainError::ScheduledNotPending => "scheduled_not_pending",
            DomainError::TooManyScheduled { .. } => "too_many_scheduled",
            DomainError::LastAdmin => "last_admin",
            DomainError::MessageDeleted => "message_deleted",
            DomainError::EditWindowPassed { .. } => "edit_window_passed",
            DomainError::NotAuthor => "not_author",
            DomainError::ReplyWindowClosed => "reply_window_closed",
            DomainError::TemplateNotFound => "template_not_found",
            DomainError::TemplateNotApproved => "template_not_approved",
            DomainError::TemplateParams { .. } => "template_params",
            DomainError::InvalidMention { .. } => "invalid_mention",
            DomainError::MentionNotAllowed => "mention_not_allowed",
        }
    }

    pub fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        DomainError::Invalid {
            field,
            reason: reason.into(),
        }
    }
}

/// Bytes as the seed's megabytes (1 MB = 1 MiB): "8 MB", "9.5 MB".
fn mb(bytes: u64) -> String {
    let mb = bytes as f64 / crate::channel::MB as f64;
    if bytes.is_multiple_of(crate::channel::MB) {
        format!("{mb:.0} MB")
    } else {
        format!("{mb:.1} MB")
    }
}
