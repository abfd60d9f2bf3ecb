//! Small pieces every handler uses.

use super::Problem;
use crate::app::{App, Cached};
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use chatd_domain::Principal;
use chatd_store::Position;
use serde::Serialize;

pub fn parse_position(s: Option<&str>) -> Result<Option<Position>, Problem> {
    s.map(|s| {
        s.parse()
            .map_err(|_| Problem::invalid_query(format!("{s:?} is not a position")))
    })
    .transpose()
}

/// Wait for the read models to reach the caller's `min_position`, if any.
pub async fn settle(app: &App, min_position: Option<&str>) -> Result<(), Problem> {
    let min = parse_position(min_position)?;
    app.wait_for(min, crate::app::MIN_POSITION_WAIT)
        .await
        .map_err(Problem::from)
}

/// A write's answer: the resource plus the global `position` of its last event.
pub fn written<T: Serialize>(
    status: StatusCode,
    body: T,
    position: Option<Position>,
) -> Result<HttpResponse, Problem> {
    let mut res = HttpResponse::build(status).json(super::views::Written {
        body,
        position: position.map(|p| p.to_string()),
    });
    if let Some(at) = position {
        res.extensions_mut()
            .insert(super::own_writes::WrittenAt(at));
    }
    Ok(res)
}

/// After a write: wait until the read models have applied it, then answer with the resource as
/// they show it (404 if they do not) and the write's position.
pub async fn written_view<T: Serialize>(
    app: &App,
    status: StatusCode,
    position: Option<Position>,
    view: impl FnOnce(&chatd_projections::ReadModel) -> Option<T>,
) -> Result<HttpResponse, Problem> {
    app.wait_for(position, crate::app::MIN_POSITION_WAIT)
        .await?;
    let body = view(&app.model()).ok_or_else(Problem::not_found)?;
    written(status, body, position)
}

/// Run one command on one aggregate and answer with its `position` alone.
pub async fn act<A: Cached>(
    app: &App,
    id: impl std::fmt::Display,
    by: Principal,
    body: A::Command,
) -> Result<HttpResponse, Problem> {
    let out = app.execute::<A>(id, &app.command(by, body)).await?;
    written(StatusCode::OK, super::views::Empty {}, out.position)
}

/// Offset paging over a list built on demand (timeline, attachments): the cursor is `prefix`
/// followed by how many items came before. Returns `(skip, limit)`.
pub fn offset_page(
    cursor: Option<&str>,
    limit: Option<usize>,
    prefix: char,
) -> Result<(usize, usize), Problem> {
    let invalid = |d: &str| Problem::invalid_query(d.to_owned());
    let limit = limit.unwrap_or(50);
    if limit == 0 || limit > 200 {
        return Err(invalid("limit is 1 to 200"));
    }
    let skip = match cursor {
        None => 0,
        Some(c) => c
            .strip_prefix(prefix)
            .and_then(|n| n.parse::<usize>().ok())
            .ok_or_else(|| invalid("cursor is not one this server gave"))?,
    };
    Ok((skip, limit))
}

/// The next cursor of an offset page over `total` items.
pub fn next_offset(skip: usize, limit: usize, total: usize, prefix: char) -> Option<String> {
    (skip + limit < total).then(|| format!("{prefix}{}", skip + limit))
}
