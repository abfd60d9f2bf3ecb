//! R35: a customer's erasure (GDPR Art. 17) and export (Art. 15), admins only. See
//! `docs/PRIVACY.md` for what each reaches.

use super::extract::Caller;
use super::json::Json;
use super::support::written;
#[allow(unused_imports)]
use super::views::Written;
use super::{views, Problem};
use crate::app::App;
use crate::audit::{audit_event, learn_keys, stream_events, AuditEvent};
use crate::files::Blobs;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use chatd_app::usecases::privacy;
use chatd_domain::customer::Customer;
use chatd_domain::dialog::Dialog;
use chatd_domain::{Aggregate, CustomerId};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
pub struct EraseBody {
    /// Why (e.g. "GDPR Art. 17 request #2041"): kept in clear in the log, so it must name the
    /// request, never the person. 1 to 500 characters.
    reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct ErasureOut {
    /// `false`: the customer was erased before; nothing new was recorded.
    pub changed: bool,
    /// File bytes deleted from the file store now (their previews too).
    pub files_deleted: usize,
}

#[utoipa::path(operation_id = "erase_customer", post, path = "/api/v1/customers/{id}/erase", tag = "customers", params(("id" = uuid::Uuid, Path)), request_body = EraseBody, security(("bearer" = [])), responses((status = 200, description = "R35: the customer's data key and files are destroyed; every view shows `[erased]`", body = Written<ErasureOut>), (status = 403, description = "forbidden: admins only", body = Problem), (status = 404, description = "not_found: no such customer, or not reachable by the caller", body = Problem), (status = 409, description = "erasure_unsealed: the customer's data predates sealing (docs/PRIVACY.md)", body = Problem), (status = 422, description = "validation_failed: the reason", body = Problem)))]
#[post("/customers/{id}/erase")]
async fn erase(
    app: web::Data<App>,
    blobs: web::Data<Blobs>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<EraseBody>,
) -> Result<HttpResponse, Problem> {
    let customer = CustomerId::from(*id);
    let done = privacy::erase(&app, caller.principal, customer, &body.reason).await?;
    let mut deleted = 0;
    for sha in &done.blobs {
        match blobs.delete(sha).await {
            Ok(()) => deleted += 1,
            // The erasure stands (the names and keys are gone); a retry deletes what is left.
            Err(e) => {
                tracing::error!(error = %e, sha256 = %sha, "could not delete an erased customer's file")
            }
        }
    }
    written(
        StatusCode::OK,
        ErasureOut {
            changed: done.changed,
            files_deleted: deleted,
        },
        done.position,
    )
}

/// One of the customer's dialogs: its row, its timeline as it is now, and every event of its
/// stream as the audit reads it (earlier texts of edited and deleted messages included).
#[derive(Serialize, ToSchema)]
pub struct DialogExport {
    pub dialog: views::DialogRowOut,
    pub timeline: Vec<views::TimelineEntryOut>,
    pub events: Vec<AuditEvent>,
}

/// Everything chatd holds about one customer (R35, GDPR Art. 15).
#[derive(Serialize, ToSchema)]
pub struct CustomerExport {
    #[serde(with = "time::serde::rfc3339")]
    pub exported_at: OffsetDateTime,
    pub customer: views::CustomerCard,
    /// The customer's own stream as the audit reads it: registration, blocks, tags, refused
    /// messages.
    pub customer_events: Vec<AuditEvent>,
    pub dialogs: Vec<DialogExport>,
    /// Files sent or received in their dialogs or carried by their refused messages, with
    /// download links.
    pub files: Vec<super::files::FileOut>,
}

#[utoipa::path(operation_id = "export_customer", get, path = "/api/v1/customers/{id}/export", tag = "customers", params(("id" = uuid::Uuid, Path)), security(("bearer" = [])), responses((status = 200, description = "R35: everything chatd holds about the customer", body = CustomerExport), (status = 403, description = "forbidden: admins only", body = Problem), (status = 404, description = "not_found: no such customer, or not reachable by the caller", body = Problem)))]
#[get("/customers/{id}/export")]
async fn export(
    app: web::Data<App>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let customer = CustomerId::from(*id);
    let found = privacy::export(&app, &caller.principal, customer)?;
    let audit = |events: Vec<chatd_store::RecordedEvent>| {
        let ring = app.keys.ring.clone();
        move || {
            events
                .iter()
                .map(|e| audit_event(e, &ring))
                .collect::<Vec<_>>()
        }
    };
    let read = |stream: String| {
        let app = app.clone();
        async move {
            let events = stream_events(app.store.as_ref(), &stream)
                .await
                .map_err(chatd_app::AppError::from)?;
            learn_keys(&app.keys, app.store.as_ref(), &events)
                .await
                .map_err(chatd_app::AppError::from)?;
            Ok::<_, Problem>(events)
        }
    };
    let customer_events = audit(read(Customer::stream(customer)).await?)();
    let now = OffsetDateTime::now_utc();
    let mut dialogs = Vec::with_capacity(found.dialogs.len());
    for row in &found.dialogs {
        let events = audit(read(Dialog::stream(row.id)).await?)();
        let entries = super::dialogs::timeline_now(&app, row.id.0).await?;
        let m = app.model();
        dialogs.push(DialogExport {
            dialog: views::dialog_row(&m, row, &caller.principal, now),
            timeline: entries
                .iter()
                .map(|e| super::dialogs::entry_out(&m, row.id.0, e))
                .collect(),
            events,
        });
    }
    let m = app.model();
    let card = views::customer_card(&m, &customer).ok_or_else(Problem::not_found)?;
    Ok(HttpResponse::Ok().json(CustomerExport {
        exported_at: now,
        customer: card,
        customer_events,
        dialogs,
        files: found
            .files
            .iter()
            .map(|f| super::files::FileOut::new(&f.meta, "/api/v1"))
            .collect(),
    }))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(erase).service(export);
}
