//! R36: the reports' facts are not in the snapshot. After a start from one, this task rebuilds
//! them from the whole log in the background (the report routes answer 503 meanwhile), then
//! catches up with the read models and swaps the result in. After a start from the log itself
//! the follower builds them as it goes.

use crate::App;
use chatd_projections::model::reports::Reports;
use chatd_projections::privacy::Keyring;
use chatd_projections::{decode_event, AnyEvent, DecodeFailure};
use chatd_store::ahead::read_ahead;
use chatd_store::{Position, RecordedEvent};
use std::collections::HashSet;
use std::sync::Arc;
use uuid::Uuid;

const PAGE: usize = 2048;

pub(crate) fn rebuild(app: &Arc<App>) {
    let worker = app.clone();
    let mut stopping = app.stopping();
    app.spawn(async move {
        let started = std::time::Instant::now();
        tokio::select! {
            done = run(&worker) => match done {
                Ok(facts) => tracing::info!(facts, seconds = started.elapsed().as_secs_f64(), "reports rebuilt from the log"),
                Err(e) => tracing::warn!(error = %e, "reports could not be rebuilt; they stay unavailable until the next start"),
            },
            _ = stopping.wait_for(|s| *s) => {}
        }
    });
}

/// Why a walk over the log stopped before its end.
enum Stop {
    /// An event sealed under a key the ring does not hold yet (R35): fetch it, walk on from there.
    Key(Uuid),
    Failed(crate::AppError),
}

impl From<chatd_store::StoreError> for Stop {
    fn from(e: chatd_store::StoreError) -> Self {
        Stop::Failed(e.into())
    }
}

async fn run(app: &App) -> Result<usize, crate::AppError> {
    let mut fresh = Reports::default();
    let mut after: Option<Position> = None;
    // Subjects whose key was fetched once: an event still sealed after that (the store holds
    // no key for it) is passed over, as before.
    let mut fetched = HashSet::new();
    loop {
        // The next page is read while this one is applied (as the replay does).
        let walked = read_ahead(
            after,
            |from| app.store.read_all(from, PAGE),
            |page| fold_page(&mut fresh, page, &app.keys.ring, &fetched, &mut after),
        )
        .await;
        match walked {
            Err(Stop::Key(subject)) => {
                app.keys.fetch(app.store.as_ref(), subject).await?;
                fetched.insert(subject);
            }
            Err(Stop::Failed(e)) => return Err(e),
            // Caught up with the log as it was; swap in if the read models are here too.
            Ok(()) => match swap(app, &mut fresh, after) {
                Some(facts) => return Ok(facts),
                None => tokio::time::sleep(std::time::Duration::from_millis(5)).await,
            },
        }
    }
}

/// Apply a page's dialog events to `fresh`, `after` moving past each event handled; stops at an
/// event sealed under a key not fetched yet.
fn fold_page(
    fresh: &mut Reports,
    page: &[RecordedEvent],
    ring: &Keyring,
    fetched: &HashSet<Uuid>,
    after: &mut Option<Position>,
) -> Result<(), Stop> {
    for e in page {
        match decode_event(e, ring) {
            Err(DecodeFailure::MissingKey { subject, .. }) if !fetched.contains(&subject) => {
                return Err(Stop::Key(subject))
            }
            Ok(AnyEvent::Dialog(r)) => {
                if let Some(id) = chatd_projections::model::stream_id(&e.stream) {
                    fresh.apply(&r, id, None);
                }
            }
            _ => {}
        }
        *after = Some(e.position);
    }
    Ok(())
}

/// Swap `fresh` in if the read models applied exactly what it did; how many facts it holds.
fn swap(app: &App, fresh: &mut Reports, after: Option<Position>) -> Option<usize> {
    let mut m = app.model.write().expect("read model lock");
    if m.position != after {
        return None;
    }
    fresh.recompute_working(m.calendar.as_ref());
    m.reports = std::mem::take(fresh);
    Some(m.reports.len())
}
