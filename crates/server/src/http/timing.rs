//! R37's routes: the shop calendar, snooze, scheduled messages, and the test clock.

use super::extract::Caller;
use super::json::Json;
use super::people::ReadParams;
use super::support::{settle, written};
#[allow(unused_imports)]
use super::views::Written;
use super::views::{self, ActorOut, Empty, Items};
use super::Problem;
use crate::app::usecases::timing::{self, Change, Content};
use crate::app::App;
use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, put, web, HttpResponse};
use chatd_domain::calendar::{Calendar, OpenState};
use chatd_domain::dialog::{ScheduledStatus, ScheduledTemplate};
use chatd_domain::setup::{Settings, SettingsCommand, SETTINGS_ID};
use chatd_domain::{Actor, Attachment, MessageError, Role, ScheduleId};
use chatd_projections::timeline::{self, TimelineScheduled};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
#[allow(unused_imports)]
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// The calendar, and the shop's state now.
#[derive(Serialize, ToSchema)]
pub struct CalendarOut {
    /// `null`: the shop keeps no calendar (always open, no away replies).
    pub calendar: Option<Calendar>,
    /// Open now (the shop's own hours; a channel may differ).
    pub open: bool,
    /// While open: when it closes.
    #[serde(with = "time::serde::rfc3339::option")]
    pub closes_at: Option<OffsetDateTime>,
    /// While closed: when it opens (`null`: not within a year).
    #[serde(with = "time::serde::rfc3339::option")]
    pub opens_at: Option<OffsetDateTime>,
}

fn calendar_out(calendar: Option<Calendar>, now: OffsetDateTime) -> CalendarOut {
    let state = calendar.as_ref().map(|c| c.state(None, now));
    let (open, closes_at, opens_at) = match state {
        None => (true, None, None),
        Some(OpenState::Open { closes }) => (true, closes, None),
        Some(OpenState::Closed { opens, .. }) => (false, None, opens),
    };
    CalendarOut {
        calendar,
        open,
        closes_at,
        opens_at,
    }
}

#[utoipa::path(operation_id = "get_calendar", get, path = "/api/v1/settings/calendar", tag = "settings", params(ReadParams), security(("bearer" = [])), responses((status = 200, body = CalendarOut)))]
#[get("/settings/calendar")]
async fn get_calendar(
    app: web::Data<App>,
    _caller: Caller,
    p: web::Query<ReadParams>,
) -> Result<HttpResponse, Problem> {
    settle(&app, p.min_position.as_deref()).await?;
    let calendar = app.model().calendar.clone();
    Ok(HttpResponse::Ok().json(calendar_out(calendar, app.now())))
}

#[utoipa::path(operation_id = "set_calendar", put, path = "/api/v1/settings/calendar", tag = "settings", request_body = Calendar, security(("bearer" = [])), responses((status = 200, body = Written<CalendarOut>), (status = 403, description = "missing_right: settings.manage", body = Problem), (status = 422, description = "validation_failed: an unknown time zone, overlapping or backward periods, too many", body = Problem)))]
#[put("/settings/calendar")]
async fn put_calendar(
    app: web::Data<App>,
    caller: Caller,
    body: Json<Calendar>,
) -> Result<HttpResponse, Problem> {
    let calendar = body.into_inner();
    let cmd = app.command(
        caller.principal,
        SettingsCommand::SetCalendar(Some(Box::new(calendar.clone()))),
    );
    let out = app.execute::<Settings>(SETTINGS_ID, &cmd).await?;
    written(
        StatusCode::OK,
        calendar_out(Some(calendar), app.now()),
        out.position,
    )
}

#[utoipa::path(operation_id = "remove_calendar", delete, path = "/api/v1/settings/calendar", tag = "settings", security(("bearer" = [])), responses((status = 200, description = "the shop keeps no calendar: always open", body = Written<Empty>), (status = 403, description = "missing_right: settings.manage", body = Problem)))]
#[delete("/settings/calendar")]
async fn remove_calendar(app: web::Data<App>, caller: Caller) -> Result<HttpResponse, Problem> {
    let cmd = app.command(caller.principal, SettingsCommand::SetCalendar(None));
    let out = app.execute::<Settings>(SETTINGS_ID, &cmd).await?;
    written(StatusCode::OK, Empty {}, out.position)
}

