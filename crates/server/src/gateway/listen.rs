//! How the gateway hears the log: a `Listener` on the application's follower that turns each
//! applied event into a `Summary` for the hub, and a ticker that publishes R15 waiting-level
//! crossings (derived from the log, not in it).

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
    const TICK: Duration = Duration::from_secs(1);
    let weak = Arc::downgrade(app);
    let mut stopping = app.stopping();
    app.spawn(async move {
        let mut last = match weak.upgrade() {
            Some(app) => app.now(),
            None => return,
        };
        loop {
            tokio::select! {
                _ = tokio::time::sleep(TICK) => {}
                _ = stopping.wait_for(|s| *s) => return,
            }
            let Some(app) = weak.upgrade() else { return };
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
        }
    });
}
