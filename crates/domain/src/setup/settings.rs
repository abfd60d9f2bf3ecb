//! Chat settings (`settings-chat`, R15): the time limits.

use super::*;

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
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsCommand {
    SetTimeLimits(TimeLimits),
}

pub fn decide_settings(
    state: &Settings,
    cmd: &Command<SettingsCommand>,
) -> Result<Vec<SettingsEvent>, DomainError> {
    require_right(&cmd.by, Right::SettingsManage)?;
    let SettingsCommand::SetTimeLimits(limits) = &cmd.body;
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
    let SettingsEvent::TimeLimitsSet(limits) = &recorded.event;
    state.time_limits = limits.clone();
    state
}

crate::aggregate::aggregate!(
    Settings,
    SettingsEvent,
    SettingsCommand,
    decide_settings,
    evolve_settings
);
