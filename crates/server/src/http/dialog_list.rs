//! The dialog list of the manager API (R16): every filter and both sorts, the facets of the
//! filter window, and the header counter (R5).

use super::extract::Caller;
use super::people::ReadParams;
use super::support::settle;
use super::views::{Counted, DialogList, FacetsOut, UnreadCount};
use super::{views, Problem};
use crate::app::App;
use actix_web::{get, web, HttpResponse};
use chatd_domain::{ChannelId, Principal, TagId};
use chatd_projections::model::list::{
    self, LastAuthor, ListQuery, Responsible, Sort, StatusFilter,
};
use serde::Deserialize;
use std::str::FromStr;
#[allow(unused_imports)]
use utoipa::IntoParams;
use uuid::Uuid;

fn invalid_query(detail: impl Into<String>) -> Problem {
    Problem::invalid_query(detail)
}

fn ids<T: From<Uuid>>(field: &str, s: &Option<String>) -> Result<Vec<T>, Problem> {
    let Some(s) = s.as_deref().filter(|s| !s.is_empty()) else {
        return Ok(vec![]);
    };
    s.split(',')
        .map(|p| {
            Uuid::from_str(p.trim())
                .map(T::from)
                .map_err(|_| invalid_query(format!("{field}: {p:?} is not an id")))
        })
        .collect()
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    sort: Option<String>,
    /// `open` (default: open and not snoozed), `snoozed` (R37), `closed` or `all`.
    status: Option<String>,
    responsible: Option<String>,
    channel: Option<String>,
    tags: Option<String>,
    no_tags: Option<bool>,
    pinned_only: Option<bool>,
    last_message: Option<String>,
    q: Option<String>,
    /// R27: `me` lists the dialogs the caller has open mentions in (newest activity first, one
    /// page of at most `limit`; other filters do not apply).
    mentioned: Option<String>,
    /// R31: `true` lists the dialogs waiting in the distribution bot's queues, in processing
    /// order, each with `queue_position` in its channel's queue (one page of at most `limit`;
    /// only `channel` applies with it).
    queued: Option<bool>,
    cursor: Option<String>,
    limit: Option<usize>,
    min_position: Option<String>,
}

fn status_filter(s: Option<&str>) -> Result<StatusFilter, Problem> {
    match s {
        None | Some("open") => Ok(StatusFilter::Open),
        Some("closed") => Ok(StatusFilter::Closed),
        Some("snoozed") => Ok(StatusFilter::Snoozed),
        Some("all") => Ok(StatusFilter::All),
        Some(other) => Err(invalid_query(format!(
            "status {other:?}: open, snoozed, closed or all"
        ))),
    }
}

impl ListParams {
    fn query(&self) -> Result<ListQuery, Problem> {
        let sort = match self.sort.as_deref() {
            None | Some("last_activity") => Sort::LastActivity,
            Some("processing_order") => Sort::ProcessingOrder,
            Some(other) => {
                return Err(invalid_query(format!(
                    "sort {other:?}: last_activity or processing_order"
                )))
            }
        };
        let responsible = match self.responsible.as_deref().filter(|s| !s.is_empty()) {
            None => vec![],
            Some(s) => s
                .split(',')
                .map(|p| match p.trim() {
                    "me" => Ok(Responsible::Me),
                    "unassigned" => Ok(Responsible::Unassigned),
                    other => {
                        let bad = || {
                            invalid_query(format!(
                                "responsible {other:?}: me, unassigned, user:<id> or bot:<id>"
                            ))
                        };
                        let (kind, id) = other.split_once(':').ok_or_else(bad)?;
                        let id = Uuid::from_str(id).map_err(|_| bad())?;
                        match kind {
                            "user" => Ok(Responsible::User(id.into())),
                            "bot" => Ok(Responsible::Bot(id.into())),
                            _ => Err(bad()),
                        }
                    }
                })
                .collect::<Result<_, _>>()?,
        };
        let last_message = match self.last_message.as_deref() {
            None => None,
            Some("customer") => Some(LastAuthor::Customer),
            Some("manager") | Some("bot") => Some(LastAuthor::Manager),
            Some(other) => {
                return Err(invalid_query(format!(
                    "last_message {other:?}: customer or manager"
                )))
            }
        };
        let cursor = match self.cursor.as_deref() {
            None => None,
            Some(c) => Some(
                list::decode_cursor(c)
                    .ok_or_else(|| invalid_query("cursor is not one this server gave"))?,
            ),
        };
        let limit = self.limit.unwrap_or(50);
        if limit == 0 || limit > 200 {
            return Err(invalid_query("limit is 1 to 200"));
        }
        let tags: Vec<TagId> = ids("tags", &self.tags)?;
        let no_tags = self.no_tags.unwrap_or(false);
        if no_tags && !tags.is_empty() {
            return Err(invalid_query("no_tags and tags exclude each other"));
        }
        Ok(ListQuery {
            sort,
            status: status_filter(self.status.as_deref())?,
            responsible,
            channels: ids::<ChannelId>("channel", &self.channel)?,
            tags,
            no_tags,
            pinned_only: self.pinned_only.unwrap_or(false),
            last_message,
            q: self.q.clone(),
            cursor,
            limit,
        })
    }
}

