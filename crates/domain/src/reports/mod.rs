//! R36: what a report counts, as pure functions of a dialog's events (`docs/REPORTS.md` has the
//! definitions with worked examples). [`ReportFold`] walks one dialog's stream and gives the
//! facts each event completes: a count (opened, reopened, closed, a message by kind) or a
//! measured interval (first response, response, resolution), each with the moment it belongs
//! to and the manager it is attributed to. The read model keeps the facts and groups them;
//! changing a definition here changes [`DEFINITIONS`], and every past figure is recomputed
//! from the log.

use crate::actor::{Actor, Assignee};
use crate::dialog::DialogEvent;
use crate::ids::UserId;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The version of the definitions below; reports name it, and a read model built under
/// another is rebuilt from the log.
pub const DEFINITIONS: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// A dialog opened (its first customer message).
    Opened,
    /// A closed dialog reopened (by the customer or a manager).
    Reopened,
    Closed,
    /// A customer's message.
    MessageIn,
    /// A free-form message by a person (a user).
    MessageByPerson,
    /// A free-form message by a bot.
    MessageByBot,
    /// A template (R26), by a person or a bot.
    MessageTemplate,
    /// R37's away reply (author `system`): never an answer.
    AwayReply,
    /// From the opening's first customer message to the first reply by a person.
    FirstResponse,
    /// The same, to the first reply by a person or a bot.
    FirstResponseInclBot,
    /// A customer's turn (from its first message to the next reply by a person).
    Response,
    /// From opening (or reopening) to closing.
    Resolution,
}

impl Measure {
    /// Whether the fact is an interval (a duration) rather than a count.
    pub fn is_duration(self) -> bool {
        matches!(
            self,
            Measure::FirstResponse
                | Measure::FirstResponseInclBot
                | Measure::Response
                | Measure::Resolution
        )
    }
}

/// One fact of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fact {
    pub measure: Measure,
    /// The moment the fact belongs to: the event's for counts, and for a duration the start of
    /// its interval (the opening's first customer message for a first response, the opening's
    /// start for a resolution, the turn's start for a response).
    pub at: OffsetDateTime,
    /// The manager it is attributed to: the replier for response times, the responsible at
    /// the moment for counts and resolution; `None` for unassigned, bots and the system.
    pub manager: Option<UserId>,
    /// For durations: the interval measured, `[from, to)`.
    pub interval: Option<(OffsetDateTime, OffsetDateTime)>,
}

/// What the definitions need to remember of one dialog while its events are walked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportFold {
    responsible: Option<Assignee>,
    /// The current opening's start, while the dialog is open.
    opened_at: Moment,
    /// The opening's first customer message (as R15 dates it).
    first_customer: Moment,
    first_person_done: bool,
    first_any_done: bool,
    /// The customer's turn waiting for a person's reply: since when.
    turn: Moment,
}

/// A moment to the second in 4 bytes (there is a fold per dialog): seconds since 2000-01-01
/// UTC, `0` for none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Moment(u32);

impl Moment {
    const EPOCH: i64 = 946_684_800;

    fn of(t: OffsetDateTime) -> Moment {
        Moment((t.unix_timestamp() - Self::EPOCH).clamp(1, u32::MAX as i64) as u32)
    }

    fn get(self) -> Option<OffsetDateTime> {
        (self.0 != 0)
            .then(|| OffsetDateTime::from_unix_timestamp(i64::from(self.0) + Self::EPOCH).ok())
            .flatten()
    }

    fn or(self, t: OffsetDateTime) -> Moment {
        if self.0 == 0 {
            Moment::of(t)
        } else {
            self
        }
    }
}

fn manager_of(a: Option<Assignee>) -> Option<UserId> {
    match a {
        Some(Assignee::User { id }) => Some(id),
        _ => None,
    }
}

impl ReportFold {
    /// The dialog's responsible, as its events said.
    pub fn responsible(&self) -> Option<Assignee> {
        self.responsible
    }

    /// The facts `e` (recorded at `at`) completes.
    pub fn apply(&mut self, at: OffsetDateTime, e: &DialogEvent) -> Vec<Fact> {
        let count = |measure, manager| Fact {
            measure,
            at,
            manager,
            interval: None,
        };
        let responsible = manager_of(self.responsible);
        match e {
            DialogEvent::DialogOpened { .. } | DialogEvent::DialogReopened {} => {
                *self = ReportFold {
                    responsible: self.responsible,
                    opened_at: Moment::of(at),
                    ..ReportFold::default()
                };
                let m = match e {
                    DialogEvent::DialogOpened { .. } => Measure::Opened,
                    _ => Measure::Reopened,
                };
                vec![count(m, responsible)]
            }
            DialogEvent::MessageReceived { sent_at, .. } => {
                // R15's date of a customer message: as the integration says, never later than
                // its receipt.
                let wrote = (*sent_at).min(at);
                if self.opened_at.get().is_some() {
                    self.first_customer = self.first_customer.or(wrote);
                    self.turn = self.turn.or(wrote);
                }
                vec![count(Measure::MessageIn, responsible)]
            }
            DialogEvent::MessageSent {
                author, template, ..
            } => self.sent(at, *author, template.is_some()),
            DialogEvent::Reassigned { to, .. } => {
                self.responsible = Some(*to);
                vec![]
            }
            DialogEvent::DialogClosed {} => {
                let mut facts = Vec::with_capacity(2);
                if let Some(start) = self.opened_at.get() {
                    facts.push(Fact {
                        measure: Measure::Resolution,
                        at: start,
                        manager: responsible,
                        interval: Some((start, at)),
                    });
                }
                facts.push(count(Measure::Closed, responsible));
                *self = ReportFold {
                    responsible: self.responsible,
                    ..ReportFold::default()
                };
                facts
            }
            _ => vec![],
        }
    }

