//! `spawn_app()`: a real chatd on 127.0.0.1:0 with its own temporary data directory, and helpers
//! that speak its API the way the SPA and integrations do. Logs only when `TEST_LOG` is set.

pub mod receiver;
pub mod schema;
mod ws;

pub use ws::Ws;

use chatd_server::config::{Config, Overrides};
use serde_json::{json, Value};
use std::sync::Once;

pub const ADMIN_PASSWORD: &str = "admin-password-for-tests";

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub dir: tempfile::TempDir,
    running: Option<chatd_server::Running>,
}

static TELEMETRY: Once = Once::new();

/// The ids of a list answer's `items`, in order.
pub fn ids(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Wait (up to 20 s) until `check` holds; for effects of chatd's background work.
pub async fn eventually<F, Fut>(mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..400 {
        if check().await {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the condition did not hold within 20 s");
}

pub async fn spawn_app() -> TestApp {
    spawn_app_in(tempfile::tempdir().expect("temp dir")).await
}

/// Start chatd on an existing data directory (to test restarts).
pub async fn spawn_app_in(dir: tempfile::TempDir) -> TestApp {
    spawn_app_with(dir, |_| {}).await
}

/// Start chatd with a configuration adjusted by `adjust`.
pub async fn spawn_app_with(dir: tempfile::TempDir, adjust: impl FnOnce(&mut Config)) -> TestApp {
    TELEMETRY.call_once(|| {
        if std::env::var_os("TEST_LOG").is_some() {
            chatd_server::telemetry::init("debug");
        }
    });
    let mut config = Config::load(Overrides {
        config_file: None,
        listen: Some("127.0.0.1:0".into()),
        data_dir: Some(dir.path().to_owned()),
    })
    .expect("config");
    config.admin_password = Some(ADMIN_PASSWORD.into());
    adjust(&mut config);
    let running = chatd_server::start(&config).await.expect("start chatd");
    TestApp {
        base: format!("http://{}", running.addr),
        client: reqwest::Client::new(),
        dir,
        running: Some(running),
    }
}

/// An HTTP answer: status and JSON body (`Null` when there is none).
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
    pub content_type: String,
}

impl Answer {
    /// The problem code of an error answer.
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }
    pub fn position(&self) -> String {
        self.body["position"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

impl TestApp {
    /// A chatd the test started some other way (e.g. `chatd demo --live`), at `base`.
    pub fn at(base: String, dir: tempfile::TempDir) -> TestApp {
        TestApp {
            base,
            client: reqwest::Client::new(),
            dir,
            running: None,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        let bearer = token.map(|t| format!("Bearer {t}"));
        let headers: Vec<(&str, &str)> = bearer
            .iter()
            .map(|b| ("authorization", b.as_str()))
            .collect();
        self.call_as(method, path, &headers, body).await
    }

    /// Any call, with `headers` (credentials of any kind) and an optional JSON body; the answer
    /// is checked against the document, and so is a body the server accepted.
    pub async fn call_as(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> Answer {
        let mut req = self.request(method, path, headers);
        if let Some(b) = &body {
            req = req.json(b);
        }
        let a = answer_to(method, req.send().await.expect("request")).await;
        if let Some(b) = &body {
            let path = path.split('?').next().unwrap_or_default();
            schema::check_request(method, path, a.status, b);
        }
        a
    }

    /// Bytes sent as a JSON body, whatever they hold; the answer is checked as `call_as` does.
    pub async fn call_raw(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Answer {
        let req = self
            .request(method, path, headers)
            .header("content-type", "application/json")
            .body(body);
        answer_to(method, req.send().await.expect("request")).await
    }

    fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
    ) -> reqwest::RequestBuilder {
        let verb = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        headers
            .iter()
            .fold(self.client.request(verb, self.url(path)), |r, (k, v)| {
                r.header(*k, *v)
            })
    }

    /// `POST /api/v1/auth/login`, whatever it answers.
    pub async fn login_attempt(&self, login: &str, password: &str) -> Answer {
        self.call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"login": login, "password": password})),
        )
        .await
    }

    pub async fn login(&self, login: &str, password: &str) -> String {
        let a = self.login_attempt(login, password).await;
        assert_eq!(a.status, 200, "login {login}: {a:?}");
        a.body["token"].as_str().expect("token").to_owned()
    }

    pub async fn admin(&self) -> String {
        self.login("admin", ADMIN_PASSWORD).await
    }

    /// Create a user as `admin_token` and log them in.
    pub async fn user(
        &self,
        admin_token: &str,
        login: &str,
        role: &str,
        group_ids: &[&str],
    ) -> (String, String) {
        let a = self
            .call(
                "POST",
                "/api/v1/users",
                Some(admin_token),
                Some(json!({"login": login, "name": login.to_uppercase(), "password": "password-123", "role": role, "group_ids": group_ids})),
            )
            .await;
        assert_eq!(a.status, 201, "create {login}: {a:?}");
        let id = a.body["id"].as_str().unwrap().to_owned();
        (id, self.login(login, "password-123").await)
    }

    /// Create a tag as `admin_token` (the answer, with the tag's `id` and `position`).
    pub async fn tag(&self, admin_token: &str, name: &str, color: &str) -> Answer {
        let a = self
            .call(
                "POST",
                "/api/v1/tags",
                Some(admin_token),
                Some(json!({"name": name, "color": color})),
            )
            .await;
        assert_eq!(a.status, 201, "create tag {name}: {a:?}");
        a
    }

    /// Register a channel; returns `(channel id, transport token)`.
    pub async fn channel(&self, admin_token: &str, kind: &str) -> (String, String) {
        let a = self
            .call(
                "POST",
                "/api/v1/channels",
                Some(admin_token),
                Some(json!({"type": kind, "name": format!("{kind} shop")})),
            )
            .await;
        assert_eq!(a.status, 201, "{a:?}");
        (
            a.body["id"].as_str().unwrap().to_owned(),
            a.body["transport_token"].as_str().unwrap().to_owned(),
        )
    }

    /// Register a channel with a webhook; returns `(channel id, transport token, webhook secret)`.
    pub async fn channel_with_webhook(
        &self,
        admin_token: &str,
        kind: &str,
        webhook_url: &str,
    ) -> (String, String, String) {
        let a = self
            .call(
                "POST",
                "/api/v1/channels",
                Some(admin_token),
                Some(json!({"type": kind, "name": format!("{kind} shop"), "webhook_url": webhook_url})),
            )
            .await;
        assert_eq!(a.status, 201, "{a:?}");
        let s = |k: &str| a.body[k].as_str().unwrap().to_owned();
        (s("id"), s("transport_token"), s("webhook_secret"))
    }

    /// A transport API call with `X-Transport-Token`.
    pub async fn transport(&self, token: &str, path: &str, body: Value) -> Answer {
        let path = format!("/api/transport/v1{path}");
        self.call_as("POST", &path, &[("x-transport-token", token)], Some(body))
            .await
    }

    /// Upload bytes as a file; `transport`: through the transport API with that token,
    /// otherwise through the manager API with `token`.
    pub async fn upload(
        &self,
        token: &str,
        transport: bool,
        name: &str,
        mime: &str,
        bytes: Vec<u8>,
    ) -> Answer {
        let (path, header) = if transport {
            ("/api/transport/v1/files", "x-transport-token")
        } else {
            ("/api/v1/files", "authorization")
        };
        let value = if transport {
            token.to_owned()
        } else {
            format!("Bearer {token}")
        };
        let req = self
            .client
            .post(self.url(&format!("{path}?name={name}")))
            .header(header, value)
            .header("content-type", mime)
            .body(bytes);
        answer(req.send().await.expect("request")).await
    }

    /// Message `id` as the dialog's timeline shows it to `token` (`Null` when it is not there).
    pub async fn timeline_message(&self, token: &str, dialog: &str, id: &str) -> Value {
        self.timeline_messages(token, dialog)
            .await
            .into_iter()
            .find(|m| m["id"] == id)
            .unwrap_or(Value::Null)
    }

    /// The messages of a dialog's timeline as `token` sees it, newest first (up to 200).
    pub async fn timeline_messages(&self, token: &str, dialog: &str) -> Vec<Value> {
        self.timeline(token, dialog)
            .await
            .into_iter()
            .filter(|e| e["type"] == "message")
            .map(|e| e["message"].clone())
            .collect()
    }

    /// A dialog's timeline entries (messages, notes, system entries) as `token` sees them,
    /// newest first (up to 200).
    pub async fn timeline(&self, token: &str, dialog: &str) -> Vec<Value> {
        let t = self
            .call(
                "GET",
                &format!("/api/v1/dialogs/{dialog}/timeline?limit=200"),
                Some(token),
                None,
            )
            .await;
        assert_eq!(t.status, 200, "{t:?}");
        t.body["items"].as_array().unwrap().clone()
    }

    /// Every item of a paged list: `path` (with its query) read page by page, passing each
    /// answer's `next_cursor` back as `cursor_param` (`cursor`, or `after` for the audit log).
    pub async fn all_items(&self, token: &str, path: &str, cursor_param: &str) -> Vec<Value> {
        let mut items = Vec::new();
        let mut next: Option<String> = None;
        loop {
            let url = match &next {
                Some(c) => format!("{path}&{cursor_param}={c}"),
                None => path.to_owned(),
            };
            let page = self.call("GET", &url, Some(token), None).await;
            assert_eq!(page.status, 200, "{url}: {page:?}");
            items.extend(page.body["items"].as_array().unwrap().iter().cloned());
            match page.body["next_cursor"].as_str() {
                Some(c) => next = Some(c.to_owned()),
                None => return items,
            }
        }
    }

    /// Every order (R18), as `token` lists them.
    pub async fn orders(&self, token: &str) -> Vec<Value> {
        let a = self.call("GET", "/api/v1/orders", Some(token), None).await;
        assert_eq!(a.status, 200, "{a:?}");
        a.body["items"].as_array().unwrap().clone()
    }

    /// The dialog's events as the audit API gives them to `token` (an auditor or an admin).
    pub async fn dialog_events(&self, token: &str, dialog: &str) -> Vec<Value> {
        let path = format!("/api/audit/v1/dialogs/{dialog}/events?limit=500");
        let a = self.call("GET", &path, Some(token), None).await;
        assert_eq!(a.status, 200, "{a:?}");
        a.body["items"].as_array().unwrap().clone()
    }

    /// The status of message `id` in the dialog's timeline, as `token` sees it.
    pub async fn message_status(&self, token: &str, dialog: &str, id: &str) -> Value {
        self.timeline_message(token, dialog, id).await["status"].clone()
    }

    /// Wait (up to 20 s) until message `id` has `status`.
    pub async fn wait_status(&self, token: &str, dialog: &str, id: &str, status: &str) {
        for _ in 0..400 {
            if self.message_status(token, dialog, id).await == status {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!(
            "message {id} never became {status}: {}",
            self.message_status(token, dialog, id).await
        );
    }

    /// A customer message through the transport API.
    pub async fn inbound(
        &self,
        transport: &str,
        chat: &str,
        customer: &str,
        msg: &str,
        text: &str,
    ) -> Answer {
        let req = self
            .client
            .post(self.url("/api/transport/v1/messages"))
            .header("x-transport-token", transport)
            .json(&json!({
                "external_chat_id": chat,
                "customer": {"external_id": customer, "name": format!("Customer {customer}"), "utm": {"source": "ads"}},
                "message": {"external_id": msg, "text": text},
            }));
        answer(req.send().await.expect("request")).await
    }

    /// An inbound message that must succeed; returns the dialog id.
    pub async fn dialog(&self, transport: &str, chat: &str, text: &str) -> String {
        let a = self
            .inbound(
                transport,
                chat,
                &format!("cust-{chat}"),
                &format!("{chat}-{text}"),
                text,
            )
            .await;
        assert_eq!(a.status, 200, "{a:?}");
        a.body["dialog_id"].as_str().unwrap().to_owned()
    }

    /// Where the read models came from at start: `Some(position)` when restored from a snapshot.
    pub fn restored_from(&self) -> Option<String> {
        self.running
            .as_ref()
            .and_then(|r| r.app.restored_from)
            .map(|p| p.to_string())
    }

    /// Stop gracefully, as on SIGTERM; the data directory is handed back.
    pub async fn stop(mut self) -> tempfile::TempDir {
        if let Some(r) = self.running.take() {
            r.stop().await;
        }
        self.dir
    }
}

impl TestApp {
    /// Open `GET /api/v1/ws` with `?token=` (and `since`, to resume).
    pub async fn ws(&self, token: &str, since: Option<&str>) -> Ws {
        let mut url = format!(
            "{}/api/v1/ws?token={token}",
            self.base.replace("http://", "ws://")
        );
        if let Some(s) = since {
            url.push_str(&format!("&since={s}"));
        }
        let (stream, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("WebSocket handshake");
        Ws { stream }
    }

    /// The HTTP status a WebSocket handshake is refused with (`None` when it is accepted).
    pub async fn ws_refused(&self, token: &str, since: Option<&str>) -> Option<u16> {
        let mut url = format!(
            "{}/api/v1/ws?token={token}",
            self.base.replace("http://", "ws://")
        );
        if let Some(s) = since {
            url.push_str(&format!("&since={s}"));
        }
        match tokio_tungstenite::connect_async(url).await {
            Ok(_) => None,
            Err(tokio_tungstenite::tungstenite::Error::Http(r)) => Some(r.status().as_u16()),
            Err(e) => panic!("handshake failed without an HTTP answer: {e}"),
        }
    }

    /// `by` hands dialog `dialog` to user `to` (R2).
    pub async fn reassign(&self, by: &str, dialog: &str, to: &str) -> Answer {
        self.call(
            "POST",
            &format!("/api/v1/dialogs/{dialog}/reassign"),
            Some(by),
            Some(serde_json::json!({"to": {"type": "user", "id": to}})),
        )
        .await
    }

    /// `by` writes `text` into `dialog`.
    pub async fn send(&self, by: &str, dialog: &str, text: &str) -> Answer {
        self.call(
            "POST",
            &format!("/api/v1/dialogs/{dialog}/messages"),
            Some(by),
            Some(serde_json::json!({ "text": text })),
        )
        .await
    }

    /// R37: `token` schedules `text` in `dialog` for `send_at` (RFC 3339).
    pub async fn schedule(&self, token: &str, dialog: &str, send_at: &str, text: &str) -> Answer {
        self.call(
            "POST",
            &format!("/api/v1/dialogs/{dialog}/scheduled"),
            Some(token),
            Some(serde_json::json!({"send_at": send_at, "text": text})),
        )
        .await
    }

    /// R37: a dialog's scheduled messages as `token` sees them.
    pub async fn scheduled(&self, token: &str, dialog: &str) -> Vec<Value> {
        let path = format!("/api/v1/dialogs/{dialog}/scheduled");
        let a = self.call("GET", &path, Some(token), None).await;
        assert_eq!(a.status, 200, "{a:?}");
        a.body["items"].as_array().unwrap().clone()
    }

    /// `GET /api/v1/dialogs/{dialog}` as `token`, after `min_position` when given.
    pub async fn detail(&self, token: &str, dialog: &str, min_position: Option<&str>) -> Answer {
        let path = match min_position {
            Some(p) => format!("/api/v1/dialogs/{dialog}?min_position={p}"),
            None => format!("/api/v1/dialogs/{dialog}"),
        };
        self.call("GET", &path, Some(token), None).await
    }

    /// The id of the customer pinned to `dialog`, as an admin sees it.
    pub async fn customer_of(&self, admin: &str, dialog: &str) -> String {
        let d = self
            .call(
                "GET",
                &format!("/api/v1/dialogs/{dialog}"),
                Some(admin),
                None,
            )
            .await;
        d.body["customer"]["id"]
            .as_str()
            .expect("a pinned customer")
            .to_owned()
    }

    /// A client that will stop reading: its socket's receive buffer is fixed at 64 KiB (not
    /// grown by the kernel), so the server's buffers fill soon after it stops. Not smaller: a
    /// buffer of a few hundred bytes drains so slowly once the client reads again (each window
    /// waits for a zero-window probe) that a test would measure TCP rather than chatd.
    pub async fn ws_slow(&self, token: &str) -> Ws {
        let addr: std::net::SocketAddr = self
            .base
            .trim_start_matches("http://")
            .parse()
            .expect("address");
        let socket = tokio::net::TcpSocket::new_v4().expect("socket");
        socket
            .set_recv_buffer_size(64 * 1024)
            .expect("a fixed receive buffer");
        let tcp = socket.connect(addr).await.expect("connect");
        let url = format!("ws://{addr}/api/v1/ws?token={token}");
        let (stream, _) =
            tokio_tungstenite::client_async(url, tokio_tungstenite::MaybeTlsStream::Plain(tcp))
                .await
                .expect("WebSocket handshake");
        Ws { stream }
    }
}

async fn answer(resp: reqwest::Response) -> Answer {
    answer_to("", resp).await
}

/// An answer, checked against the OpenAPI document when `method` is given.
async fn answer_to(method: &str, resp: reqwest::Response) -> Answer {
    let status = resp.status().as_u16();
    let path = resp.url().path().to_owned();
    let content_type = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let text = resp.text().await.unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    if !method.is_empty() {
        schema::check(method, &path, status, &content_type, &body);
    }
    Answer {
        status,
        body,
        content_type,
    }
}
