//! Who is calling: a manager-API user (bearer session), a channel integration (transport token),
//! or a bot (bot token). Missing or forged credentials get 401; auditors get 403 outside the
//! audit API.

use super::Problem;
use crate::app::{credentials::token_hash, usecases::sessions, App};
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use chatd_domain::{ChannelId, Principal, Role, UserId};
use std::future::{ready, Ready};
use time::OffsetDateTime;

fn app(req: &HttpRequest) -> &std::sync::Arc<App> {
    req.app_data::<web::Data<App>>().expect("App is registered")
}

fn unauthorized(detail: &'static str) -> Problem {
    Problem::unauthorized(detail)
}

/// `Authorization: Bearer <token>`, or (for browsers opening a WebSocket) `?token=`.
pub fn bearer(req: &HttpRequest) -> Option<String> {
    if let Some(h) = req.headers().get("authorization") {
        let v = h.to_str().ok()?;
        let (scheme, token) = v.split_once(' ')?;
        return scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| token.trim().to_owned());
    }
    None
}

/// A logged-in user of any role.
pub struct Session {
    pub principal: Principal,
    pub user_id: UserId,
    pub role: Role,
    pub token_hash: String,
    /// When the session was last recorded as used (R28's idle expiry).
    pub last_used: OffsetDateTime,
}

impl Session {
    /// The live session of `token`; its use is recorded (R28's idle expiry).
    pub fn from_token(app: &std::sync::Arc<App>, token: &str) -> Result<Session, Problem> {
        let session = Self::in_model(app, &app.model(), token)?;
        sessions::used(app, session.user_id, &session.token_hash, session.last_used);
        Ok(session)
    }

    /// The session as the read models `model` show it.
    pub fn in_model(
        app: &App,
        model: &chatd_projections::ReadModel,
        token: &str,
    ) -> Result<Session, Problem> {
        let hash = token_hash(token);
        let unknown = || unauthorized("the token is unknown, expired or revoked");
        let user = model
            .people
            .session(&hash, app.now(), app.sessions.idle())
            .ok_or_else(unknown)?;
        Ok(Session {
            principal: model.people.principal_of(user),
            user_id: user.id,
            role: user.role,
            last_used: model.people.last_used(&hash).ok_or_else(unknown)?,
            token_hash: hash,
        })
    }
}

impl FromRequest for Session {
    type Error = Problem;
    type Future = Ready<Result<Self, Problem>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(match bearer(req) {
            None => Err(unauthorized("an Authorization: Bearer token is required")),
            Some(token) => Session::from_token(app(req), &token),
        })
    }
}

/// A user of the manager API: any role but auditor.
pub struct Caller(pub Session);

impl std::ops::Deref for Caller {
    type Target = Session;
    fn deref(&self) -> &Session {
        &self.0
    }
}

impl FromRequest for Caller {
    type Error = Problem;
    type Future = Ready<Result<Self, Problem>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let session = match Session::from_request(req, payload).into_inner() {
            Ok(s) => s,
            Err(e) => return ready(Err(e)),
        };
        ready(if session.role == Role::Auditor {
            Err(Problem::forbidden(
                "auditors read history through the audit API",
            ))
        } else {
            Ok(Caller(session))
        })
    }
}

/// A channel integration: `X-Transport-Token`.
pub struct Transport {
    pub channel_id: ChannelId,
    pub principal: Principal,
}

impl FromRequest for Transport {
    type Error = Problem;
    type Future = Ready<Result<Self, Problem>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = req
            .headers()
            .get("x-transport-token")
            .and_then(|v| v.to_str().ok());
        ready(match token {
            None => Err(unauthorized("an X-Transport-Token header is required")),
            Some(token) => {
                let model = app(req).model();
                match model.catalog.channel_by_token(&token_hash(token)) {
                    Some(c) => Ok(Transport {
                        channel_id: c.id,
                        principal: Principal::Channel { id: c.id },
                    }),
                    None => Err(unauthorized("the transport token is unknown")),
                }
            }
        })
    }
}

/// A bot of the Bot API: `X-Bot-Token` of an active bot (a deactivated bot's token is refused).
pub struct BotCaller {
    pub principal: Principal,
}

impl FromRequest for BotCaller {
    type Error = Problem;
    type Future = Ready<Result<Self, Problem>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = req
            .headers()
            .get("x-bot-token")
            .and_then(|v| v.to_str().ok());
        ready(match token {
            None => Err(unauthorized("an X-Bot-Token header is required")),
            Some(token) => {
                let model = app(req).model();
                match model.people.bot_by_token(&token_hash(token)) {
                    Some(b) => Ok(BotCaller {
                        principal: Principal::Bot { id: b.id },
                    }),
                    None => Err(unauthorized(
                        "the bot token is unknown or the bot is deactivated",
                    )),
                }
            }
        })
    }
}
