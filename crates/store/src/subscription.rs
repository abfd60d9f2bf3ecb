use crate::{RecordedEvent, StoreError};
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// A catch-up subscription to the global log. Backends feed it from a task of their own through a
/// bounded queue, so a slow consumer slows only its own feeder; dropping it stops the feeder.
pub struct Subscription {
    rx: mpsc::Receiver<Result<Arc<RecordedEvent>, StoreError>>,
    feeder: JoinHandle<()>,
}

/// The feeding half, handed to a backend's task.
pub type SubscriptionSender = mpsc::Sender<Result<Arc<RecordedEvent>, StoreError>>;

impl Subscription {
    /// Capacity of the queue between feeder and consumer.
    pub const BUFFER: usize = 1024;

    /// Start `feed` on its own task with the sending half of a fresh queue.
    pub fn spawn<F, Fut>(feed: F) -> Subscription
    where
        F: FnOnce(SubscriptionSender) -> Fut,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        let (tx, rx) = mpsc::channel(Self::BUFFER);
        let feeder = tokio::spawn(feed(tx));
        Subscription { rx, feeder }
    }

    /// The next event; `None` once the store is closed. An `Err` ends the subscription.
    pub async fn next(&mut self) -> Option<Result<Arc<RecordedEvent>, StoreError>> {
        self.rx.recv().await
    }

    /// The next event if one is already queued; `None` when none is (or the store is closed:
    /// [`Subscription::next`] tells which).
    pub fn ready(&mut self) -> Option<Result<Arc<RecordedEvent>, StoreError>> {
        self.rx.try_recv().ok()
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.feeder.abort();
    }
}
