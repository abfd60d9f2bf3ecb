//! Every read model of the manager API, in memory, built by applying the global log in order.
//! `position` is the last event applied: reads that carry `min_position` wait for it.

pub mod by_id;
pub mod card_source;
pub mod catalog;
pub mod compact;
pub mod customers;
pub mod dialogs;
pub mod erasure;
pub mod files;
pub mod list;
pub mod mentions;
pub mod outbox;
pub mod people;
pub mod report_query;
pub mod reports;
pub mod snapshot;
pub mod timers;

use crate::codec::{decode_event, AnyEvent, DecodeFailure};
use chatd_domain::calendar::Calendar;
use chatd_domain::dialog::DialogEvent;
use chatd_domain::setup::{SettingsEvent, TimeLimits};
use chatd_domain::{DialogId, Recorded};
use chatd_store::{Position, RecordedEvent};
use uuid::Uuid;

/// Hashing for maps keyed by ids chatd made (UUIDs, random or derived through SHA-1, so an outsider
/// cannot choose their bits): foldhash, seeded per process, a few cycles a key where SipHash takes
/// dozens. Keys an outsider picks (external ids, names) keep the standard SipHash.
pub type IdHash = foldhash::fast::RandomState;

#[derive(Debug, Default)]
pub struct ReadModel {
    pub position: Option<Position>,
    pub people: people::People,
    pub catalog: catalog::Catalog,
    pub customers: customers::Customers,
    pub dialogs: dialogs::Dialogs,
    pub files: files::Files,
    pub outbox: outbox::Outbox,
    pub mentions: mentions::Mentions,
    pub time_limits: TimeLimits,
    /// R37: the shop's calendar, if it keeps one.
    pub calendar: Option<Calendar>,
    /// R37: snoozes and scheduled messages by when they are due.
    pub timers: timers::Timers,
    /// R36: the facts of every report (not in the snapshot: rebuilt from the log).
    pub reports: reports::Reports,
    /// Events of streams outside chatd's categories, skipped.
    pub foreign: u64,
    /// R35: opens sealed personal strings as events are applied.
    pub keys: std::sync::Arc<crate::privacy::Keyring>,
}

/// The id in `category-<uuid>`.
pub fn stream_id<T: From<Uuid>>(stream: &str) -> Option<T> {
    let (_, id) = stream.split_once('-')?;
    Uuid::parse_str(id).ok().map(T::from)
}

/// One event of the log decoded for `ReadModel::apply_decoded`: everything of the apply that
/// needs no model, so the follower does it before it locks the model (DECISIONS: "The follower
/// decodes before it locks").
pub struct Decoded {
    position: Position,
    /// The stream's id (`None`: not `category-<uuid>`, a foreign stream).
    id: Option<Uuid>,
    event: Result<AnyEvent, DecodeFailure>,
}

impl Decoded {
    pub fn of(e: &RecordedEvent, keys: &crate::privacy::Keyring) -> Decoded {
        Decoded {
            position: e.position,
            id: stream_id(&e.stream),
            event: decode_event(e, keys),
        }
    }

    /// The id in the event's stream name (`None`: not `category-<uuid>`).
    pub fn stream_id(&self) -> Option<Uuid> {
        self.id
    }

    /// R35: the data subject whose key this node lacked to open the event's sealed strings.
    pub fn missing_key(&self) -> Option<Uuid> {
        match &self.event {
            Err(DecodeFailure::MissingKey { subject, .. }) => Some(*subject),
            _ => None,
        }
    }
}

impl ReadModel {
    /// SPEC §3 with R27: `p` sees the dialog as R2 says, or through an open mention (auditors
    /// never: they read history through the audit API).
    pub fn sees_dialog(&self, p: &chatd_domain::Principal, row: &dialogs::DialogRow) -> bool {
        row.is_visible_to(p)
            || !row.deleted
                && matches!(p, chatd_domain::Principal::User { role, .. } if *role != chatd_domain::Role::Auditor)
                && p.user_id()
                    .is_some_and(|u| self.mentions.is_open(u, row.id))
    }

    /// Apply one event of the global log; returns it decoded (`None` for foreign streams).
    pub fn apply(&mut self, e: &RecordedEvent) -> Result<Option<AnyEvent>, DecodeFailure> {
        let decoded = Decoded::of(e, &self.keys);
        self.apply_decoded(decoded)
    }

