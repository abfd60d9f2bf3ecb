//! Typed identifiers. Every id is a UUID on the wire; the newtypes keep a dialog id from being
//! passed where a customer id is expected.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
        pub struct $name(pub Uuid);

        impl $name {
            pub const fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }
            pub const fn as_uuid(&self) -> &Uuid {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }
    )*};
}

id_type!(
    DialogId,
    CustomerId,
    ChannelId,
    UserId,
    GroupId,
    TagId,
    QuickReplyId,
    OrderId,
    BotId,
    /// An individual message inside a dialog stream.
    MessageId,
    /// An uploaded file; attachments reference files by this id.
    FileId,
    /// R27: an internal note inside a dialog stream.
    NoteId,
    /// R27: one user's mention in one note (derived: `identity::mention_of`).
    MentionId,
    /// R37: a scheduled message inside a dialog stream.
    ScheduleId,
);
