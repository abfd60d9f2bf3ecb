//! Chat settings: time limits (R15) and quick replies (R10).

use super::extract::Caller;
use super::json::Json;
use super::people::ReadParams;
use super::support::{act, settle, written, written_view};
use super::views::QuickReplyOut;
#[allow(unused_imports)]
use super::views::{Empty, Items, Page, Written};
use super::Problem;
use crate::app::App;
use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, put, web, HttpResponse};
use chatd_domain::dialog::Dialog;
use chatd_domain::setup::{QuickReply, Settings, SETTINGS_ID};
use chatd_domain::setup::{QuickReplyCommand, SettingsCommand, TimeLimits};
use chatd_domain::{MessageId, QuickReplyId};
use chatd_projections::model::catalog::QuickReplyView;
use serde::Deserialize;
#[allow(unused_imports)]
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[utoipa::path(operation_id = "get_time_limits", get, path = "/api/v1/settings/time-limits", tag = "settings", params(ReadParams), security(("bearer" = [])), responses((status = 200, body = TimeLimits)))]
#[get("/settings/time-limits")]
async fn get_limits(
    app: web::Data<App>,
    _caller: Caller,
    p: web::Query<ReadParams>,
) -> Result<HttpResponse, Problem> {
    settle(&app, p.min_position.as_deref()).await?;
    Ok(HttpResponse::Ok().json(&app.model().time_limits))
}

#[utoipa::path(operation_id = "set_time_limits", put, path = "/api/v1/settings/time-limits", tag = "settings", request_body = TimeLimits, security(("bearer" = [])), responses((status = 200, body = Written<TimeLimits>), (status = 403, description = "missing_right", body = Problem), (status = 422, description = "validation_failed", body = Problem)))]
#[put("/settings/time-limits")]
async fn put_limits(
    app: web::Data<App>,
    caller: Caller,
    body: Json<TimeLimits>,
) -> Result<HttpResponse, Problem> {
    let limits = body.into_inner();
    let cmd = app.command(
        caller.principal,
        SettingsCommand::SetTimeLimits(limits.clone()),
    );
    let out = app.execute::<Settings>(SETTINGS_ID, &cmd).await?;
    written(StatusCode::OK, limits, out.position)
}

fn reply_out(q: &QuickReplyView) -> QuickReplyOut {
    QuickReplyOut {
        id: q.id.0,
        shared: q.owner.is_none(),
        name: q.name.clone(),
        text: q.text.clone(),
        uses: q.uses,
        from_message_id: q.from_message_id.map(|m| m.0),
    }
}

/// Shared replies and the caller's own, most used first.
#[utoipa::path(get, path = "/api/v1/quick-replies", tag = "settings", params(ReadParams), operation_id = "list_quick_replies", security(("bearer" = [])), responses((status = 200, description = "shared replies and the caller\'s own, most used first", body = Items<QuickReplyOut>)))]
#[get("/quick-replies")]
async fn list(
    app: web::Data<App>,
    caller: Caller,
    p: web::Query<ReadParams>,
) -> Result<HttpResponse, Problem> {
    settle(&app, p.min_position.as_deref()).await?;
    let m = app.model();
    let mut items: Vec<_> = m
        .catalog
        .quick_replies
        .values()
        .filter(|q| q.owner.is_none() || q.owner == Some(caller.user_id))
        .collect();
    items.sort_by(|a, b| b.uses.cmp(&a.uses).then_with(|| a.name.cmp(&b.name)));
    let items: Vec<_> = items.into_iter().map(reply_out).collect();
    Ok(HttpResponse::Ok().json(Items { items }))
}

#[derive(Deserialize, ToSchema)]
pub struct NewReply {
    name: String,
    /// Optional with `from_message_id`: the message's text is used.
    text: Option<String>,
    #[serde(default)]
    shared: bool,
    from_message_id: Option<Uuid>,
    /// The dialog holding `from_message_id`.
    dialog_id: Option<Uuid>,
}

