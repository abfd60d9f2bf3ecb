//! The `chatd` binary as a test starts it: `serve` on port 0 in a data directory. Compiled into
//! each test binary that uses it; not every one reads every field.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Lines, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};

/// A running `chatd serve`: the child, its address (`host:port`) and the rest of its stdout.
pub struct Served {
    pub child: Child,
    pub addr: String,
    pub lines: Lines<BufReader<ChildStdout>>,
}

/// A test that ends (or fails) with its server still running does not leave it behind.
impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where a served chatd's stderr (its log) goes: a file in its data directory.
pub fn stderr_of(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("chatd.stderr")).unwrap_or_default()
}

/// Start `chatd serve` on 127.0.0.1:0 in `dir`, with `env` set, and wait until it is ready
/// (its read models caught up, its bootstrap admin made). Its log goes to `dir/chatd.stderr`
/// (see [`stderr_of`]), for a failing test to show.
pub fn serve(dir: &Path, env: &[(&str, &str)]) -> Served {
    let mut served = serve_early(dir, env);
    for line in served.lines.by_ref() {
        if line.unwrap().trim_start().starts_with("ready:") {
            return served;
        }
    }
    panic!("chatd stopped before it was ready:\n{}", stderr_of(dir));
}

/// Start `chatd serve` and return as soon as it listens, possibly before it is ready.
pub fn serve_early(dir: &Path, env: &[(&str, &str)]) -> Served {
    let log = std::fs::File::create(dir.join("chatd.stderr")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_chatd"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir)
        .env("CHATD_LOG", "warn")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let addr = first
        .strip_prefix("chatd listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
        .to_owned();
    Served { child, addr, lines }
}

/// One HTTP/1.1 request on a fresh connection (`Connection: close`): status and body.
pub fn http(addr: &str, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
    let (status, _, body) = http_with_head(addr, method, path, body);
    (status, body)
}

/// [`http`], with the response head (status line and headers, lower-cased) as well.
pub fn http_with_head(
    addr: &str,
    method: &str,
    path: &str,
    body: Option<&str>,
) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    let body = body.unwrap_or("");
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    let status = resp[9..12].parse().unwrap();
    let (head, body) = resp.split_once("\r\n\r\n").unwrap_or((&resp, ""));
    (status, head.to_ascii_lowercase(), body.to_owned())
}

/// The transport's command for a customer's `hello`, the `n`-th message of `chat`, opening or
/// continuing dialog `dialog_id` of a Telegram channel.
pub fn hello(
    channel: chatd_domain::ChannelId,
    dialog_id: uuid::Uuid,
    chat: &str,
    n: usize,
) -> chatd_domain::Command<chatd_domain::dialog::DialogCommand> {
    use chatd_domain::channel::{ChannelProfile, ChannelType};
    use chatd_domain::dialog::{DialogCommand, Inbound};
    chatd_domain::Command {
        by: chatd_domain::Principal::Channel { id: channel },
        at: time::OffsetDateTime::now_utc(),
        body: DialogCommand::Receive(Box::new(Inbound {
            dialog_id: dialog_id.into(),
            channel_id: channel,
            external_chat_id: chat.to_owned(),
            customer_id: None,
            message_id: uuid::Uuid::new_v4().into(),
            external_id: format!("m-{n}"),
            text: "hello".into(),
            attachments: vec![],
            quote_external_id: None,
            sent_at: None,
            customer_blocked: false,
            channel: ChannelProfile::default_for(ChannelType::Telegram),
            erased_customers: vec![],
            away: None,
        })),
    }
}

/// Run `chatd ARGS --data-dir DIR` to completion: exit code, stdout, stderr.
pub fn chatd_in(args: &[&str], dir: &Path) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chatd"))
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
