//! R36: the reports' facts are not in the snapshot. After a start from one, this task rebuilds
//! them from the whole log in the background (the report routes answer 503 meanwhile), then
//! catches up with the read models and swaps the result in. After a start from the log itself
//! the follower builds them as it goes.

use crate::App;
use chatd_projections::model::reports::Reports;
use chatd_projections::{decode_event, AnyEvent, DecodeFailure};
use chatd_store::Position;
use std::sync::Arc;

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

async fn run(app: &App) -> Result<usize, crate::AppError> {
    let mut fresh = Reports::default();
    let mut after: Option<Position> = None;
    loop {
        let page = app.store.read_all(after, PAGE).await?;
        if page.is_empty() {
            // Caught up with the log as it was; swap in if the read models are here too.
            if let Some(facts) = swap(app, &mut fresh, after) {
                return Ok(facts);
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            continue;
        }
        for e in &page {
            after = Some(e.position);
            let decoded = match decode_event(e, &app.keys.ring) {
                Err(DecodeFailure::MissingKey { subject, .. }) => {
                    app.keys.fetch(app.store.as_ref(), subject).await?;
                    decode_event(e, &app.keys.ring)
                }
                other => other,
            };
            if let Ok(AnyEvent::Dialog(r)) = decoded {
                if let Some(id) = chatd_projections::model::stream_id(&e.stream) {
                    fresh.apply(&r, id, None);
                }
            }
        }
    }
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
