//! R37: the shop calendar. Weekly opening hours in the shop's time zone (IANA names, the rules
//! from jiff's bundled tz database: no I/O), optionally overridden per channel, and holidays
//! (local dates, closed all day). Pure functions answer what the away reply, R15's
//! working-hours clock and the console need: is the shop open at an instant, when does it open
//! next, when did it last close, and how many working seconds lie between two instants.
//!
//! Local times are civil: "09:00" on the day the clocks go forward is 09:00 after the change; an
//! opening time that does not exist that day (inside the gap) moves forward by the gap's length
//! (02:30 becomes 03:30), and one that exists twice (inside the overlap) is the earlier (jiff's
//! "compatible" rule, as RFC 5545).

use crate::error::DomainError;
use crate::ids::ChannelId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::{Date, Duration, OffsetDateTime};

/// Opening periods a day may have.
pub const MAX_PERIODS_PER_DAY: usize = 8;
/// Holidays a calendar may list.
pub const MAX_HOLIDAYS: usize = 1000;
/// Channels with their own hours.
pub const MAX_CHANNEL_OVERRIDES: usize = 1000;
/// How far ahead a search for the next opening or closing looks (a shop closed longer is closed).
const HORIZON_DAYS: i64 = 400;

/// A local time of day in minutes, `"HH:MM"` on the wire; `"24:00"` is the end of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalTime(pub u16);

impl LocalTime {
    pub fn parse(s: &str) -> Option<LocalTime> {
        let (h, m) = s.split_once(':')?;
        if h.len() != 2 || m.len() != 2 {
            return None;
        }
        let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
        (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(LocalTime(h * 60 + m))
    }
}

impl std::fmt::Display for LocalTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl Serialize for LocalTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for LocalTime {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        LocalTime::parse(&s)
            .ok_or_else(|| serde::de::Error::custom("a local time \"HH:MM\" from 00:00 to 24:00"))
    }
}

/// One opening period of a day, `from` before `to`.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    #[cfg_attr(feature = "schema", schema(value_type = String, example = "09:00"))]
    pub from: LocalTime,
    #[cfg_attr(feature = "schema", schema(value_type = String, example = "18:00"))]
    pub to: LocalTime,
}

/// Opening periods per weekday; a day not listed is closed.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Week {
    #[serde(default)]
    pub mon: Vec<Period>,
    #[serde(default)]
    pub tue: Vec<Period>,
    #[serde(default)]
    pub wed: Vec<Period>,
    #[serde(default)]
    pub thu: Vec<Period>,
    #[serde(default)]
    pub fri: Vec<Period>,
    #[serde(default)]
    pub sat: Vec<Period>,
    #[serde(default)]
    pub sun: Vec<Period>,
}

impl Week {
    fn day(&self, d: time::Weekday) -> &[Period] {
        use time::Weekday::*;
        match d {
            Monday => &self.mon,
            Tuesday => &self.tue,
            Wednesday => &self.wed,
            Thursday => &self.thu,
            Friday => &self.fri,
            Saturday => &self.sat,
            Sunday => &self.sun,
        }
    }

    fn days(&self) -> [(&'static str, &[Period]); 7] {
        [
            ("mon", &self.mon),
            ("tue", &self.tue),
            ("wed", &self.wed),
            ("thu", &self.thu),
            ("fri", &self.fri),
            ("sat", &self.sat),
            ("sun", &self.sun),
        ]
    }

    fn validate(&self, field: &'static str, at: &str) -> Result<(), DomainError> {
        for (name, periods) in self.days() {
            let at = format!("{at}{name}");
            if periods.len() > MAX_PERIODS_PER_DAY {
                return Err(DomainError::invalid(
                    field,
                    format!("{at}: at most {MAX_PERIODS_PER_DAY} periods a day"),
                ));
            }
            let mut sorted = periods.to_vec();
            sorted.sort_by_key(|p| p.from);
            for p in &sorted {
                if p.from >= p.to {
                    return Err(DomainError::invalid(
                        field,
                        format!("{at}: a period ends after it starts ({}–{})", p.from, p.to),
                    ));
                }
            }
            if sorted.windows(2).any(|w| w[0].to > w[1].from) {
                return Err(DomainError::invalid(
                    field,
                    format!("{at}: periods must not overlap"),
                ));
            }
        }
        Ok(())
    }

    fn is_empty(&self) -> bool {
        self.days().iter().all(|(_, p)| p.is_empty())
    }
}

/// R37: the shop's calendar.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calendar {
    /// An IANA time zone name, e.g. `Europe/Berlin`.
    pub time_zone: String,
    /// The shop's weekly hours.
    pub week: Week,
    /// Local dates the shop is closed all day (every channel), `YYYY-MM-DD`.
    #[serde(default, with = "dates")]
    #[cfg_attr(feature = "schema", schema(value_type = Vec<String>, example = json!(["2026-12-25"])))]
    pub holidays: Vec<Date>,
    /// Channels with hours of their own instead of the shop's.
    #[serde(default)]
    pub channels: BTreeMap<ChannelId, Week>,
    /// R15: count a dialog's waiting time in working hours only.
    #[serde(default)]
    pub working_hours_only: bool,
}

