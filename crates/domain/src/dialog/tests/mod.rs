//! Given events / when command / then events or error, one block per rule.

use super::*;
use crate::actor::{Rights, Role};
use crate::channel::{AttachmentKind, ChannelProfile, ChannelType, MB};
use crate::error::DomainError;
use crate::event::{Command, EventMeta};
use crate::ids::*;
use crate::message::{Attachment, MessageStatus};
use time::macros::datetime;
use time::OffsetDateTime;
use uuid::Uuid;

const T0: OffsetDateTime = datetime!(2026-11-24 10:00 UTC);

fn id<T: From<Uuid>>(n: u128) -> T {
    T::from(Uuid::from_u128(n))
}

fn chan() -> ChannelId {
    id(1)
}
fn manager(n: u128) -> Principal {
    Principal::User {
        id: id(100 + n),
        role: Role::Manager,
        rights: Rights::NONE,
    }
}
fn admin() -> Principal {
    Principal::User {
        id: id(900),
        role: Role::Admin,
        rights: Rights::NONE,
    }
}
fn chat_admin() -> Principal {
    Principal::User {
        id: id(901),
        role: Role::ChatAdmin,
        rights: Rights::NONE,
    }
}
fn auditor() -> Principal {
    Principal::User {
        id: id(902),
        role: Role::Auditor,
        rights: Rights::NONE,
    }
}
fn transport() -> Principal {
    Principal::Channel { id: chan() }
}
fn as_assignee(p: Principal) -> Assignee {
    p.as_assignee().unwrap()
}

fn profile(t: ChannelType) -> ChannelProfile {
    ChannelProfile::default_for(t)
}

fn inbound(ext: &str, text: &str) -> DialogCommand {
    DialogCommand::Receive(Box::new(Inbound {
        dialog_id: id(50),
        channel_id: chan(),
        external_chat_id: "chat-1".into(),
        customer_id: Some(id(60)),
        message_id: MessageId(Uuid::new_v5(&Uuid::NAMESPACE_OID, ext.as_bytes())),
        external_id: ext.into(),
        text: text.into(),
        attachments: vec![],
        quote_external_id: None,
        sent_at: None,
        customer_blocked: false,
        channel: profile(ChannelType::Telegram),
        erased_customers: vec![],
        away: None,
    }))
}

fn outgoing(n: u128, text: &str) -> Outgoing {
    Outgoing {
        message_id: id(n),
        template: None,
        text: text.into(),
        attachments: vec![],
        quote_message_id: None,
        customer_blocked: false,
        channel: profile(ChannelType::Telegram),
    }
}

fn send(n: u128, text: &str) -> DialogCommand {
    DialogCommand::Send(Box::new(outgoing(n, text)))
}

/// A dialog given as a history of (actor, command) pairs, each decided and folded.
struct Given(Dialog);

impl Given {
    fn opened() -> Self {
        Given(Dialog::default()).then(transport(), inbound("m1", "hello"))
    }
    fn then(self, by: Principal, body: DialogCommand) -> Self {
        self.then_at(T0, by, body)
    }
    fn then_at(self, at: OffsetDateTime, by: Principal, body: DialogCommand) -> Self {
        let events = decide(&self.0, &Command { by, at, body }).expect("given command");
        let meta = EventMeta {
            at,
            actor: by.actor(),
        };
        Given(
            events
                .into_iter()
                .fold(self.0, |s, event| evolve(s, &Recorded { meta, event })),
        )
    }
    /// The state after one more command, keeping `self`.
    fn clone_with(&self, by: Principal, body: DialogCommand) -> Self {
        Given(self.0.clone()).then(by, body)
    }
    fn when(&self, by: Principal, body: DialogCommand) -> Result<Vec<DialogEvent>, DomainError> {
        self.when_at(T0, by, body)
    }
    fn when_at(
        &self,
        at: OffsetDateTime,
        by: Principal,
        body: DialogCommand,
    ) -> Result<Vec<DialogEvent>, DomainError> {
        decide(&self.0, &Command { by, at, body })
    }
}

fn reassign_to(p: Principal) -> DialogCommand {
    DialogCommand::Reassign {
        to: as_assignee(p),
        target_active: true,
    }
}

fn viewer_of_all(n: u128) -> Principal {
    Principal::User {
        id: id(100 + n),
        role: Role::Manager,
        rights: Rights::NONE.with(crate::actor::Right::DialogsViewAll),
    }
}

// ---- R7 / R20 attachments ----

fn attachment(kind: AttachmentKind, size: u64) -> Attachment {
    Attachment {
        file_id: id(300),
        kind,
        name: "f".into(),
        mime: "application/octet-stream".into(),
        size,
        width: None,
        height: None,
    }
}

fn send_with(t: ChannelType, attachments: Vec<Attachment>) -> DialogCommand {
    let mut m = outgoing(200, "");
    m.channel = profile(t);
    m.attachments = attachments;
    DialogCommand::Send(Box::new(m))
}

// ---- R14 statuses ----

fn status(n: u128, s: MessageStatus) -> DialogCommand {
    DialogCommand::RecordStatus {
        message_id: id(n),
        status: s,
        error: None,
        external_message_id: None,
        channel: profile(ChannelType::WhatsappBusiness),
    }
}

mod lifecycle;
mod messages;
mod notes;
mod opening;
mod statuses;
mod timing;
mod window;
