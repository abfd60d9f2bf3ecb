//! R28: a known path called with a method it does not serve answers 405 with `Allow`, not 404.
//! The known paths and their methods are read from the OpenAPI document the handlers generate
//! (plus the few routes it does not describe), so the table cannot fall behind the routes.

use super::openapi::ApiDoc;
use super::Problem;
use actix_web::dev::ResourceDef;
use actix_web::http::{header, Method};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use std::sync::OnceLock;
use utoipa::OpenApi;

/// Routes outside the OpenAPI document: the document itself, the WebSocket upgrade and the
/// console's files (R30).
const UNDOCUMENTED: &[(&str, &[Method])] = &[
    ("/api/v1/openapi.json", &[Method::GET]),
    ("/api/v1/ws", &[Method::GET]),
    ("/", &[Method::GET]),
    ("/console/{file:.*}", &[Method::GET]),
];

struct Known {
    path: ResourceDef,
    /// How many segments are placeholders: the fewer, the more specific the template.
    placeholders: usize,
    allow: String,
}

fn table() -> &'static [Known] {
    static TABLE: OnceLock<Vec<Known>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let doc = ApiDoc::openapi();
        let mut known: Vec<Known> = doc
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let methods = [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ];
                let allow: Vec<&str> = methods
                    .iter()
                    .filter(|(_, served)| *served)
                    .map(|(m, _)| *m)
                    .collect();
                Known {
                    path: ResourceDef::new(path.as_str()),
                    placeholders: path.matches('{').count(),
                    allow: allow.join(", "),
                }
            })
            .collect();
        known.extend(UNDOCUMENTED.iter().map(|(path, methods)| {
            Known {
                path: ResourceDef::new(*path),
                placeholders: path.matches('{').count(),
                allow: methods
                    .iter()
                    .map(Method::as_str)
                    .collect::<Vec<_>>()
                    .join(", "),
            }
        }));
        known
    })
}

/// The methods served at `path`, if it is a known path (`GET, PATCH`).
pub fn allowed(path: &str) -> Option<&'static str> {
    // Two templates can match one path (`/dialogs/facets` and `/dialogs/{id}`): the fixed one
    // is what the path names.
    table()
        .iter()
        .filter(|k| k.path.is_match(path))
        .min_by_key(|k| k.placeholders)
        .map(|k| k.allow.as_str())
}

/// What no route answered: 405 with `Allow` on a known path, else 404.
pub async fn unmatched(req: HttpRequest) -> HttpResponse {
    match allowed(req.path()) {
        Some(allow) => {
            let mut res = Problem::method_not_allowed(format!(
                "{} is not served at this path; it serves {allow}",
                req.method()
            ))
            .error_response();
            if let Ok(v) = header::HeaderValue::from_str(allow) {
                res.headers_mut().insert(header::ALLOW, v);
            }
            res
        }
        None => Problem::not_found().error_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::allowed;

    #[test]
    fn known_paths_list_their_methods_and_unknown_ones_none() {
        assert_eq!(allowed("/api/v1/users"), Some("GET, POST"));
        assert_eq!(
            allowed("/api/v1/users/6f1c7e8e-0000-4000-8000-000000000000"),
            Some("PATCH")
        );
        assert_eq!(allowed("/api/v1/ws"), Some("GET"));
        assert_eq!(allowed("/api/v1/dialogs/facets"), Some("GET"));
        assert_eq!(allowed("/api/v1/nothing-here"), None);
        assert_eq!(allowed("/nothing-here"), None);
        // R30: the console's page and files.
        assert_eq!(allowed("/"), Some("GET"));
        assert_eq!(allowed("/console/lib/feed.js"), Some("GET"));
    }
}