/// Dates as `YYYY-MM-DD` strings.
mod dates {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    const FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
        time::macros::format_description!("[year]-[month]-[day]");

    pub fn serialize<S: Serializer>(dates: &[Date], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(dates.iter().map(|d| d.format(FORMAT).unwrap_or_default()))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Date>, D::Error> {
        Vec::<String>::deserialize(d)?
            .iter()
            .map(|s| {
                Date::parse(s, FORMAT).map_err(|_| {
                    serde::de::Error::custom(format!("{s:?} is not a date YYYY-MM-DD"))
                })
            })
            .collect()
    }
}

/// Whether the shop is open at an instant, and until or from when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenState {
    /// Open; closes at `closes` (`None`: not within the horizon).
    Open { closes: Option<OffsetDateTime> },
    /// Closed since `since` (`None`: not within the horizon) until `opens` (`None`: never).
    Closed {
        since: Option<OffsetDateTime>,
        opens: Option<OffsetDateTime>,
    },
}

impl Calendar {
    pub fn validate(&self) -> Result<(), DomainError> {
        self.zone()?;
        self.week.validate("week", "")?;
        if self.holidays.len() > MAX_HOLIDAYS {
            return Err(DomainError::invalid(
                "holidays",
                format!("at most {MAX_HOLIDAYS} dates"),
            ));
        }
        if self.channels.len() > MAX_CHANNEL_OVERRIDES {
            return Err(DomainError::invalid(
                "channels",
                format!("at most {MAX_CHANNEL_OVERRIDES} channels"),
            ));
        }
        for (id, week) in &self.channels {
            week.validate("channels", &format!("{id}: "))?;
        }
        Ok(())
    }

    fn zone(&self) -> Result<jiff::tz::TimeZone, DomainError> {
        jiff::tz::TimeZone::get(&self.time_zone)
            .map_err(|_| DomainError::invalid("time_zone", "not a time zone of the IANA database"))
    }

    fn week_of(&self, channel: Option<ChannelId>) -> &Week {
        channel
            .and_then(|c| self.channels.get(&c))
            .unwrap_or(&self.week)
    }

    /// The opening periods of local date `date` for `channel`, as instants, in order.
    fn periods_on(
        &self,
        tz: &jiff::tz::TimeZone,
        week: &Week,
        date: Date,
    ) -> Vec<(OffsetDateTime, OffsetDateTime)> {
        if self.holidays.contains(&date) {
            return Vec::new();
        }
        let mut periods: Vec<_> = week
            .day(date.weekday())
            .iter()
            .filter_map(|p| Some((instant(tz, date, p.from)?, instant(tz, date, p.to)?)))
            .filter(|(a, b)| a < b)
            .collect();
        periods.sort();
        periods
    }

