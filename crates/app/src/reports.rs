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

#[cfg(test)]
mod tests {
    use super::*;
    use chatd_domain::dialog::{Dialog, DialogEvent};
    use chatd_domain::{Actor, Aggregate, EventMeta, MessageId};
    use chatd_projections::privacy::Lookup;
    use chatd_projections::{new_event, new_sealed_event};
    use chatd_store::keys::StoredKey;
    use chatd_store::NewEvent;
    use time::OffsetDateTime;

    const MASTER: [u8; 32] = [7; 32];

    fn recorded(dialog: Uuid, n: u64, e: NewEvent) -> RecordedEvent {
        RecordedEvent {
            stream: Dialog::stream(dialog),
            version: n - 1,
            id: e.id,
            event_type: e.event_type,
            schema_version: e.schema_version,
            data: e.data,
            metadata: e.metadata,
            position: Position::single(n),
            recorded_at: OffsetDateTime::now_utc(),
            prev_hash: [0; 32],
            hash: [0; 32],
        }
    }

    fn received(customer: Uuid, text: &str) -> DialogEvent {
        DialogEvent::MessageReceived {
            message_id: MessageId(Uuid::new_v4()),
            external_id: format!("ext-{text}"),
            author: Actor::Customer {
                id: Some(customer.into()),
            },
            text: text.into(),
            attachments: vec![],
            quote: None,
            sent_at: OffsetDateTime::now_utc(),
        }
    }

    /// R35 and R36: the walk stops before an event sealed under a key it has not fetched, and
    /// `after` stays on the event before it; once that key was fetched and still is not there,
    /// the event is passed over; with the key, it is applied.
    #[test]
    fn a_sealed_event_stops_the_page_until_its_key_is_fetched_then_is_passed_over_or_applied() {
        let dialog = Uuid::new_v4();
        let customer = Uuid::new_v4();
        let writer = Keyring::new(MASTER);
        let wrapped = writer.fresh_wrapped(customer).expect("a sealing keyring");
        let Ok(Lookup::Live(key)) = writer.learn(customer, &StoredKey::Live(wrapped.clone()))
        else {
            panic!("a live key is learnt")
        };
        let meta = EventMeta {
            at: OffsetDateTime::now_utc(),
            actor: Actor::Channel {
                id: Uuid::new_v4().into(),
            },
        };
        let opened = DialogEvent::DialogOpened {
            dialog_id: dialog.into(),
            channel_id: Uuid::new_v4().into(),
            external_chat_id: "chat-1".into(),
            customer_id: Some(customer.into()),
        };
        let page = [
            recorded(dialog, 1, new_event(Uuid::new_v4(), &meta, &opened)),
            recorded(
                dialog,
                2,
                new_sealed_event(
                    Uuid::new_v4(),
                    &meta,
                    &received(customer, "sealed"),
                    customer,
                    &key,
                ),
            ),
            recorded(
                dialog,
                3,
                new_event(Uuid::new_v4(), &meta, &received(customer, "clear")),
            ),
        ];
        let reader = Keyring::new(MASTER);
        let none = HashSet::new();

        let mut fresh = Reports::default();
        let mut after = None;
        let stopped = fold_page(&mut fresh, &page, &reader, &none, &mut after);
        assert!(matches!(stopped, Err(Stop::Key(s)) if s == customer));
        assert_eq!(
            after,
            Some(Position::single(1)),
            "the walk resumes at the sealed event"
        );
        let before_sealed = fresh.len();

        // Fetched, and the store had no key for it: passed over, the rest applied.
        let mut skipped = Reports::default();
        let mut skipped_after = after;
        let fetched = HashSet::from([customer]);
        fold_page(&mut skipped, &page[..1], &reader, &fetched, &mut None).ok();
        let walked = fold_page(
            &mut skipped,
            &page[1..],
            &reader,
            &fetched,
            &mut skipped_after,
        );
        assert!(walked.is_ok());
        assert_eq!(skipped_after, Some(Position::single(3)));

        // With the key: every event applied, the sealed one's facts included.
        reader
            .learn(customer, &StoredKey::Live(wrapped))
            .expect("the key opens under the same master");
        let mut all = Reports::default();
        let mut all_after = None;
        assert!(fold_page(&mut all, &page, &reader, &none, &mut all_after).is_ok());
        assert_eq!(all_after, Some(Position::single(3)));
        assert!(
            all.len() > skipped.len() && skipped.len() > before_sealed,
            "facts: {before_sealed} before the sealed event, {} with it passed over, {} with it applied",
            skipped.len(),
            all.len()
        );
    }
}
