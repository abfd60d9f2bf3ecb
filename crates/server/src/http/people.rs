//! Login, the caller, users and groups.

use super::extract::{Caller, Session};
use super::json::Json;
use super::support::{settle, written, written_view};
use super::views::GroupOut;
#[allow(unused_imports)]
use super::views::{Empty, Items, Page, Written};
use super::views::{LoginOut, MeOut, UserOut};
use super::{views, Problem};
use crate::app::usecases::{sessions, users};
use crate::app::{credentials, App, AppError};
use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpResponse};
use chatd_domain::people::Group;
use chatd_domain::people::{GroupCommand, UserChanges, WorkStatus};
use chatd_domain::{GroupId, Right, Role, UserId};
use serde::Deserialize;
#[allow(unused_imports)]
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
pub struct Login {
    login: String,
    password: String,
}

#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = Login, responses((status = 200, body = Written<LoginOut>), (status = 401, description = "invalid_credentials", body = Problem), (status = 429, description = "too_many_attempts: too many failed logins for this login; `Retry-After` says when to try again", body = Problem)))]
#[post("/auth/login")]
async fn log_in(
    app: web::Data<App>,
    req: actix_web::HttpRequest,
    body: Json<Login>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner();
    // The peer's own address (a proxy's `X-Forwarded-For` could be made up by anyone).
    let from = req.peer_addr().map(|a| a.ip());
    let sessions::LoggedIn {
        user_id,
        token,
        position,
    } = sessions::log_in(&app, &body.login, body.password, from).await?;
    let m = app.model();
    let user = m
        .people
        .users
        .get(&user_id)
        .map(|u| views::user(&m, u, app.is_online(u.id)));
    written(StatusCode::OK, views::LoginOut { token, user }, position)
}

