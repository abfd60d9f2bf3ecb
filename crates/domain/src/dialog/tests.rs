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
    }))
}

fn outgoing(n: u128, text: &str) -> Outgoing {
    Outgoing {
        message_id: id(n),
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
        let events = decide(&self.0, &Command { by, at: T0, body }).expect("given command");
        let meta = EventMeta {
            at: T0,
            actor: by.actor(),
        };
        Given(
            events
                .into_iter()
                .fold(self.0, |s, event| evolve(s, &Recorded { meta, event })),
        )
    }
    fn when(&self, by: Principal, body: DialogCommand) -> Result<Vec<DialogEvent>, DomainError> {
        decide(&self.0, &Command { by, at: T0, body })
    }
}

// ---- R1 opening ----

#[test]
fn r1_first_customer_message_opens_the_dialog_with_its_customer() {
    let events = Given(Dialog::default())
        .when(transport(), inbound("m1", "hello"))
        .unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(
        events[0],
        DialogEvent::DialogOpened {
            dialog_id: id(50),
            channel_id: chan(),
            external_chat_id: "chat-1".into(),
            customer_id: Some(id(60)),
        }
    );
    assert!(matches!(
        &events[1],
        DialogEvent::MessageReceived { text, author: Actor::Customer { id: Some(_) }, sent_at, .. }
            if text == "hello" && *sent_at == T0
    ));
}

#[test]
fn r1_inbound_is_idempotent_on_the_integrations_message_id() {
    let g = Given::opened();
    assert_eq!(g.when(transport(), inbound("m1", "hello")).unwrap(), vec![]);
    assert_eq!(g.0.inbound_count, 1);
}

#[test]
fn r1_only_the_dialogs_own_channel_may_deliver_into_it() {
    let other = Principal::Channel { id: id(2) };
    assert_eq!(
        Given(Dialog::default()).when(other, inbound("m1", "x")),
        Err(DomainError::Forbidden)
    );
}

#[test]
fn r1_empty_inbound_is_refused() {
    assert_eq!(
        Given(Dialog::default()).when(transport(), inbound("m1", "  ")),
        Err(DomainError::EmptyMessage)
    );
}

// ---- R2 reassignment ----

#[test]
fn r2_any_manager_may_take_an_unassigned_dialog_for_themselves_only() {
    let g = Given::opened();
    let m1 = manager(1);
    assert_eq!(
        g.when(
            m1,
            DialogCommand::Reassign {
                to: as_assignee(m1),
                target_active: true
            }
        )
        .unwrap(),
        vec![DialogEvent::Reassigned {
            from: None,
            to: as_assignee(m1)
        }]
    );
    assert_eq!(
        g.when(
            m1,
            DialogCommand::Reassign {
                to: as_assignee(manager(2)),
                target_active: true
            }
        ),
        Err(DomainError::NotResponsible)
    );
}

#[test]
fn r2_responsible_and_admins_reassign_others_do_not_see_the_dialog() {
    let (m1, m2, m3) = (manager(1), manager(2), manager(3));
    let g = Given::opened().then(admin(), reassign_to(m1));
    assert!(g.when(m1, reassign_to(m2)).is_ok());
    assert!(g.when(chat_admin(), reassign_to(m2)).is_ok());
    assert!(g.when(admin(), reassign_to(m2)).is_ok());
    assert_eq!(g.when(m3, reassign_to(m2)), Err(DomainError::NotFound));
    assert_eq!(
        g.when(auditor(), reassign_to(m2)),
        Err(DomainError::Forbidden)
    );
}

fn reassign_to(p: Principal) -> DialogCommand {
    DialogCommand::Reassign {
        to: as_assignee(p),
        target_active: true,
    }
}

#[test]
fn r2_after_reassignment_the_previous_manager_loses_the_dialog() {
    let (m1, m2) = (manager(1), manager(2));
    let g = Given::opened()
        .then(admin(), reassign_to(m1))
        .then(m1, reassign_to(m2));
    assert!(!g.0.is_visible_to(&m1));
    assert!(g.0.is_visible_to(&m2));
    assert!(g.0.is_visible_to(&admin()));
    assert!(g.0.is_visible_to(&chat_admin()));
    let viewer = Principal::User {
        id: id(555),
        role: Role::Manager,
        rights: Rights::NONE.with(Right::DialogsViewAll),
    };
    assert!(g.0.is_visible_to(&viewer));
    assert_eq!(
        g.when(m1, DialogCommand::MarkRead),
        Err(DomainError::NotFound)
    );
}

