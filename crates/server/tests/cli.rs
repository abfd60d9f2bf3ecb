//! The `chatd` binary as an operator runs it: serve on port 0, answer /healthz, stop cleanly on
//! SIGTERM; replay a log written by the domain.

mod support;

use chatd_domain::dialog::{self, Dialog};
use chatd_domain::EventMeta;
use chatd_projections::new_event;
use chatd_store::{EventStore, ExpectedVersion, SqliteConfig, SqliteStore};
use std::process::Command as Process;
use uuid::Uuid;

fn chatd() -> Process {
    Process::new(env!("CARGO_BIN_EXE_chatd"))
}

fn http_get(addr: &str, path: &str) -> (u16, String) {
    support::http(addr, "GET", path, None)
}

/// SIGTERM to `child`; how it exited.
fn terminate(child: &mut std::process::Child) -> std::process::ExitStatus {
    let killed = Process::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    child.wait().unwrap()
}

#[test]
fn serve_answers_health_and_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut served = support::serve(dir.path(), &[]);
    let addr = served.addr.clone();
    let (status, body) = http_get(&addr, "/healthz");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"status\":\"ok\""), "{body}");
    let (status, body) = http_get(&addr, "/no/such/route");
    assert_eq!(status, 404);
    assert!(body.contains("\"code\":\"not_found\""), "{body}");

    let status = terminate(&mut served.child);
    assert!(status.success(), "chatd exited with {status:?} on SIGTERM");
    let rest: Vec<String> = served.lines.by_ref().map_while(Result::ok).collect();
    assert!(rest.iter().any(|l| l == "chatd stopped"), "{rest:?}");
    assert!(
        dir.path().join("events.db").exists(),
        "the embedded store lives in the data dir"
    );
}

/// R39: a console left open never delays the stop. Three WebSockets are open (one of them a
/// client that never reads); SIGTERM stops chatd within 2 s and each socket is told to go away
/// (close 1001) first.
#[test]
fn serve_stops_within_two_seconds_of_sigterm_with_sockets_open() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let mut served = support::serve(dir.path(), &[("CHATD_ADMIN_PASSWORD", "admin-password-1")]);
    let addr = served.addr.clone();
    let (status, body) = support::http(
        &addr,
        "POST",
        "/api/v1/auth/login",
        Some(r#"{"login":"admin","password":"admin-password-1"}"#),
    );
    assert_eq!(status, 200, "{body}");
    let token = body
        .split("\"token\":\"")
        .nth(1)
        .and_then(|t| t.split('"').next())
        .unwrap()
        .to_owned();
    let mut sockets: Vec<std::net::TcpStream> = (0..3)
        .map(|_| {
            let mut s = std::net::TcpStream::connect(&addr).unwrap();
            write!(
                s,
                "GET /api/v1/ws?token={token} HTTP/1.1\r\nHost: {addr}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
            )
            .unwrap();
            let mut head = [0u8; 12];
            s.read_exact(&mut head).unwrap();
            assert_eq!(&head[9..12], b"101", "{}", String::from_utf8_lossy(&head));
            s
        })
        .collect();
    let started = std::time::Instant::now();
    let status = terminate(&mut served.child);
    let took = started.elapsed();
    assert!(status.success(), "{status:?}");
    assert!(
        took < std::time::Duration::from_secs(2),
        "chatd took {took:?} to stop with sockets open"
    );
    // Each socket got a close frame with 1001 (going away) before its connection ended.
    for s in &mut sockets {
        let mut rest = Vec::new();
        let _ = s.read_to_end(&mut rest);
        let close = rest
            .windows(4)
            .any(|w| w[0] == 0x88 && w[2..4] == 1001u16.to_be_bytes());
        assert!(close, "no close 1001 among {rest:?}");
    }
}

#[test]
fn serve_refuses_a_bad_config_file_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("chatd.toml"), "listen = 5\n").unwrap();
    let out = chatd()
        .args(["serve", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("chatd.toml"), "{err}");
}

