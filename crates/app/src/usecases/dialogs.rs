//! What managers and bots do to a dialog (R2–R4, R7–R9, R11): write, hand on, and every other
//! command, with what the decision needs looked up first.

use super::attachments;
use crate::{App, AppError, Outcome};
use chatd_domain::dialog::{Dialog, DialogCommand, DialogEvent, Outgoing};
use chatd_domain::{Assignee, DialogId, DomainError, MessageId, Principal};
use uuid::Uuid;

/// A message to write.
pub struct Writing {
    /// R26: an approved template of the dialog's channel, by code, with its parameters.
    pub template: Option<(String, Vec<String>)>,
    pub text: String,
    pub quote_message_id: Option<Uuid>,
    pub attachment_ids: Vec<Uuid>,
}

/// Run one dialog command as `by`.
pub async fn run(
    app: &App,
    by: Principal,
    dialog: Uuid,
    body: DialogCommand,
) -> Result<Outcome<DialogEvent>, AppError> {
    app.execute::<Dialog>(dialog, &app.command(by, body)).await
}

/// R3, R7–R9, R11: `by` writes into `dialog`. The outcome's events include the
/// `message_sent` (and, where writing takes the dialog, its reassignment and reopening).
pub async fn send(
    app: &App,
    by: Principal,
    dialog: Uuid,
    w: Writing,
) -> Result<(MessageId, Outcome<DialogEvent>), AppError> {
    let (channel, blocked, attachments, template) = {
        let m = app.model();
        let attachments = attachments(&m, &by, &w.attachment_ids)?;
        let row = m
            .dialogs
            .get(&DialogId::from(dialog))
            .filter(|r| !r.deleted)
            .ok_or(DomainError::NotFound)?;
        // R32: whoever cannot see the dialog learns nothing of its channel's templates.
        if matches!(by, Principal::User { .. }) && !row.is_visible_to(&by) {
            return Err(DomainError::NotFound.into());
        }
        let view = m
            .catalog
            .channels
            .get(&row.channel_id)
            .ok_or(DomainError::NotFound)?;
        let template = match w.template {
            None => None,
            Some((code, params)) => {
                let t = view.templates.iter().find(|t| t.code == code);
                Some((t.ok_or(DomainError::TemplateNotFound)?.clone(), params))
            }
        };
        let channel = view.profile();
        let blocked = row
            .customer_id
            .and_then(|c| m.customers.get(&c))
            .is_some_and(|c| c.blocked);
        (channel, blocked, attachments, template)
    };
    let message_id = MessageId::from(Uuid::new_v4());
    let out = run(
        app,
        by,
        dialog,
        DialogCommand::Send(Box::new(Outgoing {
            message_id,
            template,
            text: w.text,
            attachments,
            quote_message_id: w.quote_message_id.map(MessageId::from),
            customer_blocked: blocked,
            channel,
        })),
    )
    .await?;
    Ok((message_id, out))
}

/// R2: `by` hands `dialog` to `to` (an active user who may be responsible, or a bot).
pub async fn reassign(
    app: &App,
    by: Principal,
    dialog: Uuid,
    to: Assignee,
) -> Result<Outcome<DialogEvent>, AppError> {
    let target_active = app.model().people.is_active_assignee(&to);
    run(
        app,
        by,
        dialog,
        DialogCommand::Reassign { to, target_active },
    )
    .await
}