#[utoipa::path(get, path = "/api/v1/dialogs", tag = "dialogs", params(ListParams), security(("bearer" = [])), responses((status = 200, body = DialogList), (status = 400, description = "invalid_query, sort_unavailable", body = Problem), (status = 503, description = "projection_lagging", body = Problem), (status = 401, description = "unauthorized", body = Problem), (status = 403, description = "forbidden", body = Problem)))]
#[get("/dialogs")]
async fn list_dialogs(
    app: web::Data<App>,
    caller: Caller,
    p: web::Query<ListParams>,
) -> Result<HttpResponse, Problem> {
    list_as(&app, &caller.principal, &p).await
}

/// R31: the queues as `viewer` sees them (unassigned dialogs: managers and all-seeing users).
fn queued(
    app: &App,
    viewer: &Principal,
    channel: Option<&str>,
    limit: usize,
) -> Result<HttpResponse, Problem> {
    let channel = channel
        .map(|c| {
            Uuid::parse_str(c)
                .map(chatd_domain::ChannelId::from)
                .map_err(|_| invalid_query(format!("channel {c:?} is not an id")))
        })
        .transpose()?;
    let m = app.model();
    let t = app.now();
    let mut positions: std::collections::HashMap<chatd_domain::ChannelId, u64> =
        std::collections::HashMap::new();
    let mut items = Vec::new();
    for row in chatd_app::distribution::queue(&m) {
        let position = positions.entry(row.channel_id).or_default();
        *position += 1;
        let wanted = channel.is_none_or(|c| c == row.channel_id);
        if wanted && row.is_visible_to(viewer) && items.len() < limit {
            let mut out = views::dialog_row(&m, row, viewer, t);
            out.queue_position = Some(*position);
            items.push(out);
        }
    }
    Ok(HttpResponse::Ok().json(views::DialogList {
        items,
        next_cursor: None,
        position: m.position.map(|p| p.to_string()),
    }))
}

/// R27: the dialogs `viewer` has open mentions in, as one page.
fn mentioned(app: &App, viewer: &Principal, limit: usize) -> HttpResponse {
    let m = app.model();
    let mut rows: Vec<_> = viewer
        .user_id()
        .into_iter()
        .flat_map(|u| m.mentions.open_dialogs(u))
        .filter_map(|d| m.dialogs.get(&d))
        .filter(|r| m.sees_dialog(viewer, r))
        .collect();
    rows.sort_by(|a, b| {
        b.last_activity_at
            .cmp(&a.last_activity_at)
            .then(a.id.cmp(&b.id))
    });
    let t = app.now();
    let items = rows
        .iter()
        .take(limit)
        .map(|r| views::dialog_row(&m, r, viewer, t))
        .collect();
    HttpResponse::Ok().json(views::DialogList {
        items,
        next_cursor: None,
        position: m.position.map(|p| p.to_string()),
    })
}

