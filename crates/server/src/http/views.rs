//! The JSON shapes clients depend on (SPEC §5). Field names are a contract: add, never rename.

use chatd_domain::channel::ChannelType;
use chatd_domain::customer::Source;
use chatd_domain::dialog::DialogStatus;
use chatd_domain::people::WorkStatus;
use chatd_domain::setup::TagColor;
use chatd_domain::waiting;
use chatd_domain::{
    Actor, Assignee, Attachment, MessageError, MessageStatus, Principal, Quote, Right, Role,
};
use chatd_projections::model::dialogs::DialogRow;
use chatd_projections::model::people::UserView;
use chatd_projections::timeline;
use chatd_projections::ReadModel;
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Serialize, ToSchema)]
pub struct UserOut {
    #[schema(value_type = uuid::Uuid)]
    pub id: Uuid,
    pub login: String,
    pub name: String,
    pub role: Role,
    pub group_ids: Vec<Uuid>,
    pub active: bool,
    pub work_status: WorkStatus,
    /// Holds an open WebSocket (SPEC §3).
    pub online: bool,
    pub rights: Vec<Right>,
}

/// `online`: the user holds a WebSocket on this node or, as the store last said (within about
/// 2 s), on another (R34; several tabs count once).
pub fn user(m: &ReadModel, u: &UserView, online: bool) -> UserOut {
    let rights = match u.role {
        Role::Admin => Right::ALL.to_vec(),
        _ => m.people.rights_of(u).iter().collect(),
    };
    UserOut {
        id: u.id.0,
        login: u.login.clone(),
        name: u.name.clone(),
        role: u.role,
        group_ids: u.group_ids.iter().map(|g| g.0).collect(),
        active: u.active,
        work_status: u.work_status,
        online,
        rights,
    }
}

pub use super::channel_views::{channel, ChannelOut};

#[derive(Serialize, ToSchema)]
pub struct ChannelRef {
    pub id: Uuid,
    #[serde(rename = "type")]
    pub channel_type: Option<ChannelType>,
    pub name: Option<String>,
}

#[derive(Serialize, Clone, Debug, ToSchema)]
pub struct ActorOut {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub id: Option<Uuid>,
    pub name: Option<String>,
}

pub fn actor(m: &ReadModel, a: &Actor) -> ActorOut {
    let (kind, id) = match *a {
        Actor::User { id } => ("user", Some(id.0)),
        Actor::Bot { id } => ("bot", Some(id.0)),
        Actor::Customer { id } => ("customer", id.map(|c| c.0)),
        Actor::Channel { id } => ("channel", Some(id.0)),
        Actor::System => ("system", None),
    };
    let name = match a {
        Actor::Customer { id: Some(c) } => m.customers.get(c).map(|c| c.name.clone()),
        other => m.people.name_of(other).map(str::to_owned),
    };
    ActorOut { kind, id, name }
}

pub fn assignee(m: &ReadModel, a: &Assignee) -> ActorOut {
    actor(m, &a.as_actor())
}

#[derive(Serialize, ToSchema)]
pub struct TagOut {
    pub id: Uuid,
    pub name: String,
    pub color: TagColor,
}

#[derive(Serialize, ToSchema)]
pub struct CustomerTagOut {
    pub id: Uuid,
    pub name: String,
    pub color: TagColor,
    pub pinned: bool,
}

#[derive(Serialize, ToSchema)]
pub struct CustomerBrief {
    pub id: Uuid,
    pub name: String,
    pub pinned_tags: Vec<TagOut>,
}

#[derive(Serialize, ToSchema)]
pub struct CustomerCard {
    pub id: Uuid,
    pub name: String,
    pub external_id: String,
    pub avatar_url: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub source: Source,
    pub blocked: bool,
    pub tags: Vec<CustomerTagOut>,
    /// R35: the customer's personal data was erased; name and texts read `[erased]`.
    pub erased: bool,
}

pub fn customer_card(m: &ReadModel, id: &chatd_domain::CustomerId) -> Option<CustomerCard> {
    let c = m.customers.get(id)?;
    Some(CustomerCard {
        id: c.id.0,
        name: c.name.clone(),
        external_id: c.external_id.clone(),
        avatar_url: c.avatar_url.clone(),
        phone: c.phone.clone(),
        email: c.email.clone(),
        source: c.source.to_source(),
        blocked: c.blocked,
        erased: c.erased,
        tags: c
            .tags
            .iter()
            .filter_map(|(t, pinned)| {
                m.catalog.tags.get(t).map(|t| CustomerTagOut {
                    id: t.id.0,
                    name: t.name.clone(),
                    color: t.color,
                    pinned: *pinned,
                })
            })
            .collect(),
    })
}

