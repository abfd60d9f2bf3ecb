//! How the gateway hears the log: a `Listener` on the application's follower that turns each
//! applied event into a `Summary` for the hub, and tickers that publish R15 waiting-level
//! crossings (derived from the log, not in it) and who went online or offline.

use super::frames::{self, Change, Summary};
use super::Hub;
use chatd_app::{App, Applied, Listener, Presence, Typing};
use chatd_domain::people::UserEvent;
use chatd_domain::UserId;
use chatd_projections::{AnyEvent, ReadModel};
use chatd_store::Position;
use std::sync::Arc;
use std::time::Duration;

impl Listener for Hub {
    fn starts_at(&self, from: Option<Position>) {
        self.forget_upto(from);
    }

    fn online_elsewhere(&self, users: &std::collections::HashSet<UserId>) {
        self.set_elsewhere(users);
    }

    fn applied(&self, m: &ReadModel, e: &Applied<'_>) {
        if let AnyEvent::Customer(r) = e.event {
            if let chatd_domain::customer::CustomerEvent::CustomerErased { .. } = r.event {
                self.forget_recent();
            }
        }
        if let Some(change) = change_of(m, e) {
            self.publish(
                m,
                Summary {
                    position: e.position,
                    change,
                },
            );
        }
    }

    /// R24: typing goes to whoever sees the dialog now, live only.
    fn typing(&self, m: &ReadModel, t: &Typing) {
        let Some(position) = m.position else { return };
        self.publish(
            m,
            Summary {
                position,
                change: Change::Typing {
                    id: t.dialog_id,
                    actor: t.actor,
                },
            },
        );
    }
}

impl Presence for Hub {
    fn is_online(&self, user: UserId) -> bool {
        Hub::is_online(self, user)
    }
}

/// What the gateway needs of an applied event, if anything.
fn change_of(m: &ReadModel, e: &Applied<'_>) -> Option<Change> {
    let id = e.stream_id?;
    match e.event {
        AnyEvent::Dialog(r) => Some(Change::Dialog {
            id: id.into(),
            before: e.before,
            after: frames::sight(m, &id.into()),
            event: Box::new(r.event.clone()),
            at: r.meta.at,
            by: r.meta.actor,
        }),
        AnyEvent::Customer(r) => match r.event {
            // Refused while blocked: for the audit trail only.
            chatd_domain::customer::CustomerEvent::InboundRefused { .. } => None,
            _ => Some(Change::Customer { id: id.into() }),
        },
        AnyEvent::User(r) => match r.event {
            UserEvent::SessionStarted { .. } => None,
            UserEvent::SessionEnded { .. } => Some(Change::Access {
                user: Some(id.into()),
            }),
            _ => Some(Change::User { id: id.into() }),
        },
        // A group's rights are part of its members' principals.
        AnyEvent::Group(_) => Some(Change::Access { user: None }),
        _ => None,
    }
}

/// R15: push waiting-level changes when the clock crosses a threshold, with no request made.
/// The thresholds come from the read models, so they survive a restart.
pub fn watch_waiting_levels(app: &Arc<App>, hub: Arc<Hub>) {
    let mut last = app.now();
    every(app, Duration::from_secs(1), move |app| {
        let now = app.now();
        let m = app.model();
        let position = m.position.unwrap_or(Position::single(0));
        for id in m.dialogs.crossing(last, now) {
            hub.publish(
                &m,
                Summary {
                    position,
                    change: Change::Waiting { id },
                },
            );
        }
        last = now;
    });
}

/// Announce who went online or offline, every [`super::hub::PRESENCE_TICK`].
pub fn announce_presence(app: &Arc<App>, hub: Arc<Hub>) {
    every(app, super::hub::PRESENCE_TICK, move |app| {
        hub.announce_presence(&app.model())
    });
}

/// Run `tick` every `period` until chatd stops.
fn every(app: &Arc<App>, period: Duration, mut tick: impl FnMut(&App) + Send + 'static) {
    let weak = Arc::downgrade(app);
    let mut stopping = app.stopping();
    app.spawn(async move {
        loop {
            tokio::select! {
                _ = tokio::time::sleep(period) => {}
                _ = stopping.wait_for(|s| *s) => return,
            }
            let Some(app) = weak.upgrade() else { return };
            tick(&app);
        }
    });
}
