//! `Deserialize` for the internally tagged `{"type": …, "id": …}` of `Actor` and `Assignee`.
//!
//! Serde's derive for an internally tagged enum buffers the whole object into a generic tree
//! before it knows the variant; every stored event's metadata names its actor, so a replay paid
//! that for each event. This reads the two keys in one pass, in either order, and ignores others
//! as the derive did; a missing or unknown `type`, or a missing `id`, is refused as before.

use super::{Actor, Assignee};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use std::fmt;
use uuid::Uuid;

#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Kind {
    User,
    Bot,
    Customer,
    Channel,
    System,
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum Field {
    Type,
    Id,
    #[serde(other)]
    Other,
}

/// The object's `type` and `id` (`None` when absent or null).
struct Tagged;

impl<'de> Visitor<'de> for Tagged {
    type Value = (Kind, Option<Uuid>);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object with a \"type\"")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut kind, mut id) = (None, None);
        while let Some(field) = map.next_key::<Field>()? {
            match field {
                Field::Type if kind.is_some() => return Err(de::Error::duplicate_field("type")),
                Field::Type => kind = Some(map.next_value::<Kind>()?),
                Field::Id if id.is_some() => return Err(de::Error::duplicate_field("id")),
                Field::Id => id = Some(map.next_value::<Option<Uuid>>()?),
                Field::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let kind = kind.ok_or_else(|| de::Error::missing_field("type"))?;
        Ok((kind, id.flatten()))
    }
}

fn required<E: de::Error>(id: Option<Uuid>) -> Result<Uuid, E> {
    id.ok_or_else(|| E::missing_field("id"))
}

const ASSIGNEES: &[&str] = &["user", "bot"];

impl<'de> Deserialize<'de> for Actor {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (kind, id) = d.deserialize_map(Tagged)?;
        Ok(match kind {
            Kind::User => Actor::User {
                id: required(id)?.into(),
            },
            Kind::Bot => Actor::Bot {
                id: required(id)?.into(),
            },
            Kind::Customer => Actor::Customer {
                id: id.map(Into::into),
            },
            Kind::Channel => Actor::Channel {
                id: required(id)?.into(),
            },
            Kind::System => Actor::System,
        })
    }
}

impl<'de> Deserialize<'de> for Assignee {
    /// An actor that may hold a dialog: a user or a bot.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Actor::deserialize(d)? {
            Actor::User { id } => Ok(Assignee::User { id }),
            Actor::Bot { id } => Ok(Assignee::Bot { id }),
            Actor::Customer { .. } => Err(de::Error::unknown_variant("customer", ASSIGNEES)),
            Actor::Channel { .. } => Err(de::Error::unknown_variant("channel", ASSIGNEES)),
            Actor::System => Err(de::Error::unknown_variant("system", ASSIGNEES)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_actor_and_assignee_reads_back_what_it_writes() {
        for a in Actor::one_of_each(Uuid::from_u128(7)) {
            let text = serde_json::to_string(&a).unwrap();
            assert_eq!(serde_json::from_str::<Actor>(&text).unwrap(), a, "{text}");
        }
        for a in [
            Assignee::User {
                id: Uuid::from_u128(1).into(),
            },
            Assignee::Bot {
                id: Uuid::from_u128(2).into(),
            },
        ] {
            let text = serde_json::to_string(&a).unwrap();
            assert_eq!(
                serde_json::from_str::<Assignee>(&text).unwrap(),
                a,
                "{text}"
            );
        }
    }

    #[test]
    fn keys_in_any_order_and_unknown_keys_read_as_the_derive_read_them() {
        let id = Uuid::from_u128(9);
        let a: Actor =
            serde_json::from_value(json!({"id": id, "extra": [1, {"x": 2}], "type": "user"}))
                .unwrap();
        assert_eq!(a, Actor::User { id: id.into() });
        let a: Actor = serde_json::from_value(json!({"type": "customer"})).unwrap();
        assert_eq!(a, Actor::Customer { id: None });
        let a: Actor = serde_json::from_value(json!({"type": "customer", "id": null})).unwrap();
        assert_eq!(a, Actor::Customer { id: None });
        let a: Actor = serde_json::from_value(json!({"type": "system", "id": id})).unwrap();
        assert_eq!(a, Actor::System);
    }

    #[test]
    fn what_the_derive_refused_is_refused() {
        let id = Uuid::from_u128(9);
        for bad in [
            json!({"id": id}),
            json!({"type": "robot", "id": id}),
            json!({"type": "user"}),
            json!({"type": "user", "id": null}),
            json!({"type": "user", "id": "not a uuid"}),
            json!("user"),
            json!(null),
        ] {
            assert!(
                serde_json::from_value::<Actor>(bad.clone()).is_err(),
                "{bad}"
            );
        }
        assert!(serde_json::from_str::<Actor>(
            r#"{"type":"user","type":"bot","id":"00000000-0000-0000-0000-000000000009"}"#
        )
        .is_err());
        for bad in [
            json!({"type": "customer", "id": id}),
            json!({"type": "system"}),
            json!({"type": "bot"}),
        ] {
            assert!(
                serde_json::from_value::<Assignee>(bad.clone()).is_err(),
                "{bad}"
            );
        }
    }
}
