//! One webhook call: the bodies an integration receives (a message we send, a change of a
//! message, someone typing), their HMAC-SHA256 signature, and how the answer is read.

use crate::http::views::{actor, ActorOut};
use chatd_app::Typing;
use chatd_domain::channel::AttachmentKind;
use chatd_projections::model::outbox::{self, Notice, NoticeKind, Pending};
use chatd_projections::ReadModel;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::time::Duration;
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

/// The header carrying `sha256=<hex HMAC-SHA256 of the raw body under the channel's secret>`.
pub const SIGNATURE_HEADER: &str = "X-Chat-Signature";

/// POSTed to a channel's `webhook_url` for every message a manager or bot sends (SPEC §5).
/// `id` is the message id; `event_id` names this body, the same on every attempt: an
/// integration that sees it twice (at-least-once) can drop the copy.
#[derive(Serialize, ToSchema)]
pub struct WebhookPayload {
    /// Always `message_sent`.
    #[serde(rename = "type")]
    pub kind: String,
    pub event_id: Uuid,
    pub id: Uuid,
    pub data: WebhookMessage,
}

/// POSTed to a channel's `webhook_url` when a manager or bot edits a message
/// (`message_updated`, R21), deletes one (`message_deleted`, R22), reacts to one
/// (`reaction_set`, R23), or is typing (`typing`, R24), and once per dialog when an admin
/// erases the dialog's customer (`customer_erased`, R35: delete your copies; the chat's and
/// the customer's external ids read `[erased]`, the message fields are `null`). Bodies of one dialog arrive in the
/// order the changes were made; `event_id` is the same on every attempt.
#[derive(Serialize, ToSchema)]
pub struct WebhookChange {
    /// `message_updated`, `message_deleted`, `reaction_set`, `typing` or `customer_erased`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub event_id: Uuid,
    pub data: WebhookChangeData,
}

