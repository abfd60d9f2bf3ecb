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
    #[serde(with = "super::compact::actor")]
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
    /// The mentions of each note, and the notes with mentions of each dialog: a note's edit or
    /// deletion and a dialog's deletion touch only their own.
    by_note: HashMap<NoteId, Vec<MentionId>>,
    by_dialog: HashMap<DialogId, Vec<NoteId>>,
}

impl Mentions {
    /// Every mention in the order they were made: restored in this order, each user's list keeps
    /// its order (a snapshot writes them so).
    pub fn in_order(&self) -> Vec<&MentionView> {
        let mut all: Vec<&MentionView> = self.by_id.values().collect();
        all.sort_by_key(|m| (m.created_at, m.id.0));
        all
    }

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
        let of_note = self.by_note.entry(m.note_id).or_default();
        if of_note.is_empty() {
            self.by_dialog
                .entry(m.dialog_id)
                .or_default()
                .push(m.note_id);
        }
        of_note.push(m.id);
        self.by_id.insert(m.id, m);
    }

    /// R35: the texts of the notes in an erased customer's dialog.
    pub(crate) fn erase_dialog(&mut self, dialog: DialogId) {
        for note in self.by_dialog.get(&dialog).cloned().unwrap_or_default() {
            for m in self.of_note(note) {
                if let Some(v) = self.by_id.get_mut(&m) {
                    super::erasure::wipe(&mut v.text);
                }
            }
        }
    }

    fn of_note(&self, note: NoteId) -> Vec<MentionId> {
        self.by_note.get(&note).cloned().unwrap_or_default()
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
                    // A self-mention (refused since, but in older logs) gives nothing.
                    let own = matches!(r.meta.actor, Actor::User { id } if id == *user);
                    if own || self.by_id.contains_key(&id) {
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
                // A closed mention keeps the note as it was when it closed: its user no longer
                // sees the dialog, so nothing written since may reach them.
                for id in self.of_note(*note_id) {
                    if let Some(m) = self.by_id.get_mut(&id).filter(|m| m.open) {
                        m.text.clone_from(text);
                    }
                }
            }
            DialogEvent::NoteDeleted { note_id } => {
                self.of_note(*note_id)
                    .into_iter()
                    .for_each(|id| self.close(id));
            }
            DialogEvent::MentionDone { note_id, user_id } => {
                self.close(mention_of(*note_id, *user_id));
            }
            DialogEvent::DialogDeleted {} => {
                let notes = self.by_dialog.get(&dialog_id).cloned().unwrap_or_default();
                for note in notes {
                    self.of_note(note).into_iter().for_each(|id| self.close(id));
                }
            }
            _ => {}
        }
    }
}
