//! P3 (and P6 per socket): live fan-out. The server side (chatd, and a bare actix-ws echo as the
//! same-run baseline) runs in this process; the clients run in a child process (this binary in
//! client mode), as a real client would. Each of N managers holds one socket and owns one dialog;
//! messages go in through the transport API at a fixed rate to random dialogs, each carrying its
//! wall-clock send time; the owner's socket measures post-to-frame latency (the POST includes the
//! durable append) and append-to-frame latency (from the message's `created_at`, stamped when the
//! command is decided, just before its durable append: SPEC §7's P3 interval, the append
//! included). The baseline echoes the same rate over N sockets of a bare actix-ws endpoint. A
//! second baseline carries the same load through the leanest server that frames only durable
//! messages (`p3_lean`), to show what the bar asks of any durable design on this machine. Beside
//! each latency the client prints what the machine gave and what each message cost
//! (`p3_meters`: one fsync under the load, the server's and the client's CPU per message).

use crate::alloc::{count, grown_since, live};
use crate::p3_meters::{fsync_floor, fsync_probe, Cpu};
use crate::stats::{histogram, percentiles};
use chatd_domain::channel::{AttachmentLimits, Capabilities, ChannelType};
use chatd_domain::people::User;
use chatd_domain::people::UserEvent;
use chatd_domain::setup::ChannelEvent;
use chatd_domain::Aggregate;
use chatd_domain::{Actor, DomainEvent, EventMeta, Role, UserId};
use chatd_projections::new_event;
use chatd_server::app::credentials::token_hash;
use chatd_server::config::{Config, Overrides};
use chatd_store::{EventStore, ExpectedVersion, SqliteConfig, SqliteStore};
use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use uuid::Uuid;

const TRANSPORT: &str = "bench-transport-token";

fn token(i: usize) -> String {
    format!("bench-session-{i}")
}

fn now_nanos() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_nanos()
}

/// Append `events` to `stream` as the system, in one durable append.
async fn put(store: &SqliteStore, stream: String, events: Vec<chatd_store::NewEvent>) {
    store
        .append(&stream, ExpectedVersion::Any, events)
        .await
        .expect("seed");
}

fn system<E: DomainEvent>(e: &E) -> chatd_store::NewEvent {
    let meta = EventMeta {
        at: time::OffsetDateTime::now_utc(),
        actor: Actor::System,
    };
    new_event(Uuid::new_v4(), &meta, e)
}

/// Users with sessions and a channel, written straight into the log before chatd starts.
async fn seed(dir: &std::path::Path, managers: usize) -> Vec<UserId> {
    let store = SqliteStore::open(SqliteConfig::new(dir.join("events.db"))).expect("store");
    let expires = time::OffsetDateTime::now_utc() + time::Duration::days(1);
    let ids: Vec<UserId> = (0..=managers).map(|_| Uuid::new_v4().into()).collect();
    // Many appends in flight at once: the store commits them in groups (one fsync each).
    futures_util::stream::iter(ids.iter().enumerate())
        .for_each_concurrent(64, |(i, &id)| {
            let role = if i == managers {
                Role::Admin
            } else {
                Role::Manager
            };
            let created = UserEvent::UserCreated {
                user_id: id,
                login: format!("u{i}"),
                name: format!("User {i}"),
                password_hash: String::new(),
                role,
                group_ids: vec![],
            };
            let session = UserEvent::SessionStarted {
                token_hash: token_hash(&token(i)),
                expires_at: expires,
            };
            put(
                &store,
                User::stream(id),
                vec![system(&created), system(&session)],
            )
        })
        .await;
    let channel = Uuid::new_v4();
    let t = ChannelType::Custom;
    let registered = ChannelEvent::ChannelRegistered {
        channel_id: channel.into(),
        channel_type: t,
        name: "bench".into(),
        webhook_url: None,
        capabilities: Capabilities::default_for(t),
        limits: AttachmentLimits::default_for(t),
        transport_token_hash: token_hash(TRANSPORT),
        webhook_secret: String::new(),
    };
    put(
        &store,
        format!("channel-{channel}"),
        vec![system(&registered)],
    )
    .await;
    store.close().await;
    ids
}

