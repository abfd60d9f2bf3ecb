//! Outgoing webhooks (SPEC §5, R21–R24): every message a manager or bot sends, and every edit,
//! deletion and reaction they make, is POSTed to its channel's `webhook_url`, at least once,
//! driven from the log; typing is passed on once, best-effort.
//!
//! - The to-do list is the read models' outbox: messages still `queued` in a channel with a
//!   webhook, and notices of changes not yet delivered. It is rebuilt from the log (or the
//!   snapshot), so a restart resumes every pending delivery, and a message whose `sent` (a
//!   notice whose `notice_delivered`) is in the log is never posted again on purpose.
//! - R34: messages and notices go out from the node holding the webhooks duty; the node that
//!   takes it over queues the outbox as it then stands, so a body that was in flight at a
//!   holder's death goes again, with the same `X-Chat-Delivery` id. Outcomes are recorded with
//!   the duty's fence: a holder that lost it records nothing.
//! - One dialog's bodies go in the order they happened; dialogs go in parallel. Each channel
//!   has its own limit of deliveries in flight, so a slow or dead integration holds only its own.
//! - A failed attempt is retried after an exponential back-off (with jitter, capped); after the
//!   last attempt the message becomes `failed` with `network_error` (a notice is recorded as
//!   given up). A 4xx other than 408/429 is a refusal: `failed` with `rejected_by_integration`
//!   at once. Typing is tried once and dropped when it waited longer than [`TYPING_FRESH`].

pub mod webhook;

use crate::config::WebhookConfig;
use chatd_app::cluster::Duty;
use chatd_app::{App, Applied, Listener, Typing};
use chatd_domain::dialog::{Dialog, DialogCommand, DialogEvent};
use chatd_domain::{
    Actor, ChannelId, Command, DialogId, MessageError, MessageId, MessageStatus, Principal,
};
use chatd_projections::model::outbox::event_id;
use chatd_projections::{AnyEvent, ReadModel};
use chatd_store::cluster::Fence;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, Semaphore};
use uuid::Uuid;
use webhook::Failure;

/// Typing that waited longer than this behind other bodies of its dialog is not worth sending.
pub const TYPING_FRESH: Duration = Duration::from_secs(5);

/// One body to deliver.
#[derive(Debug, Clone)]
pub enum Job {
    /// `message_sent`; done once the message's status moved past `queued`.
    Message(MessageId),
    /// `message_updated`, `message_deleted` or `reaction_set`, by `event_id`; done once
    /// `notice_delivered` is in the log.
    Notice(Uuid),
    /// `typing`: once, best-effort, never after a restart.
    Typing(Typing, Instant),
}

impl Job {
    /// The key that keeps a body from being queued twice (typing is never queued twice: see
    /// `enqueue`).
    fn key(&self) -> Option<Uuid> {
        match self {
            Job::Message(id) => Some(id.0),
            Job::Notice(id) => Some(*id),
            Job::Typing(..) => None,
        }
    }
}

pub struct Deliveries {
    app: Arc<App>,
    /// R34: messages and notices go out while this node holds the webhooks duty; typing, which
    /// is not in the log and only this node knows of, goes out from here regardless.
    duty: Duty,
    config: WebhookConfig,
    client: reqwest::Client,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// Bumped whenever the duty is taken or lost: a dialog's task of an older generation stops.
    generation: u64,
    /// Per dialog, the bodies to deliver in order; a dialog with a queue has a task on it.
    queues: HashMap<DialogId, VecDeque<Job>>,
    queued: HashSet<Uuid>,
    channels: HashMap<ChannelId, Arc<Semaphore>>,
}

/// Bodies to deliver by webhook: `(dialog, job)` in log order.
pub type OutboxFeed = mpsc::UnboundedReceiver<(DialogId, Job)>;

/// Listens to the log follower for what enters the outbox (messages sent and changes made in a
/// channel with a webhook) and to typing, and hands them to delivery.
pub struct Outbox(mpsc::UnboundedSender<(DialogId, Job)>);

/// The listener to register with the follower, and the feed `start` takes.
pub fn outbox() -> (Arc<Outbox>, OutboxFeed) {
    let (tx, rx) = mpsc::unbounded_channel();
    (Arc::new(Outbox(tx)), rx)
}

