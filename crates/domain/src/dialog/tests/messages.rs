//! R5–R13 and R20: unread state, blocking, attachments, text, quotes, drafts, pinning, deletion.

use super::*;

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
