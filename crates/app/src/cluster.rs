//! Several nodes as one service (R34), the application's side: duties held under leases, and
//! presence shared through the store.
//!
//! - A **duty** is work that must happen once across the nodes (webhook delivery, the
//!   distribution bot). [`hold`] keeps trying to take its lease and renews it every third of
//!   its time; the watch it returns holds the [`Fence`] while this node holds the lease and
//!   `None` otherwise. The worker acts only while it holds a fence and appends with it
//!   (`App::execute_fenced`), so a node that stalled past its lease and woke up is refused by
//!   the store. A renewal that fails for a third of the lease time gives the duty up at once,
//!   before the lease can run out and another node take it.
//! - **Presence**: [`share_presence`] tells the store every few seconds which users hold a
//!   socket on this node and learns who is online anywhere; `App::is_online` answers from both,
//!   and a user appearing on or vanishing from another node wakes the bot like a local socket.

use crate::{App, AppError};
use chatd_domain::UserId;
use chatd_store::cluster::Fence;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// The fence this node holds a duty with, if it holds it.
pub type Duty = watch::Receiver<Option<Fence>>;

/// Names of the duties, as stored.
pub const WEBHOOKS: &str = "webhooks";
pub const DISTRIBUTION: &str = "distribution";
/// R37: snooze ends and scheduled messages.
pub const TIMERS: &str = "timers";
/// R28's last-admin guard is a lease taken for the check and the change, then given up.
pub const ADMIN_GUARD: &str = "admin-guard";

/// A name for this process among the nodes: unique per start.
pub fn node_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "chatd".into());
    format!(
        "{host}-{}-{}",
        std::process::id(),
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    )
}

/// Hold lease `name` whenever it is free, for `ttl` at a time, until chatd stops (then give it
/// up, so another node need not wait for it to run out).
pub fn hold(app: &Arc<App>, name: &'static str, ttl: Duration) -> Duty {
    let (tx, rx) = watch::channel(None);
    let weak = Arc::downgrade(app);
    let mut stopping = app.stopping();
    let every = ttl / 3;
    app.spawn(async move {
        let mut last_renewed: Option<Instant> = None;
        loop {
            let Some(app) = weak.upgrade() else { return };
            let holder = app.node.clone();
            let started = Instant::now();
            match app.store.cluster().acquire(name, &holder, ttl).await {
                Ok(Some(fence)) => {
                    last_renewed = Some(started);
                    let fence = Fence {
                        lease: name.to_owned(),
                        holder,
                        fence,
                    };
                    tx.send_if_modified(|held| {
                        let changed = held.as_ref() != Some(&fence);
                        if changed {
                            tracing::info!(
                                duty = name,
                                fence = fence.fence,
                                "this node holds the duty"
                            );
                        }
                        *held = Some(fence);
                        changed
                    });
                }
                Ok(None) => give_up(&tx, name),
                // The store is away: keep the duty only while the lease surely runs.
                Err(e) => {
                    tracing::debug!(duty = name, error = %e, "could not renew a lease");
                    if last_renewed.is_none_or(|t| t.elapsed() >= every) {
                        give_up(&tx, name);
                    }
                }
            }
            drop(app);
            let stop = tokio::select! {
                _ = tokio::time::sleep(every.saturating_sub(started.elapsed())) => false,
                _ = stopping.wait_for(|s| *s) => true,
            };
            if stop {
                give_up(&tx, name);
                if let Some(app) = weak.upgrade() {
                    let _ = app.store.cluster().release(name, &app.node).await;
                }
                return;
            }
        }
    });
    rx
}

fn give_up(tx: &watch::Sender<Option<Fence>>, name: &str) {
    tx.send_if_modified(|held| {
        let had = held.take().is_some();
        if had {
            tracing::info!(duty = name, "this node no longer holds the duty");
        }
        had
    });
}

/// Tell the store every `every` who holds a socket on this node (`local`), and learn who is
/// online on the other nodes (`App::is_online`, and the listeners when it changed); until chatd
/// stops.
pub fn share_presence(
    app: &Arc<App>,
    every: Duration,
    local: impl Fn() -> Vec<UserId> + Send + 'static,
) {
    let weak = Arc::downgrade(app);
    let mut stopping = app.stopping();
    app.spawn(async move {
        loop {
            let Some(app) = weak.upgrade() else { return };
            let users: Vec<uuid::Uuid> = local().into_iter().map(|u| u.0).collect();
            let cluster = app.store.cluster();
            // A word lasts three periods: one lost heartbeat does not take anyone offline.
            let said = cluster.heartbeat(&app.node, &users, every * 3).await;
            // Who is online on the other nodes: this node knows its own sockets at once.
            if let (Ok(()), Ok(online)) = (said, cluster.online(&app.node).await) {
                let online: HashSet<UserId> = online.into_iter().map(UserId).collect();
                let known = std::mem::replace(
                    &mut *app.cluster_online.write().expect("presence lock"),
                    online.clone(),
                );
                if online != known {
                    for u in online.difference(&known) {
                        app.user_came_online(*u);
                    }
                    for u in known.difference(&online) {
                        if !app.is_online_here(*u) {
                            app.user_went_offline(*u);
                        }
                    }
                    app.tell_online_elsewhere(&online);
                }
            }
            drop(app);
            tokio::select! {
                _ = tokio::time::sleep(every) => {}
                _ = stopping.wait_for(|s| *s) => return,
            }
        }
    });
}

/// Take lease `name` for one piece of work, waiting up to `wait` while another node holds it
/// (`AppError::Contended` after that); give it back with [`give_back`].
pub async fn take(app: &App, name: &str, ttl: Duration, wait: Duration) -> Result<Fence, AppError> {
    let deadline = Instant::now() + wait;
    loop {
        if let Some(fence) = app.store.cluster().acquire(name, &app.node, ttl).await? {
            return Ok(Fence {
                lease: name.to_owned(),
                holder: app.node.clone(),
                fence,
            });
        }
        if Instant::now() >= deadline {
            return Err(AppError::Contended);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Give back a lease taken with [`take`].
pub async fn give_back(app: &App, fence: &Fence) {
    if let Err(e) = app
        .store
        .cluster()
        .release(&fence.lease, &fence.holder)
        .await
    {
        tracing::debug!(lease = %fence.lease, error = %e, "could not give a lease back; it runs out");
    }
}
