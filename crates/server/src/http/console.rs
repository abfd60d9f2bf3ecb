//! R30: the operator console at `GET /`, compiled into the binary (no CDN, no build step). The
//! page is plain ES modules over the same public API and tokens as any client: the TypeScript
//! client's modules (`clients/typescript/src`) are served as they are under `/console/lib/`.
//! Every answer carries a Content-Security-Policy that allows scripts, styles and connections
//! only from chatd itself (no inline script, no foreign origin).

use actix_web::http::header;
use actix_web::{get, web, HttpResponse};

/// What the console's pages may load and talk to: chatd only. Images may also be `blob:`
/// (attachments are fetched with the bearer token, then shown from memory).
pub const CSP: &str =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; \
     connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

macro_rules! assets {
    ($($name:literal => $path:literal, $mime:literal;)*) => {
        /// The console's files by the name they are served under.
        pub fn asset(name: &str) -> Option<(&'static str, &'static str)> {
            match name {
                $($name => Some((include_str!($path), $mime)),)*
                _ => None,
            }
        }
        /// Every file's name and size (for the size test).
        pub fn assets() -> Vec<(&'static str, usize)> {
            vec![$(($name, include_str!($path).len()),)*]
        }
    };
}

assets! {
    "index.html" => "../../console/index.html", "text/html; charset=utf-8";
    "style.css" => "../../console/style.css", "text/css; charset=utf-8";
    "app.js" => "../../console/app.js", "text/javascript; charset=utf-8";
    "ui.js" => "../../console/ui.js", "text/javascript; charset=utf-8";
    "desk.js" => "../../console/desk.js", "text/javascript; charset=utf-8";
    "dialog.js" => "../../console/dialog.js", "text/javascript; charset=utf-8";
    "later.js" => "../../console/later.js", "text/javascript; charset=utf-8";
    "card.js" => "../../console/card.js", "text/javascript; charset=utf-8";
    "admin.js" => "../../console/admin.js", "text/javascript; charset=utf-8";
    "audit.js" => "../../console/audit.js", "text/javascript; charset=utf-8";
    "reports.js" => "../../console/reports.js", "text/javascript; charset=utf-8";
    "lib/index.js" => "../../../../clients/typescript/src/index.js", "text/javascript; charset=utf-8";
    "lib/client.js" => "../../../../clients/typescript/src/client.js", "text/javascript; charset=utf-8";
    "lib/feed.js" => "../../../../clients/typescript/src/feed.js", "text/javascript; charset=utf-8";
    "lib/position.js" => "../../../../clients/typescript/src/position.js", "text/javascript; charset=utf-8";
    "lib/operations.js" => "../../../../clients/typescript/src/operations.js", "text/javascript; charset=utf-8";
}

fn serve(name: &str) -> HttpResponse {
    match asset(name) {
        Some((body, mime)) => HttpResponse::Ok()
            .content_type(mime)
            .insert_header((header::CONTENT_SECURITY_POLICY, CSP))
            .insert_header((header::REFERRER_POLICY, "no-referrer"))
            .insert_header(("x-frame-options", "DENY"))
            .body(body),
        None => actix_web::ResponseError::error_response(&super::Problem::not_found()),
    }
}

#[get("/")]
pub async fn index() -> HttpResponse {
    serve("index.html")
}

#[get("/console/{file:.*}")]
pub async fn file(name: web::Path<String>) -> HttpResponse {
    serve(&name)
}
