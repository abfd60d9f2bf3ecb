//! The AsyncAPI document of the WebSocket feed, generated from `FrameData` (the enum the gateway
//! sends) and committed as `api-schema/asyncapi.json`; a test fails when the two differ.

use super::frames::Frame;
use serde_json::json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(components(schemas(Frame)))]
struct FrameSchemas;

pub fn document() -> String {
    let schemas = FrameSchemas::openapi()
        .components
        .map(|c| serde_json::to_value(c.schemas).expect("schemas serialise"))
        .unwrap_or_default();
    let doc = json!({
        "asyncapi": "3.0.0",
        "info": {
            "title": "chatd live feed",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "GET /api/v1/ws. Authenticate with `Authorization: Bearer <token>` or, from browsers, `?token=`. The server sends JSON text frames `{type, position, part, data}`, each only to users allowed to see what it is about. Reconnect with `?since=<position>&part=<part>` of the last frame received to receive every frame missed since, in order, then live ones, none lost or duplicated (one change can make several frames at one position, numbered by `part`: a connection cut between them resumes with the rest; `since` alone resumes after the whole change); a position another node sent that this node has not applied yet is waited for (at most 5 s, as `min_position`; then 503 `projection_lagging`), and a position beyond the log's head (of no log this node knows) or older than this node kept answers `resync_required`, and so does falling too far behind (the socket is then closed): reload, then reconnect. The server pings every 20 s and drops a client silent for 60 s. A resumed feed replays only what the user could see when it happened and can still see now: a dialog reassigned away or deleted since comes back as one `dialog_removed`. The server closes a socket with code 4401 `session_ended` when its session ends (logout, deactivation: log in again) and 4403 `access_changed` when the user's role or rights change (reconnect). Users going online or offline, on this node or another (another node's news within about 2 s), are announced every quarter second: a `user_updated` each, or one `presence` frame listing them when more than 16 moved at once (a shift starting: up to 256 a frame, a larger crowd over the next quarter seconds)."
        },
        "channels": {
            "feed": {
                "address": "/api/v1/ws",
                "messages": { "frame": { "$ref": "#/components/messages/frame" } }
            }
        },
        "operations": {
            "receiveFrames": {
                "action": "receive",
                "channel": { "$ref": "#/channels/feed" },
                "messages": [{ "$ref": "#/channels/feed/messages/frame" }]
            }
        },
        "components": {
            "messages": {
                "frame": {
                    "name": "frame",
                    "contentType": "application/json",
                    "payload": { "$ref": "#/components/schemas/Frame" }
                }
            },
            "schemas": schemas
        }
    });
    serde_json::to_string_pretty(&doc).expect("the document serialises") + "\n"
}

#[cfg(test)]
mod tests {
    #[test]
    fn committed_asyncapi_is_what_the_code_generates() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../api-schema/asyncapi.json"
        );
        let generated = super::document();
        if std::env::var_os("UPDATE_ASYNCAPI").is_some() {
            std::fs::write(path, &generated).expect("write api-schema/asyncapi.json");
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == generated,
            "api-schema/asyncapi.json is stale: run UPDATE_ASYNCAPI=1 cargo test -p chatd-server asyncapi"
        );
    }

    #[test]
    fn every_frame_type_is_in_the_document() {
        let doc: serde_json::Value = serde_json::from_str(&super::document()).unwrap();
        let text = doc["components"]["schemas"].to_string();
        for t in [
            "message_new",
            "message_updated",
            "dialog_opened",
            "dialog_updated",
            "dialog_removed",
            "unread_count",
            "customer_updated",
            "user_updated",
            "presence",
            "resync_required",
        ] {
            assert!(text.contains(&format!("\"{t}\"")), "{t} is not documented");
        }
    }
}
