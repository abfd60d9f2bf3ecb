//! The Audit API (auditor or admin): every event of a dialog's stream, deleted dialogs included,
//! and the global log, paged; R29's signed checkpoint and its key. Read-only; auditors can read
//! nothing of the manager API.

use super::extract::Session;
use super::views::Page;
use super::Problem;
use crate::app::App;
use crate::audit::checkpoint::{Checkpoint, CheckpointError, Checkpointer};
use crate::audit::{audit_event, AuditEvent};
use actix_web::{get, web, HttpResponse};
use chatd_domain::dialog::Dialog;
use chatd_domain::dialog::DialogStatus;
use chatd_domain::Aggregate;
use chatd_domain::{BotId, ChannelId, CustomerId, Role, UserId};
use chatd_projections::ReadModel;
use chatd_store::Direction;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

const MAX_PAGE: usize = 1000;

fn auditor(s: &Session) -> Result<(), Problem> {
    match s.role {
        Role::Auditor | Role::Admin => Ok(()),
        _ => Err(Problem::forbidden(
            "the audit API is for auditors and admins",
        )),
    }
}

fn page_limit(limit: Option<usize>) -> Result<usize, Problem> {
    match limit.unwrap_or(200) {
        n @ 1..=MAX_PAGE => Ok(n),
        _ => Err(Problem::invalid_query(format!("limit is 1 to {MAX_PAGE}"))),
    }
}

