//! Customer cards, block/unblock (R6) and tags (R19).

use super::extract::Caller;
use super::json::Json;
use super::people::ReadParams;
use super::support::{act, settle, written, written_view};
#[allow(unused_imports)]
use super::views::{Empty, Items, Page, Written};
use super::{views, Problem};
use crate::app::App;
use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, web, HttpResponse};
use chatd_domain::customer::{Customer, CustomerCommand};
use chatd_domain::setup::{Tag, TagColor, TagCommand, TagEvent};
use chatd_domain::{CustomerId, TagId};
use serde::Deserialize;
#[allow(unused_imports)]
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[utoipa::path(operation_id = "get_customer", get, path = "/api/v1/customers/{id}", tag = "customers", params(("id" = uuid::Uuid, Path), ReadParams), security(("bearer" = [])), responses((status = 200, body = views::CustomerCard), (status = 404, body = Problem)))]
#[get("/customers/{id}")]
async fn customer_card_route(
    app: web::Data<App>,
    caller: Caller,
    id: web::Path<Uuid>,
    p: web::Query<ReadParams>,
) -> Result<HttpResponse, Problem> {
    settle(&app, p.min_position.as_deref()).await?;
    let m = app.model();
    let id = CustomerId::from(*id);
    m.visible_customer(&caller.principal, &id)
        .ok_or_else(Problem::not_found)?;
    let card = views::customer_card(&m, &id).ok_or_else(Problem::not_found)?;
    Ok(HttpResponse::Ok().json(card))
}

/// Run a command on a customer the caller may reach (R32: through a dialog it sees now; 404
/// otherwise, whatever the command).
async fn run(
    app: &App,
    caller: &Caller,
    id: Uuid,
    body: CustomerCommand,
) -> Result<HttpResponse, Problem> {
    if app
        .model()
        .visible_customer(&caller.principal, &CustomerId::from(id))
        .is_none()
    {
        return Err(Problem::not_found());
    }
    act::<Customer>(app, id, caller.principal, body).await
}

#[utoipa::path(operation_id = "block_customer", post, path = "/api/v1/customers/{id}/block", tag = "customers", params(("id" = uuid::Uuid, Path)), security(("bearer" = [])), responses((status = 200, body = Written<Empty>), (status = 404, body = Problem)))]
#[post("/customers/{id}/block")]
async fn block(
    app: web::Data<App>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    run(&app, &caller, *id, CustomerCommand::Block).await
}

#[utoipa::path(operation_id = "unblock_customer", post, path = "/api/v1/customers/{id}/unblock", tag = "customers", params(("id" = uuid::Uuid, Path)), security(("bearer" = [])), responses((status = 200, body = Written<Empty>), (status = 404, body = Problem)))]
#[post("/customers/{id}/unblock")]
async fn unblock(
    app: web::Data<App>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    run(&app, &caller, *id, CustomerCommand::Unblock).await
}

#[derive(Deserialize, ToSchema)]
pub struct TagBody {
    tag_id: Uuid,
    #[serde(default)]
    pinned: bool,
}

#[utoipa::path(post, path = "/api/v1/customers/{id}/tags", tag = "customers", params(("id" = uuid::Uuid, Path)), security(("bearer" = [])), request_body = TagBody, responses((status = 200, body = Written<Empty>), (status = 404, description = "no such customer or tag", body = Problem)))]
#[post("/customers/{id}/tags")]
async fn tag_customer(
    app: web::Data<App>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<TagBody>,
) -> Result<HttpResponse, Problem> {
    let tag_id = TagId::from(body.tag_id);
    let tag_exists = app.model().catalog.tags.contains_key(&tag_id);
    run(
        &app,
        &caller,
        *id,
        CustomerCommand::Tag {
            tag_id,
            pinned: body.pinned,
            tag_exists,
        },
    )
    .await
}