async fn echo(
    req: actix_web::HttpRequest,
    body: actix_web::web::Payload,
) -> actix_web::Result<actix_web::HttpResponse> {
    let (resp, mut session, mut stream) = actix_ws::handle(&req, body)?;
    actix_web::rt::spawn(async move {
        while let Some(Ok(msg)) = stream.recv().await {
            match msg {
                actix_ws::Message::Text(t) if session.text(t.clone()).await.is_err() => return,
                actix_ws::Message::Text(_) => {}
                actix_ws::Message::Ping(b) => {
                    let _ = session.pong(&b).await;
                }
                actix_ws::Message::Close(_) => return,
                _ => {}
            }
        }
    });
    Ok(resp)
}

pub async fn run(sockets: usize, rate: usize, seconds: u64) {
    let whole = Instant::now();
    let dir = tempfile::tempdir().expect("temp dir");
    let users = seed(dir.path(), sockets).await;
    let mut config = Config::load(Overrides {
        config_file: None,
        listen: Some("127.0.0.1:0".into()),
        data_dir: Some(dir.path().to_owned()),
    })
    .expect("config");
    config.admin_password = Some("unused".into());
    let running = chatd_server::start(&config).await.expect("start chatd");
    let base = format!("http://{}", running.addr);
    let client = reqwest::Client::new();
    let admin = token(sockets);
    // One dialog per manager, assigned to them (opened by a first customer message).
    let next = Arc::new(AtomicUsize::new(0));
    let setup: Vec<_> = (0..32)
        .map(|_| {
            let (client, base, admin, next, users) = (client.clone(), base.clone(), admin.clone(), next.clone(), users.clone());
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= sockets {
                        return;
                    }
                    let r: serde_json::Value = client
                        .post(format!("{base}/api/transport/v1/messages"))
                        .header("x-transport-token", TRANSPORT)
                        .json(&json!({"external_chat_id": format!("chat-{i}"), "customer": {"external_id": format!("c{i}"), "name": format!("Customer {i}")}, "message": {"external_id": format!("first-{i}"), "text": "hello"}}))
                        .send().await.expect("inbound").json().await.expect("json");
                    let d = r["dialog_id"].as_str().expect("dialog").to_owned();
                    let r = client
                        .post(format!("{base}/api/v1/dialogs/{d}/reassign"))
                        .bearer_auth(&admin)
                        .json(&json!({"to": {"type": "user", "id": users[i]}}))
                        .send().await.expect("reassign");
                    assert!(r.status().is_success(), "reassign: {}", r.status());
                }
            })
        })
        .collect();
    for t in setup {
        t.await.expect("setup");
    }
    let set_up = whole.elapsed();
    let echo_server = actix_web::HttpServer::new(|| {
        actix_web::App::new().route("/echo", actix_web::web::get().to(echo))
    })
    .disable_signals()
    .bind("127.0.0.1:0")
    .expect("bind echo");
    let echo_addr = echo_server.addrs()[0];
    let echo_server = echo_server.run();
    let echo_handle = echo_server.handle();
    tokio::spawn(echo_server);

    let lean = crate::p3_lean::start(&dir.path().join("lean.db"), sockets);
    let floor = fsync_floor(dir.path());
    count(true);
    let before = live();
    let child = tokio::process::Command::new(std::env::current_exe().expect("exe"))
        .env("CHATD_P3_CLIENT", "1")
        .env("P3_FSYNC_P50_US", floor.value_at_quantile(0.5).to_string())
        .env("P3_CHATD", running.addr.to_string())
        .env("P3_ECHO", echo_addr.to_string())
        .env("P3_LEAN", lean.addr.to_string())
        .env("P3_SOCKETS", sockets.to_string())
        .env("P3_RATE", rate.to_string())
        .env("P3_SECONDS", seconds.to_string())
        .env("P3_DIR", dir.path())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("client process");
    // P6: heap the server holds per idle socket, once every client is connected.
    let t0 = Instant::now();
    while running.hub.connections() < sockets && t0.elapsed() < Duration::from_secs(120) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Idle, a second after the last socket opened: the client posts nothing until presence has
    // been told, though a crowd's ticks may still be going out (frames in flight count here, so
    // the figure errs high).
    tokio::time::sleep(Duration::from_secs(1)).await;
    let per_socket = grown_since(before) as f64 / running.hub.connections().max(1) as f64;
    count(false);
    let out = child.wait_with_output().await.expect("client output");
    println!("P3  live fan-out: {sockets} sockets (one per manager), {rate} messages/s for {seconds} s, client in its own process");
    print!("{}", String::from_utf8_lossy(&out.stdout));
    println!("P6  memory: {per_socket:.0} bytes of server heap per idle WebSocket (bar <= 65536)");
    println!(
        "    (set-up: {sockets} managers seeded, their dialogs opened and assigned in {:.1} s; the whole of P3 {:.1} s)",
        set_up.as_secs_f64(),
        whole.elapsed().as_secs_f64()
    );
    echo_handle.stop(false).await;
    lean.stop().await;
    running.stop().await;
}