    /// Every opening period (as instants) from the local day before `from`'s, day by day,
    /// for at most the horizon.
    fn periods_from(
        &self,
        channel: Option<ChannelId>,
        from: OffsetDateTime,
    ) -> impl Iterator<Item = (OffsetDateTime, OffsetDateTime)> + '_ {
        let tz = self.zone().unwrap_or(jiff::tz::TimeZone::UTC);
        let week = self.week_of(channel);
        let start = local_date(&tz, from).previous_day().unwrap_or(Date::MIN);
        let empty = week.is_empty();
        (0..HORIZON_DAYS)
            .take_while(move |_| !empty)
            .filter_map(move |i| start.checked_add(Duration::days(i)))
            .flat_map(move |d| self.periods_on(&tz, week, d))
    }

    /// Open or closed at `at`, and until or since when.
    pub fn state(&self, channel: Option<ChannelId>, at: OffsetDateTime) -> OpenState {
        for (a, b) in self.periods_from(channel, at) {
            if b <= at {
                continue;
            }
            if a <= at {
                // Adjacent periods (18:00–24:00, then 00:00–02:00) are one.
                let mut closes = b;
                for (c, d) in self.periods_from(channel, b) {
                    if c > closes {
                        break;
                    }
                    closes = closes.max(d);
                }
                return OpenState::Open {
                    closes: Some(closes),
                };
            }
            return OpenState::Closed {
                since: self.last_close(channel, at),
                opens: Some(a),
            };
        }
        OpenState::Closed {
            since: self.last_close(channel, at),
            opens: None,
        }
    }

    /// The end of the last opening period before `at` (within the horizon).
    fn last_close(&self, channel: Option<ChannelId>, at: OffsetDateTime) -> Option<OffsetDateTime> {
        let tz = self.zone().unwrap_or(jiff::tz::TimeZone::UTC);
        let week = self.week_of(channel);
        if week.is_empty() {
            return None;
        }
        let start = local_date(&tz, at).next_day()?;
        (0..HORIZON_DAYS)
            .filter_map(|i| start.checked_sub(Duration::days(i)))
            .find_map(|d| {
                self.periods_on(&tz, week, d)
                    .into_iter()
                    .rev()
                    .map(|(_, b)| b)
                    .find(|b| *b <= at)
            })
    }

    pub fn is_open(&self, channel: Option<ChannelId>, at: OffsetDateTime) -> bool {
        matches!(self.state(channel, at), OpenState::Open { .. })
    }

    /// When the shop opens next: `at` itself while it is open, `None` if it never does.
    pub fn next_open(
        &self,
        channel: Option<ChannelId>,
        at: OffsetDateTime,
    ) -> Option<OffsetDateTime> {
        match self.state(channel, at) {
            OpenState::Open { .. } => Some(at),
            OpenState::Closed { opens, .. } => opens,
        }
    }

    /// Working seconds in `[from, to)`.
    pub fn working_seconds(
        &self,
        channel: Option<ChannelId>,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> i64 {
        let mut total = Duration::ZERO;
        for (a, b) in self.periods_from(channel, from) {
            if a >= to {
                break;
            }
            let (a, b) = (a.max(from), b.min(to));
            if b > a {
                total += b - a;
            }
        }
        total.whole_seconds()
    }

    /// The instant when `seconds` of working time have passed since `from` (`None`: not within
    /// the horizon).
    pub fn add_working(
        &self,
        channel: Option<ChannelId>,
        from: OffsetDateTime,
        seconds: i64,
    ) -> Option<OffsetDateTime> {
        let mut left = Duration::seconds(seconds);
        for (a, b) in self.periods_from(channel, from) {
            if b <= from {
                continue;
            }
            let a = a.max(from);
            if b - a >= left {
                return Some(a + left);
            }
            left -= b - a;
        }
        None
    }
}

fn local_date(tz: &jiff::tz::TimeZone, at: OffsetDateTime) -> Date {
    let ts =
        jiff::Timestamp::from_second(at.unix_timestamp()).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let d = ts.to_zoned(tz.clone()).date();
    let month = time::Month::try_from(d.month() as u8).unwrap_or(time::Month::January);
    Date::from_calendar_date(d.year().into(), month, d.day() as u8).unwrap_or(Date::MIN)
}

/// The instant of local time `t` on local date `date` ("24:00" is the next day's 00:00).
fn instant(tz: &jiff::tz::TimeZone, date: Date, t: LocalTime) -> Option<OffsetDateTime> {
    let (date, minutes) = if t.0 == 24 * 60 {
        (date.next_day()?, 0)
    } else {
        (date, t.0)
    };
    let civil = jiff::civil::DateTime::new(
        date.year().try_into().ok()?,
        u8::from(date.month()) as i8,
        date.day() as i8,
        (minutes / 60) as i8,
        (minutes % 60) as i8,
        0,
        0,
    )
    .ok()?;
    let zoned = tz.to_ambiguous_zoned(civil).compatible().ok()?;
    OffsetDateTime::from_unix_timestamp(zoned.timestamp().as_second()).ok()
}

#[cfg(test)]
mod tests;
