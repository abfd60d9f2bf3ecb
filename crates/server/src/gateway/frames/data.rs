//! The frames' shapes (SPEC §5): what each `type` carries. `api-schema/asyncapi.json` is generated
//! from [`Frame`].

use crate::http::views;
use chatd_domain::MessageStatus;
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;

/// Every frame the feed sends: `{"type": ..., "data": ..., "position": ...}`. This enum is the
/// list of frame types; `api-schema/asyncapi.json` is generated from it.
#[derive(Serialize, ToSchema)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum FrameData {
    /// R17: a new message, with the recipient's new header counter.
    MessageNew(MessageNew),
    /// A message changed: its delivery status moved forward (R14), it was edited (R21) or
    /// deleted (R22), or a reaction was set or cleared (R23). `change` says which.
    MessageUpdated(MessageUpdated),
    /// R24: someone is typing. Live only: `position` is `null` (not a point to resume from).
    Typing(TypingFrame),
    /// R27: a note was added, edited or deleted in a dialog the recipient sees.
    NoteUpdated(NoteFrame),
    /// R27: the recipient was mentioned in a note: the note and the dialog's row (which they see
    /// until they mark the mention done).
    MentionNew(MentionNew),
    DialogOpened(DialogFrame),
    /// Any change of a list row: status, responsible, deadline, waiting level, last message, draft.
    DialogUpdated(DialogFrame),
    /// The dialog left the recipient's sight (reassigned away, deleted); nothing more follows.
    DialogRemoved(DialogRemoved),
    UnreadCount(views::UnreadCount),
    CustomerUpdated(CustomerUpdated),
    /// A user changed, or went online or offline.
    UserUpdated(UserUpdated),
    /// More users than a handful went online or offline within a quarter of a second (a shift
    /// starting): their ids, instead of a `user_updated` each. At most 256 in one frame and one
    /// such frame a quarter second; a larger crowd is told over the next ones. Live only:
    /// `position` is `null`.
    Presence(PresenceFrame),
    /// R37: a scheduled message was scheduled, edited, cancelled, sent or failed: to whoever
    /// sees the dialog, and a failure also to its author when the dialog is no longer theirs.
    ScheduledUpdated(ScheduledFrame),
    /// The client missed more than this node kept, or fell too far behind: reload and reconnect.
    ResyncRequired(views::Empty),
}

#[derive(Serialize, ToSchema)]
pub struct Frame {
    #[serde(flatten)]
    pub data: FrameData,
    /// Global position of the change; reconnect with `since=<position>` to resume after it.
    pub position: Option<String>,
    /// This frame's place (0, 1, …) among the frames one change makes for the recipient (a
    /// message makes `message_new`, then `dialog_updated`). Reconnect with
    /// `since=<position>&part=<part>` to resume after this frame: a connection cut between two
    /// frames of one change loses neither. Absent on live-only frames (typing, presence, a
    /// user going online, a waiting level crossed), which are never replayed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct PresenceFrame {
    /// Users whose first socket opened.
    pub online: Vec<uuid::Uuid>,
    /// Users whose last socket closed.
    pub offline: Vec<uuid::Uuid>,
}

#[derive(Serialize, ToSchema)]
pub struct MessageNew {
    pub dialog_id: uuid::Uuid,
    pub message: Option<views::MessageOut>,
    /// The recipient's header counter after this message (R5).
    pub unread_dialogs: u64,
}

#[derive(Serialize, ToSchema, Default)]
pub struct MessageUpdated {
    pub dialog_id: uuid::Uuid,
    pub message_id: uuid::Uuid,
    /// What changed: `status`, `edited`, `deleted` or `reaction`.
    pub change: &'static str,
    /// The delivery status, on `status`.
    pub status: Option<MessageStatus>,
    pub error: Option<chatd_domain::MessageError>,
    /// The new text, on `edited`.
    pub text: Option<String>,
    /// On `edited`.
    #[serde(with = "time::serde::rfc3339::option")]
    pub edited_at: Option<OffsetDateTime>,
    /// `true` on `deleted`: the text and attachments are gone from the view.
    pub deleted: bool,
    /// On `reaction`: who reacted, and with what (`emoji: null`: cleared).
    pub reaction: Option<ReactionChange>,
}

#[derive(Serialize, ToSchema)]
pub struct ReactionChange {
    pub emoji: Option<String>,
    pub by: views::ActorOut,
}

/// R27: a note's change. `change`: `added`, `edited` or `deleted`.
#[derive(Serialize, ToSchema)]
pub struct NoteFrame {
    pub dialog_id: uuid::Uuid,
    pub note_id: uuid::Uuid,
    pub change: &'static str,
    /// Who made the change (the author).
    pub by: views::ActorOut,
    /// The text (empty when deleted).
    pub text: String,
    /// On `added`: the mentioned users.
    pub mentions: Vec<views::ActorOut>,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// R37: `change`: `scheduled`, `edited`, `cancelled`, `sent` or `failed`. The dialog's
/// `GET /dialogs/{id}/scheduled` has the content.
#[derive(Serialize, ToSchema)]
pub struct ScheduledFrame {
    pub dialog_id: uuid::Uuid,
    pub schedule_id: uuid::Uuid,
    pub change: &'static str,
    /// On `scheduled` and `edited`.
    #[serde(with = "time::serde::rfc3339::option")]
    pub send_at: Option<OffsetDateTime>,
    /// On `sent`: the message it became.
    pub message_id: Option<uuid::Uuid>,
    /// On `failed`: why (`code`: the API code the send was refused with).
    pub error: Option<chatd_domain::MessageError>,
}

#[derive(Serialize, ToSchema)]
pub struct MentionNew {
    pub mention_id: uuid::Uuid,
    pub note: NoteFrame,
    pub dialog: views::DialogRowOut,
}

#[derive(Serialize, ToSchema)]
pub struct TypingFrame {
    pub dialog_id: uuid::Uuid,
    /// Who is typing: a user, a bot, or the customer.
    pub actor: views::ActorOut,
}

#[derive(Serialize, ToSchema)]
pub struct DialogFrame {
    pub dialog: views::DialogRowOut,
}

#[derive(Serialize, ToSchema)]
pub struct DialogRemoved {
    pub dialog_id: uuid::Uuid,
}

#[derive(Serialize, ToSchema)]
pub struct CustomerUpdated {
    pub customer: views::CustomerCard,
}

#[derive(Serialize, ToSchema)]
pub struct UserUpdated {
    pub user: views::UserOut,
}
