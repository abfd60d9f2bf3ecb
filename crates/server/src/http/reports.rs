//! R36's routes: a period's summary grouped by day, week, month, manager, channel or tag, and
//! one row per dialog; JSON, or CSV with `Accept: text/csv`. Definitions: `docs/REPORTS.md`.

use super::extract::Caller;
use super::views;
use super::Problem;
use crate::app::App;
use actix_web::{get, web, HttpRequest, HttpResponse};
use chatd_domain::reports::{day_start, Unit, DEFINITIONS};
use chatd_projections::model::report_query::{
    own_figures, DialogFigures, Figures, GroupBy, GroupKey, ReportQuery, Stat,
};
use chatd_projections::ReadModel;
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// The longest period a report covers.
const MAX_DAYS: i64 = 400;
/// Rows of `/reports/dialogs` at most per answer.
const MAX_ROWS: usize = 10_000;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// Start: an RFC 3339 time, or a date `YYYY-MM-DD` (that day's start in the shop's time
    /// zone). Default: seven days before `to`.
    from: Option<String>,
    /// End (exclusive): an RFC 3339 time, or a date (inclusive: up to that day's end in the
    /// shop's time zone). Default: now. At most 400 days after `from`.
    to: Option<String>,
    /// `day` (default), `week`, `month` (in the shop's time zone), `manager`, `channel` or `tag`.
    group_by: Option<String>,
    channel: Option<Uuid>,
    /// Only this manager's figures (a manager always gets their own).
    manager: Option<Uuid>,
    tag: Option<Uuid>,
    /// `/reports/dialogs`: rows to skip and to give (at most 10000).
    offset: Option<usize>,
    limit: Option<usize>,
}

fn when(m: &ReadModel, s: &str, end: bool) -> Result<OffsetDateTime, Problem> {
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Ok(t);
    }
    let bad = || Problem::invalid_query(format!("{s:?}: an RFC 3339 time or a date YYYY-MM-DD"));
    let zone = m.calendar.as_ref().map_or("UTC", |c| c.time_zone.as_str());
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(s, format).map_err(|_| bad())?;
    // A date as `to` includes that day: up to the next local day's start.
    let date = if end {
        date.next_day().ok_or_else(bad)?
    } else {
        date
    };
    let date = date.format(format).map_err(|_| bad())?;
    day_start(zone, &date).ok_or_else(bad)
}

fn query(m: &ReadModel, p: &ReportParams, caller: &Caller) -> Result<ReportQuery, Problem> {
    let to = match &p.to {
        Some(s) => when(m, s, true)?,
        None => OffsetDateTime::now_utc(),
    };
    let from = match &p.from {
        Some(s) => when(m, s, false)?,
        None => to - Duration::days(7),
    };
    if from >= to || to - from > Duration::days(MAX_DAYS) {
        return Err(Problem::invalid_query(format!(
            "from must be before to, at most {MAX_DAYS} days apart"
        )));
    }
    let group_by = match p.group_by.as_deref().unwrap_or("day") {
        "day" => GroupBy::Period(Unit::Day),
        "week" => GroupBy::Period(Unit::Week),
        "month" => GroupBy::Period(Unit::Month),
        "manager" => GroupBy::Manager,
        "channel" => GroupBy::Channel,
        "tag" => GroupBy::Tag,
        other => {
            return Err(Problem::invalid_query(format!(
                "group_by {other:?}: day, week, month, manager, channel or tag"
            )))
        }
    };
    let mut q = ReportQuery {
        from,
        to,
        group_by,
        channel: p.channel.map(Into::into),
        manager: p.manager.map(Into::into),
        tag: p.tag.map(Into::into),
    };
    own_figures(&mut q, &caller.principal);
    Ok(q)
}

/// `p` as a query, once the reports are there (503 while they are rebuilt after a start).
fn ready_query(m: &ReadModel, p: &ReportParams, caller: &Caller) -> Result<ReportQuery, Problem> {
    if m.reports.rebuilding {
        return Err(Problem::reports_rebuilding());
    }
    query(m, p, caller)
}

/// A duration's summary, in seconds.
#[derive(Serialize, ToSchema)]
pub struct StatOut {
    /// How many intervals were measured.
    pub count: u64,
    /// Seconds (`null` with none).
    pub mean_s: Option<f64>,
    /// Seconds: the lower median (nearest rank).
    pub median_s: Option<i64>,
    /// Seconds: the 90th percentile (nearest rank).
    pub p90_s: Option<i64>,
}

