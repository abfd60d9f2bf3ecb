//! R21–R23: edits, deletions and reactions, both directions.

use super::*;
use crate::actor::Actor;

fn livechat() -> ChannelProfile {
    profile(ChannelType::Livechat)
}
fn edit(n: u128, text: &str, channel: ChannelProfile) -> DialogCommand {
    DialogCommand::Edit {
        message_id: id(n),
        text: text.into(),
        channel,
    }
}
fn delete(n: u128, channel: ChannelProfile) -> DialogCommand {
    DialogCommand::DeleteMessage {
        message_id: id(n),
        channel,
    }
}
fn react(n: u128, emoji: Option<&str>, channel: ChannelProfile) -> DialogCommand {
    DialogCommand::React {
        message_id: id(n),
        emoji: emoji.map(str::to_owned),
        channel,
    }
}
fn customers_message() -> MessageId {
    MessageId(Uuid::new_v5(&Uuid::NAMESPACE_OID, b"m1"))
}
fn at(
    g: &Given,
    by: Principal,
    secs: i64,
    body: DialogCommand,
) -> Result<Vec<DialogEvent>, DomainError> {
    decide(
        &g.0,
        &Command {
            by,
            at: T0 + time::Duration::seconds(secs),
            body,
        },
    )
}

#[test]
fn r21_the_author_edits_and_the_same_text_changes_nothing() {
    let m1 = manager(1);
    let g = Given::opened().then(m1, send(200, "The price is 14 EUR"));
    assert_eq!(
        g.when(m1, edit(200, "The price is 41 EUR", livechat())),
        Ok(vec![DialogEvent::MessageEdited {
            message_id: id(200),
            text: "The price is 41 EUR".into()
        }])
    );
    let g = g.then(m1, edit(200, "The price is 41 EUR", livechat()));
    assert_eq!(g.0.messages[&id(200)].text, "The price is 41 EUR");
    assert_eq!(
        g.when(m1, edit(200, "The price is 41 EUR", livechat())),
        Ok(vec![])
    );
    // chat_admin may edit what someone else wrote; a colleague may not.
    assert!(g.when(chat_admin(), edit(200, "x", livechat())).is_ok());
    assert_eq!(
        g.when(viewer_of_all(2), edit(200, "x", livechat())),
        Err(DomainError::NotAuthor)
    );
}

#[test]
fn r21_refusals_capability_window_length_customer_messages_and_unknown_ids() {
    let m1 = manager(1);
    let g = Given::opened().then(m1, send(200, "hi"));
    assert!(matches!(
        g.when(m1, edit(200, "x", profile(ChannelType::Instagram))),
        Err(DomainError::UnsupportedByChannel { .. })
    ));
    // WhatsApp: fifteen minutes.
    let wa = profile(ChannelType::WhatsappBusiness);
    assert!(at(&g, m1, 15 * 60, edit(200, "x", wa.clone())).is_ok());
    assert_eq!(
        at(&g, m1, 15 * 60 + 1, edit(200, "x", wa)),
        Err(DomainError::EditWindowPassed { seconds: 900 })
    );
    assert_eq!(
        g.when(m1, edit(200, &"x".repeat(2001), livechat())),
        Err(DomainError::TextTooLong { max: 2000 })
    );
    assert_eq!(
        g.when(m1, edit(200, " ", livechat())),
        Err(DomainError::EmptyMessage)
    );
    assert_eq!(
        g.when(
            m1,
            DialogCommand::Edit {
                message_id: customers_message(),
                text: "x".into(),
                channel: livechat()
            }
        ),
        Err(DomainError::NotAuthor)
    );
    assert_eq!(
        g.when(m1, edit(999, "x", livechat())),
        Err(DomainError::NotFound)
    );
    assert_eq!(
        g.when(auditor(), edit(200, "x", livechat())),
        Err(DomainError::Forbidden)
    );
}

#[test]
fn r21_the_integration_reports_the_customers_edit_outside_any_window_but_not_ours() {
    let m1 = manager(1);
    let g = Given::opened().then(m1, send(200, "hi"));
    let wa = profile(ChannelType::WhatsappBusiness);
    let customers = DialogCommand::Edit {
        message_id: customers_message(),
        text: "hello!".into(),
        channel: wa.clone(),
    };
    assert_eq!(at(&g, transport(), 3600, customers).map(|e| e.len()), Ok(1));
    assert_eq!(
        g.when(transport(), edit(200, "x", wa)),
        Err(DomainError::NotAuthor)
    );
}