#[derive(Deserialize, ToSchema)]
pub struct SnoozeBody {
    /// Until when (RFC 3339; in the future, at most a year ahead).
    #[serde(with = "time::serde::rfc3339")]
    until: OffsetDateTime,
}

#[utoipa::path(post, path = "/api/v1/dialogs/{id}/snooze", operation_id = "snooze_dialog", tag = "dialogs", params(("id" = uuid::Uuid, Path)), request_body = SnoozeBody, security(("bearer" = [])), responses((status = 200, description = "out of the open lists (under `status=snoozed`) until `until` or the customer's next message; a `dialog_updated` frame then", body = Written<Empty>), (status = 403, description = "not_responsible", body = Problem), (status = 404, description = "not_found: no such dialog, or not visible to the caller", body = Problem), (status = 409, description = "dialog_closed: a closed dialog is not snoozed", body = Problem), (status = 422, description = "validation_failed: `until` not in the future or more than a year ahead", body = Problem)))]
#[post("/dialogs/{id}/snooze")]
async fn snooze(
    app: web::Data<App>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<SnoozeBody>,
) -> Result<HttpResponse, Problem> {
    let out = timing::snooze(&app, caller.principal, *id, body.into_inner().until).await?;
    written(StatusCode::OK, Empty {}, out.position)
}

#[utoipa::path(delete, path = "/api/v1/dialogs/{id}/snooze", operation_id = "unsnooze_dialog", tag = "dialogs", params(("id" = uuid::Uuid, Path)), security(("bearer" = [])), responses((status = 200, description = "back in the open lists; a no-op when not snoozed", body = Written<Empty>), (status = 403, description = "not_responsible", body = Problem), (status = 404, description = "not_found", body = Problem)))]
#[delete("/dialogs/{id}/snooze")]
async fn unsnooze(
    app: web::Data<App>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let out = timing::unsnooze(&app, caller.principal, *id).await?;
    written(StatusCode::OK, Empty {}, out.position)
}