#[utoipa::path(post, path = "/api/v1/quick-replies", tag = "settings", request_body = NewReply, operation_id = "create_quick_reply", security(("bearer" = [])), responses((status = 201, body = Written<QuickReplyOut>), (status = 403, description = "missing_right", body = Problem), (status = 422, body = Problem)))]
#[post("/quick-replies")]
async fn create(
    app: web::Data<App>,
    caller: Caller,
    body: Json<NewReply>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner();
    let text = match (body.text, body.from_message_id, body.dialog_id) {
        (Some(t), _, _) => t,
        (None, Some(msg), Some(dialog)) => {
            // "Lightning": the text of a message in a dialog the caller can see.
            let visible = app
                .model()
                .dialogs
                .get(&dialog.into())
                .is_some_and(|r| r.is_visible_to(&caller.principal));
            if !visible {
                return Err(Problem::not_found());
            }
            let state = app.current::<Dialog>(dialog).await?;
            if state.notes.contains_key(&chatd_domain::NoteId::from(msg)) {
                return Err(Problem::validation_failed(
                    "a note is internal (R27): it cannot become a quick reply",
                ));
            }
            state
                .messages
                .get(&MessageId::from(msg))
                .map(|m| m.text.clone())
                .ok_or_else(Problem::not_found)?
        }
        _ => {
            return Err(Problem::validation_failed(
                "give text, or from_message_id with its dialog_id",
            ))
        }
    };
    let id = QuickReplyId::from(Uuid::new_v4());
    let cmd = app.command(
        caller.principal,
        QuickReplyCommand::Create {
            quick_reply_id: id,
            shared: body.shared,
            name: body.name,
            text,
            from_message_id: body.from_message_id.map(MessageId::from),
        },
    );
    let out = app.execute::<QuickReply>(id.0, &cmd).await?;
    written_view(&app, StatusCode::CREATED, out.position, |m| {
        m.catalog.quick_replies.get(&id).map(reply_out)
    })
    .await
}

#[derive(Deserialize, ToSchema)]
pub struct ReplyPatch {
    name: Option<String>,
    text: Option<String>,
}

#[utoipa::path(patch, path = "/api/v1/quick-replies/{id}", operation_id = "update_quick_reply", tag = "settings", params(("id" = uuid::Uuid, Path)), security(("bearer" = [])), request_body = ReplyPatch, responses((status = 200, body = Written<Empty>), (status = 404, body = Problem)))]
#[patch("/quick-replies/{id}")]
async fn update(
    app: web::Data<App>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<ReplyPatch>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner();
    reply_action(
        &app,
        &caller,
        *id,
        QuickReplyCommand::Update {
            name: body.name,
            text: body.text,
        },
    )
    .await
}

#[utoipa::path(operation_id = "use_quick_reply", post, path = "/api/v1/quick-replies/{id}/use", tag = "settings", params(("id" = uuid::Uuid, Path)), security(("bearer" = [])), responses((status = 200, body = Written<Empty>), (status = 404, body = Problem)))]
#[post("/quick-replies/{id}/use")]
async fn use_reply(
    app: web::Data<App>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    reply_action(&app, &caller, *id, QuickReplyCommand::Use).await
}

#[utoipa::path(operation_id = "delete_quick_reply", delete, path = "/api/v1/quick-replies/{id}", tag = "settings", params(("id" = uuid::Uuid, Path)), security(("bearer" = [])), responses((status = 200, body = Written<Empty>), (status = 404, body = Problem)))]
#[delete("/quick-replies/{id}")]
async fn remove(
    app: web::Data<App>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    reply_action(&app, &caller, *id, QuickReplyCommand::Delete).await
}

/// A command on one quick reply, answered with its position.
async fn reply_action(
    app: &App,
    caller: &Caller,
    id: Uuid,
    body: QuickReplyCommand,
) -> Result<HttpResponse, Problem> {
    act::<QuickReply>(app, id, caller.principal, body).await
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(get_limits)
        .service(put_limits)
        .service(list)
        .service(create)
        .service(update)
        .service(use_reply)
        .service(remove);
}
