//! Outgoing webhooks (SPEC §5): every message a manager or bot sends is POSTed to its channel's
//! `webhook_url`, at least once, driven from the log.
//!
//! - The to-do list is the read models' outbox: messages still `queued` in a channel with a
//!   webhook. It is rebuilt from the log (or the snapshot), so a restart resumes every pending
//!   delivery, and a message whose `sent` is in the log is never posted again on purpose.
//! - One dialog's messages go in the order they were sent; dialogs go in parallel. Each channel
//!   has its own limit of deliveries in flight, so a slow or dead integration holds only its own.
//! - A failed attempt is retried after an exponential back-off (with jitter, capped); after the
//!   last attempt the message becomes `failed` with `network_error`. A 4xx other than 408/429 is
//!   a refusal: `failed` with `rejected_by_integration` at once.

pub mod webhook;

use crate::config::WebhookConfig;
use chatd_app::{App, Applied, Listener};
use chatd_domain::dialog::{Dialog, DialogCommand, DialogEvent};
use chatd_domain::{
    ChannelId, Command, DialogId, MessageError, MessageId, MessageStatus, Principal,
};
use chatd_projections::{AnyEvent, ReadModel};
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, Semaphore};
use webhook::Failure;

pub struct Deliveries {
    app: Arc<App>,
    config: WebhookConfig,
    client: reqwest::Client,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// Per dialog, the messages to deliver in order; a dialog with a queue has a task on it.
    queues: HashMap<DialogId, VecDeque<MessageId>>,
    queued: HashSet<MessageId>,
    channels: HashMap<ChannelId, Arc<Semaphore>>,
}

/// Messages to deliver by webhook: `(dialog, message)` in log order.
pub type OutboxFeed = mpsc::UnboundedReceiver<(DialogId, MessageId)>;

/// Listens to the log follower for messages entering the outbox (sent in a channel with a
/// webhook) and hands them to delivery.
pub struct Outbox(mpsc::UnboundedSender<(DialogId, MessageId)>);

/// The listener to register with the follower, and the feed `start` takes.
pub fn outbox() -> (Arc<Outbox>, OutboxFeed) {
    let (tx, rx) = mpsc::unbounded_channel();
    (Arc::new(Outbox(tx)), rx)
}

impl Listener for Outbox {
    fn applied(&self, m: &ReadModel, e: &Applied<'_>) {
        let (AnyEvent::Dialog(r), Some(dialog)) = (e.event, e.stream_id) else {
            return;
        };
        if let DialogEvent::MessageSent { message_id, .. } = &r.event {
            if m.outbox.pending.contains_key(message_id) {
                let _ = self.0.send((dialog.into(), *message_id));
            }
        }
    }
}

/// Start delivering: what the outbox holds now, then what the follower reports as sent.
pub fn start(app: &Arc<App>, mut feed: OutboxFeed, config: WebhookConfig) {
    if !config.enabled {
        return;
    }
    let client = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .pool_max_idle_per_host(config.per_channel)
        .build()
        .expect("an HTTP client with default TLS roots");
    let d = Arc::new(Deliveries {
        app: app.clone(),
        config,
        client,
        state: Mutex::new(State::default()),
    });
    let mut backlog: Vec<_> = {
        let m = app.model();
        m.outbox
            .pending
            .values()
            .map(|p| (p.position, p.dialog_id, p.message_id))
            .collect()
    };
    backlog.sort();
    for (_, dialog, message) in backlog {
        d.enqueue(dialog, message);
    }
    let mut stopping = app.stopping();
    app.spawn(async move {
        loop {
            tokio::select! {
                next = feed.recv() => match next {
                    Some((dialog, message)) => d.enqueue(dialog, message),
                    None => return,
                },
                _ = stopping.wait_for(|s| *s) => return,
            }
        }
    });
}

impl Deliveries {
    fn enqueue(self: &Arc<Self>, dialog: DialogId, message: MessageId) {
        let mut s = self.state.lock().expect("delivery state lock");
        if !s.queued.insert(message) {
            return;
        }
        metrics::gauge!("chatd_webhook_queue_depth").set(s.queued.len() as f64);
        let q = s.queues.entry(dialog).or_default();
        q.push_back(message);
        if q.len() == 1 {
            tokio::spawn(self.clone().run_dialog(dialog));
        }
    }

    async fn run_dialog(self: Arc<Self>, dialog: DialogId) {
        loop {
            let next = {
                let s = self.state.lock().expect("delivery state lock");
                s.queues.get(&dialog).and_then(|q| q.front().copied())
            };
            let Some(message) = next else { return };
            if !self.deliver(dialog, message).await {
                return; // stopping: the log still says pending, the next start resumes it
            }
            let mut s = self.state.lock().expect("delivery state lock");
            s.queued.remove(&message);
            metrics::gauge!("chatd_webhook_queue_depth").set(s.queued.len() as f64);
            let q = s
                .queues
                .get_mut(&dialog)
                .expect("a running dialog has a queue");
            q.pop_front();
            if q.is_empty() {
                s.queues.remove(&dialog);
                return;
            }
        }
    }

