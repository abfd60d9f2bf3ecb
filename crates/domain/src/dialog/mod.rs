//! The dialog aggregate (`dialog-<uuid>`): rules R1–R14.

mod decide;
mod events;
mod lifecycle;
pub mod notes;
#[cfg(test)]
mod tests;
pub mod timing;
mod writing;

pub use decide::{decide, may_delete, DialogCommand, Inbound, Outgoing};
pub use events::{DialogEvent, ScheduledContent, ScheduledTemplate, WakeReason};
pub use timing::{Away, Planned, Scheduled, ScheduledStatus};
pub use writing::write_access;

use crate::actor::{Actor, Assignee, Principal, Right};
use crate::event::Recorded;
use crate::ids::{ChannelId, CustomerId, DialogId, MessageId, ScheduleId, UserId};
use crate::message::MessageStatus;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use time::OffsetDateTime;

#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DialogStatus {
    #[default]
    Open,
    Closed,
}

/// What the rules remember of one message.
#[derive(Debug, Clone, PartialEq)]
pub struct MessageInfo {
    pub author: Actor,
    pub text: String,
    pub at: OffsetDateTime,
    /// `Some` for outgoing messages (manager or bot), `None` for the customer's.
    pub status: Option<MessageStatus>,
    pub has_attachments: bool,
    /// R22
    pub deleted: bool,
    /// R23: one per actor.
    pub reactions: Vec<(Actor, String)>,
}

/// The dialog's state as folded from its stream; `id == None` until it is opened.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dialog {
    pub id: Option<DialogId>,
    pub channel_id: Option<ChannelId>,
    pub external_chat_id: String,
    pub customer_id: Option<CustomerId>,
    /// R35: the customer who opened the dialog: whose key seals what is said in it, whoever
    /// is pinned later (R12).
    pub opener: Option<CustomerId>,
    pub status: DialogStatus,
    pub responsible: Option<Assignee>,
    pub deleted: bool,
    /// Number of customer messages so far (R5's unit of "unread").
    pub inbound_count: u64,
    pub messages: HashMap<MessageId, MessageInfo>,
    /// Integration message ids, inbound and outgoing, to our ids: idempotency and quotes.
    pub external_ids: HashMap<String, MessageId>,
    pub read_seen: HashMap<UserId, u64>,
    pub marked_unread: HashSet<UserId>,
    pub drafts: HashMap<UserId, String>,
    /// R25: when the customer last wrote (as the integration reports, never later than receipt).
    pub last_customer_message: Option<OffsetDateTime>,
    /// R27
    pub notes: HashMap<crate::ids::NoteId, notes::NoteInfo>,
    /// R37: out of the open lists until then.
    pub snoozed_until: Option<OffsetDateTime>,
    /// R37: when a manager, a bot or the away reply last wrote to the customer.
    pub last_reply_at: Option<OffsetDateTime>,
    /// R37: every scheduled message, with its status.
    pub scheduled: BTreeMap<ScheduleId, Scheduled>,
}

impl Dialog {
    pub fn exists(&self) -> bool {
        self.id.is_some()
    }

    /// SPEC §3 visibility. Not visible means 404, never 403.
    pub fn is_visible_to(&self, p: &Principal) -> bool {
        self.sight().is_some_and(|s| s.visible_to(p))
    }

    /// What visibility depends on, once the dialog exists.
    pub fn sight(&self) -> Option<Sight> {
        Some(Sight {
            responsible: self.responsible,
            channel_id: self.channel_id?,
            deleted: self.deleted,
        })
    }

    /// Unread customer messages for `user` (R5).
    pub fn unread_count(&self, user: UserId) -> u64 {
        self.inbound_count
            .saturating_sub(self.read_seen.get(&user).copied().unwrap_or(0))
    }
}

/// What decides who sees a dialog (SPEC §3): its responsible, its channel and whether it was
/// deleted. Everything reached through a dialog (its customer, its files, its frames) is seen
/// through this one rule (R32).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sight {
    pub responsible: Option<Assignee>,
    pub channel_id: ChannelId,
    pub deleted: bool,
}

