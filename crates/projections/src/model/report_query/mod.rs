//! R36: a report over a period, grouped by day, week or month in the shop's time zone, or by
//! manager, channel or tag, and one row per dialog. Medians and p90 (nearest rank) beside
//! means; with a calendar, the same times again in working hours.

use super::reports::{Rec, Reports};
use super::ReadModel;
use chatd_domain::reports::{median_p90, periods, Measure, Unit};
use chatd_domain::{ChannelId, DialogId, TagId, UserId};
use std::collections::HashMap;
use time::OffsetDateTime;

fn unit_of(g: GroupBy) -> Unit {
    match g {
        GroupBy::Period(u) => u,
        _ => Unit::Day,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Period(Unit),
    Manager,
    Channel,
    Tag,
}

#[derive(Debug, Clone)]
pub struct ReportQuery {
    pub from: OffsetDateTime,
    pub to: OffsetDateTime,
    pub group_by: GroupBy,
    pub channel: Option<ChannelId>,
    /// Only this manager's figures (a manager asking gets their own, whatever they ask).
    pub manager: Option<UserId>,
    pub tag: Option<TagId>,
}

/// A duration's summary, in seconds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stat {
    pub count: u64,
    pub mean: Option<f64>,
    pub median: Option<i64>,
    pub p90: Option<i64>,
}

