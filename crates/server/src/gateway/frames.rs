//! What a change means to one user: the frames of SPEC §5 (`{type, position, data}`) computed from
//! a summary of one event. The same function serves live delivery and resumption, so a resumed
//! client sees exactly the frames a connected one did, in the same order.

use crate::http::views;
use chatd_domain::dialog::DialogEvent;
pub use chatd_domain::dialog::Sight;
use chatd_domain::{Actor, CustomerId, DialogId, Principal, Role, UserId};
use chatd_projections::ReadModel;
use chatd_store::Position;
use time::OffsetDateTime;

/// One event, as much as the gateway needs of it.
#[derive(Debug, Clone)]
pub enum Change {
    Dialog {
        id: DialogId,
        before: Option<Sight>,
        after: Option<Sight>,
        event: Box<DialogEvent>,
        at: OffsetDateTime,
        /// Who made the change.
        by: Actor,
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
    /// Many users went online or offline within one presence tick (not resumable).
    Presence {
        online: Vec<UserId>,
        offline: Vec<UserId>,
    },
    /// R15: the clock moved a dialog's waiting level (not in the log; derived from it).
    Waiting {
        id: DialogId,
    },
    /// R24: someone is typing in a dialog (never stored; not resumable).
    Typing {
        id: DialogId,
        actor: Actor,
    },
    /// Who may call changed: a session ended, or a group's rights changed (`user: None`: any
    /// user may be affected). No frame: the hub closes sockets whose access is no longer what
    /// they were opened with (R32).
    Access {
        user: Option<UserId>,
    },
}

impl Change {
    /// Changes that are not events of the log, or say nothing to replay: delivered live only.
    pub fn is_live_only(&self) -> bool {
        matches!(
            self,
            Change::Online { .. }
                | Change::Presence { .. }
                | Change::Waiting { .. }
                | Change::Access { .. }
                | Change::Typing { .. }
        )
    }
}

#[derive(Debug, Clone)]
pub struct Summary {
    pub position: Position,
    pub change: Change,
}

mod data;
pub use data::*;

/// A frame as sent.
pub fn frame(position: Option<Position>, data: FrameData) -> String {
    write(position, None, data)
}

fn write(position: Option<Position>, part: Option<u32>, data: FrameData) -> String {
    serde_json::to_string(&Frame {
        data,
        position: position.map(|p| p.to_string()),
        part,
    })
    .expect("frames serialise")
}

/// A frame before it is written: its position (`None`: not a point to resume from) and content.
type Out = (Option<Position>, FrameData);

/// Frames written in order, each positioned one of a change kept for resumption numbered by its
/// place among them (`part`), so a client cut off between two frames of one change resumes
/// with `since=<position>&part=<part>` and gets the rest. Live-only changes' frames carry no
/// part: they are never replayed.
fn numbered(frames: Vec<Out>, kept: bool) -> Vec<String> {
    let mut part = 0;
    frames
        .into_iter()
        .map(|(position, data)| {
            let numbered = (kept && position.is_some()).then(|| {
                part += 1;
                part - 1
            });
            write(position, numbered, data)
        })
        .collect()
}

/// The frames `viewer` receives for `s`, rendered from the read models as they are now. A
/// resumption renders the same change the same way (R32 aside: a dialog out of sight now is
/// only `dialog_removed`), so the parts of a change name the same frames live and replayed.
pub fn frames_for(
    m: &ReadModel,
    viewer: &Principal,
    s: &Summary,
    online: &dyn Fn(UserId) -> bool,
) -> Vec<String> {
    numbered(render(m, viewer, s, online), !s.change.is_live_only())
}

fn render(
    m: &ReadModel,
    viewer: &Principal,
    s: &Summary,
    online: &dyn Fn(UserId) -> bool,
) -> Vec<Out> {
    let pos = Some(s.position);
    let unread = || {
        (
            pos,
            FrameData::UnreadCount(views::UnreadCount {
                dialogs: m.dialogs.unread_dialogs(viewer),
            }),
        )
    };
    let row_data = |row| DialogFrame {
        dialog: views::dialog_row(m, row, viewer, OffsetDateTime::now_utc()),
    };
    match &s.change {
        Change::Dialog {
            id,
            before,
            after,
            event,
            at,
            by,
        } => {
            if let Some(frames) = note_frames(m, viewer, s.position, *id, event, *at, by) {
                return frames;
            }
            if let Some(frames) = scheduled_frames(m, viewer, s.position, *id, event) {
                return frames;
            }
            let was = before.is_some_and(|b| b.visible_to(viewer));
            let is = after.is_some_and(|a| a.visible_to(viewer));
            if was && !is {
                // Out of sight: this, and nothing more about it.
                return removal(m, viewer, s.position, *id);
            }
            let Some(row) = m.dialogs.get(id).filter(|_| is) else {
                return vec![];
            };
            let updated = || (pos, FrameData::DialogUpdated(row_data(row)));
            let own = |user: &UserId| viewer.user_id() == Some(*user);
            match &**event {
                DialogEvent::DialogOpened { .. } => {
                    vec![(pos, FrameData::DialogOpened(row_data(row))), unread()]
                }
                DialogEvent::MessageReceived { .. } | DialogEvent::MessageSent { .. } => vec![
                    (
                        pos,
                        FrameData::MessageNew(MessageNew {
                            dialog_id: id.0,
                            message: views::message_from_event(m, *id, event, *at),
                            unread_dialogs: m.dialogs.unread_dialogs(viewer),
                        }),
                    ),
                    updated(),
                ],
                DialogEvent::MessageStatusChanged {
                    message_id,
                    status,
                    error,
                    ..
                } => vec![(
                    pos,
                    FrameData::MessageUpdated(MessageUpdated {
                        dialog_id: id.0,
                        message_id: message_id.0,
                        change: "status",
                        status: Some(*status),
                        error: error.clone(),
                        ..Default::default()
                    }),
                )],
                DialogEvent::MessageEdited { message_id, text } => {
                    let update = MessageUpdated {
                        dialog_id: id.0,
                        message_id: message_id.0,
                        change: "edited",
                        text: Some(text.clone()),
                        edited_at: Some(*at),
                        ..Default::default()
                    };
                    vec![(pos, FrameData::MessageUpdated(update)), updated()]
                }
                DialogEvent::MessageDeleted { message_id } => {
                    let update = MessageUpdated {
                        dialog_id: id.0,
                        message_id: message_id.0,
                        change: "deleted",
                        deleted: true,
                        ..Default::default()
                    };
                    vec![(pos, FrameData::MessageUpdated(update)), updated()]
                }
                DialogEvent::ReactionSet {
                    message_id,
                    by,
                    emoji,
                } => {
                    let update = MessageUpdated {
                        dialog_id: id.0,
                        message_id: message_id.0,
                        change: "reaction",
                        reaction: Some(ReactionChange {
                            emoji: emoji.clone(),
                            by: views::actor(m, by),
                        }),
                        ..Default::default()
                    };
                    vec![(pos, FrameData::MessageUpdated(update))]
                }
                DialogEvent::NoticeDelivered { .. } => vec![],
                DialogEvent::DialogRead { user_id, .. }
                | DialogEvent::DialogMarkedUnread { user_id } => {
                    if own(user_id) {
                        vec![updated(), unread()]
                    } else {
                        vec![]
                    }
                }
                DialogEvent::DraftSaved { user_id, .. } | DialogEvent::DraftCleared { user_id } => {
                    if own(user_id) {
                        vec![updated()]
                    } else {
                        vec![]
                    }
                }
                _ if !was => vec![updated(), unread()],
                _ => vec![updated()],
            }
        }
        Change::Typing { id, actor } => {
            let sees = m.dialogs.get(id).is_some_and(|r| r.is_visible_to(viewer));
            if !sees || viewer.actor() == *actor {
                return vec![];
            }
            vec![(
                None,
                FrameData::Typing(TypingFrame {
                    dialog_id: id.0,
                    actor: views::actor(m, actor),
                }),
            )]
        }
        Change::Waiting { id } => match m.dialogs.get(id).filter(|r| r.is_visible_to(viewer)) {
            Some(row) => vec![(pos, FrameData::DialogUpdated(row_data(row)))],
            None => vec![],
        },
        Change::Customer { id } => match views::customer_card(m, id) {
            // R32: a customer is seen only through a dialog the viewer sees now.
            Some(customer) if is_staff(viewer) && m.dialogs.customer_visible_to(viewer, id) => {
                vec![(
                    pos,
                    FrameData::CustomerUpdated(CustomerUpdated { customer }),
                )]
            }
            _ => vec![],
        },
        Change::User { id } | Change::Online { id } => match m.people.users.get(id) {
            Some(u) => vec![(
                pos,
                FrameData::UserUpdated(UserUpdated {
                    user: views::user(m, u, online(*id)),
                }),
            )],
            None => vec![],
        },
        Change::Presence { online, offline } => vec![(
            None,
            FrameData::Presence(PresenceFrame {
                online: online.iter().map(|u| u.0).collect(),
                offline: offline.iter().map(|u| u.0).collect(),
            }),
        )],
        Change::Access { .. } => vec![],
    }
}

/// R27's frames, for a note's event (`None` for any other event): the note to whoever sees the
/// dialog, `mention_new` to the mentioned, and `dialog_removed` to a user whose mention closed
/// and who does not see the dialog otherwise.
fn note_frames(
    m: &ReadModel,
    viewer: &Principal,
    position: Position,
    id: DialogId,
    event: &DialogEvent,
    at: OffsetDateTime,
    by: &Actor,
) -> Option<Vec<Out>> {
    let pos = Some(position);
    let row = m.dialogs.get(&id);
    let sees = row.is_some_and(|r| r.is_visible_to(viewer));
    let me = viewer.user_id();
    let note =
        |note_id: &chatd_domain::NoteId, change, text: &str, mentions: &[UserId]| NoteFrame {
            dialog_id: id.0,
            note_id: note_id.0,
            change,
            by: views::actor(m, by),
            text: text.to_owned(),
            mentions: mentions
                .iter()
                .map(|u| views::actor(m, &Actor::User { id: *u }))
                .collect(),
            at,
        };
    let frames = match event {
        DialogEvent::NoteAdded {
            note_id,
            text,
            mentions,
        } => {
            let mut frames = Vec::new();
            let mentioned = me.filter(|u| mentions.contains(u));
            if let (Some(u), Some(row)) = (mentioned, row.filter(|r| m.sees_dialog(viewer, r))) {
                let data = MentionNew {
                    mention_id: chatd_domain::identity::mention_of(*note_id, u).0,
                    note: note(note_id, "added", text, mentions),
                    dialog: views::dialog_row(m, row, viewer, OffsetDateTime::now_utc()),
                };
                frames.push((pos, FrameData::MentionNew(data)));
            }
            if sees {
                let data = note(note_id, "added", text, mentions);
                frames.push((pos, FrameData::NoteUpdated(data)));
            }
            frames
        }
        DialogEvent::NoteEdited { note_id, text } if sees => {
            vec![(
                pos,
                FrameData::NoteUpdated(note(note_id, "edited", text, &[])),
            )]
        }
        DialogEvent::NoteDeleted { note_id } if sees => {
            vec![(
                pos,
                FrameData::NoteUpdated(note(note_id, "deleted", "", &[])),
            )]
        }
        DialogEvent::MentionDone { user_id, .. } => {
            let gone = me == Some(*user_id) && !row.is_some_and(|r| m.sees_dialog(viewer, r));
            if gone {
                removal(m, viewer, position, id)
            } else {
                vec![]
            }
        }
        DialogEvent::NoteEdited { .. } | DialogEvent::NoteDeleted { .. } => vec![],
        _ => return None,
    };
    Some(frames)
}

/// R37: the frame of a scheduled message's change, for whoever sees the dialog and, on a
/// failure, its author; `None` for other events.
fn scheduled_frames(
    m: &ReadModel,
    viewer: &Principal,
    position: Position,
    id: DialogId,
    event: &DialogEvent,
) -> Option<Vec<Out>> {
    let data = |schedule_id: &chatd_domain::ScheduleId, change| ScheduledFrame {
        dialog_id: id.0,
        schedule_id: schedule_id.0,
        change,
        send_at: None,
        message_id: None,
        error: None,
    };
    let (frame_data, author) = match event {
        DialogEvent::MessageScheduled {
            schedule_id,
            send_at,
            ..
        }
        | DialogEvent::ScheduledMessageEdited {
            schedule_id,
            send_at,
            ..
        } => {
            let change = match event {
                DialogEvent::MessageScheduled { .. } => "scheduled",
                _ => "edited",
            };
            let send_at = Some(*send_at);
            (
                ScheduledFrame {
                    send_at,
                    ..data(schedule_id, change)
                },
                None,
            )
        }
        DialogEvent::ScheduledMessageCancelled { schedule_id } => {
            (data(schedule_id, "cancelled"), None)
        }
        DialogEvent::ScheduledMessageSent {
            schedule_id,
            message_id,
        } => {
            let message_id = Some(message_id.0);
            (
                ScheduledFrame {
                    message_id,
                    ..data(schedule_id, "sent")
                },
                None,
            )
        }
        DialogEvent::ScheduledMessageFailed {
            schedule_id,
            author,
            error,
        } => {
            let error = Some(error.clone());
            (
                ScheduledFrame {
                    error,
                    ..data(schedule_id, "failed")
                },
                Some(*author),
            )
        }
        _ => return None,
    };
    let sees = m.dialogs.get(&id).is_some_and(|r| r.is_visible_to(viewer));
    let told = sees || (author.is_some() && viewer.user_id() == author);
    Some(if told {
        vec![(Some(position), FrameData::ScheduledUpdated(frame_data))]
    } else {
        vec![]
    })
}

/// The users a dialog event concerns beyond who sees the dialog: the mentioned (R27), the
/// author of a scheduled message that failed (R37).
pub fn concerned(event: &DialogEvent) -> &[UserId] {
    match event {
        DialogEvent::NoteAdded { mentions, .. } => mentions,
        DialogEvent::MentionDone { user_id, .. } => std::slice::from_ref(user_id),
        DialogEvent::ScheduledMessageFailed { author, .. } => std::slice::from_ref(author),
        _ => &[],
    }
}

/// A dialog left the viewer's sight: the frames that say so (and nothing more about it).
pub fn removed(m: &ReadModel, viewer: &Principal, position: Position, id: DialogId) -> Vec<String> {
    numbered(removal(m, viewer, position, id), true)
}

fn removal(m: &ReadModel, viewer: &Principal, position: Position, id: DialogId) -> Vec<Out> {
    vec![
        (
            Some(position),
            FrameData::DialogRemoved(DialogRemoved { dialog_id: id.0 }),
        ),
        (
            Some(position),
            FrameData::UnreadCount(views::UnreadCount {
                dialogs: m.dialogs.unread_dialogs(viewer),
            }),
        ),
    ]
}

fn is_staff(p: &Principal) -> bool {
    matches!(p, Principal::User { role, .. } if *role != Role::Auditor)
}

/// The sight of a dialog in the read models, if it exists there.
pub fn sight(m: &ReadModel, id: &DialogId) -> Option<Sight> {
    m.dialogs.get(id).map(|r| r.sight())
}
