//! Users (`user-<uuid>`), groups (`group-<uuid>`) and bots (`bot-<uuid>`): who can be responsible
//! for a dialog and what rights they hold.

use crate::actor::{Principal, Right, Role};
use crate::error::DomainError;
use crate::event::{Command, DomainEvent, Recorded};
use crate::ids::{BotId, ChannelId, GroupId, UserId};
use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkStatus {
    #[default]
    Free,
    Busy,
    Lunch,
    Break,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum UserEvent {
    UserCreated {
        user_id: UserId,
        login: String,
        name: String,
        /// argon2 PHC string; never the password.
        password_hash: String,
        role: Role,
        group_ids: Vec<GroupId>,
    },
    UserUpdated {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        role: Option<Role>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        group_ids: Option<Vec<GroupId>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        active: Option<bool>,
    },
    PasswordChanged {
        password_hash: String,
    },
    WorkStatusChanged {
        work_status: WorkStatus,
    },
    /// A login: the bearer token is stored as its SHA-256 only.
    SessionStarted {
        token_hash: String,
        #[serde(with = "time::serde::rfc3339")]
        expires_at: time::OffsetDateTime,
    },
    SessionEnded {
        token_hash: String,
    },
    /// R28: the session was used (recorded at most every few hours of use, so that idle
    /// expiry survives a restart); the event's time is the use.
    SessionUsed {
        token_hash: String,
    },
}

impl DomainEvent for UserEvent {
    const CATEGORY: &'static str = "user";
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct User {
    pub id: Option<UserId>,
    pub login: String,
    pub name: String,
    pub password_hash: String,
    pub role: Option<Role>,
    pub group_ids: Vec<GroupId>,
    pub active: bool,
    pub work_status: WorkStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserChanges {
    pub name: Option<String>,
    pub role: Option<Role>,
    pub group_ids: Option<Vec<GroupId>>,
    pub active: Option<bool>,
    pub work_status: Option<WorkStatus>,
    pub password_hash: Option<String>,
}

impl UserChanges {
    /// Whether these changes deactivate or demote the user (R28: never the last active admin).
    pub fn may_remove_an_admin(&self) -> bool {
        self.active == Some(false) || self.role.is_some_and(|r| r != Role::Admin)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserCommand {
    Create {
        user_id: UserId,
        login: String,
        name: String,
        password_hash: String,
        role: Role,
        group_ids: Vec<GroupId>,
    },
    Update(UserChanges),
    /// The caller checked the password; the domain checks the user may log in.
    StartSession {
        token_hash: String,
        expires_at: time::OffsetDateTime,
    },
    EndSession {
        token_hash: String,
    },
    UseSession {
        token_hash: String,
    },
}

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// Passwords have at least [`MIN_PASSWORD_CHARS`] characters.
pub fn check_password(password: &str) -> Result<(), DomainError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(DomainError::invalid(
            "password",
            format!("passwords have at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    Ok(())
}

/// R28: a change may not leave the service without an active admin. `target` is the user
/// changed; `other_active_admins` counts the active admins besides them.
pub fn keeps_an_admin(
    target: &User,
    changes: &UserChanges,
    other_active_admins: usize,
) -> Result<(), DomainError> {
    let is_active_admin = target.active && target.role == Some(Role::Admin);
    if is_active_admin && changes.may_remove_an_admin() && other_active_admins == 0 {
        return Err(DomainError::LastAdmin);
    }
    Ok(())
}

fn require_admin(by: &Principal) -> Result<(), DomainError> {
    match by {
        Principal::User {
            role: Role::Admin, ..
        }
        | Principal::System => Ok(()),
        _ => Err(DomainError::Forbidden),
    }
}

fn non_empty(field: &'static str, value: &str, max: usize) -> Result<(), DomainError> {
    if value.trim().is_empty() {
        return Err(DomainError::invalid(field, "must not be empty"));
    }
    if value.chars().count() > max {
        return Err(DomainError::invalid(
            field,
            format!("at most {max} characters"),
        ));
    }
    Ok(())
}

pub fn decide_user(
    state: &User,
    cmd: &Command<UserCommand>,
) -> Result<Vec<UserEvent>, DomainError> {
    match &cmd.body {
        UserCommand::Create {
            user_id,
            login,
            name,
            password_hash,
            role,
            group_ids,
        } => {
            require_admin(&cmd.by)?;
            if state.id.is_some() {
                return Err(DomainError::AlreadyExists);
            }
            non_empty("login", login, 64)?;
            non_empty("name", name, 200)?;
            Ok(vec![UserEvent::UserCreated {
                user_id: *user_id,
                login: login.clone(),
                name: name.clone(),
                password_hash: password_hash.clone(),
                role: *role,
                group_ids: group_ids.clone(),
            }])
        }
        UserCommand::StartSession {
            token_hash,
            expires_at,
        } => {
            if state.id.is_none() || !state.active {
                return Err(DomainError::NotFound);
            }
            Ok(vec![UserEvent::SessionStarted {
                token_hash: token_hash.clone(),
                expires_at: *expires_at,
            }])
        }
        UserCommand::EndSession { token_hash } => {
            state.id.ok_or(DomainError::NotFound)?;
            Ok(vec![UserEvent::SessionEnded {
                token_hash: token_hash.clone(),
            }])
        }
        UserCommand::UseSession { token_hash } => {
            if state.id.is_none() || !state.active {
                return Err(DomainError::NotFound);
            }
            Ok(vec![UserEvent::SessionUsed {
                token_hash: token_hash.clone(),
            }])
        }
        UserCommand::Update(ch) => {
            let id = state.id.ok_or(DomainError::NotFound)?;
            let only_own_status = ch.name.is_none()
                && ch.role.is_none()
                && ch.group_ids.is_none()
                && ch.active.is_none()
                && ch.password_hash.is_none();
            // A user sets their own work status; everything else is the admin's.
            if !(only_own_status && cmd.by.user_id() == Some(id)) {
                require_admin(&cmd.by)?;
            }
            if let Some(name) = &ch.name {
                non_empty("name", name, 200)?;
            }
            let mut events = Vec::new();
            let upd = UserEvent::UserUpdated {
                name: ch.name.clone().filter(|n| *n != state.name),
                role: ch.role.filter(|r| Some(*r) != state.role),
                group_ids: ch.group_ids.clone().filter(|g| *g != state.group_ids),
                active: ch.active.filter(|a| *a != state.active),
            };
            if upd
                != (UserEvent::UserUpdated {
                    name: None,
                    role: None,
                    group_ids: None,
                    active: None,
                })
            {
                events.push(upd);
            }
            if let Some(password_hash) = &ch.password_hash {
                events.push(UserEvent::PasswordChanged {
                    password_hash: password_hash.clone(),
                });
            }
            if let Some(ws) = ch.work_status.filter(|w| *w != state.work_status) {
                events.push(UserEvent::WorkStatusChanged { work_status: ws });
            }
            Ok(events)
        }
    }
}

pub fn evolve_user(mut state: User, recorded: &Recorded<UserEvent>) -> User {
    match &recorded.event {
        UserEvent::UserCreated {
            user_id,
            login,
            name,
            password_hash,
            role,
            group_ids,
        } => {
            state = User {
                id: Some(*user_id),
                login: login.clone(),
                name: name.clone(),
                password_hash: password_hash.clone(),
                role: Some(*role),
                group_ids: group_ids.clone(),
                active: true,
                work_status: WorkStatus::Free,
            }
        }
        UserEvent::UserUpdated {
            name,
            role,
            group_ids,
            active,
        } => {
            if let Some(n) = name {
                state.name.clone_from(n);
            }
            if let Some(r) = role {
                state.role = Some(*r);
            }
            if let Some(g) = group_ids {
                state.group_ids.clone_from(g);
            }
            if let Some(a) = active {
                state.active = *a;
            }
        }
        UserEvent::PasswordChanged { password_hash } => {
            state.password_hash.clone_from(password_hash)
        }
        UserEvent::WorkStatusChanged { work_status } => state.work_status = *work_status,
        UserEvent::SessionStarted { .. }
        | UserEvent::SessionEnded { .. }
        | UserEvent::SessionUsed { .. } => {}
    }
    state
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum GroupEvent {
    GroupCreated {
        group_id: GroupId,
        name: String,
        rights: Vec<Right>,
    },
    GroupUpdated {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rights: Option<Vec<Right>>,
    },
}

impl DomainEvent for GroupEvent {
    const CATEGORY: &'static str = "group";
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Group {
    pub id: Option<GroupId>,
    pub name: String,
    pub rights: Vec<Right>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupCommand {
    Create {
        group_id: GroupId,
        name: String,
        rights: Vec<Right>,
    },
    Update {
        name: Option<String>,
        rights: Option<Vec<Right>>,
    },
}

pub fn decide_group(
    state: &Group,
    cmd: &Command<GroupCommand>,
) -> Result<Vec<GroupEvent>, DomainError> {
    require_admin(&cmd.by)?;
    match &cmd.body {
        GroupCommand::Create {
            group_id,
            name,
            rights,
        } => {
            if state.id.is_some() {
                return Err(DomainError::AlreadyExists);
            }
            non_empty("name", name, 200)?;
            Ok(vec![GroupEvent::GroupCreated {
                group_id: *group_id,
                name: name.clone(),
                rights: dedup(rights),
            }])
        }
        GroupCommand::Update { name, rights } => {
            state.id.ok_or(DomainError::NotFound)?;
            if let Some(n) = name {
                non_empty("name", n, 200)?;
            }
            let name = name.clone().filter(|n| *n != state.name);
            let rights = rights.as_deref().map(dedup).filter(|r| *r != state.rights);
            Ok(if name.is_none() && rights.is_none() {
                vec![]
            } else {
                vec![GroupEvent::GroupUpdated { name, rights }]
            })
        }
    }
}

fn dedup(rights: &[Right]) -> Vec<Right> {
    let mut r = rights.to_vec();
    r.sort();
    r.dedup();
    r
}

pub fn evolve_group(mut state: Group, recorded: &Recorded<GroupEvent>) -> Group {
    match &recorded.event {
        GroupEvent::GroupCreated {
            group_id,
            name,
            rights,
        } => {
            state = Group {
                id: Some(*group_id),
                name: name.clone(),
                rights: rights.clone(),
            }
        }
        GroupEvent::GroupUpdated { name, rights } => {
            if let Some(n) = name {
                state.name.clone_from(n);
            }
            if let Some(r) = rights {
                state.rights.clone_from(r);
            }
        }
    }
    state
}

/// R18: how the distribution bot picks a manager.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    RoundRobin,
    LeastLoaded,
}

/// R18: which dialogs move away from a manager who went offline or busy.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReassignWhenUnavailable {
    AllUnanswered,
    OnlyNew,
}

/// R18: the distribution rules of one channel.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DistributionRule {
    pub channel_id: ChannelId,
    pub manager_ids: Vec<UserId>,
    pub max_open_per_manager: Option<u32>,
    /// Only managers whose work status is `free` take part.
    pub require_free: bool,
    /// Only managers with an open WebSocket take part.
    pub require_online: bool,
    pub strategy: Strategy,
    pub reassign_when_unavailable: Option<ReassignWhenUnavailable>,
    pub create_customer: bool,
    pub create_order: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum BotEvent {
    BotRegistered {
        bot_id: BotId,
        name: String,
        /// SHA-256 of the bot token; the token itself is shown once.
        token_hash: String,
        distribution: Vec<DistributionRule>,
    },
    BotUpdated {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        active: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        distribution: Option<Vec<DistributionRule>>,
    },
}

impl DomainEvent for BotEvent {
    const CATEGORY: &'static str = "bot";
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bot {
    pub id: Option<BotId>,
    pub name: String,
    pub token_hash: String,
    pub active: bool,
    pub distribution: Vec<DistributionRule>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BotCommand {
    Register {
        bot_id: BotId,
        name: String,
        token_hash: String,
        distribution: Vec<DistributionRule>,
    },
    Update {
        name: Option<String>,
        active: Option<bool>,
        distribution: Option<Vec<DistributionRule>>,
    },
}

pub fn decide_bot(state: &Bot, cmd: &Command<BotCommand>) -> Result<Vec<BotEvent>, DomainError> {
    if !(cmd.by.has_right(Right::SettingsManage) || cmd.by == Principal::System) {
        return Err(DomainError::MissingRight(Right::SettingsManage));
    }
    match &cmd.body {
        BotCommand::Register {
            bot_id,
            name,
            token_hash,
            distribution,
        } => {
            if state.id.is_some() {
                return Err(DomainError::AlreadyExists);
            }
            non_empty("name", name, 200)?;
            Ok(vec![BotEvent::BotRegistered {
                bot_id: *bot_id,
                name: name.clone(),
                token_hash: token_hash.clone(),
                distribution: distribution.clone(),
            }])
        }
        BotCommand::Update {
            name,
            active,
            distribution,
        } => {
            state.id.ok_or(DomainError::NotFound)?;
            if let Some(n) = name {
                non_empty("name", n, 200)?;
            }
            Ok(vec![BotEvent::BotUpdated {
                name: name.clone(),
                active: *active,
                distribution: distribution.clone(),
            }])
        }
    }
}

pub fn evolve_bot(mut state: Bot, recorded: &Recorded<BotEvent>) -> Bot {
    match &recorded.event {
        BotEvent::BotRegistered {
            bot_id,
            name,
            token_hash,
            distribution,
        } => {
            state = Bot {
                id: Some(*bot_id),
                name: name.clone(),
                token_hash: token_hash.clone(),
                active: true,
                distribution: distribution.clone(),
            }
        }
        BotEvent::BotUpdated {
            name,
            active,
            distribution,
        } => {
            if let Some(n) = name {
                state.name.clone_from(n);
            }
            if let Some(a) = active {
                state.active = *a;
            }
            if let Some(d) = distribution {
                state.distribution.clone_from(d);
            }
        }
    }
    state
}

crate::aggregate::aggregate!(User, UserEvent, UserCommand, decide_user, evolve_user);
crate::aggregate::aggregate!(Group, GroupEvent, GroupCommand, decide_group, evolve_group);
crate::aggregate::aggregate!(Bot, BotEvent, BotCommand, decide_bot, evolve_bot);
