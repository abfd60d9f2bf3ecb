//! The dialog routes of the manager API (SPEC §5): detail, timeline, and every action on a
//! dialog. The list, its facets and the header counter are `dialog_list`.

use super::extract::Caller;
use super::json::Json;
use super::people::ReadParams;
use super::support::{next_offset, offset_page, settle, written};
use super::views::{DeleteResult, TimelineEntryOut};
#[allow(unused_imports)]
use super::views::{Empty, Items, Page, Written};
use super::{views, Problem};
use crate::app::{usecases, App, AppError};
use actix_web::http::StatusCode;
use actix_web::{delete, get, post, put, web, HttpResponse};
use chatd_domain::dialog::Dialog;
use chatd_domain::dialog::{DialogCommand, DialogEvent};
use chatd_domain::{Assignee, CustomerId, DialogId, Principal, Recorded};
use chatd_projections::timeline::{self, Entry, SystemKind};
use chatd_projections::ReadModel;
use serde::Deserialize;
#[allow(unused_imports)]
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

type Row = chatd_projections::model::dialogs::DialogRow;

/// The row, if `sees` it (404 otherwise, never 403).
fn row_if(m: &ReadModel, id: Uuid, sees: impl Fn(&Row) -> bool) -> Result<&Row, Problem> {
    m.dialogs
        .get(&DialogId::from(id))
        .filter(|r| sees(r))
        .ok_or_else(Problem::not_found)
}

/// The row, if `caller` sees it as R2 says or through an open mention (R27).
fn seen_row<'m>(m: &'m ReadModel, caller: &Caller, id: Uuid) -> Result<&'m Row, Problem> {
    row_if(m, id, |r| m.sees_dialog(&caller.principal, r))
}

/// The row, if `caller` may see it as R2 says.
pub(super) fn visible_row<'m>(
    m: &'m ReadModel,
    caller: &Caller,
    id: Uuid,
) -> Result<&'m Row, Problem> {
    row_if(m, id, |r| r.is_visible_to(&caller.principal))
}

/// A dialog's events, oldest first (what its timeline and its scheduled part are folded from).
pub(super) async fn history_of(
    app: &App,
    dialog: Uuid,
) -> Result<Vec<Recorded<DialogEvent>>, Problem> {
    Ok(app
        .history::<Dialog>(dialog)
        .await?
        .into_iter()
        .map(|(_, r)| r)
        .collect())
}

/// A dialog's timeline as it is now, folded from its stream (oldest first).
pub(super) async fn timeline_now(app: &App, dialog: Uuid) -> Result<Vec<Entry>, Problem> {
    Ok(timeline::build(&history_of(app, dialog).await?))
}

#[utoipa::path(operation_id = "get_dialog", get, path = "/api/v1/dialogs/{id}", tag = "dialogs", params(("id" = uuid::Uuid, Path), ReadParams), security(("bearer" = [])), responses((status = 200, body = views::DialogDetail), (status = 404, description = "not_found: no such dialog, or not visible to the caller (an open mention makes it visible, R27)", body = Problem)))]
#[get("/dialogs/{id}")]
async fn dialog_detail(
    app: web::Data<App>,
    caller: Caller,
    id: web::Path<Uuid>,
    p: web::Query<ReadParams>,
) -> Result<HttpResponse, Problem> {
    settle(&app, p.min_position.as_deref()).await?;
    let m = app.model();
    let row = seen_row(&m, &caller, *id)?;
    Ok(HttpResponse::Ok().json(views::dialog_detail(&m, row, &caller.principal, app.now())))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    cursor: Option<String>,
    limit: Option<usize>,
    min_position: Option<String>,
}

