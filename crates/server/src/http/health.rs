use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use serde_json::json;

/// Liveness: the process answers and its store is open.
#[get("/healthz")]
pub async fn healthz(state: web::Data<AppState>) -> Result<HttpResponse, super::Problem> {
    let head = state
        .store
        .head()
        .await
        .map_err(|e| super::Problem::internal(&e))?;
    Ok(HttpResponse::Ok().json(json!({
        "status": "ok",
        "position": head.map(|p| p.to_string()),
    })))
}
