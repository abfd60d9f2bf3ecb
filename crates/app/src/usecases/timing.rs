//! R37 in a dialog: snooze and un-snooze, scheduled messages (create, edit, cancel), and what a
//! timer does when it fires. The decisions are the dialog's (`chatd_domain::dialog::timing`);
//! here is what they need looked up: the channel, the files, the template, the author as they
//! are now.

use super::attachments;
use crate::{App, AppError, Outcome};
use chatd_domain::dialog::timing::message_of;
use chatd_domain::dialog::{
    Dialog, DialogCommand, DialogEvent, Outgoing, Planned, ScheduledContent, ScheduledStatus,
    ScheduledTemplate,
};
use chatd_domain::{DialogId, DomainError, Principal, ScheduleId};
use chatd_projections::model::timers::Timer;
use chatd_projections::ReadModel;
use chatd_store::cluster::Fence;
use chatd_store::Position;
use time::OffsetDateTime;
use uuid::Uuid;

/// What a scheduled message sends, as the caller names it.
pub enum Content {
    Text {
        text: String,
        attachment_ids: Vec<Uuid>,
    },
    Template {
        code: String,
        params: Vec<String>,
    },
}

/// A change to a scheduled message: what is given replaces what it holds.
pub struct Change {
    pub send_at: Option<OffsetDateTime>,
    pub content: Option<Content>,
}

pub async fn snooze(
    app: &App,
    by: Principal,
    dialog: Uuid,
    until: OffsetDateTime,
) -> Result<Outcome<DialogEvent>, AppError> {
    super::dialogs::run(app, by, dialog, DialogCommand::Snooze { until }).await
}

pub async fn unsnooze(
    app: &App,
    by: Principal,
    dialog: Uuid,
) -> Result<Outcome<DialogEvent>, AppError> {
    super::dialogs::run(app, by, dialog, DialogCommand::Unsnooze).await
}

/// The channel of a dialog `by` sees, and the content in the dialog's terms.
fn planned(
    m: &ReadModel,
    by: &Principal,
    dialog: Uuid,
    schedule_id: ScheduleId,
    send_at: OffsetDateTime,
    content: Content,
) -> Result<Planned, AppError> {
    let row = m
        .dialogs
        .get(&DialogId::from(dialog))
        .filter(|r| r.is_visible_to(by))
        .ok_or(DomainError::NotFound)?;
    let channel = m
        .catalog
        .channels
        .get(&row.channel_id)
        .ok_or(DomainError::NotFound)?;
    let content = match content {
        Content::Text {
            text,
            attachment_ids,
        } => ScheduledContent {
            text,
            attachments: attachments(m, by, &attachment_ids)?,
            template: None,
        },
        Content::Template { code, params } => {
            if !channel.templates.iter().any(|t| t.code == code) {
                return Err(DomainError::TemplateNotFound.into());
            }
            ScheduledContent {
                text: String::new(),
                attachments: vec![],
                template: Some(ScheduledTemplate { code, params }),
            }
        }
    };
    Ok(Planned {
        schedule_id,
        send_at,
        content,
        channel: channel.profile(),
    })
}

/// R37: `by` schedules a message in `dialog`.
pub async fn schedule(
    app: &App,
    by: Principal,
    dialog: Uuid,
    send_at: OffsetDateTime,
    content: Content,
) -> Result<(ScheduleId, Outcome<DialogEvent>), AppError> {
    let id = ScheduleId::from(Uuid::new_v4());
    let p = planned(&app.model(), &by, dialog, id, send_at, content)?;
    let out = super::dialogs::run(app, by, dialog, DialogCommand::Schedule(Box::new(p))).await?;
    Ok((id, out))
}

