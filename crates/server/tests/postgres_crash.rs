//! R33 on PostgreSQL, with the real `chatd` binary and a real PostgreSQL started by the test:
//! chatd is SIGKILLed mid-load and every message it acknowledged is in the log after a restart;
//! then PostgreSQL itself is killed mid-load: requests meanwhile answer 503 (never a 500, never
//! a hang), and once it is back chatd writes again with nothing acknowledged lost.

mod support;

use chatd_store::postgres::testing::TestPostgres;
use serde_json::Value;
use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const PASSWORD: &str = "admin-password-1";

/// One request with a header of our choosing: status and body.
fn call(addr: &str, method: &str, path: &str, header: &str, body: &str) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(20))).ok()?;
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{header}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut resp = String::new();
    s.read_to_string(&mut resp).ok()?;
    let status = resp.get(9..12)?.parse().ok()?;
    Some((status, resp.split_once("\r\n\r\n")?.1.to_owned()))
}

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or(Value::Null)
}

fn serve(dir: &std::path::Path, pg: &TestPostgres) -> support::Served {
    support::serve(
        dir,
        &[
            ("CHATD_STORE", "postgres"),
            ("CHATD_POSTGRES", &pg.url()),
            ("CHATD_ADMIN_PASSWORD", PASSWORD),
        ],
    )
}

fn admin(addr: &str) -> String {
    let (_, body) = call(
        addr,
        "POST",
        "/api/v1/auth/login",
        "X-Test: 1",
        &format!(r#"{{"login":"admin","password":"{PASSWORD}"}}"#),
    )
    .unwrap();
    json(&body)["token"].as_str().unwrap().to_owned()
}

/// What a load saw: the acknowledged external ids, and every answer's status (0: none).
struct Load {
    acked: Arc<Mutex<HashSet<String>>>,
    statuses: Arc<Mutex<Vec<u16>>>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Load {
    fn finish(self) -> (HashSet<String>, Vec<u16>) {
        self.threads.into_iter().for_each(|t| t.join().unwrap());
        let acked = self.acked.lock().unwrap().clone();
        let statuses = self.statuses.lock().unwrap().clone();
        (acked, statuses)
    }
}

/// Eight clients send inbound messages until `stop`.
fn load(addr: &str, transport: &str, tag: &str, stop: Arc<AtomicBool>) -> Load {
    let acked = Arc::new(Mutex::new(HashSet::new()));
    let statuses = Arc::new(Mutex::new(Vec::new()));
    let threads = (0..8)
        .map(|t| {
            let (addr, transport, tag) = (addr.to_owned(), transport.to_owned(), tag.to_owned());
            let (stop, acked, statuses) = (stop.clone(), acked.clone(), statuses.clone());
            std::thread::spawn(move || {
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) && n < 2000 {
                    let ext = format!("{tag}-{t}-{n}");
                    let body = format!(
                        r#"{{"external_chat_id":"chat-{t}","customer":{{"external_id":"c{t}","name":"C{t}"}},"message":{{"external_id":"{ext}","text":"n{n}"}}}}"#
                    );
                    let header = format!("X-Transport-Token: {transport}");
                    let got = call(&addr, "POST", "/api/transport/v1/messages", &header, &body);
                    let status = got.as_ref().map_or(0, |(s, _)| *s);
                    statuses.lock().unwrap().push(status);
                    if status == 200 {
                        acked.lock().unwrap().insert(ext);
                    } else if status == 0 {
                        std::thread::sleep(Duration::from_millis(50));
                    }
                    n += 1;
                }
            })
        })
        .collect();
    Load {
        acked,
        statuses,
        threads,
    }
}

/// The external ids of every customer message in the log, through the audit API.
fn stored(addr: &str, token: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut after = String::new();
    loop {
        let path = if after.is_empty() {
            "/api/audit/v1/events?limit=1000".to_owned()
        } else {
            format!("/api/audit/v1/events?limit=1000&after={after}")
        };
        let (status, body) = call(
            addr,
            "GET",
            &path,
            &format!("Authorization: Bearer {token}"),
            "",
        )
        .unwrap();
        assert_eq!(status, 200, "{body}");
        let page = json(&body);
        for e in page["items"].as_array().unwrap() {
            if e["type"] == "message_received" {
                out.insert(e["data"]["external_id"].as_str().unwrap().to_owned());
            }
        }
        match page["next_cursor"].as_str() {
            Some(c) => after = c.to_owned(),
            None => return out,
        }
    }
}

#[test]
fn r33_nothing_acknowledged_is_lost_when_chatd_or_postgres_is_killed_mid_load() {
    let Some(pg) = TestPostgres::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut served = serve(dir.path(), &pg);
    let addr = served.addr.clone();
    let token = admin(&addr);
    let (status, body) = call(
        &addr,
        "POST",
        "/api/v1/channels",
        &format!("Authorization: Bearer {token}"),
        r#"{"type":"custom","name":"shop"}"#,
    )
    .unwrap();
    assert_eq!(status, 201, "{body}");
    let transport = json(&body)["transport_token"].as_str().unwrap().to_owned();

    // chatd SIGKILLed mid-load.
    let stop = Arc::new(AtomicBool::new(false));
    let running = load(&addr, &transport, "a", stop.clone());
    std::thread::sleep(Duration::from_millis(1500));
    Command::new("kill")
        .args(["-KILL", &served.child.id().to_string()])
        .status()
        .unwrap();
    served.child.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    let (acked_before, _) = running.finish();
    assert!(!acked_before.is_empty(), "the load ran before the kill");

    let mut served = serve(dir.path(), &pg);
    let addr = served.addr.clone();
    let token = admin(&addr);
    let in_log = stored(&addr, &token);
    let lost: Vec<_> = acked_before.difference(&in_log).collect();
    assert!(
        lost.is_empty(),
        "acknowledged but lost after SIGKILL: {lost:?}"
    );

    // PostgreSQL killed mid-load, then back.
    let stop = Arc::new(AtomicBool::new(false));
    let running = load(&addr, &transport, "b", stop.clone());
    std::thread::sleep(Duration::from_millis(700));
    pg.kill();
    std::thread::sleep(Duration::from_millis(1500));
    pg.start_server();
    std::thread::sleep(Duration::from_millis(2500));
    stop.store(true, Ordering::Relaxed);
    let (acked, statuses) = running.finish();
    let count = |s: u16| statuses.iter().filter(|x| **x == s).count();
    println!(
        "PostgreSQL killed mid-load: {} answered 200, {} answered 503, {} other",
        count(200),
        count(503),
        statuses.len() - count(200) - count(503)
    );
    assert!(count(503) > 0, "requests during the outage answered 503");
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 503),
        "only 200 and 503, never a 500 or no answer: {statuses:?}"
    );
    let last: Vec<u16> = statuses.iter().rev().take(8).copied().collect();
    assert!(
        last.contains(&200),
        "writes again once PostgreSQL is back: {last:?}"
    );
    let in_log = stored(&addr, &token);
    let lost: Vec<_> = acked.difference(&in_log).collect();
    assert!(
        lost.is_empty(),
        "acknowledged but lost across the outage: {lost:?}"
    );
    Command::new("kill")
        .args(["-TERM", &served.child.id().to_string()])
        .status()
        .unwrap();
    served.child.wait().unwrap();
}