#[test]
fn r2_reassignment_records_who_from_whom_to_whom_and_keeps_a_closed_dialog_closed() {
    let (m1, m2) = (manager(1), manager(2));
    let g = Given::opened()
        .then(admin(), reassign_to(m1))
        .then(m1, DialogCommand::Close);
    let events = g.when(m1, reassign_to(m2)).unwrap();
    assert_eq!(
        events,
        vec![DialogEvent::Reassigned {
            from: Some(as_assignee(m1)),
            to: as_assignee(m2)
        }]
    );
    let g = g.then(m1, reassign_to(m2));
    assert_eq!(g.0.status, DialogStatus::Closed);
}

#[test]
fn r2_target_must_be_an_active_user_or_bot_and_same_target_is_a_no_op() {
    let m1 = manager(1);
    let g = Given::opened().then(admin(), reassign_to(m1));
    assert_eq!(
        g.when(
            admin(),
            DialogCommand::Reassign {
                to: as_assignee(manager(2)),
                target_active: false
            }
        ),
        Err(DomainError::InvalidAssignee)
    );
    assert_eq!(g.when(admin(), reassign_to(m1)).unwrap(), vec![]);
    let bot = Principal::Bot { id: id(77) };
    assert!(g.when(admin(), reassign_to(bot)).is_ok());
}

// ---- R3 writing ----

#[test]
fn r3_a_manager_writing_into_an_unassigned_dialog_becomes_responsible() {
    let m1 = manager(1);
    let events = Given::opened().when(m1, send(200, "hi")).unwrap();
    assert_eq!(
        events[0],
        DialogEvent::Reassigned {
            from: None,
            to: as_assignee(m1)
        }
    );
    assert!(matches!(&events[1], DialogEvent::MessageSent { text, .. } if text == "hi"));
}

#[test]
fn r3_admins_write_without_taking_the_dialog() {
    let events = Given::opened().when(chat_admin(), send(200, "hi")).unwrap();
    assert_eq!(events.len(), 1);
    assert!(matches!(events[0], DialogEvent::MessageSent { .. }));
}

fn viewer_of_all(n: u128) -> Principal {
    Principal::User {
        id: id(100 + n),
        role: Role::Manager,
        rights: Rights::NONE.with(crate::actor::Right::DialogsViewAll),
    }
}

#[test]
fn r3_only_the_responsible_writes() {
    let (m1, m2) = (manager(1), manager(2));
    let g = Given::opened().then(admin(), reassign_to(m1));
    assert!(g.when(m1, send(200, "hi")).is_ok());
    // R32: m2 cannot see m1's dialog, so is not told it exists; a manager who sees every
    // dialog sees it but may not write into it.
    assert_eq!(g.when(m2, send(200, "hi")), Err(DomainError::NotFound));
    assert_eq!(
        g.when(viewer_of_all(3), send(200, "hi")),
        Err(DomainError::NotResponsible)
    );
    assert_eq!(
        g.when(auditor(), send(200, "hi")),
        Err(DomainError::Forbidden)
    );
}

#[test]
fn r3_a_bot_writes_only_into_dialogs_assigned_to_it() {
    let bot = Principal::Bot { id: id(77) };
    let g = Given::opened();
    assert_eq!(
        g.when(bot, send(200, "hi")),
        Err(DomainError::NotResponsible)
    );
    let g = g.then(admin(), reassign_to(bot));
    let events = g.when(bot, send(200, "hi")).unwrap();
    assert!(matches!(
        events[0],
        DialogEvent::MessageSent {
            author: Actor::Bot { .. },
            ..
        }
    ));
}

// ---- R4 close / reopen ----

#[test]
fn r4_close_by_responsible_or_admins_and_reclose_is_a_no_op() {
    let (m1, m2) = (manager(1), manager(2));
    let g = Given::opened().then(admin(), reassign_to(m1));
    assert_eq!(
        g.when(m1, DialogCommand::Close).unwrap(),
        vec![DialogEvent::DialogClosed {}]
    );
    assert!(g.when(chat_admin(), DialogCommand::Close).is_ok());
    assert_eq!(g.when(m2, DialogCommand::Close), Err(DomainError::NotFound));
    let g = g.then(m1, DialogCommand::Close);
    assert_eq!(g.when(m1, DialogCommand::Close).unwrap(), vec![]);
}

