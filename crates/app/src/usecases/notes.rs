//! R27: internal notes and mentions. Whoever sees a dialog (an open mention included) adds notes
//! to it; mentioned users must be active users who may see dialogs; a mention is closed by its
//! user.

use crate::{App, AppError, Outcome};
use chatd_domain::dialog::{Dialog, DialogCommand, DialogEvent};
use chatd_domain::{DialogId, DomainError, MentionId, NoteId, Principal, Role, UserId};
use uuid::Uuid;

/// The dialog, if `by` sees it (R2, or an open mention).
fn seen(app: &App, by: &Principal, dialog: DialogId) -> Result<(), AppError> {
    let m = app.model();
    match m.dialogs.get(&dialog) {
        Some(row) if m.sees_dialog(by, row) => Ok(()),
        _ => Err(DomainError::NotFound.into()),
    }
}

async fn run(
    app: &App,
    by: Principal,
    dialog: DialogId,
    body: DialogCommand,
) -> Result<Outcome<DialogEvent>, AppError> {
    app.execute::<Dialog>(dialog.0, &app.command(by, body))
        .await
}

/// `by` adds a note mentioning `mentions`.
pub async fn add(
    app: &App,
    by: Principal,
    dialog: DialogId,
    text: String,
    mentions: Vec<UserId>,
) -> Result<(NoteId, Outcome<DialogEvent>), AppError> {
    seen(app, &by, dialog)?;
    let mentions_valid = {
        let m = app.model();
        mentions.iter().all(|id| {
            m.people
                .users
                .get(id)
                .is_some_and(|u| u.active && u.role != Role::Auditor)
        })
    };
    let note_id = NoteId::from(Uuid::new_v4());
    let body = DialogCommand::AddNote {
        note_id,
        text,
        mentions,
        mentions_valid,
    };
    Ok((note_id, run(app, by, dialog, body).await?))
}

/// The author edits (`Some(text)`) or deletes (`None`) a note.
pub async fn change(
    app: &App,
    by: Principal,
    dialog: DialogId,
    note_id: NoteId,
    text: Option<String>,
) -> Result<Outcome<DialogEvent>, AppError> {
    seen(app, &by, dialog)?;
    let body = match text {
        Some(text) => DialogCommand::EditNote { note_id, text },
        None => DialogCommand::DeleteNote { note_id },
    };
    run(app, by, dialog, body).await
}

/// `by` closes their mention `id` (someone else's is not found).
pub async fn done(
    app: &App,
    by: Principal,
    id: MentionId,
) -> Result<(DialogId, Outcome<DialogEvent>), AppError> {
    let (dialog, note_id) = {
        let m = app.model();
        let mention = m
            .mentions
            .by_id
            .get(&id)
            .filter(|m| Some(m.user) == by.user_id())
            .ok_or(DomainError::NotFound)?;
        (mention.dialog_id, mention.note_id)
    };
    let out = run(app, by, dialog, DialogCommand::MentionDone { note_id }).await?;
    Ok((dialog, out))
}
