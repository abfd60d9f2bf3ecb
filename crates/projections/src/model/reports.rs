//! R36: the facts of every report, folded from the dialogs' events by the domain's definitions
//! (`chatd_domain::reports`), kept by UTC day so a period is a walk of its days. Not in the
//! snapshot: chatd rebuilds them from the log on every start (see `chatd_app::reports`), so a
//! changed definition recomputes every past figure. Working-hours figures are recomputed from
//! the shop's calendar as it is now whenever it changes. `query` groups them.

use chatd_domain::calendar::Calendar;
use chatd_domain::dialog::DialogEvent;
use chatd_domain::reports::{Fact, Measure, ReportFold};
use chatd_domain::{Assignee, ChannelId, DialogId, Recorded, UserId};
use std::collections::{BTreeMap, HashMap};
use time::OffsetDateTime;

const DAY: i64 = 86_400;
const HOUR: i64 = 3_600;
const NONE: u32 = u32::MAX;

/// Seconds of [`Rec::at`] count from here (2000-01-01 UTC): 24 bytes a fact.
pub const EPOCH: i64 = 946_684_800;

/// One fact, compactly (24 bytes): its moment, indexes into the tables, and for a duration its
/// length. A duration starts at its moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rec {
    /// Seconds since [`EPOCH`].
    pub at: u32,
    pub dialog: u32,
    pub manager: u32,
    /// The dialog's channel, by index (`Reports::channels`).
    pub channel: u16,
    pub measure: Measure,
    /// Durations: seconds, and working seconds under the calendar now (`-1` without one).
    pub seconds: i32,
    pub working: i32,
}

impl Rec {
    /// Seconds since 1970.
    pub fn unix(&self) -> i64 {
        i64::from(self.at) + EPOCH
    }
}

/// What a report keeps of one dialog (kept small: there is one per dialog). Its customer is
/// the list row's; whether it was deleted is in `Reports::deleted`.
#[derive(Debug, Clone)]
pub struct DialogInfo {
    pub id: DialogId,
    /// The channel, by index (`Reports::channels`).
    pub channel: u16,
    fold: ReportFold,
    /// Whom it loads now: open, with this manager responsible.
    loads: Option<u32>,
    open: bool,
}

#[derive(Debug, Default)]
pub struct Reports {
    /// A rebuild from the log is under way (after a start from a snapshot): nothing to answer
    /// yet, and nothing applied here meanwhile.
    pub rebuilding: bool,
    pub dialogs: Vec<DialogInfo>,
    index: HashMap<DialogId, u32, super::IdHash>,
    pub managers: Vec<UserId>,
    manager_index: HashMap<UserId, u32, super::IdHash>,
    pub channels: Vec<ChannelId>,
    channel_index: HashMap<ChannelId, u16, super::IdHash>,
    /// Per dialog index: deleted (R13: a deleted dialog leaves every figure but the load it
    /// made while open). Kept apart from `dialogs`: a report reads it for every fact.
    pub deleted: Vec<bool>,
    /// Facts by UTC day.
    pub days: BTreeMap<i64, Vec<Rec>>,
    /// Load: changes of each manager's open dialogs, by UTC hour.
    pub load: BTreeMap<(i64, u32), i32>,
}

impl Reports {
    /// Empty, waiting for a rebuild from the log.
    pub fn pending() -> Reports {
        Reports {
            rebuilding: true,
            ..Reports::default()
        }
    }
}

fn secs(t: OffsetDateTime) -> i64 {
    t.unix_timestamp()
}

impl Reports {
    pub fn manager_idx(&mut self, u: UserId) -> u32 {
        if let Some(i) = self.manager_index.get(&u) {
            return *i;
        }
        let i = self.managers.len() as u32;
        self.managers.push(u);
        self.manager_index.insert(u, i);
        i
    }

    pub fn manager_of(&self, u: &UserId) -> Option<u32> {
        self.manager_index.get(u).copied()
    }

    pub fn channel_of(&self, c: &ChannelId) -> Option<u16> {
        self.channel_index.get(c).copied()
    }

    fn channel_idx(&mut self, c: ChannelId) -> u16 {
        if let Some(i) = self.channel_index.get(&c) {
            return *i;
        }
        let i = self.channels.len().min(u16::MAX as usize) as u16;
        self.channels.push(c);
        self.channel_index.insert(c, i);
        i
    }

    fn loads(&mut self, idx: u32, at: i64) {
        let d = &self.dialogs[idx as usize];
        let now = if d.open && !self.deleted[idx as usize] {
            match d.fold.responsible() {
                Some(Assignee::User { id }) => Some(id),
                _ => None,
            }
        } else {
            None
        };
        let now = now.map(|u| self.manager_idx(u));
        let before = self.dialogs[idx as usize].loads;
        if before == now {
            return;
        }
        let hour = at.div_euclid(HOUR);
        if let Some(m) = before {
            *self.load.entry((hour, m)).or_default() -= 1;
        }
        if let Some(m) = now {
            *self.load.entry((hour, m)).or_default() += 1;
        }
        self.dialogs[idx as usize].loads = now;
    }