impl Sight {
    /// Users and bots as [`visible`] says; a channel's integration sees its channel's dialogs.
    pub fn visible_to(self, p: &Principal) -> bool {
        match *p {
            Principal::Channel { id } => !self.deleted && self.channel_id == id,
            _ => visible(self.responsible, self.deleted, p),
        }
    }
}

/// R32: a customer is reached through its dialogs. `p` sees the customer when it sees every
/// dialog (admin, chat_admin, `dialogs.view_all`), or one of the customer's dialogs now.
pub fn customer_visible(p: &Principal, dialogs: impl IntoIterator<Item = Sight>) -> bool {
    sees_all(p) || dialogs.into_iter().any(|d| d.visible_to(p))
}

/// R32: a file is reached through the dialogs a message carried it in. Its uploader reads it
/// until it is attached anywhere (to attach it); from then on only whoever sees one of those
/// dialogs now, the uploader included.
pub fn file_visible(p: &Principal, uploader: bool, dialogs: &[Sight]) -> bool {
    if dialogs.is_empty() {
        uploader
    } else {
        dialogs.iter().any(|d| d.visible_to(p))
    }
}

/// SPEC §3: who sees a dialog with this responsible. admin, chat_admin and `dialogs.view_all`
/// see every dialog; a manager sees their own and unassigned ones; a bot its own; a deleted dialog
/// is nobody's (auditors read it through the audit API). Channels are answered by the aggregate.
pub fn visible(responsible: Option<Assignee>, deleted: bool, p: &Principal) -> bool {
    if deleted {
        return false;
    }
    match *p {
        Principal::User { id, .. } => {
            sees_all(p)
                || is_manager(p)
                    && match responsible {
                        None => true,
                        Some(a) => a == Assignee::User { id },
                    }
        }
        Principal::Bot { id } => responsible == Some(Assignee::Bot { id }),
        Principal::Channel { .. } => false,
        Principal::System => true,
    }
}

/// [`visible`] turned around, for an index kept by responsible: `None` when `p` sees every live
/// dialog, else the only responsibles whose live dialogs `p` sees (none for a channel, which
/// [`Sight::visible_to`] answers by channel). A count per responsible is then read in O(1), not
/// tested entry by entry (P3: one per manager at 10,000 managers).
pub fn responsibles_seen(p: &Principal) -> Option<Vec<Option<Assignee>>> {
    match *p {
        Principal::User { .. } if sees_all(p) => None,
        Principal::User { id, .. } if is_manager(p) => {
            Some(vec![None, Some(Assignee::User { id })])
        }
        Principal::User { .. } | Principal::Channel { .. } => Some(vec![]),
        Principal::Bot { id } => Some(vec![Some(Assignee::Bot { id })]),
        Principal::System => None,
    }
}

/// Whether `p` sees every dialog (admin, chat_admin, or the `dialogs.view_all` right).
pub fn sees_all(p: &Principal) -> bool {
    p.is_chat_admin() || p.has_right(Right::DialogsViewAll) || *p == Principal::System
}

fn is_manager(p: &Principal) -> bool {
    matches!(
        p,
        Principal::User {
            role: crate::actor::Role::Manager,
            ..
        }
    )
}

