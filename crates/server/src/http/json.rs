//! R38: request bodies are strict. `Json<T>` reads a JSON body (at most [`JSON_LIMIT`] bytes,
//! `application/json` or `*+json`) and refuses, with 422 `unknown_field` naming its path (e.g.
//! `settings.reply_window_s`), any field `T` does not define: a misspelt setting is never
//! silently ignored. A field of the wrong type answers 422 `invalid_body` naming its path;
//! JSON that does not parse, 400 `malformed_json`.

use super::config::JSON_LIMIT;
use super::Problem;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use bytes::BytesMut;
use futures_util::future::LocalBoxFuture;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

/// A strictly parsed JSON request body.
pub struct Json<T>(pub T);

impl<T> Json<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

fn is_json(req: &HttpRequest) -> bool {
    matches!(req.mime_type(), Ok(Some(m))
        if m.type_() == actix_web::mime::APPLICATION
            && (m.subtype() == actix_web::mime::JSON || m.suffix() == Some(actix_web::mime::JSON)))
}

/// `settings.capabilities.x`, `items.1.x`: map keys and sequence indexes only (an `Option` or a
/// newtype adds no step of its own).
fn dotted(path: &serde_ignored::Path<'_>) -> String {
    use serde_ignored::Path;
    let mut steps = Vec::new();
    let mut at = path;
    loop {
        match at {
            Path::Root => break,
            Path::Seq { parent, index } => {
                steps.push(index.to_string());
                at = parent;
            }
            Path::Map { parent, key } => {
                steps.push(key.clone());
                at = parent;
            }
            Path::Some { parent }
            | Path::NewtypeStruct { parent }
            | Path::NewtypeVariant { parent } => at = parent,
        }
    }
    steps.reverse();
    steps.join(".")
}

/// Parse `bytes` as `T`, refusing fields `T` does not define.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Problem> {
    // A body that parses is read once without tracking paths (which cost every request a few
    // allocations); one that does not is read again to say where it went wrong.
    let mut unknown = false;
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let mut note = |_: serde_ignored::Path<'_>| unknown = true;
    if let Ok(value) = T::deserialize(serde_ignored::Deserializer::new(&mut de, &mut note)) {
        if !unknown && de.end().is_ok() {
            return Ok(value);
        }
    }
    parse_reporting(bytes)
}

/// [`parse`] tracking the path of what it reads, for the problem it answers.
fn parse_reporting<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Problem> {
    let mut unknown: Option<String> = None;
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let mut note = |path: serde_ignored::Path<'_>| {
        unknown.get_or_insert_with(|| dotted(&path));
    };
    let parsed: Result<T, _> =
        serde_path_to_error::deserialize(serde_ignored::Deserializer::new(&mut de, &mut note));
    if let Some(path) = unknown {
        return Err(Problem::unknown_field(format!(
            "unknown field {path}: the request body does not define it (see api-schema/openapi.json)"
        )));
    }
    let value = parsed.map_err(|e| {
        let at = e.path().to_string();
        let inner = e.inner();
        let detail = if at == "." || at.is_empty() {
            inner.to_string()
        } else {
            format!("{at}: {inner}")
        };
        if inner.is_data() {
            Problem::invalid_body(detail)
        } else {
            Problem::malformed_json(detail)
        }
    })?;
    de.end()
        .map_err(|e| Problem::malformed_json(e.to_string()))?;
    Ok(value)
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = Problem;
    type Future = LocalBoxFuture<'static, Result<Self, Problem>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = is_json(req);
        let declared = req
            .headers()
            .get(actix_web::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if !json {
                return Err(Problem::unsupported_media_type("send application/json"));
            }
            let too_large = || {
                Problem::body_too_large(format!("JSON bodies are limited to {JSON_LIMIT} bytes"))
            };
            if declared.is_some_and(|n| n > JSON_LIMIT) {
                return Err(too_large());
            }
            let mut body = BytesMut::with_capacity(declared.unwrap_or(1024).min(JSON_LIMIT));
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|e| Problem::malformed_json(e.to_string()))?;
                if body.len() + chunk.len() > JSON_LIMIT {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
            parse(&body).map(Json)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Inner {
        a: u32,
    }

    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Outer {
        name: String,
        #[serde(default)]
        settings: Option<Inner>,
        #[serde(default)]
        list: Vec<Inner>,
    }

    #[test]
    fn an_unknown_field_is_named_by_its_path() {
        let code = |s: &str| {
            parse::<Outer>(s.as_bytes())
                .map(|_| ())
                .map_err(|p| (p.code, p.detail))
        };
        assert!(code(r#"{"name":"x","settings":{"a":1}}"#).is_ok());
        let (c, d) = code(r#"{"name":"x","settings":{"a":1,"b":2}}"#).unwrap_err();
        assert_eq!(c, "unknown_field");
        assert!(d.contains("settings.b"), "{d}");
        let (c, d) = code(r#"{"name":"x","pinned_by_default":true}"#).unwrap_err();
        assert_eq!(c, "unknown_field");
        assert!(d.contains("pinned_by_default"), "{d}");
        let (_, d) = code(r#"{"name":"x","list":[{"a":1},{"a":2,"zz":1}]}"#).unwrap_err();
        assert!(d.contains("list.1.zz"), "{d}");
        let (c, d) = code(r#"{"name":"x","settings":{"a":"one"}}"#).unwrap_err();
        assert_eq!(c, "invalid_body");
        assert!(d.starts_with("settings.a"), "{d}");
        assert_eq!(code(r#"{"name":"x"} x"#).unwrap_err().0, "malformed_json");
        assert_eq!(code(r#"{"name":"#).unwrap_err().0, "malformed_json");
    }
}