#[test]
fn r4_a_customer_message_reopens_a_closed_dialog() {
    let g = Given::opened()
        .then(admin(), DialogCommand::Close)
        .then(transport(), inbound("m2", "again"));
    assert_eq!(g.0.status, DialogStatus::Open);
    let g = Given::opened().then(admin(), DialogCommand::Close);
    let events = g.when(transport(), inbound("m2", "again")).unwrap();
    assert_eq!(events[0], DialogEvent::DialogReopened {});
}

#[test]
fn r4_a_manager_message_reopens_a_closed_dialog() {
    let m1 = manager(1);
    let g = Given::opened()
        .then(admin(), reassign_to(m1))
        .then(m1, DialogCommand::Close);
    let events = g.when(m1, send(200, "re-initiating")).unwrap();
    assert_eq!(events[0], DialogEvent::DialogReopened {});
}

// ---- R5 unread per user ----

#[test]
fn r5_unread_counts_customer_messages_after_each_users_marker() {
    let (m1, m2) = (manager(1), manager(2));
    let g = Given::opened()
        .then(transport(), inbound("m2", "two"))
        .then(m1, DialogCommand::MarkRead)
        .then(transport(), inbound("m3", "three"));
    assert_eq!(g.0.unread_count(m1.user_id().unwrap()), 1);
    assert_eq!(g.0.unread_count(m2.user_id().unwrap()), 3);
}

#[test]
fn r5_mark_unread_is_for_that_user_only_and_reading_clears_it() {
    let (m1, m2) = (manager(1), manager(2));
    let g = Given::opened()
        .then(m1, DialogCommand::MarkRead)
        .then(m2, DialogCommand::MarkRead)
        .then(m1, DialogCommand::MarkUnread);
    assert!(g.0.marked_unread.contains(&m1.user_id().unwrap()));
    assert!(!g.0.marked_unread.contains(&m2.user_id().unwrap()));
    assert_eq!(g.when(m1, DialogCommand::MarkUnread).unwrap(), vec![]);
    assert_eq!(g.when(m2, DialogCommand::MarkRead).unwrap(), vec![]);
    let g = g.then(m1, DialogCommand::MarkRead);
    assert!(g.0.marked_unread.is_empty());
}

// ---- R6 block ----

