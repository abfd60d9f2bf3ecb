//! The OpenAPI document, generated from the handlers' annotations. `api-schema/openapi.json` is
//! this document as committed; a test fails when the two differ, so the published schema is the
//! code's. Served at `GET /api/v1/openapi.json`.

use super::{
    audit, bot_api, bots, channels, customers, dialog_list, dialogs, files, health, messages,
    notes, people, privacy, reports, settings, timing, transport, transport_changes,
};
use crate::delivery::webhook;
use actix_web::{get, HttpResponse};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

struct Security;

impl Modify for Security {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
        components.add_security_scheme(
            "bot",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-Bot-Token"))),
        );
        components.add_security_scheme(
            "transport",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-Transport-Token"))),
        );
    }
}

/// R38: every write takes `min_position` too (the server also waits for the caller's own earlier
/// writes by itself; see `own_writes`).
struct WritesTakeMinPosition;

impl Modify for WritesTakeMinPosition {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
        use utoipa::openapi::{ObjectBuilder, Required, Type};
        let param = ParameterBuilder::new()
            .name("min_position")
            .parameter_in(ParameterIn::Query)
            .required(Required::False)
            .description(Some(
                "R38: act only once the read models have reached this position (5 s at most, \
                 then 503 `projection_lagging`), e.g. the `position` of a write on another node",
            ))
            .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
            .build();
        for item in api.paths.paths.values_mut() {
            for op in [
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                let params = op.parameters.get_or_insert_with(Vec::new);
                if !params.iter().any(|p| p.name == "min_position") {
                    params.push(param.clone());
                }
            }
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "chatd",
        description = "Event-sourced customer chat: the manager API (bearer sessions) and the transport API (channel integrations). Errors are RFC 9457 problem documents with a stable `code`. Every write answers the global `position` of its last event; every read takes `min_position` and waits (5 s at most, then 503 `projection_lagging`) until the read models have reached it. Request bodies are strict: a field the document does not define is 422 `unknown_field` naming its path. A foreign page's `Origin` is 403 `origin_not_allowed`; an unreachable store is 503 `store_unavailable` with `Retry-After`."
    ),
    paths(
        health::healthz,
        health::readyz,
        health::metrics,
        people::log_in,
        people::log_out,
        people::me,
        people::list_users,
        people::create_user,
        people::update_user,
        people::list_groups,
        people::create_group,
        people::update_group,
        channels::list,
        channels::create,
        channels::update,
        channels::list_templates,
        dialog_list::list_dialogs,
        dialog_list::facets,
        dialog_list::unread_count,
        dialogs::delete_dialogs,
        dialogs::dialog_detail,
        dialogs::timeline_route,
        dialogs::send,
        dialogs::reassign,
        dialogs::close,
        dialogs::read,
        dialogs::unread,
        dialogs::save_draft,
        dialogs::clear_draft,
        dialogs::unpin_customer,
        dialogs::pin_customer,
        messages::edit_message,
        messages::delete_message,
        messages::set_reaction,
        messages::dialog_typing,
        notes::add_note,
        notes::edit_note,
        notes::delete_note,
        notes::list_mentions,
        notes::mention_done,
        customers::customer_card_route,
        customers::block,
        customers::unblock,
        customers::tag_customer,
        customers::untag,
        customers::list_tags,
        customers::create_tag,
        customers::update_tag,
        customers::delete_tag,
        privacy::erase,
        privacy::export,
        reports::summary,
        reports::dialogs,
        timing::get_calendar,
        timing::put_calendar,
        timing::remove_calendar,
        timing::snooze,
        timing::unsnooze,
        timing::list_scheduled,
        timing::schedule,
        timing::edit_scheduled,
        timing::cancel_scheduled,
        timing::set_clock,
        timing::get_clock,
        settings::get_limits,
        settings::put_limits,
        settings::list,
        settings::create,
        settings::update,
        settings::use_reply,
        settings::remove,
        bots::list_bots,
        bots::create_bot,
        bots::update_bot,
        bots::list_orders,
        transport::receive,
        transport::ack,
        transport::read_until,
        transport::publish_templates,
        transport_changes::transport_edit_message,
        transport_changes::transport_delete_message,
        transport_changes::transport_reaction,
        transport_changes::transport_typing,
        files::upload_manager,
        files::get_manager,
        files::preview,
        files::dialog_attachments,
        files::upload_transport,
        files::get_transport,
        audit::find_dialogs,
        audit::dialog_events,
        audit::log,
        audit::checkpoint,
        audit::key,
        bot_api::list,
        bot_api::send,
        bot_api::reassign,
        bot_api::close,
    ),
    components(schemas(webhook::WebhookPayload, webhook::WebhookChange, webhook::WebhookReply, files::AttachmentTab)),
    tags(
        (name = "webhooks", description = "Outgoing: every message a manager or bot sends is POSTed to the channel's `webhook_url` as `WebhookPayload` (`{type: \"message_sent\", id, data}`), with `X-Chat-Signature: sha256=<hex HMAC-SHA256 of the raw body under the channel's webhook_secret>`, `X-Chat-Delivery` (the message id) and `X-Chat-Attempt`. Delivery is at least once, in order per dialog, retried with exponential back-off; a 2xx answer (`WebhookReply`, `{external_message_id}`) makes the message `sent`; giving up makes it `failed` with `network_error`, and a 4xx other than 408/429 makes it `failed` with `rejected_by_integration`. Statuses then come back through `POST /api/transport/v1/messages/ack` and `/read-until`. Edits, deletions and reactions a manager or bot makes (R21–R23) and their typing (R24) are POSTed the same way as `WebhookChange` (`{type: \"message_updated\" | \"message_deleted\" | \"reaction_set\" | \"typing\", event_id, data}`, `X-Chat-Delivery` = `event_id`), in order with the dialog's messages; typing is tried once and never after a restart. Every body carries `event_id`, the same on every attempt, so an integration drops duplicates by it.")
    ),
    modifiers(&Security, &WritesTakeMinPosition)
)]
pub struct ApiDoc;

