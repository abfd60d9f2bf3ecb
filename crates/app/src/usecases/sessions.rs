//! Logging in and out: passwords checked against argon2id hashes, sessions as events on the
//! user's stream (revoked by logout and by deactivation).

use super::command;
use crate::{credentials, App, AppError, MIN_POSITION_WAIT};
use chatd_domain::people::{User, UserCommand};
use chatd_domain::{Principal, UserId};
use chatd_store::Position;

/// Sessions last 30 days.
pub const SESSION_DAYS: i64 = 30;

/// A new session.
pub struct LoggedIn {
    pub user_id: UserId,
    /// Shown once; only its hash is stored.
    pub token: String,
    pub position: Option<Position>,
}

/// Check `login`'s password and open a session; the read models show it when this returns.
/// R32: an unknown or inactive login is checked against a stand-in hash, so that it takes as
/// long as a wrong password and logins cannot be enumerated by timing.
pub async fn log_in(app: &App, login: &str, password: String) -> Result<LoggedIn, AppError> {
    let found = app
        .model()
        .people
        .by_login(login)
        .filter(|u| u.active)
        .map(|u| (u.id, u.password_hash.clone()));
    let hash = found.as_ref().map(|(_, hash)| hash.clone());
    let ok = tokio::task::spawn_blocking(move || match hash {
        Some(hash) => credentials::verify_password(&password, &hash),
        None => {
            let _ = credentials::verify_password(&password, credentials::stand_in_hash());
            false
        }
    })
    .await
    .unwrap_or(false);
    let Some((user_id, _)) = found.filter(|_| ok) else {
        return Err(AppError::InvalidCredentials);
    };
    let token = credentials::new_token();
    let start = UserCommand::StartSession {
        token_hash: credentials::token_hash(&token),
        expires_at: time::OffsetDateTime::now_utc() + time::Duration::days(SESSION_DAYS),
    };
    let out = app
        .execute::<User>(user_id, &command(Principal::System, start))
        .await?;
    app.wait_for(out.position, MIN_POSITION_WAIT).await?;
    Ok(LoggedIn {
        user_id,
        token,
        position: out.position,
    })
}

/// End the session with this token hash.
pub async fn log_out(
    app: &App,
    user_id: UserId,
    token_hash: String,
) -> Result<Option<Position>, AppError> {
    let end = UserCommand::EndSession { token_hash };
    let out = app
        .execute::<User>(user_id, &command(Principal::System, end))
        .await?;
    Ok(out.position)
}