#[utoipa::path(operation_id = "untag_customer", delete, path = "/api/v1/customers/{id}/tags/{tag_id}", tag = "customers", params(("id" = uuid::Uuid, Path), ("tag_id" = uuid::Uuid, Path)), security(("bearer" = [])), responses((status = 200, body = Written<Empty>), (status = 404, body = Problem)))]
#[delete("/customers/{id}/tags/{tag_id}")]
async fn untag(
    app: web::Data<App>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, Problem> {
    let (id, tag_id) = path.into_inner();
    run(
        &app,
        &caller,
        id,
        CustomerCommand::Untag {
            tag_id: tag_id.into(),
        },
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/tags", tag = "customers", params(ReadParams), security(("bearer" = [])), responses((status = 200, body = Items<views::TagOut>)))]
#[get("/tags")]
async fn list_tags(
    app: web::Data<App>,
    _caller: Caller,
    p: web::Query<ReadParams>,
) -> Result<HttpResponse, Problem> {
    settle(&app, p.min_position.as_deref()).await?;
    let m = app.model();
    let mut items: Vec<_> = m
        .catalog
        .tags
        .values()
        .map(|t| views::TagOut {
            id: t.id.0,
            name: t.name.clone(),
            color: t.color,
        })
        .collect();
    items.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(HttpResponse::Ok().json(Items { items }))
}

#[derive(Deserialize, ToSchema)]
pub struct NewTag {
    name: String,
    color: TagColor,
}

#[utoipa::path(post, path = "/api/v1/tags", tag = "customers", request_body = NewTag, security(("bearer" = [])), responses((status = 201, body = Written<views::TagOut>), (status = 422, body = Problem)))]
#[post("/tags")]
async fn create_tag(
    app: web::Data<App>,
    caller: Caller,
    body: Json<NewTag>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner();
    let tag_id = TagId::from(Uuid::new_v4());
    let cmd = app.command(
        caller.principal,
        TagCommand::Create {
            tag_id,
            name: body.name,
            color: body.color,
        },
    );
    let out = app.execute::<Tag>(tag_id, &cmd).await?;
    let tag = out.events.iter().find_map(|r| match &r.event {
        TagEvent::TagCreated {
            tag_id,
            name,
            color,
        } => Some(views::TagOut {
            id: tag_id.0,
            name: name.clone(),
            color: *color,
        }),
        _ => None,
    });
    written(StatusCode::CREATED, tag, out.position)
}

#[derive(Deserialize, ToSchema)]
pub struct TagPatch {
    name: Option<String>,
    color: Option<TagColor>,
}

#[utoipa::path(operation_id = "update_tag", patch, path = "/api/v1/tags/{id}", tag = "customers", params(("id" = uuid::Uuid, Path)), request_body = TagPatch, security(("bearer" = [])), responses((status = 200, description = "R39: the tag renamed or recoloured", body = Written<views::TagOut>), (status = 404, description = "not_found: no such tag (or deleted)", body = Problem), (status = 422, body = Problem)))]
#[patch("/tags/{id}")]
async fn update_tag(
    app: web::Data<App>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<TagPatch>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner();
    let tag_id = TagId::from(*id);
    let cmd = app.command(
        caller.principal,
        TagCommand::Update {
            name: body.name,
            color: body.color,
        },
    );
    let out = app.execute::<Tag>(tag_id, &cmd).await?;
    written_view(&app, StatusCode::OK, out.position, |m| {
        m.catalog.tags.get(&tag_id).map(|t| views::TagOut {
            id: t.id.0,
            name: t.name.clone(),
            color: t.color,
        })
    })
    .await
}

#[utoipa::path(operation_id = "delete_tag", delete, path = "/api/v1/tags/{id}", tag = "customers", params(("id" = uuid::Uuid, Path)), security(("bearer" = [])), responses((status = 200, description = "R39: the tag is gone from the catalogue and every customer (the log keeps its history)", body = Written<Empty>), (status = 403, description = "missing_right: settings.manage", body = Problem), (status = 404, description = "not_found", body = Problem)))]
#[delete("/tags/{id}")]
async fn delete_tag(
    app: web::Data<App>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    act::<Tag>(&app, *id, caller.principal, TagCommand::Delete).await
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(customer_card_route)
        .service(block)
        .service(unblock)
        .service(tag_customer)
        .service(untag)
        .service(list_tags)
        .service(create_tag)
        .service(update_tag)
        .service(delete_tag);
}
