use crate::app::App;
use actix_web::{get, web, HttpResponse};
use serde_json::json;

/// Liveness: the process answers and its store is open.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, description = "`{status, position, projected}`")))]
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