    pub fn apply(&mut self, r: &Recorded<DialogEvent>, id: DialogId, calendar: Option<&Calendar>) {
        let idx = match (&r.event, self.index.get(&id)) {
            (_, Some(i)) => *i,
            (DialogEvent::DialogOpened { channel_id, .. }, None) => {
                let i = self.dialogs.len() as u32;
                let channel = self.channel_idx(*channel_id);
                self.dialogs.push(DialogInfo {
                    id,
                    channel,
                    fold: ReportFold::default(),
                    loads: None,
                    open: false,
                });
                self.index.insert(id, i);
                self.deleted.push(false);
                i
            }
            _ => return,
        };
        let at = r.meta.at;
        let d = &mut self.dialogs[idx as usize];
        match &r.event {
            DialogEvent::DialogOpened { .. } | DialogEvent::DialogReopened {} => d.open = true,
            DialogEvent::DialogClosed {} => d.open = false,
            DialogEvent::DialogDeleted {} => self.deleted[idx as usize] = true,
            _ => {}
        }
        let facts = d.fold.apply(at, &r.event);
        self.loads(idx, secs(at));
        for f in facts {
            self.record(idx, f, calendar);
        }
    }

    fn record(&mut self, dialog: u32, f: Fact, calendar: Option<&Calendar>) {
        let manager = f.manager.map_or(NONE, |u| self.manager_idx(u));
        let channel = self.dialogs[dialog as usize].channel;
        let (seconds, working) = match f.interval {
            Some((a, b)) => {
                let channel = self.channels[channel as usize];
                let working = calendar.map_or(-1, |c| {
                    c.working_seconds(Some(channel), a, b)
                        .clamp(0, i32::MAX as i64) as i32
                });
                // To the nearest second (events a few milliseconds apart are not a second short).
                let s = (b - a).as_seconds_f64().round().clamp(0.0, i32::MAX as f64) as i32;
                (s, working)
            }
            None => (0, -1),
        };
        let rec = Rec {
            at: (secs(f.at) - EPOCH).clamp(0, u32::MAX as i64) as u32,
            dialog,
            manager,
            channel,
            measure: f.measure,
            seconds,
            working,
        };
        let day = rec.unix().div_euclid(DAY);
        if !self.days.contains_key(&day) {
            // A new day: the last one is (nearly) complete; give back its growth room.
            if let Some((_, last)) = self.days.range_mut(..day).next_back() {
                last.shrink_to_fit();
            }
        }
        self.days.entry(day).or_default().push(rec);
    }

    /// The calendar changed: every working-hours figure again, under the calendar now.
    pub fn recompute_working(&mut self, calendar: Option<&Calendar>) {
        let channels: Vec<ChannelId> = self
            .dialogs
            .iter()
            .map(|d| self.channels[d.channel as usize])
            .collect();
        for rec in self.days.values_mut().flatten() {
            if !rec.measure.is_duration() {
                continue;
            }
            rec.working = match calendar {
                None => -1,
                Some(c) => {
                    let a = OffsetDateTime::from_unix_timestamp(rec.unix())
                        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
                    let b = a + time::Duration::seconds(rec.seconds.into());
                    let channel = channels[rec.dialog as usize];
                    c.working_seconds(Some(channel), a, b)
                        .clamp(0, i32::MAX as i64) as i32
                }
            };
        }
    }

    /// Facts whose moment is in `[from, to)`, day by day.
    pub fn facts(&self, from: i64, to: i64) -> impl Iterator<Item = &Rec> {
        self.days
            .range(from.div_euclid(DAY)..=to.div_euclid(DAY))
            .flat_map(|(_, v)| v.iter())
            .filter(move |r| r.unix() >= from && r.unix() < to)
    }

    /// Each manager's open dialogs at each of `moments` (ascending), from the load changes.
    pub fn load_at(&self, moments: &[i64]) -> Vec<HashMap<u32, i64>> {
        let mut out = Vec::with_capacity(moments.len());
        let mut running: HashMap<u32, i64> = HashMap::new();
        let mut changes = self.load.iter().peekable();
        for t in moments {
            let hour = t.div_euclid(HOUR);
            while let Some(((h, m), delta)) = changes.peek() {
                if *h >= hour {
                    break;
                }
                *running.entry(*m).or_default() += i64::from(**delta);
                changes.next();
            }
            out.push(running.clone());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chatd_domain::{Actor, EventMeta};
    use time::macros::datetime;

    #[test]
    fn r36_facts_are_kept_by_day_and_a_period_walks_its_days() {
        let mut r = Reports::default();
        let id = DialogId::from(uuid::Uuid::from_u128(1));
        let at = datetime!(2026-11-23 23:30 UTC);
        let rec = |event| Recorded {
            meta: EventMeta {
                at,
                actor: Actor::System,
            },
            event,
        };
        r.apply(
            &rec(DialogEvent::DialogOpened {
                dialog_id: id,
                channel_id: uuid::Uuid::nil().into(),
                external_chat_id: String::new(),
                customer_id: None,
            }),
            id,
            None,
        );
        let day = secs(datetime!(2026-11-23 00:00 UTC));
        assert_eq!(r.facts(day, day + DAY).count(), 1);
        assert_eq!(r.facts(day + DAY, day + 2 * DAY).count(), 0);
    }
}
