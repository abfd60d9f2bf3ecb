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
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct File {
    pub meta: Option<FileMeta>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileCommand {
    Upload(FileMeta),
}

pub fn decide_file(
    state: &File,
    cmd: &Command<FileCommand>,
) -> Result<Vec<FileEvent>, DomainError> {
    if matches!(cmd.by, Principal::System) {
        return Err(DomainError::Forbidden);
    }
    let FileCommand::Upload(meta) = &cmd.body;
    if meta.name.trim().is_empty() || meta.name.len() > 255 {
        return Err(DomainError::invalid("name", "must be 1 to 255 bytes"));
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

crate::aggregate::aggregate!(File, FileEvent, FileCommand, decide_file, evolve_file);