#[derive(Serialize, ToSchema)]
pub struct WebhookChangeData {
    pub dialog_id: Uuid,
    pub channel_id: Uuid,
    /// The chat in the messenger.
    pub external_chat_id: String,
    /// The customer's id in the messenger, when the dialog has a customer.
    pub customer_external_id: Option<String>,
    /// The message changed (`null` for `typing`).
    pub message_id: Option<Uuid>,
    /// The messenger's id of that message, when it has one (the answer to `message_sent`, or
    /// the customer's message id).
    pub external_message_id: Option<String>,
    /// Who made the change, or is typing.
    pub by: ActorOut,
    /// `message_updated`: the new text.
    pub text: Option<String>,
    /// `reaction_set`: the emoji, or `null` when the reaction was cleared.
    pub emoji: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

#[derive(Serialize, ToSchema)]
pub struct WebhookMessage {
    pub message_id: Uuid,
    pub dialog_id: Uuid,
    pub channel_id: Uuid,
    /// The chat in the messenger to write to.
    pub external_chat_id: String,
    /// The customer's id in the messenger, when the dialog has a customer.
    pub customer_external_id: Option<String>,
    pub author: ActorOut,
    pub text: String,
    pub attachments: Vec<WebhookAttachment>,
    pub quote: Option<WebhookQuote>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// R26: the approved template `text` was rendered from; `null` for free-form messages.
    pub template: Option<chatd_domain::template::TemplateUse>,
}

#[derive(Serialize, ToSchema)]
pub struct WebhookAttachment {
    pub file_id: Uuid,
    pub kind: AttachmentKind,
    pub name: String,
    pub mime: String,
    pub size: u64,
    /// Download with the transport token: `GET` this path on chatd.
    pub url: String,
}

#[derive(Serialize, ToSchema)]
pub struct WebhookQuote {
    pub message_id: Uuid,
    /// The quoted message's id in the messenger, when it has one.
    pub external_id: Option<String>,
    pub text: String,
}

/// The integration's answer to a delivery: `{external_message_id}` (optional).
#[derive(Deserialize, ToSchema)]
pub struct WebhookReply {
    pub external_message_id: Option<String>,
}

fn customer_external_id(m: &ReadModel, dialog: chatd_domain::DialogId) -> Option<String> {
    m.dialogs
        .get(&dialog)
        .and_then(|d| d.customer_id)
        .and_then(|c| m.customers.get(&c))
        .map(|c| c.external_id.clone())
}

/// The body of a change of a message (R21–R23).
pub fn notice(m: &ReadModel, n: &Notice, external_message_id: Option<String>) -> WebhookChange {
    let (kind, text, emoji) = match &n.kind {
        NoticeKind::Updated { text } => ("message_updated", Some(text.clone()), None),
        NoticeKind::Deleted => ("message_deleted", None, None),
        NoticeKind::Reaction { emoji } => ("reaction_set", None, emoji.clone()),
        NoticeKind::CustomerErased => ("customer_erased", None, None),
    };
    let erased = matches!(n.kind, NoticeKind::CustomerErased);
    WebhookChange {
        kind,
        event_id: n.event_id,
        data: WebhookChangeData {
            dialog_id: n.dialog_id.0,
            channel_id: n.channel_id.0,
            external_chat_id: n.external_chat_id.clone(),
            customer_external_id: (!erased)
                .then(|| customer_external_id(m, n.dialog_id))
                .flatten(),
            message_id: (!erased).then_some(n.message_id.0),
            external_message_id,
            by: actor(m, &n.by),
            text,
            emoji,
            at: n.at,
        },
    }
}

/// The body of R24's typing notice; `None` when the dialog is gone from the read models.
pub fn typing(m: &ReadModel, t: &Typing, event_id: Uuid) -> Option<WebhookChange> {
    let row = m.dialogs.get(&t.dialog_id)?;
    Some(WebhookChange {
        kind: "typing",
        event_id,
        data: WebhookChangeData {
            dialog_id: t.dialog_id.0,
            channel_id: row.channel_id.0,
            external_chat_id: row.external_chat_id.clone(),
            customer_external_id: customer_external_id(m, t.dialog_id),
            message_id: None,
            external_message_id: None,
            by: actor(m, &t.actor),
            text: None,
            emoji: None,
            at: t.at,
        },
    })
}

pub fn payload(m: &ReadModel, p: &Pending, quote_external_id: Option<String>) -> WebhookPayload {
    let customer_external_id = customer_external_id(m, p.dialog_id);
    WebhookPayload {
        kind: "message_sent".into(),
        event_id: outbox::event_id(p.dialog_id, p.position),
        id: p.message_id.0,
        data: WebhookMessage {
            message_id: p.message_id.0,
            dialog_id: p.dialog_id.0,
            channel_id: p.channel_id.0,
            external_chat_id: p.external_chat_id.clone(),
            customer_external_id,
            author: actor(m, &p.author),
            text: p.text.clone(),
            attachments: p
                .attachments
                .iter()
                .map(|a| WebhookAttachment {
                    file_id: a.file_id.0,
                    kind: a.kind,
                    name: a.name.clone(),
                    mime: a.mime.clone(),
                    size: a.size,
                    url: format!("/api/transport/v1/files/{}", a.file_id),
                })
                .collect(),
            quote: p.quote.as_ref().map(|q| WebhookQuote {
                message_id: q.message_id.0,
                external_id: quote_external_id,
                text: q.text.clone(),
            }),
            created_at: p.created_at,
            template: p.template.clone(),
        },
    }
}

/// `sha256=<hex>` of HMAC-SHA256(`body`) under `secret`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Why an attempt did not deliver.
#[derive(Debug)]
pub enum Failure {
    /// Worth another attempt: no connection, a timeout, 408, 429 or 5xx.
    Retry(String),
    /// The integration refused the message for good (another 4xx).
    Rejected(String),
}

/// POST `body` once. `Ok` carries the integration's id for the message, if it gave one.
pub async fn post(
    client: &reqwest::Client,
    url: &str,
    secret: &str,
    body: Vec<u8>,
    delivery: Uuid,
    attempt: u32,
    timeout: Duration,
) -> Result<Option<String>, Failure> {
    let sig = signature(secret, &body);
    let sent = client
        .post(url)
        .timeout(timeout)
        .header("content-type", "application/json")
        .header(SIGNATURE_HEADER, sig)
        .header("X-Chat-Delivery", delivery.to_string())
        .header("X-Chat-Attempt", attempt.to_string())
        .body(body)
        .send()
        .await
        .map_err(|e| Failure::Retry(e.to_string()))?;
    let status = sent.status();
    if status.is_success() {
        // A body that is not the documented JSON still counts as delivered, without an id.
        let bytes = sent.bytes().await.unwrap_or_default();
        let reply = serde_json::from_slice::<WebhookReply>(&bytes).ok();
        return Ok(reply
            .and_then(|r| r.external_message_id)
            .filter(|id| !id.is_empty() && id.len() <= 512));
    }
    let reason = format!("the integration answered {status}");
    if status.is_server_error() || status.as_u16() == 408 || status.as_u16() == 429 {
        Err(Failure::Retry(reason))
    } else {
        Err(Failure::Rejected(reason))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_the_hmac_of_the_body() {
        // RFC 4231 test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
