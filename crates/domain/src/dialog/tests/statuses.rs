//! R14 statuses, R18 distribution and R32 visibility of what is reached through a dialog.

use super::*;

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

#[test]
fn r32_responsibles_seen_is_visible_turned_around() {
    let bot = |n: u128| Principal::Bot { id: id(n) };
    let principals = [
        manager(1),
        manager(2),
        admin(),
        chat_admin(),
        auditor(),
        viewer_of_all(3),
        transport(),
        bot(7),
        bot(8),
        Principal::System,
    ];
    let responsibles = [
        None,
        Some(as_assignee(manager(1))),
        Some(as_assignee(manager(2))),
        Some(as_assignee(viewer_of_all(3))),
        Some(Assignee::Bot { id: id(7) }),
    ];
    for p in &principals {
        let seen = responsibles_seen(p);
        for r in responsibles {
            let listed = seen.as_ref().is_none_or(|only| only.contains(&r));
            assert_eq!(listed, visible(r, false, p), "{p:?} and {r:?}");
        }
    }
}