pub(super) fn entry_out(m: &ReadModel, dialog_id: Uuid, e: &Entry) -> TimelineEntryOut {
    match e {
        Entry::Message(msg) => TimelineEntryOut::Message {
            message: views::message(m, dialog_id, msg),
        },
        Entry::Note(n) => TimelineEntryOut::Note {
            note: views::note(m, dialog_id, n),
        },
        Entry::System { kind, by, at } => {
            let (until, reason) = match kind {
                SystemKind::Snoozed { until } => (Some(*until), None),
                SystemKind::Woke { reason } => (None, Some(*reason)),
                _ => (None, None),
            };
            let (event, from, to) = match kind {
                SystemKind::Snoozed { .. } => ("snoozed", None, None),
                SystemKind::Woke { .. } => ("woke", None, None),
                SystemKind::Opened => ("opened", None, None),
                SystemKind::Closed => ("closed", None, None),
                SystemKind::Reopened => ("reopened", None, None),
                SystemKind::CustomerUnpinned => ("customer_unpinned", None, None),
                SystemKind::CustomerPinned => ("customer_pinned", None, None),
                SystemKind::Reassigned { from, to } => ("reassigned", *from, Some(*to)),
            };
            TimelineEntryOut::System {
                event,
                at: *at,
                by: views::actor(m, by),
                from: from.map(|a| views::assignee(m, &a)),
                to: to.map(|a| views::assignee(m, &a)),
                until,
                reason,
            }
        }
    }
}

#[utoipa::path(operation_id = "get_timeline", get, path = "/api/v1/dialogs/{id}/timeline", tag = "dialogs", params(("id" = uuid::Uuid, Path), PageParams), security(("bearer" = [])), responses((status = 200, body = Page<TimelineEntryOut>), (status = 404, description = "not_found: no such dialog, or not visible to the caller", body = Problem)))]
#[get("/dialogs/{id}/timeline")]
async fn timeline_route(
    app: web::Data<App>,
    caller: Caller,
    id: web::Path<Uuid>,
    p: web::Query<PageParams>,
) -> Result<HttpResponse, Problem> {
    settle(&app, p.min_position.as_deref()).await?;
    {
        let m = app.model();
        seen_row(&m, &caller, *id)?;
    }
    let (skip, limit) = offset_page(p.cursor.as_deref(), p.limit, 't')?;
    let entries = timeline_now(&app, *id).await?;
    let m = app.model();
    let items: Vec<_> = entries
        .iter()
        .rev()
        .skip(skip)
        .take(limit)
        .map(|e| entry_out(&m, *id, e))
        .collect();
    let next = next_offset(skip, limit, entries.len(), 't');
    Ok(HttpResponse::Ok().json(Page {
        items,
        next_cursor: next,
    }))
}

pub(super) use chatd_app::usecases::dialogs::run;