/// Fold one event into the dialog's state.
pub fn evolve(mut state: Dialog, recorded: &Recorded<DialogEvent>) -> Dialog {
    let at = recorded.meta.at;
    match &recorded.event {
        DialogEvent::DialogOpened {
            dialog_id,
            channel_id,
            external_chat_id,
            customer_id,
        } => {
            state.id = Some(*dialog_id);
            state.opener = *customer_id;
            state.channel_id = Some(*channel_id);
            state.external_chat_id.clone_from(external_chat_id);
            state.customer_id = *customer_id;
            state.status = DialogStatus::Open;
        }
        DialogEvent::MessageReceived {
            message_id,
            external_id,
            author,
            text,
            attachments,
            sent_at,
            ..
        } => {
            let wrote = (*sent_at).min(at);
            state.last_customer_message =
                Some(state.last_customer_message.map_or(wrote, |l| l.max(wrote)));
            state.inbound_count += 1;
            state.external_ids.insert(external_id.clone(), *message_id);
            state.messages.insert(
                *message_id,
                MessageInfo {
                    author: *author,
                    text: text.clone(),
                    at: *sent_at,
                    status: None,
                    has_attachments: !attachments.is_empty(),
                    deleted: false,
                    reactions: Vec::new(),
                },
            );
        }
        DialogEvent::MessageSent {
            message_id,
            author,
            text,
            attachments,
            ..
        } => {
            state.last_reply_at = Some(at);
            state.messages.insert(
                *message_id,
                MessageInfo {
                    author: *author,
                    text: text.clone(),
                    at,
                    status: Some(MessageStatus::Queued),
                    has_attachments: !attachments.is_empty(),
                    deleted: false,
                    reactions: Vec::new(),
                },
            );
        }
        DialogEvent::MessageStatusChanged {
            message_id,
            status,
            external_message_id,
            ..
        } => {
            if let Some(m) = state.messages.get_mut(message_id) {
                m.status = Some(*status);
            }
            if let Some(ext) = external_message_id {
                state.external_ids.insert(ext.clone(), *message_id);
            }
        }
        DialogEvent::Reassigned { to, .. } => state.responsible = Some(*to),
        DialogEvent::DialogClosed {} => state.status = DialogStatus::Closed,
        DialogEvent::DialogReopened {} => state.status = DialogStatus::Open,
        DialogEvent::DialogRead {
            user_id,
            inbound_seen,
        } => {
            state.read_seen.insert(*user_id, *inbound_seen);
            state.marked_unread.remove(user_id);
        }
        DialogEvent::DialogMarkedUnread { user_id } => {
            state.marked_unread.insert(*user_id);
        }
        DialogEvent::DraftSaved { user_id, text } => {
            state.drafts.insert(*user_id, text.clone());
        }
        DialogEvent::DraftCleared { user_id } => {
            state.drafts.remove(user_id);
        }
        DialogEvent::CustomerUnpinned { .. } => state.customer_id = None,
        DialogEvent::CustomerPinned { customer_id } => state.customer_id = Some(*customer_id),
        DialogEvent::DialogDeleted {} => state.deleted = true,
        DialogEvent::MessageEdited { .. }
        | DialogEvent::MessageDeleted { .. }
        | DialogEvent::ReactionSet { .. } => lifecycle::evolve(&mut state, &recorded.event),
        DialogEvent::NoticeDelivered { .. } => {}
        DialogEvent::NoteAdded { .. }
        | DialogEvent::NoteEdited { .. }
        | DialogEvent::NoteDeleted { .. }
        | DialogEvent::MentionDone { .. } => {
            notes::evolve(&mut state, recorded.meta.actor, &recorded.event)
        }
        DialogEvent::DialogSnoozed { .. }
        | DialogEvent::DialogWoke { .. }
        | DialogEvent::AwayReplySent { .. }
        | DialogEvent::MessageScheduled { .. }
        | DialogEvent::ScheduledMessageEdited { .. }
        | DialogEvent::ScheduledMessageCancelled { .. }
        | DialogEvent::ScheduledMessageSent { .. }
        | DialogEvent::ScheduledMessageFailed { .. } => {
            timing::evolve(&mut state, recorded.meta.actor, &recorded.event)
        }
    }
    state
}

/// R35: a dialog's events are sealed under the key of the customer who opened it.
fn subject(state: &Dialog, events: &[DialogEvent]) -> Option<uuid::Uuid> {
    if state.exists() {
        return state.opener.map(|c| c.0);
    }
    state
        .opener
        .or_else(|| {
            events.iter().find_map(|e| match e {
                DialogEvent::DialogOpened { customer_id, .. } => *customer_id,
                _ => None,
            })
        })
        .map(|c| c.0)
}

crate::aggregate::aggregate!(Dialog, DialogEvent, DialogCommand, decide, evolve, subject);
