//! R24: typing notices. Never stored: a user's or bot's typing goes to the colleagues who see the
//! dialog and to the channel's webhook, the customer's (as the integration reports it) to every
//! user who sees the dialog, each at most once per dialog and side every [`EVERY`].

use super::changes::live_dialog;
use crate::{App, AppError, Typing};
use chatd_domain::dialog::Dialog;
use chatd_domain::{Actor, ChannelId, DialogId, DomainError, Principal, Role};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use time::OffsetDateTime;

/// One notice per dialog and side this often.
pub const EVERY: Duration = Duration::from_secs(3);
/// Dialogs remembered at once; beyond it, stale entries are dropped first and new notices are
/// refused until there is room (memory stays bounded whatever callers do).
const CAPACITY: usize = 100_000;

/// When each (dialog, side) last passed a notice on; `true` is our side.
#[derive(Default)]
pub struct Throttle(Mutex<HashMap<(DialogId, bool), Instant>>);

impl Throttle {
    /// Whether a notice for `dialog` from `ours` (or the customer's side) passes now.
    fn pass(&self, dialog: DialogId, ours: bool, now: Instant) -> bool {
        let mut seen = self.0.lock().expect("typing throttle lock");
        if let Some(last) = seen.get(&(dialog, ours)) {
            if now.duration_since(*last) < EVERY {
                return false;
            }
        }
        if seen.len() >= CAPACITY {
            seen.retain(|_, last| now.duration_since(*last) < EVERY);
            if seen.len() >= CAPACITY {
                return false;
            }
        }
        seen.insert((dialog, ours), now);
        true
    }
}

/// `by` (a user or bot who sees the dialog and may act in it) is typing. `Ok(false)`: within
/// [`EVERY`] of the last notice for the dialog, so nothing was passed on.
pub async fn typing(app: &App, by: Principal, dialog: DialogId) -> Result<bool, AppError> {
    let responsible = {
        let m = app.model();
        match m.dialogs.get(&dialog) {
            Some(r) if r.is_visible_to(&by) => r.responsible,
            _ => return Err(DomainError::NotFound.into()),
        }
    };
    if matches!(
        by,
        Principal::User {
            role: Role::Auditor,
            ..
        }
    ) {
        return Err(DomainError::Forbidden.into());
    }
    // R3: typing reaches the customer's channel, so only who may write to them types.
    chatd_domain::dialog::write_access(responsible, &by)?;
    Ok(announce(app, dialog, true, by.actor()))
}

/// The integration reports that the customer of `external_chat_id` is typing.
pub async fn customer_typing(
    app: &App,
    channel: ChannelId,
    external_chat_id: &str,
) -> Result<(DialogId, bool), AppError> {
    let dialog = live_dialog(app, channel, external_chat_id).await?;
    let customer = app.current::<Dialog>(dialog).await?.customer_id;
    let passed = announce(app, dialog, false, Actor::Customer { id: customer });
    Ok((dialog, passed))
}

fn announce(app: &App, dialog_id: DialogId, ours: bool, actor: Actor) -> bool {
    if !app.typing.pass(dialog_id, ours, Instant::now()) {
        return false;
    }
    app.announce_typing(&Typing {
        dialog_id,
        actor,
        at: OffsetDateTime::now_utc(),
    });
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn one_notice_per_dialog_and_side_every_three_seconds() {
        let t = Throttle::default();
        let (a, b) = (
            DialogId::from(Uuid::from_u128(1)),
            DialogId::from(Uuid::from_u128(2)),
        );
        let now = Instant::now();
        assert!(t.pass(a, true, now));
        assert!(!t.pass(a, true, now + Duration::from_secs(2)));
        assert!(t.pass(a, false, now + Duration::from_secs(2)));
        assert!(t.pass(b, true, now + Duration::from_secs(2)));
        assert!(t.pass(a, true, now + EVERY));
    }
}
