//! One trait for every aggregate (SPEC §2): the state folded from a stream, the event and
//! command types, and the pure pair `decide`/`evolve`. The stream's category comes from the event
//! type, so a stream name is spelled in one place (`Aggregate::stream`) and nowhere else.
//!
//! As in esrs, the trait is purposefully synchronous and side-effect free: what a decision needs
//! from elsewhere is looked up first and put into the command.

use crate::error::DomainError;
use crate::event::{Command, DomainEvent, Recorded};
use std::fmt::Display;

pub trait Aggregate: Default + Clone + Send + Sync + 'static {
    type Event: DomainEvent + Clone + Send + Sync + 'static;
    type Command;

    /// The stream category, `dialog` for `dialog-<uuid>`: the event type's.
    const CATEGORY: &'static str = <Self::Event as DomainEvent>::CATEGORY;

    /// What the command does to this state: the events to append, or why not.
    fn decide(&self, cmd: &Command<Self::Command>) -> Result<Vec<Self::Event>, DomainError>;

    /// The state after one more event.
    fn evolve(self, event: &Recorded<Self::Event>) -> Self;

    /// R35: whose personal data `events` (about to be appended to this state's stream) carry:
    /// the data subject whose key seals them. `None`: nobody's (nothing is sealed).
    fn data_subject(&self, events: &[Self::Event]) -> Option<uuid::Uuid> {
        let _ = events;
        None
    }

    /// The aggregate's stream: `<category>-<id>`.
    fn stream(id: impl Display) -> String {
        format!("{}-{id}", Self::CATEGORY)
    }
}

/// `impl Aggregate` for a state whose rules are the free functions `decide` and `evolve`.
macro_rules! aggregate {
    ($state:ty, $event:ty, $command:ty, $decide:path, $evolve:path) => {
        $crate::aggregate::aggregate!($state, $event, $command, $decide, $evolve, |_s, _e| None);
    };
    ($state:ty, $event:ty, $command:ty, $decide:path, $evolve:path, $subject:expr) => {
        impl $crate::aggregate::Aggregate for $state {
            type Event = $event;
            type Command = $command;

            fn decide(
                &self,
                cmd: &$crate::event::Command<$command>,
            ) -> Result<Vec<$event>, $crate::error::DomainError> {
                $decide(self, cmd)
            }

            fn evolve(self, event: &$crate::event::Recorded<$event>) -> Self {
                $evolve(self, event)
            }

            fn data_subject(&self, events: &[$event]) -> Option<uuid::Uuid> {
                let subject: fn(&$state, &[$event]) -> Option<uuid::Uuid> = $subject;
                subject(self, events)
            }
        }
    };
}

pub(crate) use aggregate;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialog::Dialog;
    use crate::setup::Settings;

    #[test]
    fn stream_names_come_from_the_event_category() {
        let id = uuid::Uuid::nil();
        assert_eq!(
            Dialog::stream(id),
            "dialog-00000000-0000-0000-0000-000000000000"
        );
        assert_eq!(Settings::stream(crate::setup::SETTINGS_ID), "settings-chat");
        assert_eq!(
            crate::setup::SETTINGS_STREAM,
            Settings::stream(crate::setup::SETTINGS_ID)
        );
    }
}