#[test]
fn r6_a_blocked_customer_can_neither_write_nor_be_written_to() {
    let g = Given::opened();
    let mut blocked_in = inbound("m2", "hi");
    if let DialogCommand::Receive(m) = &mut blocked_in {
        m.customer_blocked = true;
    }
    assert_eq!(
        g.when(transport(), blocked_in),
        Err(DomainError::CustomerBlocked)
    );
    let mut out = outgoing(200, "hi");
    out.customer_blocked = true;
    assert_eq!(
        g.when(admin(), DialogCommand::Send(Box::new(out))),
        Err(DomainError::CustomerBlocked)
    );
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

#[test]
fn r7_size_limits_follow_the_seeds_table_per_channel_and_kind() {
    let g = Given::opened();
    let nine = 9 * MB;
    assert_eq!(
        g.when(
            admin(),
            send_with(
                ChannelType::Facebook,
                vec![attachment(AttachmentKind::Image, nine)]
            )
        ),
        Err(DomainError::AttachmentTooLarge {
            kind: AttachmentKind::Image,
            size: nine,
            limit: 8 * MB
        })
    );
    assert!(g
        .when(
            admin(),
            send_with(
                ChannelType::Telegram,
                vec![attachment(AttachmentKind::Image, nine)]
            )
        )
        .is_ok());
    assert_eq!(
        g.when(
            admin(),
            send_with(
                ChannelType::WhatsappBusiness,
                vec![attachment(AttachmentKind::Audio, 17 * MB)]
            )
        ),
        Err(DomainError::AttachmentTooLarge {
            kind: AttachmentKind::Audio,
            size: 17 * MB,
            limit: 16 * MB
        })
    );
    assert!(g
        .when(
            admin(),
            send_with(
                ChannelType::WhatsappQr,
                vec![attachment(AttachmentKind::File, 100 * MB)]
            )
        )
        .is_ok());
}

#[test]
fn r7_r20_a_kind_the_channel_cannot_carry_is_unsupported() {
    let g = Given::opened();
    assert!(matches!(
        g.when(
            admin(),
            send_with(
                ChannelType::Instagram,
                vec![attachment(AttachmentKind::Video, 1)]
            )
        ),
        Err(DomainError::UnsupportedByChannel { .. })
    ));
}

#[test]
fn r7_at_most_ten_attachments() {
    let g = Given::opened();
    let ten = vec![attachment(AttachmentKind::File, 1); 10];
    let eleven = vec![attachment(AttachmentKind::File, 1); 11];
    assert!(g.when(admin(), send_with(ChannelType::Custom, ten)).is_ok());
    assert_eq!(
        g.when(admin(), send_with(ChannelType::Custom, eleven)),
        Err(DomainError::TooManyAttachments { max: 10 })
    );
}

// ---- R8 text ----

#[test]
fn r8_text_of_2000_characters_passes_and_2001_is_refused() {
    let g = Given::opened();
    // Multi-byte characters: the limit counts characters, not bytes.
    let ok: String = "я".repeat(2000);
    let long: String = "я".repeat(2001);
    assert!(g.when(admin(), send(200, &ok)).is_ok());
    assert_eq!(
        g.when(admin(), send(200, &long)),
        Err(DomainError::TextTooLong { max: 2000 })
    );
}

#[test]
fn r8_empty_text_without_attachments_is_refused() {
    let g = Given::opened();
    assert_eq!(
        g.when(admin(), send(200, "")),
        Err(DomainError::EmptyMessage)
    );
    assert!(g
        .when(
            admin(),
            send_with(
                ChannelType::Custom,
                vec![attachment(AttachmentKind::File, 1)]
            )
        )
        .is_ok());
}

#[test]
fn r20_a_channels_shorter_text_limit_is_unsupported() {
    let g = Given::opened();
    let mut m = outgoing(200, &"a".repeat(101));
    m.channel.capabilities.text_max_len = 100;
    assert!(matches!(
        g.when(admin(), DialogCommand::Send(Box::new(m))),
        Err(DomainError::UnsupportedByChannel { .. })
    ));
}

// ---- R9 quote ----

#[test]
fn r9_a_quote_embeds_the_quoted_text_and_author() {
    let g = Given::opened();
    let quoted = g.0.external_ids["m1"];
    let mut m = outgoing(200, "answer");
    m.quote_message_id = Some(quoted);
    let events = g.when(admin(), DialogCommand::Send(Box::new(m))).unwrap();
    let DialogEvent::MessageSent { quote: Some(q), .. } = &events[0] else {
        panic!("expected a quoted message, got {events:?}")
    };
    assert_eq!(q.text, "hello");
    assert_eq!(q.author, Actor::Customer { id: Some(id(60)) });
}

#[test]
fn r9_a_quote_of_a_message_from_elsewhere_is_refused() {
    let mut m = outgoing(200, "answer");
    m.quote_message_id = Some(id(12345));
    assert_eq!(
        Given::opened().when(admin(), DialogCommand::Send(Box::new(m))),
        Err(DomainError::QuoteNotFound)
    );
}

// ---- R11 drafts ----

#[test]
fn r11_drafts_are_per_user_and_sending_clears_the_authors_draft() {
    let m1 = manager(1);
    let g = Given::opened()
        .then(admin(), reassign_to(m1))
        .then(
            m1,
            DialogCommand::SaveDraft {
                text: "half a thought".into(),
            },
        )
        .then(
            chat_admin(),
            DialogCommand::SaveDraft {
                text: "admin's".into(),
            },
        );
    assert_eq!(g.0.drafts.len(), 2);
    let events = g.when(m1, send(200, "whole thought")).unwrap();
    assert_eq!(
        events.last(),
        Some(&DialogEvent::DraftCleared {
            user_id: m1.user_id().unwrap()
        })
    );
    let g = g.then(m1, send(200, "whole thought"));
    assert_eq!(g.0.drafts.len(), 1);
    assert_eq!(
        g.when(m1, DialogCommand::SaveDraft { text: "".into() })
            .unwrap(),
        vec![]
    );
}

// ---- R12 pin / unpin ----

#[test]
fn r12_unpin_removes_the_link_and_pin_restores_it() {
    let g = Given::opened().then(admin(), DialogCommand::UnpinCustomer);
    assert_eq!(g.0.customer_id, None);
    assert_eq!(
        g.when(admin(), DialogCommand::UnpinCustomer),
        Err(DomainError::CustomerNotPinned)
    );
    let g = g.then(
        admin(),
        DialogCommand::PinCustomer {
            customer_id: id(61),
        },
    );
    assert_eq!(g.0.customer_id, Some(id(61)));
    assert_eq!(
        g.when(
            admin(),
            DialogCommand::PinCustomer {
                customer_id: id(62)
            }
        ),
        Err(DomainError::CustomerAlreadyPinned)
    );
}

// ---- R13 delete ----

#[test]
fn r13_deleting_needs_the_right_and_hides_the_dialog_from_everyone() {
    let g = Given::opened();
    assert_eq!(
        g.when(chat_admin(), DialogCommand::Delete),
        Err(DomainError::MissingRight(Right::DialogsDelete))
    );
    let deleter = Principal::User {
        id: id(903),
        role: Role::ChatAdmin,
        rights: Rights::NONE.with(Right::DialogsDelete),
    };
    assert_eq!(
        g.when(deleter, DialogCommand::Delete).unwrap(),
        vec![DialogEvent::DialogDeleted {}]
    );
    let g = g.then(admin(), DialogCommand::Delete);
    assert!(!g.0.is_visible_to(&admin()));
    assert_eq!(g.when(admin(), send(200, "x")), Err(DomainError::NotFound));
    assert_eq!(
        g.when(transport(), inbound("m9", "x")),
        Err(DomainError::DialogDeleted)
    );
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

#[test]
fn r14_statuses_move_forward_only() {
    let g = Given::opened()
        .then(admin(), send(200, "hi"))
        .then(transport(), status(200, MessageStatus::Sent))
        .then(transport(), status(200, MessageStatus::Read));
    assert_eq!(g.0.messages[&id(200)].status, Some(MessageStatus::Read));
    assert_eq!(
        g.when(transport(), status(200, MessageStatus::Delivered))
            .unwrap(),
        vec![]
    );
    assert_eq!(
        g.when(transport(), status(200, MessageStatus::Failed))
            .unwrap(),
        vec![]
    );
}

#[test]
fn r14_failure_carries_an_error_and_is_terminal() {
    let g = Given::opened().then(admin(), send(200, "hi"));
    let events = g
        .when(transport(), status(200, MessageStatus::Failed))
        .unwrap();
    assert!(matches!(
        &events[0],
        DialogEvent::MessageStatusChanged {
            error: Some(_),
            status: MessageStatus::Failed,
            ..
        }
    ));
    let g = g.then(transport(), status(200, MessageStatus::Failed));
    assert_eq!(
        g.when(transport(), status(200, MessageStatus::Sent))
            .unwrap(),
        vec![]
    );
}

#[test]
fn r14_a_status_the_channel_does_not_report_is_refused() {
    let g = Given::opened().then(admin(), send(200, "hi"));
    let cmd = DialogCommand::RecordStatus {
        message_id: id(200),
        status: MessageStatus::Delivered,
        error: None,
        external_message_id: None,
        channel: profile(ChannelType::Telegram),
    };
    assert!(matches!(
        g.when(transport(), cmd),
        Err(DomainError::UnsupportedByChannel { .. })
    ));
    assert_eq!(
        g.when(chat_admin(), status(200, MessageStatus::Sent)),
        Err(DomainError::Forbidden)
    );
}

#[test]
fn r14_read_until_marks_every_earlier_outgoing_message_read() {
    let g = Given::opened()
        .then(admin(), send(200, "a"))
        .then(admin(), send(201, "b"));
    let events = g
        .when(
            transport(),
            DialogCommand::ReadUntil {
                until: T0,
                channel: profile(ChannelType::Custom),
            },
        )
        .unwrap();
    assert_eq!(events.len(), 2);
}

#[test]
fn r14_sending_into_a_dialog_you_no_longer_hold_is_refused() {
    let (m1, m2) = (manager(1), manager(2));
    let g = Given::opened()
        .then(admin(), reassign_to(m1))
        .then(m1, reassign_to(m2));
    // R32: the dialog is gone from m1's sight, so 404 rather than 403.
    assert_eq!(g.when(m1, send(200, "x")), Err(DomainError::NotFound));
    // One who still sees it (dialogs.view_all) but no longer holds it: not_responsible.
    let g = Given::opened()
        .then(admin(), reassign_to(viewer_of_all(1)))
        .then(viewer_of_all(1), reassign_to(m2));
    assert_eq!(
        g.when(viewer_of_all(1), send(200, "x")),
        Err(DomainError::NotResponsible)
    );
}

#[test]
fn r32_customers_and_files_are_seen_through_their_dialogs() {
    let (m1, m2) = (manager(1), manager(2));
    let of = |r: Option<Principal>, deleted: bool| Sight {
        responsible: r.map(as_assignee),
        channel_id: chan(),
        deleted,
    };
    // A customer whose only dialog is m1's: m1 sees it, m2 does not, admins do.
    let held = [of(Some(m1), false)];
    assert!(customer_visible(&m1, held));
    assert!(!customer_visible(&m2, held));
    assert!(customer_visible(&admin(), held));
    assert!(customer_visible(&viewer_of_all(3), held));
    assert!(customer_visible(&admin(), []));
    assert!(!customer_visible(&m1, []));
    // An unassigned dialog is every manager's; a deleted one nobody's.
    assert!(customer_visible(&m2, [of(None, false)]));
    assert!(!customer_visible(&m2, [of(None, true)]));
    assert!(!customer_visible(&m1, [of(Some(m1), true)]));
    assert!(customer_visible(&transport(), [of(None, false)]));
    // Files: the uploader until the file is attached; then only through the dialogs.
    assert!(file_visible(&m2, true, &[]));
    assert!(!file_visible(&m1, false, &[]));
    assert!(!file_visible(&m2, true, &held));
    assert!(file_visible(&m1, false, &held));
    assert!(!file_visible(&m1, true, &[of(Some(m1), true)]));
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn any_status() -> impl Strategy<Value = MessageStatus> {
        prop_oneof![
            Just(MessageStatus::Sent),
            Just(MessageStatus::Delivered),
            Just(MessageStatus::Read),
            Just(MessageStatus::Failed),
        ]
    }

    fn rank(s: MessageStatus) -> u8 {
        match s {
            MessageStatus::Queued => 0,
            MessageStatus::Sent => 1,
            MessageStatus::Delivered => 2,
            MessageStatus::Read => 3,
            MessageStatus::Failed => 9,
        }
    }

    proptest! {
        /// R14: whatever order reports arrive in, a status never moves back, and once
        /// delivered it never becomes failed.
        #[test]
        fn statuses_never_move_backwards(reports in proptest::collection::vec(any_status(), 0..12)) {
            let mut g = Given::opened().then(admin(), send(200, "hi"));
            let mut last = MessageStatus::Queued;
            for r in reports {
                g = g.then(transport(), status(200, r));
                let now = g.0.messages[&id(200)].status.unwrap();
                prop_assert!(rank(now) >= rank(last));
                if matches!(last, MessageStatus::Delivered | MessageStatus::Read) {
                    prop_assert_ne!(now, MessageStatus::Failed);
                }
                last = now;
            }
        }
    }
}

#[test]
fn r18_the_distribution_bot_assigns_unassigned_and_unavailable_managers_dialogs_only() {
    let bot = Principal::Bot { id: id(0xb1) };
    let (m1, m2) = (manager(1), manager(2));
    let user = |p: Principal| p.user_id().unwrap();
    let distribute_from = |from: Option<Principal>, p: Principal| DialogCommand::Distribute {
        to: user(p),
        from: from.map(user),
        target_active: true,
    };
    let distribute = |p: Principal| distribute_from(None, p);
    let g = Given::opened();
    assert_eq!(
        g.when(bot, distribute(m1)).unwrap(),
        vec![DialogEvent::Reassigned {
            from: None,
            to: as_assignee(m1)
        }]
    );
    // From a manager who became unavailable to another.
    let g = g.then(bot, distribute(m1));
    assert_eq!(
        g.when(bot, distribute_from(Some(m1), m2)).unwrap(),
        vec![DialogEvent::Reassigned {
            from: Some(as_assignee(m1)),
            to: as_assignee(m2)
        }]
    );
    // Acting on a stale view (it was unassigned when the bot looked) changes nothing: a
    // dialog is never distributed twice.
    assert_eq!(g.when(bot, distribute(m2)).unwrap(), vec![]);
    assert_eq!(g.when(bot, distribute_from(Some(m1), m1)).unwrap(), vec![]);
    // Only a bot distributes; never to an inactive user; never a dialog another bot holds.
    assert_eq!(g.when(admin(), distribute(m2)), Err(DomainError::Forbidden));
    assert_eq!(
        g.when(
            bot,
            DialogCommand::Distribute {
                to: user(m2),
                from: Some(user(m1)),
                target_active: false
            }
        ),
        Err(DomainError::InvalidAssignee)
    );
    let held = Given::opened().then(
        admin(),
        DialogCommand::Reassign {
            to: Assignee::Bot { id: id(0xb2) },
            target_active: true,
        },
    );
    assert_eq!(
        held.when(bot, distribute(m1)),
        Err(DomainError::NotResponsible)
    );
}