impl Stat {
    fn of(mut values: Vec<i32>) -> Stat {
        let count = values.len() as u64;
        let mean = (count > 0)
            .then(|| values.iter().map(|v| i64::from(*v)).sum::<i64>() as f64 / count as f64);
        let (median, p90) = median_p90(&mut values).unzip();
        Stat {
            count,
            mean,
            median: median.map(i64::from),
            p90: p90.map(i64::from),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    pub opened: u64,
    pub reopened: u64,
    pub closed: u64,
    pub messages_in: u64,
    pub messages_by_person: u64,
    pub messages_by_bot: u64,
    pub templates: u64,
    pub away_replies: u64,
    pub first_response: Stat,
    pub first_response_incl_bot: Stat,
    pub response: Stat,
    pub resolution: Stat,
    /// The same four in working hours, when the shop keeps a calendar.
    pub working: Option<[Stat; 4]>,
    /// R15: responses that reached the warning level, and the limit.
    pub warnings: u64,
    pub breaches: u64,
    /// Open dialogs of the group's managers at the group's end (periods, managers).
    pub open_at_end: Option<i64>,
}

#[derive(Debug, Default)]
struct Acc {
    counts: [u64; 8],
    wall: [Vec<i32>; 4],
    working: [Vec<i32>; 4],
    warnings: u64,
    breaches: u64,
}

/// Where a measure goes in an accumulator: a counter, or a duration's list.
#[inline]
fn slot(m: Measure) -> Result<usize, usize> {
    match m {
        Measure::Opened => Err(0),
        Measure::Reopened => Err(1),
        Measure::Closed => Err(2),
        Measure::MessageIn => Err(3),
        Measure::MessageByPerson => Err(4),
        Measure::MessageByBot => Err(5),
        Measure::MessageTemplate => Err(6),
        Measure::AwayReply => Err(7),
        Measure::FirstResponse => Ok(0),
        Measure::FirstResponseInclBot => Ok(1),
        Measure::Response => Ok(2),
        Measure::Resolution => Ok(3),
    }
}

impl Acc {
    /// The sum of `parts`, each vector made once at its size.
    fn sum(parts: &[Acc]) -> Acc {
        let mut out = Acc::default();
        for i in 0..4 {
            out.wall[i] = Vec::with_capacity(parts.iter().map(|p| p.wall[i].len()).sum());
            out.working[i] = Vec::with_capacity(parts.iter().map(|p| p.working[i].len()).sum());
        }
        for p in parts {
            for (a, b) in out.counts.iter_mut().zip(p.counts) {
                *a += b;
            }
            for i in 0..4 {
                out.wall[i].extend_from_slice(&p.wall[i]);
                out.working[i].extend_from_slice(&p.working[i]);
            }
            out.warnings += p.warnings;
            out.breaches += p.breaches;
        }
        out
    }

    fn merge(&mut self, o: Acc) {
        for (a, b) in self.counts.iter_mut().zip(o.counts) {
            *a += b;
        }
        for (a, b) in self.wall.iter_mut().zip(o.wall) {
            a.extend(b);
        }
        for (a, b) in self.working.iter_mut().zip(o.working) {
            a.extend(b);
        }
        self.warnings += o.warnings;
        self.breaches += o.breaches;
    }

    fn figures(self, working: bool) -> Figures {
        let [fr, fb, r, res] = self.wall.map(Stat::of);
        let c = self.counts;
        Figures {
            opened: c[0],
            reopened: c[1],
            closed: c[2],
            messages_in: c[3],
            messages_by_person: c[4],
            messages_by_bot: c[5],
            templates: c[6],
            away_replies: c[7],
            first_response: fr,
            first_response_incl_bot: fb,
            response: r,
            resolution: res,
            working: working.then(|| self.working.map(Stat::of)),
            warnings: self.warnings,
            breaches: self.breaches,
            open_at_end: None,
        }
    }
}

/// What a group is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GroupKey {
    /// A period's label and start.
    Period(String, OffsetDateTime),
    /// `None`: facts attributed to nobody (unassigned, bots, the system).
    Manager(Option<UserId>),
    Channel(ChannelId),
    /// `None`: dialogs whose customer has no tag (or none pinned to the dialog).
    Tag(Option<TagId>),
}

#[derive(Debug, Clone)]
pub struct ReportSummary {
    pub groups: Vec<(GroupKey, Figures)>,
    pub total: Figures,
    /// The shop keeps a calendar: `working` figures are given.
    pub working_hours: bool,
}

/// One dialog's figures in the period.
#[derive(Debug, Clone, Default)]
pub struct DialogFigures {
    pub dialog_id: Option<DialogId>,
    pub channel_id: Option<ChannelId>,
    pub customer_id: Option<chatd_domain::CustomerId>,
    pub first_fact_at: Option<OffsetDateTime>,
    pub openings: u64,
    pub closed: u64,
    pub messages_in: u64,
    pub messages_out: u64,
    /// Seconds: the first opening's first responses, every closed opening's resolution.
    pub first_response: Option<i64>,
    pub first_response_incl_bot: Option<i64>,
    pub resolution: Option<i64>,
    pub responses: Stat,
}

/// One thread's share of a summary.
struct Partial {
    total: Acc,
    acc: Vec<Acc>,
    tags: HashMap<Option<TagId>, Acc>,
}

impl Partial {
    fn new(slots: usize) -> Partial {
        Partial {
            total: Acc::default(),
            acc: (0..slots).map(|_| Acc::default()).collect(),
            tags: HashMap::new(),
        }
    }

    fn merge(&mut self, o: Partial) {
        self.total.merge(o.total);
        for (a, b) in self.acc.iter_mut().zip(o.acc) {
            a.merge(b);
        }
        for (k, v) in o.tags {
            self.tags.entry(k).or_default().merge(v);
        }
    }
}

/// What adding a fact needs to know, once per query.
struct Ctx {
    /// R15's (warning, limit) per channel index, in seconds.
    limits: Vec<Option<(i64, i64)>>,
    /// Breaches count working time (the calendar says so).
    working_limits: bool,
}

impl Ctx {
    fn add(&self, acc: &mut Acc, f: &Rec) {
        match slot(f.measure) {
            Err(i) => acc.counts[i] += 1,
            Ok(i) => {
                acc.wall[i].push(f.seconds);
                if f.working >= 0 {
                    acc.working[i].push(f.working);
                }
                if f.measure == Measure::Response {
                    if let Some(Some((warning, limit))) = self.limits.get(f.channel as usize) {
                        let v = if self.working_limits && f.working >= 0 {
                            f.working
                        } else {
                            f.seconds
                        };
                        let v = i64::from(v);
                        acc.warnings += u64::from(v >= *warning);
                        acc.breaches += u64::from(v >= *limit);
                    }
                }
            }
        }
    }
}

impl ReadModel {
    fn zone(&self) -> &str {
        self.calendar
            .as_ref()
            .map_or("UTC", |c| c.time_zone.as_str())
    }

