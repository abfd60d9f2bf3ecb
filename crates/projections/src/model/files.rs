//! Uploaded files and the dialogs they were attached to: what a download is allowed by (R32: a
//! file is readable through a dialog it was sent or received in, and by its uploader until then).

use chatd_domain::dialog::file_visible;
use chatd_domain::file::{FileEvent, FileMeta};
use chatd_domain::{Actor, Attachment, DialogId, FileId, Principal, Recorded};
use std::collections::HashMap;
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileView {
    #[serde(with = "super::compact::file_meta")]
    pub meta: FileMeta,
    #[serde(with = "super::compact::actor")]
    pub uploaded_by: Actor,
    pub uploaded_at: OffsetDateTime,
    /// Dialogs with a message carrying this file, in the order it was first attached there.
    pub dialogs: Vec<DialogId>,
    /// R35: it went with an erased customer (name wiped, bytes deleted).
    #[serde(default)]
    pub erased: bool,
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
                erased: false,
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
    /// The file, if `p` may read it (R32, `chatd_domain::dialog::file_visible`): through a dialog
    /// it was attached in that `p` sees now, or as its uploader while it is attached nowhere.
    /// 404 otherwise, never 403.
    pub fn readable_file(&self, p: &Principal, id: FileId) -> Option<&FileView> {
        let f = self.files.by_id.get(&id).filter(|f| !f.erased)?;
        let sights: Vec<_> = f
            .dialogs
            .iter()
            .filter_map(|d| self.dialogs.get(d))
            .map(|row| row.sight())
            .collect();
        file_visible(p, f.uploaded_by == p.actor(), &sights).then_some(f)
    }
}
