//! R36: a report over a period, grouped by day, week or month in the shop's time zone, or by
//! manager, channel or tag, and one row per dialog. Medians and p90 (nearest rank) beside
//! means; with a calendar, the same times again in working hours.

use super::reports::{Rec, Reports};
use super::ReadModel;
use chatd_domain::reports::{median_p90, periods, Measure, Unit};
use chatd_domain::{ChannelId, DialogId, TagId, UserId};
use std::collections::HashMap;
use time::OffsetDateTime;

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
    fn of(mut values: Vec<i64>) -> Stat {
        let count = values.len() as u64;
        let mean = (count > 0).then(|| values.iter().sum::<i64>() as f64 / count as f64);
        let (median, p90) = median_p90(&mut values).unzip();
        Stat {
            count,
            mean,
            median,
            p90,
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
    wall: [Vec<i64>; 4],
    working: [Vec<i64>; 4],
    warnings: u64,
    breaches: u64,
}

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

impl ReadModel {
    fn zone(&self) -> &str {
        self.calendar
            .as_ref()
            .map_or("UTC", |c| c.time_zone.as_str())
    }

    /// The facts of `q`'s period that pass its filters, with their dialog's index.
    fn report_facts<'a>(&'a self, q: &'a ReportQuery) -> impl Iterator<Item = &'a Rec> + 'a {
        let r = &self.reports;
        let manager = q.manager.map(|u| r.manager_of(&u));
        r.facts(q.from.unix_timestamp(), q.to.unix_timestamp())
            .filter(move |f| {
                let d = &r.dialogs[f.dialog as usize];
                !d.deleted
                    && q.channel.is_none_or(|c| d.channel == c)
                    && manager.is_none_or(|m| m == Some(f.manager))
                    && q.tag
                        .is_none_or(|t| self.tags_of(d.customer).any(|x| x == t))
            })
    }

    fn tags_of(&self, c: Option<chatd_domain::CustomerId>) -> impl Iterator<Item = TagId> + '_ {
        c.and_then(|c| self.customers.get(&c))
            .into_iter()
            .flat_map(|c| c.tags.keys().copied())
    }

    fn add(&self, acc: &mut Acc, f: &Rec) {
        match slot(f.measure) {
            Err(i) => acc.counts[i] += 1,
            Ok(i) => {
                acc.wall[i].push(f.seconds.into());
                if f.working >= 0 {
                    acc.working[i].push(f.working.into());
                }
                if f.measure == Measure::Response {
                    let channel = self.reports.dialogs[f.dialog as usize].channel;
                    if let Some(limit) = self.dialogs.waiting.limits.for_channel(channel) {
                        let working = self.calendar.as_ref().is_some_and(|c| c.working_hours_only);
                        let v = if working && f.working >= 0 {
                            f.working
                        } else {
                            f.seconds
                        };
                        let v = i64::from(v);
                        acc.warnings += u64::from(v >= i64::from(limit.warning_after));
                        acc.breaches += u64::from(v >= i64::from(limit.limit));
                    }
                }
            }
        }
    }

    /// R36's summary of `q`.
    pub fn report_summary(&self, q: &ReportQuery) -> ReportSummary {
        let r = &self.reports;
        let working = self.calendar.is_some();
        let mut total = Acc::default();
        let mut groups: HashMap<GroupKey, Acc> = HashMap::new();
        let bounds = match q.group_by {
            GroupBy::Period(unit) => periods(self.zone(), q.from, q.to, unit),
            _ => vec![],
        };
        for f in self.report_facts(q) {
            self.add(&mut total, f);
            let at = OffsetDateTime::from_unix_timestamp(f.at).unwrap_or(q.from);
            let d = &r.dialogs[f.dialog as usize];
            let manager = r.managers.get(f.manager as usize).copied();
            match q.group_by {
                GroupBy::Period(_) => {
                    let i = bounds.partition_point(|(_, s)| *s <= at);
                    if let Some((label, start)) = i.checked_sub(1).and_then(|i| bounds.get(i)) {
                        let key = GroupKey::Period(label.clone(), *start);
                        self.add(groups.entry(key).or_default(), f);
                    }
                }
                GroupBy::Manager => {
                    self.add(groups.entry(GroupKey::Manager(manager)).or_default(), f)
                }
                GroupBy::Channel => {
                    self.add(groups.entry(GroupKey::Channel(d.channel)).or_default(), f)
                }
                GroupBy::Tag => {
                    let mut any = false;
                    for t in self.tags_of(d.customer) {
                        any = true;
                        self.add(groups.entry(GroupKey::Tag(Some(t))).or_default(), f);
                    }
                    if !any {
                        self.add(groups.entry(GroupKey::Tag(None)).or_default(), f);
                    }
                }
            }
        }
        // Every period is listed, empty or not.
        for (label, start) in &bounds {
            groups
                .entry(GroupKey::Period(label.clone(), *start))
                .or_default();
        }
        let mut groups: Vec<(GroupKey, Figures)> = groups
            .into_iter()
            .map(|(k, acc)| (k, acc.figures(working)))
            .collect();
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

    /// R36: one row per dialog with a fact in `q`'s period, in the order of its first.
    pub fn report_dialogs(&self, q: &ReportQuery) -> Vec<DialogFigures> {
        let r = &self.reports;
        let mut rows: HashMap<u32, (DialogFigures, Vec<i64>)> = HashMap::new();
        for f in self.report_facts(q) {
            let (row, responses) = rows.entry(f.dialog).or_insert_with(|| {
                let d = &r.dialogs[f.dialog as usize];
                (
                    DialogFigures {
                        dialog_id: Some(d.id),
                        channel_id: Some(d.channel),
                        customer_id: d.customer,
                        ..Default::default()
                    },
                    Vec::new(),
                )
            });
            let at = OffsetDateTime::from_unix_timestamp(f.at).ok();
            row.first_fact_at = row.first_fact_at.min(at).or(at);
            let s = i64::from(f.seconds);
            match f.measure {
                Measure::Opened | Measure::Reopened => row.openings += 1,
                Measure::Closed => row.closed += 1,
                Measure::MessageIn => row.messages_in += 1,
                Measure::MessageByPerson | Measure::MessageByBot | Measure::MessageTemplate => {
                    row.messages_out += 1
                }
                Measure::AwayReply => {}
                Measure::FirstResponse => {
                    row.first_response.get_or_insert(s);
                }
                Measure::FirstResponseInclBot => {
                    row.first_response_incl_bot.get_or_insert(s);
                }
                Measure::Resolution => row.resolution = Some(row.resolution.unwrap_or(0) + s),
                Measure::Response => responses.push(s),
            }
        }
        let mut out: Vec<DialogFigures> = rows
            .into_values()
            .map(|(mut row, responses)| {
                row.responses = Stat::of(responses);
                row
            })
            .collect();
        out.sort_by_key(|d| (d.first_fact_at, d.dialog_id));
        out
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
