//! How events are recorded and encoded. An event is stored as `type` (snake_case name), `version`
//! (schema version of that type) and `data` (JSON object), plus metadata `{at, actor}`. This JSON is
//! what auditors read for years: fields are added, never renamed; a changed shape gets a new
//! version and an upcaster.

use crate::actor::Actor;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use time::OffsetDateTime;

/// R35: what a personal string reads as once its subject's key is destroyed.
pub const ERASED: &str = "[erased]";

/// Time and author of an event, chosen by the caller: the domain never reads a clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventMeta {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub actor: Actor,
}

/// An event together with its metadata, as `evolve` consumes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded<E> {
    pub meta: EventMeta,
    pub event: E,
}

/// A command together with who issues it and when.
#[derive(Debug, Clone, PartialEq)]
pub struct Command<C> {
    pub by: crate::actor::Principal,
    pub at: OffsetDateTime,
    pub body: C,
}

/// An event type of one aggregate. Implemented by the per-aggregate event enums, which serialise
/// adjacently tagged as `{"type": ..., "data": {...}}`.
pub trait DomainEvent: Serialize + DeserializeOwned {
    /// The stream category, e.g. `dialog` for `dialog-<uuid>`.
    const CATEGORY: &'static str;

    /// Schema version of this event's type as written today.
    fn schema_version(&self) -> u32 {
        1
    }

    /// The current schema version of a type by name; overridden together with `schema_version`
    /// and `upcast` when a type moves to a new version.
    fn current_version(event_type: &str) -> u32 {
        let _ = event_type;
        1
    }

    /// R35: every personal string this event carries (names, contact details, texts, file
    /// names, external ids that identify a person), handed to `f` to seal or open in place.
    /// What is not visited stays in clear: ids, times, statuses, counts (docs/PRIVACY.md).
    fn personal_mut(&mut self, f: &mut dyn FnMut(&mut String)) {
        let _ = f;
    }

    /// Turn an older stored shape into today's. The default knows no older shapes.
    fn upcast(
        event_type: &str,
        version: u32,
        data: serde_json::Value,
    ) -> Result<serde_json::Value, DecodeError> {
        if version == 1 {
            Ok(data)
        } else {
            Err(DecodeError::UnknownVersion {
                event_type: event_type.to_owned(),
                version,
            })
        }
    }
}

/// The stored parts of an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedEvent {
    pub event_type: String,
    pub version: u32,
    /// JSON object.
    pub data: Vec<u8>,
}

#[derive(Debug, Error)]
pub enum DecodeError {
    #[error("unknown schema version {version} of event {event_type}")]
    UnknownVersion { event_type: String, version: u32 },
    #[error("malformed event {event_type}: {source}")]
    Malformed {
        event_type: String,
        #[source]
        source: serde_json::Error,
    },
}

pub fn encode<E: DomainEvent>(event: &E) -> EncodedEvent {
    let version = event.schema_version();
    // Written once as `{"type":"<tag>","data":<data>}` and cut in place: no JSON tree is built
    // (that cost a few per cent of P2). The fields keep their declared order.
    let doc = serde_json::to_vec(event).expect("domain events always serialise");
    let (event_type, data) = split_tagged(doc).expect("domain events are adjacently tagged");
    EncodedEvent {
        event_type,
        version,
        data,
    }
}

/// The tag and the data of an adjacently tagged document as `serde_json` writes it (`data` is
/// `{}` for a variant without fields); `None` for any other shape.
fn split_tagged(mut doc: Vec<u8>) -> Option<(String, Vec<u8>)> {
    const HEAD: &[u8] = br#"{"type":""#;
    let rest = doc.strip_prefix(HEAD)?;
    let end = rest.iter().position(|&b| b == b'"' || b == b'\\')?;
    if rest[end] != b'"' {
        return None;
    }
    let event_type = std::str::from_utf8(&rest[..end]).ok()?.to_owned();
    let after = HEAD.len() + end + 1;
    if doc[after..] == *b"}" {
        return Some((event_type, b"{}".to_vec()));
    }
    const DATA: &[u8] = br#","data":"#;
    if !doc[after..].starts_with(DATA) || doc.last() != Some(&b'}') {
        return None;
    }
    doc.pop();
    doc.drain(..after + DATA.len());
    Some((event_type, doc))
}

pub fn decode<E: DomainEvent>(
    event_type: &str,
    version: u32,
    data: &[u8],
) -> Result<E, DecodeError> {
    let malformed = |source| DecodeError::Malformed {
        event_type: event_type.to_owned(),
        source,
    };
    if version == E::current_version(event_type) {
        // Fast path: the derive reads `{"type": event_type, "data": <data>}` straight from the
        // stored bytes, without building a JSON tree or copying them into one document.
        return E::deserialize(Tagged { event_type, data }).map_err(malformed);
    }
    let value: serde_json::Value = serde_json::from_slice(data).map_err(malformed)?;
    let data = E::upcast(event_type, version, value)?;
    serde_json::from_value(serde_json::json!({"type": event_type, "data": data})).map_err(malformed)
}

/// The adjacently tagged document `{"type": event_type, "data": <data>}` as a deserializer,
/// `data` parsed in place as JSON (and refused with trailing bytes, as a whole document was).
struct Tagged<'a> {
    event_type: &'a str,
    data: &'a [u8],
}

impl<'de> serde::Deserializer<'de> for Tagged<'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        v.visit_map(TaggedFields { doc: self, next: 0 })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

struct TaggedFields<'a> {
    doc: Tagged<'a>,
    /// 0: before `type`, 1: before its value, 2: before `data`'s, 3: done.
    next: u8,
}

impl<'de> serde::de::MapAccess<'de> for TaggedFields<'de> {
    type Error = serde_json::Error;

    fn next_key_seed<K: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        let key = match self.next {
            0 => "type",
            2 => "data",
            _ => return Ok(None),
        };
        self.next += 1;
        seed.deserialize(serde::de::value::BorrowedStrDeserializer::new(key))
            .map(Some)
    }

    fn next_value_seed<V: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        self.next += 1;
        if self.next == 2 {
            return seed.deserialize(serde::de::value::BorrowedStrDeserializer::new(
                self.doc.event_type,
            ));
        }
        let mut de = serde_json::Deserializer::from_slice(self.doc.data);
        let value = seed.deserialize(&mut de)?;
        de.end()?;
        Ok(value)
    }
}
