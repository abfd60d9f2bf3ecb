//! `chatd demo --data-dir DIR` (R30): fills an empty store with a realistic shop, made through
//! the ordinary API on a chatd started for the purpose (so every event is what real use writes):
//! channels of every type, a team with groups, tags, time limits, a bot, published templates,
//! and a few hundred dialogs in every state (waiting at every level, answered with delivery
//! marks, closed, blocked customers, unpinned, deleted), with images, quotes, notes, edits,
//! reactions and drafts. It prints the logins.

pub mod live;

use crate::config::Config;
use serde_json::{json, Value};
use std::time::Duration;
use time::OffsetDateTime;

/// The people of the demo shop: login, name, role, password.
pub const TEAM: [(&str, &str, &str, &str); 6] = [
    ("admin", "Administrator", "admin", "demo-admin"),
    ("anna", "Anna Berg", "manager", "demo-anna"),
    ("boris", "Boris Klein", "manager", "demo-boris"),
    ("chen", "Chen Li", "manager", "demo-chen"),
    ("sam", "Sam Ortiz", "chat_admin", "demo-sam"),
    ("audrey", "Audrey Stone", "auditor", "demo-audrey"),
];

const CHANNELS: [(&str, &str); 7] = [
    ("telegram", "Shop Telegram"),
    ("whatsapp_business", "WhatsApp Business"),
    ("whatsapp_qr", "WhatsApp (phone)"),
    ("facebook", "Facebook page"),
    ("instagram", "Instagram"),
    ("livechat", "Site live chat"),
    ("custom", "Marketplace"),
];

const FIRST: [&str; 20] = [
    "Olivia", "Liam", "Emma", "Noah", "Ava", "Lucas", "Mia", "Ethan", "Sofia", "Mateo", "Amara",
    "Yusuf", "Hana", "Ivan", "Leila", "Tomás", "Aiko", "Kwame", "Nina", "Omar",
];
const LAST: [&str; 15] = [
    "Smith", "García", "Novak", "Rossi", "Kim", "Müller", "Dubois", "Silva", "Nowak", "Jensen",
    "Haddad", "Costa", "Sato", "Okafor", "Petrov",
];
const ASKS: [&str; 12] = [
    "Hi! Is the red kettle still in stock?",
    "Where is my order #10{n}? It was due yesterday.",
    "Can I pay on delivery?",
    "The lid of my teapot arrived cracked 😞 (photo attached)",
    "Do you ship to Lisbon?",
    "What is the warranty on the espresso machine?",
    "I'd like to return the mugs, they are smaller than expected.",
    "Is there a discount for 20 pieces? We're a café.",
    "Hello, can I change the delivery address?",
    "Does the grinder work with 110 V?",
    "Thanks, the parcel arrived! One more question about descaling…",
    "Can you send me the invoice for order #10{n}?",
];
const REPLIES: [&str; 8] = [
    "Hello! Yes, it is in stock and ships today.",
    "Sorry for the delay — your parcel is with the courier and arrives tomorrow.",
    "Of course, cash or card on delivery both work.",
    "I'm sorry about that! We'll send a replacement lid right away.",
    "Yes, we ship to Portugal in 3–5 days.",
    "Two years, and we repair in our own workshop.",
    "No problem: here is your return label.",
    "For 20 pieces we give 12 % off — shall I prepare an offer?",
];

struct Demo {
    http: reqwest::Client,
    base: String,
    /// The highest position any answer carried. The demo writes as several callers (the admin,
    /// managers, integrations), so it names it as `min_position` on every request (R38), as the
    /// TypeScript client does: a manager answering a dialog an integration just opened must see
    /// it even while the read models lag.
    seen: std::sync::Mutex<Option<chatd_store::Position>>,
}

impl Demo {
    fn new(base: String) -> Result<Demo, String> {
        Ok(Demo {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .map_err(|e| e.to_string())?,
            base,
            seen: std::sync::Mutex::new(None),
        })
    }

    async fn log_in(&self, login: &str, password: &str) -> Result<String, String> {
        let r = self
            .call(
                "POST",
                "/api/v1/auth/login",
                Auth::Bearer(""),
                Some(json!({"login": login, "password": password})),
            )
            .await?;
        Ok(r["token"].as_str().unwrap_or_default().to_owned())
    }

    fn url(&self, path: &str) -> String {
        let seen = *self.seen.lock().expect("demo position");
        match seen {
            Some(p) => {
                let sep = if path.contains('?') { '&' } else { '?' };
                format!("{}{path}{sep}min_position={p}", self.base)
            }
            None => format!("{}{path}", self.base),
        }
    }

