//! The dialog-list read model, built for a million dialogs: rows by id, and for each
//! (responsible, status) bucket two ordered indexes, one per sort, so a page is a range walk over
//! the buckets the viewer may see rather than a scan. Per-user unread state is kept so that the
//! header counter (R5) is computed from a few counters and the user's own small sets.

use chatd_domain::calendar::Calendar;
use chatd_domain::dialog::{customer_visible, responsibles_seen, DialogEvent, DialogStatus, Sight};
use chatd_domain::setup::TimeLimits;
use chatd_domain::waiting::Clock;
use chatd_domain::{
    Actor, Assignee, ChannelId, CustomerId, DialogId, MessageId, Principal, Recorded, UserId,
};
use std::collections::{BTreeSet, HashMap, HashSet};

mod last;
mod restore;
use last::{last_message, preview};
pub use last::{LastMessage, PREVIEW_CHARS};
pub(crate) use restore::Restoring;
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DialogRow {
    pub id: DialogId,
    pub channel_id: ChannelId,
    pub external_chat_id: String,
    pub customer_id: Option<CustomerId>,
    /// R35: the customer who opened it, whose key seals it (see `chatd_domain::dialog::Dialog`).
    #[serde(default)]
    pub opener: Option<CustomerId>,
    pub status: DialogStatus,
    #[serde(with = "super::compact::assignee")]
    pub responsible: Option<Assignee>,
    pub deleted: bool,
    pub inbound_count: u64,
    pub last_message: Option<LastMessage>,
    pub last_activity_at: OffsetDateTime,
    /// R15: since the first customer message not yet answered.
    pub waiting_since: Option<OffsetDateTime>,
    pub opened_at: OffsetDateTime,
    /// A manager or bot has written in it at least once (R18's "only new" dialogs have not).
    #[serde(default)]
    pub answered: bool,
    /// R25: when the customer last wrote (as reported, never later than receipt).
    #[serde(default)]
    pub last_customer_message: Option<OffsetDateTime>,
    /// R37: out of the open lists until then.
    #[serde(default)]
    pub snoozed_until: Option<OffsetDateTime>,
    /// Boxed: most dialogs are read by few users, and an empty box costs 8 bytes, not 72.
    per_user: Option<Box<PerUser>>,
}

/// R5 and R11 state of the users who touched a dialog.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct PerUser {
    read_seen: Vec<(UserId, u64)>,
    marked_unread: Vec<UserId>,
    drafts: Vec<(UserId, String)>,
}

impl super::by_id::Keyed for DialogRow {
    type Id = DialogId;
    fn id(&self) -> DialogId {
        self.id
    }
}

impl DialogRow {
    fn users(&self) -> Option<&PerUser> {
        self.per_user.as_deref()
    }

    fn users_mut(&mut self) -> &mut PerUser {
        self.per_user.get_or_insert_with(Default::default)
    }

    pub fn unread_count(&self, user: UserId) -> u64 {
        let seen = self
            .users()
            .and_then(|p| p.read_seen.iter().find(|(u, _)| *u == user))
            .map_or(0, |(_, s)| *s);
        self.inbound_count.saturating_sub(seen)
    }

    pub fn marked_unread(&self, user: UserId) -> bool {
        self.users()
            .is_some_and(|p| p.marked_unread.contains(&user))
    }

    pub fn draft(&self, user: UserId) -> Option<&str> {
        self.users()?
            .drafts
            .iter()
            .find(|(u, _)| *u == user)
            .map(|(_, t)| t.as_str())
    }

    pub fn is_visible_to(&self, p: &Principal) -> bool {
        self.sight().visible_to(p)
    }

    /// R37: open but snoozed, so out of the open lists.
    pub fn snoozed(&self) -> bool {
        self.status == DialogStatus::Open && self.snoozed_until.is_some()
    }

    pub fn sight(&self) -> Sight {
        Sight {
            responsible: self.responsible,
            channel_id: self.channel_id,
            deleted: self.deleted,
        }
    }
}

/// An index key: `(rank, value, id)`, ascending. Last activity sorts as `(1, -nanos)`; waiting
/// dialogs in processing order as `(0, deadline nanos)`.
pub type Key = (u8, i64, DialogId);