#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])), responses((status = 200, body = Written<Empty>), (status = 401, body = Problem)))]
#[post("/auth/logout")]
async fn log_out(app: web::Data<App>, session: Session) -> Result<HttpResponse, Problem> {
    let position = sessions::log_out(&app, session.user_id, session.token_hash.clone()).await?;
    written(StatusCode::OK, Empty {}, position)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReadParams {
    pub min_position: Option<String>,
}

#[utoipa::path(operation_id = "get_me", get, path = "/api/v1/me", tag = "auth", params(ReadParams), security(("bearer" = [])), responses((status = 200, body = MeOut), (status = 401, body = Problem)))]
#[get("/me")]
async fn me(
    app: web::Data<App>,
    session: Session,
    q: web::Query<ReadParams>,
) -> Result<HttpResponse, Problem> {
    settle(&app, q.min_position.as_deref()).await?;
    let m = app.model();
    let user = m
        .people
        .users
        .get(&session.user_id)
        .ok_or_else(Problem::not_found)?;
    Ok(HttpResponse::Ok().json(views::MeOut {
        user: views::user(&m, user, app.is_online(user.id)),
        unread_dialogs: m.dialogs.unread_dialogs(&session.principal),
        open_mentions: m.mentions.open_count(session.user_id),
    }))
}

#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(ReadParams), security(("bearer" = [])), responses((status = 200, body = Items<UserOut>), (status = 401, description = "unauthorized", body = Problem), (status = 403, description = "forbidden", body = Problem)))]
#[get("/users")]
async fn list_users(
    app: web::Data<App>,
    _caller: Caller,
    q: web::Query<ReadParams>,
) -> Result<HttpResponse, Problem> {
    settle(&app, q.min_position.as_deref()).await?;
    let m = app.model();
    let mut users: Vec<_> = m
        .people
        .users
        .values()
        .map(|u| views::user(&m, u, app.is_online(u.id)))
        .collect();
    users.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    Ok(HttpResponse::Ok().json(Items { items: users }))
}

#[derive(Deserialize, ToSchema)]
pub struct NewUser {
    login: String,
    name: String,
    password: String,
    role: Role,
    #[serde(default)]
    group_ids: Vec<Uuid>,
}

fn check_groups(app: &App, ids: &[Uuid]) -> Result<Vec<GroupId>, Problem> {
    let m = app.model();
    ids.iter()
        .map(|g| {
            let id = GroupId::from(*g);
            m.people
                .groups
                .contains_key(&id)
                .then_some(id)
                .ok_or_else(|| Problem::validation_failed(format!("group {g} does not exist")))
        })
        .collect()
}

fn check_password(p: &str) -> Result<(), Problem> {
    chatd_domain::people::check_password(p).map_err(|e| Problem::from(AppError::from(e)))
}

#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = NewUser, security(("bearer" = [])), responses((status = 201, body = Written<UserOut>), (status = 409, description = "already_exists", body = Problem), (status = 422, description = "validation_failed", body = Problem), (status = 401, description = "unauthorized", body = Problem), (status = 403, description = "forbidden", body = Problem)))]
#[post("/users")]
async fn create_user(
    app: web::Data<App>,
    caller: Caller,
    body: Json<NewUser>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner();
    check_password(&body.password)?;
    let group_ids = check_groups(&app, &body.group_ids)?;
    let password_hash = credentials::hash_password_off_thread(body.password).await;
    let (user_id, out) = users::create(
        &app,
        caller.principal,
        &body.login,
        &body.name,
        body.role,
        group_ids,
        password_hash,
    )
    .await?;
    user_view(&app, user_id, out.position, StatusCode::CREATED).await
}

/// Answer with the user as the read models show them once they reach `position`.
async fn user_view(
    app: &App,
    user_id: UserId,
    position: Option<chatd_store::Position>,
    status: StatusCode,
) -> Result<HttpResponse, Problem> {
    written_view(app, status, position, |m| {
        m.people
            .users
            .get(&user_id)
            .map(|u| views::user(m, u, app.is_online(u.id)))
    })
    .await
}

#[derive(Deserialize, ToSchema)]
pub struct UserPatch {
    name: Option<String>,
    role: Option<Role>,
    group_ids: Option<Vec<Uuid>>,
    active: Option<bool>,
    work_status: Option<WorkStatus>,
    password: Option<String>,
}

#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", params(("id" = uuid::Uuid, Path)), request_body = UserPatch, security(("bearer" = [])), responses((status = 200, body = Written<UserOut>), (status = 404, body = Problem), (status = 409, description = "last_admin: the change would leave no active admin", body = Problem), (status = 401, description = "unauthorized", body = Problem), (status = 403, description = "forbidden", body = Problem)))]
#[patch("/users/{id}")]
async fn update_user(
    app: web::Data<App>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<UserPatch>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner();
    let group_ids = body
        .group_ids
        .as_deref()
        .map(|g| check_groups(&app, g))
        .transpose()?;
    let password_hash = match body.password {
        Some(p) => {
            check_password(&p)?;
            Some(credentials::hash_password_off_thread(p).await)
        }
        None => None,
    };
    let user_id = UserId::from(*id);
    let changes = UserChanges {
        name: body.name,
        role: body.role,
        group_ids,
        active: body.active,
        work_status: body.work_status,
        password_hash,
    };
    let out = users::update(&app, caller.principal, user_id, changes).await?;
    user_view(&app, user_id, out.position, StatusCode::OK).await
}

#[utoipa::path(get, path = "/api/v1/groups", tag = "users", params(ReadParams), security(("bearer" = [])), responses((status = 200, body = Items<GroupOut>), (status = 401, description = "unauthorized", body = Problem), (status = 403, description = "forbidden", body = Problem)))]
#[get("/groups")]
async fn list_groups(
    app: web::Data<App>,
    _caller: Caller,
    q: web::Query<ReadParams>,
) -> Result<HttpResponse, Problem> {
    settle(&app, q.min_position.as_deref()).await?;
    let m = app.model();
    let mut groups: Vec<_> = m
        .people
        .groups
        .values()
        .map(|g| GroupOut {
            id: g.id.0,
            name: g.name.clone(),
            rights: g.rights.clone(),
        })
        .collect();
    groups.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(HttpResponse::Ok().json(Items { items: groups }))
}

#[derive(Deserialize, ToSchema)]
pub struct NewGroup {
    name: String,
    #[serde(default)]
    rights: Vec<Right>,
}

#[utoipa::path(post, path = "/api/v1/groups", tag = "users", request_body = NewGroup, security(("bearer" = [])), responses((status = 201, body = Written<GroupOut>), (status = 401, description = "unauthorized", body = Problem), (status = 403, description = "forbidden", body = Problem)))]
#[post("/groups")]
async fn create_group(
    app: web::Data<App>,
    caller: Caller,
    body: Json<NewGroup>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner();
    let group_id = GroupId::from(Uuid::new_v4());
    let cmd = app.command(
        caller.principal,
        GroupCommand::Create {
            group_id,
            name: body.name,
            rights: body.rights,
        },
    );
    let out = app.execute::<Group>(group_id.0, &cmd).await?;
    let g = out.events.iter().find_map(|r| match &r.event {
        chatd_domain::people::GroupEvent::GroupCreated {
            group_id,
            name,
            rights,
        } => Some(GroupOut {
            id: group_id.0,
            name: name.clone(),
            rights: rights.clone(),
        }),
        _ => None,
    });
    written(StatusCode::CREATED, g, out.position)
}

#[derive(Deserialize, ToSchema)]
pub struct GroupPatch {
    name: Option<String>,
    rights: Option<Vec<Right>>,
}

#[utoipa::path(patch, path = "/api/v1/groups/{id}", tag = "users", params(("id" = uuid::Uuid, Path)), request_body = GroupPatch, security(("bearer" = [])), responses((status = 200, body = Written<GroupOut>), (status = 404, body = Problem), (status = 401, description = "unauthorized", body = Problem), (status = 403, description = "forbidden", body = Problem)))]
#[patch("/groups/{id}")]
async fn update_group(
    app: web::Data<App>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<GroupPatch>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner();
    let cmd = app.command(
        caller.principal,
        GroupCommand::Update {
            name: body.name,
            rights: body.rights,
        },
    );
    let out = app.execute::<Group>(*id, &cmd).await?;
    written_view(&app, StatusCode::OK, out.position, |m| {
        m.people.groups.get(&GroupId::from(*id)).map(|g| GroupOut {
            id: g.id.0,
            name: g.name.clone(),
            rights: g.rights.clone(),
        })
    })
    .await
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(log_in)
        .service(log_out)
        .service(me)
        .service(list_users)
        .service(create_user)
        .service(update_user)
        .service(list_groups)
        .service(create_group)
        .service(update_group);
}
