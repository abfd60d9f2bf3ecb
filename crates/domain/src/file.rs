//! Uploaded files (`file-<uuid>`): the metadata of bytes kept in the content-addressed file
//! store (R7). The bytes live under their SHA-256; the event records what chatd learnt of them.

use crate::actor::Principal;
use crate::channel::AttachmentKind;
use crate::error::DomainError;
use crate::event::{Command, DomainEvent, Recorded};
use crate::ids::FileId;
use crate::message::Attachment;
use serde::{Deserialize, Serialize};

/// What chatd learnt of an upload: sniffed MIME type and kind, size, and an image's dimensions.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileMeta {
    pub file_id: FileId,
    /// Hex SHA-256 of the bytes: their address in the file store.
    pub sha256: String,
    pub name: String,
    pub mime: String,
    pub kind: AttachmentKind,
    pub size: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// Whether a preview thumbnail was stored next to the bytes.
    #[serde(default)]
    pub preview: bool,
}

impl FileMeta {
    /// The attachment a message carries for this file.
    pub fn attachment(&self) -> Attachment {
        Attachment {
            file_id: self.file_id,
            kind: self.kind,
            name: self.name.clone(),
            mime: self.mime.clone(),
            size: self.size,
            width: self.width,
            height: self.height,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum FileEvent {
    /// The uploader is the event's actor: a user, a bot or a channel's transport.
    FileUploaded(FileMeta),
}

impl DomainEvent for FileEvent {
    const CATEGORY: &'static str = "file";

    /// R35: the file's name; its own key seals it (destroyed when the customer it was sent
    /// by or to is erased).
    fn personal_mut(&mut self, f: &mut dyn FnMut(&mut String)) {
        let FileEvent::FileUploaded(meta) = self;
        f(&mut meta.name);
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct File {
    pub meta: Option<FileMeta>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileCommand {
    Upload(FileMeta),
}

/// The longest file name kept, in bytes (what common file systems allow).
pub const MAX_NAME_BYTES: usize = 255;

/// Whether `c` is kept out of file names (R28): control characters (a name goes into a
/// `Content-Disposition` header and onto someone's disk), the invisible bidirectional controls
/// that make `exe.txt` of `txt.exe`, and path separators.
fn unwanted_in_name(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A file name as chatd keeps it (R28): unwanted characters dropped, path separators made `_`,
/// surrounding spaces trimmed, at most [`MAX_NAME_BYTES`] bytes (cut at a character), and
/// `file` when nothing is left.
pub fn clean_name(raw: &str) -> String {
    let kept: String = raw
        .chars()
        .filter(|c| !unwanted_in_name(*c))
        .map(|c| if c == '/' || c == '\\' { '_' } else { c })
        .collect();
    let mut name = kept.trim();
    if name.len() > MAX_NAME_BYTES {
        let mut end = MAX_NAME_BYTES;
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        name = name[..end].trim_end();
    }
    if name.is_empty() {
        "file".to_owned()
    } else {
        name.to_owned()
    }
}

pub fn decide_file(
    state: &File,
    cmd: &Command<FileCommand>,
) -> Result<Vec<FileEvent>, DomainError> {
    if matches!(cmd.by, Principal::System) {
        return Err(DomainError::Forbidden);
    }
    let FileCommand::Upload(meta) = &cmd.body;
    if meta.name.trim().is_empty() || meta.name.len() > MAX_NAME_BYTES {
        return Err(DomainError::invalid("name", "must be 1 to 255 bytes"));
    }
    if clean_name(&meta.name) != meta.name {
        return Err(DomainError::invalid(
            "name",
            "must not hold control characters or path separators",
        ));
    }
    match &state.meta {
        // The same upload retried: nothing new.
        Some(existing) if existing == meta => Ok(vec![]),
        Some(_) => Err(DomainError::invalid("file_id", "already used")),
        None => Ok(vec![FileEvent::FileUploaded(meta.clone())]),
    }
}

pub fn evolve_file(mut state: File, recorded: &Recorded<FileEvent>) -> File {
    let FileEvent::FileUploaded(meta) = &recorded.event;
    state.meta = Some(meta.clone());
    state
}

/// R35: each file is its own data subject.
fn file_subject(state: &File, events: &[FileEvent]) -> Option<uuid::Uuid> {
    let first = || {
        events.iter().map(|e| {
            let FileEvent::FileUploaded(m) = e;
            m.file_id.0
        })
    };
    state
        .meta
        .as_ref()
        .map(|m| m.file_id.0)
        .or_else(|| first().next())
}

crate::aggregate::aggregate!(
    File,
    FileEvent,
    FileCommand,
    decide_file,
    evolve_file,
    file_subject
);

#[cfg(test)]
mod tests {
    use super::{clean_name, MAX_NAME_BYTES};
    use proptest::prelude::*;

    #[test]
    fn names_lose_controls_separators_and_bidi_tricks() {
        assert_eq!(clean_name("a\u{1}b\nc.png"), "abc.png");
        assert_eq!(clean_name("../../etc/passwd"), ".._.._etc_passwd");
        assert_eq!(clean_name("invoice\u{202e}fdp.exe"), "invoicefdp.exe");
        assert_eq!(clean_name("  \t "), "file");
        assert_eq!(clean_name("фото 1.jpg"), "фото 1.jpg");
        let long = "я".repeat(200);
        let cut = clean_name(&long);
        assert!(cut.len() <= MAX_NAME_BYTES && cut.chars().all(|c| c == 'я'));
    }

    proptest! {
        #[test]
        fn a_cleaned_name_is_clean_and_cleaning_it_again_changes_nothing(raw in "\\PC{0,300}|[\\x00-\\x20\\u{202e}/\\\\a-z]{0,40}") {
            let name = clean_name(&raw);
            prop_assert!(!name.is_empty() && name.len() <= MAX_NAME_BYTES);
            prop_assert!(!name.chars().any(|c| c.is_control() || c == '/' || c == '\\'));
            prop_assert_eq!(clean_name(&name), name);
        }
    }
}
