//! R37's timers, derived from the log: every snoozed dialog's wake-up and every pending
//! scheduled message, ordered by when they are due. Nothing here is stored apart: a restart
//! rebuilds the same set (from the snapshot's rows and pending list, or from the log), so a timer
//! due while chatd was down is due at start. Whether a timer still applies when it fires is the
//! dialog's decision (`Wake`, `SendScheduled`), so a stale entry appends nothing.

use chatd_domain::dialog::DialogEvent;
use chatd_domain::{DialogId, Recorded, ScheduleId};
use std::collections::{BTreeSet, HashMap};
use time::OffsetDateTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Timer {
    /// The snooze of the dialog that ends at `until`.
    Wake {
        dialog: DialogId,
        until: OffsetDateTime,
    },
    /// A scheduled message of the dialog.
    Send {
        dialog: DialogId,
        schedule: ScheduleId,
    },
}

/// A pending scheduled message: its dialog and time (kept in the snapshot).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PendingSchedule {
    pub schedule_id: ScheduleId,
    pub dialog_id: DialogId,
    pub send_at: OffsetDateTime,
}

#[derive(Debug, Default)]
pub struct Timers {
    due: BTreeSet<(OffsetDateTime, Timer)>,
    snoozes: HashMap<DialogId, OffsetDateTime>,
    pub scheduled: HashMap<ScheduleId, PendingSchedule>,
}

impl Timers {
    /// Timers due at `now` or before, earliest first, at most `limit`.
    pub fn due(&self, now: OffsetDateTime, limit: usize) -> Vec<(OffsetDateTime, Timer)> {
        self.due
            .iter()
            .take_while(|(at, _)| *at <= now)
            .take(limit)
            .copied()
            .collect()
    }

    /// When the next timer is due.
    pub fn next(&self) -> Option<OffsetDateTime> {
        self.due.first().map(|(at, _)| *at)
    }

    /// When the first timer due after `now` is.
    pub fn next_after(&self, now: OffsetDateTime) -> Option<OffsetDateTime> {
        self.due.iter().map(|(at, _)| *at).find(|at| *at > now)
    }

    pub fn len(&self) -> usize {
        self.due.len()
    }

    pub fn is_empty(&self) -> bool {
        self.due.is_empty()
    }

    pub fn snooze(&mut self, dialog: DialogId, until: Option<OffsetDateTime>) {
        if let Some(old) = self.snoozes.remove(&dialog) {
            self.due.remove(&(old, Timer::Wake { dialog, until: old }));
        }
        if let Some(until) = until {
            self.snoozes.insert(dialog, until);
            self.due.insert((until, Timer::Wake { dialog, until }));
        }
    }

    pub fn schedule(&mut self, s: PendingSchedule) {
        self.unschedule(s.schedule_id);
        self.due.insert((
            s.send_at,
            Timer::Send {
                dialog: s.dialog_id,
                schedule: s.schedule_id,
            },
        ));
        self.scheduled.insert(s.schedule_id, s);
    }

    fn unschedule(&mut self, id: ScheduleId) {
        if let Some(old) = self.scheduled.remove(&id) {
            self.due.remove(&(
                old.send_at,
                Timer::Send {
                    dialog: old.dialog_id,
                    schedule: id,
                },
            ));
        }
    }

    /// A deleted or erased dialog keeps no timer.
    pub fn forget_dialog(&mut self, dialog: DialogId) {
        self.snooze(dialog, None);
        let ids: Vec<_> = self
            .scheduled
            .values()
            .filter(|s| s.dialog_id == dialog)
            .map(|s| s.schedule_id)
            .collect();
        ids.into_iter().for_each(|id| self.unschedule(id));
    }

    pub fn apply(&mut self, r: &Recorded<DialogEvent>, dialog: DialogId) {
        match &r.event {
            DialogEvent::DialogSnoozed { until } => self.snooze(dialog, Some(*until)),
            DialogEvent::DialogWoke { .. } => self.snooze(dialog, None),
            DialogEvent::DialogDeleted {} => self.forget_dialog(dialog),
            DialogEvent::MessageScheduled {
                schedule_id,
                send_at,
                ..
            }
            | DialogEvent::ScheduledMessageEdited {
                schedule_id,
                send_at,
                ..
            } => self.schedule(PendingSchedule {
                schedule_id: *schedule_id,
                dialog_id: dialog,
                send_at: *send_at,
            }),
            DialogEvent::ScheduledMessageCancelled { schedule_id }
            | DialogEvent::ScheduledMessageSent { schedule_id, .. }
            | DialogEvent::ScheduledMessageFailed { schedule_id, .. } => {
                self.unschedule(*schedule_id)
            }
            _ => {}
        }
    }
}
