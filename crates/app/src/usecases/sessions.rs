//! Logging in and out: passwords checked against argon2id hashes, sessions as events on the
//! user's stream (revoked by logout, deactivation and a new password), expiring 30 days after
//! login or after an idle time (R28), and failed logins throttled (R28, see `throttle`).

use crate::throttle::{Policy, Throttle};
use crate::{credentials, App, AppError, MIN_POSITION_WAIT};
use chatd_domain::people::{User, UserCommand};
use chatd_domain::{Principal, UserId};
use chatd_store::Position;
use std::collections::HashSet;
use std::net::IpAddr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Sessions last 30 days at most.
pub const SESSION_DAYS: i64 = 30;
/// A session unused for this long has expired, unless configured otherwise.
pub const DEFAULT_IDLE: time::Duration = time::Duration::hours(24);
/// A session's use is recorded when the last record is older than this share of the idle time
/// (so at most eight `SessionUsed` events per idle period of constant use).
const RECORD_USE_EVERY: i32 = 8;

/// Per login and client address: 5 failures free, then 1 s doubling up to 15 minutes.
const PER_ADDRESS: Policy = Policy {
    free: 5,
    base: Duration::from_secs(1),
    max: Duration::from_secs(15 * 60),
    window: Duration::from_secs(15 * 60),
    capacity: 100_000,
};
/// Per login from anywhere: 20 failures free, then at most 30 s (the real user's worst wait).
const PER_LOGIN: Policy = Policy {
    free: 20,
    base: Duration::from_secs(1),
    max: Duration::from_secs(30),
    window: Duration::from_secs(15 * 60),
    capacity: 100_000,
};

/// The node's session state beyond the log: the idle limit, uses being recorded, and the
/// failed-login throttles (memory only: a restart forgets them, which costs an attacker a
/// restart of ours).
pub struct Sessions {
    idle_s: AtomicI64,
    recording: Mutex<HashSet<String>>,
    per_address: Throttle,
    per_login: Throttle,
}

impl Default for Sessions {
    fn default() -> Self {
        Sessions {
            idle_s: AtomicI64::new(DEFAULT_IDLE.whole_seconds()),
            recording: Mutex::new(HashSet::new()),
            per_address: Throttle::new(PER_ADDRESS),
            per_login: Throttle::new(PER_LOGIN),
        }
    }
}

impl Sessions {
    /// How long a session may go unused.
    pub fn idle(&self) -> time::Duration {
        time::Duration::seconds(self.idle_s.load(Ordering::Relaxed))
    }

    /// Set the idle limit (configuration, at start).
    pub fn set_idle(&self, idle: time::Duration) {
        self.idle_s
            .store(idle.whole_seconds().max(1), Ordering::Relaxed);
    }
}

/// The key a failure count is shared under among the nodes (R34): a digest, so the store holds
/// no login or address. The two counts' keys differ already: only the per-address one holds a
/// NUL.
fn shared_key(key: &str) -> String {
    credentials::token_hash(&format!("login-failures\u{0}{key}"))
}

/// A new session.
pub struct LoggedIn {
    pub user_id: UserId,
    /// Shown once; only its hash is stored.
    pub token: String,
    pub position: Option<Position>,
}

/// Check `login`'s password and open a session; the read models show it when this returns.
/// R32: an unknown or inactive login is checked against a stand-in hash, so that it takes as
/// long as a wrong password and logins cannot be enumerated by timing. R28: a login that failed
/// too often is refused at once with `Throttled` (unknown logins alike), without a hash check.
pub async fn log_in(
    app: &App,
    login: &str,
    password: String,
    from: Option<IpAddr>,
) -> Result<LoggedIn, AppError> {
    let s = &app.sessions;
    let by_address = format!(
        "{login}\u{0}{}",
        from.map(|a| a.to_string()).unwrap_or_default()
    );
    let now = Instant::now();
    // Each count with its key here and the key it is shared under among the nodes.
    let counts = [(&s.per_address, by_address.as_str()), (&s.per_login, login)]
        .map(|(throttle, key)| (throttle, key, shared_key(key)));
    let closed = || {
        let wait = counts
            .iter()
            .filter_map(|(t, key, _)| t.check(key, now).err());
        wait.max()
            .map_or(Ok(()), |wait| Err(AppError::Throttled(wait)))
    };
    closed()?;
    // R34: what the other nodes counted, when this node alone would let the attempt through.
    let cluster = app.store.cluster();
    for (throttle, key, shared) in &counts {
        if let Some((failures, ago)) = cluster.login_failures(shared, throttle.window()).await? {
            throttle.raise(key, failures, now.checked_sub(ago).unwrap_or(now));
        }
    }
    closed()?;
    // The account may have been created, reactivated, deactivated or given a new password a
    // moment ago through another node (R34): decide on the log as it is now.
    app.caught_up_with_head().await?;
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
        let now = Instant::now();
        for (throttle, key, shared) in &counts {
            throttle.failed(key, now);
            let failures = cluster.login_failed(shared, throttle.window()).await?;
            if let Some(failures) = failures {
                throttle.raise(key, failures, now);
            }
        }
        metrics::counter!("chatd_logins_total", "outcome" => "failed").increment(1);
        return Err(AppError::InvalidCredentials);
    };
    // A success forgets the failures from this address, here and on every node.
    let [(per_address, key, shared), _] = &counts;
    per_address.succeeded(key);
    cluster.login_succeeded(shared).await?;
    metrics::counter!("chatd_logins_total", "outcome" => "ok").increment(1);
    let token = credentials::new_token();
    let start = UserCommand::StartSession {
        token_hash: credentials::token_hash(&token),
        expires_at: app.now() + time::Duration::days(SESSION_DAYS),
    };
    let out = app
        .execute::<User>(user_id, &app.command(Principal::System, start))
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
        .execute::<User>(user_id, &app.command(Principal::System, end))
        .await?;
    Ok(out.position)
}

/// R28: the session `token_hash` of `user_id`, last recorded as used at `last_used`, was just
/// used again. Its use is recorded in the log
/// when the last record is older than an eighth of the idle time, in the background and once
/// however many requests arrive meanwhile.
pub fn used(
    app: &std::sync::Arc<App>,
    user_id: UserId,
    token_hash: &str,
    last_used: time::OffsetDateTime,
) {
    if app.now() - last_used < app.sessions.idle() / RECORD_USE_EVERY {
        return;
    }
    if !app
        .sessions
        .recording
        .lock()
        .expect("session lock")
        .insert(token_hash.to_owned())
    {
        return;
    }
    let app2 = app.clone();
    let token_hash = token_hash.to_owned();
    // A short task of its own, not one of the app's long-lived ones (whose set keeps every
    // finished task until shutdown); one lost at shutdown is recorded by the next use.
    tokio::spawn(async move {
        let cmd = UserCommand::UseSession {
            token_hash: token_hash.clone(),
        };
        let out = app2
            .execute::<User>(user_id, &app2.command(Principal::System, cmd))
            .await;
        if let Ok(out) = out {
            let _ = app2.wait_for(out.position, MIN_POSITION_WAIT).await;
        }
        app2.sessions
            .recording
            .lock()
            .expect("session lock")
            .remove(&token_hash);
    });
}