/// The document as committed to `api-schema/openapi.json`.
pub fn document() -> String {
    ApiDoc::openapi()
        .to_pretty_json()
        .expect("the OpenAPI document serialises")
        + "\n"
}

#[get("/api/v1/openapi.json")]
pub async fn serve() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(document())
}

#[cfg(test)]
mod tests {
    /// What client generators need of the document (issue 18): every operation has its own
    /// `operationId`, and every `$ref` names a schema the document defines.
    #[test]
    fn operation_ids_are_unique_and_every_reference_resolves() {
        let doc: serde_json::Value = serde_json::from_str(&super::document()).unwrap();
        let mut ids = std::collections::HashMap::<String, usize>::new();
        for item in doc["paths"].as_object().unwrap().values() {
            for op in item.as_object().unwrap().values() {
                if let Some(id) = op.get("operationId").and_then(|v| v.as_str()) {
                    *ids.entry(id.to_owned()).or_default() += 1;
                }
            }
        }
        let twice: Vec<_> = ids.iter().filter(|(_, n)| **n > 1).collect();
        assert!(
            twice.is_empty(),
            "operationIds used more than once: {twice:?}"
        );
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        let text = doc.to_string();
        let missing: Vec<&str> = text
            .split("\"#/components/schemas/")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .filter(|name| !schemas.contains_key(*name))
            .collect();
        assert!(
            missing.is_empty(),
            "references to undefined schemas: {missing:?}"
        );
    }

    #[test]
    fn committed_openapi_is_what_the_code_generates() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../api-schema/openapi.json");
        let generated = super::document();
        if std::env::var_os("UPDATE_OPENAPI").is_some() {
            std::fs::write(path, &generated).expect("write api-schema/openapi.json");
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == generated,
            "api-schema/openapi.json is stale: run UPDATE_OPENAPI=1 cargo test -p chatd-server openapi"
        );
    }
}
