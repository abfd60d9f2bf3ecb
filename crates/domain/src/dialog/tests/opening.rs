//! R1–R4: opening, reassignment, writing, closing and reopening.

use super::*;

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

// ---- R35 erasure ----

#[test]
fn r35_a_dialog_opened_by_an_erased_customer_takes_no_message_from_their_contact() {
    use crate::aggregate::Aggregate;
    let g = Given::opened();
    // Sealed under the key of the customer who opened it, whoever is pinned later.
    assert_eq!(g.0.data_subject(&[]), Some(Uuid::from_u128(60)));
    let g = g.then(chat_admin(), DialogCommand::UnpinCustomer);
    assert_eq!(g.0.data_subject(&[]), Some(Uuid::from_u128(60)));
    // The same contact writes after their customer was erased: the next generation opens.
    let DialogCommand::Receive(mut m) = inbound("m9", "hello again") else {
        unreachable!()
    };
    m.erased_customers = vec![id(60)];
    assert_eq!(
        Given::opened().when(transport(), DialogCommand::Receive(m)),
        Err(DomainError::DialogDeleted)
    );
    // Everything said in it is personal; a read is not.
    let mut said = Given(Dialog::default())
        .when(transport(), inbound("m1", "my address"))
        .unwrap();
    let mut seen = Vec::new();
    for e in &mut said {
        crate::event::DomainEvent::personal_mut(e, &mut |s| seen.push(s.clone()));
    }
    assert_eq!(seen, vec!["chat-1", "my address"]);
}
