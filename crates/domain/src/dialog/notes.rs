//! R27: internal notes and mentions. A note is for the team only: it never reaches the channel
//! and changes no counter, clock, last message or status. A mentioned user sees the dialog while
//! their mention is open, and may add notes there; writing to the customer stays as R3 says.

use super::{Dialog, DialogEvent};
use crate::actor::{Actor, Principal, Role};
use crate::channel::MAX_TEXT_CHARS;
use crate::error::DomainError;
use crate::ids::{NoteId, UserId};

/// At most this many users mentioned in one note.
pub const MAX_MENTIONS: usize = 20;

/// What the rules remember of one note.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteInfo {
    pub author: Actor,
    pub text: String,
    pub deleted: bool,
    /// Mentioned users whose mention is still open (never the author: a note's author gains
    /// no sight from it, even from a self-mention stored before they were refused).
    pub open: Vec<UserId>,
}

impl Dialog {
    /// R27: `user` has an open mention in one of this dialog's notes.
    pub fn mentions_open_for(&self, user: UserId) -> bool {
        self.notes
            .values()
            .any(|n| !n.deleted && n.open.contains(&user))
    }

    /// SPEC §3 and R27: who sees the dialog, mentioned users included (never auditors).
    pub fn is_visible_with_mentions(&self, p: &Principal) -> bool {
        self.is_visible_to(p)
            || !self.deleted
                && matches!(p, Principal::User { role, .. } if *role != Role::Auditor)
                && p.user_id().is_some_and(|u| self.mentions_open_for(u))
    }
}

fn check_text(text: &str) -> Result<(), DomainError> {
    if text.trim().is_empty() {
        return Err(DomainError::EmptyMessage);
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(DomainError::TextTooLong {
            max: MAX_TEXT_CHARS,
        });
    }
    Ok(())
}

fn require_sight(state: &Dialog, by: &Principal) -> Result<(), DomainError> {
    if !state.is_visible_with_mentions(by) {
        return Err(DomainError::NotFound);
    }
    Ok(())
}

/// R27: `by` adds a note. `mentions_valid`: the caller found every mentioned id to be an active
/// user who may see dialogs (not an auditor).
pub fn add(
    state: &Dialog,
    by: &Principal,
    note_id: NoteId,
    text: &str,
    mentions: &[UserId],
    mentions_valid: bool,
) -> Result<Vec<DialogEvent>, DomainError> {
    require_sight(state, by)?;
    if by.user_id().is_none() && !matches!(by, Principal::Bot { .. }) {
        return Err(DomainError::Forbidden);
    }
    if state.notes.contains_key(&note_id) {
        return Ok(vec![]);
    }
    check_text(text)?;
    let mut unique: Vec<UserId> = Vec::with_capacity(mentions.len());
    for m in mentions {
        if !unique.contains(m) {
            unique.push(*m);
        }
    }
    check_mentions(state, by, &unique, mentions_valid)?;
    Ok(vec![DialogEvent::NoteAdded {
        note_id,
        text: text.to_owned(),
        mentions: unique,
    }])
}

/// R27: who may be mentioned, and by whom (nothing to check without mentions).
fn check_mentions(
    state: &Dialog,
    by: &Principal,
    mentions: &[UserId],
    mentions_valid: bool,
) -> Result<(), DomainError> {
    let refused = |reason| Err(DomainError::InvalidMention { reason });
    if mentions.is_empty() {
        Ok(())
    } else if !state.is_visible_to(by) {
        // Sight through a mention is not passed on: a chain of mentions would widen it for ever.
        Err(DomainError::MentionNotAllowed)
    } else if by.user_id().is_some_and(|me| mentions.contains(&me)) {
        refused("you cannot mention yourself: a mention asks a colleague")
    } else if !mentions_valid {
        refused("a mentioned id is not an active user who may see dialogs")
    } else if mentions.len() > MAX_MENTIONS {
        refused("at most 20 users may be mentioned in one note")
    } else {
        Ok(())
    }
}

fn own_note<'a>(
    state: &'a Dialog,
    by: &Principal,
    note_id: NoteId,
) -> Result<&'a NoteInfo, DomainError> {
    require_sight(state, by)?;
    let n = state.notes.get(&note_id).ok_or(DomainError::NotFound)?;
    if n.author != by.actor() {
        return Err(DomainError::NotAuthor);
    }
    Ok(n)
}

/// R27: the author edits a note (R21's rules, without a window).
pub fn edit(
    state: &Dialog,
    by: &Principal,
    note_id: NoteId,
    text: &str,
) -> Result<Vec<DialogEvent>, DomainError> {
    let n = own_note(state, by, note_id)?;
    if n.deleted {
        return Err(DomainError::MessageDeleted);
    }
    check_text(text)?;
    if n.text == text {
        return Ok(vec![]);
    }
    Ok(vec![DialogEvent::NoteEdited {
        note_id,
        text: text.to_owned(),
    }])
}

/// R27: the author deletes a note; deleting it again changes nothing.
pub fn delete(
    state: &Dialog,
    by: &Principal,
    note_id: NoteId,
) -> Result<Vec<DialogEvent>, DomainError> {
    let n = own_note(state, by, note_id)?;
    if n.deleted {
        return Ok(vec![]);
    }
    Ok(vec![DialogEvent::NoteDeleted { note_id }])
}

/// R27: a mentioned user closes their mention (again: nothing).
pub fn done(
    state: &Dialog,
    by: &Principal,
    note_id: NoteId,
) -> Result<Vec<DialogEvent>, DomainError> {
    let user_id = by.user_id().ok_or(DomainError::Forbidden)?;
    let n = state.notes.get(&note_id).ok_or(DomainError::NotFound)?;
    if !n.open.contains(&user_id) {
        return Ok(vec![]);
    }
    Ok(vec![DialogEvent::MentionDone { note_id, user_id }])
}

/// Fold R27's events into the dialog's state.
pub fn evolve(state: &mut Dialog, by: Actor, event: &DialogEvent) {
    match event {
        DialogEvent::NoteAdded {
            note_id,
            text,
            mentions,
        } => {
            let author = match by {
                Actor::User { id } => Some(id),
                _ => None,
            };
            state.notes.insert(
                *note_id,
                NoteInfo {
                    author: by,
                    text: text.clone(),
                    deleted: false,
                    open: mentions
                        .iter()
                        .copied()
                        .filter(|m| Some(*m) != author)
                        .collect(),
                },
            );
        }
        DialogEvent::NoteEdited { note_id, text } => {
            if let Some(n) = state.notes.get_mut(note_id) {
                n.text.clone_from(text);
            }
        }
        DialogEvent::NoteDeleted { note_id } => {
            if let Some(n) = state.notes.get_mut(note_id) {
                n.deleted = true;
                n.open.clear();
            }
        }
        DialogEvent::MentionDone { note_id, user_id } => {
            if let Some(n) = state.notes.get_mut(note_id) {
                n.open.retain(|u| u != user_id);
            }
        }
        _ => {}
    }
}
