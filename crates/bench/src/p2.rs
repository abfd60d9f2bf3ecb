//! P2 (manager side): messages per second through `POST /api/v1/dialogs/{id}/messages` on the
//! real server over loopback HTTP, every one durable before it is answered; next to a trivial
//! route (`GET /healthz`) in the same run. Client and server share this process and its 2 cores.

use crate::stats::{histogram, percentiles, rate};
use chatd_server::config::{Config, Overrides};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

const CLIENTS: usize = 64;

async fn post(
    client: &reqwest::Client,
    url: &str,
    token: Option<&str>,
    transport: Option<&str>,
    body: Value,
) -> Value {
    let mut req = client.post(url).json(&body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(t) = transport {
        req = req.header("x-transport-token", t);
    }
    let resp = req.send().await.expect("request");
    assert!(resp.status().is_success(), "{url}: {}", resp.status());
    resp.json().await.expect("json")
}

/// Run `CLIENTS` loops of `call` for `run_for`; requests/s and latency.
async fn load<F, Fut>(run_for: Duration, call: F) -> (f64, String)
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let call = Arc::new(call);
    let started = Instant::now();
    let deadline = started + run_for;
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|i| {
            let call = call.clone();
            tokio::spawn(async move {
                let mut h = histogram();
                let mut n = 0u64;
                while Instant::now() < deadline {
                    let t = Instant::now();
                    call(i).await;
                    h.record(t.elapsed().as_micros() as u64).ok();
                    n += 1;
                }
                (n, h)
            })
        })
        .collect();
    let mut total = 0;
    let mut h = histogram();
    for t in tasks {
        let (n, th) = t.await.expect("client");
        total += n;
        h.add(th).ok();
    }
    (rate(total, started.elapsed()), percentiles(&h))
}

pub async fn run(run_for: Duration) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = Config::load(Overrides {
        config_file: None,
        listen: Some("127.0.0.1:0".into()),
        data_dir: Some(dir.path().to_owned()),
    })
    .expect("config");
    config.admin_password = Some("bench-password".into());
    let running = chatd_server::start(&config).await.expect("start chatd");
    let base = format!("http://{}", running.addr);
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CLIENTS)
        .build()
        .expect("client");
    let login = post(
        &client,
        &format!("{base}/api/v1/auth/login"),
        None,
        None,
        json!({"login": "admin", "password": "bench-password"}),
    )
    .await;
    let token = login["token"].as_str().expect("token").to_owned();
    let channel = post(
        &client,
        &format!("{base}/api/v1/channels"),
        Some(&token),
        None,
        json!({"type": "custom", "name": "bench"}),
    )
    .await;
    let transport = channel["transport_token"]
        .as_str()
        .expect("transport token")
        .to_owned();
    let mut dialogs = Vec::new();
    for i in 0..CLIENTS {
        let body = json!({"external_chat_id": format!("chat-{i}"), "customer": {"external_id": format!("c{i}"), "name": format!("Customer {i}")}, "message": {"external_id": format!("m{i}"), "text": "hello"}});
        let r = post(
            &client,
            &format!("{base}/api/transport/v1/messages"),
            None,
            Some(&transport),
            body,
        )
        .await;
        dialogs.push(r["dialog_id"].as_str().expect("dialog").to_owned());
    }
    println!("P2  manager side: {CLIENTS} clients over loopback HTTP, {} s each (client and server share the 2 cores)", run_for.as_secs());
    println!(
        "    {:<52} {:>10} {:>7} {:>7} {:>8}",
        "route", "req/s", "p50 ms", "p99 ms", "max ms"
    );
    let (c, b) = (client.clone(), base.clone());
    let (rps, lat) = load(run_for, move |_| {
        let (c, b) = (c.clone(), b.clone());
        async move {
            let r = c.get(format!("{b}/healthz")).send().await.expect("healthz");
            assert!(r.status().is_success());
        }
    })
    .await;
    println!(
        "    {:<52} {rps:>10.0} {lat}",
        "baseline: GET /healthz (trivial route)"
    );
    let dialogs = Arc::new(dialogs);
    let (c, b, t) = (client.clone(), base.clone(), token.clone());
    let (rps, lat) = load(run_for, move |i| {
        let (c, b, t, d) = (c.clone(), b.clone(), t.clone(), dialogs[i].clone());
        async move {
            let r = c
                .post(format!("{b}/api/v1/dialogs/{d}/messages"))
                .bearer_auth(&t)
                .json(&json!({"text": "Your order ships today."}))
                .send()
                .await
                .expect("send");
            assert_eq!(r.status(), 201);
        }
    })
    .await;
    println!(
        "    {:<52} {rps:>10.0} {lat}",
        "POST /dialogs/{id}/messages (durable)"
    );
    running.stop().await;
}
