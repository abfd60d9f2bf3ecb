//! Chat settings (`settings-chat`): R15's time limits and R37's calendar.

use super::*;
use crate::calendar::Calendar;

/// R15: seconds, multiples of 10, at least 10; `warning_after <= limit`.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeLimit {
    pub warning_after: u32,
    pub limit: u32,
}

impl TimeLimit {
    pub fn validate(&self) -> Result<(), DomainError> {
        for (field, v) in [("warning_after", self.warning_after), ("limit", self.limit)] {
            if v < 10 || v % 10 != 0 {
                return Err(DomainError::invalid(
                    field,
                    "seconds, a multiple of 10 and at least 10",
                ));
            }
        }
        if self.warning_after > self.limit {
            return Err(DomainError::invalid(
                "warning_after",
                "must not be later than limit",
            ));
        }
        Ok(())
    }
}

#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeLimits {
    pub default: Option<TimeLimit>,
    #[serde(default)]
    pub channels: BTreeMap<ChannelId, TimeLimit>,
}

impl TimeLimits {
    /// The limit that applies to a dialog of `channel`, if any.
    pub fn for_channel(&self, channel: ChannelId) -> Option<TimeLimit> {
        self.channels.get(&channel).copied().or(self.default)
    }

    /// Whether any time limit is configured (R15: otherwise `processing_order` is unavailable).
    pub fn any(&self) -> bool {
        self.default.is_some() || !self.channels.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum SettingsEvent {
    TimeLimitsSet(TimeLimits),
    /// R37: the shop's calendar, replacing the last one.
    CalendarSet(Box<Calendar>),
    /// R37: the shop keeps no calendar any more (always open).
    CalendarRemoved {},
}

impl DomainEvent for SettingsEvent {
    const CATEGORY: &'static str = "settings";
}

/// The id of the one settings stream, `settings-chat`.
pub const SETTINGS_ID: &str = "chat";
/// The one `settings-chat` stream.
pub const SETTINGS_STREAM: &str = "settings-chat";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    pub time_limits: TimeLimits,
    pub calendar: Option<Box<Calendar>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsCommand {
    SetTimeLimits(TimeLimits),
    /// R37: `None` removes the calendar.
    SetCalendar(Option<Box<Calendar>>),
}

pub fn decide_settings(
    state: &Settings,
    cmd: &Command<SettingsCommand>,
) -> Result<Vec<SettingsEvent>, DomainError> {
    require_right(&cmd.by, Right::SettingsManage)?;
    let limits = match &cmd.body {
        SettingsCommand::SetTimeLimits(limits) => limits,
        SettingsCommand::SetCalendar(calendar) => {
            if let Some(c) = calendar {
                c.validate()?;
            }
            return Ok(match calendar {
                _ if *calendar == state.calendar => vec![],
                Some(c) => vec![SettingsEvent::CalendarSet(c.clone())],
                None => vec![SettingsEvent::CalendarRemoved {}],
            });
        }
    };
    if let Some(d) = &limits.default {
        d.validate()?;
    }
    for l in limits.channels.values() {
        l.validate()?;
    }
    Ok(if *limits == state.time_limits {
        vec![]
    } else {
        vec![SettingsEvent::TimeLimitsSet(limits.clone())]
    })
}

pub fn evolve_settings(mut state: Settings, recorded: &Recorded<SettingsEvent>) -> Settings {
    match &recorded.event {
        SettingsEvent::TimeLimitsSet(limits) => state.time_limits = limits.clone(),
        SettingsEvent::CalendarSet(c) => state.calendar = Some(c.clone()),
        SettingsEvent::CalendarRemoved {} => state.calendar = None,
    }
    state
}

crate::aggregate::aggregate!(
    Settings,
    SettingsEvent,
    SettingsCommand,
    decide_settings,
    evolve_settings
);