#[derive(Serialize, ToSchema)]
pub struct LastMessageOut {
    pub id: Uuid,
    pub author_type: &'static str,
    /// Empty when the message was deleted (R22).
    pub text: String,
    /// R22
    pub deleted: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

pub use chatd_domain::waiting::WaitingLevel;

#[derive(Serialize, ToSchema)]
pub struct DialogRowOut {
    pub id: Uuid,
    pub status: DialogStatus,
    pub customer: Option<CustomerBrief>,
    pub channel: ChannelRef,
    pub responsible: Option<ActorOut>,
    pub unread_count: u64,
    pub marked_unread: bool,
    pub last_message: Option<LastMessageOut>,
    pub draft: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub last_activity_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub waiting_since: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub reply_deadline: Option<OffsetDateTime>,
    pub waiting_level: WaitingLevel,
    /// R25: until when a free-form message may be sent (after it, only an approved template);
    /// `null` when the channel has no reply window.
    #[serde(with = "time::serde::rfc3339::option")]
    pub reply_window_closes_at: Option<OffsetDateTime>,
    /// R31: the dialog's place in its channel's distribution queue (1 = next), in
    /// `queued=true` lists; `null` elsewhere.
    pub queue_position: Option<u64>,
    /// R37: snoozed (out of the open lists) until then; `null` when not snoozed.
    #[serde(with = "time::serde::rfc3339::option")]
    pub snoozed_until: Option<OffsetDateTime>,
}

pub fn dialog_row(
    m: &ReadModel,
    row: &DialogRow,
    viewer: &Principal,
    now: OffsetDateTime,
) -> DialogRowOut {
    let user = viewer.user_id();
    let channel = m.catalog.channels.get(&row.channel_id);
    DialogRowOut {
        id: row.id.0,
        status: row.status,
        customer: row
            .customer_id
            .and_then(|c| m.customers.get(&c))
            .map(|c| CustomerBrief {
                id: c.id.0,
                name: c.name.clone(),
                pinned_tags: c
                    .pinned_tags()
                    .filter_map(|t| m.catalog.tags.get(&t))
                    .map(|t| TagOut {
                        id: t.id.0,
                        name: t.name.clone(),
                        color: t.color,
                    })
                    .collect(),
            }),
        channel: ChannelRef {
            id: row.channel_id.0,
            channel_type: channel.map(|c| c.channel_type),
            name: channel.map(|c| c.name.clone()),
        },
        responsible: row.responsible.map(|a| assignee(m, &a)),
        unread_count: user.map_or(0, |u| row.unread_count(u)),
        marked_unread: user.is_some_and(|u| row.marked_unread(u)),
        last_message: row.last_message.as_ref().map(|l| LastMessageOut {
            id: l.id.0,
            author_type: match l.author {
                Actor::Customer { .. } => "customer",
                Actor::Bot { .. } => "bot",
                _ => "manager",
            },
            text: l.text.clone(),
            deleted: l.deleted,
            at: l.at,
        }),
        draft: user.and_then(|u| row.draft(u)).map(str::to_owned),
        last_activity_at: row.last_activity_at,
        waiting_since: row
            .waiting_since
            .filter(|_| row.status == DialogStatus::Open),
        reply_deadline: m.dialogs.waiting.clock(row).map(|c| c.deadline()),
        waiting_level: waiting::level(m.dialogs.waiting.clock(row), now),
        reply_window_closes_at: channel.and_then(|c| {
            chatd_domain::template::window_closes_at(
                row.last_customer_message,
                c.capabilities.reply_window_s,
            )
        }),
        queue_position: None,
        snoozed_until: row.snoozed_until.filter(|_| row.snoozed()),
    }
}

#[derive(Serialize, ToSchema)]
pub struct DialogDetail {
    #[serde(flatten)]
    pub row: DialogRowOut,
    /// The chat's id at the channel (often a phone number); empty for a viewer who sees the
    /// dialog only through an open mention (R27).
    pub external_chat_id: String,
    /// The full card; `null` after the customer was unpinned (R12), and for a viewer who sees
    /// the dialog only through an open mention (R27, R32: `customer` has the brief one).
    pub customer_card: Option<CustomerCard>,
    #[serde(with = "time::serde::rfc3339")]
    pub opened_at: OffsetDateTime,
    /// R37: when the shop next opens for this dialog's channel, while it is closed; `null`
    /// while open or without a calendar.
    #[serde(with = "time::serde::rfc3339::option")]
    pub shop_opens_at: Option<OffsetDateTime>,
}

pub fn dialog_detail(
    m: &ReadModel,
    row: &DialogRow,
    viewer: &Principal,
    now: OffsetDateTime,
) -> DialogDetail {
    // R32: the card and the contact only through a dialog the viewer sees as R2 says.
    let sees = row.is_visible_to(viewer);
    DialogDetail {
        row: dialog_row(m, row, viewer, now),
        external_chat_id: if sees {
            row.external_chat_id.clone()
        } else {
            String::new()
        },
        customer_card: row
            .customer_id
            .filter(|_| sees)
            .and_then(|c| customer_card(m, &c)),
        opened_at: row.opened_at,
        shop_opens_at: m.calendar.as_ref().and_then(|c| {
            let opens = c.next_open(Some(row.channel_id), now);
            opens.filter(|at| *at > now)
        }),
    }
}

#[derive(Serialize, Clone, ToSchema)]
pub struct MessageOut {
    pub id: Uuid,
    pub dialog_id: Uuid,
    pub author: ActorOut,
    /// `null` once the message was deleted (R22; auditors read the original in the log).
    pub text: Option<String>,
    /// Empty once the message was deleted.
    pub attachments: Vec<Attachment>,
    pub quote: Option<Quote>,
    /// `null` for customer messages.
    pub status: Option<MessageStatus>,
    pub error: Option<MessageError>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// R21: when the text last changed; `null` if it never did.
    #[serde(with = "time::serde::rfc3339::option")]
    pub edited_at: Option<OffsetDateTime>,
    /// R22
    pub deleted: bool,
    /// R23: one per actor.
    pub reactions: Vec<ReactionOut>,
    /// R26: the approved template the text was rendered from; `null` for free-form messages.
    pub template: Option<chatd_domain::template::TemplateUse>,
}

/// R23: who reacted to a message, with what.
#[derive(Serialize, Clone, ToSchema)]
pub struct ReactionOut {
    pub emoji: String,
    pub by: ActorOut,
}

/// A write's answer: the resource, plus `position`, the global position of the write's last event
/// (or of the log when it changed nothing) for the next read's `min_position`.
#[derive(Serialize, ToSchema)]
pub struct Written<T> {
    #[serde(flatten)]
    pub body: T,
    pub position: Option<String>,
}

/// No resource: the write's answer is just its `position`.
#[derive(Serialize, ToSchema)]
pub struct Empty {}

#[derive(Serialize, ToSchema)]
pub struct Items<T> {
    pub items: Vec<T>,
}

#[derive(Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct GroupOut {
    pub id: Uuid,
    pub name: String,
    pub rights: Vec<Right>,
}

