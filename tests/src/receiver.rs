//! A real HTTP receiver standing for a channel integration: it records every webhook call and
//! answers from a script (status codes in order, then 200 with an `external_message_id`).

use actix_web::{web, HttpRequest, HttpResponse, HttpServer};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Hit {
    /// What the receiver answered.
    pub status: u16,
    pub signature: String,
    pub delivery: String,
    pub attempt: String,
    pub body: Vec<u8>,
}

impl Hit {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("webhook bodies are JSON")
    }
}

#[derive(Default)]
struct Shared {
    script: Mutex<VecDeque<u16>>,
    hits: Mutex<Vec<Hit>>,
}

pub struct Receiver {
    pub url: String,
    shared: Arc<Shared>,
    handle: actix_web::dev::ServerHandle,
}

async fn hook(req: HttpRequest, body: web::Bytes, shared: web::Data<Shared>) -> HttpResponse {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let status = shared.script.lock().unwrap().pop_front().unwrap_or(200);
    let mut hits = shared.hits.lock().unwrap();
    hits.push(Hit {
        status,
        signature: header("x-chat-signature"),
        delivery: header("x-chat-delivery"),
        attempt: header("x-chat-attempt"),
        body: body.to_vec(),
    });
    let ok = hits.iter().filter(|h| h.status == 200).count();
    let code = actix_web::http::StatusCode::from_u16(status).unwrap();
    if status == 200 {
        HttpResponse::build(code)
            .json(serde_json::json!({"external_message_id": format!("ext-{ok}")}))
    } else {
        HttpResponse::build(code).finish()
    }
}

impl Receiver {
    /// Listen on 127.0.0.1:0; answer `script` in order, then 200.
    pub async fn start(script: &[u16]) -> Receiver {
        let shared = Arc::new(Shared::default());
        shared.script.lock().unwrap().extend(script);
        let data = web::Data::from(shared.clone());
        let server = HttpServer::new(move || {
            actix_web::App::new()
                .app_data(data.clone())
                .route("/hook", web::post().to(hook))
        })
        .workers(1)
        .disable_signals()
        .bind("127.0.0.1:0")
        .expect("bind the receiver");
        let url = format!("http://{}/hook", server.addrs()[0]);
        let server = server.run();
        let handle = server.handle();
        tokio::spawn(server);
        Receiver {
            url,
            shared,
            handle,
        }
    }

    pub fn hits(&self) -> Vec<Hit> {
        self.shared.hits.lock().unwrap().clone()
    }

    /// Wait (up to 20 s) until at least `n` calls arrived; returns them all.
    pub async fn wait_for(&self, n: usize) -> Vec<Hit> {
        for _ in 0..400 {
            let hits = self.hits();
            if hits.len() >= n {
                return hits;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("expected {n} webhook calls, got {:?}", self.hits().len());
    }

    pub async fn stop(self) {
        self.handle.stop(true).await;
    }
}