/// R26: an approved template of the channel, by code, with its positional parameters.
#[derive(Deserialize, ToSchema)]
pub struct TemplateBody {
    code: String,
    #[serde(default)]
    params: Vec<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct SendBody {
    /// R26: send an approved template instead of text (allowed outside the reply window).
    template: Option<TemplateBody>,
    #[serde(default)]
    text: String,
    quote_message_id: Option<Uuid>,
    #[serde(default)]
    attachment_ids: Vec<Uuid>,
}

#[utoipa::path(operation_id = "send_message", post, path = "/api/v1/dialogs/{id}/messages", tag = "dialogs", params(("id" = uuid::Uuid, Path)), security(("bearer" = [])), request_body = SendBody, responses((status = 201, body = Written<views::MessageOut>), (status = 403, description = "not_responsible", body = Problem), (status = 409, description = "customer_blocked; reply_window_closed (R25: outside the channel's reply window only an approved template may be sent)", body = Problem), (status = 413, description = "attachment_too_large", body = Problem), (status = 422, description = "text_too_long, empty_message, quote_not_found, unsupported_by_channel, too_many_attachments, unknown_file; template_not_approved, template_params (R26)", body = Problem), (status = 404, description = "not_found: no such dialog, or not visible to the caller; template_not_found", body = Problem)))]
#[post("/dialogs/{id}/messages")]
async fn send(
    app: web::Data<App>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<SendBody>,
) -> Result<HttpResponse, Problem> {
    send_as(&app, caller.principal, *id, body.into_inner()).await
}

/// R3, R7–R9, R11: `by` writes into dialog `id`; 201 with the message.
pub(super) async fn send_as(
    app: &App,
    by: Principal,
    id: Uuid,
    body: SendBody,
) -> Result<HttpResponse, Problem> {
    let writing = usecases::dialogs::Writing {
        template: body.template.map(|t| (t.code, t.params)),
        text: body.text,
        quote_message_id: body.quote_message_id,
        attachment_ids: body.attachment_ids,
    };
    let (message_id, out) = usecases::dialogs::send(app, by, id, writing).await?;
    let m = app.model();
    let msg = out.events.iter().find_map(|r| match &r.event {
        DialogEvent::MessageSent {
            message_id: sent, ..
        } if *sent == message_id => {
            views::message_from_event(&m, DialogId::from(id), &r.event, r.meta.at)
        }
        _ => None,
    });
    written(StatusCode::CREATED, msg, out.position)
}

#[derive(Deserialize, ToSchema)]
pub struct ReassignBody {
    pub(super) to: Assignee,
}

#[utoipa::path(operation_id = "reassign_dialog", post, path = "/api/v1/dialogs/{id}/reassign", tag = "dialogs", params(("id" = uuid::Uuid, Path)), security(("bearer" = [])), request_body = ReassignBody, responses((status = 200, body = Written<Empty>), (status = 403, description = "not_responsible", body = Problem), (status = 422, description = "invalid_assignee", body = Problem), (status = 404, description = "not_found: no such dialog, or not visible to the caller", body = Problem)))]
#[post("/dialogs/{id}/reassign")]
async fn reassign(
    app: web::Data<App>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<ReassignBody>,
) -> Result<HttpResponse, Problem> {
    reassign_as(&app, caller.principal, *id, body.to).await
}

/// R2: `by` hands dialog `id` to `to`.
pub(super) async fn reassign_as(
    app: &App,
    by: Principal,
    id: Uuid,
    to: Assignee,
) -> Result<HttpResponse, Problem> {
    let out = usecases::dialogs::reassign(app, by, id, to).await?;
    written(StatusCode::OK, Empty {}, out.position)
}

macro_rules! simple_action {
    ($(#[$doc:meta])* $name:ident, $method:ident, $path:literal, $cmd:expr) => {
        $(#[$doc])*
        #[$method($path)]
        async fn $name(
            app: web::Data<App>,
            caller: Caller,
            id: web::Path<Uuid>,
        ) -> Result<HttpResponse, Problem> {
            let out = run(&app, caller.principal, *id, $cmd).await?;
            written(StatusCode::OK, Empty {}, out.position)
        }
    };
}

simple_action!(
    #[utoipa::path(post, path = "/api/v1/dialogs/{id}/close", operation_id = "close_dialog", tag = "dialogs", params(("id" = uuid::Uuid, Path)), security(("bearer" = [])), responses((status = 200, description = "closed; closing a closed dialog is a no-op", body = Written<Empty>), (status = 403, description = "not_responsible", body = Problem), (status = 404, description = "not_found: no such dialog, or not visible to the caller", body = Problem)))]
    close,
    post,
    "/dialogs/{id}/close",
    DialogCommand::Close
);
simple_action!(
    #[utoipa::path(post, path = "/api/v1/dialogs/{id}/read", operation_id = "mark_read", tag = "dialogs", params(("id" = uuid::Uuid, Path)), security(("bearer" = [])), responses((status = 200, description = "read up to now by the caller", body = Written<Empty>), (status = 404, description = "not_found: no such dialog, or not visible to the caller", body = Problem)))]
    read,
    post,
    "/dialogs/{id}/read",
    DialogCommand::MarkRead
);
simple_action!(
    #[utoipa::path(post, path = "/api/v1/dialogs/{id}/unread", operation_id = "mark_unread", tag = "dialogs", params(("id" = uuid::Uuid, Path)), security(("bearer" = [])), responses((status = 200, description = "marked unread for the caller only", body = Written<Empty>), (status = 404, description = "not_found: no such dialog, or not visible to the caller", body = Problem)))]
    unread,
    post,
    "/dialogs/{id}/unread",
    DialogCommand::MarkUnread
);
simple_action!(
    #[utoipa::path(delete, path = "/api/v1/dialogs/{id}/draft", tag = "dialogs", params(("id" = uuid::Uuid, Path)), security(("bearer" = [])), responses((status = 200, description = "the caller's draft cleared", body = Written<Empty>), (status = 404, description = "not_found: no such dialog, or not visible to the caller", body = Problem)))]
    clear_draft,
    delete,
    "/dialogs/{id}/draft",
    DialogCommand::ClearDraft
);
simple_action!(
    #[utoipa::path(post, path = "/api/v1/dialogs/{id}/unpin-customer", tag = "dialogs", params(("id" = uuid::Uuid, Path)), security(("bearer" = [])), responses((status = 200, description = "the customer unpinned; the customer stays", body = Written<Empty>), (status = 409, description = "customer_not_pinned", body = Problem), (status = 404, description = "not_found: no such dialog, or not visible to the caller", body = Problem)))]
    unpin_customer,
    post,
    "/dialogs/{id}/unpin-customer",
    DialogCommand::UnpinCustomer
);

#[derive(Deserialize, ToSchema)]
pub struct DraftBody {
    text: String,
}

#[utoipa::path(put, path = "/api/v1/dialogs/{id}/draft", tag = "dialogs", params(("id" = uuid::Uuid, Path)), security(("bearer" = [])), request_body = DraftBody, responses((status = 200, body = Written<Empty>), (status = 422, description = "text_too_long", body = Problem), (status = 404, description = "not_found: no such dialog, or not visible to the caller", body = Problem)))]
#[put("/dialogs/{id}/draft")]
async fn save_draft(
    app: web::Data<App>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<DraftBody>,
) -> Result<HttpResponse, Problem> {
    let out = run(
        &app,
        caller.principal,
        *id,
        DialogCommand::SaveDraft {
            text: body.into_inner().text,
        },
    )
    .await?;
    written(StatusCode::OK, Empty {}, out.position)
}

#[derive(Deserialize, ToSchema)]
pub struct PinBody {
    customer_id: Uuid,
}

#[utoipa::path(post, path = "/api/v1/dialogs/{id}/pin-customer", tag = "dialogs", params(("id" = uuid::Uuid, Path)), security(("bearer" = [])), request_body = PinBody, responses((status = 200, body = Written<Empty>), (status = 409, description = "customer_already_pinned", body = Problem), (status = 404, description = "not_found: no such dialog, or not visible to the caller", body = Problem)))]
#[post("/dialogs/{id}/pin-customer")]
async fn pin_customer(
    app: web::Data<App>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<PinBody>,
) -> Result<HttpResponse, Problem> {
    let customer_id = CustomerId::from(body.customer_id);
    // R32: a customer the caller may not reach is answered as one that does not exist.
    if app
        .model()
        .visible_customer(&caller.principal, &customer_id)
        .is_none()
    {
        return Err(Problem::validation_failed("no such customer"));
    }
    let out = run(
        &app,
        caller.principal,
        *id,
        DialogCommand::PinCustomer { customer_id },
    )
    .await?;
    written(StatusCode::OK, Empty {}, out.position)
}

#[derive(Deserialize, ToSchema)]
pub struct DeleteBody {
    ids: Vec<Uuid>,
}

/// R13: bulk delete. All or nothing per dialog: each id answers `deleted` or the problem's code.
#[utoipa::path(post, path = "/api/v1/dialogs/delete", tag = "dialogs", request_body = DeleteBody, security(("bearer" = [])), responses((status = 200, body = Written<Items<DeleteResult>>), (status = 403, description = "missing_right", body = Problem)))]
#[post("/dialogs/delete")]
async fn delete_dialogs(
    app: web::Data<App>,
    caller: Caller,
    body: Json<DeleteBody>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner();
    if body.ids.is_empty() || body.ids.len() > 200 {
        return Err(Problem::validation_failed("ids: 1 to 200 dialog ids"));
    }
    chatd_domain::dialog::may_delete(&caller.principal).map_err(AppError::from)?;
    let mut results = Vec::with_capacity(body.ids.len());
    let mut position = None;
    for id in body.ids {
        match run(&app, caller.principal, id, DialogCommand::Delete).await {
            Ok(out) => {
                position = out.position.max(position);
                results.push(DeleteResult {
                    id,
                    result: "deleted".into(),
                });
            }
            Err(AppError::Domain(e)) => results.push(DeleteResult {
                id,
                result: e.code().into(),
            }),
            Err(e) => return Err(e.into()),
        }
    }
    written(StatusCode::OK, Items { items: results }, position)
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    // Fixed paths before `/dialogs/{id}`.
    cfg.service(delete_dialogs)
        .service(dialog_detail)
        .service(timeline_route)
        .service(send)
        .service(reassign)
        .service(close)
        .service(read)
        .service(unread)
        .service(save_draft)
        .service(clear_draft)
        .service(unpin_customer)
        .service(pin_customer);
}