/// R37: its author edits a pending scheduled message.
pub async fn edit(
    app: &App,
    by: Principal,
    dialog: Uuid,
    id: ScheduleId,
    change: Change,
) -> Result<Outcome<DialogEvent>, AppError> {
    let state = app.current::<Dialog>(dialog).await?;
    let now = state
        .scheduled
        .get(&id)
        .filter(|_| state.is_visible_to(&by))
        .ok_or(DomainError::NotFound)?;
    let content = change
        .content
        .unwrap_or_else(|| match &now.content.template {
            Some(t) => Content::Template {
                code: t.code.clone(),
                params: t.params.clone(),
            },
            None => Content::Text {
                text: now.content.text.clone(),
                attachment_ids: now
                    .content
                    .attachments
                    .iter()
                    .map(|a| a.file_id.0)
                    .collect(),
            },
        });
    let send_at = change.send_at.unwrap_or(now.send_at);
    let p = planned(&app.model(), &by, dialog, id, send_at, content)?;
    super::dialogs::run(app, by, dialog, DialogCommand::EditScheduled(Box::new(p))).await
}

pub async fn cancel(
    app: &App,
    by: Principal,
    dialog: Uuid,
    id: ScheduleId,
) -> Result<Outcome<DialogEvent>, AppError> {
    super::dialogs::run(
        app,
        by,
        dialog,
        DialogCommand::CancelScheduled { schedule_id: id },
    )
    .await
}

/// What a due scheduled message is sent as: its author as they are now, and the message with
/// what the send needs looked up now (the channel, the block, the template). A refusal found
/// here (author gone, channel gone, template withdrawn) fails the message.
fn outgoing(
    m: &ReadModel,
    state: &Dialog,
    id: ScheduleId,
) -> Result<Option<(Principal, Outgoing)>, DomainError> {
    let Some(s) = state
        .scheduled
        .get(&id)
        .filter(|s| s.status == ScheduledStatus::Pending)
    else {
        return Ok(None);
    };
    let author = m
        .people
        .users
        .get(&s.author)
        .filter(|u| u.active)
        .ok_or(DomainError::NotResponsible)?;
    let channel = state
        .channel_id
        .and_then(|c| m.catalog.channels.get(&c))
        .ok_or(DomainError::NotFound)?;
    let template = match &s.content.template {
        None => None,
        Some(t) => {
            let found = channel.templates.iter().find(|x| x.code == t.code);
            Some((
                found.ok_or(DomainError::TemplateNotFound)?.clone(),
                t.params.clone(),
            ))
        }
    };
    let blocked = state
        .customer_id
        .and_then(|c| m.customers.get(&c))
        .is_some_and(|c| c.blocked);
    Ok(Some((
        m.people.principal_of(author),
        Outgoing {
            message_id: message_of(id),
            template,
            text: s.content.text.clone(),
            attachments: s.content.attachments.clone(),
            quote_message_id: None,
            customer_blocked: blocked,
            channel: channel.profile(),
        },
    )))
}

/// A due timer, fired under the timers' lease: the dialog decides whether it still applies. The
/// position of what it appended; `None` when it appended nothing.
pub async fn fire(app: &App, timer: Timer, fence: &Fence) -> Result<Option<Position>, AppError> {
    let (dialog, cmd) = match timer {
        Timer::Wake { dialog, until } => (
            dialog,
            app.command(Principal::System, DialogCommand::Wake { until }),
        ),
        Timer::Send { dialog, schedule } => {
            let state = app.current::<Dialog>(dialog.0).await?;
            let found = outgoing(&app.model(), &state, schedule);
            let cmd = match found {
                Ok(None) => return Ok(None),
                Ok(Some((by, outgoing))) => app.command(
                    by,
                    DialogCommand::SendScheduled {
                        schedule_id: schedule,
                        outgoing: Box::new(outgoing),
                    },
                ),
                Err(error) => app.command(
                    Principal::System,
                    DialogCommand::FailScheduled {
                        schedule_id: schedule,
                        error,
                    },
                ),
            };
            match app.execute_fenced::<Dialog>(dialog.0, &cmd, fence).await {
                // R35: nothing personal is written to an erased customer; the message fails.
                Err(AppError::Domain(error @ DomainError::CustomerErased)) => (
                    dialog,
                    app.command(
                        Principal::System,
                        DialogCommand::FailScheduled {
                            schedule_id: schedule,
                            error,
                        },
                    ),
                ),
                other => return Ok(appended(other?)),
            }
        }
    };
    Ok(appended(
        app.execute_fenced::<Dialog>(dialog.0, &cmd, fence).await?,
    ))
}

fn appended(out: Outcome<DialogEvent>) -> Option<Position> {
    (!out.events.is_empty()).then_some(out.position).flatten()
}
