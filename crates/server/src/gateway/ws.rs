//! `GET /api/v1/ws`: the token in `Authorization` or, for browsers, `?token=`; `?since=<position>`
//! resumes (with `&part=<part>`, after that frame of the change at the position). Pings every
//! 20 s; a client silent for 60 s is dropped. A socket whose session ends (logout, deactivation) is closed with code 4401 `session_ended`; one whose user's role or
//! rights change, with 4403 `access_changed` (R32).

use super::frames::{frame, FrameData};
use super::hub::{End, Refused, Resume};
use super::Hub;
use crate::app::{usecases::sessions, App};
use crate::http::extract::{bearer, looked_up, Session};
use crate::http::Problem;
use actix_web::{get, web, HttpRequest, HttpResponse};
use actix_ws::Message;
use chatd_domain::Role;
use serde::Deserialize;
use std::time::{Duration, Instant};

const PING_EVERY: Duration = Duration::from_secs(20);
/// Close codes (application range) when the hub ends a socket: the session ended (log in
/// again), or the user's role or rights changed (reconnect to see what they may see now).
pub const CLOSE_SESSION_ENDED: u16 = 4401;
pub const CLOSE_ACCESS_CHANGED: u16 = 4403;
/// The user opened more sockets than `ws_per_user` allows and this was their oldest.
pub const CLOSE_TOO_MANY_SOCKETS: u16 = 4429;

/// The close frame's reason; a too-slow client was told `resync_required` and closes plainly.
fn close_reason(why: End) -> Option<actix_ws::CloseReason> {
    let (code, description) = match why {
        End::TooSlow => return None,
        End::GoingAway => {
            return Some(actix_ws::CloseReason {
                code: actix_ws::CloseCode::Away,
                description: Some("chatd is stopping".into()),
            })
        }
        End::SessionEnded => (CLOSE_SESSION_ENDED, "session_ended"),
        End::AccessChanged => (CLOSE_ACCESS_CHANGED, "access_changed"),
        End::Replaced => (CLOSE_TOO_MANY_SOCKETS, "too_many_sockets"),
    };
    Some(actix_ws::CloseReason {
        code: actix_ws::CloseCode::Other(code),
        description: Some(description.into()),
    })
}
const SILENCE_LIMIT: Duration = Duration::from_secs(60);

#[derive(Deserialize)]
pub struct WsParams {
    token: Option<String>,
    since: Option<String>,
    part: Option<String>,
}

/// `since=<position>` and, optionally, `part=<part>` (the last frame of that change the client
/// has).
fn resume_point(q: &WsParams) -> Result<Option<Resume>, Problem> {
    let part = q.part.as_deref().map(str::parse::<u32>).transpose();
    let part = part.map_err(|_| Problem::invalid_query("part is not a frame's part"))?;
    match (q.since.as_deref(), part) {
        (None, None) => Ok(None),
        (None, Some(_)) => Err(Problem::invalid_query("part needs since")),
        (Some(since), part) => {
            let position = since
                .parse()
                .map_err(|_| Problem::invalid_query("since is not a position"))?;
            Ok(Some(Resume { position, part }))
        }
    }
}

#[get("/api/v1/ws")]
pub async fn ws(
    req: HttpRequest,
    body: web::Payload,
    app: web::Data<App>,
    hub: web::Data<Hub>,
    q: web::Query<WsParams>,
) -> Result<HttpResponse, Problem> {
    let token = bearer(&req)
        .or_else(|| q.token.clone())
        .ok_or_else(|| Problem::unauthorized("a bearer token or ?token= is required"))?;
    let since = resume_point(&q)?;
    // A token issued a moment ago through another node (R34): caught up with once, as by the
    // extractors, before a refusal.
    let t = token.clone();
    looked_up(&app, move |app| {
        Session::in_model(app, &app.model(), &t).map(drop)
    })
    .await?;
    // A position another node has sent and this one has not applied yet (R34): wait for it, as
    // for `min_position`, so the resume neither repeats nor misses anything. One beyond the
    // log's head is of no log this one knows (a restored backup, another shop): resync.
    let mut unknown_since = false;
    if let Some(s) = since.filter(|s| app.position().is_none_or(|p| p < s.position)) {
        let head = app.fresh_head().await.map_err(chatd_app::AppError::from)?;
        unknown_since = head.is_none_or(|h| h < s.position);
        if !unknown_since {
            app.wait_for(Some(s.position), chatd_app::MIN_POSITION_WAIT)
                .await?;
        }
    }
    // The session is checked against the same read models the hub registers the socket under,
    // so a deactivation or logout applied in between cannot be missed (R32).
    let connected = {
        let m = app.model();
        let session = Session::in_model(&app, &m, &token)?;
        if session.role == Role::Auditor {
            return Err(Problem::forbidden(
                "auditors read history through the audit API",
            ));
        }
        let user = session.user_id;
        let hash = session.token_hash.clone();
        if unknown_since {
            Err(Refused::ResyncRequired)
        } else {
            hub.connect(&m, session.principal, Some(session.token_hash), since)
                .map(|c| (c, user, hash))
        }
    };
    let (conn, user, token_hash) = match connected {
        Ok((c, user, hash)) => (Ok(c), Some(user), hash),
        Err(e) => (Err(e), None, String::new()),
    };
    let conn = match conn {
        Err(Refused::TooManyConnections) => {
            return Err(Problem::too_many_connections(
                "this node holds as many WebSockets as it may",
            ))
        }
        other => other,
    };
    let (response, mut ws, mut incoming) =
        actix_ws::handle(&req, body).map_err(|e| Problem::not_a_websocket(e.to_string()))?;
    let app = app.into_inner();
    let hub = hub.into_inner();
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
                hub.disconnect(conn.id);
                return;
            }
        }
        let mut ping = tokio::time::interval(PING_EVERY);
        ping.tick().await;
        let mut heard = Instant::now();
        loop {
            tokio::select! {
                // The reason first: when the hub ends a connection it also drops its queue.
                biased;
                why = &mut conn.ended => {
                    if let Ok(End::TooSlow) = why {
                        let _ = ws.text(frame(app.position(), FrameData::ResyncRequired(crate::http::views::Empty {}))).await;
                    }
                    let _ = ws.close(why.ok().and_then(close_reason)).await;
                    // The hub removed the connection already.
                    return;
                }
                f = conn.frames.recv() => match f {
                    // A client that takes no bytes for as long as a silent one is dropped too.
                    Some(f) => match tokio::time::timeout(SILENCE_LIMIT, ws.text(f)).await {
                        Ok(Ok(())) => {}
                        _ => break,
                    },
                    None => break,
                },
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
                    // R28: an open feed is a session in use.
                    let last_used = app.model().people.last_used(&token_hash);
                    if let (Some(user), Some(last_used)) = (user, last_used) {
                        sessions::used(&app, user, &token_hash, last_used);
                    }
                }
            }
        }
        hub.disconnect(conn.id);
        let _ = tokio::time::timeout(Duration::from_secs(5), ws.close(None)).await;
    });
    Ok(response)
}
