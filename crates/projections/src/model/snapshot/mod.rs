//! A persisted checkpoint of the read models: their primary data and the log position it was
//! taken at. On start, a snapshot that reads back is restored (indexes rebuilt from the data) and
//! the projection continues from its position; one that does not (missing, damaged, older format)
//! is ignored and the models are rebuilt from position 0. Read models are derived data: losing a
//! snapshot costs time, never correctness.

pub mod binary;
mod chunks;

use super::catalog::{Catalog, ChannelView, OrderView, QuickReplyView, TagView};
use super::customers::{self, CustomerView, Customers};
use super::dialogs::{self, DialogRow};
use super::files::{FileView, Files};
use super::mentions::{MentionView, Mentions};
use super::outbox::{Notice, Outbox, Pending};
use super::people::{BotView, GroupView, People, SessionView, UserView};
use super::timers::{PendingSchedule, Timers};
use super::ReadModel;
use chatd_domain::calendar::Calendar;
use chatd_domain::setup::TimeLimits;
use chatd_domain::{ChannelId, DialogId, MessageId};
use chatd_store::Position;
use serde::{Deserialize, Serialize};

/// Bumped whenever a read model's shape or meaning changes: an older snapshot is then rebuilt from
/// the log. 7: a self-mention gives no sight, a closed mention keeps its text. 8: R37's calendar,
/// snoozes, pending scheduled messages, channels' away texts, the away reply not an answer.
/// 9: whom each bot last gave a dialog of each channel (R18's turns across nodes).
pub const FORMAT: u32 = 9;

#[derive(Serialize, Deserialize)]
pub struct Snapshot {
    pub format: u32,
    pub position: Option<Position>,
    pub users: Vec<UserView>,
    pub groups: Vec<GroupView>,
    pub sessions: Vec<SessionView>,
    pub bots: Vec<BotView>,
    pub given: Vec<((chatd_domain::BotId, ChannelId), chatd_domain::UserId)>,
    pub channels: Vec<ChannelView>,
    pub tags: Vec<TagView>,
    pub quick_replies: Vec<QuickReplyView>,
    pub orders: Vec<OrderView>,
    pub customers: Vec<CustomerView>,
    pub dialogs: Vec<DialogRow>,
    pub files: Vec<FileView>,
    pub pending: Vec<Pending>,
    pub notices: Vec<Notice>,
    pub mentions: Vec<MentionView>,
    pub outgoing: Vec<(MessageId, DialogId)>,
    pub external: Vec<(ChannelId, String, MessageId)>,
    pub time_limits: TimeLimits,
    pub calendar: Option<Calendar>,
    pub scheduled: Vec<PendingSchedule>,
    pub foreign: u64,
}

