//! The `chatd` binary as an operator runs it: serve on port 0, answer /healthz, stop cleanly on
//! SIGTERM; replay a log written by the domain.

use chatd_domain::channel::{ChannelProfile, ChannelType};
use chatd_domain::dialog::{self, Dialog, DialogCommand, Inbound};
use chatd_domain::{Command, EventMeta, Principal};
use chatd_projections::new_event;
use chatd_store::{EventStore, ExpectedVersion, SqliteConfig, SqliteStore};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command as Process, Stdio};
use uuid::Uuid;

fn chatd() -> Process {
    Process::new(env!("CARGO_BIN_EXE_chatd"))
}

fn http_get(addr: &str, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    let status = resp[9..12].parse().unwrap();
    let body = resp
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn serve_answers_health_and_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = chatd()
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .env("CHATD_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let addr = first
        .strip_prefix("chatd listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
        .to_owned();
    let (status, body) = http_get(&addr, "/healthz");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"status\":\"ok\""), "{body}");
    let (status, body) = http_get(&addr, "/no/such/route");
    assert_eq!(status, 404);
    assert!(body.contains("\"code\":\"not_found\""), "{body}");

    let killed = Process::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "chatd exited with {status:?} on SIGTERM");
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(rest.iter().any(|l| l == "chatd stopped"), "{rest:?}");
    assert!(
        dir.path().join("events.db").exists(),
        "the embedded store lives in the data dir"
    );
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

#[test]
fn replay_folds_the_whole_log_and_reports_its_rate() {
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = SqliteStore::open(SqliteConfig::new(dir.path().join("events.db"))).unwrap();
        let channel = Uuid::new_v4().into();
        for n in 0..25 {
            let dialog_id = Uuid::new_v4().into();
            let cmd = Command {
                by: Principal::Channel { id: channel },
                at: time::OffsetDateTime::now_utc(),
                body: DialogCommand::Receive(Box::new(Inbound {
                    dialog_id,
                    channel_id: channel,
                    external_chat_id: format!("chat-{n}"),
                    customer_id: None,
                    message_id: Uuid::new_v4().into(),
                    external_id: format!("m-{n}"),
                    text: "hello".into(),
                    attachments: vec![],
                    quote_external_id: None,
                    sent_at: None,
                    customer_blocked: false,
                    channel: ChannelProfile::default_for(ChannelType::Telegram),
                })),
            };
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
    });
    let out = chatd()
        .args(["replay", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.starts_with("replayed 50 events in "), "{stdout}");
    assert!(stdout.contains("events/s"), "{stdout}");
    assert!(stdout.contains("dialogs 25,"), "{stdout}");
}
