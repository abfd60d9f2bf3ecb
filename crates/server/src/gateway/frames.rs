//! What a change means to one user: the frames of SPEC §5 (`{type, position, data}`) computed from
//! a summary of one event. The same function serves live delivery and resumption, so a resumed
//! client sees exactly the frames a connected one did, in the same order.

use crate::http::views;
use chatd_domain::dialog::{visible, DialogEvent};
use chatd_domain::{Assignee, CustomerId, DialogId, MessageStatus, Principal, Role, UserId};
use chatd_projections::ReadModel;
use chatd_store::Position;
use serde_json::{json, Value};
use time::OffsetDateTime;

/// Who could see a dialog: its responsible and whether it was deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sight {
    pub responsible: Option<Assignee>,
    pub deleted: bool,
}

impl Sight {
    fn visible_to(self, p: &Principal) -> bool {
        visible(self.responsible, self.deleted, p)
    }
}

/// One event, as much as the gateway needs of it.
#[derive(Debug, Clone)]
pub enum Change {
    Dialog {
        id: DialogId,
        before: Option<Sight>,
        after: Option<Sight>,
        event: Box<DialogEvent>,
        at: OffsetDateTime,
    },
    Customer {
        id: CustomerId,
    },
    User {
        id: UserId,
    },
    /// A user's first socket opened or last one closed (not in the log; not resumable).
    Online {
        id: UserId,
    },
    /// R15: the clock moved a dialog's waiting level (not in the log; derived from it).
    Waiting {
        id: DialogId,
    },
}

#[derive(Debug, Clone)]
pub struct Summary {
    pub position: Position,
    pub change: Change,
}

/// A frame as sent: `{"type": ..., "position": ..., "data": ...}`.
pub fn frame(kind: &str, position: Option<Position>, data: Value) -> String {
    json!({ "type": kind, "position": position.map(|p| p.to_string()), "data": data }).to_string()
}

fn message(
    m: &ReadModel,
    dialog_id: DialogId,
    event: &DialogEvent,
    at: OffsetDateTime,
) -> Option<views::MessageOut> {
    let (id, author, text, attachments, quote, status, created_at) = match event {
        DialogEvent::MessageReceived {
            message_id,
            author,
            text,
            attachments,
            quote,
            sent_at,
            ..
        } => (message_id, author, text, attachments, quote, None, *sent_at),
        DialogEvent::MessageSent {
            message_id,
            author,
            text,
            attachments,
            quote,
        } => (
            message_id,
            author,
            text,
            attachments,
            quote,
            Some(MessageStatus::Queued),
            at,
        ),
        _ => return None,
    };
    Some(views::MessageOut {
        id: id.0,
        dialog_id: dialog_id.0,
        author: views::actor(m, author),
        text: text.clone(),
        attachments: attachments.clone(),
        quote: quote.clone(),
        status,
        error: None,
        created_at,
    })
}

/// The frames `viewer` receives for `s`, rendered from the read models as they are now.
pub fn frames_for(
    m: &ReadModel,
    viewer: &Principal,
    s: &Summary,
    online: &dyn Fn(UserId) -> bool,
) -> Vec<String> {
    let pos = Some(s.position);
    let unread = || {
        frame(
            "unread_count",
            pos,
            json!({ "dialogs": m.dialogs.unread_dialogs(viewer) }),
        )
    };
    match &s.change {
        Change::Dialog {
            id,
            before,
            after,
            event,
            at,
        } => {
            let was = before.is_some_and(|b| b.visible_to(viewer));
            let is = after.is_some_and(|a| a.visible_to(viewer));
            if was && !is {
                // Out of sight: this, and nothing more about it.
                return vec![
                    frame("dialog_removed", pos, json!({ "dialog_id": id.0 })),
                    unread(),
                ];
            }
            let Some(row) = m.dialogs.get(id).filter(|_| is) else {
                return vec![];
            };
            let now = OffsetDateTime::now_utc();
            let row_frame = |kind| {
                frame(
                    kind,
                    pos,
                    json!({ "dialog": views::dialog_row(m, row, viewer, now) }),
                )
            };
            let own = |user: &UserId| viewer.user_id() == Some(*user);
            match &**event {
                DialogEvent::DialogOpened { .. } => vec![row_frame("dialog_opened"), unread()],
                DialogEvent::MessageReceived { .. } | DialogEvent::MessageSent { .. } => {
                    let msg = message(m, *id, event, *at);
                    vec![
                        frame(
                            "message_new",
                            pos,
                            json!({ "dialog_id": id.0, "message": msg, "unread_dialogs": m.dialogs.unread_dialogs(viewer) }),
                        ),
                        row_frame("dialog_updated"),
                    ]
                }
                DialogEvent::MessageStatusChanged {
                    message_id,
                    status,
                    error,
                    ..
                } => vec![frame(
                    "message_updated",
                    pos,
                    json!({ "dialog_id": id.0, "message_id": message_id.0, "status": status, "error": error }),
                )],
                DialogEvent::DialogRead { user_id, .. }
                | DialogEvent::DialogMarkedUnread { user_id } => {
                    if own(user_id) {
                        vec![row_frame("dialog_updated"), unread()]
                    } else {
                        vec![]
                    }
                }
                DialogEvent::DraftSaved { user_id, .. } | DialogEvent::DraftCleared { user_id } => {
                    if own(user_id) {
                        vec![row_frame("dialog_updated")]
                    } else {
                        vec![]
                    }
                }
                _ if !was => vec![row_frame("dialog_updated"), unread()],
                _ => vec![row_frame("dialog_updated")],
            }
        }
        Change::Waiting { id } => match m.dialogs.get(id).filter(|r| r.is_visible_to(viewer)) {
            Some(row) => vec![frame(
                "dialog_updated",
                pos,
                json!({ "dialog": views::dialog_row(m, row, viewer, OffsetDateTime::now_utc()) }),
            )],
            None => vec![],
        },
        Change::Customer { id } => match views::customer_card(m, id) {
            Some(card) if is_staff(viewer) => {
                vec![frame("customer_updated", pos, json!({ "customer": card }))]
            }
            _ => vec![],
        },
        Change::User { id } | Change::Online { id } => match m.people.users.get(id) {
            Some(u) => vec![frame(
                "user_updated",
                pos,
                json!({ "user": views::user(m, u, online(*id)) }),
            )],
            None => vec![],
        },
    }
}

fn is_staff(p: &Principal) -> bool {
    matches!(p, Principal::User { role, .. } if *role != Role::Auditor)
}

/// The sight of a dialog in the read models, if it exists there.
pub fn sight(m: &ReadModel, id: &DialogId) -> Option<Sight> {
    m.dialogs.get(id).map(|r| Sight {
        responsible: r.responsible,
        deleted: r.deleted,
    })
}
