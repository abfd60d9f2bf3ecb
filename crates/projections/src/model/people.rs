//! Users, groups, sessions and bots: who may call, with which role and rights.

use chatd_domain::people::{
    evolve_bot, evolve_group, evolve_user, Bot, BotEvent, DistributionRule, Group, GroupEvent,
    User, UserEvent, WorkStatus,
};
use chatd_domain::{BotId, ChannelId, GroupId, Principal, Recorded, Right, Rights, Role, UserId};
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

/// A login's bearer session, by the SHA-256 of its token.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SessionView {
    pub token_hash: String,
    pub user: UserId,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    /// When it was last recorded as used (its start, or its latest `SessionUsed`).
    #[serde(with = "time::serde::rfc3339")]
    pub last_used: OffsetDateTime,
}

#[derive(Debug, Default)]
pub struct People {
    pub users: HashMap<UserId, UserView>,
    by_login: HashMap<String, UserId>,
    pub groups: HashMap<GroupId, GroupView>,
    sessions: HashMap<String, SessionView>,
    pub bots: HashMap<BotId, BotView>,
    bot_tokens: HashMap<String, BotId>,
    /// R18 (R34): the manager each bot last gave a dialog of each channel to, from the log, so
    /// that whichever node runs the bot takes the round-robin turns on from there.
    pub given: HashMap<(BotId, ChannelId), UserId>,
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

    /// The active user holding a live session with this token hash at `now`: not expired,
    /// and used within `idle` (R28).
    pub fn session(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
        idle: time::Duration,
    ) -> Option<&UserView> {
        let s = self.sessions.get(token_hash)?;
        let user = self.users.get(&s.user)?;
        let fresh = s
            .last_used
            .checked_add(idle)
            .is_none_or(|until| until > now);
        (s.expires_at > now && fresh && user.active).then_some(user)
    }

    /// When the session with this token hash was last recorded as used.
    pub fn last_used(&self, token_hash: &str) -> Option<OffsetDateTime> {
        self.sessions.get(token_hash).map(|s| s.last_used)
    }

    pub fn bot_by_token(&self, token_hash: &str) -> Option<&BotView> {
        self.bot_tokens
            .get(token_hash)
            .and_then(|id| self.bots.get(id))
            .filter(|b| b.active)
    }

    /// Whether `to` names an active user or bot (R2's target) that may be a responsible (R32:
    /// never an auditor).
    pub fn is_active_assignee(&self, to: &chatd_domain::Assignee) -> bool {
        match to {
            chatd_domain::Assignee::User { id } => self
                .users
                .get(id)
                .is_some_and(|u| u.active && u.role.can_be_responsible()),
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

    pub(crate) fn sessions(&self) -> Vec<SessionView> {
        self.sessions.values().cloned().collect()
    }

    pub(crate) fn insert_user(&mut self, u: UserView) {
        self.by_login.insert(u.login.clone(), u.id);
        self.users.insert(u.id, u);
    }

    pub(crate) fn insert_group(&mut self, g: GroupView) {
        self.groups.insert(g.id, g);
    }

    pub(crate) fn insert_session(&mut self, s: SessionView) {
        self.sessions.insert(s.token_hash.clone(), s);
    }

    pub(crate) fn insert_bot(&mut self, b: BotView) {
        self.bot_tokens.insert(b.token_hash.clone(), b.id);
        self.bots.insert(b.id, b);
    }

    /// Users change as the domain's `evolve_user` says; sessions are indexed here.
    pub fn apply_user(&mut self, r: &Recorded<UserEvent>, stream_id: UserId) {
        match &r.event {
            UserEvent::SessionStarted {
                token_hash,
                expires_at,
            } => self.insert_session(SessionView {
                token_hash: token_hash.clone(),
                user: stream_id,
                expires_at: *expires_at,
                last_used: r.meta.at,
            }),
            UserEvent::SessionUsed { token_hash } => {
                if let Some(s) = self.sessions.get_mut(token_hash) {
                    s.last_used = s.last_used.max(r.meta.at);
                }
            }
            UserEvent::SessionEnded { token_hash } => {
                self.sessions.remove(token_hash);
            }
            _ => {
                let state = self.users.get(&stream_id).map(UserView::state);
                if let Some(u) = UserView::of(evolve_user(state.unwrap_or_default(), r)) {
                    // R32, R28: deactivation and a new password revoke every token;
                    // reactivation brings none back.
                    let revokes = matches!(r.event, UserEvent::PasswordChanged { .. });
                    if !u.active || revokes {
                        self.sessions.retain(|_, s| s.user != u.id);
                    }
                    self.insert_user(u);
                }
            }
        }
    }

    /// Groups change as the domain's `evolve_group` says.
    pub fn apply_group(&mut self, r: &Recorded<GroupEvent>, stream_id: GroupId) {
        let state = self.groups.get(&stream_id).map(GroupView::state);
        if let Some(g) = GroupView::of(evolve_group(state.unwrap_or_default(), r)) {
            self.insert_group(g);
        }
    }

    /// Bots change as the domain's `evolve_bot` says; tokens are indexed here.
    pub fn apply_bot(&mut self, r: &Recorded<BotEvent>, stream_id: BotId) {
        let state = self.bots.get(&stream_id).map(BotView::state);
        if let Some(b) = BotView::of(evolve_bot(state.unwrap_or_default(), r)) {
            self.insert_bot(b);
        }
    }
}

// Views are the domain's states with their id known; these convert both ways so that the read
// model applies events through the domain's `evolve` rather than a copy of it.

impl UserView {
    fn state(&self) -> User {
        User {
            id: Some(self.id),
            login: self.login.clone(),
            name: self.name.clone(),
            password_hash: self.password_hash.clone(),
            role: Some(self.role),
            group_ids: self.group_ids.clone(),
            active: self.active,
            work_status: self.work_status,
        }
    }

    fn of(u: User) -> Option<UserView> {
        Some(UserView {
            id: u.id?,
            role: u.role?,
            login: u.login,
            name: u.name,
            password_hash: u.password_hash,
            group_ids: u.group_ids,
            active: u.active,
            work_status: u.work_status,
        })
    }
}

impl GroupView {
    fn state(&self) -> Group {
        Group {
            id: Some(self.id),
            name: self.name.clone(),
            rights: self.rights.clone(),
        }
    }

    fn of(g: Group) -> Option<GroupView> {
        Some(GroupView {
            id: g.id?,
            name: g.name,
            rights: g.rights,
        })
    }
}

impl BotView {
    fn state(&self) -> Bot {
        Bot {
            id: Some(self.id),
            name: self.name.clone(),
            token_hash: self.token_hash.clone(),
            active: self.active,
            distribution: self.distribution.clone(),
        }
    }

    fn of(b: Bot) -> Option<BotView> {
        Some(BotView {
            id: b.id?,
            name: b.name,
            token_hash: b.token_hash,
            active: b.active,
            distribution: b.distribution,
        })
    }
}