    /// Apply one event decoded apart from the model (`Decoded::of`).
    pub fn apply_decoded(&mut self, d: Decoded) -> Result<Option<AnyEvent>, DecodeFailure> {
        self.position = Some(d.position);
        let decoded = match d.event {
            Ok(decoded) => decoded,
            Err(DecodeFailure::UnknownCategory(_)) => {
                self.foreign += 1;
                return Ok(None);
            }
            Err(err) => return Err(err),
        };
        if let AnyEvent::Settings(r) = &decoded {
            match &r.event {
                SettingsEvent::TimeLimitsSet(limits) => self.time_limits = limits.clone(),
                SettingsEvent::CalendarSet(c) => self.calendar = Some((**c).clone()),
                SettingsEvent::CalendarRemoved {} => self.calendar = None,
            }
            self.dialogs.set_waiting(dialogs::Waiting {
                limits: self.time_limits.clone(),
                calendar: self.calendar.clone(),
            });
            if !matches!(r.event, SettingsEvent::TimeLimitsSet(_)) {
                self.reports.recompute_working(self.calendar.as_ref());
            }
            return Ok(Some(decoded));
        }
        let Some(id) = d.id else {
            self.foreign += 1;
            return Ok(None);
        };
        let position = d.position;
        match &decoded {
            AnyEvent::Dialog(r) => {
                let dialog_id = id.into();
                self.dialogs.apply(r, dialog_id);
                self.mentions.apply(r, dialog_id);
                self.timers.apply(r, dialog_id);
                if !self.reports.rebuilding {
                    self.reports.apply(r, dialog_id, self.calendar.as_ref());
                }
                self.follow_outgoing(r, dialog_id, position);
                self.note_given(r, dialog_id);
            }
            AnyEvent::Customer(r) => {
                if let chatd_domain::customer::CustomerEvent::CustomerErased { .. } = r.event {
                    self.erase_customer(id.into(), position, &r.meta);
                }
                self.customers.apply(r, id.into())
            }
            AnyEvent::Channel(r) => self.catalog.apply_channel(r, id.into()),
            AnyEvent::User(r) => self.people.apply_user(r, id.into()),
            AnyEvent::Group(r) => self.people.apply_group(r, id.into()),
            AnyEvent::Bot(r) => self.people.apply_bot(r, id.into()),
            AnyEvent::Tag(r) => {
                if matches!(r.event, chatd_domain::setup::TagEvent::TagDeleted {}) {
                    self.customers.forget_tag(id.into());
                }
                self.catalog.apply_tag(r, id.into())
            }
            AnyEvent::QuickReply(r) => self.catalog.apply_quick_reply(r, id.into()),
            AnyEvent::Order(r) => self.catalog.apply_order(r),
            AnyEvent::File(r) => self.files.apply_file(r),
            AnyEvent::Settings(_) => {}
        }
        Ok(Some(decoded))
    }

    /// R18 (R34): a bot gave `dialog` to a manager; the turns of its channel go on from them.
    fn note_given(&mut self, r: &Recorded<DialogEvent>, dialog: DialogId) {
        let (chatd_domain::Actor::Bot { id: bot }, DialogEvent::Reassigned { to, .. }) =
            (&r.meta.actor, &r.event)
        else {
            return;
        };
        let chatd_domain::Assignee::User { id: user } = to else {
            return;
        };
        if let Some(row) = self.dialogs.get(&dialog) {
            self.people.given.insert((*bot, row.channel_id), *user);
        }
    }

    /// Files attached to a dialog's messages, and outgoing messages' delivery (see `outbox`).
    fn follow_outgoing(
        &mut self,
        r: &Recorded<DialogEvent>,
        dialog_id: DialogId,
        position: Position,
    ) {
        if let DialogEvent::MessageSent { attachments, .. }
        | DialogEvent::MessageReceived { attachments, .. } = &r.event
        {
            self.files.attached(dialog_id, attachments);
        }
        let Some(row) = self.dialogs.get(&dialog_id) else {
            return;
        };
        let webhook = self
            .catalog
            .channels
            .get(&row.channel_id)
            .is_some_and(|c| c.webhook_url.is_some());
        self.outbox.apply(
            r,
            outbox::At {
                dialog_id,
                channel_id: row.channel_id,
                external_chat_id: &row.external_chat_id,
                position,
                webhook,
            },
        );
    }
}
