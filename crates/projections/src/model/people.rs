//! Users, groups, sessions and bots: who may call, with which role and rights.

use chatd_domain::people::{BotEvent, DistributionRule, GroupEvent, UserEvent, WorkStatus};
use chatd_domain::{BotId, GroupId, Principal, Recorded, Right, Rights, Role, UserId};
use std::collections::HashMap;
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UserView {
    pub id: UserId,
    pub login: String,
    pub name: String,
    pub password_hash: String,
    pub role: Role,
    pub group_ids: Vec<GroupId>,
    pub active: bool,
    pub work_status: WorkStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GroupView {
    pub id: GroupId,
    pub name: String,
    pub rights: Vec<Right>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BotView {
    pub id: BotId,
    pub name: String,
    pub token_hash: String,
    pub active: bool,
    pub distribution: Vec<DistributionRule>,
}

#[derive(Debug, Default)]
pub struct People {
    pub users: HashMap<UserId, UserView>,
    by_login: HashMap<String, UserId>,
    pub groups: HashMap<GroupId, GroupView>,
    sessions: HashMap<String, (UserId, OffsetDateTime)>,
    pub bots: HashMap<BotId, BotView>,
    bot_tokens: HashMap<String, BotId>,
}

impl People {
    pub fn by_login(&self, login: &str) -> Option<&UserView> {
        self.by_login.get(login).and_then(|id| self.users.get(id))
    }

    /// The union of the rights of the user's groups.
    pub fn rights_of(&self, user: &UserView) -> Rights {
        user.group_ids
            .iter()
            .filter_map(|g| self.groups.get(g))
            .flat_map(|g| g.rights.iter().copied())
            .collect()
    }

    pub fn principal_of(&self, user: &UserView) -> Principal {
        Principal::User {
            id: user.id,
            role: user.role,
            rights: self.rights_of(user),
        }
    }

    /// The active user holding an unexpired session with this token hash.
    pub fn session(&self, token_hash: &str, now: OffsetDateTime) -> Option<&UserView> {
        let (user, expires) = self.sessions.get(token_hash)?;
        let user = self.users.get(user)?;
        (*expires > now && user.active).then_some(user)
    }

    pub fn bot_by_token(&self, token_hash: &str) -> Option<&BotView> {
        self.bot_tokens
            .get(token_hash)
            .and_then(|id| self.bots.get(id))
            .filter(|b| b.active)
    }

    /// Whether `to` names an active user or bot (R2's target).
    pub fn is_active_assignee(&self, to: &chatd_domain::Assignee) -> bool {
        match to {
            chatd_domain::Assignee::User { id } => self.users.get(id).is_some_and(|u| u.active),
            chatd_domain::Assignee::Bot { id } => self.bots.get(id).is_some_and(|b| b.active),
        }
    }

    pub fn name_of(&self, actor: &chatd_domain::Actor) -> Option<&str> {
        match actor {
            chatd_domain::Actor::User { id } => self.users.get(id).map(|u| u.name.as_str()),
            chatd_domain::Actor::Bot { id } => self.bots.get(id).map(|b| b.name.as_str()),
            _ => None,
        }
    }

    pub(crate) fn sessions(&self) -> Vec<(String, UserId, OffsetDateTime)> {
        self.sessions
            .iter()
            .map(|(t, (u, e))| (t.clone(), *u, *e))
            .collect()
    }

    pub(crate) fn insert_user(&mut self, u: UserView) {
        self.by_login.insert(u.login.clone(), u.id);
        self.users.insert(u.id, u);
    }

    pub(crate) fn insert_group(&mut self, g: GroupView) {
        self.groups.insert(g.id, g);
    }

    pub(crate) fn insert_session(
        &mut self,
        token_hash: String,
        user: UserId,
        expires: OffsetDateTime,
    ) {
        self.sessions.insert(token_hash, (user, expires));
    }

    pub(crate) fn insert_bot(&mut self, b: BotView) {
        self.bot_tokens.insert(b.token_hash.clone(), b.id);
        self.bots.insert(b.id, b);
    }

    pub fn apply_user(&mut self, r: &Recorded<UserEvent>, stream_id: UserId) {
        match &r.event {
            UserEvent::UserCreated {
                user_id,
                login,
                name,
                password_hash,
                role,
                group_ids,
            } => {
                self.by_login.insert(login.clone(), *user_id);
                self.users.insert(
                    *user_id,
                    UserView {
                        id: *user_id,
                        login: login.clone(),
                        name: name.clone(),
                        password_hash: password_hash.clone(),
                        role: *role,
                        group_ids: group_ids.clone(),
                        active: true,
                        work_status: WorkStatus::Free,
                    },
                );
            }
            UserEvent::SessionStarted {
                token_hash,
                expires_at,
            } => {
                self.sessions
                    .insert(token_hash.clone(), (stream_id, *expires_at));
            }
            UserEvent::SessionEnded { token_hash } => {
                self.sessions.remove(token_hash);
            }
            other => {
                let Some(u) = self.users.get_mut(&stream_id) else {
                    return;
                };
                match other {
                    UserEvent::UserUpdated {
                        name,
                        role,
                        group_ids,
                        active,
                    } => {
                        if let Some(n) = name {
                            u.name.clone_from(n);
                        }
                        if let Some(r) = role {
                            u.role = *r;
                        }
                        if let Some(g) = group_ids {
                            u.group_ids.clone_from(g);
                        }
                        if let Some(a) = active {
                            u.active = *a;
                        }
                    }
                    UserEvent::PasswordChanged { password_hash } => {
                        u.password_hash.clone_from(password_hash)
                    }
                    UserEvent::WorkStatusChanged { work_status } => u.work_status = *work_status,
                    _ => {}
                }
            }
        }
    }

    pub fn apply_group(&mut self, r: &Recorded<GroupEvent>, stream_id: GroupId) {
        match &r.event {
            GroupEvent::GroupCreated {
                group_id,
                name,
                rights,
            } => {
                self.groups.insert(
                    *group_id,
                    GroupView {
                        id: *group_id,
                        name: name.clone(),
                        rights: rights.clone(),
                    },
                );
            }
            GroupEvent::GroupUpdated { name, rights } => {
                if let Some(g) = self.groups.get_mut(&stream_id) {
                    if let Some(n) = name {
                        g.name.clone_from(n);
                    }
                    if let Some(r) = rights {
                        g.rights.clone_from(r);
                    }
                }
            }
        }
    }

    pub fn apply_bot(&mut self, r: &Recorded<BotEvent>, stream_id: BotId) {
        match &r.event {
            BotEvent::BotRegistered {
                bot_id,
                name,
                token_hash,
                distribution,
            } => {
                self.bot_tokens.insert(token_hash.clone(), *bot_id);
                self.bots.insert(
                    *bot_id,
                    BotView {
                        id: *bot_id,
                        name: name.clone(),
                        token_hash: token_hash.clone(),
                        active: true,
                        distribution: distribution.clone(),
                    },
                );
            }
            BotEvent::BotUpdated {
                name,
                active,
                distribution,
            } => {
                if let Some(b) = self.bots.get_mut(&stream_id) {
                    if let Some(n) = name {
                        b.name.clone_from(n);
                    }
                    if let Some(a) = active {
                        b.active = *a;
                    }
                    if let Some(d) = distribution {
                        b.distribution.clone_from(d);
                    }
                }
            }
        }
    }
}
