//! `chatd user …` (R28): managing users on a stopped chatd. The commands hold the data
//! directory's lock, open the store and the read models as `serve` does, and append ordinary
//! events authored by the system, so the history shows who was created or given a new password
//! and when, exactly as if an admin had done it over the API.

use crate::config::Config;
use crate::datadir::{self, DirLock};
use crate::server::{open_store, StartError, SNAPSHOT_FILE};
use chatd_app::usecases::users;
use chatd_app::{credentials, App, AppError, Nobody};
use chatd_domain::people::{check_password, UserChanges};
use chatd_domain::{GroupId, Principal, Role};
use chatd_store::EventStore;
use std::sync::Arc;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum OfflineError {
    #[error(transparent)]
    Start(#[from] StartError),
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<chatd_domain::DomainError> for OfflineError {
    fn from(e: chatd_domain::DomainError) -> Self {
        OfflineError::Refused(e.to_string())
    }
}

/// A data directory opened by a command: for writing (holding its lock) or for reading.
pub struct Offline {
    pub app: Arc<App>,
    store: Arc<dyn EventStore>,
    _lock: Option<DirLock>,
}

/// One user as `chatd user list` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserLine {
    pub login: String,
    pub name: String,
    pub role: Role,
    pub active: bool,
    pub groups: Vec<String>,
}

impl Offline {
    /// Take the data directory (refused while `chatd serve` or another command holds it) and
    /// catch the read models up.
    pub async fn open(config: &Config) -> Result<Offline, OfflineError> {
        let lock = datadir::lock(&config.data_dir).map_err(StartError::from)?;
        Self::start(config, Some(lock)).await
    }

    /// Read the data directory without taking it (beside a running `chatd serve`): the read
    /// models are rebuilt from the log, and no snapshot is written.
    pub async fn open_read_only(config: &Config) -> Result<Offline, OfflineError> {
        Self::start(config, None).await
    }

    async fn start(config: &Config, lock: Option<DirLock>) -> Result<Offline, OfflineError> {
        let store = open_store(config).await.map_err(StartError::from)?;
        let snapshot = lock.as_ref().map(|_| config.data_dir.join(SNAPSHOT_FILE));
        let keys =
            crate::master_key::keys(config, store.as_ref()).map_err(StartError::MasterKey)?;
        let app = App::start(store.clone(), snapshot, vec![], Arc::new(Nobody), keys)
            .await
            .map_err(StartError::from)?;
        Ok(Offline {
            app,
            store,
            _lock: lock,
        })
    }

    /// Write the snapshot, close the store, release the directory.
    pub async fn close(self) {
        self.app.shutdown().await;
        self.store.close().await;
    }

    /// Groups named by name or id.
    fn groups(&self, names: &[String]) -> Result<Vec<GroupId>, OfflineError> {
        let m = self.app.model();
        names
            .iter()
            .map(|n| {
                m.people
                    .groups
                    .values()
                    .find(|g| g.name == *n || g.id.to_string() == *n)
                    .map(|g| g.id)
                    .ok_or_else(|| OfflineError::Refused(format!("no group {n:?}")))
            })
            .collect()
    }

    /// `chatd user create`.
    pub async fn create_user(
        &self,
        login: &str,
        name: &str,
        role: Role,
        groups: &[String],
        password: String,
    ) -> Result<(), OfflineError> {
        check_password(&password)?;
        if self.app.model().people.by_login(login).is_some() {
            return Err(OfflineError::Refused(format!(
                "a user with login {login:?} exists; use `chatd user set-password`"
            )));
        }
        let group_ids = self.groups(groups)?;
        let password_hash = credentials::hash_password_off_thread(password).await;
        let (_, out) = users::create(
            &self.app,
            Principal::System,
            login,
            name,
            role,
            group_ids,
            password_hash,
        )
        .await?;
        self.app
            .wait_for(out.position, chatd_app::MIN_POSITION_WAIT)
            .await?;
        Ok(())
    }

    /// `chatd user set-password`: also revokes the user's sessions (R28).
    pub async fn set_password(&self, login: &str, password: String) -> Result<(), OfflineError> {
        check_password(&password)?;
        let user_id = self
            .app
            .model()
            .people
            .by_login(login)
            .map(|u| u.id)
            .ok_or_else(|| OfflineError::Refused(format!("no user with login {login:?}")))?;
        let password_hash = credentials::hash_password_off_thread(password).await;
        let changes = UserChanges {
            password_hash: Some(password_hash),
            ..UserChanges::default()
        };
        let out = users::update(&self.app, Principal::System, user_id, changes).await?;
        self.app
            .wait_for(out.position, chatd_app::MIN_POSITION_WAIT)
            .await?;
        Ok(())
    }

    /// `chatd user list`, by login.
    pub fn list(&self) -> Vec<UserLine> {
        let m = self.app.model();
        let mut lines: Vec<UserLine> = m
            .people
            .users
            .values()
            .map(|u| UserLine {
                login: u.login.clone(),
                name: u.name.clone(),
                role: u.role,
                active: u.active,
                groups: u
                    .group_ids
                    .iter()
                    .filter_map(|g| m.people.groups.get(g).map(|g| g.name.clone()))
                    .collect(),
            })
            .collect();
        lines.sort_by(|a, b| a.login.cmp(&b.login));
        lines
    }
}
