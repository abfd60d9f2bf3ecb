//! Bots with their distribution rules (R18), and orders created from dialogs (R1, R18).

use super::extract::Caller;
use super::json::Json;
use super::people::ReadParams;
use super::support::{settle, written_view};
use super::views::{BotOut, Items, OrderOut, Written};
use super::Problem;
use crate::app::{credentials, App};
use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpResponse};
use chatd_domain::people::Bot;
use chatd_domain::people::{BotCommand, DistributionRule};
use chatd_domain::BotId;
use chatd_projections::model::people::BotView;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

fn bot_out(b: &BotView) -> BotOut {
    BotOut {
        id: b.id.0,
        name: b.name.clone(),
        active: b.active,
        distribution: b.distribution.clone(),
        token: None,
    }
}

#[utoipa::path(get, path = "/api/v1/bots", tag = "bots", params(ReadParams), security(("bearer" = [])), responses((status = 200, body = Items<BotOut>), (status = 401, body = Problem)))]
#[get("/bots")]
async fn list_bots(
    app: web::Data<App>,
    _caller: Caller,
    p: web::Query<ReadParams>,
) -> Result<HttpResponse, Problem> {
    settle(&app, p.min_position.as_deref()).await?;
    let m = app.model();
    let mut items: Vec<_> = m.people.bots.values().map(bot_out).collect();
    items.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    Ok(HttpResponse::Ok().json(Items { items }))
}

#[derive(Deserialize, ToSchema)]
pub struct NewBot {
    name: String,
    #[serde(default)]
    distribution: Vec<DistributionRule>,
}

#[utoipa::path(post, path = "/api/v1/bots", tag = "bots", request_body = NewBot, security(("bearer" = [])), responses((status = 201, description = "the bot, with its `token` shown once", body = Written<BotOut>), (status = 403, description = "missing_right", body = Problem), (status = 422, body = Problem)))]
#[post("/bots")]
async fn create_bot(
    app: web::Data<App>,
    caller: Caller,
    body: Json<NewBot>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner();
    let bot_id = BotId::from(Uuid::new_v4());
    let token = credentials::new_token();
    let cmd = app.command(
        caller.principal,
        BotCommand::Register {
            bot_id,
            name: body.name,
            token_hash: credentials::token_hash(&token),
            distribution: body.distribution,
        },
    );
    let out = app.execute::<Bot>(bot_id.0, &cmd).await?;
    written_view(&app, StatusCode::CREATED, out.position, |m| {
        m.people.bots.get(&bot_id).map(|b| BotOut {
            token: Some(token),
            ..bot_out(b)
        })
    })
    .await
}

#[derive(Deserialize, ToSchema)]
pub struct BotPatch {
    name: Option<String>,
    active: Option<bool>,
    distribution: Option<Vec<DistributionRule>>,
}

#[utoipa::path(patch, path = "/api/v1/bots/{id}", tag = "bots", params(("id" = uuid::Uuid, Path)), request_body = BotPatch, security(("bearer" = [])), responses((status = 200, body = Written<BotOut>), (status = 403, description = "missing_right", body = Problem), (status = 404, body = Problem)))]
#[patch("/bots/{id}")]
async fn update_bot(
    app: web::Data<App>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<BotPatch>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner();
    let cmd = app.command(
        caller.principal,
        BotCommand::Update {
            name: body.name,
            active: body.active,
            distribution: body.distribution,
        },
    );
    let out = app.execute::<Bot>(*id, &cmd).await?;
    written_view(&app, StatusCode::OK, out.position, |m| {
        m.people.bots.get(&BotId::from(*id)).map(bot_out)
    })
    .await
}

/// Orders of dialogs the caller can see, newest first.
#[utoipa::path(get, path = "/api/v1/orders", tag = "bots", params(ReadParams), security(("bearer" = [])), responses((status = 200, body = Items<OrderOut>), (status = 401, body = Problem)))]
#[get("/orders")]
async fn list_orders(
    app: web::Data<App>,
    caller: Caller,
    p: web::Query<ReadParams>,
) -> Result<HttpResponse, Problem> {
    settle(&app, p.min_position.as_deref()).await?;
    let m = app.model();
    let mut items: Vec<_> = m
        .catalog
        .orders
        .values()
        .filter(|o| {
            m.dialogs
                .get(&o.dialog_id)
                .is_some_and(|d| d.is_visible_to(&caller.principal))
        })
        .collect();
    items.sort_by_key(|o| std::cmp::Reverse(o.created_at));
    let items: Vec<_> = items
        .into_iter()
        .map(|o| OrderOut {
            id: o.id.0,
            dialog_id: o.dialog_id.0,
            customer_id: o.customer_id.map(|c| c.0),
            manager_id: o.manager_id.map(|u| u.0),
            status: o.status,
            source: o.source.clone(),
            created_at: o.created_at,
        })
        .collect();
    Ok(HttpResponse::Ok().json(Items { items }))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(list_bots)
        .service(create_bot)
        .service(update_bot)
        .service(list_orders);
}
