//! The metadata of a stored event, `{at, actor}` or R35's `{at, actor, subject}`, and how it is
//! read back. Every event's metadata is read on every replay, rebuild and follower step, and the
//! general JSON path (keys, escapes, a visitor per field) was a third of decoding an event. chatd
//! writes it in one form only (`serde_json::to_vec` of `StoredMeta`: no whitespace, fields in
//! order, no escapes), so that form is read by matching its bytes; anything else, including
//! every malformed input, goes through `serde_json` as before, which gives the same answer or
//! the error.

use chatd_domain::Actor;
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use uuid::Uuid;

/// The metadata as stored: `subject` only on events with sealed strings.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct StoredMeta {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub actor: Actor,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<Uuid>,
}

/// `bytes` read as `StoredMeta`: the form chatd writes by its bytes, any other through serde.
pub(super) fn read(bytes: &[u8]) -> Result<StoredMeta, serde_json::Error> {
    match written_form(bytes) {
        Some(meta) => Ok(meta),
        None => serde_json::from_slice(bytes),
    }
}

/// The metadata if `bytes` are exactly in the form chatd writes, else `None`.
fn written_form(bytes: &[u8]) -> Option<StoredMeta> {
    let mut r = Bytes(bytes);
    r.expect(b"{\"at\":\"")?;
    let at = OffsetDateTime::parse(r.string()?, &Rfc3339).ok()?;
    r.expect(b",\"actor\":{\"type\":\"")?;
    let kind = r.string()?;
    let id = if r.eat(b",\"id\":\"") {
        Some(Uuid::parse_str(r.string()?).ok()?)
    } else {
        // `"id":null` is read as no id, as serde reads it.
        r.eat(b",\"id\":null");
        None
    };
    r.expect(b"}")?;
    let actor = match (kind, id) {
        ("user", Some(id)) => Actor::User { id: id.into() },
        ("bot", Some(id)) => Actor::Bot { id: id.into() },
        ("channel", Some(id)) => Actor::Channel { id: id.into() },
        ("customer", id) => Actor::Customer {
            id: id.map(Into::into),
        },
        ("system", None) => Actor::System,
        _ => return None,
    };
    let subject = if r.eat(b",\"subject\":\"") {
        Some(Uuid::parse_str(r.string()?).ok()?)
    } else {
        None
    };
    r.expect(b"}")?;
    r.0.is_empty().then_some(StoredMeta { at, actor, subject })
}

/// What is left to read.
struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    /// Step over `lit` if the rest starts with it.
    fn eat(&mut self, lit: &[u8]) -> bool {
        match self.0.strip_prefix(lit) {
            Some(rest) => {
                self.0 = rest;
                true
            }
            None => false,
        }
    }

    fn expect(&mut self, lit: &[u8]) -> Option<()> {
        self.eat(lit).then_some(())
    }

    /// A string's content up to its closing quote, which is stepped over. `None` for one with
    /// an escape or a control character (left to serde, which reads the one and refuses the
    /// other) or that is not UTF-8.
    fn string(&mut self) -> Option<&'a str> {
        let end = self.0.iter().position(|&b| b == b'"')?;
        let (s, rest) = self.0.split_at(end);
        if s.iter().any(|&b| b == b'\\' || b < 0x20) {
            return None;
        }
        self.0 = &rest[1..];
        std::str::from_utf8(s).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn the_written_form_is_read_by_its_bytes_as_serde_reads_it() {
        let times = [
            datetime!(2026-12-06 19:35:36.447636078 UTC),
            datetime!(2026-12-06 19:35:36 UTC),
            datetime!(1999-01-01 00:00:00.5 +02:30),
        ];
        for at in times {
            for actor in
                Actor::one_of_each(Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef))
            {
                for subject in [None, Some(Uuid::from_u128(42))] {
                    let meta = StoredMeta { at, actor, subject };
                    let bytes = serde_json::to_vec(&meta).unwrap();
                    let text = String::from_utf8_lossy(&bytes);
                    let fast = written_form(&bytes);
                    assert_eq!(fast.as_ref(), Some(&meta), "{text}");
                    assert_eq!(serde_json::from_slice::<StoredMeta>(&bytes).unwrap(), meta);
                }
            }
        }
    }

    #[test]
    fn any_other_form_is_read_by_serde_and_bad_metadata_is_refused() {
        let id = "00000000-0000-0000-0000-000000000007";
        let other_forms = [
            r#"{"actor":{"type":"user","id":"ID"},"at":"2026-12-06T19:35:36Z"}"#.replace("ID", id),
            r#"{ "at": "2026-12-06T19:35:36Z", "actor": {"id":"ID","type":"bot"} }"#
                .replace("ID", id),
            r#"{"at":"2026-12-06T19:35:36Z","actor":{"type":"system","id":"ID"}}"#
                .replace("ID", id),
            format!(
                r#"{{"at":"2026-12-06T19:35:36Z","actor":{{"type":"user","id":"{id}"}},"subject":null}}"#
            ),
            r#"{"at":"2026\u002d12-06T19:35:36Z","actor":{"type":"customer"}}"#.to_owned(),
            format!(
                r#"{{"at":"2026-12-06T19:35:36Z","actor":{{"type":"user","id":"{id}"}},"x":1}}"#
            ),
        ];
        for text in &other_forms {
            assert_eq!(written_form(text.as_bytes()), None, "{text}");
            assert!(read(text.as_bytes()).is_ok(), "{text}");
        }
        let bad = [
            r#"{"at":"2026-12-06T19:35:36Z","actor":{"type":"user"}}"#.to_owned(),
            r#"{"at":"2026-12-06T19:35:36Z","actor":{"type":"user","id":null}}"#.to_owned(),
            r#"{"at":"2026-12-06T19:35:36Z","actor":{"type":"robot","id":"ID"}}"#.replace("ID", id),
            r#"{"at":"yesterday","actor":{"type":"system"}}"#.to_owned(),
            r#"{"at":"2026-12-06T19:35:36Z","actor":{"type":"user","id":"IDx"}}"#.replace("ID", id),
            r#"{"at":"2026-12-06T19:35:36Z","actor":{"type":"system"}}trailing"#.to_owned(),
            r#"{"at":"2026-12-06T19:35:36Z","actor":{"type":"sys	tem"}}"#.to_owned(),
            r#"{"at":"2026-12-06T19:35:36Z","actor":{"type":"system"}"#.to_owned(),
            String::new(),
        ];
        for text in &bad {
            assert_eq!(written_form(text.as_bytes()), None, "{text}");
            assert!(read(text.as_bytes()).is_err(), "{text}");
        }
        assert!(read(b"{\"at\":\"2026-12-06T19:35:36Z\",\"actor\":{\"type\":\"\xff\"}}").is_err());
    }
}