/// The child process: connect, load, measure.
pub async fn client() {
    let var = |k: &str| std::env::var(k).expect(k);
    let chatd = var("P3_CHATD");
    let echo_addr = var("P3_ECHO");
    let sockets: usize = var("P3_SOCKETS").parse().expect("sockets");
    let rate: usize = var("P3_RATE").parse().expect("rate");
    let seconds: u64 = var("P3_SECONDS").parse().expect("seconds");
    println!(
        "    {:<48} {:>9} {:>7} {:>7} {:>8}",
        "what", "frames", "p50 ms", "p99 ms", "max ms"
    );

    let load = Load {
        sockets,
        rate,
        seconds,
    };
    // chatd: every socket listens; posters send at the rate to random dialogs.
    let urls: Vec<String> = (0..sockets)
        .map(|i| format!("ws://{chatd}/api/v1/ws?token={}", token(i)))
        .collect();
    let probe_dir = var("P3_DIR");
    let chatd_run = load
        .fan_out("chatd", urls.into_iter(), Some(&probe_dir), move |client, n, chat| {
            let body = json!({"external_chat_id": format!("chat-{chat}"), "customer": {"external_id": format!("c{chat}"), "name": "x"}, "message": {"external_id": format!("load-{n}"), "text": format!("ts:{}", now_nanos())}});
            client
                .post(format!("http://{chatd}/api/transport/v1/messages"))
                .header("x-transport-token", TRANSPORT)
                .json(&body)
        })
        .await;
    // A second baseline: the same load through the leanest server that frames only durable
    // messages (`p3_lean`): one group commit and fsync, two thread hand-overs.
    let lean = var("P3_LEAN");
    let urls: Vec<String> = (0..sockets)
        .map(|i| format!("ws://{lean}/ws/{i}"))
        .collect();
    let lean_run = load
        .fan_out(
            "lean durable server",
            urls.into_iter(),
            None,
            move |client, _, chat| {
                client
                    .post(format!("http://{lean}/msg/{chat}"))
                    .body(format!("ts:{}", now_nanos()))
            },
        )
        .await;

    // Baseline: the same rate echoed by a bare actix-ws endpoint over the same number of sockets.
    let total = rate * seconds as usize;
    let ehist = Arc::new(Mutex::new(histogram()));
    let mut senders = connect_all(
        (0..sockets).map(|_| format!("ws://{echo_addr}/echo")),
        |ws| {
            let (tx, mut rx) = ws.split();
            let ehist = ehist.clone();
            tokio::spawn(async move {
                while let Some(Ok(tokio_tungstenite::tungstenite::Message::Text(t))) =
                    rx.next().await
                {
                    let ts: u128 = t.trim_start_matches("ts:").parse().unwrap_or(0);
                    ehist
                        .lock()
                        .expect("hist")
                        .record(((now_nanos().saturating_sub(ts) / 1000) as u64).max(1))
                        .ok();
                }
            });
            tx
        },
    )
    .await;
    let cpu = Cpu::now();
    let started = Instant::now();
    for n in 0..total {
        let due = started + Duration::from_secs_f64(n as f64 / rate as f64);
        tokio::time::sleep_until(due.into()).await;
        let s = &mut senders[(n * 7919) % sockets];
        let _ = s
            .send(tokio_tungstenite::tungstenite::Message::Text(format!(
                "ts:{}",
                now_nanos()
            )))
            .await;
    }
    let (took, cpu) = (started.elapsed(), cpu.since());
    tokio::time::sleep(Duration::from_secs(2)).await;
    let e = ehist.lock().expect("hist").clone();
    println!(
        "    {:<48} {:>9} {}",
        "baseline: bare actix-ws echo round trip",
        e.len(),
        percentiles(&e)
    );
    cpu.print("echo", total, took);
    let echo = e.value_at_quantile(0.99).max(1) as f64;
    let p99 = |h: &hdrhistogram::Histogram<u64>| h.value_at_quantile(0.99) as f64;
    let (post, ratio) = (p99(&chatd_run.post) / echo, p99(&chatd_run.append) / echo);
    println!(
        "    P3 bar: append-to-frame p99 <= 2x the echo's p99: {ratio:.1}x, {} (post-to-frame {post:.1}x)",
        crate::stats::met(ratio <= 2.0)
    );
    let lean = p99(&lean_run.append) / echo;
    println!(
        "    the lean durable server: append-to-frame p99 {lean:.1}x the echo's{}",
        if lean > 2.0 {
            " (above the bar too: on this machine, under this load, a server that frames only durable messages misses it)"
        } else {
            ""
        }
    );
    // The interval holds the durable append, so one fsync of the log is its floor: on the idle
    // disk, and under this load, where the log's fsyncs meet the load's own I/O and CPU.
    let idle: f64 = var("P3_FSYNC_P50_US").parse().unwrap_or(0.0);
    let under_load = chatd_run.fsyncs.expect("probed under chatd's load");
    let (p50, p99) = (
        under_load.value_at_quantile(0.5) as f64,
        under_load.value_at_quantile(0.99) as f64,
    );
    println!(
        "    floor: one fsync on this disk, idle p50 {:.2} ms; under chatd's load ({} probes) p50 {:.2} ms, p99 {:.2} ms = {:.1}x the echo's p99{}",
        idle / 1000.0,
        under_load.len(),
        p50 / 1000.0,
        p99 / 1000.0,
        p99 / echo,
        if p99 / echo > 2.0 {
            " (above the bar: with a durable append in the interval, this run's disk alone misses it)"
        } else {
            ""
        }
    );
}

