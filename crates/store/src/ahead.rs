//! Walking the whole log in pages with the next page already being read: the store reads on
//! its own thread (or the server over the wire) while the caller handles the page it has, so a
//! replay or an audit walk keeps two cores busy instead of taking turns.

use crate::{Position, RecordedEvent, Scanned, StoreError};
use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;

/// A row of a log page: where it stands in the log.
pub trait Positioned {
    fn position(&self) -> Position;
}

impl Positioned for RecordedEvent {
    fn position(&self) -> Position {
        self.position
    }
}

impl Positioned for Scanned {
    fn position(&self) -> Position {
        match self {
            Ok(e) => e.position,
            Err(bad) => bad.position,
        }
    }
}

/// Read pages after `after` through `read` until one comes back empty, handing each to `each`;
/// page n+1 is asked for before page n is handed over. Stops at the first error of either.
pub async fn read_ahead<T, Fut, E>(
    after: Option<Position>,
    read: impl Fn(Option<Position>) -> Fut,
    mut each: impl FnMut(&[T]) -> Result<(), E>,
) -> Result<(), E>
where
    T: Positioned,
    Fut: Future<Output = Result<Vec<T>, StoreError>>,
    E: From<StoreError>,
{
    let mut page = read(after).await?;
    while let Some(last) = page.last() {
        let mut next = pin!(read(Some(last.position())));
        // The first poll hands the read to the store; it goes on while `each` runs.
        let early = poll_fn(|cx| Poll::Ready(next.as_mut().poll(cx))).await;
        each(&page)?;
        page = match early {
            Poll::Ready(read) => read?,
            Poll::Pending => next.await?,
        };
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    /// A row at `at` (the walk needs nothing but positions).
    fn row(at: u64) -> Scanned {
        Err(crate::UnreadableRow {
            position: Position::single(at),
            stream: None,
            version: None,
            reason: String::new(),
        })
    }

    /// A log of `n` rows at positions 1..=n read `limit` at a time, failing from `fail_at` on:
    /// what the walk answered, the positions handed over, and where each read started.
    async fn pages(
        n: u64,
        limit: u64,
        fail_at: Option<u64>,
    ) -> (Result<(), StoreError>, Vec<u64>, Vec<Option<u64>>) {
        let asked = RefCell::new(vec![]);
        let mut seen = vec![];
        let out = read_ahead(
            None,
            |after: Option<Position>| {
                let from = after.map_or(0, |p| p.commit);
                asked.borrow_mut().push(after.map(|p| p.commit));
                async move {
                    if fail_at.is_some_and(|f| f <= from) {
                        return Err(StoreError::Internal("the disk went away".into()));
                    }
                    Ok(((from + 1)..=(from + limit).min(n)).map(row).collect())
                }
            },
            |page: &[Scanned]| {
                seen.extend(page.iter().map(|r| r.position().commit));
                Ok(())
            },
        )
        .await;
        (out, seen, asked.into_inner())
    }

    #[tokio::test]
    async fn every_row_is_handed_over_once_in_order_until_an_empty_page() {
        let (out, seen, asked) = pages(10, 4, None).await;
        assert!(out.is_ok());
        assert_eq!(seen, (1..=10).collect::<Vec<_>>());
        assert_eq!(asked, vec![None, Some(4), Some(8), Some(10)]);
        let (out, seen, asked) = pages(0, 4, None).await;
        assert!(out.is_ok() && seen.is_empty());
        assert_eq!(asked, vec![None]);
    }

    #[tokio::test]
    async fn a_failed_read_stops_the_walk_after_the_pages_before_it() {
        let (out, seen, _) = pages(10, 4, Some(8)).await;
        assert!(matches!(out, Err(StoreError::Internal(_))));
        assert_eq!(seen, (1..=8).collect::<Vec<_>>());
    }
}