/// R16: the list as `viewer` may see it.
pub(super) async fn list_as(
    app: &App,
    viewer: &Principal,
    p: &ListParams,
) -> Result<HttpResponse, Problem> {
    let query = p.query()?;
    settle(app, p.min_position.as_deref()).await?;
    if p.queued == Some(true) {
        return queued(app, viewer, p.channel.as_deref(), query.limit);
    }
    match p.mentioned.as_deref() {
        None => {}
        Some("me") => return Ok(mentioned(app, viewer, query.limit)),
        Some(other) => return Err(invalid_query(format!("mentioned {other:?}: only me"))),
    }
    let m = app.model();
    let page = m.list(viewer, &query).map_err(|e| match e {
        list::ListError::SortUnavailable => Problem::sort_unavailable(e.to_string()),
    })?;
    let t = app.now();
    let items: Vec<_> = page
        .items
        .iter()
        .map(|r| views::dialog_row(&m, r, viewer, t))
        .collect();
    Ok(HttpResponse::Ok().json(views::DialogList {
        items,
        next_cursor: page.next_cursor.as_ref().map(list::encode_cursor),
        position: m.position.map(|p| p.to_string()),
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FacetParams {
    status: Option<String>,
    pinned_only: Option<bool>,
    /// The list's other filters, as in `GET /api/v1/dialogs`: each facet's counts narrow with
    /// every filter but its own (the channel counts ignore `channel`, the tag counts `tags` and
    /// `no_tags`, the responsible counts `responsible`).
    responsible: Option<String>,
    channel: Option<String>,
    tags: Option<String>,
    no_tags: Option<bool>,
    last_message: Option<String>,
    q: Option<String>,
    min_position: Option<String>,
}

#[utoipa::path(operation_id = "dialog_facets", get, path = "/api/v1/dialogs/facets", tag = "dialogs", params(FacetParams), security(("bearer" = [])), responses((status = 200, body = FacetsOut), (status = 401, description = "unauthorized", body = Problem), (status = 403, description = "forbidden", body = Problem)))]
#[get("/dialogs/facets")]
async fn facets(
    app: web::Data<App>,
    caller: Caller,
    p: web::Query<FacetParams>,
) -> Result<HttpResponse, Problem> {
    let p = p.into_inner();
    let query = ListParams {
        sort: None,
        status: p.status,
        responsible: p.responsible,
        channel: p.channel,
        tags: p.tags,
        no_tags: p.no_tags,
        pinned_only: p.pinned_only,
        last_message: p.last_message,
        q: p.q,
        mentioned: None,
        queued: None,
        cursor: None,
        limit: None,
        min_position: None,
    }
    .query()?;
    settle(&app, p.min_position.as_deref()).await?;
    let m = app.model();
    let f = m.facets(&caller.principal, &query);
    let tags: Vec<_> = f
        .tags
        .iter()
        .filter_map(|(t, n)| {
            m.catalog.tags.get(t).map(|t| Counted {
                item: views::TagOut {
                    id: t.id.0,
                    name: t.name.clone(),
                    color: t.color,
                },
                dialogs: *n,
            })
        })
        .collect();
    let managers: Vec<_> = f
        .managers
        .iter()
        .map(|(u, n)| Counted {
            item: views::actor(&m, &chatd_domain::Actor::User { id: *u }),
            dialogs: *n,
        })
        .collect();
    let bots: Vec<_> = f
        .bots
        .iter()
        .map(|(b, n)| Counted {
            item: views::actor(&m, &chatd_domain::Actor::Bot { id: *b }),
            dialogs: *n,
        })
        .collect();
    let channels: Vec<_> = f
        .channels
        .iter()
        .filter_map(|(c, n)| {
            m.catalog.channels.get(c).map(|c| Counted {
                item: views::channel(c),
                dialogs: *n,
            })
        })
        .collect();
    // R31: each channel's queue, counted as the viewer sees it.
    let mut queues: Vec<views::QueueCount> = Vec::new();
    for row in chatd_app::distribution::queue(&m) {
        if !row.is_visible_to(&caller.principal) {
            continue;
        }
        match queues.iter_mut().find(|q| q.channel_id == row.channel_id.0) {
            Some(q) => q.dialogs += 1,
            None => queues.push(views::QueueCount {
                channel_id: row.channel_id.0,
                dialogs: 1,
            }),
        }
    }
    queues.sort_by_key(|q| q.channel_id);
    // R16: the bot filter exists only when a bot does.
    Ok(HttpResponse::Ok().json(views::FacetsOut {
        tags,
        bots: (!bots.is_empty()).then_some(bots),
        managers,
        unassigned: f.unassigned,
        snoozed: f.snoozed,
        channels,
        queued: queues,
    }))
}

#[utoipa::path(get, path = "/api/v1/dialogs/unread-count", tag = "dialogs", params(ReadParams), security(("bearer" = [])), responses((status = 200, body = UnreadCount), (status = 401, description = "unauthorized", body = Problem), (status = 403, description = "forbidden", body = Problem)))]
#[get("/dialogs/unread-count")]
async fn unread_count(
    app: web::Data<App>,
    caller: Caller,
    p: web::Query<ReadParams>,
) -> Result<HttpResponse, Problem> {
    settle(&app, p.min_position.as_deref()).await?;
    let m = app.model();
    Ok(HttpResponse::Ok().json(views::UnreadCount {
        dialogs: m.dialogs.unread_dialogs(&caller.principal),
    }))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(list_dialogs)
        .service(facets)
        .service(unread_count);
}
