//! `chatd demo --live` (R39): the demo shop served with a built-in demo integration, so a desk
//! opened from it is alive. The integration is an ordinary one, over the public APIs: it
//! receives every channel's webhooks on a local port, answers each message with an
//! `external_message_id`, reports it `delivered` a moment later and `read` a few seconds after
//! (where the channel reports those), and now and then lets a customer write. The channels'
//! transport tokens (shown once at creation) are kept in `demo-channels.json` in the data
//! directory, for it and for a person who wants to play a customer with curl.

use super::{Auth, Demo, FIRST, LAST, TEAM};
use crate::config::Config;
use actix_web::{web, HttpResponse, HttpServer};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

const FILE: &str = "demo-channels.json";
/// How often a customer of the demo writes.
const CHATTER_EVERY: Duration = Duration::from_secs(30);
const CHATTER: [&str; 6] = [
    "Any news about my order?",
    "Thank you! One more question: do you have it in blue?",
    "Hello? Is anyone there?",
    "Can I still change the delivery time?",
    "Perfect, that works for me.",
    "Could you send me a photo of it?",
];

/// A channel of the demo shop and its transport token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Channel {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub token: String,
}

pub fn save(dir: &Path, channels: &[Channel]) -> Result<(), String> {
    let text = serde_json::to_string_pretty(channels).map_err(|e| e.to_string())?;
    std::fs::write(dir.join(FILE), text).map_err(|e| format!("{}: {e}", dir.join(FILE).display()))
}

fn load(dir: &Path) -> Result<Vec<Channel>, String> {
    let path = dir.join(FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "{}: {e} (the live demo needs a data directory filled by `chatd demo`)",
            path.display()
        )
    })?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The tokens, and how to play a customer with them.
pub fn describe(channels: &[Channel]) -> String {
    let mut out =
        String::from("channels and their transport tokens (kept in demo-channels.json):\n");
    for c in channels {
        out.push_str(&format!("  {:<18} {:<20} {}\n", c.kind, c.name, c.token));
    }
    if let Some(c) = channels.first() {
        out.push_str(&format!(
            "play a customer: curl -X POST http://HOST/api/transport/v1/messages -H 'x-transport-token: {}' -H 'content-type: application/json' -d '{{\"external_chat_id\":\"me\",\"customer\":{{\"external_id\":\"me\",\"name\":\"Me\"}},\"message\":{{\"external_id\":\"m1\",\"text\":\"Hello!\"}}}}'\n",
            c.token
        ));
    }
    out
}

struct Live {
    demo: Demo,
    channels: Vec<Channel>,
}

/// A webhook of channel `i`: answer at once, then report delivered and read as a phone would.
async fn hook(live: web::Data<Live>, i: web::Path<usize>, body: web::Json<Value>) -> HttpResponse {
    let Some(channel) = live.channels.get(*i) else {
        return HttpResponse::NotFound().finish();
    };
    if body["type"] != "message_sent" {
        return HttpResponse::Ok().json(json!({}));
    }
    let id = body["id"].as_str().unwrap_or_default().to_owned();
    let token = channel.token.clone();
    let l = live.clone();
    actix_web::rt::spawn(async move {
        for (wait, status) in [(1500, "delivered"), (3500, "read")] {
            tokio::time::sleep(Duration::from_millis(wait)).await;
            let ack = json!({"message_id": id, "status": status});
            // A channel that does not report this status refuses it: nothing to do.
            let _ = l
                .demo
                .call(
                    "POST",
                    "/api/transport/v1/messages/ack",
                    Auth::Transport(&token),
                    Some(ack),
                )
                .await;
        }
    });
    HttpResponse::Ok().json(
        json!({"external_message_id": format!("live-{}", body["id"].as_str().unwrap_or_default())}),
    )
}

/// Now and then a customer of the demo writes into their chat.
async fn chatter(live: Arc<Live>) {
    let mut tick = 0usize;
    loop {
        tokio::time::sleep(CHATTER_EVERY).await;
        tick += 1;
        let n = (tick * 37 + 11) % 285;
        let channel = &live.channels[n % live.channels.len()];
        let name = format!("{} {}", FIRST[n % FIRST.len()], LAST[(n / 3) % LAST.len()]);
        let body = json!({
            "external_chat_id": format!("chat-{n}"),
            "customer": {"external_id": format!("cust-{n}"), "name": name},
            "message": {"external_id": format!("live-{n}-{tick}-{}", time::OffsetDateTime::now_utc().unix_timestamp()), "text": CHATTER[tick % CHATTER.len()]}
        });
        let _ = live
            .demo
            .call(
                "POST",
                "/api/transport/v1/messages",
                Auth::Transport(&channel.token),
                Some(body),
            )
            .await;
    }
}

/// The demo shop, served with its integration.
pub struct LiveDemo {
    pub addr: std::net::SocketAddr,
    /// Where the channels' webhooks go.
    pub hooks: String,
    running: crate::Running,
    receiver: actix_web::dev::ServerHandle,
    chatter: tokio::task::JoinHandle<()>,
}

impl LiveDemo {
    pub async fn stop(self) {
        self.chatter.abort();
        self.receiver.stop(true).await;
        self.running.stop().await;
    }
}

/// Serve the filled demo shop on `config.listen` with the demo integration.
pub async fn start(config: &Config) -> Result<LiveDemo, Box<dyn std::error::Error>> {
    let channels = load(&config.data_dir)?;
    let running = crate::start(config).await?;
    let demo = Demo::new(format!("http://{}", running.addr))?;
    let live = web::Data::new(Live { demo, channels });
    let data = live.clone();
    let receiver = HttpServer::new(move || {
        actix_web::App::new()
            .app_data(data.clone())
            .route("/hook/{i}", web::post().to(hook))
    })
    .workers(1)
    .disable_signals()
    .bind("127.0.0.1:0")?;
    let hooks = format!("http://{}/hook", receiver.addrs()[0]);
    let receiver = receiver.run();
    let receiver_handle = receiver.handle();
    tokio::spawn(receiver);
    // Point every channel at this run's receiver (its port changes from run to run).
    match live.demo.log_in(TEAM[0].0, TEAM[0].3).await {
        Ok(token) => {
            for (i, c) in live.channels.iter().enumerate() {
                let url = format!("{hooks}/{i}");
                live.demo
                    .call(
                        "PATCH",
                        &format!("/api/v1/channels/{}", c.id),
                        Auth::Bearer(&token),
                        Some(json!({"webhook_url": url})),
                    )
                    .await?;
            }
        }
        Err(e) => tracing::warn!(
            "the demo integration cannot log in as admin ({e}): webhooks stay as they are"
        ),
    }
    let chatter = tokio::spawn(chatter(live.clone().into_inner()));
    Ok(LiveDemo {
        addr: running.addr,
        hooks,
        running,
        receiver: receiver_handle,
        chatter,
    })
}

/// `chatd demo --live`: serve until `stop` turns true.
pub async fn serve(
    config: &Config,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> Result<(), Box<dyn std::error::Error>> {
    let live = start(config).await?;
    println!(
        "chatd demo: the shop is served at http://{}/ (e.g. anna / demo-anna)",
        live.addr
    );
    println!(
        "  demo integration: webhooks at {}; deliveries are acknowledged and read, a customer writes every {} s",
        live.hooks,
        CHATTER_EVERY.as_secs()
    );
    println!("  stop with Ctrl-C");
    let _ = stop.wait_for(|s| *s).await;
    live.stop().await;
    Ok(())
}