/// What R15's clock runs on: the time limits, and R37's calendar when the shop keeps one.
#[derive(Debug, Clone, Default)]
pub struct Waiting {
    pub limits: TimeLimits,
    pub calendar: Option<Calendar>,
}

impl Waiting {
    /// R15: the dialog's waiting clock, while it runs (in working time when the calendar says).
    pub fn clock(&self, row: &DialogRow) -> Option<Clock> {
        let limit = self.limits.for_channel(row.channel_id);
        match &self.calendar {
            Some(c) if c.working_hours_only => {
                Clock::working(row.status, row.waiting_since, limit, c, row.channel_id)
            }
            _ => Clock::of(row.status, row.waiting_since, limit),
        }
    }

    /// How long before a deadline its warning may come: the longest `limit - warning_after`,
    /// and in working time up to eight days more (a long weekend with holidays between them).
    fn warning_lead(&self) -> time::Duration {
        let lead = std::iter::once(self.limits.default)
            .chain(self.limits.channels.values().map(|l| Some(*l)))
            .flatten()
            .map(|l| i64::from(l.limit - l.warning_after))
            .max()
            .unwrap_or(0);
        let calendar = self.calendar.as_ref().is_some_and(|c| c.working_hours_only);
        time::Duration::seconds(lead)
            + if calendar {
                time::Duration::days(8)
            } else {
                time::Duration::ZERO
            }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Bucket {
    pub responsible: Option<Assignee>,
    pub status: DialogStatus,
    /// R37: open dialogs that are snoozed sit apart, out of the open lists.
    pub snoozed: bool,
}

#[derive(Debug, Default)]
pub struct Index {
    pub activity: BTreeSet<Key>,
    pub processing: BTreeSet<Key>,
}

fn nanos(t: OffsetDateTime) -> i64 {
    t.unix_timestamp_nanos()
        .clamp(i64::MIN as i128, i64::MAX as i128) as i64
}

pub fn activity_key(row: &DialogRow) -> Key {
    (1, -nanos(row.last_activity_at), row.id)
}

pub fn processing_key(row: &DialogRow, waiting: &Waiting) -> Key {
    match waiting.clock(row) {
        Some(clock) => (0, nanos(clock.deadline()), row.id),
        None => activity_key(row),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Placement {
    bucket: Bucket,
    activity: Key,
    processing: Key,
}

fn placement(row: &DialogRow, waiting: &Waiting) -> Option<Placement> {
    (!row.deleted).then(|| Placement {
        bucket: Bucket {
            responsible: row.responsible,
            status: row.status,
            snoozed: row.snoozed(),
        },
        activity: activity_key(row),
        processing: processing_key(row, waiting),
    })
}

/// A set of dialogs, hashed as ids chatd made (`IdHash`).
type IdSet = HashSet<DialogId, super::IdHash>;

#[derive(Debug, Default)]
pub struct Dialogs {
    /// Boxed: the table holds pointers alone, so its empty half (a hash table doubles) costs
    /// 8 bytes a slot, not 300 (P6, P7).
    pub rows: super::by_id::ById<DialogRow>,
    pub buckets: HashMap<Bucket, Index, super::IdHash>,
    /// Non-deleted dialogs with at least one customer message, per responsible.
    with_inbound: HashMap<Option<Assignee>, u64, super::IdHash>,
    /// The sum of `with_inbound`: what one who sees every dialog counts.
    with_inbound_total: u64,
    /// Per user: dialogs with customer messages, all of them read.
    caught_up: HashMap<UserId, IdSet, super::IdHash>,
    /// Per user: dialogs marked unread.
    marked: HashMap<UserId, IdSet, super::IdHash>,
    /// Dialogs pinned to each customer, for tag filters driven from customers. Most customers
    /// have one dialog, which is held in place: no allocation per customer (P6, P7).
    pub by_customer: HashMap<CustomerId, smallvec::SmallVec<[DialogId; 1]>, super::IdHash>,
    pub waiting: Waiting,
}

impl Dialogs {
    pub fn get(&self, id: &DialogId) -> Option<&DialogRow> {
        self.rows.get(id)
    }

    /// R32: whether `p` may reach customer `c`, through the dialogs pinned to it.
    pub fn customer_visible_to(&self, p: &Principal, c: &CustomerId) -> bool {
        let dialogs = self.by_customer.get(c).into_iter().flatten();
        customer_visible(
            p,
            dialogs.filter_map(|d| self.rows.get(d)).map(|r| r.sight()),
        )
    }

    /// The responsibles of the customer's live dialogs: whose sockets may see it (R32).
    pub fn customer_responsibles(&self, c: &CustomerId) -> Vec<Option<Assignee>> {
        let dialogs = self.by_customer.get(c).into_iter().flatten();
        dialogs
            .filter_map(|d| self.rows.get(d))
            .filter(|r| !r.deleted)
            .map(|r| r.responsible)
            .collect()
    }

    fn link(&mut self, customer: Option<CustomerId>, dialog: DialogId, linked: bool) {
        let Some(c) = customer else { return };
        let list = self.by_customer.entry(c).or_default();
        if linked {
            list.push(dialog);
        } else {
            list.retain(|d| *d != dialog);
        }
    }

    fn place(&mut self, p: Option<Placement>, insert: bool) {
        let Some(p) = p else { return };
        let idx = self.buckets.entry(p.bucket).or_default();
        if insert {
            idx.activity.insert(p.activity);
            idx.processing.insert(p.processing);
        } else {
            idx.activity.remove(&p.activity);
            idx.processing.remove(&p.processing);
        }
    }

    fn count_inbound(&mut self, row_state: Option<Option<Assignee>>, delta: i64) {
        if let Some(resp) = row_state {
            let c = self.with_inbound.entry(resp).or_default();
            let before = *c;
            *c = c.saturating_add_signed(delta);
            self.with_inbound_total = self.with_inbound_total - before + *c;
        }
    }

    /// Change a row and keep every index and counter in step with it.
    fn update(&mut self, id: DialogId, f: impl FnOnce(&mut DialogRow)) {
        let Some(row) = self.rows.get_mut(&id) else {
            return;
        };
        let before = placement(row, &self.waiting);
        let inbound_before = (!row.deleted && row.inbound_count > 0).then_some(row.responsible);
        f(row);
        let after = placement(row, &self.waiting);
        let inbound_after = (!row.deleted && row.inbound_count > 0).then_some(row.responsible);
        if before != after {
            self.place(before, false);
            self.place(after, true);
        }
        if inbound_before != inbound_after {
            self.count_inbound(inbound_before, -1);
            self.count_inbound(inbound_after, 1);
        }
    }

    /// R35: the row keeps no chat id, preview or draft text (nothing the list sorts by).
    pub(crate) fn erase_row(&mut self, id: DialogId) {
        let Some(row) = self.rows.get_mut(&id) else {
            return;
        };
        super::erasure::wipe(&mut row.external_chat_id);
        if let Some(m) = &mut row.last_message {
            super::erasure::wipe(&mut m.text);
        }
        if let Some(p) = row.per_user.as_deref_mut() {
            for (_, d) in &mut p.drafts {
                super::erasure::wipe(d);
            }
        }
    }

    /// New time limits or a new calendar move every waiting dialog in the processing order.
    pub fn set_waiting(&mut self, waiting: Waiting) {
        self.waiting = waiting;
        for (bucket, idx) in self.buckets.iter_mut() {
            let _ = bucket;
            idx.processing = idx
                .activity
                .iter()
                .filter_map(|(_, _, id)| self.rows.get(id))
                .map(|row| processing_key(row, &self.waiting))
                .collect();
        }
    }

    pub fn apply(&mut self, r: &Recorded<DialogEvent>, id: DialogId) {
        let at = r.meta.at;
        match &r.event {
            DialogEvent::DialogOpened {
                channel_id,
                external_chat_id,
                customer_id,
                ..
            } => {
                let row = DialogRow {
                    id,
                    channel_id: *channel_id,
                    external_chat_id: external_chat_id.clone(),
                    customer_id: *customer_id,
                    opener: *customer_id,
                    status: DialogStatus::Open,
                    responsible: None,
                    deleted: false,
                    inbound_count: 0,
                    last_message: None,
                    last_activity_at: at,
                    waiting_since: None,
                    opened_at: at,
                    answered: false,
                    last_customer_message: None,
                    snoozed_until: None,
                    per_user: None,
                };
                self.link(*customer_id, id, true);
                let p = placement(&row, &self.waiting);
                self.rows.insert(Box::new(row));
                self.place(p, true);
            }
            DialogEvent::MessageReceived {
                message_id,
                author,
                text,
                sent_at,
                ..
            } => {
                // Whoever had read everything has not any more.
                if let Some(row) = self.rows.get(&id) {
                    let read = row
                        .users()
                        .map(|p| p.read_seen.as_slice())
                        .unwrap_or_default();
                    for (user, seen) in read {
                        if *seen == row.inbound_count {
                            if let Some(set) = self.caught_up.get_mut(user) {
                                set.remove(&id);
                            }
                        }
                    }
                }
                let last = last_message(*message_id, *author, text, at);
                self.update(id, |row| {
                    row.inbound_count += 1;
                    row.last_message = Some(last);
                    row.last_activity_at = at;
                    // R15: the customer has waited since they wrote (as the integration says),
                    // never since later than we received it.
                    row.waiting_since.get_or_insert((*sent_at).min(at));
                    let wrote = (*sent_at).min(at);
                    row.last_customer_message =
                        Some(row.last_customer_message.map_or(wrote, |l| l.max(wrote)));
                });
            }
            DialogEvent::MessageSent {
                message_id,
                author,
                text,
                ..
            } => {
                let last = last_message(*message_id, *author, text, at);
                // R37: the away reply (author `system`) answers nobody's question: the clock
                // runs on and the dialog stays unanswered.
                let reply = *author != Actor::System;
                self.update(id, |row| {
                    row.last_message = Some(last);
                    row.last_activity_at = at;
                    if reply {
                        row.waiting_since = None;
                        row.answered = true;
                    }
                });
            }
            DialogEvent::MessageStatusChanged { .. } => {}
            DialogEvent::Reassigned { to, .. } => {
                self.update(id, |row| row.responsible = Some(*to))
            }
            DialogEvent::DialogClosed {} => self.update(id, |row| {
                row.status = DialogStatus::Closed;
                row.waiting_since = None;
            }),
            DialogEvent::DialogReopened {} => {
                self.update(id, |row| row.status = DialogStatus::Open)
            }
            DialogEvent::DialogRead {
                user_id,
                inbound_seen,
            } => {
                let mut caught_up = false;
                self.update(id, |row| {
                    caught_up = row.inbound_count > 0 && *inbound_seen >= row.inbound_count;
                    let p = row.users_mut();
                    match p.read_seen.iter_mut().find(|(u, _)| u == user_id) {
                        Some(entry) => entry.1 = *inbound_seen,
                        None => p.read_seen.push((*user_id, *inbound_seen)),
                    }
                    p.marked_unread.retain(|u| u != user_id);
                });
                if let Some(set) = self.marked.get_mut(user_id) {
                    set.remove(&id);
                }
                let set = self.caught_up.entry(*user_id).or_default();
                if caught_up {
                    set.insert(id);
                } else {
                    set.remove(&id);
                }
            }
            DialogEvent::DialogMarkedUnread { user_id } => {
                self.update(id, |row| {
                    let p = row.users_mut();
                    if !p.marked_unread.contains(user_id) {
                        p.marked_unread.push(*user_id);
                    }
                });
                self.marked.entry(*user_id).or_default().insert(id);
            }
            DialogEvent::DraftSaved { user_id, text } => self.update(id, |row| {
                let p = row.users_mut();
                match p.drafts.iter_mut().find(|(u, _)| u == user_id) {
                    Some(d) => d.1.clone_from(text),
                    None => p.drafts.push((*user_id, text.clone())),
                }
            }),
            DialogEvent::DraftCleared { user_id } => self.update(id, |row| {
                if let Some(p) = row.per_user.as_deref_mut() {
                    p.drafts.retain(|(u, _)| u != user_id);
                }
            }),
            DialogEvent::CustomerUnpinned { customer_id } => {
                self.link(Some(*customer_id), id, false);
                self.update(id, |row| row.customer_id = None)
            }
            DialogEvent::CustomerPinned { customer_id } => {
                self.link(Some(*customer_id), id, true);
                self.update(id, |row| row.customer_id = Some(*customer_id))
            }
            DialogEvent::DialogDeleted {} => self.update(id, |row| row.deleted = true),
            // R21, R22: the list shows the last message as it is now.
            DialogEvent::MessageEdited { message_id, text } => {
                if let Some(last) = self.last_message_mut(id, *message_id) {
                    last.text = preview(text);
                }
            }
            DialogEvent::MessageDeleted { message_id } => {
                if let Some(last) = self.last_message_mut(id, *message_id) {
                    last.text.clear();
                    last.deleted = true;
                }
            }
            // R27: notes change no counter, clock, last message or status.
            DialogEvent::ReactionSet { .. }
            | DialogEvent::NoticeDelivered { .. }
            | DialogEvent::NoteAdded { .. }
            | DialogEvent::NoteEdited { .. }
            | DialogEvent::NoteDeleted { .. }
            | DialogEvent::MentionDone { .. }
            | DialogEvent::AwayReplySent { .. }
            | DialogEvent::MessageScheduled { .. }
            | DialogEvent::ScheduledMessageEdited { .. }
            | DialogEvent::ScheduledMessageCancelled { .. }
            | DialogEvent::ScheduledMessageSent { .. }
            | DialogEvent::ScheduledMessageFailed { .. } => {}
            DialogEvent::DialogSnoozed { until } => {
                self.update(id, |row| row.snoozed_until = Some(*until))
            }
            DialogEvent::DialogWoke { .. } => self.update(id, |row| row.snoozed_until = None),
        }
    }

    fn last_message_mut(&mut self, id: DialogId, message: MessageId) -> Option<&mut LastMessage> {
        let row = self.rows.get_mut(&id)?;
        row.last_message.as_mut().filter(|l| l.id == message)
    }

    /// R15: open waiting dialogs whose warning or limit falls in `(from, to]`: the moments their
    /// waiting level changes by itself. Walks only the processing-order keys near the window.
    pub fn crossing(&self, from: OffsetDateTime, to: OffsetDateTime) -> Vec<DialogId> {
        // A warning comes before the deadline; look that far ahead.
        let lo = (0, nanos(from), DialogId::from(uuid::Uuid::nil()));
        let hi = (
            0,
            nanos(to + self.waiting.warning_lead()),
            DialogId::from(uuid::Uuid::max()),
        );
        let mut out = Vec::new();
        for (bucket, idx) in &self.buckets {
            if bucket.status != DialogStatus::Open {
                continue;
            }
            for (_, _, id) in idx.processing.range(lo..=hi) {
                let crosses = self
                    .rows
                    .get(id)
                    .and_then(|row| self.waiting.clock(row))
                    .is_some_and(|clock| clock.crosses(from, to));
                if crosses {
                    out.push(*id);
                }
            }
        }
        out
    }

    /// R5: dialogs visible to `p` that have unread customer messages or the unread mark.
    /// `|visible with messages| - |visible, caught up, not marked| + |visible, marked, no messages|`.
    pub fn unread_dialogs(&self, p: &Principal) -> u64 {
        let Some(user) = p.user_id() else { return 0 };
        // Read by responsible, not tested entry by entry: every message's frame carries this
        // count, and there is an entry per manager (P3).
        let with_messages: u64 = match responsibles_seen(p) {
            None => self.with_inbound_total,
            Some(seen) => seen.iter().filter_map(|r| self.with_inbound.get(r)).sum(),
        };
        let empty = IdSet::default();
        let marked = self.marked.get(&user).unwrap_or(&empty);
        let visible_row = |d: &DialogId| self.rows.get(d).filter(|r| r.is_visible_to(p));
        let caught_up = self.caught_up.get(&user).map_or(0, |set| {
            set.iter()
                .filter(|d| !marked.contains(d) && visible_row(d).is_some())
                .count()
        });
        let marked_empty = marked
            .iter()
            .filter(|d| visible_row(d).is_some_and(|r| r.inbound_count == 0))
            .count();
        with_messages.saturating_sub(caught_up as u64) + marked_empty as u64
    }
}