    fn sent(&mut self, at: OffsetDateTime, author: Actor, template: bool) -> Vec<Fact> {
        let person = match author {
            Actor::User { id } => Some(id),
            _ => None,
        };
        let kind = match author {
            Actor::System => Measure::AwayReply,
            _ if template => Measure::MessageTemplate,
            Actor::User { .. } => Measure::MessageByPerson,
            _ => Measure::MessageByBot,
        };
        let mut facts = vec![Fact {
            measure: kind,
            at,
            manager: person,
            interval: None,
        }];
        if kind == Measure::AwayReply {
            return facts;
        }
        if let Some(first) = self.first_customer.get() {
            if !self.first_any_done {
                self.first_any_done = true;
                facts.push(Fact {
                    measure: Measure::FirstResponseInclBot,
                    at: first,
                    manager: person,
                    interval: Some((first, at)),
                });
            }
            if person.is_some() && !self.first_person_done {
                self.first_person_done = true;
                facts.push(Fact {
                    measure: Measure::FirstResponse,
                    at: first,
                    manager: person,
                    interval: Some((first, at)),
                });
            }
        }
        if person.is_some() {
            if let Some(start) = std::mem::take(&mut self.turn).get() {
                facts.push(Fact {
                    measure: Measure::Response,
                    at: start,
                    manager: person,
                    interval: Some((start, at)),
                });
            }
        }
        facts
    }
}

/// How a report groups time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Day,
    /// Weeks start on Monday.
    Week,
    Month,
}

/// The periods of `unit` that meet `[from, to)` in time zone `zone` (an IANA name; UTC when it
/// is unknown): each one's label (`2026-11-23`, the Monday of a week, `2026-11` for a month)
/// and its start, as an instant. At most 1000.
pub fn periods(
    zone: &str,
    from: OffsetDateTime,
    to: OffsetDateTime,
    unit: Unit,
) -> Vec<(String, OffsetDateTime)> {
    use jiff::civil::Date;
    use jiff::ToSpan;
    let tz = jiff::tz::TimeZone::get(zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let Ok(start) = jiff::Timestamp::from_second(from.unix_timestamp()) else {
        return vec![];
    };
    let local: Date = start.to_zoned(tz.clone()).date();
    let mut day = match unit {
        Unit::Day => local,
        Unit::Week => {
            let back = i64::from(local.weekday().to_monday_zero_offset());
            local.checked_sub(back.days()).unwrap_or(local)
        }
        Unit::Month => local.first_of_month(),
    };
    let mut out = Vec::new();
    while out.len() < 1000 {
        let Ok(zoned) = day.to_zoned(tz.clone()) else {
            break;
        };
        let Ok(at) = OffsetDateTime::from_unix_timestamp(zoned.timestamp().as_second()) else {
            break;
        };
        if at >= to {
            break;
        }
        let label = match unit {
            Unit::Month => format!("{:04}-{:02}", day.year(), day.month()),
            _ => format!("{:04}-{:02}-{:02}", day.year(), day.month(), day.day()),
        };
        out.push((label, at));
        let next = match unit {
            Unit::Day => day.checked_add(1.day()),
            Unit::Week => day.checked_add(7.days()),
            Unit::Month => day.checked_add(1.month()),
        };
        match next {
            Ok(n) => day = n,
            Err(_) => break,
        }
    }
    out
}

/// The start of local date `date` (`YYYY-MM-DD`) in time zone `zone`; `None` for no date.
pub fn day_start(zone: &str, date: &str) -> Option<OffsetDateTime> {
    let tz = jiff::tz::TimeZone::get(zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let d: jiff::civil::Date = date.parse().ok()?;
    let z = d.to_zoned(tz).ok()?;
    OffsetDateTime::from_unix_timestamp(z.timestamp().as_second()).ok()
}

/// The lower median and the 90th percentile (nearest rank) of `values`, which it reorders
/// (two selections, linear time, no full sort).
pub fn median_p90<T: Ord + Copy>(values: &mut [T]) -> Option<(T, T)> {
    if values.is_empty() {
        return None;
    }
    let n = values.len();
    let rank = |q: f64| ((q * n as f64).ceil() as usize).clamp(1, n) - 1;
    let (m, p) = (rank(0.5), rank(0.9));
    let (_, p90, _) = values.select_nth_unstable(p);
    let p90 = *p90;
    // Everything before `p` is not larger: the median is among them (or is it).
    let median = if m == p {
        p90
    } else {
        *values[..p].select_nth_unstable(m).1
    };
    Some((median, p90))
}

#[cfg(test)]
mod tests;
