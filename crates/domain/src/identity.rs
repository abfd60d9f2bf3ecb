//! R1: ids derived from the integration's own ids (UUID v5), so that a retried or concurrent
//! duplicate meets the first attempt on the same streams and optimistic concurrency serialises
//! them. Deterministic, so still pure; the names are part of the stored data and never change.

use crate::ids::{ChannelId, CustomerId, DialogId, MessageId, OrderId, UserId};
use uuid::Uuid;

/// `Uuid::new_v5(NAMESPACE_OID, "chatd:{kind}:{channel}:{part}:...")`, hashed in place with
/// the CPU's SHA instructions where it has them (`sha1`) rather than `uuid`'s portable SHA-1:
/// three of these per inbound message made up a per cent of P2's CPU.
fn derived(kind: &str, channel: ChannelId, parts: &[&str]) -> Uuid {
    use sha1::Digest;
    let mut h = sha1::Sha1::new();
    h.update(Uuid::NAMESPACE_OID.as_bytes());
    h.update(b"chatd:");
    h.update(kind.as_bytes());
    h.update(b":");
    h.update(
        channel
            .0
            .hyphenated()
            .encode_lower(&mut Uuid::encode_buffer())
            .as_bytes(),
    );
    for p in parts {
        h.update(b":");
        h.update(p.as_bytes());
    }
    let digest: [u8; 20] = h.finalize().into();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_sha1_bytes(bytes).into_uuid()
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
        g => derived("customer", channel, &[external_id, g.to_string().as_str()]).into(),
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

    proptest::proptest! {
        /// The in-place hash is `uuid`'s name-based v5 of the joined name, for any parts.
        #[test]
        fn derived_is_v5_of_the_joined_name(kind in "[a-z]{1,8}", parts in proptest::collection::vec(".{0,80}", 0..4), raw in proptest::prelude::any::<u128>()) {
            let channel = ChannelId::from(Uuid::from_u128(raw));
            let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
            let mut name = format!("chatd:{kind}:{channel}");
            for p in &parts {
                name.push(':');
                name.push_str(p);
            }
            proptest::prop_assert_eq!(derived(&kind, channel, &refs), Uuid::new_v5(&Uuid::NAMESPACE_OID, name.as_bytes()));
        }
    }
}
