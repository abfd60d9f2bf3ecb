//! Probes and figures for operators (R28): `/healthz` (liveness), `/readyz` (readiness) and
//! `/metrics` (Prometheus). They answer while the read models are still catching up; every
//! other route waits for readiness behind [`until_ready`].

use crate::app::App;
use crate::telemetry;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{get, web, HttpResponse, ResponseError};
use serde_json::json;

/// Liveness: the process answers and its store is open.
#[utoipa::path(operation_id = "health", get, path = "/healthz", tag = "operations", responses((status = 200, description = "`{status, position, projected}`")))]
#[get("/healthz")]
pub async fn healthz(app: web::Data<App>) -> Result<HttpResponse, super::Problem> {
    let head = app
        .store
        .head()
        .await
        .map_err(|e| super::Problem::internal(&e))?;
    Ok(HttpResponse::Ok().json(json!({
        "status": "ok",
        "position": head.map(|p| p.to_string()),
        "projected": app.position().map(|p| p.to_string()),
    })))
}

fn not_ready(app: &App) -> super::Problem {
    super::Problem::not_ready(format!(
        "the read models are catching up with the log: at {} of {}",
        app.position().map_or("0".into(), |p| p.to_string()),
        app.started_at().map_or("0".into(), |p| p.to_string()),
    ))
}

/// Readiness: 200 once the read models have caught up with the log as it was at start, 503
/// `not_ready` before, and 503 `store_unavailable` while the store cannot be reached (R33).
#[utoipa::path(operation_id = "ready", get, path = "/readyz", tag = "operations", responses((status = 200, description = "`{status: \"ready\", position}`"), (status = 503, description = "not_ready: still catching up; store_unavailable: the event store cannot be reached", body = super::Problem)))]
#[get("/readyz")]
pub async fn readyz(app: web::Data<App>) -> Result<HttpResponse, super::Problem> {
    if !app.is_ready() {
        return Err(not_ready(&app));
    }
    // R33: a node whose store is away is not ready (a load balancer sends elsewhere).
    if let Err(e) = app.store.head().await {
        return Err(crate::app::AppError::Store(e).into());
    }
    Ok(HttpResponse::Ok().json(json!({
        "status": "ready",
        "position": app.position().map(|p| p.to_string()),
    })))
}

/// The Prometheus text exposition of every `chatd_` figure (docs/OPERATIONS.md lists them).
#[utoipa::path(get, path = "/metrics", tag = "operations", responses((status = 200, description = "Prometheus text format 0.0.4", content_type = "text/plain")))]
#[get("/metrics")]
pub async fn metrics(app: web::Data<App>) -> HttpResponse {
    // The projection's distance from the log's head, read at scrape time.
    if let Ok(head) = app.store.head().await {
        let head = head.map_or(0, |p| p.commit);
        let applied = app.position().map_or(0, |p| p.commit);
        ::metrics::gauge!("chatd_store_head_position").set(head as f64);
        ::metrics::gauge!("chatd_projection_position").set(applied as f64);
        ::metrics::gauge!("chatd_projection_lag_events").set(head.saturating_sub(applied) as f64);
    }
    ::metrics::gauge!("chatd_ready").set(if app.is_ready() { 1.0 } else { 0.0 });
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(telemetry::render_metrics())
}

/// Routes that answer before the read models are ready.
const ALWAYS: &[&str] = &["/healthz", "/readyz", "/metrics"];

/// Every other route answers 503 `not_ready` (with `Retry-After`) until the node is ready:
/// before that its read models would answer from a partial log.
pub async fn until_ready(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let app = req.app_data::<web::Data<App>>().expect("App is registered");
    if app.is_ready() || ALWAYS.contains(&req.path()) {
        return next.call(req).await.map(|r| r.map_into_left_body());
    }
    let res = not_ready(app).error_response();
    Ok(req.into_response(res).map_into_right_body())
}