    fn saw(&self, body: &Value) {
        if let Some(p) = body["position"].as_str().and_then(|p| p.parse().ok()) {
            let mut seen = self.seen.lock().expect("demo position");
            *seen = (*seen).max(Some(p));
        }
    }

    async fn call(
        &self,
        method: &str,
        path: &str,
        auth: Auth<'_>,
        body: Option<Value>,
    ) -> Result<Value, String> {
        let method = reqwest::Method::from_bytes(method.as_bytes()).map_err(|e| e.to_string())?;
        let mut req = self.http.request(method.clone(), self.url(path));
        req = match auth {
            Auth::Bearer(t) => req.bearer_auth(t),
            Auth::Transport(t) => req.header("x-transport-token", t),
        };
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.map_err(|e| e.to_string())?;
        let status = r.status();
        let body: Value = r.json().await.unwrap_or(Value::Null);
        if !status.is_success() {
            return Err(format!("{method} {path}: {status} {body}"));
        }
        self.saw(&body);
        Ok(body)
    }

    /// A `POST` without a body.
    async fn post(&self, path: &str, auth: Auth<'_>) -> Result<Value, String> {
        self.call("POST", path, auth, None).await
    }

    async fn upload(&self, transport: &str, name: &str, bytes: Vec<u8>) -> Result<String, String> {
        let r = self
            .http
            .post(self.url(&format!("/api/transport/v1/files?name={name}")))
            .header("x-transport-token", transport)
            .header("content-type", "image/png")
            .body(bytes)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let body: Value = r.json().await.map_err(|e| e.to_string())?;
        self.saw(&body);
        body["id"]
            .as_str()
            .map(str::to_owned)
            .ok_or(format!("upload: {body}"))
    }
}