/// The event with its author's name as the read models know it now (`author.name`): auditors
/// read names, not ids (R39). The stored event is unchanged; the name is beside it.
fn named(m: &ReadModel, mut e: AuditEvent) -> AuditEvent {
    let id = e.author["id"]
        .as_str()
        .and_then(|s| Uuid::parse_str(s).ok());
    let name = match (e.author["type"].as_str(), id) {
        (Some("user"), Some(id)) => m
            .people
            .users
            .get(&UserId::from(id))
            .map(|u| u.name.clone()),
        (Some("bot"), Some(id)) => m.people.bots.get(&BotId::from(id)).map(|b| b.name.clone()),
        (Some("customer"), Some(id)) => m
            .customers
            .get(&CustomerId::from(id))
            .map(|c| c.name.clone()),
        (Some("channel"), Some(id)) => m
            .catalog
            .channels
            .get(&ChannelId::from(id))
            .map(|c| c.name.clone()),
        (Some("system"), _) => Some("chatd".to_owned()),
        _ => None,
    };
    if let (Some(name), Some(author)) = (name, e.author.as_object_mut()) {
        author.insert("name".into(), name.into());
    }
    e
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DialogSearch {
    /// Words of the customer's name: each must start a word of it (`ann ber` finds Anna Berg).
    q: String,
    /// 1 to 200; 50 by default.
    limit: Option<usize>,
}

/// A dialog as an auditor finds it: deleted ones included.
#[derive(Serialize, ToSchema)]
pub struct AuditDialog {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub customer_name: String,
    pub channel: super::views::ChannelRef,
    pub status: DialogStatus,
    pub deleted: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub opened_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub last_activity_at: OffsetDateTime,
}

#[utoipa::path(operation_id = "audit_find_dialogs", get, path = "/api/audit/v1/dialogs", tag = "audit", params(DialogSearch), security(("bearer" = [])), responses((status = 200, description = "R39: the dialogs of customers whose name matches, deleted ones included, most recent activity first", body = super::views::Items<AuditDialog>), (status = 400, description = "invalid_query", body = Problem), (status = 403, description = "not an auditor or admin", body = Problem)))]
#[get("/dialogs")]
async fn find_dialogs(
    app: web::Data<App>,
    session: Session,
    q: web::Query<DialogSearch>,
) -> Result<HttpResponse, Problem> {
    auditor(&session)?;
    let limit = match q.limit.unwrap_or(50) {
        n @ 1..=200 => n,
        _ => return Err(Problem::invalid_query("limit is 1 to 200")),
    };
    let m = app.model();
    let customers = m
        .customers
        .matching_words(&q.q.to_lowercase())
        .ok_or_else(|| Problem::invalid_query("q: name a word of the customer's name"))?;
    let mut items: Vec<AuditDialog> = customers
        .iter()
        .filter_map(|c| m.customers.get(c))
        .flat_map(|c| {
            let dialogs = m.dialogs.by_customer.get(&c.id).into_iter().flatten();
            dialogs.filter_map(|d| m.dialogs.get(d)).map(|row| {
                let channel = m.catalog.channels.get(&row.channel_id);
                AuditDialog {
                    id: row.id.0,
                    customer_id: c.id.0,
                    customer_name: c.name.clone(),
                    channel: super::views::ChannelRef {
                        id: row.channel_id.0,
                        channel_type: channel.map(|c| c.channel_type),
                        name: channel.map(|c| c.name.clone()),
                    },
                    status: row.status,
                    deleted: row.deleted,
                    opened_at: row.opened_at,
                    last_activity_at: row.last_activity_at,
                }
            })
        })
        .collect();
    items.sort_by(|a, b| {
        b.last_activity_at
            .cmp(&a.last_activity_at)
            .then(a.id.cmp(&b.id))
    });
    items.truncate(limit);
    Ok(HttpResponse::Ok().json(super::views::Items { items }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StreamPage {
    /// The `next_cursor` of the previous page.
    cursor: Option<u64>,
    /// 1 to 1000; 200 by default.
    limit: Option<usize>,
}

#[utoipa::path(operation_id = "audit_dialog_events", get, path = "/api/audit/v1/dialogs/{id}/events", tag = "audit", params(("id" = uuid::Uuid, Path), StreamPage), security(("bearer" = [])), responses((status = 200, description = "every event of the dialog's stream, oldest first, deleted dialogs included; secrets redacted", body = Page<AuditEvent>), (status = 403, description = "not an auditor or admin", body = Problem), (status = 404, description = "no such dialog in the log", body = Problem)))]
#[get("/dialogs/{id}/events")]
async fn dialog_events(
    app: web::Data<App>,
    session: Session,
    id: web::Path<Uuid>,
    q: web::Query<StreamPage>,
) -> Result<HttpResponse, Problem> {
    auditor(&session)?;
    let limit = page_limit(q.limit)?;
    let from = q.cursor.unwrap_or(0);
    let stream = Dialog::stream(*id);
    let page = app
        .store
        .read_stream(&stream, from, Direction::Forwards, limit + 1)
        .await
        .map_err(crate::app::AppError::from)?;
    if page.is_empty() && from == 0 {
        return Err(Problem::not_found());
    }
    let next_cursor = (page.len() > limit).then(|| page[limit].version.to_string());
    crate::audit::learn_keys(&app.keys, app.store.as_ref(), &page)
        .await
        .map_err(crate::app::AppError::from)?;
    let m = app.model();
    Ok(HttpResponse::Ok().json(Page {
        items: page
            .iter()
            .take(limit)
            .map(|e| named(&m, audit_event(e, &app.keys.ring)))
            .collect::<Vec<_>>(),
        next_cursor,
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LogPage {
    /// A global position (exclusive): the `position` of the last event read, or the previous
    /// page's `next_cursor`. From the beginning when absent.
    after: Option<String>,
    /// 1 to 1000; 200 by default.
    limit: Option<usize>,
}

#[utoipa::path(operation_id = "audit_log", get, path = "/api/audit/v1/events", tag = "audit", params(LogPage), security(("bearer" = [])), responses((status = 200, description = "the global log after `after`, in order; `next_cursor` is the `after` of the next page", body = Page<AuditEvent>), (status = 400, description = "invalid_query", body = Problem), (status = 403, description = "not an auditor or admin", body = Problem)))]
#[get("/events")]
async fn log(
    app: web::Data<App>,
    session: Session,
    q: web::Query<LogPage>,
) -> Result<HttpResponse, Problem> {
    auditor(&session)?;
    let limit = page_limit(q.limit)?;
    let after = super::support::parse_position(q.after.as_deref())?;
    let page = app
        .store
        .read_all(after, limit)
        .await
        .map_err(crate::app::AppError::from)?;
    let next_cursor = (page.len() == limit)
        .then(|| page.last().map(|e| e.position.to_string()))
        .flatten();
    crate::audit::learn_keys(&app.keys, app.store.as_ref(), &page)
        .await
        .map_err(crate::app::AppError::from)?;
    let m = app.model();
    Ok(HttpResponse::Ok().json(Page {
        items: page
            .iter()
            .map(|e| named(&m, audit_event(e, &app.keys.ring)))
            .collect::<Vec<_>>(),
        next_cursor,
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CheckpointQuery {
    /// `false`: only the signed summary, without every stream's head (for frequent polling;
    /// keep a full one to verify against).
    heads: Option<bool>,
}

#[utoipa::path(operation_id = "audit_checkpoint", get, path = "/api/audit/v1/checkpoint", tag = "audit", params(CheckpointQuery), security(("bearer" = [])), responses((status = 200, description = "R29: a signed checkpoint of every stream's head at the log's current end (made at most every 5 s; in between the last one is served). Keep it off the machine; `chatd audit verify --checkpoint FILE` proves the log still extends it", body = Checkpoint), (status = 403, description = "not an auditor or admin", body = Problem), (status = 500, description = "log_not_intact: the log does not verify, so nothing is signed", body = Problem)))]
#[get("/checkpoint")]
async fn checkpoint(
    app: web::Data<App>,
    signer: web::Data<Checkpointer>,
    session: Session,
    q: web::Query<CheckpointQuery>,
) -> Result<HttpResponse, Problem> {
    auditor(&session)?;
    let served = signer.current(&*app.store).await.map_err(|e| match e {
        CheckpointError::Store(e) => Problem::from(crate::app::AppError::from(e)),
        broken @ CheckpointError::Broken { .. } => {
            Problem::log_not_intact(format!("{broken}; run `chatd audit verify`"))
        }
    })?;
    let body = match q.heads {
        Some(false) => served.summary.clone(),
        _ => served.full.clone(),
    };
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(body))
}

/// The key checkpoints are signed with.
#[derive(Serialize, ToSchema)]
pub struct AuditKeyView {
    /// `Ed25519`.
    algorithm: &'static str,
    /// First 16 hex digits of SHA-256 over the key's 32 bytes.
    key_id: String,
    /// The key's 32 bytes in hex.
    public_key: String,
    /// The key as SPKI PEM (`openssl pkeyutl -verify -pubin -inkey`).
    pem: String,
}

#[utoipa::path(operation_id = "audit_key", get, path = "/api/audit/v1/key", tag = "audit", security(("bearer" = [])), responses((status = 200, description = "R29: the public key checkpoints are signed with", body = AuditKeyView), (status = 403, description = "not an auditor or admin", body = Problem)))]
#[get("/key")]
async fn key(signer: web::Data<Checkpointer>, session: Session) -> Result<HttpResponse, Problem> {
    auditor(&session)?;
    let public = signer.public();
    Ok(HttpResponse::Ok().json(AuditKeyView {
        algorithm: "Ed25519",
        key_id: crate::audit::key::key_id(&public),
        public_key: chatd_store::hash::hex(public.as_bytes()),
        pem: crate::audit::key::public_pem(&public),
    }))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(find_dialogs)
        .service(dialog_events)
        .service(log)
        .service(checkpoint)
        .service(key);
}