fn stat(s: &Stat) -> StatOut {
    StatOut {
        count: s.count,
        mean_s: s.mean.map(|m| (m * 10.0).round() / 10.0),
        median_s: s.median,
        p90_s: s.p90,
    }
}

/// The same durations counted in the shop's working hours only (its calendar as it is now).
#[derive(Serialize, ToSchema)]
pub struct WorkingOut {
    pub first_response: StatOut,
    pub first_response_incl_bot: StatOut,
    pub response: StatOut,
    pub resolution: StatOut,
}

/// One group's figures (docs/REPORTS.md defines each).
#[derive(Serialize, ToSchema)]
pub struct FiguresOut {
    /// Dialogs opened (a first customer message).
    pub opened: u64,
    pub reopened: u64,
    pub closed: u64,
    /// Customer messages.
    pub messages_in: u64,
    /// Free-form messages by people (users).
    pub messages_by_person: u64,
    /// Free-form messages by bots.
    pub messages_by_bot: u64,
    /// Templates (R26), by people or bots.
    pub templates: u64,
    /// R37's away replies (never an answer).
    pub away_replies: u64,
    /// From an opening's first customer message to the first reply by a person.
    pub first_response: StatOut,
    /// The same, to the first reply by a person or a bot.
    pub first_response_incl_bot: StatOut,
    /// Every customer turn, to the next reply by a person.
    pub response: StatOut,
    /// Opening (or reopening) to closing.
    pub resolution: StatOut,
    /// With a calendar: the four durations in working hours; `null` without one.
    pub working: Option<WorkingOut>,
    /// R15: responses that reached the warning level.
    pub warnings: u64,
    /// R15: responses that reached the limit (the danger level).
    pub breaches: u64,
    /// Open dialogs of the group's managers at the group's end (periods and managers; `null`
    /// for channels and tags).
    pub open_at_end: Option<i64>,
}

fn figures(f: &Figures) -> FiguresOut {
    FiguresOut {
        opened: f.opened,
        reopened: f.reopened,
        closed: f.closed,
        messages_in: f.messages_in,
        messages_by_person: f.messages_by_person,
        messages_by_bot: f.messages_by_bot,
        templates: f.templates,
        away_replies: f.away_replies,
        first_response: stat(&f.first_response),
        first_response_incl_bot: stat(&f.first_response_incl_bot),
        response: stat(&f.response),
        resolution: stat(&f.resolution),
        working: f.working.as_ref().map(|[a, b, c, d]| WorkingOut {
            first_response: stat(a),
            first_response_incl_bot: stat(b),
            response: stat(c),
            resolution: stat(d),
        }),
        warnings: f.warnings,
        breaches: f.breaches,
        open_at_end: f.open_at_end,
    }
}

#[derive(Serialize, ToSchema)]
pub struct GroupOut {
    /// The period's label (`2026-11-23`; a week by its Monday; `2026-11`), or the manager's,
    /// channel's or tag's id (`null`: nobody's, or no tag).
    pub key: Option<String>,
    /// What to show: the period, the manager's or channel's name, the tag's name.
    pub label: String,
    #[serde(flatten)]
    pub figures: FiguresOut,
}

#[derive(Serialize, ToSchema)]
pub struct SummaryOut {
    /// The version of the definitions used (docs/REPORTS.md).
    pub definitions_version: u32,
    #[serde(with = "time::serde::rfc3339")]
    pub from: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub to: OffsetDateTime,
    /// The time zone periods are cut in: the calendar's, else UTC.
    pub time_zone: String,
    pub group_by: String,
    /// `true` when the shop keeps a calendar: `working` figures are given.
    pub working_hours: bool,
    /// Only this manager's figures (a manager's own report).
    pub manager: Option<Uuid>,
    pub groups: Vec<GroupOut>,
    pub total: FiguresOut,
}

fn label(m: &ReadModel, key: &GroupKey) -> (Option<String>, String) {
    match key {
        GroupKey::Period(l, _) => (Some(l.clone()), l.clone()),
        GroupKey::Manager(None) => (None, "unassigned, bots and the system".into()),
        GroupKey::Manager(Some(u)) => (
            Some(u.0.to_string()),
            m.people
                .users
                .get(u)
                .map_or_else(|| u.0.to_string(), |x| x.name.clone()),
        ),
        GroupKey::Channel(c) => (
            Some(c.0.to_string()),
            m.catalog
                .channels
                .get(c)
                .map_or_else(|| c.0.to_string(), |x| x.name.clone()),
        ),
        GroupKey::Tag(None) => (None, "no tag".into()),
        GroupKey::Tag(Some(t)) => (
            Some(t.0.to_string()),
            m.catalog
                .tags
                .get(t)
                .map_or_else(|| t.0.to_string(), |x| x.name.clone()),
        ),
    }
}

