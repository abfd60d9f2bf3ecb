//! R37's timers at work: on the node holding the `timers` duty (R34), every snooze end and
//! scheduled message is fired when the application's clock reaches it. The set is the read
//! model's (`chatd_projections::model::timers`), derived from the log, so a timer due while
//! chatd was down fires at start, and a restart loses none.
//!
//! Once only: each firing is a command on the dialog appended with the version it was decided
//! on and the duty's fence; the dialog appends nothing for a snooze already ended or a message
//! no longer pending, so a retry, a second node or a stale entry changes nothing.
//!
//! Late by at most: the worker looks again at the next due time or after a second, whichever
//! comes first (and at once when a test clock moves), so a timer fires within a second of its
//! time plus the read models' lag behind the log; after a takeover, within the lease's time.

use crate::cluster::Duty;
use crate::usecases::timing::fire;
use crate::{App, AppError};
use chatd_projections::model::timers::Timer;
use chatd_store::cluster::Fence;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

/// The longest the worker sleeps before it looks again.
pub const LOOK_EVERY: Duration = Duration::from_secs(1);
/// Timers fired in one round at most.
const BATCH: usize = 256;

pub fn start(app: &Arc<App>, mut duty: Duty) {
    let mut stopping = app.stopping();
    let mut moved = app.clock.moved();
    let worker = app.clone();
    app.spawn(async move {
        let app = worker;
        // Timers that appended nothing when fired (a stale entry, a refusal): not fired again
        // while they stay due.
        let mut quiet: HashSet<Timer> = HashSet::new();
        loop {
            let fence = duty.borrow().clone();
            let wait = match fence {
                Some(fence) => round(&app, &fence, &mut quiet).await,
                None => LOOK_EVERY,
            };
            let stop = tokio::select! {
                _ = tokio::time::sleep(wait) => false,
                m = moved.changed() => m.is_err(),
                d = duty.changed() => d.is_err(),
                _ = stopping.wait_for(|s| *s) => true,
            };
            if stop {
                return;
            }
        }
    });
}

/// Fire what is due; how long until the next look.
async fn round(app: &App, fence: &Fence, quiet: &mut HashSet<Timer>) -> Duration {
    let now = app.now();
    let due = app.model().timers.due(now, BATCH);
    quiet.retain(|t| due.iter().any(|(_, d)| d == t));

    let mut last = None;
    let to_fire: Vec<_> = due
        .into_iter()
        .filter(|(_, t)| !quiet.contains(t))
        .collect();
    for (at, timer) in &to_fire {
        match fire(app, *timer, fence).await {
            Ok(Some(position)) => {
                let kind = match timer {
                    Timer::Wake { .. } => "wake",
                    Timer::Send { .. } => "send",
                };
                metrics::counter!("chatd_timers_fired_total", "kind" => kind).increment(1);
                metrics::histogram!("chatd_timer_lateness_seconds")
                    .record((app.now() - *at).as_seconds_f64().max(0.0));
                last = last.max(Some(position));
            }
            Ok(None) | Err(AppError::Domain(_)) => {
                quiet.insert(*timer);
            }
            Err(e) => {
                tracing::warn!(error = %e, ?timer, "a timer could not fire; trying again");
                return LOOK_EVERY;
            }
        }
    }
    // Wait until the read models have taken the fired timers out of the due set.
    if last.is_some() {
        let _ = app.wait_for(last, crate::MIN_POSITION_WAIT).await;
    }
    let m = app.model();
    let now = app.now();
    let more = m
        .timers
        .due(now, BATCH)
        .iter()
        .any(|(_, t)| !quiet.contains(t));
    if more {
        return Duration::ZERO;
    }
    m.timers.next_after(now).map_or(LOOK_EVERY, |at| {
        (at - now)
            .try_into()
            .unwrap_or(Duration::ZERO)
            .min(LOOK_EVERY)
    })
}
