//! R27: internal notes on a dialog and the caller's mentions.

use super::extract::Caller;
use super::json::Json;
use super::support::{offset_page, settle, written};
#[allow(unused_imports)]
use super::views::{Empty, Items, Page, Written};
use super::{views, Problem};
use crate::app::usecases::notes;
use crate::app::App;
use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, web, HttpResponse};
use chatd_domain::{DialogId, MentionId, NoteId, UserId};
use chatd_projections::timeline::Entry;
use serde::Deserialize;
#[allow(unused_imports)]
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// The note as it is now, folded from its dialog's stream.
async fn note_now(
    app: &App,
    dialog: DialogId,
    note: NoteId,
) -> Result<Option<views::NoteOut>, Problem> {
    let entries = super::dialogs::timeline_now(app, dialog.0).await?;
    let m = app.model();
    Ok(entries.iter().find_map(|e| match e {
        Entry::Note(n) if n.id == note => Some(views::note(&m, dialog.0, n)),
        _ => None,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct NoteBody {
    /// R8: at most 2000 characters.
    text: String,
    /// Users to ask: each gets a `mention_new` frame and sees the dialog until they mark the
    /// mention done. At most 20.
    #[serde(default)]
    mentions: Vec<Uuid>,
}

#[utoipa::path(post, path = "/api/v1/dialogs/{id}/notes", tag = "dialogs", params(("id" = uuid::Uuid, Path)), request_body = NoteBody, security(("bearer" = [])), responses((status = 201, description = "R27: the note; it never reaches the channel, its webhook or any counter", body = Written<views::NoteOut>), (status = 403, description = "forbidden: auditors; mention_not_allowed: the caller sees the dialog only through a mention and may not mention others into it", body = Problem), (status = 404, description = "not_found: no such dialog, or not visible to the caller", body = Problem), (status = 422, description = "invalid_mention (oneself, not an active user, more than 20), text_too_long, empty_message", body = Problem)))]
#[post("/dialogs/{id}/notes")]
async fn add_note(
    app: web::Data<App>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<NoteBody>,
) -> Result<HttpResponse, Problem> {
    let b = body.into_inner();
    let dialog = DialogId::from(*id);
    let mentions = b.mentions.into_iter().map(UserId::from).collect();
    let (note, out) = notes::add(&app, caller.principal, dialog, b.text, mentions).await?;
    written(
        StatusCode::CREATED,
        note_now(&app, dialog, note).await?,
        out.position,
    )
}

#[derive(Deserialize, ToSchema)]
pub struct NoteEdit {
    text: String,
}

#[utoipa::path(patch, path = "/api/v1/dialogs/{id}/notes/{note_id}", tag = "dialogs", params(("id" = uuid::Uuid, Path), ("note_id" = uuid::Uuid, Path)), request_body = NoteEdit, security(("bearer" = [])), responses((status = 200, description = "R27: the note as it is now", body = Written<views::NoteOut>), (status = 403, description = "not_author", body = Problem), (status = 404, description = "not_found", body = Problem), (status = 409, description = "message_deleted: the note was deleted", body = Problem), (status = 422, description = "text_too_long, empty_message", body = Problem)))]
#[patch("/dialogs/{id}/notes/{note_id}")]
async fn edit_note(
    app: web::Data<App>,
    caller: Caller,
    ids: web::Path<(Uuid, Uuid)>,
    body: Json<NoteEdit>,
) -> Result<HttpResponse, Problem> {
    let (dialog, note) = (DialogId::from(ids.0), NoteId::from(ids.1));
    let text = Some(body.into_inner().text);
    let out = notes::change(&app, caller.principal, dialog, note, text).await?;
    written(
        StatusCode::OK,
        note_now(&app, dialog, note).await?,
        out.position,
    )
}

#[utoipa::path(delete, path = "/api/v1/dialogs/{id}/notes/{note_id}", tag = "dialogs", params(("id" = uuid::Uuid, Path), ("note_id" = uuid::Uuid, Path)), security(("bearer" = [])), responses((status = 200, description = "R27: the note, deleted (its open mentions close)", body = Written<views::NoteOut>), (status = 403, description = "not_author", body = Problem), (status = 404, description = "not_found", body = Problem)))]
#[delete("/dialogs/{id}/notes/{note_id}")]
async fn delete_note(
    app: web::Data<App>,
    caller: Caller,
    ids: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, Problem> {
    let (dialog, note) = (DialogId::from(ids.0), NoteId::from(ids.1));
    let out = notes::change(&app, caller.principal, dialog, note, None).await?;
    written(
        StatusCode::OK,
        note_now(&app, dialog, note).await?,
        out.position,
    )
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MentionParams {
    /// `open` (default) or `done`.
    status: Option<String>,
    cursor: Option<String>,
    /// 1 to 200 (default 50).
    limit: Option<usize>,
    min_position: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/mentions", tag = "dialogs", params(MentionParams), security(("bearer" = [])), responses((status = 200, description = "R27: the caller's mentions, newest first, cursor-paged", body = Page<views::MentionOut>), (status = 400, description = "invalid_query", body = Problem)))]
#[get("/mentions")]
async fn list_mentions(
    app: web::Data<App>,
    caller: Caller,
    q: web::Query<MentionParams>,
) -> Result<HttpResponse, Problem> {
    let open = match q.status.as_deref() {
        None | Some("open") => true,
        Some("done") => false,
        Some(other) => {
            return Err(Problem::invalid_query(format!(
                "status {other:?}: open or done"
            )))
        }
    };
    let (skip, limit) = offset_page(q.cursor.as_deref(), q.limit, 'm')?;
    settle(&app, q.min_position.as_deref()).await?;
    let m = app.model();
    let mut matching = caller
        .principal
        .user_id()
        .into_iter()
        .flat_map(|u| m.mentions.of_user(u))
        .filter(|v| v.open == open)
        .skip(skip);
    let items: Vec<_> = matching
        .by_ref()
        .take(limit)
        .map(|v| views::mention(&m, v))
        .collect();
    let more = matching.next().is_some();
    Ok(HttpResponse::Ok().json(Page {
        items,
        next_cursor: more.then(|| format!("m{}", skip + limit)),
    }))
}

#[utoipa::path(operation_id = "mark_mention_done", post, path = "/api/v1/mentions/{id}/done", tag = "dialogs", params(("id" = uuid::Uuid, Path)), security(("bearer" = [])), responses((status = 200, description = "R27: the mention is done; the dialog leaves the caller's sight unless R2 shows it (`dialog_removed`)", body = Written<Empty>), (status = 404, description = "not_found: no such mention of the caller", body = Problem)))]
#[post("/mentions/{id}/done")]
async fn mention_done(
    app: web::Data<App>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let (_, out) = notes::done(&app, caller.principal, MentionId::from(*id)).await?;
    written(StatusCode::OK, Empty {}, out.position)
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(add_note)
        .service(edit_note)
        .service(delete_note)
        .service(list_mentions)
        .service(mention_done);
}
