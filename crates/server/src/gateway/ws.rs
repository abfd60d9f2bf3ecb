//! `GET /api/v1/ws`: the token in `Authorization` or, for browsers, `?token=`; `?since=<position>`
//! resumes. Pings every 20 s; a client silent for 60 s is dropped.

use super::frames::{frame, FrameData};
use super::hub::Refused;
use crate::app::App;
use crate::http::extract::{bearer, Session};
use crate::http::Problem;
use actix_web::http::StatusCode;
use actix_web::{get, web, HttpRequest, HttpResponse};
use actix_ws::Message;
use chatd_domain::Role;
use chatd_store::Position;
use serde::Deserialize;
use std::time::{Duration, Instant};

const PING_EVERY: Duration = Duration::from_secs(20);
const SILENCE_LIMIT: Duration = Duration::from_secs(60);

#[derive(Deserialize)]
pub struct WsParams {
    token: Option<String>,
    since: Option<String>,
}

#[get("/api/v1/ws")]
pub async fn ws(
    req: HttpRequest,
    body: web::Payload,
    app: web::Data<App>,
    q: web::Query<WsParams>,
) -> Result<HttpResponse, Problem> {
    let token = bearer(&req).or_else(|| q.token.clone()).ok_or_else(|| {
        Problem::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "a bearer token or ?token= is required",
        )
    })?;
    let session = Session::from_token(&app, &token)?;
    if session.role == Role::Auditor {
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "auditors read history through the audit API",
        ));
    }
    let since: Option<Position> = match q.since.as_deref() {
        None => None,
        Some(s) => Some(s.parse().map_err(|_| {
            Problem::new(
                StatusCode::BAD_REQUEST,
                "invalid_query",
                "since is not a position",
            )
        })?),
    };
    let connected = {
        let m = app.model();
        app.hub.connect(&m, session.principal, since)
    };
    let conn = match connected {
        Err(Refused::TooManyConnections) => {
            return Err(Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "too_many_connections",
                "this node holds as many WebSockets as it may",
            ))
        }
        other => other,
    };
    let (response, mut ws, mut incoming) = actix_ws::handle(&req, body)
        .map_err(|e| Problem::new(StatusCode::BAD_REQUEST, "not_a_websocket", e.to_string()))?;
    let app = app.into_inner();
    actix_web::rt::spawn(async move {
        let mut conn = match conn {
            Ok(c) => c,
            Err(_) => {
                let _ = ws
                    .text(frame(
                        app.position(),
                        FrameData::ResyncRequired(crate::http::views::Empty {}),
                    ))
                    .await;
                let _ = ws.close(None).await;
                return;
            }
        };
        for f in conn.backlog.drain(..) {
            if ws.text(f).await.is_err() {
                app.hub.disconnect(&app.model(), conn.id);
                return;
            }
        }
        let mut ping = tokio::time::interval(PING_EVERY);
        ping.tick().await;
        let mut heard = Instant::now();
        loop {
            tokio::select! {
                f = conn.frames.recv() => match f {
                    Some(f) => if ws.text(f).await.is_err() { break },
                    None => break,
                },
                _ = conn.too_slow.notified() => {
                    let _ = ws.text(frame(app.position(), FrameData::ResyncRequired(crate::http::views::Empty {}))).await;
                    break;
                }
                msg = incoming.recv() => match msg {
                    Some(Ok(Message::Ping(b))) => {
                        heard = Instant::now();
                        if ws.pong(&b).await.is_err() { break }
                    }
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                    Some(Ok(_)) => heard = Instant::now(),
                },
                _ = ping.tick() => {
                    if heard.elapsed() > SILENCE_LIMIT || ws.ping(b"").await.is_err() { break }
                }
            }
        }
        app.hub.disconnect(&app.model(), conn.id);
        let _ = ws.close(None).await;
    });
    Ok(response)
}
