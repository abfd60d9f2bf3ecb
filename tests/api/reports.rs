//! R36 end to end: a scripted week of traffic through the API (with the test clock), then the
//! summary, the per-dialog rows and their CSV against figures worked out by hand here; a
//! manager sees their own; a calendar change recomputes the past; a restart rebuilds the
//! same figures from the log.

use chatd_tests::{eventually, spawn_app_with, TestApp};
use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;
use time::macros::datetime;
use time::OffsetDateTime;

/// Monday 23 November 2026, 09:00 UTC.
const MONDAY: OffsetDateTime = datetime!(2026-11-23 09:00 UTC);

fn at(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap()
}

async fn start(dir: tempfile::TempDir) -> TestApp {
    spawn_app_with(dir, |c| {
        c.test_clock = Some(Some(MONDAY));
        c.session_idle = time::Duration::days(30);
    })
    .await
}

async fn clock(app: &TestApp, admin: &str, t: OffsetDateTime) {
    let a = app
        .call(
            "PUT",
            "/api/v1/test/clock",
            Some(admin),
            Some(json!({"now": at(t)})),
        )
        .await;
    assert_eq!(a.status, 200, "{a:?}");
}

/// The summary, once the reports answer (after a restart they are rebuilt first: 503).
async fn summary(app: &TestApp, token: &str, query: &str) -> Value {
    let path = format!("/api/v1/reports/summary?{query}");
    eventually(|| async { app.call("GET", &path, Some(token), None).await.status == 200 }).await;
    let a = app.call("GET", &path, Some(token), None).await;
    assert_eq!(a.status, 200, "{a:?}");
    a.body
}

fn group<'a>(s: &'a Value, key: &str) -> &'a Value {
    s["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"] == key)
        .unwrap_or_else(|| panic!("no group {key}: {s}"))
}

fn stat(g: &Value, name: &str) -> (u64, Option<i64>, Option<i64>) {
    let s = &g[name];
    (
        s["count"].as_u64().unwrap(),
        s["median_s"].as_i64(),
        s["p90_s"].as_i64(),
    )
}

const WEEK: &str = "from=2026-11-23&to=2026-11-29";

