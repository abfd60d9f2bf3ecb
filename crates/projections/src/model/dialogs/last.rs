//! The list row's last message (SPEC §5, the dialog list): who wrote it, when, and the first
//! characters of its text.

use chatd_domain::{Actor, MessageId};
use time::OffsetDateTime;

/// Characters of the last message kept in the list row.
pub const PREVIEW_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LastMessage {
    pub id: MessageId,
    #[serde(with = "crate::model::compact::actor")]
    pub author: Actor,
    pub text: String,
    pub at: OffsetDateTime,
    /// R22
    #[serde(default)]
    pub deleted: bool,
}

pub(super) fn last_message(
    id: MessageId,
    author: Actor,
    text: &str,
    at: OffsetDateTime,
) -> LastMessage {
    LastMessage {
        id,
        author,
        text: preview(text),
        at,
        deleted: false,
    }
}

/// The first `PREVIEW_CHARS` characters of `text`, copied once (a text of no more bytes than
/// that has no more characters either).
pub(super) fn preview(text: &str) -> String {
    let end = if text.len() <= PREVIEW_CHARS {
        text.len()
    } else {
        text.char_indices()
            .nth(PREVIEW_CHARS)
            .map_or(text.len(), |(i, _)| i)
    };
    text[..end].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_preview_keeps_the_first_characters_whole() {
        assert_eq!(preview(""), "");
        assert_eq!(preview("short"), "short");
        let exact = "a".repeat(PREVIEW_CHARS);
        assert_eq!(preview(&exact), exact);
        let long = "b".repeat(PREVIEW_CHARS + 1);
        assert_eq!(preview(&long), "b".repeat(PREVIEW_CHARS));
        // Multi-byte characters: more bytes than PREVIEW_CHARS, cut by characters, never inside one.
        let cyrillic = "ж".repeat(PREVIEW_CHARS - 1);
        assert_eq!(preview(&cyrillic), cyrillic);
        let emoji = "🙂".repeat(PREVIEW_CHARS + 5);
        assert_eq!(preview(&emoji), "🙂".repeat(PREVIEW_CHARS));
        let mixed = format!("{}é{}", "x".repeat(PREVIEW_CHARS - 1), "y".repeat(9));
        assert_eq!(
            preview(&mixed),
            format!("{}é", "x".repeat(PREVIEW_CHARS - 1))
        );
    }
}