fn wants_csv(req: &HttpRequest) -> bool {
    req.headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/csv"))
}

fn csv_cell(s: &str) -> String {
    // A cell a spreadsheet would run as a formula is quoted as text.
    let s = if s.starts_with(['=', '+', '-', '@']) && s.parse::<f64>().is_err() {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn csv(rows: Vec<Vec<String>>, name: &str) -> HttpResponse {
    let mut out = String::new();
    for r in rows {
        out.push_str(&r.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "content-disposition",
            format!("attachment; filename=\"{name}.csv\""),
        ))
        .body(out)
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}

fn stat_cells(s: &StatOut) -> [String; 4] {
    [
        s.count.to_string(),
        opt(s.mean_s),
        opt(s.median_s),
        opt(s.p90_s),
    ]
}

const STATS: [&str; 4] = [
    "first_response",
    "first_response_incl_bot",
    "response",
    "resolution",
];

fn summary_csv(s: &SummaryOut) -> Vec<Vec<String>> {
    let mut head: Vec<String> = [
        "key",
        "label",
        "opened",
        "reopened",
        "closed",
        "messages_in",
        "messages_by_person",
        "messages_by_bot",
        "templates",
        "away_replies",
        "warnings",
        "breaches",
        "open_at_end",
    ]
    .map(String::from)
    .to_vec();
    for (prefix, name) in [("", STATS), ("working_", STATS)]
        .iter()
        .flat_map(|(p, n)| n.iter().map(move |n| (*p, *n)))
    {
        for part in ["count", "mean_s", "median_s", "p90_s"] {
            head.push(format!("{prefix}{name}_{part}"));
        }
    }
    let row = |key: &str, label: &str, f: &FiguresOut| {
        let mut r: Vec<String> = vec![key.into(), label.into()];
        r.extend(
            [
                f.opened,
                f.reopened,
                f.closed,
                f.messages_in,
                f.messages_by_person,
                f.messages_by_bot,
                f.templates,
                f.away_replies,
                f.warnings,
                f.breaches,
            ]
            .map(|n| n.to_string()),
        );
        r.push(opt(f.open_at_end));
        for s in [
            &f.first_response,
            &f.first_response_incl_bot,
            &f.response,
            &f.resolution,
        ] {
            r.extend(stat_cells(s));
        }
        match &f.working {
            Some(w) => {
                for s in [
                    &w.first_response,
                    &w.first_response_incl_bot,
                    &w.response,
                    &w.resolution,
                ] {
                    r.extend(stat_cells(s));
                }
            }
            None => r.extend(std::iter::repeat_n(String::new(), 16)),
        }
        r
    };
    let mut rows = vec![head];
    for g in &s.groups {
        rows.push(row(g.key.as_deref().unwrap_or(""), &g.label, &g.figures));
    }
    rows.push(row("total", "total", &s.total));
    rows
}

#[utoipa::path(get, path = "/api/v1/reports/summary", tag = "reports", operation_id = "report_summary", params(ReportParams), security(("bearer" = [])), responses((status = 200, description = "the period's figures by group, and in total; `text/csv` with `Accept: text/csv` (one row per group, then the total)", body = SummaryOut), (status = 400, description = "invalid_query", body = Problem), (status = 503, description = "reports_rebuilding: rebuilt from the log after a start; `Retry-After`", body = Problem)))]
#[get("/reports/summary")]
async fn summary(
    app: web::Data<App>,
    caller: Caller,
    p: web::Query<ReportParams>,
    req: HttpRequest,
) -> Result<HttpResponse, Problem> {
    let m = app.model();
    let q = ready_query(&m, &p, &caller)?;
    let s = m.report_summary(&q);
    let out = SummaryOut {
        definitions_version: DEFINITIONS,
        from: q.from,
        to: q.to,
        time_zone: m
            .calendar
            .as_ref()
            .map_or("UTC".into(), |c| c.time_zone.clone()),
        group_by: p.group_by.clone().unwrap_or_else(|| "day".into()),
        working_hours: s.working_hours,
        manager: q.manager.map(|u| u.0),
        groups: s
            .groups
            .iter()
            .map(|(k, f)| {
                let (key, label) = label(&m, k);
                GroupOut {
                    key,
                    label,
                    figures: figures(f),
                }
            })
            .collect(),
        total: figures(&s.total),
    };
    Ok(if wants_csv(&req) {
        csv(summary_csv(&out), "chatd-summary")
    } else {
        HttpResponse::Ok().json(out)
    })
}

/// One dialog's figures in the period.
#[derive(Serialize, ToSchema)]
pub struct DialogReportRow {
    pub dialog_id: Uuid,
    pub channel: views::ChannelRef,
    /// The pinned customer's name (`null` when none is pinned).
    pub customer: Option<String>,
    /// Openings (opened or reopened) in the period.
    pub openings: u64,
    pub closed: u64,
    pub messages_in: u64,
    /// By people and bots, templates included (away replies not).
    pub messages_out: u64,
    /// Seconds: the first opening's first response by a person.
    pub first_response_s: Option<i64>,
    /// Seconds: the same, by a person or a bot.
    pub first_response_incl_bot_s: Option<i64>,
    /// Seconds: every closed opening's resolution, summed.
    pub resolution_s: Option<i64>,
    /// Every customer turn's response.
    pub response: StatOut,
}

#[derive(Serialize, ToSchema)]
pub struct DialogReport {
    pub definitions_version: u32,
    pub items: Vec<DialogReportRow>,
    /// Rows after these (`null`: none).
    pub next_offset: Option<usize>,
}

fn dialog_row(m: &ReadModel, d: &DialogFigures) -> DialogReportRow {
    let channel = d.channel_id.and_then(|c| m.catalog.channels.get(&c));
    DialogReportRow {
        dialog_id: d.dialog_id.map_or(Uuid::nil(), |i| i.0),
        channel: views::ChannelRef {
            id: d.channel_id.map_or(Uuid::nil(), |c| c.0),
            channel_type: channel.map(|c| c.channel_type),
            name: channel.map(|c| c.name.clone()),
        },
        customer: d
            .customer_id
            .and_then(|c| m.customers.get(&c))
            .map(|c| c.name.clone()),
        openings: d.openings,
        closed: d.closed,
        messages_in: d.messages_in,
        messages_out: d.messages_out,
        first_response_s: d.first_response,
        first_response_incl_bot_s: d.first_response_incl_bot,
        resolution_s: d.resolution,
        response: stat(&d.responses),
    }
}

#[utoipa::path(get, path = "/api/v1/reports/dialogs", tag = "reports", operation_id = "report_dialogs", params(ReportParams), security(("bearer" = [])), responses((status = 200, description = "one row per dialog with a fact in the period, in the order of its first; `text/csv` with `Accept: text/csv`", body = DialogReport), (status = 400, description = "invalid_query", body = Problem), (status = 503, description = "reports_rebuilding", body = Problem)))]
#[get("/reports/dialogs")]
async fn dialogs(
    app: web::Data<App>,
    caller: Caller,
    p: web::Query<ReportParams>,
    req: HttpRequest,
) -> Result<HttpResponse, Problem> {
    let m = app.model();
    let q = ready_query(&m, &p, &caller)?;
    let all = m.report_dialogs(&q);
    let skip = p.offset.unwrap_or(0);
    let take = p.limit.unwrap_or(MAX_ROWS).clamp(1, MAX_ROWS);
    let items: Vec<_> = all
        .iter()
        .skip(skip)
        .take(take)
        .map(|d| dialog_row(&m, d))
        .collect();
    let next_offset = (skip + take < all.len()).then_some(skip + take);
    if wants_csv(&req) {
        let mut rows = vec![[
            "dialog_id",
            "channel",
            "customer",
            "openings",
            "closed",
            "messages_in",
            "messages_out",
            "first_response_s",
            "first_response_incl_bot_s",
            "resolution_s",
            "responses",
            "response_median_s",
            "response_p90_s",
        ]
        .map(String::from)
        .to_vec()];
        for d in &items {
            rows.push(vec![
                d.dialog_id.to_string(),
                d.channel.name.clone().unwrap_or_default(),
                d.customer.clone().unwrap_or_default(),
                d.openings.to_string(),
                d.closed.to_string(),
                d.messages_in.to_string(),
                d.messages_out.to_string(),
                opt(d.first_response_s),
                opt(d.first_response_incl_bot_s),
                opt(d.resolution_s),
                d.response.count.to_string(),
                opt(d.response.median_s),
                opt(d.response.p90_s),
            ]);
        }
        return Ok(csv(rows, "chatd-dialogs"));
    }
    Ok(HttpResponse::Ok().json(DialogReport {
        definitions_version: DEFINITIONS,
        items,
        next_offset,
    }))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(summary).service(dialogs);
}