/// A scheduled message.
#[derive(Serialize, ToSchema)]
pub struct ScheduledOut {
    pub id: Uuid,
    pub dialog_id: Uuid,
    /// Who scheduled it (and will be its author).
    pub author: ActorOut,
    #[serde(with = "time::serde::rfc3339")]
    pub send_at: OffsetDateTime,
    pub status: ScheduledStatus,
    pub text: String,
    pub attachments: Vec<Attachment>,
    pub template: Option<ScheduledTemplate>,
    /// With `failed`: why (`code` is the API code the send was refused with).
    pub error: Option<MessageError>,
    /// With `sent`: the message it became.
    pub message_id: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

fn scheduled_out(
    m: &chatd_projections::ReadModel,
    dialog: Uuid,
    s: TimelineScheduled,
) -> ScheduledOut {
    ScheduledOut {
        id: s.id.0,
        dialog_id: dialog,
        author: views::actor(m, &s.author),
        send_at: s.send_at,
        status: s.status,
        text: s.content.text,
        attachments: s.content.attachments,
        template: s.content.template,
        error: s.error,
        message_id: s.message_id.map(|id| id.0),
        created_at: s.created_at,
        updated_at: s.updated_at,
    }
}

/// The dialog's scheduled messages `caller` may see: all of them for whoever sees the dialog
/// (R2), and their own for an author who no longer does (to read why one failed).
async fn scheduled_of(
    app: &App,
    caller: &Caller,
    dialog: Uuid,
) -> Result<Vec<ScheduledOut>, Problem> {
    let sees = {
        let m = app.model();
        let row = m.dialogs.get(&dialog.into()).filter(|r| !r.deleted);
        row.ok_or_else(Problem::not_found)?
            .is_visible_to(&caller.principal)
    };
    let history = super::dialogs::history_of(app, dialog).await?;
    let me = Actor::User { id: caller.user_id };
    let items: Vec<_> = timeline::scheduled(&history)
        .into_iter()
        .filter(|s| sees || s.author == me)
        .collect();
    if !sees && items.is_empty() {
        return Err(Problem::not_found());
    }
    let m = app.model();
    Ok(items
        .into_iter()
        .map(|s| scheduled_out(&m, dialog, s))
        .collect())
}

#[utoipa::path(get, path = "/api/v1/dialogs/{id}/scheduled", operation_id = "list_scheduled", tag = "dialogs", params(("id" = uuid::Uuid, Path), ReadParams), security(("bearer" = [])), responses((status = 200, description = "the timeline's scheduled part, in the order they were scheduled: pending ones and what became of the others", body = Items<ScheduledOut>), (status = 404, description = "not_found", body = Problem)))]
#[get("/dialogs/{id}/scheduled")]
async fn list_scheduled(
    app: web::Data<App>,
    caller: Caller,
    id: web::Path<Uuid>,
    p: web::Query<ReadParams>,
) -> Result<HttpResponse, Problem> {
    settle(&app, p.min_position.as_deref()).await?;
    let items = scheduled_of(&app, &caller, *id).await?;
    Ok(HttpResponse::Ok().json(Items { items }))
}

#[derive(Deserialize, ToSchema)]
pub struct TemplateRef {
    code: String,
    #[serde(default)]
    params: Vec<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct ScheduleBody {
    /// When to send it (RFC 3339; in the future, at most a year ahead).
    #[serde(with = "time::serde::rfc3339")]
    send_at: OffsetDateTime,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    attachment_ids: Option<Vec<Uuid>>,
    /// R26: an approved template of the channel, sent alone.
    #[serde(default)]
    template: Option<TemplateRef>,
}

#[derive(Deserialize, ToSchema)]
pub struct SchedulePatch {
    #[serde(default, with = "time::serde::rfc3339::option")]
    send_at: Option<OffsetDateTime>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    attachment_ids: Option<Vec<Uuid>>,
    #[serde(default)]
    template: Option<TemplateRef>,
}

/// The content a body names: a template, or text and attachments (either given); `None`: none.
fn content(
    text: Option<String>,
    attachment_ids: Option<Vec<Uuid>>,
    template: Option<TemplateRef>,
) -> Result<Option<Content>, Problem> {
    match (template, text.is_some() || attachment_ids.is_some()) {
        (Some(_), true) => Err(
            crate::app::AppError::from(chatd_domain::DomainError::invalid(
                "template",
                "a template is sent alone, without text or attachments",
            ))
            .into(),
        ),
        (Some(t), false) => Ok(Some(Content::Template {
            code: t.code,
            params: t.params,
        })),
        (None, true) => Ok(Some(Content::Text {
            text: text.unwrap_or_default(),
            attachment_ids: attachment_ids.unwrap_or_default(),
        })),
        (None, false) => Ok(None),
    }
}

async fn one(
    app: &App,
    caller: &Caller,
    dialog: Uuid,
    id: ScheduleId,
) -> Result<ScheduledOut, Problem> {
    scheduled_of(app, caller, dialog)
        .await?
        .into_iter()
        .find(|s| s.id == id.0)
        .ok_or_else(Problem::not_found)
}

#[utoipa::path(post, path = "/api/v1/dialogs/{id}/scheduled", operation_id = "schedule_message", tag = "dialogs", params(("id" = uuid::Uuid, Path)), request_body = ScheduleBody, security(("bearer" = [])), responses((status = 201, description = "scheduled; at `send_at` it is sent by the ordinary send as its author, or becomes `failed` with the reason", body = Written<ScheduledOut>), (status = 403, description = "not_responsible", body = Problem), (status = 404, description = "not_found, template_not_found, unknown file", body = Problem), (status = 409, description = "too_many_scheduled", body = Problem), (status = 422, description = "validation_failed, empty_message, text_too_long, too_many_attachments", body = Problem)))]
#[post("/dialogs/{id}/scheduled")]
async fn schedule(
    app: web::Data<App>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<ScheduleBody>,
) -> Result<HttpResponse, Problem> {
    let b = body.into_inner();
    let content = content(b.text, b.attachment_ids, b.template)?.ok_or_else(|| {
        Problem::from(crate::app::AppError::from(
            chatd_domain::DomainError::EmptyMessage,
        ))
    })?;
    let (sid, out) = timing::schedule(&app, caller.principal, *id, b.send_at, content).await?;
    app.wait_for(out.position, crate::app::MIN_POSITION_WAIT)
        .await?;
    written(
        StatusCode::CREATED,
        one(&app, &caller, *id, sid).await?,
        out.position,
    )
}

#[utoipa::path(patch, path = "/api/v1/dialogs/{id}/scheduled/{schedule_id}", operation_id = "edit_scheduled", tag = "dialogs", params(("id" = uuid::Uuid, Path), ("schedule_id" = uuid::Uuid, Path)), request_body = SchedulePatch, security(("bearer" = [])), responses((status = 200, description = "what is given replaces what it holds (text and attachments together, or a template)", body = Written<ScheduledOut>), (status = 403, description = "not_author", body = Problem), (status = 404, description = "not_found", body = Problem), (status = 409, description = "scheduled_not_pending: sent, failed or cancelled already", body = Problem), (status = 422, description = "validation_failed", body = Problem)))]
#[patch("/dialogs/{id}/scheduled/{schedule_id}")]
async fn edit_scheduled(
    app: web::Data<App>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<SchedulePatch>,
) -> Result<HttpResponse, Problem> {
    let (dialog, sid) = path.into_inner();
    let b = body.into_inner();
    let change = Change {
        send_at: b.send_at,
        content: content(b.text, b.attachment_ids, b.template)?,
    };
    let sid = ScheduleId::from(sid);
    let out = timing::edit(&app, caller.principal, dialog, sid, change).await?;
    app.wait_for(out.position, crate::app::MIN_POSITION_WAIT)
        .await?;
    written(
        StatusCode::OK,
        one(&app, &caller, dialog, sid).await?,
        out.position,
    )
}

#[utoipa::path(delete, path = "/api/v1/dialogs/{id}/scheduled/{schedule_id}", operation_id = "cancel_scheduled", tag = "dialogs", params(("id" = uuid::Uuid, Path), ("schedule_id" = uuid::Uuid, Path)), security(("bearer" = [])), responses((status = 200, description = "cancelled (by its author, an admin or a chat admin)", body = Written<Empty>), (status = 403, description = "not_author", body = Problem), (status = 404, description = "not_found", body = Problem), (status = 409, description = "scheduled_not_pending", body = Problem)))]
#[delete("/dialogs/{id}/scheduled/{schedule_id}")]
async fn cancel_scheduled(
    app: web::Data<App>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, Problem> {
    let (dialog, sid) = path.into_inner();
    let out = timing::cancel(&app, caller.principal, dialog, sid.into()).await?;
    written(StatusCode::OK, Empty {}, out.position)
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ClockBody {
    #[serde(with = "time::serde::rfc3339")]
    now: OffsetDateTime,
}

/// Testing only: the test clock (`test_clock` in the configuration); 404 otherwise.
#[utoipa::path(put, path = "/api/v1/test/clock", operation_id = "set_test_clock", tag = "operations", request_body = ClockBody, security(("bearer" = [])), responses((status = 200, description = "the clock now says `now`; due timers fire", body = ClockBody), (status = 404, description = "not_found: no test clock (always, in service)", body = Problem)))]
#[put("/test/clock")]
async fn set_clock(
    app: web::Data<App>,
    caller: Caller,
    body: Json<ClockBody>,
) -> Result<HttpResponse, Problem> {
    if caller.role != Role::Admin || !app.clock.set(body.now) {
        return Err(Problem::not_found());
    }
    Ok(HttpResponse::Ok().json(ClockBody { now: app.now() }))
}

#[utoipa::path(get, path = "/api/v1/test/clock", operation_id = "get_test_clock", tag = "operations", security(("bearer" = [])), responses((status = 200, body = ClockBody), (status = 404, description = "not_found: no test clock", body = Problem)))]
#[get("/test/clock")]
async fn get_clock(app: web::Data<App>, caller: Caller) -> Result<HttpResponse, Problem> {
    if caller.role != Role::Admin || !app.clock.is_adjustable() {
        return Err(Problem::not_found());
    }
    Ok(HttpResponse::Ok().json(ClockBody { now: app.now() }))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(get_calendar)
        .service(put_calendar)
        .service(remove_calendar)
        .service(snooze)
        .service(unsnooze)
        .service(list_scheduled)
        .service(schedule)
        .service(edit_scheduled)
        .service(cancel_scheduled)
        .service(set_clock)
        .service(get_clock);
}