#[tokio::test]
async fn r36_a_scripted_week_gives_the_figures_worked_out_by_hand() {
    let app = start(tempfile::tempdir().unwrap()).await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    let (ann_id, ann) = app.user(&admin, "ann", "manager", &[]).await;
    let (bob_id, bob) = app.user(&admin, "bob", "manager", &[]).await;
    let t = |h: i64, m: i64| MONDAY + time::Duration::hours(h) + time::Duration::minutes(m);
    let step = |when: OffsetDateTime| {
        let (app, admin) = (&app, admin.clone());
        async move { clock(app, &admin, when).await }
    };

    // Monday: dialog A. The customer writes at 09:00 and 09:20; ann answers at 09:10 and
    // 09:25, and closes it at 10:00.
    step(t(0, 0)).await;
    let a = app.dialog(&transport, "a", "where is my parcel?").await;
    assert_eq!(app.reassign(&admin, &a, &ann_id).await.status, 200);
    step(t(0, 10)).await;
    assert_eq!(app.send(&ann, &a, "checking").await.status, 201);
    step(t(0, 20)).await;
    app.dialog(&transport, "a", "thanks").await;
    step(t(0, 25)).await;
    assert_eq!(app.send(&ann, &a, "it ships today").await.status, 201);
    // A note before a reply is no reply.
    step(t(1, 0)).await;
    let close = |d: String, tok: String| {
        let app = &app;
        async move {
            let c = app
                .call(
                    "POST",
                    &format!("/api/v1/dialogs/{d}/close"),
                    Some(&tok),
                    None,
                )
                .await;
            assert_eq!(c.status, 200, "{c:?}");
        }
    };
    close(a.clone(), ann.clone()).await;

    // Tuesday: dialog B at 10:00, ann answers at 10:30 (after a note at 10:05), closes at
    // 11:00. A reopens at 12:00; bob takes it and answers at 12:06.
    step(t(25, 0)).await;
    let b = app.dialog(&transport, "b", "do you ship to Porto?").await;
    assert_eq!(app.reassign(&admin, &b, &ann_id).await.status, 200);
    step(t(25, 5)).await;
    let note = app
        .call(
            "POST",
            &format!("/api/v1/dialogs/{b}/notes"),
            Some(&ann),
            Some(json!({"text": "ask logistics"})),
        )
        .await;
    assert_eq!(note.status, 201, "{note:?}");
    step(t(25, 30)).await;
    assert_eq!(app.send(&ann, &b, "yes").await.status, 201);
    step(t(26, 0)).await;
    close(b.clone(), ann.clone()).await;
    step(t(27, 0)).await;
    app.dialog(&transport, "a", "it did not arrive").await;
    assert_eq!(app.reassign(&admin, &a, &bob_id).await.status, 200);
    step(t(27, 6)).await;
    assert_eq!(app.send(&bob, &a, "sending another").await.status, 201);

    // Wednesday 23:30 UTC: dialog C, unanswered.
    step(datetime!(2026-11-25 23:30 UTC)).await;
    let c = app.dialog(&transport, "c", "hello?").await;

    // By day (UTC: no calendar yet).
    let s = summary(&app, &admin, &format!("{WEEK}&group_by=day")).await;
    assert_eq!(s["definitions_version"], 1);
    assert_eq!(s["time_zone"], "UTC");
    assert_eq!(s["groups"].as_array().unwrap().len(), 7, "every day listed");
    let mon = group(&s, "2026-11-23");
    assert_eq!(
        (mon["opened"].as_u64(), mon["closed"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(
        (
            mon["messages_in"].as_u64(),
            mon["messages_by_person"].as_u64()
        ),
        (Some(2), Some(2))
    );
    assert_eq!(stat(mon, "first_response"), (1, Some(600), Some(600)));
    assert_eq!(
        stat(mon, "response"),
        (2, Some(300), Some(600)),
        "09:00→09:10, 09:20→09:25"
    );
    assert_eq!(stat(mon, "resolution"), (1, Some(3600), Some(3600)));
    let tue = group(&s, "2026-11-24");
    assert_eq!(
        (
            tue["opened"].as_u64(),
            tue["reopened"].as_u64(),
            tue["closed"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(
        stat(tue, "first_response"),
        (2, Some(360), Some(1800)),
        "B 10:00→10:30 (the note is no reply), A's reopening 12:00→12:06"
    );
    let wed = group(&s, "2026-11-25");
    assert_eq!(
        (wed["opened"].as_u64(), wed["messages_in"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(stat(wed, "first_response").0, 0, "C is unanswered");
    assert_eq!(
        stat(&s["total"], "first_response"),
        (3, Some(600), Some(1800))
    );
    assert_eq!(
        s["total"]["working"],
        Value::Null,
        "no calendar, no working-hours figures"
    );

    // By manager: each reply is its author's.
    let s = summary(&app, &admin, &format!("{WEEK}&group_by=manager")).await;
    assert_eq!(
        stat(group(&s, &ann_id), "response"),
        (3, Some(600), Some(1800))
    );
    assert_eq!(
        stat(group(&s, &bob_id), "first_response"),
        (1, Some(360), Some(360))
    );
    assert_eq!(group(&s, &bob_id)["open_at_end"], 1, "A is open and bob's");
    assert_eq!(group(&s, &ann_id)["open_at_end"], 0);

    // A manager gets their own figures, whatever they ask.
    let own = summary(
        &app,
        &ann,
        &format!("{WEEK}&group_by=manager&manager={bob_id}"),
    )
    .await;
    assert_eq!(own["manager"], ann_id.as_str());
    assert_eq!(stat(&own["total"], "first_response").0, 2);
    assert_eq!(own["groups"].as_array().unwrap().len(), 1, "{own}");

    // The CSV says the same.
    let csv = app
        .client
        .get(app.url(&format!("/api/v1/reports/summary?{WEEK}&group_by=day")))
        .bearer_auth(&admin)
        .header("accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = csv.text().await.unwrap();
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
    let col = |name: &str| rows[0].iter().position(|c| *c == name).unwrap();
    let tue_row = rows.iter().find(|r| r[0] == "2026-11-24").unwrap();
    assert_eq!(tue_row[col("first_response_median_s")], "360");
    assert_eq!(tue_row[col("first_response_p90_s")], "1800");
    let total = rows.last().unwrap();
    assert_eq!(total[0], "total");
    assert_eq!(total[col("opened")], "3");

    // One row per dialog.
    let d = app
        .call(
            "GET",
            &format!("/api/v1/reports/dialogs?{WEEK}"),
            Some(&admin),
            None,
        )
        .await;
    let items = d.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 3, "{d:?}");
    let row_a = items.iter().find(|r| r["dialog_id"] == a.as_str()).unwrap();
    assert_eq!(
        (row_a["openings"].as_u64(), row_a["closed"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(row_a["first_response_s"], 600);
    assert_eq!(row_a["resolution_s"], 3600);
    assert_eq!(row_a["response"]["count"], 3);
    let row_c = items.iter().find(|r| r["dialog_id"] == c.as_str()).unwrap();
    assert_eq!(row_c["first_response_s"], Value::Null);

    // A calendar: the past is recomputed. Working hours 10:00–18:00 on weekdays make A's
    // first answer (09:00→09:10) take no working time; Tokyo's days put C (23:30 UTC on
    // Wednesday) on Thursday.
    let day = json!([{"from": "10:00", "to": "18:00"}]);
    let cal = app
        .call(
            "PUT",
            "/api/v1/settings/calendar",
            Some(&admin),
            Some(json!({"time_zone": "UTC", "week": {"mon": day, "tue": day, "wed": day, "thu": day, "fri": day}})),
        )
        .await;
    assert_eq!(cal.status, 200);
    let s = summary(
        &app,
        &admin,
        &format!("{WEEK}&group_by=day&min_position={}", cal.position()),
    )
    .await;
    let mon = group(&s, "2026-11-23");
    assert_eq!(mon["working"]["first_response"]["median_s"], 0, "{mon}");
    assert_eq!(
        mon["first_response"]["median_s"], 600,
        "wall time unchanged"
    );
    assert_eq!(
        mon["working"]["resolution"]["median_s"], 0,
        "09:00→10:00 is before opening"
    );
    let tokyo = app
        .call(
            "PUT",
            "/api/v1/settings/calendar",
            Some(&admin),
            Some(json!({"time_zone": "Asia/Tokyo", "week": {"mon": day}})),
        )
        .await;
    assert_eq!(tokyo.status, 200);
    let s = summary(&app, &admin, &format!("{WEEK}&group_by=day")).await;
    assert_eq!(s["time_zone"], "Asia/Tokyo");
    assert_eq!(
        group(&s, "2026-11-26")["opened"],
        1,
        "C at 08:30 on Thursday in Tokyo"
    );
    assert_eq!(group(&s, "2026-11-25")["opened"], 0);

    // A deleted dialog leaves every figure (R13): C's opening goes.
    let del = app
        .call(
            "POST",
            "/api/v1/dialogs/delete",
            Some(&admin),
            Some(json!({"ids": [c]})),
        )
        .await;
    assert_eq!(del.status, 200, "{del:?}");
    let s = summary(
        &app,
        &admin,
        &format!("{WEEK}&group_by=day&min_position={}", del.position()),
    )
    .await;
    assert_eq!(group(&s, "2026-11-26")["opened"], 0, "{s}");
    assert_eq!(s["total"]["opened"], 2);

    // A restart from the snapshot rebuilds the reports from the log: the same figures.
    let before = summary(&app, &admin, &format!("{WEEK}&group_by=manager")).await;
    let dir = app.stop().await;
    let app = start(dir).await;
    let admin = app.admin().await;
    assert!(app.restored_from().is_some(), "restored from the snapshot");
    let after = summary(&app, &admin, &format!("{WEEK}&group_by=manager")).await;
    assert_eq!(after["groups"], before["groups"]);
}

#[tokio::test]
async fn r36_report_queries_are_checked() {
    let app = start(tempfile::tempdir().unwrap()).await;
    let admin = app.admin().await;
    for q in [
        "group_by=year",
        "from=2026-13-01",
        "from=2026-11-30&to=2026-11-01",
        "from=2020-01-01&to=2026-01-01",
    ] {
        let a = app
            .call(
                "GET",
                &format!("/api/v1/reports/summary?{q}"),
                Some(&admin),
                None,
            )
            .await;
        assert_eq!((a.status, a.code()), (400, "invalid_query"), "{q}: {a:?}");
    }
    let auditor = app.user(&admin, "audrey", "auditor", &[]).await.1;
    let a = app
        .call("GET", "/api/v1/reports/summary", Some(&auditor), None)
        .await;
    assert_eq!(a.status, 403);
}