#[derive(Serialize, ToSchema)]
pub struct LoginOut {
    /// The bearer token: `Authorization: Bearer <token>`.
    pub token: String,
    pub user: Option<UserOut>,
}

#[derive(Serialize, ToSchema)]
pub struct MeOut {
    pub user: UserOut,
    /// R5: the header counter.
    pub unread_dialogs: u64,
    /// R27: mentions of the caller not yet marked done.
    pub open_mentions: u64,
}

#[derive(Serialize, ToSchema)]
pub struct UnreadCount {
    /// Dialogs visible to the caller with unread customer messages or the unread mark.
    pub dialogs: u64,
}

#[derive(Serialize, ToSchema)]
pub struct DialogList {
    pub items: Vec<DialogRowOut>,
    pub next_cursor: Option<String>,
    /// The read models' position this page was read at.
    pub position: Option<String>,
}

/// One entry of a dialog's timeline, newest first.
#[derive(Serialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TimelineEntryOut {
    Message {
        message: MessageOut,
    },
    /// R27: an internal note (never sent to the customer).
    Note {
        note: NoteOut,
    },
    System {
        /// `opened`, `closed`, `reopened`, `reassigned`, `customer_unpinned`, `customer_pinned`,
        /// `snoozed` (with `until`), `woke` (with `reason`: time, customer, manual, closed).
        event: &'static str,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
        by: ActorOut,
        from: Option<ActorOut>,
        to: Option<ActorOut>,
        #[serde(
            with = "time::serde::rfc3339::option",
            skip_serializing_if = "Option::is_none"
        )]
        until: Option<OffsetDateTime>,
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<chatd_domain::dialog::WakeReason>,
    },
}

#[derive(Serialize, ToSchema)]
pub struct Counted<T> {
    #[serde(flatten)]
    pub item: T,
    pub dialogs: u64,
}