#[derive(Clone, Copy)]
enum Auth<'a> {
    Bearer(&'a str),
    Transport(&'a str),
}

/// A small PNG of one colour with a lighter band: a product photo stand-in.
fn picture(n: usize) -> Vec<u8> {
    let colours = [
        [220, 38, 38],
        [37, 99, 235],
        [22, 163, 74],
        [234, 88, 12],
        [147, 51, 234],
    ];
    let [r, g, b] = colours[n % colours.len()];
    let img = image::RgbImage::from_fn(160, 120, |_, y| {
        if (40..80).contains(&y) {
            image::Rgb([r / 2 + 120, g / 2 + 120, b / 2 + 120])
        } else {
            image::Rgb([r, g, b])
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("a PNG encodes");
    out.into_inner()
}

/// Fill the store of `config` (which must be empty) and return what to print.
pub async fn run(config: &Config) -> Result<String, String> {
    let mut config = config.clone();
    config.listen = "127.0.0.1:0".into();
    config.admin_password = Some(TEAM[0].3.into());
    let running = crate::start(&config).await.map_err(|e| e.to_string())?;
    let demo = Demo::new(format!("http://{}", running.addr))?;
    let result = fill(&demo).await;
    running.stop().await;
    let channels = result?;
    live::save(&config.data_dir, &channels)?;
    let mut out = String::from("a demo shop is ready; log in as:\n");
    for (login, name, role, password) in TEAM {
        out.push_str(&format!("  {login:<7} {password:<12} {role:<11} {name}\n"));
    }
    out.push_str(&live::describe(&channels));
    Ok(out)
}

async fn fill(d: &Demo) -> Result<Vec<live::Channel>, String> {
    let admin = d.log_in("admin", TEAM[0].3).await?;
    if d.call("GET", "/api/v1/channels", Auth::Bearer(&admin), None)
        .await?["items"]
        .as_array()
        .is_none_or(|c| !c.is_empty())
    {
        return Err("the store is not empty: `chatd demo` fills a new data directory".into());
    }
    let a = Auth::Bearer(&admin);
    let senior = d
        .call("POST", "/api/v1/groups", a, Some(json!({"name": "Senior managers", "rights": ["dialogs.delete", "quick_replies.manage_shared"]})))
        .await?;
    let mut managers = Vec::new();
    for &(login, name, role, password) in &TEAM[1..] {
        let groups = if login == "anna" {
            vec![senior["id"].clone()]
        } else {
            vec![]
        };
        let u = d
            .call("POST", "/api/v1/users", a, Some(json!({"login": login, "name": name, "role": role, "password": password, "group_ids": groups})))
            .await?;
        if role == "manager" {
            managers.push((
                u["id"].as_str().unwrap_or_default().to_owned(),
                d.log_in(login, password).await?,
            ));
        }
    }
    let mut tags = Vec::new();
    for (name, color) in [
        ("VIP", "purple"),
        ("Wholesale", "blue"),
        ("Complaint", "red"),
        ("Returning", "green"),
    ] {
        tags.push(
            d.call(
                "POST",
                "/api/v1/tags",
                a,
                Some(json!({"name": name, "color": color})),
            )
            .await?["id"]
                .clone(),
        );
    }
    d.call(
        "PUT",
        "/api/v1/settings/time-limits",
        a,
        Some(json!({"default": {"warning_after": 300, "limit": 900}, "channels": {}})),
    )
    .await?;
    d.call("POST", "/api/v1/quick-replies", a, Some(json!({"name": "Greeting", "text": "Hello! Thanks for writing to us. ", "shared": true})))
        .await?;
    d.call(
        "POST",
        "/api/v1/bots",
        a,
        Some(json!({"name": "Night router"})),
    )
    .await?;
    let mut channels = Vec::new();
    let mut printed = Vec::new();
    for (kind, name) in CHANNELS {
        let c = d
            .call(
                "POST",
                "/api/v1/channels",
                a,
                Some(json!({"type": kind, "name": name})),
            )
            .await?;
        let token = c["transport_token"].as_str().unwrap_or_default().to_owned();
        printed.push(live::Channel {
            id: c["id"].as_str().unwrap_or_default().to_owned(),
            kind: kind.to_owned(),
            name: name.to_owned(),
            token: token.clone(),
        });
        channels.push(token);
    }
    // The channels with a reply window (R25) publish approved templates, as their platforms do.
    for transport in &channels {
        d.call(
            "PUT",
            "/api/transport/v1/templates",
            Auth::Transport(transport),
            Some(json!({"templates": [
                {"code": "order_ready", "name": "Order ready", "language": "en", "body": "Hello {{1}}, your order {{2}} is ready for pickup.", "status": "approved"},
                {"code": "follow_up", "name": "Follow-up", "language": "en", "body": "Hi {{1}}, did everything arrive as expected?", "status": "approved"}
            ]})),
        )
        .await?;
    }
    let now = OffsetDateTime::now_utc();
    for n in 0..300usize {
        dialog(d, n, &channels, &managers, &tags, &admin, now).await?;
    }
    // R37, after the history: the shop's hours, and an away reply on every channel for what
    // customers write (live) while it is closed.
    let day = json!([{"from": "09:00", "to": "18:00"}]);
    d.call(
        "PUT",
        "/api/v1/settings/calendar",
        a,
        Some(json!({"time_zone": "Europe/Berlin", "week": {"mon": day, "tue": day, "wed": day, "thu": day, "fri": day, "sat": [{"from": "10:00", "to": "14:00"}]}, "holidays": ["2026-12-25", "2026-12-26", "2027-01-01"]})),
    )
    .await?;
    for c in &printed {
        d.call(
            "PATCH",
            &format!("/api/v1/channels/{}", c.id),
            a,
            Some(json!({"away_text": "Thanks for your message! We are closed now and answer from 9:00 (Berlin time) on weekdays."})),
        )
        .await?;
    }
    Ok(printed)
}

/// A customer's follow-up a few minutes ago (0 to 20, by the dialog's number): some waiting
/// dialogs have no alarm yet, some are past the warning, some past the limit.
fn recent(n: usize) -> String {
    (OffsetDateTime::now_utc() - time::Duration::minutes((n % 21) as i64))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// One dialog, in the state its number picks.
async fn dialog(
    d: &Demo,
    n: usize,
    channels: &[String],
    managers: &[(String, String)],
    tags: &[Value],
    admin: &str,
    now: OffsetDateTime,
) -> Result<(), String> {
    let transport = &channels[n % channels.len()];
    let t = Auth::Transport(transport);
    let name = format!("{} {}", FIRST[n % FIRST.len()], LAST[(n / 3) % LAST.len()]);
    let chat = format!("chat-{n}");
    // Older dialogs first, over the past five days; the newest fifteen are still waiting for an
    // answer, some for a minute (no alarm yet), some past the warning, some past the limit.
    let minutes = if n >= 285 {
        [1, 2, 3, 4, 6, 7, 8, 9, 11, 13, 17, 25, 40, 70, 120][n - 285]
    } else {
        (300 - n) as i64 * 24 + 2
    };
    let at = |offset: i64| {
        (now - time::Duration::minutes(minutes - offset))
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default()
    };
    let ask = ASKS[n % ASKS.len()].replace("{n}", &format!("{:02}", n % 100));
    let attachment_ids = if n % 9 == 3 {
        vec![
            d.upload(transport, &format!("photo-{n}.png"), picture(n))
                .await?,
        ]
    } else {
        vec![]
    };
    let source = ["ads", "instagram", "newsletter"][n % 3];
    let inbound = d
        .call(
            "POST",
            "/api/transport/v1/messages",
            t,
            Some(json!({
                "external_chat_id": chat,
                "customer": {"external_id": format!("cust-{n}"), "name": name, "phone": format!("+351 91{:07}", n * 7919 % 10_000_000), "utm": {"source": source}},
                "message": {"external_id": format!("in-{n}-1"), "text": ask, "attachment_ids": attachment_ids, "created_at": at(0)}
            })),
        )
        .await?;
    let dialog = inbound["dialog_id"].as_str().unwrap_or_default().to_owned();
    let customer_message = inbound["message_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let (manager_id, manager) = &managers[n % managers.len()];
    let m = Auth::Bearer(manager);
    let state = n % 10;
    let reassign = format!("/api/v1/dialogs/{dialog}/reassign");
    let assign = || {
        d.call(
            "POST",
            &reassign,
            Auth::Bearer(admin),
            Some(json!({"to": {"type": "user", "id": manager_id}})),
        )
    };
    if n >= 285 {
        // The newest: nobody has answered yet (waiting, at every level by their age).
        if n.is_multiple_of(2) {
            assign().await?;
        }
        return Ok(());
    }
    assign().await?;
    let quote = n.is_multiple_of(4).then_some(customer_message.clone());
    let send = format!("/api/v1/dialogs/{dialog}/messages");
    let reply = match d
        .call(
            "POST",
            &send,
            m,
            Some(json!({"text": REPLIES[n % REPLIES.len()], "quote_message_id": quote})),
        )
        .await
    {
        // WhatsApp Business after a day (R25): only a template may go out.
        Err(e) if e.contains("reply_window_closed") => {
            d.call(
                "POST",
                &send,
                m,
                Some(json!({"template": {"code": "follow_up", "params": [name]}})),
            )
            .await?
        }
        other => other?,
    };
    let reply_id = reply["id"].as_str().unwrap_or_default().to_owned();
    let status = ["sent", "delivered", "read", "read", "failed"][n % 5];
    let mut ack = json!({"message_id": reply_id, "status": status});
    if status == "failed" {
        ack["error"] =
            json!({"code": "network_error", "message": "the customer's app did not answer"});
    }
    if !n.is_multiple_of(7) {
        d.call("POST", "/api/transport/v1/messages/ack", t, Some(ack))
            .await?;
    }
    if n.is_multiple_of(3) {
        d.call(
            "POST",
            "/api/transport/v1/messages",
            t,
            Some(json!({"external_chat_id": chat, "customer": {"external_id": format!("cust-{n}"), "name": name}, "message": {"external_id": format!("in-{n}-2"), "text": "Great, thank you!", "created_at": recent(n)}})),
        )
        .await?;
    }
    let detail = d
        .call("GET", &format!("/api/v1/dialogs/{dialog}"), m, None)
        .await?;
    let customer = detail["customer_card"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    if n % 6 == 1 && !customer.is_empty() {
        d.call(
            "POST",
            &format!("/api/v1/customers/{customer}/tags"),
            m,
            Some(json!({"tag_id": tags[n % tags.len()], "pinned": true})),
        )
        .await?;
    }
    if n % 11 == 5 {
        d.call(
            "POST",
            &format!("/api/v1/dialogs/{dialog}/notes"),
            m,
            Some(json!({"text": "Checked the stock: two left in the warehouse."})),
        )
        .await?;
    }
    if n % 13 == 2 {
        let _ = d
            .call(
                "PUT",
                &format!("/api/v1/dialogs/{dialog}/messages/{customer_message}/reaction"),
                m,
                Some(json!({"emoji": "👍"})),
            )
            .await;
    }
    if n % 17 == 4 {
        let _ = d
            .call(
                "PATCH",
                &format!("/api/v1/dialogs/{dialog}/messages/{reply_id}"),
                m,
                Some(json!({"text": format!("{} (updated)", REPLIES[n % REPLIES.len()])})),
            )
            .await;
    }
    match state {
        0..=3 => {
            d.post(&format!("/api/v1/dialogs/{dialog}/close"), m)
                .await?;
        }
        4 if !customer.is_empty() && n % 20 == 4 => {
            d.post(&format!("/api/v1/customers/{customer}/block"), m)
                .await?;
        }
        5 if n % 20 == 5 => {
            d.post(&format!("/api/v1/dialogs/{dialog}/unpin-customer"), m)
                .await?;
        }
        6 if n % 30 == 6 => {
            d.call(
                "POST",
                "/api/v1/dialogs/delete",
                Auth::Bearer(admin),
                Some(json!({"ids": [dialog]})),
            )
            .await?;
        }
        7 => {
            d.call(
                "PUT",
                &format!("/api/v1/dialogs/{dialog}/draft"),
                m,
                Some(json!({"text": "Let me check with the warehouse and"})),
            )
            .await?;
        }
        _ => {}
    }
    Ok(())
}