    /// The facts of `q`'s period that pass its filters.
    fn report_facts<'a>(&'a self, q: &'a ReportQuery) -> impl Iterator<Item = &'a Rec> + 'a {
        let r = &self.reports;
        let manager = q.manager.map(|u| r.manager_of(&u));
        let channel = q.channel.map(|c| r.channel_of(&c));
        r.facts(q.from.unix_timestamp(), q.to.unix_timestamp())
            .filter(move |f| self.passes(q, manager, channel, f))
    }

    /// The customer pinned to a dialog now (the list row's).
    fn customer_of(&self, d: DialogId) -> Option<chatd_domain::CustomerId> {
        self.dialogs.get(&d).and_then(|row| row.customer_id)
    }

    fn tags_of(&self, c: Option<chatd_domain::CustomerId>) -> impl Iterator<Item = TagId> + '_ {
        c.and_then(|c| self.customers.get(&c))
            .into_iter()
            .flat_map(|c| c.tags.keys().copied())
    }

    fn ctx(&self) -> Ctx {
        let limits = self
            .reports
            .channels
            .iter()
            .map(|c| {
                self.dialogs
                    .waiting
                    .limits
                    .for_channel(*c)
                    .map(|l| (i64::from(l.warning_after), i64::from(l.limit)))
            })
            .collect();
        Ctx {
            limits,
            working_limits: self.calendar.as_ref().is_some_and(|c| c.working_hours_only),
        }
    }

    /// The figures of the facts in `days` that `q` keeps.
    fn accumulate(
        &self,
        q: &ReportQuery,
        ctx: &Ctx,
        starts: &[i64],
        slots: usize,
        days: &[(i64, &Vec<Rec>)],
    ) -> Partial {
        let r = &self.reports;
        let nobody = r.managers.len();
        match q.group_by {
            GroupBy::Period(_) => {
                // A UTC day meets at most two local periods: find them once per day, then one
                // comparison per fact.
                let slot_at = |t: i64| starts.partition_point(|s| *s <= t).checked_sub(1);
                let mut day = i64::MIN;
                let mut split = (None, i64::MAX, None);
                let mut many = false;
                self.walk(q, ctx, slots, days, move |f: &Rec| {
                    let t = f.unix();
                    let d = t.div_euclid(86_400);
                    if d != day {
                        day = d;
                        let (a, b) = (d * 86_400, (d + 1) * 86_400);
                        let i = starts.partition_point(|s| *s <= a);
                        // A short DST day may put two boundaries in one UTC day: search then.
                        many = starts.partition_point(|s| *s < b).saturating_sub(i) > 1;
                        let boundary = starts
                            .get(i)
                            .copied()
                            .filter(|s| *s < b)
                            .unwrap_or(i64::MAX);
                        split = (slot_at(a), boundary, slot_at(boundary.min(b - 1)));
                    }
                    if many {
                        slot_at(t)
                    } else if t < split.1 {
                        split.0
                    } else {
                        split.2
                    }
                })
            }
            GroupBy::Manager => self.walk(q, ctx, slots, days, |f: &Rec| {
                Some((f.manager as usize).min(nobody))
            }),
            GroupBy::Channel => self.walk(q, ctx, slots, days, |f: &Rec| Some(f.channel as usize)),
            GroupBy::Tag => {
                let mut p = Partial::new(0);
                self.each_kept(q, days, |f| {
                    ctx.add(&mut p.total, f);
                    let d = &r.dialogs[f.dialog as usize];
                    let mut any = false;
                    for t in self.tags_of(self.customer_of(d.id)) {
                        any = true;
                        ctx.add(p.tags.entry(Some(t)).or_default(), f);
                    }
                    if !any {
                        ctx.add(p.tags.entry(None).or_default(), f);
                    }
                });
                p
            }
        }
    }

    /// Every kept fact into the slot `group` names (a partition: the total is made later).
    /// Plain loops: this is the hot path of a summary over a million dialogs (P10).
    fn walk(
        &self,
        q: &ReportQuery,
        ctx: &Ctx,
        slots: usize,
        days: &[(i64, &Vec<Rec>)],
        mut group: impl FnMut(&Rec) -> Option<usize>,
    ) -> Partial {
        let mut p = Partial::new(slots);
        // Room for the durations at once (about a third of the facts, spread over the slots):
        // growing the lists fact by fact costs more than the walk itself.
        let facts: usize = days.iter().map(|d| d.1.len()).sum();
        let room = facts / 3 / slots.max(1) / 2;
        for a in &mut p.acc {
            for v in a.wall.iter_mut() {
                v.reserve(room);
            }
        }
        self.each_kept(q, days, |f| {
            if let Some(a) = group(f).and_then(|i| p.acc.get_mut(i)) {
                ctx.add(a, f);
            }
        });
        p
    }

    /// `each` of the facts of `days` in `q`'s period that pass its filters. The time is checked
    /// only on days that are not wholly inside the period; with no filter, only deletion is.
    fn each_kept(&self, q: &ReportQuery, days: &[(i64, &Vec<Rec>)], mut each: impl FnMut(&Rec)) {
        let r = &self.reports;
        let (from, to) = (q.from.unix_timestamp(), q.to.unix_timestamp());
        let manager = q.manager.map(|u| r.manager_of(&u));
        let channel = q.channel.map(|c| r.channel_of(&c));
        let filtered = manager.is_some() || channel.is_some() || q.tag.is_some();
        let deleted = &r.deleted;
        for (day, d) in days {
            let check_time = !(day * 86_400 >= from && (day + 1) * 86_400 <= to);
            for f in d.iter() {
                if check_time && (f.unix() < from || f.unix() >= to) {
                    continue;
                }
                if deleted.get(f.dialog as usize).copied().unwrap_or(true) {
                    continue;
                }
                if filtered && !self.passes(q, manager, channel, f) {
                    continue;
                }
                each(f);
            }
        }
    }

    /// Whether fact `f` passes `q`'s filters (`manager` and `channel` as indexes: `Some(None)`
    /// names one with no facts at all).
    fn passes(
        &self,
        q: &ReportQuery,
        manager: Option<Option<u32>>,
        channel: Option<Option<u16>>,
        f: &Rec,
    ) -> bool {
        let r = &self.reports;
        !r.deleted[f.dialog as usize]
            && channel.is_none_or(|c| c == Some(f.channel))
            && manager.is_none_or(|m| m == Some(f.manager))
            && q.tag.is_none_or(|t| {
                let d = &r.dialogs[f.dialog as usize];
                self.tags_of(self.customer_of(d.id)).any(|x| x == t)
            })
    }

    /// R36's summary of `q`.
    pub fn report_summary(&self, q: &ReportQuery) -> ReportSummary {
        let r = &self.reports;
        let ctx = self.ctx();
        let working = self.calendar.is_some();
        let bounds = match q.group_by {
            GroupBy::Period(_) => periods(self.zone(), q.from, q.to, unit_of(q.group_by)),
            _ => vec![],
        };
        let starts: Vec<i64> = bounds.iter().map(|b| b.1.unix_timestamp()).collect();
        // One slot per group, by index: periods, managers (the last: nobody), channels.
        let slots = match q.group_by {
            GroupBy::Period(_) => bounds.len(),
            GroupBy::Manager => r.managers.len() + 1,
            GroupBy::Channel => r.channels.len(),
            GroupBy::Tag => 0,
        };
        // The period's days, split in two halves of about as many facts, one per core.
        let (from, to) = (q.from.unix_timestamp(), q.to.unix_timestamp());
        let days: Vec<(i64, &Vec<Rec>)> = r
            .days
            .range(from.div_euclid(86_400)..=to.div_euclid(86_400))
            .map(|(k, v)| (*k, v))
            .collect();
        let facts: usize = days.iter().map(|d| d.1.len()).sum();
        let mut half = 0;
        let mut seen = 0;
        for d in &days {
            if seen * 2 >= facts {
                break;
            }
            seen += d.1.len();
            half += 1;
        }
        let (first, second) = days.split_at(half);
        let part = |days: &[(i64, &Vec<Rec>)]| self.accumulate(q, &ctx, &starts, slots, days);
        let (mut all, rest) = if facts > 100_000 && !second.is_empty() {
            std::thread::scope(|s| {
                let other = s.spawn(|| part(second));
                let mine = part(first);
                (mine, other.join().expect("a report thread"))
            })
        } else {
            (part(&days), Partial::new(slots))
        };
        all.merge(rest);
        let Partial {
            mut total,
            acc,
            tags,
        } = all;
        if q.group_by != GroupBy::Tag {
            total = Acc::sum(&acc);
        }
        let mut groups: Vec<(GroupKey, Figures)> = Vec::new();
        for (i, a) in acc.into_iter().enumerate() {
            let empty = a.counts.iter().all(|c| *c == 0) && a.wall.iter().all(Vec::is_empty);
            let key = match q.group_by {
                GroupBy::Period(_) => GroupKey::Period(bounds[i].0.clone(), bounds[i].1),
                // Every period is listed, empty or not; other groups only with facts.
                _ if empty => continue,
                GroupBy::Manager => GroupKey::Manager(r.managers.get(i).copied()),
                GroupBy::Channel => GroupKey::Channel(r.channels[i]),
                GroupBy::Tag => continue,
            };
            groups.push((key, a.figures(working)));
        }
        groups.extend(
            tags.into_iter()
                .map(|(t, a)| (GroupKey::Tag(t), a.figures(working))),
        );
        groups.sort_by(|a, b| a.0.cmp(&b.0));
        self.load_into(q, &mut groups, &bounds);
        ReportSummary {
            groups,
            total: total.figures(working),
            working_hours: working,
        }
    }

    /// Load: each period's end, or `to` for managers; only the asked manager when one is.
    fn load_into(
        &self,
        q: &ReportQuery,
        groups: &mut [(GroupKey, Figures)],
        bounds: &[(String, OffsetDateTime)],
    ) {
        let r = &self.reports;
        let only = q.manager.map(|u| r.manager_of(&u));
        let ends: Vec<i64> = match q.group_by {
            GroupBy::Period(_) => bounds
                .iter()
                .enumerate()
                .map(|(i, _)| {
                    bounds
                        .get(i + 1)
                        .map_or(q.to, |b| b.1)
                        .min(q.to)
                        .unix_timestamp()
                })
                .collect(),
            GroupBy::Manager => vec![q.to.unix_timestamp()],
            _ => return,
        };
        let loads = r.load_at(&ends);
        let sum = |l: &HashMap<u32, i64>| -> i64 {
            l.iter()
                .filter(|(m, _)| only.is_none_or(|o| o == Some(**m)))
                .map(|(_, n)| *n)
                .sum()
        };
        for (key, figures) in groups.iter_mut() {
            figures.open_at_end = match key {
                GroupKey::Period(_, start) => bounds
                    .iter()
                    .position(|b| b.1 == *start)
                    .map(|i| sum(&loads[i])),
                GroupKey::Manager(Some(u)) => Some(
                    r.manager_of(u)
                        .and_then(|m| loads[0].get(&m).copied())
                        .unwrap_or(0),
                ),
                _ => None,
            };
        }
    }
}

/// Who a report is for: a manager sees their own figures only.
pub fn own_figures(q: &mut ReportQuery, viewer: &chatd_domain::Principal) {
    if !chatd_domain::dialog::sees_all(viewer) {
        q.manager = viewer.user_id();
    }
}

impl Reports {
    /// How many facts are kept (for the bench and `/metrics`).
    pub fn len(&self) -> usize {
        self.days.values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.days.is_empty()
    }
}

mod dialogs;
#[cfg(test)]
mod tests;
