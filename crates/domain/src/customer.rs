//! The customer aggregate (`customer-<uuid>`): registration with source (R1), block (R6), tags (R19).

use crate::actor::{Principal, Role};
use crate::channel::ChannelType;
use crate::error::DomainError;
use crate::event::{Command, DecodeError, DomainEvent, Recorded};
use crate::ids::{ChannelId, CustomerId, FileId, TagId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// UTM fields of the customer's first contact.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Utm {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medium: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term: Option<String>,
}

/// Where a customer came from (R1): shown on the customer card and copied onto orders.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub channel_id: ChannelId,
    pub channel_type: ChannelType,
    #[serde(default)]
    pub utm: Utm,
}

/// R35: the longest erasure reason kept, in characters.
pub const MAX_REASON_CHARS: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    pub customer_id: CustomerId,
    pub external_id: String,
    pub name: String,
    pub avatar_url: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub source: Source,
}

impl Registration {
    /// R35: the person in it (the rest is the source channel and campaign).
    pub fn personal_mut(&mut self, f: &mut dyn FnMut(&mut String)) {
        f(&mut self.external_id);
        f(&mut self.name);
        for s in [&mut self.avatar_url, &mut self.phone, &mut self.email]
            .into_iter()
            .flatten()
        {
            f(s);
        }
    }

    /// R35: what an erased customer's card keeps: no name, no contact.
    pub fn erase(&mut self) {
        self.personal_mut(&mut |s| *s = crate::event::ERASED.to_owned());
        self.avatar_url = None;
        self.phone = None;
        self.email = None;
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum CustomerEvent {
    CustomerRegistered(Registration),
    CustomerBlocked {},
    CustomerUnblocked {},
    /// R19; tagging again with another `pinned` changes the pin.
    CustomerTagged {
        tag_id: TagId,
        pinned: bool,
    },
    CustomerUntagged {
        tag_id: TagId,
    },
    /// R6: an inbound message refused because the customer is blocked, kept for the audit trail.
    /// Version 2 (since files): the message's parts, attachments included, under `message`;
    /// version 1 had `external_message_id` and `text` at the top and no attachments.
    InboundRefused {
        channel_id: ChannelId,
        external_chat_id: String,
        message: RefusedMessage,
    },
    /// R35: an admin erased the customer's personal data (their data key was destroyed). The
    /// reason is kept in clear: it must name the request, never the person.
    CustomerErased {
        reason: String,
    },
}

/// What a refused inbound message carried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedMessage {
    pub external_id: String,
    pub text: String,
    /// Files the integration had uploaded for it.
    #[serde(default)]
    pub attachment_ids: Vec<FileId>,
}

impl DomainEvent for CustomerEvent {
    const CATEGORY: &'static str = "customer";

    fn schema_version(&self) -> u32 {
        Self::current_version(match self {
            CustomerEvent::InboundRefused { .. } => "inbound_refused",
            _ => "",
        })
    }

    fn current_version(event_type: &str) -> u32 {
        match event_type {
            "inbound_refused" => 2,
            _ => 1,
        }
    }

    fn personal_mut(&mut self, f: &mut dyn FnMut(&mut String)) {
        match self {
            CustomerEvent::CustomerRegistered(reg) => reg.personal_mut(f),
            CustomerEvent::InboundRefused {
                external_chat_id,
                message,
                ..
            } => {
                f(external_chat_id);
                f(&mut message.text);
            }
            _ => {}
        }
    }

