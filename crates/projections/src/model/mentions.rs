//! R27: mentions in internal notes: each user's open and closed mentions, and which dialogs an
//! open mention lets them see (`ReadModel::sees_dialog`).

use chatd_domain::dialog::DialogEvent;
use chatd_domain::identity::mention_of;
use chatd_domain::{Actor, DialogId, MentionId, NoteId, Recorded, UserId};
use std::collections::HashMap;
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MentionView {
    pub id: MentionId,
    pub user: UserId,
    pub dialog_id: DialogId,
    pub note_id: NoteId,
    /// Who wrote the note.
    pub by: Actor,
    pub text: String,
    pub open: bool,
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Default)]
pub struct Mentions {
    pub by_id: HashMap<MentionId, MentionView>,
    /// Each user's mentions, oldest first.
    by_user: HashMap<UserId, Vec<MentionId>>,
    /// Per user, the dialogs their open mentions are in, with how many are open there.
    open: HashMap<UserId, HashMap<DialogId, u32>>,
}

impl Mentions {
    pub(crate) fn insert(&mut self, m: MentionView) {
        if m.open {
            *self
                .open
                .entry(m.user)
                .or_default()
                .entry(m.dialog_id)
                .or_default() += 1;
        }
        self.by_user.entry(m.user).or_default().push(m.id);
        self.by_id.insert(m.id, m);
    }

    fn close(&mut self, id: MentionId) {
        let Some(m) = self.by_id.get_mut(&id).filter(|m| m.open) else {
            return;
        };
        m.open = false;
        let (user, dialog) = (m.user, m.dialog_id);
        if let Some(dialogs) = self.open.get_mut(&user) {
            if let Some(n) = dialogs.get_mut(&dialog) {
                *n -= 1;
                if *n == 0 {
                    dialogs.remove(&dialog);
                }
            }
            if dialogs.is_empty() {
                self.open.remove(&user);
            }
        }
    }

    /// `user` has an open mention in `dialog`.
    pub fn is_open(&self, user: UserId, dialog: DialogId) -> bool {
        self.open
            .get(&user)
            .is_some_and(|d| d.contains_key(&dialog))
    }

    /// The dialogs `user` has open mentions in.
    pub fn open_dialogs(&self, user: UserId) -> impl Iterator<Item = DialogId> + '_ {
        self.open
            .get(&user)
            .into_iter()
            .flat_map(|d| d.keys().copied())
    }

    /// How many of `user`'s mentions are open.
    pub fn open_count(&self, user: UserId) -> u64 {
        self.open
            .get(&user)
            .map_or(0, |d| d.values().map(|n| u64::from(*n)).sum())
    }

    /// `user`'s mentions, newest first.
    pub fn of_user(&self, user: UserId) -> impl Iterator<Item = &MentionView> {
        self.by_user
            .get(&user)
            .into_iter()
            .flat_map(|ids| ids.iter().rev())
            .filter_map(|id| self.by_id.get(id))
    }

    pub fn apply(&mut self, r: &Recorded<DialogEvent>, dialog_id: DialogId) {
        match &r.event {
            DialogEvent::NoteAdded {
                note_id,
                text,
                mentions,
            } => {
                for user in mentions {
                    let id = mention_of(*note_id, *user);
                    if self.by_id.contains_key(&id) {
                        continue;
                    }
                    self.insert(MentionView {
                        id,
                        user: *user,
                        dialog_id,
                        note_id: *note_id,
                        by: r.meta.actor,
                        text: text.clone(),
                        open: true,
                        created_at: r.meta.at,
                    });
                }
            }
            DialogEvent::NoteEdited { note_id, text } => {
                for m in self.by_id.values_mut().filter(|m| m.note_id == *note_id) {
                    m.text.clone_from(text);
                }
            }
            DialogEvent::NoteDeleted { note_id } => {
                let ids: Vec<MentionId> = self
                    .by_id
                    .values()
                    .filter(|m| m.note_id == *note_id)
                    .map(|m| m.id)
                    .collect();
                ids.into_iter().for_each(|id| self.close(id));
            }
            DialogEvent::MentionDone { note_id, user_id } => {
                self.close(mention_of(*note_id, *user_id));
            }
            DialogEvent::DialogDeleted {} => {
                let ids: Vec<MentionId> = self
                    .by_id
                    .values()
                    .filter(|m| m.dialog_id == dialog_id && m.open)
                    .map(|m| m.id)
                    .collect();
                ids.into_iter().for_each(|id| self.close(id));
            }
            _ => {}
        }
    }
}
