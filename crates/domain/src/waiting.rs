//! R15: the waiting clock of a dialog. A dialog waits from the first customer message after it
//! was opened or after the last manager reply; with a time limit for its channel its reply
//! deadline is `waiting_since + limit`, and its level turns `warning` after `warning_after` and
//! `danger` at the deadline. One function each, used by the read models (processing order, the
//! timer that pushes level changes) and by the views alike. Time comes in as a value.
//!
//! R37: when the shop's calendar says so (`working_hours_only`), the limit is working time: the
//! warning and the deadline are the moments that much working time has passed (a Friday-night
//! message with a one-hour limit is due at Monday's opening plus an hour).

use crate::calendar::Calendar;
use crate::dialog::DialogStatus;
use crate::ids::ChannelId;
use crate::setup::TimeLimit;
use serde::Serialize;
use time::{Duration, OffsetDateTime};

/// R15: `none`, `warning` or `danger` at `now`.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Serialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
pub enum WaitingLevel {
    None,
    Warning,
    Danger,
}

/// A dialog's clock: running while it is open, waiting, and its channel has a time limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pub since: OffsetDateTime,
    warning_at: OffsetDateTime,
    deadline: OffsetDateTime,
}

impl Clock {
    pub fn of(
        status: DialogStatus,
        waiting_since: Option<OffsetDateTime>,
        limit: Option<TimeLimit>,
    ) -> Option<Clock> {
        match (status, waiting_since, limit) {
            (DialogStatus::Open, Some(since), Some(limit)) => Some(Clock {
                since,
                warning_at: since + Duration::seconds(limit.warning_after.into()),
                deadline: since + Duration::seconds(limit.limit.into()),
            }),
            _ => None,
        }
    }

    /// R37: the clock in working time of `channel` under `calendar` (none when the shop does
    /// not open again within the calendar's horizon).
    pub fn working(
        status: DialogStatus,
        waiting_since: Option<OffsetDateTime>,
        limit: Option<TimeLimit>,
        calendar: &Calendar,
        channel: ChannelId,
    ) -> Option<Clock> {
        let wall = Clock::of(status, waiting_since, limit)?;
        let limit = limit?;
        let at = |s: u32| calendar.add_working(Some(channel), wall.since, s.into());
        Some(Clock {
            since: wall.since,
            warning_at: at(limit.warning_after)?,
            deadline: at(limit.limit)?,
        })
    }

    /// When the level turns `warning`.
    pub fn warning_at(self) -> OffsetDateTime {
        self.warning_at
    }

    /// The reply deadline, when the level turns `danger`.
    pub fn deadline(self) -> OffsetDateTime {
        self.deadline
    }

    pub fn level(self, now: OffsetDateTime) -> WaitingLevel {
        if now >= self.deadline() {
            WaitingLevel::Danger
        } else if now >= self.warning_at() {
            WaitingLevel::Warning
        } else {
            WaitingLevel::None
        }
    }

    /// Whether the level changes by itself in `(from, to]`.
    pub fn crosses(self, from: OffsetDateTime, to: OffsetDateTime) -> bool {
        [self.warning_at(), self.deadline()]
            .into_iter()
            .any(|t| t > from && t <= to)
    }
}

/// R15: the level of a dialog at `now` (`none` without a running clock).
pub fn level(clock: Option<Clock>, now: OffsetDateTime) -> WaitingLevel {
    clock.map_or(WaitingLevel::None, |c| c.level(now))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const T0: OffsetDateTime = datetime!(2026-11-24 10:00 UTC);
    const LIMIT: TimeLimit = TimeLimit {
        warning_after: 60,
        limit: 120,
    };

    #[test]
    fn r15_the_level_turns_warning_then_danger_and_only_while_open_and_waiting() {
        let c = Clock::of(DialogStatus::Open, Some(T0), Some(LIMIT)).unwrap();
        assert_eq!(c.deadline(), T0 + Duration::seconds(120));
        assert_eq!(c.level(T0 + Duration::seconds(59)), WaitingLevel::None);
        assert_eq!(c.level(T0 + Duration::seconds(60)), WaitingLevel::Warning);
        assert_eq!(c.level(T0 + Duration::seconds(120)), WaitingLevel::Danger);
        assert!(Clock::of(DialogStatus::Closed, Some(T0), Some(LIMIT)).is_none());
        assert!(Clock::of(DialogStatus::Open, None, Some(LIMIT)).is_none());
        assert!(Clock::of(DialogStatus::Open, Some(T0), None).is_none());
        assert_eq!(level(None, T0), WaitingLevel::None);
    }

    #[test]
    fn r37_in_working_hours_the_limit_counts_only_open_time() {
        use crate::calendar::{LocalTime, Period, Week};
        let day = vec![Period {
            from: LocalTime(9 * 60),
            to: LocalTime(18 * 60),
        }];
        let calendar = Calendar {
            time_zone: "UTC".into(),
            week: Week {
                mon: day.clone(),
                tue: day.clone(),
                wed: day.clone(),
                thu: day.clone(),
                fri: day,
                ..Week::default()
            },
            holidays: vec![],
            channels: Default::default(),
            working_hours_only: true,
        };
        let channel = ChannelId::from(uuid::Uuid::nil());
        // Friday 17:59: one working minute left today, then Monday from 09:00.
        let friday = datetime!(2026-11-27 17:59 UTC);
        let c = Clock::working(
            DialogStatus::Open,
            Some(friday),
            Some(LIMIT),
            &calendar,
            channel,
        )
        .unwrap();
        assert_eq!(c.warning_at(), datetime!(2026-11-27 18:00 UTC));
        assert_eq!(c.deadline(), datetime!(2026-11-30 09:01 UTC));
        assert_eq!(
            c.level(datetime!(2026-11-29 12:00 UTC)),
            WaitingLevel::Warning
        );
        let closed_for_good = Calendar {
            week: Week::default(),
            ..calendar
        };
        assert!(Clock::working(
            DialogStatus::Open,
            Some(friday),
            Some(LIMIT),
            &closed_for_good,
            channel
        )
        .is_none());
    }

    #[test]
    fn r15_crossings_are_the_moments_the_level_changes() {
        let c = Clock::of(DialogStatus::Open, Some(T0), Some(LIMIT)).unwrap();
        let at = |s: i64| T0 + Duration::seconds(s);
        assert!(c.crosses(at(59), at(60)));
        assert!(!c.crosses(at(60), at(61)));
        assert!(c.crosses(at(119), at(121)));
        assert!(!c.crosses(at(121), at(500)));
    }
}