/// R16's filter window.
#[derive(Serialize, ToSchema)]
pub struct FacetsOut {
    pub tags: Vec<Counted<TagOut>>,
    /// `null` when no bot exists (the bot filter is not shown).
    pub bots: Option<Vec<Counted<ActorOut>>>,
    pub managers: Vec<Counted<ActorOut>>,
    pub unassigned: u64,
    /// R37: snoozed dialogs the other filters leave (`status=snoozed` lists them).
    pub snoozed: u64,
    pub channels: Vec<Counted<ChannelOut>>,
    /// R31: dialogs waiting in the distribution bot's queue, per channel (channels with none
    /// are left out).
    pub queued: Vec<QueueCount>,
}

#[derive(Serialize, ToSchema)]
pub struct QueueCount {
    pub channel_id: Uuid,
    pub dialogs: u64,
}

#[derive(Serialize, ToSchema)]
pub struct InboundOut {
    pub message_id: Uuid,
    pub dialog_id: Uuid,
}

#[derive(Serialize, ToSchema)]
pub struct DeleteResult {
    pub id: Uuid,
    /// `deleted`, or the problem code for this id (`not_found`, ...).
    pub result: String,
}

#[derive(Serialize, ToSchema)]
pub struct QuickReplyOut {
    pub id: Uuid,
    pub shared: bool,
    pub name: String,
    pub text: String,
    pub uses: u64,
    pub from_message_id: Option<Uuid>,
}

#[derive(Serialize, ToSchema)]
pub struct BotOut {
    pub id: Uuid,
    pub name: String,
    pub active: bool,
    pub distribution: Vec<chatd_domain::people::DistributionRule>,
    /// `X-Bot-Token`, shown once, on creation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct OrderOut {
    pub id: Uuid,
    pub dialog_id: Uuid,
    pub customer_id: Option<Uuid>,
    pub manager_id: Option<Uuid>,
    pub status: chatd_domain::order::OrderStatus,
    /// R1: the customer's source, copied onto the order.
    pub source: Option<Source>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// A message as the API shows it, from the event that recorded it (`None` for other events).
pub fn message_from_event(
    m: &ReadModel,
    dialog_id: chatd_domain::DialogId,
    event: &chatd_domain::dialog::DialogEvent,
    at: OffsetDateTime,
) -> Option<MessageOut> {
    timeline::message_of(event, at).map(|msg| message(m, dialog_id.0, &msg))
}

/// The one builder of the message view (REST timeline and send answers, `message_new` frames).
pub fn message(
    m: &ReadModel,
    dialog_id: uuid::Uuid,
    msg: &timeline::TimelineMessage,
) -> MessageOut {
    MessageOut {
        id: msg.id.0,
        dialog_id,
        author: actor(m, &msg.author),
        text: (!msg.deleted).then(|| msg.text.clone()),
        attachments: msg.attachments.clone(),
        quote: msg.quote.clone(),
        status: msg.status,
        error: msg.error.clone(),
        created_at: msg.created_at,
        edited_at: msg.edited_at,
        deleted: msg.deleted,
        reactions: msg
            .reactions
            .iter()
            .map(|(by, emoji)| ReactionOut {
                emoji: emoji.clone(),
                by: actor(m, by),
            })
            .collect(),
        template: msg.template.clone(),
    }
}

/// R27: an internal note as the team sees it.
#[derive(Serialize, Clone, ToSchema)]
pub struct NoteOut {
    pub id: Uuid,
    pub dialog_id: Uuid,
    pub author: ActorOut,
    /// Empty once deleted.
    pub text: String,
    /// The mentioned users.
    pub mentions: Vec<ActorOut>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub edited_at: Option<OffsetDateTime>,
    pub deleted: bool,
}

pub fn note(m: &ReadModel, dialog_id: Uuid, n: &timeline::TimelineNote) -> NoteOut {
    NoteOut {
        id: n.id.0,
        dialog_id,
        author: actor(m, &n.author),
        text: n.text.clone(),
        mentions: n
            .mentions
            .iter()
            .map(|u| actor(m, &Actor::User { id: *u }))
            .collect(),
        created_at: n.created_at,
        edited_at: n.edited_at,
        deleted: n.deleted,
    }
}

/// R27: one of the caller's mentions.
#[derive(Serialize, ToSchema)]
pub struct MentionOut {
    pub id: Uuid,
    pub dialog_id: Uuid,
    pub note_id: Uuid,
    /// Who wrote the note.
    pub by: ActorOut,
    pub text: String,
    /// `open` or `done`.
    pub status: &'static str,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

pub fn mention(m: &ReadModel, v: &chatd_projections::model::mentions::MentionView) -> MentionOut {
    MentionOut {
        id: v.id.0,
        dialog_id: v.dialog_id.0,
        note_id: v.note_id.0,
        by: actor(m, &v.by),
        text: v.text.clone(),
        status: if v.open { "open" } else { "done" },
        created_at: v.created_at,
    }
}