/// The load every fan-out run carries: messages at `rate` a second for `seconds`, each to one of
/// `sockets` listeners.
struct Load {
    sockets: usize,
    rate: usize,
    seconds: u64,
}

/// What one fan-out run measured.
struct Run {
    /// From the client's send to the frame.
    post: hdrhistogram::Histogram<u64>,
    /// From the message's `created_at` (its decision, before the durable append) to the frame.
    append: hdrhistogram::Histogram<u64>,
    /// One fsync every 10 ms while the load ran, when asked for.
    fsyncs: Option<hdrhistogram::Histogram<u64>>,
}

impl Load {
    /// Open a socket at each of `urls` (socket `i` listens for chat `i`), then send the load
    /// through `post(client, n, chat)` from 64 posters, paced; print and return the latencies.
    async fn fan_out(
        &self,
        name: &str,
        urls: impl Iterator<Item = String>,
        probe_dir: Option<&str>,
        post: impl Fn(&reqwest::Client, usize, usize) -> reqwest::RequestBuilder + Send + Sync + 'static,
    ) -> Run {
        let (sockets, rate) = (self.sockets, self.rate);
        let hist = Arc::new(Mutex::new(histogram()));
        let ahist = Arc::new(Mutex::new(histogram()));
        let received = Arc::new(AtomicUsize::new(0));
        // When a socket last got a frame that is not a measured message (presence, mostly).
        let other = Arc::new(Mutex::new(Instant::now()));
        let connecting = Instant::now();
        // Each socket is read from the moment it opens: one left unread does not answer the
        // server's pings and is closed as dead.
        let readers = connect_all(urls, |ws| {
            let (hist, ahist, received) = (hist.clone(), ahist.clone(), received.clone());
            let other = other.clone();
            tokio::spawn(async move {
                let (_, mut rx) = ws.split();
                while let Some(Ok(msg)) = rx.next().await {
                    let tokio_tungstenite::tungstenite::Message::Text(t) = msg else {
                        continue;
                    };
                    let Some((sent, created)) = stamps(&t) else {
                        *other.lock().expect("other") = Instant::now();
                        continue;
                    };
                    let now = now_nanos();
                    let us = |from: u128| ((now.saturating_sub(from) / 1000) as u64).max(1);
                    hist.lock().expect("hist").record(us(sent)).ok();
                    if let Some(at) = created {
                        ahist.lock().expect("hist").record(us(at)).ok();
                    }
                    received.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .await;
        println!(
            "    ({name}: {sockets} sockets connected in {:.1} s)",
            connecting.elapsed().as_secs_f64()
        );
        // Quiet before the load: the server measures its idle sockets (P6), and presence is
        // told (a crowd of N logging in is N² ids to send, a tick at a time): the load starts
        // once no socket has had a frame for a second, and at least 2 s after the last socket
        // opened.
        let quiet = Instant::now();
        tokio::time::sleep(Duration::from_secs(2)).await;
        while other.lock().expect("other").elapsed() < Duration::from_secs(1)
            && quiet.elapsed() < Duration::from_secs(120)
        {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        println!(
            "    ({name}: the sockets quiet, {:.1} s after the last one opened)",
            quiet.elapsed().as_secs_f64()
        );
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(64)
            .build()
            .expect("client");
        let total = rate * self.seconds as usize;
        // The same fsync as the idle probe, every 10 ms while the load runs: what one fsync
        // costs on this disk under this load (the log's own fsyncs are part of that load).
        let loaded = Arc::new(std::sync::atomic::AtomicBool::new(true));
        let probe = probe_dir.map(|dir| {
            let (loaded, dir) = (loaded.clone(), dir.to_owned());
            std::thread::spawn(move || {
                fsync_probe(dir.as_ref(), Duration::from_millis(10), |_| {
                    loaded.load(Ordering::Relaxed)
                })
            })
        });
        let post = Arc::new(post);
        let cpu = Cpu::now();
        let started = Instant::now();
        let posters: Vec<_> = (0..64)
            .map(|p| {
                let (client, post) = (client.clone(), post.clone());
                tokio::spawn(async move {
                    let mut n = p;
                    while n < total {
                        // Paced: message n leaves at n / rate seconds.
                        let due = started + Duration::from_secs_f64(n as f64 / rate as f64);
                        tokio::time::sleep_until(due.into()).await;
                        let chat = (n * 7919) % sockets;
                        let _ = post(&client, n, chat).send().await;
                        n += 64;
                    }
                })
            })
            .collect();
        for p in posters {
            p.await.expect("poster");
        }
        let sent_in = started.elapsed();
        let cpu = cpu.since();
        loaded.store(false, Ordering::Relaxed);
        let fsyncs = probe.map(|p| p.join().expect("fsync probe"));
        tokio::time::sleep(Duration::from_secs(2)).await;
        let h = hist.lock().expect("hist").clone();
        println!(
            "    {:<48} {:>9} {}",
            format!(
                "{name}: post-to-frame ({:.0} msgs/s offered)",
                total as f64 / sent_in.as_secs_f64()
            ),
            received.load(Ordering::Relaxed),
            percentiles(&h)
        );
        let a = ahist.lock().expect("hist").clone();
        println!(
            "    {:<48} {:>9} {}",
            format!("{name}: append-to-frame (from created_at)"),
            a.len(),
            percentiles(&a)
        );
        cpu.print(name, total, sent_in);
        for r in readers {
            r.abort();
        }
        Run {
            post: h,
            append: a,
            fsyncs,
        }
    }
}

/// A load message's `message_new`: when the client sent it (the `ts:` in its text) and its
/// `created_at`, as nanoseconds since 1970; `None` for any other frame.
fn stamps(frame: &str) -> Option<(u128, Option<u128>)> {
    if !frame.contains("\"type\":\"message_new\"") {
        return None;
    }
    let sent = quoted_after(frame, "\"text\":\"ts:")?.parse().ok()?;
    let created = quoted_after(frame, "\"created_at\":\"").and_then(|text| {
        let at = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339);
        u128::try_from(at.ok()?.unix_timestamp_nanos()).ok()
    });
    Some((sent, created))
}

/// What follows the first `key` in `frame`, up to the next quote.
fn quoted_after<'a>(frame: &'a str, key: &str) -> Option<&'a str> {
    let rest = &frame[frame.find(key)? + key.len()..];
    Some(&rest[..rest.find('"')?])
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Open every socket one handshake after another, handing each to `opened` as soon as it is
/// open; what it makes, in the sockets' order. (10,000 take about 6 s now that presence is
/// announced per tick: one frame per socket for a crowd, not one per user.)
async fn connect_all<T>(
    urls: impl Iterator<Item = String>,
    opened: impl Fn(Socket) -> T,
) -> Vec<T> {
    let mut out = Vec::new();
    for url in urls {
        let (ws, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("connect");
        out.push(opened(ws));
    }
    out
}