impl Listener for Outbox {
    fn applied(&self, m: &ReadModel, e: &Applied<'_>) {
        if let AnyEvent::Customer(r) = e.event {
            // R35: one `customer_erased` notice per dialog (see `ReadModel::erase_customer`).
            if let chatd_domain::customer::CustomerEvent::CustomerErased { .. } = r.event {
                for n in m
                    .outbox
                    .notices
                    .values()
                    .filter(|n| n.position == e.position)
                {
                    let _ = self.0.send((n.dialog_id, Job::Notice(n.event_id)));
                }
            }
            return;
        }
        let (AnyEvent::Dialog(r), Some(dialog)) = (e.event, e.stream_id) else {
            return;
        };
        let dialog = DialogId::from(dialog);
        let job = match &r.event {
            DialogEvent::MessageSent { message_id, .. } => m
                .outbox
                .pending
                .contains_key(message_id)
                .then_some(Job::Message(*message_id)),
            DialogEvent::MessageEdited { .. }
            | DialogEvent::MessageDeleted { .. }
            | DialogEvent::ReactionSet { .. } => {
                let id = event_id(dialog, e.position);
                m.outbox
                    .notices
                    .contains_key(&id)
                    .then_some(Job::Notice(id))
            }
            _ => None,
        };
        if let Some(job) = job {
            let _ = self.0.send((dialog, job));
        }
    }

    /// R24: a user's or bot's typing goes to a channel with a webhook.
    fn typing(&self, m: &ReadModel, t: &Typing) {
        if !matches!(t.actor, Actor::User { .. } | Actor::Bot { .. }) {
            return;
        }
        let webhook = m
            .dialogs
            .get(&t.dialog_id)
            .and_then(|r| m.catalog.channels.get(&r.channel_id))
            .is_some_and(|c| c.webhook_url.is_some());
        if webhook {
            let _ = self.0.send((t.dialog_id, Job::Typing(*t, Instant::now())));
        }
    }
}

/// Start delivering: while this node holds the webhooks duty, what the outbox holds when it
/// takes it, then what the follower reports.
pub fn start(app: &Arc<App>, mut feed: OutboxFeed, config: WebhookConfig, mut duty: Duty) {
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
        duty: duty.clone(),
        config,
        client,
        state: Mutex::new(State::default()),
    });
    let mut stopping = app.stopping();
    app.spawn(async move {
        loop {
            tokio::select! {
                next = feed.recv() => match next {
                    Some((dialog, job)) => {
                        // Not this node's to deliver: the holder has it from the log.
                        if matches!(job, Job::Typing(..)) || d.fence().is_some() {
                            d.enqueue(dialog, job);
                        }
                    }
                    None => return,
                },
                changed = duty.changed() => {
                    if changed.is_err() {
                        return;
                    }
                    d.restart();
                }
                _ = stopping.wait_for(|s| *s) => return,
            }
        }
    });
}

/// How a delivery ended./// How a delivery ended.
enum Ended {
    /// Delivered; the integration's id for the message, if it gave one.
    Sent(Option<String>),
    /// Refused or given up on: the error recorded.
    Failed(&'static str, String),
}

impl Deliveries {
    fn fence(&self) -> Option<Fence> {
        self.duty.borrow().clone()
    }

    /// The duty was taken or lost: forget every queue (their tasks stop), and when this node
    /// holds it now, queue what the outbox holds, in log order (so each dialog's bodies go in
    /// the order they happened; a body delivered but not yet recorded by a node that died goes
    /// again, with the same delivery id).
    fn restart(self: &Arc<Self>) {
        {
            let mut s = self.state.lock().expect("delivery state lock");
            s.generation += 1;
            s.queues.clear();
            s.queued.clear();
        }
        if self.fence().is_none() {
            return;
        }
        let mut backlog: Vec<_> = {
            let m = self.app.model();
            let messages = m
                .outbox
                .pending
                .values()
                .map(|p| (p.position, p.dialog_id, Job::Message(p.message_id)));
            let notices = m
                .outbox
                .notices
                .values()
                .map(|n| (n.position, n.dialog_id, Job::Notice(n.event_id)));
            messages.chain(notices).collect()
        };
        backlog.sort_by_key(|(position, ..)| *position);
        for (_, dialog, job) in backlog {
            self.enqueue(dialog, job);
        }
    }

