//! What administrators and managers set up: channels (`channel-<uuid>`, R20), tags (`tag-<uuid>`,
//! R19), quick replies (`quickreply-<uuid>`, R10) and chat settings (`settings-chat`, R15).

use crate::actor::{Principal, Right, Role};
use crate::channel::{AttachmentLimits, Capabilities, CapabilitiesPatch, ChannelType, LimitsPatch};
use crate::error::DomainError;
use crate::event::{Command, DomainEvent, Recorded};
use crate::ids::{ChannelId, MessageId, QuickReplyId, TagId, UserId};
use crate::template::{check_set, Template};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

fn require_right(by: &Principal, right: Right) -> Result<(), DomainError> {
    if by.has_right(right) || *by == Principal::System {
        Ok(())
    } else {
        Err(DomainError::MissingRight(right))
    }
}

fn require_staff(by: &Principal) -> Result<(), DomainError> {
    match by {
        Principal::User { role, .. } if *role != Role::Auditor => Ok(()),
        Principal::System => Ok(()),
        _ => Err(DomainError::Forbidden),
    }
}

fn check_name(field: &'static str, name: &str, max: usize) -> Result<(), DomainError> {
    if name.trim().is_empty() {
        Err(DomainError::invalid(field, "must not be empty"))
    } else if name.chars().count() > max {
        Err(DomainError::invalid(
            field,
            format!("at most {max} characters"),
        ))
    } else {
        Ok(())
    }
}

mod channels;
mod quick_replies;
mod settings;
mod tags;

pub use channels::*;
pub use quick_replies::*;
pub use settings::*;
pub use tags::*;
