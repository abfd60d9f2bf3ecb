//! Users: created and changed by admins (and, offline, by `chatd user`), with R28's guard that
//! the service always keeps an active admin.

use super::command;
use crate::{App, AppError, Outcome};
use chatd_domain::people::{keeps_an_admin, User, UserChanges, UserCommand, UserEvent};
use chatd_domain::{Principal, Role, UserId};

/// Change `user_id` as `by` says. R28: a change that would deactivate or demote the last
/// active admin is refused (`LastAdmin`). The check and the change are made under one lock and
/// the change is applied to the read models before it is released, so two admins demoting each
/// other at once cannot both pass (one process holds a data directory: see `datadir`).
pub async fn update(
    app: &App,
    by: Principal,
    user_id: UserId,
    changes: UserChanges,
) -> Result<Outcome<UserEvent>, AppError> {
    let removes_an_admin =
        changes.active == Some(false) || changes.role.is_some_and(|r| r != Role::Admin);
    let _held = if removes_an_admin {
        Some(app.admin_changes.lock().await)
    } else {
        None
    };
    if removes_an_admin {
        let target = app.current::<User>(user_id).await?;
        let others = app
            .model()
            .people
            .users
            .values()
            .filter(|u| u.active && u.role == Role::Admin && u.id != user_id)
            .count();
        keeps_an_admin(&target, &changes, others)?;
    }
    let out = app
        .execute::<User>(user_id, &command(by, UserCommand::Update(changes)))
        .await?;
    if removes_an_admin {
        app.wait_for(out.position, crate::MIN_POSITION_WAIT).await?;
    }
    Ok(out)
}
