//! Who acts: roles, group rights, the authenticated principal a command is decided for, and the
//! author recorded with every event.

use crate::ids::{BotId, ChannelId, CustomerId, UserId};
use serde::{Deserialize, Serialize};

mod tagged;

#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// System administrator: every right.
    Admin,
    /// Chat administrator: sees, writes into, reassigns and closes every dialog.
    ChatAdmin,
    Manager,
    /// Reads history through the audit API only; changes nothing.
    Auditor,
}

impl Role {
    /// R32: an auditor reads history and changes nothing, so is never a dialog's responsible.
    pub fn can_be_responsible(self) -> bool {
        self != Role::Auditor
    }
}

/// Rights granted by groups (SPEC §3).
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Right {
    #[serde(rename = "dialogs.delete")]
    DialogsDelete,
    #[serde(rename = "dialogs.view_all")]
    DialogsViewAll,
    #[serde(rename = "settings.manage")]
    SettingsManage,
    #[serde(rename = "quick_replies.manage_shared")]
    QuickRepliesManageShared,
}

impl Right {
    pub const ALL: [Right; 4] = [
        Right::DialogsDelete,
        Right::DialogsViewAll,
        Right::SettingsManage,
        Right::QuickRepliesManageShared,
    ];

    const fn bit(self) -> u8 {
        1 << (self as u8)
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Right::DialogsDelete => "dialogs.delete",
            Right::DialogsViewAll => "dialogs.view_all",
            Right::SettingsManage => "settings.manage",
            Right::QuickRepliesManageShared => "quick_replies.manage_shared",
        }
    }
}

/// A set of rights, as the union of a user's groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Rights(u8);

impl Rights {
    pub const NONE: Rights = Rights(0);

    pub fn has(self, right: Right) -> bool {
        self.0 & right.bit() != 0
    }

    pub fn with(self, right: Right) -> Rights {
        Rights(self.0 | right.bit())
    }

    pub fn union(self, other: Rights) -> Rights {
        Rights(self.0 | other.0)
    }

    pub fn iter(self) -> impl Iterator<Item = Right> {
        Right::ALL.into_iter().filter(move |r| self.has(*r))
    }
}

impl FromIterator<Right> for Rights {
    fn from_iter<I: IntoIterator<Item = Right>>(iter: I) -> Self {
        iter.into_iter().fold(Rights::NONE, Rights::with)
    }
}

/// The authenticated caller a command is decided for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Principal {
    User {
        id: UserId,
        role: Role,
        rights: Rights,
    },
    Bot {
        id: BotId,
    },
    /// A channel integration holding the channel's transport token.
    Channel {
        id: ChannelId,
    },
    /// chatd itself (timers, delivery workers).
    System,
}

impl Principal {
    /// Whether the principal holds a group right; admin holds every right.
    pub fn has_right(&self, right: Right) -> bool {
        match self {
            Principal::User { role, rights, .. } => *role == Role::Admin || rights.has(right),
            _ => false,
        }
    }

    /// admin or chat_admin: may see, write, reassign and close any dialog.
    pub fn is_chat_admin(&self) -> bool {
        matches!(
            self,
            Principal::User {
                role: Role::Admin | Role::ChatAdmin,
                ..
            }
        )
    }

    pub fn user_id(&self) -> Option<UserId> {
        match self {
            Principal::User { id, .. } => Some(*id),
            _ => None,
        }
    }

    /// The author recorded with the events this principal causes.
    pub fn actor(&self) -> Actor {
        match *self {
            Principal::User { id, .. } => Actor::User { id },
            Principal::Bot { id } => Actor::Bot { id },
            Principal::Channel { id } => Actor::Channel { id },
            Principal::System => Actor::System,
        }
    }

    /// The principal as a dialog assignee, if it can be one.
    pub fn as_assignee(&self) -> Option<Assignee> {
        match *self {
            Principal::User { id, .. } => Some(Assignee::User { id }),
            Principal::Bot { id } => Some(Assignee::Bot { id }),
            _ => None,
        }
    }
}

// `Deserialize` is written by hand (`tagged`): it reads the same JSON as the derived one would,
// without buffering the object first. Every stored event's metadata holds one.
/// The author of an event or a message, as stored and shown.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Actor {
    User { id: UserId },
    Bot { id: BotId },
    Customer { id: Option<CustomerId> },
    Channel { id: ChannelId },
    System,
}

impl Actor {
    /// One actor of every kind under `id` (a customer with an id and without), for the tests,
    /// here and in other crates, that must cover every kind of actor.
    #[doc(hidden)]
    pub fn one_of_each(id: uuid::Uuid) -> [Actor; 6] {
        let each = [
            Actor::User { id: id.into() },
            Actor::Bot { id: id.into() },
            Actor::Customer {
                id: Some(id.into()),
            },
            Actor::Customer { id: None },
            Actor::Channel { id: id.into() },
            Actor::System,
        ];
        // A kind of actor added later stops this compiling until it is listed above.
        for a in &each {
            match a {
                Actor::User { .. }
                | Actor::Bot { .. }
                | Actor::Customer { .. }
                | Actor::Channel { .. }
                | Actor::System => {}
            }
        }
        each
    }
}

/// Who a dialog is assigned to: `{type: "user"|"bot", id}`.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
// `Deserialize` by hand, as `Actor`'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Assignee {
    User { id: UserId },
    Bot { id: BotId },
}

impl Assignee {
    pub fn as_actor(&self) -> Actor {
        match *self {
            Assignee::User { id } => Actor::User { id },
            Assignee::Bot { id } => Actor::Bot { id },
        }
    }
}