    fn enqueue(self: &Arc<Self>, dialog: DialogId, job: Job) {
        let mut s = self.state.lock().expect("delivery state lock");
        match job.key() {
            Some(key) if !s.queued.insert(key) => return,
            Some(_) => {}
            // Typing behind other bodies of its dialog would arrive stale: dropped.
            None if s.queues.contains_key(&dialog) => return,
            None => {}
        }
        metrics::gauge!("chatd_webhook_queue_depth").set(s.queued.len() as f64);
        let generation = s.generation;
        let q = s.queues.entry(dialog).or_default();
        q.push_back(job);
        if q.len() == 1 {
            tokio::spawn(self.clone().run_dialog(dialog, generation));
        }
    }

    async fn run_dialog(self: Arc<Self>, dialog: DialogId, generation: u64) {
        loop {
            let next = {
                let s = self.state.lock().expect("delivery state lock");
                if s.generation != generation {
                    return; // the duty changed hands meanwhile: a new task has the queue
                }
                s.queues.get(&dialog).and_then(|q| q.front().cloned())
            };
            let Some(job) = next else { return };
            if !self.deliver(dialog, &job).await {
                return; // stopping: the log still says pending, the next start resumes it
            }
            let mut s = self.state.lock().expect("delivery state lock");
            if s.generation != generation {
                return;
            }
            if let Some(key) = job.key() {
                s.queued.remove(&key);
            }
            metrics::gauge!("chatd_webhook_queue_depth").set(s.queued.len() as f64);
            let q = s
                .queues
                .get_mut(&dialog)
                .expect("a running dialog of this generation has a queue");
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

    /// Deliver one body until it is delivered, refused, given up on, or no longer pending.
    /// `false` when chatd is stopping.
    async fn deliver(&self, dialog: DialogId, job: &Job) -> bool {
        let mut stopping = self.app.stopping();
        let once = matches!(job, Job::Typing(..));
        let mut attempt = 0;
        loop {
            if *stopping.borrow() {
                return false;
            }
            // R34: only while this node holds the duty (typing aside).
            let fence = self.fence();
            if !once && fence.is_none() {
                return false;
            }
            let Some(post) = self.prepare(job).await else {
                return true; // acknowledged by other means, deleted, stale, or no webhook now
            };
            attempt += 1;
            let permits = self.permits(post.channel);
            let outcome = {
                let _permit = tokio::select! {
                    p = permits.acquire_owned() => p.expect("never closed"),
                    _ = stopping.wait_for(|s| *s) => return false,
                };
                webhook::post(
                    &self.client,
                    &post.url,
                    &post.secret,
                    post.body,
                    post.delivery,
                    attempt,
                    self.config.timeout,
                )
                .await
            };
            let last = once || attempt >= self.config.attempts;
            let outcome_label = match &outcome {
                Ok(_) => "sent",
                Err(Failure::Rejected(_)) => "rejected",
                Err(Failure::Retry(_)) if last => "gave_up",
                Err(Failure::Retry(_)) => "retried",
            };
            metrics::counter!("chatd_webhook_attempts_total", "outcome" => outcome_label)
                .increment(1);
            let ended = match outcome {
                Ok(external) => Ended::Sent(external),
                Err(Failure::Rejected(reason)) => Ended::Failed("rejected_by_integration", reason),
                Err(Failure::Retry(reason)) if last => {
                    let reason = format!("gave up after {attempt} attempts: {reason}");
                    Ended::Failed("network_error", reason)
                }
                Err(Failure::Retry(reason)) => {
                    tracing::debug!(?job, attempt, %reason, "webhook delivery will be retried");
                    tokio::select! {
                        _ = tokio::time::sleep(self.backoff(attempt)) => continue,
                        _ = stopping.wait_for(|s| *s) => return false,
                    }
                }
            };
            let Some(fence) = fence else { return true };
            self.finish(dialog, job, post.channel, ended, &fence).await;
            return true;
        }
    }

    /// What to post for `job`, if it is still to be delivered.
    async fn prepare(&self, job: &Job) -> Option<Post> {
        match job {
            Job::Message(message) => self.message_body(*message).await,
            Job::Notice(id) => {
                let notice = self.app.model().outbox.notices.get(id)?.clone();
                let external = self
                    .external_id_of(notice.dialog_id, notice.message_id)
                    .await;
                let m = self.app.model();
                let body = serde_json::to_vec(&webhook::notice(&m, &notice, external))
                    .expect("payload serialises");
                Self::post_to(&m, notice.channel_id, *id, body)
            }
            Job::Typing(t, queued) => {
                if queued.elapsed() > TYPING_FRESH {
                    return None;
                }
                let id = Uuid::new_v4();
                let m = self.app.model();
                let body = webhook::typing(&m, t, id)?;
                let channel = m.dialogs.get(&t.dialog_id)?.channel_id;
                let body = serde_json::to_vec(&body).expect("payload serialises");
                Self::post_to(&m, channel, id, body)
            }
        }
    }

    fn post_to(m: &ReadModel, channel: ChannelId, delivery: Uuid, body: Vec<u8>) -> Option<Post> {
        let c = m.catalog.channels.get(&channel)?;
        Some(Post {
            channel,
            url: c.webhook_url.clone()?,
            secret: c.webhook_secret.clone(),
            body,
            delivery,
        })
    }

    /// The messenger's id of a message, as the dialog knows it.
    async fn external_id_of(&self, dialog: DialogId, message: MessageId) -> Option<String> {
        let d = self.app.current::<Dialog>(dialog).await.ok()?;
        d.external_ids
            .iter()
            .find(|(_, id)| **id == message)
            .map(|(ext, _)| ext.clone())
    }

    /// `message_sent` for `message`, if it is still pending.
    async fn message_body(&self, message: MessageId) -> Option<Post> {
        let pending = self.app.model().outbox.pending.get(&message)?.clone();
        // The quoted message's id in the messenger lives in the dialog aggregate.
        let quote_external_id = match &pending.quote {
            None => None,
            Some(q) => self.external_id_of(pending.dialog_id, q.message_id).await,
        };
        let m = self.app.model();
        let body = serde_json::to_vec(&webhook::payload(&m, &pending, quote_external_id))
            .expect("payload serialises");
        Self::post_to(&m, pending.channel_id, message.0, body)
    }

    /// Record how a delivery ended: a message's status, a notice's delivery; typing leaves
    /// nothing behind.
    async fn finish(
        &self,
        dialog: DialogId,
        job: &Job,
        channel: ChannelId,
        ended: Ended,
        fence: &Fence,
    ) {
        let error = |code: &str, message: String| MessageError {
            code: code.into(),
            message,
        };
        let body = match (job, ended) {
            (Job::Typing(..), _) => return,
            (Job::Message(message), ended) => {
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
                let (status, external_message_id, error) = match ended {
                    Ended::Sent(external) => (MessageStatus::Sent, external, None),
                    Ended::Failed(code, reason) => {
                        (MessageStatus::Failed, None, Some(error(code, reason)))
                    }
                };
                DialogCommand::RecordStatus {
                    message_id: *message,
                    status,
                    error,
                    external_message_id,
                    channel: profile,
                }
            }
            (Job::Notice(event_id), ended) => DialogCommand::NoticeDelivered {
                event_id: *event_id,
                error: match ended {
                    Ended::Sent(_) => None,
                    Ended::Failed(code, reason) => Some(error(code, reason)),
                },
            },
        };
        self.record(dialog, body, fence).await;
    }

    async fn record(&self, dialog: DialogId, body: DialogCommand, fence: &Fence) {
        let cmd = Command {
            by: Principal::System,
            at: time::OffsetDateTime::now_utc(),
            body,
        };
        match self.app.execute_fenced::<Dialog>(dialog, &cmd, fence).await {
            // Done only once the outbox shows it: the same body fed again (at start it comes
            // both from the outbox and from the catch-up) then finds nothing pending.
            Ok(out) => {
                let _ = self
                    .app
                    .wait_for(out.position, crate::app::MIN_POSITION_WAIT)
                    .await;
            }
            Err(e) => {
                tracing::warn!(error = %e, %dialog, "could not record a webhook delivery's outcome")
            }
        }
    }
}

/// One POST: where, signed with what, and the `X-Chat-Delivery` id.
struct Post {
    channel: ChannelId,
    url: String,
    secret: String,
    body: Vec<u8>,
    delivery: Uuid,
}
