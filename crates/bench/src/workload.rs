//! Realistic events for the benchmarks: what a busy dialog's stream holds.

use chatd_domain::dialog::DialogEvent;
use chatd_domain::{Actor, Assignee, EventMeta, MessageId, UserId};
use chatd_projections::privacy::{DataKey, Keyring, Lookup};
use chatd_projections::{new_event, new_sealed_event};
use chatd_store::keys::StoredKey;
use chatd_store::NewEvent;
use time::OffsetDateTime;
use uuid::Uuid;

pub const TEXT: &str = "Hello! I ordered the blue kettle on Monday and it has not arrived yet. \
Could you tell me where it is?";

fn meta(actor: Actor) -> EventMeta {
    EventMeta {
        at: OffsetDateTime::now_utc(),
        actor,
    }
}

/// One inbound customer message (~400 bytes stored), the most common event there is.
pub fn message(n: u64) -> NewEvent {
    new_event(
        Uuid::new_v4(),
        &meta(Actor::Channel {
            id: Uuid::new_v4().into(),
        }),
        &received(n),
    )
}

/// The customer's message number `n`.
fn received(n: u64) -> DialogEvent {
    DialogEvent::MessageReceived {
        message_id: MessageId(Uuid::new_v4()),
        external_id: format!("wamid.{n:020}"),
        author: Actor::Customer {
            id: Some(Uuid::new_v4().into()),
        },
        text: TEXT.into(),
        attachments: vec![],
        quote: None,
        sent_at: OffsetDateTime::now_utc(),
    }
}

/// A whole dialog's history: opened, then messages both ways, a reassignment, reads, a close.
pub fn dialog_history(dialog: Uuid, len: usize) -> Vec<NewEvent> {
    history(dialog, len, None)
}

/// R35: the same history as chatd writes it today, every personal string sealed under the key
/// of the customer who opened the dialog (made in `keys`, which must have a master key).
pub fn sealed_dialog_history(dialog: Uuid, len: usize, keys: &Keyring) -> Vec<NewEvent> {
    let customer = Uuid::new_v4();
    let wrapped = keys.fresh_wrapped(customer).expect("a sealing keyring");
    let Lookup::Live(key) = keys
        .learn(customer, &StoredKey::Live(wrapped))
        .expect("its own key")
    else {
        unreachable!("a live key was learnt")
    };
    history(dialog, len, Some((customer, &key)))
}

fn history(dialog: Uuid, len: usize, sealed: Option<(Uuid, &DataKey)>) -> Vec<NewEvent> {
    let encode = |meta: &EventMeta, e: &DialogEvent| match sealed {
        Some((customer, key)) => new_sealed_event(Uuid::new_v4(), meta, e, customer, key),
        None => new_event(Uuid::new_v4(), meta, e),
    };
    let manager: UserId = Uuid::new_v4().into();
    let channel = Uuid::new_v4().into();
    let mut out = Vec::with_capacity(len);
    out.push(encode(
        &meta(Actor::Channel { id: channel }),
        &DialogEvent::DialogOpened {
            dialog_id: dialog.into(),
            channel_id: channel,
            external_chat_id: format!("chat-{dialog}"),
            customer_id: Some(sealed.map_or_else(Uuid::new_v4, |(c, _)| c).into()),
        },
    ));
    let mut i = 0u64;
    while out.len() < len {
        i += 1;
        let e = match i % 5 {
            1 => received(i),
            2 => DialogEvent::Reassigned {
                from: None,
                to: Assignee::User { id: manager },
            },
            3 => DialogEvent::MessageSent {
                message_id: MessageId(Uuid::new_v4()),
                author: Actor::User { id: manager },
                text: "Let me check that for you.".into(),
                attachments: vec![],
                quote: None,
                template: None,
            },
            4 => DialogEvent::DialogRead {
                user_id: manager,
                inbound_seen: i,
            },
            _ => DialogEvent::DraftSaved {
                user_id: manager,
                text: "typing…".into(),
            },
        };
        // A customer's message comes in through the channel's transport.
        let by = match e {
            DialogEvent::MessageReceived { .. } => Actor::Channel { id: channel },
            _ => Actor::User { id: manager },
        };
        out.push(encode(&meta(by), &e));
    }
    out
}
