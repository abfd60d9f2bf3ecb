//! R15: the waiting clock of a dialog. A dialog waits from the first customer message after it
//! was opened or after the last manager reply; with a time limit for its channel its reply
//! deadline is `waiting_since + limit`, and its level turns `warning` after `warning_after` and
//! `danger` at the deadline. One function each, used by the read models (processing order, the
//! timer that pushes level changes) and by the views alike. Time comes in as a value.

use crate::dialog::DialogStatus;
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
    pub limit: TimeLimit,
}

impl Clock {
    pub fn of(
        status: DialogStatus,
        waiting_since: Option<OffsetDateTime>,
        limit: Option<TimeLimit>,
    ) -> Option<Clock> {
        match (status, waiting_since, limit) {
            (DialogStatus::Open, Some(since), Some(limit)) => Some(Clock { since, limit }),
            _ => None,
        }
    }

    /// When the level turns `warning`.
    pub fn warning_at(self) -> OffsetDateTime {
        self.since + Duration::seconds(self.limit.warning_after.into())
    }

    /// The reply deadline, when the level turns `danger`.
    pub fn deadline(self) -> OffsetDateTime {
        self.since + Duration::seconds(self.limit.limit.into())
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
    fn r15_crossings_are_the_moments_the_level_changes() {
        let c = Clock::of(DialogStatus::Open, Some(T0), Some(LIMIT)).unwrap();
        let at = |s: i64| T0 + Duration::seconds(s);
        assert!(c.crosses(at(59), at(60)));
        assert!(!c.crosses(at(60), at(61)));
        assert!(c.crosses(at(119), at(121)));
        assert!(!c.crosses(at(121), at(500)));
    }
}
