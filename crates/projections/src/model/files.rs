//! Uploaded files and the dialogs they were attached to: what a download is allowed by (a file
//! is readable by its uploader and by whoever sees a dialog it was sent or received in).

use chatd_domain::file::{FileEvent, FileMeta};
use chatd_domain::{Actor, Attachment, DialogId, FileId, Principal, Recorded};
use std::collections::HashMap;
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileView {
    pub meta: FileMeta,
    pub uploaded_by: Actor,
    pub uploaded_at: OffsetDateTime,
    /// Dialogs with a message carrying this file, in the order it was first attached there.
    pub dialogs: Vec<DialogId>,
}

#[derive(Debug, Default)]
pub struct Files {
    pub by_id: HashMap<FileId, FileView>,
}

impl Files {
    pub fn apply_file(&mut self, r: &Recorded<FileEvent>) {
        let FileEvent::FileUploaded(meta) = &r.event;
        self.by_id.insert(
            meta.file_id,
            FileView {
                meta: meta.clone(),
                uploaded_by: r.meta.actor,
                uploaded_at: r.meta.at,
                dialogs: Vec::new(),
            },
        );
    }

    /// A message in `dialog` carries `attachments`.
    pub fn attached(&mut self, dialog: DialogId, attachments: &[Attachment]) {
        for a in attachments {
            if let Some(f) = self.by_id.get_mut(&a.file_id) {
                if !f.dialogs.contains(&dialog) {
                    f.dialogs.push(dialog);
                }
            }
        }
    }

    pub fn insert(&mut self, f: FileView) {
        self.by_id.insert(f.meta.file_id, f);
    }
}

impl super::ReadModel {
    /// The file, if `p` may read it: its uploader, and whoever sees a dialog that carries it
    /// (for a channel's transport: a dialog of that channel). 404 otherwise, never 403.
    pub fn readable_file(&self, p: &Principal, id: FileId) -> Option<&FileView> {
        let f = self.files.by_id.get(&id)?;
        if f.uploaded_by == p.actor() {
            return Some(f);
        }
        let readable = f.dialogs.iter().any(|d| {
            self.dialogs.get(d).is_some_and(|row| match p {
                Principal::Channel { id } => !row.deleted && row.channel_id == *id,
                _ => row.is_visible_to(p),
            })
        });
        readable.then_some(f)
    }
}