#[test]
fn r22_deleted_messages_cannot_be_edited_or_reacted_to_and_deleting_twice_is_nothing() {
    let m1 = manager(1);
    let g = Given::opened().then(m1, send(200, "oops"));
    let mut keeps = livechat();
    keeps.capabilities.deleting = false;
    assert!(matches!(
        g.when(m1, delete(200, keeps)),
        Err(DomainError::UnsupportedByChannel { .. })
    ));
    let g = g.then(m1, delete(200, livechat()));
    let m = &g.0.messages[&id(200)];
    assert!(m.deleted && m.text.is_empty());
    assert_eq!(g.when(m1, delete(200, livechat())), Ok(vec![]));
    assert_eq!(
        g.when(m1, edit(200, "x", livechat())),
        Err(DomainError::MessageDeleted)
    );
    assert_eq!(
        g.when(m1, react(200, Some("👍"), livechat())),
        Err(DomainError::MessageDeleted)
    );
    // A deleted message is not quoted any more.
    let mut quoting = outgoing(201, "see above");
    quoting.quote_message_id = Some(id(200));
    assert_eq!(
        g.when(m1, DialogCommand::Send(Box::new(quoting))),
        Err(DomainError::QuoteNotFound)
    );
    // The customer's deletion, as reported.
    let g = g.then(
        transport(),
        DialogCommand::DeleteMessage {
            message_id: customers_message(),
            channel: livechat(),
        },
    );
    assert!(g.0.messages[&customers_message()].deleted);
}

#[test]
fn r23_one_reaction_per_actor_set_replaced_and_cleared() {
    // R3: a reaction reaches the customer, so who only views all dialogs may not react.
    let (m1, m2) = (manager(1), chat_admin());
    let g = Given::opened().then(m1, send(200, "hi"));
    assert_eq!(
        g.when(viewer_of_all(2), react(200, Some("🔥"), livechat())),
        Err(DomainError::NotResponsible)
    );
    let g = g
        .then(m1, react(200, Some("👍"), livechat()))
        .then(m2, react(200, Some("🔥"), livechat()))
        .then(transport(), react(200, Some("❤"), livechat()))
        .then(m1, react(200, Some("🎉"), livechat()));
    let mut got = g.0.messages[&id(200)].reactions.clone();
    got.sort_by_key(|(_, e)| e.clone());
    assert_eq!(got.len(), 3);
    assert!(got.contains(&(m1.actor(), "🎉".into())));
    assert!(got.contains(&(Actor::Customer { id: Some(id(60)) }, "❤".into())));
    assert_eq!(g.when(m1, react(200, Some("🎉"), livechat())), Ok(vec![]));
    let g = g.then(m1, react(200, None, livechat()));
    assert_eq!(g.0.messages[&id(200)].reactions.len(), 2);
    assert_eq!(g.when(m1, react(200, None, livechat())), Ok(vec![]));
}

#[test]
fn r23_the_channel_decides_which_emoji_travel() {
    let m1 = manager(1);
    let g = Given::opened().then(m1, send(200, "hi"));
    let ig = profile(ChannelType::Instagram);
    assert!(g.when(m1, react(200, Some("❤️"), ig.clone())).is_ok());
    assert!(matches!(
        g.when(m1, react(200, Some("👍"), ig)),
        Err(DomainError::UnsupportedByChannel { .. })
    ));
    let mut none = livechat();
    none.capabilities.reactions = false;
    assert!(matches!(
        g.when(m1, react(200, Some("👍"), none)),
        Err(DomainError::UnsupportedByChannel { .. })
    ));
    assert!(matches!(
        g.when(m1, react(200, Some("ok"), livechat())),
        Err(DomainError::Invalid { .. })
    ));
}

#[test]
fn r21_to_r23_leave_statuses_and_unread_alone() {
    let m1 = manager(1);
    let g = Given::opened()
        .then(m1, send(200, "hi"))
        .then(transport(), status(200, MessageStatus::Delivered))
        .then(m1, edit(200, "hello", livechat()))
        .then(
            transport(),
            DialogCommand::Edit {
                message_id: customers_message(),
                text: "hey".into(),
                channel: livechat(),
            },
        );
    assert_eq!(
        g.0.messages[&id(200)].status,
        Some(MessageStatus::Delivered)
    );
    assert_eq!(g.0.inbound_count, 1);
    assert_eq!(g.0.unread_count(m1.user_id().unwrap()), 1);
}