    fn permits(&self, channel: ChannelId) -> Arc<Semaphore> {
        let mut s = self.state.lock().expect("delivery state lock");
        s.channels
            .entry(channel)
            .or_insert_with(|| Arc::new(Semaphore::new(self.config.per_channel)))
            .clone()
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let base = self.config.base_delay.as_millis() as u64;
        let exp = base.saturating_mul(1u64 << attempt.saturating_sub(1).min(20));
        let capped = exp.min(self.config.max_delay.as_millis() as u64);
        // Up to 10% jitter, so that retries of many messages do not arrive in step.
        let jitter = rand_core::RngCore::next_u64(&mut rand_core::OsRng) % (capped / 10 + 1);
        Duration::from_millis(capped - jitter)
    }

    /// Deliver one message until it is sent, refused, given up on, or no longer pending.
    /// `false` when chatd is stopping.
    async fn deliver(&self, dialog: DialogId, message: MessageId) -> bool {
        let mut stopping = self.app.stopping();
        let mut attempt = 0;
        loop {
            if *stopping.borrow() {
                return false;
            }
            let Some((channel, url, secret, body)) = self.job(message).await else {
                return true; // acknowledged by other means, deleted, or the webhook was removed
            };
            attempt += 1;
            let permits = self.permits(channel);
            let outcome = {
                let _permit = tokio::select! {
                    p = permits.acquire_owned() => p.expect("never closed"),
                    _ = stopping.wait_for(|s| *s) => return false,
                };
                webhook::post(
                    &self.client,
                    &url,
                    &secret,
                    body,
                    message.0,
                    attempt,
                    self.config.timeout,
                )
                .await
            };
            let outcome_label = match &outcome {
                Ok(_) => "sent",
                Err(Failure::Rejected(_)) => "rejected",
                Err(Failure::Retry(_)) if attempt >= self.config.attempts => "gave_up",
                Err(Failure::Retry(_)) => "retried",
            };
            metrics::counter!("chatd_webhook_attempts_total", "outcome" => outcome_label)
                .increment(1);
            let (status, external, error) = match outcome {
                Ok(external) => (MessageStatus::Sent, external, None),
                Err(Failure::Rejected(reason)) => (
                    MessageStatus::Failed,
                    None,
                    Some(("rejected_by_integration", reason)),
                ),
                Err(Failure::Retry(reason)) if attempt >= self.config.attempts => {
                    let reason = format!("gave up after {attempt} attempts: {reason}");
                    (MessageStatus::Failed, None, Some(("network_error", reason)))
                }
                Err(Failure::Retry(reason)) => {
                    tracing::debug!(%message, attempt, %reason, "webhook delivery will be retried");
                    tokio::select! {
                        _ = tokio::time::sleep(self.backoff(attempt)) => continue,
                        _ = stopping.wait_for(|s| *s) => return false,
                    }
                }
            };
            self.record(dialog, message, channel, status, external, error)
                .await;
            return true;
        }
    }

    /// What to post for `message`, if it is still pending: channel, URL, secret, body.
    async fn job(&self, message: MessageId) -> Option<(ChannelId, String, String, Vec<u8>)> {
        let (pending, url, secret) = {
            let m = self.app.model();
            let p = m.outbox.pending.get(&message)?.clone();
            let c = m.catalog.channels.get(&p.channel_id)?;
            (p, c.webhook_url.clone()?, c.webhook_secret.clone())
        };
        // The quoted message's id in the messenger lives in the dialog aggregate.
        let quote_external_id = match &pending.quote {
            None => None,
            Some(q) => self
                .app
                .current::<Dialog>(pending.dialog_id)
                .await
                .ok()
                .and_then(|d| {
                    d.external_ids
                        .iter()
                        .find(|(_, id)| **id == q.message_id)
                        .map(|(ext, _)| ext.clone())
                }),
        };
        let body = {
            let m = self.app.model();
            serde_json::to_vec(&webhook::payload(&m, &pending, quote_external_id))
                .expect("payload serialises")
        };
        Some((pending.channel_id, url, secret, body))
    }

    async fn record(
        &self,
        dialog: DialogId,
        message: MessageId,
        channel: ChannelId,
        status: MessageStatus,
        external_message_id: Option<String>,
        error: Option<(&str, String)>,
    ) {
        let Some(profile) = self
            .app
            .model()
            .catalog
            .channels
            .get(&channel)
            .map(|c| c.profile())
        else {
            return;
        };
        let cmd = Command {
            by: Principal::System,
            at: time::OffsetDateTime::now_utc(),
            body: DialogCommand::RecordStatus {
                message_id: message,
                status,
                error: error.map(|(code, message)| MessageError {
                    code: code.into(),
                    message,
                }),
                external_message_id,
                channel: profile,
            },
        };
        match self.app.execute::<Dialog>(dialog, &cmd).await {
            // Done only once the outbox shows it: the same message fed again (at start it comes
            // both from the outbox and from the catch-up) then finds nothing pending.
            Ok(out) => {
                let _ = self
                    .app
                    .wait_for(out.position, crate::app::MIN_POSITION_WAIT)
                    .await;
            }
            Err(e) => {
                tracing::warn!(error = %e, %message, "could not record a webhook delivery's outcome")
            }
        }
    }
}
