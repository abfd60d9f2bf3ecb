//! Every JSON answer a black-box test receives is checked against what `api-schema/openapi.json`
//! documents for its operation and status (issue 18): the document is the SPA team's contract,
//! so a handler that sends another shape fails the test that met it.

use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// The document, made strict: an object answer may hold only the properties its schema names
/// (`unevaluatedProperties: false`, which composes through `allOf`), so a field a handler sends
/// but the document does not describe fails too. Schemas used as `allOf` parts stay open.
pub fn document() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| strict_document("openapi.json"))
}

/// A committed schema file, made strict as `document` says.
fn strict_document(name: &str) -> Value {
    let path = format!("{}/../api-schema/{name}", env!("CARGO_MANIFEST_DIR"));
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).expect(name))
        .expect("the schema file is JSON");
    let mut parts = std::collections::HashSet::new();
    allof_parts(&doc, &mut parts);
    if let Some(schemas) = doc["components"]["schemas"].as_object_mut() {
        for (name, schema) in schemas.iter_mut() {
            strict(schema, parts.contains(name));
        }
    }
    if let Some(paths) = doc["paths"].as_object_mut() {
        paths.values_mut().for_each(|p| strict(p, false));
    }
    doc
}

/// Components referenced as a part of an `allOf`.
fn allof_parts(v: &Value, out: &mut std::collections::HashSet<String>) {
    match v {
        Value::Object(o) => {
            if let Some(Value::Array(parts)) = o.get("allOf") {
                for p in parts {
                    if let Some(r) = p["$ref"].as_str() {
                        out.insert(r.trim_start_matches("#/components/schemas/").to_owned());
                    }
                }
            }
            o.values().for_each(|v| allof_parts(v, out));
        }
        Value::Array(a) => a.iter().for_each(|v| allof_parts(v, out)),
        _ => {}
    }
}

fn strict(v: &mut Value, open: bool) {
    match v {
        Value::Object(o) => {
            let composed = o.contains_key("allOf");
            if !open
                && (composed || o.contains_key("properties"))
                && !o.contains_key("additionalProperties")
            {
                o.insert("unevaluatedProperties".into(), Value::Bool(false));
            }
            for (k, v) in o.iter_mut() {
                // The parts of an `allOf`, and the branches of an open schema's `oneOf`, are
                // judged together with their siblings: only the whole may close.
                if k == "allOf" || (open && (k == "oneOf" || k == "anyOf")) {
                    if let Value::Array(parts) = v {
                        parts.iter_mut().for_each(|p| strict(p, true));
                    }
                } else {
                    strict(v, false);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|v| strict(v, false)),
        _ => {}
    }
}

/// The documented path template a concrete path matches (fixed segments beat placeholders).
pub fn template(path: &str) -> Option<&'static str> {
    let path = path.split('?').next().unwrap_or(path);
    let segments: Vec<&str> = path.split('/').collect();
    document()["paths"]
        .as_object()?
        .keys()
        .filter(|t| {
            let ts: Vec<&str> = t.split('/').collect();
            ts.len() == segments.len()
                && ts
                    .iter()
                    .zip(&segments)
                    .all(|(t, s)| t.starts_with('{') || t == s)
        })
        .min_by_key(|t| t.matches('{').count())
        .map(String::as_str)
}

type Validator = Arc<jsonschema::Validator>;
/// Compiled validators by (path template, method, status; 0: the request body); `None`:
/// nothing documented.
type Validators = Mutex<HashMap<(String, String, u16), Option<Validator>>>;

fn validator(template: &str, method: &str, status: u16) -> Option<Validator> {
    static CACHE: OnceLock<Validators> = OnceLock::new();
    let key = (template.to_owned(), method.to_owned(), status);
    let mut cache = CACHE.get_or_init(Default::default).lock().unwrap();
    cache
        .entry(key)
        .or_insert_with(|| {
            let doc = document();
            let op = &doc["paths"][template][method.to_lowercase()];
            let responses = &op["responses"];
            let content = if status == 0 {
                op["requestBody"]["content"].as_object()?
            } else {
                let response = responses
                    .get(status.to_string())
                    .or_else(|| responses.get("default"))?;
                response["content"].as_object()?
            };
            let schema = content
                .iter()
                .find(|(kind, _)| kind.contains("json"))
                .map(|(_, c)| c["schema"].clone())?;
            let mut root = match schema {
                Value::Object(o) => o,
                other => panic!("{method} {template} {status}: schema {other}"),
            };
            root.insert("components".into(), doc["components"].clone());
            Some(Arc::new(
                jsonschema::options()
                    .with_draft(jsonschema::Draft::Draft202012)
                    .build(&Value::Object(root))
                    .unwrap_or_else(|e| panic!("{method} {template} {status}: {e}")),
            ))
        })
        .clone()
}

/// Panic when a JSON answer does not match its documented schema. Answers of undocumented
/// statuses must be problem documents; non-JSON answers are not looked at.
pub fn check(method: &str, path: &str, status: u16, content_type: &str, body: &Value) {
    if !content_type.contains("json") || body.is_null() {
        return;
    }
    let Some(template) = template(path) else {
        return;
    };
    let documented = document()["paths"][template][method.to_lowercase()]["responses"]
        .get(status.to_string())
        .is_some();
    match validator(template, method, status) {
        Some(v) => assert_valid(
            &v,
            body,
            &format!("{method} {path} answered {status} with a body that does not match api-schema/openapi.json"),
        ),
        None if !documented && status >= 400 => {
            assert!(
                body["code"].is_string() && body["status"] == status,
                "{method} {path}: an undocumented {status} that is not a problem document: {body}"
            );
        }
        None => {}
    }
}

/// Panic when the server accepted (2xx) a JSON request body the document does not describe:
/// the document would then refuse what the server takes, or miss a field it reads.
pub fn check_request(method: &str, path: &str, status: u16, body: &Value) {
    if !(200..300).contains(&status) {
        return;
    }
    let Some(template) = template(path) else {
        return;
    };
    if let Some(v) = validator(template, method, 0) {
        assert_valid(
            &v,
            body,
            &format!("{method} {path} accepted ({status}) a body that api-schema/openapi.json does not describe"),
        );
    }
}

/// Panic when a feed frame does not match `api-schema/asyncapi.json`'s `Frame` (strict).
pub fn check_frame(frame: &Value) {
    static FRAME: OnceLock<jsonschema::Validator> = OnceLock::new();
    let v = FRAME.get_or_init(|| {
        let doc = strict_document("asyncapi.json");
        let root = serde_json::json!({
            "$ref": "#/components/schemas/Frame",
            "components": doc["components"],
        });
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .build(&root)
            .expect("the Frame schema compiles")
    });
    assert_valid(
        v,
        frame,
        "a frame that does not match api-schema/asyncapi.json",
    );
}

/// Panic with `what`, the first errors and the value, unless `value` is valid.
fn assert_valid(v: &jsonschema::Validator, value: &Value, what: &str) {
    let errors: Vec<String> = v
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .take(5)
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:?}\nvalue: {value}");
}