impl ReadModel {
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            format: FORMAT,
            position: self.position,
            users: self.people.users.values().cloned().collect(),
            groups: self.people.groups.values().cloned().collect(),
            sessions: self.people.sessions(),
            bots: self.people.bots.values().cloned().collect(),
            given: self.people.given.iter().map(|(k, v)| (*k, *v)).collect(),
            channels: self.catalog.channels.values().cloned().collect(),
            tags: self.catalog.tags.values().cloned().collect(),
            quick_replies: self.catalog.quick_replies.values().cloned().collect(),
            orders: self.catalog.orders.values().cloned().collect(),
            customers: self.customers.by_id.values().cloned().collect(),
            dialogs: self.dialogs.rows.values().cloned().collect(),
            files: self.files.by_id.values().cloned().collect(),
            pending: self.outbox.pending.values().cloned().collect(),
            notices: self.outbox.notices.values().cloned().collect(),
            mentions: self.mentions.in_order().into_iter().cloned().collect(),
            outgoing: self
                .outbox
                .dialog_of
                .iter()
                .map(|(m, d)| (*m, *d))
                .collect(),
            external: self
                .outbox
                .by_external
                .iter()
                .map(|((c, e), m)| (*c, e.clone(), *m))
                .collect(),
            time_limits: self.time_limits.clone(),
            calendar: self.calendar.clone(),
            scheduled: self.timers.scheduled.values().copied().collect(),
            foreign: self.foreign,
        }
    }

    /// The read models as they were when `s` was taken; `None` for another format.
    pub fn restore(s: Snapshot) -> Option<ReadModel> {
        if s.format != FORMAT {
            return None;
        }
        let mut head = Head {
            position: s.position,
            time_limits: s.time_limits,
            calendar: s.calendar,
            foreign: s.foreign,
            scheduled: s.scheduled,
            ..Head::default()
        };
        s.users.into_iter().for_each(|u| head.people.insert_user(u));
        s.groups
            .into_iter()
            .for_each(|g| head.people.insert_group(g));
        s.sessions
            .into_iter()
            .for_each(|session| head.people.insert_session(session));
        s.bots.into_iter().for_each(|b| head.people.insert_bot(b));
        head.people.given = s.given.into_iter().collect();
        s.channels
            .into_iter()
            .for_each(|c| head.catalog.insert_channel(c));
        head.catalog.tags = s.tags.into_iter().map(|t| (t.id, t)).collect();
        head.catalog.quick_replies = s.quick_replies.into_iter().map(|q| (q.id, q)).collect();
        head.catalog.orders = s.orders.into_iter().map(|o| (o.id, o)).collect();
        s.files.into_iter().for_each(|f| head.files.insert(f));
        head.outbox = Outbox {
            pending: s.pending.into_iter().map(|p| (p.message_id, p)).collect(),
            notices: s.notices.into_iter().map(|n| (n.event_id, n)).collect(),
            dialog_of: s.outgoing.into_iter().collect(),
            by_external: s
                .external
                .into_iter()
                .map(|(c, e, m)| ((c, e), m))
                .collect(),
        };
        s.mentions.into_iter().for_each(|m| head.mentions.insert(m));
        let mut customers = customers::Restoring::default();
        s.customers.into_iter().for_each(|c| customers.insert(c));
        let mut dialogs = DialogsPart::new(head.waiting());
        s.dialogs.into_iter().for_each(|d| dialogs.insert(d));
        Some(head.assemble(customers.finish(), dialogs.finish()))
    }
}

/// Everything of a snapshot but its customers and dialogs: small, restored first, because the
/// dialogs' order depends on its time limits and calendar.
#[derive(Default)]
pub(crate) struct Head {
    pub position: Option<Position>,
    pub people: People,
    pub catalog: Catalog,
    pub files: Files,
    pub outbox: Outbox,
    pub mentions: Mentions,
    pub time_limits: TimeLimits,
    pub calendar: Option<Calendar>,
    pub scheduled: Vec<PendingSchedule>,
    pub foreign: u64,
}

/// The dialogs being restored, with the snoozes they carry.
pub(crate) struct DialogsPart {
    dialogs: dialogs::Restoring,
    timers: Timers,
}

impl DialogsPart {
    pub fn new(waiting: super::dialogs::Waiting) -> Self {
        DialogsPart {
            dialogs: dialogs::Restoring::new(waiting),
            timers: Timers::default(),
        }
    }

    pub fn reserve(&mut self, rows: usize) {
        self.dialogs.reserve(rows);
    }

    pub fn insert(&mut self, d: DialogRow) {
        if !d.deleted {
            self.timers.snooze(d.id, d.snoozed_until);
        }
        self.dialogs.insert(d);
    }

    /// The dialogs with their sort indexes built, and their timers.
    pub fn finish(self) -> (dialogs::Dialogs, Timers) {
        (self.dialogs.finish(), self.timers)
    }
}

impl Head {
    pub fn waiting(&self) -> super::dialogs::Waiting {
        super::dialogs::Waiting {
            limits: self.time_limits.clone(),
            calendar: self.calendar.clone(),
        }
    }

    pub fn assemble(
        self,
        customers: Customers,
        (dialogs, mut timers): (dialogs::Dialogs, Timers),
    ) -> ReadModel {
        self.scheduled.into_iter().for_each(|p| timers.schedule(p));
        ReadModel {
            position: self.position,
            mentions: self.mentions,
            people: self.people,
            catalog: self.catalog,
            customers,
            dialogs,
            files: self.files,
            outbox: self.outbox,
            time_limits: self.time_limits,
            calendar: self.calendar,
            timers,
            // R36: rebuilt from the log after a start from a snapshot.
            reports: super::reports::Reports::pending(),
            foreign: self.foreign,
            keys: Default::default(),
        }
    }
}
