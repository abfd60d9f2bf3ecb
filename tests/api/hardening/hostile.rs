//! Every documented operation, fed hostile bodies and query values by the admin and by an
//! ordinary manager, or with the transport or bot token it takes (SPEC §7's reliability bars,
//! R38): never a 5xx, every refusal a problem document with a `code`, no body
//! the document does not describe accepted (`TestApp::call_as` checks that), and what was stored
//! before is still there after.

use chatd_tests::*;
use serde_json::{json, Map, Value};

/// Values put in place of one field, or of the whole body.
fn hostile() -> Vec<Value> {
    vec![
        Value::Null,
        json!(-1),
        json!(1.5e308),
        serde_json::from_str("1180591620717411303424").expect("2^70"),
        json!(""),
        json!("x".repeat(70_000)),
        json!([]),
        json!({}),
        json!(true),
        json!("\u{0}"),
        json!("😀".repeat(300)),
        json!("9999-12-31T23:59:59Z"),
        json!("../../etc/passwd"),
        json!([[[[[]]]]]),
    ]
}

/// Query values for every documented query parameter but `min_position` (input.rs covers it).
const HOSTILE_QUERY: [&str; 8] = [
    "",
    "-1",
    "99999999999999999999",
    "%ff",
    "2026-02-30",
    "null",
    "a,b,,c",
    "0",
];

/// Bodies that are not JSON, or JSON no parser should have to dwell on.
fn raw_bodies() -> Vec<Vec<u8>> {
    vec![
        b"{".to_vec(),
        b"\xff\xfe{}".to_vec(),
        br#"{"a":1,"a":2}"#.to_vec(),
        "[".repeat(10_000).into_bytes(),
    ]
}

fn resolve(schema: &Value) -> &Value {
    let mut s = schema;
    while let Some(r) = s["$ref"].as_str() {
        let name = r.rsplit('/').next().expect("a reference names a schema");
        s = &schema::document()["components"]["schemas"][name];
    }
    s
}

/// A plausible value for `schema`: every property, the first of every choice.
fn sample(schema: &Value, depth: usize) -> Value {
    let s = resolve(schema);
    if depth > 5 {
        return Value::Null;
    }
    for choice in ["oneOf", "anyOf"] {
        if let Some(first) = s[choice].as_array().and_then(|c| c.first()) {
            return sample(first, depth + 1);
        }
    }
    if let Some(all) = s["allOf"].as_array() {
        let mut out = Map::new();
        for part in all {
            if let Value::Object(m) = sample(part, depth + 1) {
                out.extend(m);
            }
        }
        return Value::Object(out);
    }
    if let Some(first) = s["enum"].as_array().and_then(|e| e.first()) {
        return first.clone();
    }
    let kind = match &s["type"] {
        Value::Array(kinds) => kinds.iter().find(|k| *k != "null").cloned(),
        k => Some(k.clone()),
    }
    .unwrap_or(Value::Null);
    match (kind.as_str(), s["format"].as_str()) {
        (Some("object"), _) | (None, _) if s["properties"].is_object() => Value::Object(
            s["properties"]
                .as_object()
                .expect("checked")
                .iter()
                .map(|(k, v)| (k.clone(), sample(v, depth + 1)))
                .collect(),
        ),
        (Some("array"), _) => json!([sample(&s["items"], depth + 1)]),
        (Some("integer"), _) => json!(5),
        (Some("number"), _) => json!(1.5),
        (Some("boolean"), _) => json!(true),
        (Some("string"), Some("uuid")) => json!(uuid::Uuid::new_v4()),
        (Some("string"), Some("date-time")) => json!("2026-12-07T10:00:00Z"),
        (Some("string"), _) => json!("plain"),
        _ => json!({}),
    }
}

/// The JSON kind of a value, to match hostile values with the fields they could pass for.
fn kind(v: &Value) -> u8 {
    match v {
        Value::Null => 0,
        Value::Bool(_) => 1,
        Value::Number(_) => 2,
        Value::String(_) => 3,
        Value::Array(_) => 4,
        Value::Object(_) => 5,
    }
}

/// The bodies sent to one operation: the whole body replaced by each hostile value, and the
/// sample with each of its fields made hostile in turn: every hostile value of the field's own
/// kind (those get past the types, to the rules), and two others, taken in rotation.
fn bodies(schema: &Value) -> Vec<Value> {
    let base = sample(schema, 0);
    let bad = hostile();
    let mut out: Vec<Value> = bad.clone();
    if let Value::Object(fields) = &base {
        for (i, (key, value)) in fields.iter().enumerate() {
            let others = bad.iter().filter(|b| kind(b) != kind(value));
            let others: Vec<&Value> = others.collect();
            let same = bad.iter().filter(|b| kind(b) == kind(value));
            let rotated = (0..2).map(|j| others[(2 * i + j) % others.len()]);
            for v in same.chain(rotated) {
                let mut b = base.clone();
                b[key] = v.clone();
                out.push(b);
            }
        }
    }
    out
}

