//! Channel registration (R20): capabilities, limits, webhook; the transport token and webhook
//! secret are shown once, on creation.

use super::extract::Caller;
use super::json::Json;
use super::people::ReadParams;
use super::support::{settle, written_view};
#[allow(unused_imports)]
use super::views::{Empty, Items, Page, Written};
use super::{views, Problem};
use crate::app::{credentials, App};
use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpResponse};
use chatd_domain::channel::{CapabilitiesPatch, ChannelType, LimitsPatch};
use chatd_domain::setup::Channel;
use chatd_domain::setup::ChannelCommand;
use chatd_domain::template::Template;
use chatd_domain::{ChannelId, Right};
use serde::Deserialize;
#[allow(unused_imports)]
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// R38: partial objects. On creation what they name replaces the channel type's defaults, on
/// an update the channel's current values; the rest is kept.
#[derive(Deserialize, Default, ToSchema)]
pub struct ChannelSettings {
    capabilities: Option<CapabilitiesPatch>,
    limits: Option<LimitsPatch>,
}

#[derive(Deserialize, ToSchema)]
pub struct NewChannel {
    #[serde(rename = "type")]
    channel_type: ChannelType,
    name: String,
    webhook_url: Option<String>,
    #[serde(default)]
    settings: ChannelSettings,
}

#[utoipa::path(get, path = "/api/v1/channels", tag = "channels", params(ReadParams), operation_id = "list_channels", security(("bearer" = [])), responses((status = 200, body = Items<views::ChannelOut>), (status = 401, description = "unauthorized", body = Problem), (status = 403, description = "forbidden", body = Problem)))]
#[get("/channels")]
async fn list(
    app: web::Data<App>,
    caller: Caller,
    q: web::Query<ReadParams>,
) -> Result<HttpResponse, Problem> {
    settle(&app, q.min_position.as_deref()).await?;
    let m = app.model();
    // Integrators put keys in webhook URLs: only who manages settings reads them.
    let admin = caller.principal.has_right(Right::SettingsManage);
    let mut items: Vec<_> = m
        .catalog
        .channels
        .values()
        .map(|c| views::ChannelOut {
            webhook_url: c.webhook_url.clone().filter(|_| admin),
            ..views::channel(c)
        })
        .collect();
    items.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    Ok(HttpResponse::Ok().json(Items { items }))
}

#[utoipa::path(post, path = "/api/v1/channels", tag = "channels", request_body = NewChannel, operation_id = "create_channel", security(("bearer" = [])), responses((status = 201, description = "the channel, with `transport_token` and `webhook_secret` shown once", body = Written<views::ChannelOut>), (status = 401, description = "unauthorized", body = Problem), (status = 403, description = "forbidden", body = Problem)))]
#[post("/channels")]
async fn create(
    app: web::Data<App>,
    caller: Caller,
    body: Json<NewChannel>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner();
    let channel_id = ChannelId::from(Uuid::new_v4());
    let token = credentials::new_token();
    let secret = credentials::new_token();
    let cmd = app.command(
        caller.principal,
        ChannelCommand::Register {
            channel_id,
            channel_type: body.channel_type,
            name: body.name,
            webhook_url: body.webhook_url,
            capabilities: body.settings.capabilities.unwrap_or_default(),
            limits: body.settings.limits.unwrap_or_default(),
            transport_token_hash: credentials::token_hash(&token),
            webhook_secret: secret.clone(),
        },
    );
    let out = app.execute::<Channel>(channel_id.0, &cmd).await?;
    written_view(&app, StatusCode::CREATED, out.position, |m| {
        m.catalog
            .channels
            .get(&channel_id)
            .map(|c| views::ChannelOut {
                transport_token: Some(token),
                webhook_secret: Some(secret),
                ..views::channel(c)
            })
    })
    .await
}

#[derive(Deserialize, ToSchema)]
pub struct ChannelPatch {
    name: Option<String>,
    /// `null` removes the webhook; absent leaves it.
    #[serde(default, deserialize_with = "super::support_serde::double_option")]
    webhook_url: Option<Option<String>>,
    #[serde(default)]
    settings: ChannelSettings,
    /// R37: the reply a customer gets outside working hours (once per closed period and
    /// dialog); `null` removes it, absent leaves it.
    #[serde(default, deserialize_with = "super::support_serde::double_option")]
    away_text: Option<Option<String>>,
}

#[utoipa::path(patch, path = "/api/v1/channels/{id}", tag = "channels", operation_id = "update_channel", params(("id" = uuid::Uuid, Path)), request_body = ChannelPatch, security(("bearer" = [])), responses((status = 200, body = Written<views::ChannelOut>), (status = 404, body = Problem), (status = 401, description = "unauthorized", body = Problem), (status = 403, description = "forbidden", body = Problem)))]
#[patch("/channels/{id}")]
async fn update(
    app: web::Data<App>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<ChannelPatch>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner();
    let cmd = app.command(
        caller.principal,
        ChannelCommand::Update {
            name: body.name,
            webhook_url: body.webhook_url,
            capabilities: body.settings.capabilities.unwrap_or_default(),
            limits: body.settings.limits.unwrap_or_default(),
            away_text: body.away_text,
        },
    );
    let out = app.execute::<Channel>(*id, &cmd).await?;
    written_view(&app, StatusCode::OK, out.position, |m| {
        m.catalog
            .channels
            .get(&ChannelId::from(*id))
            .map(views::channel)
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/channels/{id}/templates", tag = "channels", params(("id" = uuid::Uuid, Path), ReadParams), security(("bearer" = [])), responses((status = 200, description = "R26: the channel's templates as its integration published them last, by code; send one with `{template: {code, params}}`", body = Items<Template>), (status = 404, description = "not_found: no such channel", body = Problem), (status = 401, description = "unauthorized", body = Problem)))]
#[get("/channels/{id}/templates")]
async fn list_templates(
    app: web::Data<App>,
    _caller: Caller,
    id: web::Path<Uuid>,
    q: web::Query<ReadParams>,
) -> Result<HttpResponse, Problem> {
    settle(&app, q.min_position.as_deref()).await?;
    let m = app.model();
    let c = m
        .catalog
        .channels
        .get(&ChannelId::from(*id))
        .ok_or_else(Problem::not_found)?;
    let mut items = c.templates.clone();
    items.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(HttpResponse::Ok().json(Items { items }))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(update)
        .service(list_templates);
}
