//! Issue 18: the OpenAPI document and the server agree. Every route the source declares is
//! documented and every documented operation is served; every JSON answer any black-box test
//! receives matches the documented schema (`chatd_tests::schema`, run inside `TestApp::call`);
//! this file checks that the checker itself catches a wrong shape.

use chatd_tests::schema;
use chatd_tests::*;
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// Routes served outside the OpenAPI document: the document itself, the WebSocket upgrade
/// (described in api-schema/asyncapi.json) and the console's static files (R30).
const UNDOCUMENTED: [(&str, &str); 4] = [
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/api/v1/ws"),
    ("GET", "/"),
    ("GET", "/console/{file:.*}"),
];

/// (METHOD, path as written in a route attribute or `simple_action!`) for every route in the
/// server's source.
fn routes_in_source() -> Vec<(String, String)> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../crates/server/src");
    let mut files = vec![std::path::PathBuf::from(root)];
    let mut out = Vec::new();
    while let Some(p) = files.pop() {
        if p.is_dir() {
            files.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        for (i, line) in lines.iter().enumerate() {
            for verb in ["get", "post", "put", "patch", "delete"] {
                // `#[get("/path")]`
                if let Some(rest) = line.strip_prefix(&format!("#[{verb}(\"")) {
                    let path = rest.split('"').next().unwrap();
                    out.push((verb.to_uppercase(), path.to_owned()));
                }
                // `simple_action!(…, post, "/path", …)`
                if *line == format!("{verb},") {
                    if let Some(next) = lines.get(i + 1) {
                        if let Some(path) = next.strip_prefix('"').and_then(|r| r.split('"').next())
                        {
                            out.push((verb.to_uppercase(), path.to_owned()));
                        }
                    }
                }
            }
        }
    }
    out
}

fn documented() -> Vec<(String, String)> {
    let doc: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../api-schema/openapi.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            out.push((method.to_uppercase(), path.clone()));
        }
    }
    out
}

#[test]
fn every_route_in_the_source_is_documented() {
    let docs = documented();
    let source = routes_in_source();
    let mut missing = Vec::new();
    for (method, suffix) in &source {
        let in_doc = docs
            .iter()
            .any(|(m, p)| m == method && p.ends_with(suffix.as_str()));
        let exempt = UNDOCUMENTED
            .iter()
            .any(|(m, p)| m == method && p.ends_with(suffix.as_str()));
        if !in_doc && !exempt {
            missing.push(format!("{method} …{suffix}"));
        }
    }
    assert!(
        missing.is_empty(),
        "routes without documentation: {missing:?}"
    );
    assert_eq!(
        source.len(),
        docs.len() + UNDOCUMENTED.len(),
        "one route in the source per documented operation"
    );
}

/// Every documented operation is served: called without credentials, none answers the
/// unmatched-route 404 or a 405.
#[tokio::test]
async fn every_documented_operation_is_served() {
    let app = spawn_app().await;
    let id = uuid::Uuid::new_v4().to_string();
    let mut seen = BTreeSet::new();
    for (method, path) in documented() {
        let url = path
            .split('/')
            .map(|s| if s.starts_with('{') { id.as_str() } else { s })
            .collect::<Vec<_>>()
            .join("/");
        let body = (method != "GET").then(|| json!({}));
        let a = app.call(&method, &url, None, body).await;
        assert_ne!(
            a.status, 405,
            "{method} {path} is documented but not served: {a:?}"
        );
        assert!(
            !(a.status == 404 && a.body["detail"] == "no such resource"),
            "{method} {path} is documented but not routed: {a:?}"
        );
        seen.insert((method, path));
    }
    assert!(seen.len() >= 80, "{}", seen.len());
}

#[tokio::test]
async fn the_checker_refuses_a_shape_the_document_does_not_describe() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let me = app.call("GET", "/api/v1/me", Some(&admin), None).await;
    // The real answer passes (it was checked inside `call` already) ...
    schema::check("GET", "/api/v1/me", 200, "application/json", &me.body);
    // ... and changed shapes do not.
    for wrong in [
        json!({"items": 5}),
        {
            let mut m = me.body.clone();
            m["undocumented"] = json!(true);
            m
        },
        {
            let mut m = me.body.clone();
            m["user"]["role"] = json!(42);
            m
        },
    ] {
        let path = if wrong.get("items").is_some() {
            "/api/v1/dialogs"
        } else {
            "/api/v1/me"
        };
        let caught = std::panic::catch_unwind(|| {
            schema::check("GET", path, 200, "application/json", &wrong)
        });
        assert!(caught.is_err(), "{path} {wrong} passed the checker");
    }
    assert_eq!(
        schema::template("/api/v1/dialogs/facets"),
        Some("/api/v1/dialogs/facets")
    );
    assert_eq!(
        schema::template(&format!("/api/v1/dialogs/{}", uuid::Uuid::new_v4())),
        Some("/api/v1/dialogs/{id}")
    );
}
