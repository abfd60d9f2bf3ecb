//! R1: ids derived from the integration's own ids (UUID v5), so that a retried or concurrent
//! duplicate meets the first attempt on the same streams and optimistic concurrency serialises
//! them. Deterministic, so still pure; the names are part of the stored data and never change.

use crate::ids::{ChannelId, CustomerId, DialogId, MessageId, OrderId, UserId};
use uuid::Uuid;

fn derived(kind: &str, channel: ChannelId, parts: &[&str]) -> Uuid {
    let mut name = format!("chatd:{kind}:{channel}");
    for p in parts {
        name.push(':');
        name.push_str(p);
    }
    Uuid::new_v5(&Uuid::NAMESPACE_OID, name.as_bytes())
}

/// The customer behind a channel's external contact.
pub fn customer_of(channel: ChannelId, external_id: &str) -> CustomerId {
    derived("customer", channel, &[external_id]).into()
}

/// R35: the customer behind an external contact after `generation` erasures of earlier
/// customers of the same contact; generation 0 is [`customer_of`].
pub fn customer_generation(channel: ChannelId, external_id: &str, generation: u32) -> CustomerId {
    match generation {
        0 => customer_of(channel, external_id),
        g => derived("customer", channel, &[external_id, &g.to_string()]).into(),
    }
}

/// The message a channel knows as `external_id`.
pub fn message_of(channel: ChannelId, external_id: &str) -> MessageId {
    derived("message", channel, &[external_id]).into()
}

/// The dialog of an external chat; the generation moves on when a dialog is deleted, so the
/// chat's next message opens a new one.
pub fn dialog_of(channel: ChannelId, external_chat_id: &str, generation: u32) -> DialogId {
    derived(
        "dialog",
        channel,
        &[external_chat_id, &generation.to_string()],
    )
    .into()
}

/// R18: the one order created for a dialog, however often the bot retries.
pub fn order_of(dialog: DialogId) -> OrderId {
    Uuid::new_v5(
        &Uuid::NAMESPACE_OID,
        format!("chatd:order:{dialog}").as_bytes(),
    )
    .into()
}

/// R27: the mention of `user` in `note`.
pub fn mention_of(note: crate::ids::NoteId, user: UserId) -> crate::ids::MentionId {
    Uuid::new_v5(
        &Uuid::NAMESPACE_OID,
        format!("chatd:mention:{note}:{user}").as_bytes(),
    )
    .into()
}

/// A user by login (the bootstrap admin and offline user commands).
pub fn user_of(login: &str) -> UserId {
    Uuid::new_v5(
        &Uuid::NAMESPACE_OID,
        format!("chatd:user:{login}").as_bytes(),
    )
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The derivations are stored data: these values must never change.
    #[test]
    fn derived_ids_are_stable() {
        let channel = ChannelId::from(Uuid::nil());
        let name = |s: &str| Uuid::new_v5(&Uuid::NAMESPACE_OID, s.as_bytes());
        let c = "00000000-0000-0000-0000-000000000000";
        assert_eq!(
            customer_of(channel, "42").0,
            name(&format!("chatd:customer:{c}:42"))
        );
        assert_eq!(
            message_of(channel, "m").0,
            name(&format!("chatd:message:{c}:m"))
        );
        assert_eq!(
            dialog_of(channel, "chat", 3).0,
            name(&format!("chatd:dialog:{c}:chat:3"))
        );
        let d = DialogId::from(Uuid::nil());
        assert_eq!(order_of(d).0, name(&format!("chatd:order:{c}")));
        assert_eq!(user_of("admin").0, name("chatd:user:admin"));
        assert_ne!(dialog_of(channel, "chat", 0), dialog_of(channel, "chat", 1));
    }
}