/// One operation's hostile calls with one set of credentials: `(what was sent, the answer)`.
async fn hostile_calls(
    app: &TestApp,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    op: &Value,
) -> Vec<(String, Answer)> {
    let mut answers = Vec::new();
    let json_body = &op["requestBody"]["content"]["application/json"]["schema"];
    if !json_body.is_null() {
        for body in bodies(json_body) {
            let shown: String = body.to_string().chars().take(200).collect();
            answers.push((shown, app.call_as(method, path, headers, Some(body)).await));
        }
        for raw in raw_bodies() {
            let shown = String::from_utf8_lossy(&raw[..raw.len().min(20)]).into_owned();
            answers.push((shown, app.call_raw(method, path, headers, raw).await));
        }
    }
    let queries = op["parameters"].as_array().into_iter().flatten();
    for (i, p) in queries.enumerate() {
        let p = resolve(p);
        let name = p["name"].as_str().unwrap_or_default();
        if p["in"] != "query" || name == "min_position" {
            continue;
        }
        for j in 0..2 {
            let value = HOSTILE_QUERY[(2 * i + j) % HOSTILE_QUERY.len()];
            let url = format!("{path}?{name}={value}");
            let body = (!json_body.is_null()).then(|| sample(json_body, 0));
            answers.push((url.clone(), app.call_as(method, &url, headers, body).await));
        }
    }
    answers
}

#[tokio::test]
async fn every_operation_refuses_hostile_input_with_a_problem_and_keeps_what_is_stored() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (channel, transport) = app.channel(&admin, "telegram").await;
    let dialog = app.dialog(&transport, "c1", "kept through it all").await;
    let (manager_id, manager) = app.user(&admin, "m1", "manager", &[]).await;
    assert_eq!(app.reassign(&admin, &dialog, &manager_id).await.status, 200);
    let bot = app
        .call(
            "POST",
            "/api/v1/bots",
            Some(&admin),
            Some(json!({"name": "b"})),
        )
        .await;
    let bot = bot.body["token"].as_str().expect("a bot token").to_owned();
    let operations: Vec<(String, String, Value)> = schema::document()["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .expect("operations")
                .iter()
                .map(move |(m, op)| (m.to_uppercase(), path.clone(), op.clone()))
        })
        // The test clock is on only by configuration; a logout would end the session used here.
        .filter(|(_, path, _)| !path.starts_with("/api/v1/test/") && !path.ends_with("/logout"))
        .collect();
    let mut calls = 0;
    for (method, template, op) in &operations {
        // Real ids where a wrong one would stop the request before its body matters; a made-up
        // one elsewhere, so that nothing stored is erased or deleted on purpose.
        let path = template
            .replace("/dialogs/{id}", &format!("/dialogs/{dialog}"))
            .replace("/channels/{id}", &format!("/channels/{channel}"))
            .split('/')
            .map(|s| {
                if s.starts_with('{') {
                    uuid::Uuid::new_v4().to_string()
                } else {
                    s.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        let scheme = op["security"][0]
            .as_object()
            .and_then(|s| s.keys().next().cloned());
        let as_bearer = |t: &str| vec![("authorization", format!("Bearer {t}"))];
        let credentials = match scheme.as_deref() {
            Some("transport") => vec![vec![("x-transport-token", transport.clone())]],
            Some("bot") => vec![vec![("x-bot-token", bot.clone())]],
            Some(_) => vec![as_bearer(&admin), as_bearer(&manager)],
            None => vec![vec![]],
        };
        let mut answers = Vec::new();
        for headers in credentials {
            let headers: Vec<(&str, &str)> =
                headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
            answers.extend(hostile_calls(&app, method, &path, &headers, op).await);
        }
        for (what, a) in answers {
            calls += 1;
            assert!(
                a.status < 500,
                "{method} {template} with {what}: {} {}",
                a.status,
                a.body
            );
            if a.status >= 400 {
                assert!(
                    a.body["code"].is_string(),
                    "{method} {template} with {what}: {} without a code: {}",
                    a.status,
                    a.body
                );
            }
        }
    }
    assert!(calls > 2_000, "{calls}");
    // What was stored before is still there, and the server still serves.
    assert_eq!(app.get("/readyz").await.status(), 200);
    let texts: Vec<Value> = app
        .timeline_messages(&admin, &dialog)
        .await
        .iter()
        .map(|m| m["text"].clone())
        .collect();
    assert!(texts.contains(&json!("kept through it all")), "{texts:?}");
    let me = app.call("GET", "/api/v1/me", Some(&manager), None).await;
    assert_eq!(me.status, 200, "{me:?}");
    app.stop().await;
}
