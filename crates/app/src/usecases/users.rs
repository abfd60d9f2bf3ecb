//! Users: created and changed by admins (and, offline, by `chatd user`), with R28's guard that
//! the service always keeps an active admin.

use crate::{cluster, App, AppError, Outcome};
use chatd_domain::people::{keeps_an_admin, User, UserChanges, UserCommand, UserEvent};
use chatd_domain::{GroupId, Principal, Role, UserId};

/// Create user `login` (its id derived from the login, so two creations of one login meet on
/// one stream) with an argon2 `password_hash`: over the API, by `chatd user create`, and for
/// the bootstrap admin.
pub async fn create(
    app: &App,
    by: Principal,
    login: &str,
    name: &str,
    role: Role,
    group_ids: Vec<GroupId>,
    password_hash: String,
) -> Result<(UserId, Outcome<UserEvent>), AppError> {
    let user_id = chatd_domain::identity::user_of(login);
    let cmd = app.command(
        by,
        UserCommand::Create {
            user_id,
            login: login.to_owned(),
            name: name.to_owned(),
            password_hash,
            role,
            group_ids,
        },
    );
    Ok((user_id, app.execute::<User>(user_id, &cmd).await?))
}

/// Change `user_id` as `by` says. R28: a change that would deactivate or demote the last
/// active admin is refused (`LastAdmin`). The check and the change are made under the
/// last-admin guard, a lease every node takes for it (R34), and the change is applied to the
/// read models before it is given back, so two admins demoting each other at once, on one
/// node or on two, cannot both pass.
pub async fn update(
    app: &App,
    by: Principal,
    user_id: UserId,
    changes: UserChanges,
) -> Result<Outcome<UserEvent>, AppError> {
    let update = app.command(by, UserCommand::Update(changes.clone()));
    if !changes.may_remove_an_admin() {
        return app.execute::<User>(user_id, &update).await;
    }
    let _held = app.admin_changes.lock().await;
    let guard = cluster::take(
        app,
        cluster::ADMIN_GUARD,
        GUARD_TTL,
        crate::MIN_POSITION_WAIT,
    )
    .await?;
    let out = guarded_update(app, user_id, &changes, &update, &guard).await;
    cluster::give_back(app, &guard).await;
    out
}

/// How long the last-admin guard may be held before it runs out (a node that died holding it).
const GUARD_TTL: std::time::Duration = std::time::Duration::from_secs(10);

/// R28 under the guard: the read models first catch up with the log's head, so they show every
/// change any node made before the guard was taken (R34); the change is appended with the
/// guard's fence and applied before the guard is given back.
async fn guarded_update(
    app: &App,
    user_id: UserId,
    changes: &UserChanges,
    update: &chatd_domain::Command<UserCommand>,
    guard: &chatd_store::cluster::Fence,
) -> Result<Outcome<UserEvent>, AppError> {
    app.caught_up_with_head().await?;
    let target = app.current::<User>(user_id).await?;
    let others = app
        .model()
        .people
        .users
        .values()
        .filter(|u| u.active && u.role == Role::Admin && u.id != user_id)
        .count();
    keeps_an_admin(&target, changes, others)?;
    let out = app.execute_fenced::<User>(user_id, update, guard).await?;
    app.wait_for(out.position, crate::MIN_POSITION_WAIT).await?;
    Ok(out)
}