/// A log of `n` dialogs opened by a customer message (two events each); their ids.
fn fill(dir: &std::path::Path, n: usize) -> Vec<Uuid> {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = SqliteStore::open(SqliteConfig::new(dir.join("events.db"))).unwrap();
        let channel = Uuid::new_v4().into();
        let mut ids = Vec::new();
        for n in 0..n {
            let dialog_id = Uuid::new_v4();
            ids.push(dialog_id);
            let cmd = support::hello(channel, dialog_id, &format!("chat-{n}"), n);
            let events = dialog::decide(&Dialog::default(), &cmd).unwrap();
            let meta = EventMeta {
                at: cmd.at,
                actor: cmd.by.actor(),
            };
            let new = events
                .iter()
                .map(|e| new_event(Uuid::new_v4(), &meta, e))
                .collect();
            store
                .append(
                    &format!("dialog-{dialog_id}"),
                    ExpectedVersion::NoStream,
                    new,
                )
                .await
                .unwrap();
        }
        store.close().await;
        ids
    })
}

fn run(args: &[&str], dir: &std::path::Path) -> (Option<i32>, String) {
    let (code, out, err) = support::chatd_in(args, dir);
    (code, out + &err)
}

#[test]
fn replay_folds_the_whole_log_and_reports_its_rate() {
    let dir = tempfile::tempdir().unwrap();
    fill(dir.path(), 25);
    let (code, stdout) = run(&["replay"], dir.path());
    assert_eq!(code, Some(0), "{stdout}");
    assert!(
        stdout.starts_with("rebuilt every read model from position 0: 50 events in "),
        "{stdout}"
    );
    assert!(stdout.contains("events/s"), "{stdout}");
    assert!(stdout.contains("dialogs 25,"), "{stdout}");
    assert!(
        stdout.contains("folded every aggregate through the domain: 50 events"),
        "{stdout}"
    );
}

#[test]
fn audit_verify_names_the_first_tampered_event_and_passes_an_untouched_log() {
    let dir = tempfile::tempdir().unwrap();
    let dialogs = fill(dir.path(), 10);
    let (code, out) = run(&["audit", "verify"], dir.path());
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("verified 20 events in 10 streams"), "{out}");

    // Someone with write access to the file edits one customer message.
    let victim = format!("dialog-{}", dialogs[6]);
    let db = rusqlite::Connection::open(dir.path().join("events.db")).unwrap();
    let changed = db
        .execute(
            "UPDATE events SET data = CAST(REPLACE(CAST(data AS TEXT), 'hello', 'HELLO') AS BLOB) WHERE stream = ?1 AND version = 1",
            [&victim],
        )
        .unwrap();
    assert_eq!(changed, 1);
    drop(db);
    let (code, out) = run(&["audit", "verify"], dir.path());
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains(&format!("stream {victim} version 1")) && out.contains("altered"),
        "{out}"
    );
}

#[test]
fn audit_export_writes_a_dialogs_history_as_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let dialogs = fill(dir.path(), 3);
    let (code, out) = run(
        &["audit", "export", "--dialog", &dialogs[1].to_string()],
        dir.path(),
    );
    assert_eq!(code, Some(0), "{out}");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let types: Vec<&str> = lines.iter().map(|l| l["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["dialog_opened", "message_received"]);
    assert_eq!(lines[1]["data"]["text"], "hello");
    assert_eq!(lines[1]["prev_hash"], lines[0]["hash"]);
    assert_eq!(lines[0]["metadata"]["actor"]["type"], "channel");
    let (code, out) = run(
        &["audit", "export", "--dialog", &Uuid::new_v4().to_string()],
        dir.path(),
    );
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("no dialog"), "{out}");
}

/// R33: a PostgreSQL store that cannot be reached at start stops `chatd serve` with a message
/// naming the host and the reason, and exit code 1; never a panic.
#[test]
fn serve_on_an_unreachable_postgres_names_the_host_and_exits() {
    let dir = tempfile::tempdir().unwrap();
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = chatd()
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .env("CHATD_STORE", "postgres")
        .env(
            "CHATD_POSTGRES",
            format!("postgres://chatd:secret@127.0.0.1:{port}/chatd"),
        )
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("127.0.0.1:{port}")), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("secret"),
        "{err}"
    );
    let bad = chatd()
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .env("CHATD_STORE", "postgres")
        .env("CHATD_POSTGRES", "postgres://x:y@host:notaport/db")
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1), "{bad:?}");
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("not valid") && !err.contains(":y@"), "{err}");
}
