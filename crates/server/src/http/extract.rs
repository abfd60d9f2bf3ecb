//! Who is calling: a manager-API user (bearer session), a channel integration (transport token),
//! or a bot (bot token). Missing or forged credentials get 401; auditors get 403 outside the
//! audit API.
//!
//! Credentials are looked up in this node's read models, without waiting. When a lookup finds
//! nothing, the credential may have been issued a moment ago through another node (R34: a login
//! on one node, the next request on another): the read models catch up with the log's head once
//! and the lookup is tried again before the 401.

use super::Problem;
use crate::app::{credentials::token_hash, usecases::sessions, App};
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use chatd_domain::{ChannelId, Principal, Role, UserId};
use futures_util::future::{Either, FutureExt, LocalBoxFuture};
use std::future::{ready, Ready};
use std::sync::Arc;
use time::OffsetDateTime;

fn app(req: &HttpRequest) -> &Arc<App> {
    req.app_data::<web::Data<App>>().expect("App is registered")
}

/// An extractor's answer: at once when the read models know the credential, later when they
/// first had to catch up with the log's head.
type Checked<T> = Either<Ready<Result<T, Problem>>, LocalBoxFuture<'static, Result<T, Problem>>>;

/// `look` in the read models; on a miss, catch up with the log's head once and `look` again.
pub(crate) fn looked_up<T: 'static>(
    app: &Arc<App>,
    look: impl Fn(&Arc<App>) -> Result<T, Problem> + 'static,
) -> Checked<T> {
    match look(app) {
        Ok(found) => Either::Left(ready(Ok(found))),
        Err(missed) => {
            let app = app.clone();
            Either::Right(
                async move {
                    app.caught_up_with_head().await?;
                    look(&app).map_err(|_| missed)
                }
                .boxed_local(),
            )
        }
    }
}

/// The credential in header `name` (`required` when it is missing): `look` finds what its hash
/// stands for, after a catch-up when it first finds nothing.
fn by_header<T: 'static>(
    req: &HttpRequest,
    name: &str,
    required: &'static str,
    look: impl Fn(&App, &str) -> Result<T, Problem> + 'static,
) -> Checked<T> {
    match req.headers().get(name).and_then(|v| v.to_str().ok()) {
        None => Either::Left(ready(Err(unauthorized(required)))),
        Some(token) => {
            let hash = token_hash(token);
            looked_up(app(req), move |app| look(app, &hash))
        }
    }
}

/// `then` applied to what `checked` gives, at once when it is ready.
fn and_then<T: 'static, U: 'static>(
    checked: Checked<T>,
    then: impl FnOnce(T) -> Result<U, Problem> + 'static,
) -> Checked<U> {
    match checked {
        Either::Left(now) => Either::Left(ready(now.into_inner().and_then(then))),
        Either::Right(later) => Either::Right(later.map(|r| r.and_then(then)).boxed_local()),
    }
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
    pub fn from_token(app: &Arc<App>, token: &str) -> Result<Session, Problem> {
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
    type Future = Checked<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        match bearer(req) {
            None => Either::Left(ready(Err(unauthorized(
                "an Authorization: Bearer token is required",
            )))),
            Some(token) => looked_up(app(req), move |app| Session::from_token(app, &token)),
        }
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
    type Future = Checked<Self>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        and_then(Session::from_request(req, payload), |session| {
            if session.role == Role::Auditor {
                Err(Problem::forbidden(
                    "auditors read history through the audit API",
                ))
            } else {
                Ok(Caller(session))
            }
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
    type Future = Checked<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        by_header(
            req,
            "x-transport-token",
            "an X-Transport-Token header is required",
            |app, hash| match app.model().catalog.channel_by_token(hash) {
                Some(c) => Ok(Transport {
                    channel_id: c.id,
                    principal: Principal::Channel { id: c.id },
                }),
                None => Err(unauthorized("the transport token is unknown")),
            },
        )
    }
}

/// A bot of the Bot API: `X-Bot-Token` of an active bot (a deactivated bot's token is refused).
pub struct BotCaller {
    pub principal: Principal,
}

impl FromRequest for BotCaller {
    type Error = Problem;
    type Future = Checked<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        by_header(
            req,
            "x-bot-token",
            "an X-Bot-Token header is required",
            |app, hash| match app.model().people.bot_by_token(hash) {
                Some(b) => Ok(BotCaller {
                    principal: Principal::Bot { id: b.id },
                }),
                None => Err(unauthorized(
                    "the bot token is unknown or the bot is deactivated",
                )),
            },
        )
    }
}