    fn upcast(
        event_type: &str,
        version: u32,
        data: serde_json::Value,
    ) -> Result<serde_json::Value, DecodeError> {
        match (event_type, version) {
            ("inbound_refused", 1) => Ok(refused_v1_to_v2(data)),
            (_, 1) => Ok(data),
            _ => Err(DecodeError::UnknownVersion {
                event_type: event_type.to_owned(),
                version,
            }),
        }
    }
}

/// `inbound_refused` v1 `{channel_id, external_chat_id, external_message_id, text}` as v2
/// `{channel_id, external_chat_id, message: {external_id, text, attachment_ids: []}}`.
fn refused_v1_to_v2(data: serde_json::Value) -> serde_json::Value {
    let serde_json::Value::Object(mut v1) = data else {
        return data; // not an object: decoding reports it as malformed
    };
    let external_id = v1.remove("external_message_id").unwrap_or_default();
    let text = v1.remove("text").unwrap_or_default();
    v1.insert(
        "message".into(),
        serde_json::json!({"external_id": external_id, "text": text, "attachment_ids": []}),
    );
    serde_json::Value::Object(v1)
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Customer {
    pub registration: Option<Registration>,
    pub blocked: bool,
    /// R35
    pub erased: bool,
    /// tag id -> pinned
    pub tags: BTreeMap<TagId, bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CustomerCommand {
    Register(Box<Registration>),
    Block,
    Unblock,
    /// `tag_exists`: the caller looked the tag up.
    Tag {
        tag_id: TagId,
        pinned: bool,
        tag_exists: bool,
    },
    Untag {
        tag_id: TagId,
    },
    RecordRefusedInbound {
        channel_id: ChannelId,
        external_chat_id: String,
        message: RefusedMessage,
    },
    /// R35: admins only; erasing again changes nothing.
    Erase {
        reason: String,
    },
}

pub fn decide(
    state: &Customer,
    cmd: &Command<CustomerCommand>,
) -> Result<Vec<CustomerEvent>, DomainError> {
    if let CustomerCommand::Register(reg) = &cmd.body {
        if !matches!(cmd.by, Principal::Channel { .. } | Principal::System) {
            return Err(DomainError::Forbidden);
        }
        if reg.name.trim().is_empty() {
            return Err(DomainError::invalid("customer.name", "must not be empty"));
        }
        // Registration is idempotent: the transport may retry the first message.
        return Ok(match state.registration {
            Some(_) => vec![],
            None => vec![CustomerEvent::CustomerRegistered((**reg).clone())],
        });
    }
    if state.registration.is_none() {
        return Err(DomainError::NotFound);
    }
    if let CustomerCommand::Erase { reason } = &cmd.body {
        return erase(state, &cmd.by, reason);
    }
    if state.erased {
        return Err(DomainError::CustomerErased);
    }
    match &cmd.body {
        CustomerCommand::Register(_) | CustomerCommand::Erase { .. } => {
            unreachable!("handled above")
        }
        CustomerCommand::RecordRefusedInbound {
            channel_id,
            external_chat_id,
            message,
        } => {
            if !matches!(cmd.by, Principal::Channel { .. } | Principal::System) {
                return Err(DomainError::Forbidden);
            }
            Ok(vec![CustomerEvent::InboundRefused {
                channel_id: *channel_id,
                external_chat_id: external_chat_id.clone(),
                message: message.clone(),
            }])
        }
        body => {
            require_staff(&cmd.by)?;
            Ok(match body {
                CustomerCommand::Block if !state.blocked => vec![CustomerEvent::CustomerBlocked {}],
                CustomerCommand::Unblock if state.blocked => {
                    vec![CustomerEvent::CustomerUnblocked {}]
                }
                CustomerCommand::Tag {
                    tag_exists: false, ..
                } => return Err(DomainError::NotFound),
                CustomerCommand::Tag { tag_id, pinned, .. }
                    if state.tags.get(tag_id) != Some(pinned) =>
                {
                    vec![CustomerEvent::CustomerTagged {
                        tag_id: *tag_id,
                        pinned: *pinned,
                    }]
                }
                CustomerCommand::Untag { tag_id } if state.tags.contains_key(tag_id) => {
                    vec![CustomerEvent::CustomerUntagged { tag_id: *tag_id }]
                }
                _ => vec![],
            })
        }
    }
}

/// R35: only an admin erases a customer (or chatd itself).
pub fn may_erase(by: &Principal) -> Result<(), DomainError> {
    match by {
        Principal::User {
            role: Role::Admin, ..
        }
        | Principal::System => Ok(()),
        _ => Err(DomainError::Forbidden),
    }
}

/// R35: the reason names the request (not the person) and is kept.
fn erase(
    state: &Customer,
    by: &Principal,
    reason: &str,
) -> Result<Vec<CustomerEvent>, DomainError> {
    may_erase(by)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(DomainError::invalid("reason", "must not be empty"));
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(DomainError::invalid(
            "reason",
            format!("at most {MAX_REASON_CHARS} characters"),
        ));
    }
    Ok(if state.erased {
        vec![]
    } else {
        vec![CustomerEvent::CustomerErased {
            reason: reason.to_owned(),
        }]
    })
}

/// R35: a customer's events are sealed under the customer's own key.
fn subject(state: &Customer, events: &[CustomerEvent]) -> Option<uuid::Uuid> {
    if let Some(reg) = &state.registration {
        return Some(reg.customer_id.0);
    }
    events.iter().find_map(|e| match e {
        CustomerEvent::CustomerRegistered(reg) => Some(reg.customer_id.0),
        _ => None,
    })
}

/// Managers, chat admins and admins act on customers; auditors, bots and channels do not.
fn require_staff(by: &Principal) -> Result<(), DomainError> {
    match by {
        Principal::User {
            role: Role::Auditor,
            ..
        } => Err(DomainError::Forbidden),
        Principal::User { .. } | Principal::System => Ok(()),
        _ => Err(DomainError::Forbidden),
    }
}

pub fn evolve(mut state: Customer, recorded: &Recorded<CustomerEvent>) -> Customer {
    match &recorded.event {
        CustomerEvent::CustomerRegistered(reg) => state.registration = Some(reg.clone()),
        CustomerEvent::CustomerBlocked {} => state.blocked = true,
        CustomerEvent::CustomerUnblocked {} => state.blocked = false,
        CustomerEvent::CustomerTagged { tag_id, pinned } => {
            state.tags.insert(*tag_id, *pinned);
        }
        CustomerEvent::CustomerUntagged { tag_id } => {
            state.tags.remove(tag_id);
        }
        CustomerEvent::InboundRefused { .. } => {}
        CustomerEvent::CustomerErased { .. } => {
            state.erased = true;
            if let Some(reg) = &mut state.registration {
                reg.erase();
            }
        }
    }
    state
}

crate::aggregate::aggregate!(
    Customer,
    CustomerEvent,
    CustomerCommand,
    decide,
    evolve,
    subject
);
