//! R28 on the real binary: one process per data directory, `chatd user` on a stopped chatd,
//! and readiness while the read models catch up with a long log.

mod support;

use chatd_domain::dialog::{self, Dialog};
use chatd_domain::{EventMeta, Recorded};
use chatd_projections::new_event;
use chatd_store::{EventStore, ExpectedVersion, SqliteConfig, SqliteStore};
use std::io::Write;
use std::process::{Command as Process, Stdio};
use uuid::Uuid;

fn log_in(addr: &str, login: &str, password: &str) -> u16 {
    let body = format!(r#"{{"login":"{login}","password":"{password}"}}"#);
    support::http(addr, "POST", "/api/v1/auth/login", Some(&body)).0
}

/// `chatd <args> --data-dir DIR` with `stdin` fed to it: exit code and everything it printed.
fn chatd(args: &[&str], dir: &std::path::Path, stdin: &str) -> (Option<i32>, String) {
    let mut child = Process::new(env!("CARGO_BIN_EXE_chatd"))
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env("CHATD_ADMIN_PASSWORD", "admin-password-for-tests")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// SIGTERM, and wait for it to exit (a graceful stop, which writes the snapshot).
fn stop(mut served: support::Served) {
    let _ = Process::new("kill")
        .args(["-TERM", &served.child.id().to_string()])
        .status();
    let _ = served.child.wait();
}

#[test]
fn a_second_server_on_a_data_directory_in_use_is_refused_while_the_first_keeps_serving() {
    let dir = tempfile::tempdir().unwrap();
    let first = support::serve(dir.path(), &[]);
    let out = Process::new(env!("CARGO_BIN_EXE_chatd"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the second server exits non-zero");
    assert!(
        said.contains(&dir.path().display().to_string()) && said.contains("in use"),
        "{said}"
    );
    assert!(
        said.contains(&format!("pid {}", first.child.id())),
        "{said}"
    );
    assert_eq!(support::http(&first.addr, "GET", "/healthz", None).0, 200);
    // A writing command is refused too, and changes nothing.
    let (code, said) = chatd(
        &[
            "user", "create", "--login", "x", "--name", "X", "--role", "manager",
        ],
        dir.path(),
        "password-123\n",
    );
    assert_ne!(code, Some(0));
    assert!(said.contains("in use"), "{said}");
    assert_eq!(log_in(&first.addr, "x", "password-123"), 401);
    // Read-only commands run beside it, and say so.
    let (code, said) = chatd(&["audit", "verify"], dir.path(), "");
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("in use by a running chatd"), "{said}");
    assert!(said.contains("every hash chain is intact"), "{said}");
    let (code, said) = chatd(&["user", "list"], dir.path(), "");
    assert_eq!(code, Some(0), "{said}");
    assert!(said.lines().any(|l| l.starts_with("admin ")), "{said}");
    stop(first);
    // Once the first has stopped, the directory is free again.
    let again = support::serve(dir.path(), &[]);
    assert_eq!(support::http(&again.addr, "GET", "/healthz", None).0, 200);
    stop(again);
}

#[test]
fn chatd_user_creates_users_and_sets_passwords_on_a_stopped_chatd() {
    let dir = tempfile::tempdir().unwrap();
    // A store with its bootstrap admin, then stopped.
    let first = support::serve(
        dir.path(),
        &[("CHATD_ADMIN_PASSWORD", "admin-password-for-tests")],
    );
    stop(first);
    let (code, said) = chatd(
        &[
            "user", "create", "--login", "rescue", "--name", "Rescue", "--role", "admin",
        ],
        dir.path(),
        "rescue-password\n",
    );
    assert_eq!(code, Some(0), "{said}");
    // The password is checked like the API's.
    let (code, said) = chatd(
        &[
            "user", "create", "--login", "short", "--name", "S", "--role", "manager",
        ],
        dir.path(),
        "short\n",
    );
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("8 characters"), "{said}");
    // A lost admin password is replaced.
    let (code, said) = chatd(
        &["user", "set-password", "admin"],
        dir.path(),
        "a-brand-new-password\n",
    );
    assert_eq!(code, Some(0), "{said}");
    let (code, list) = chatd(&["user", "list"], dir.path(), "");
    assert_eq!(code, Some(0), "{list}");
    assert!(
        list.lines()
            .any(|l| l.starts_with("rescue") && l.contains("admin")),
        "{list}"
    );
    assert!(!list.contains("short"), "{list}");
    // Served again: both log in with what the commands set; the old password is gone.
    let served = support::serve(dir.path(), &[]);
    assert_eq!(log_in(&served.addr, "rescue", "rescue-password"), 200);
    assert_eq!(log_in(&served.addr, "admin", "a-brand-new-password"), 200);
    assert_eq!(
        log_in(&served.addr, "admin", "admin-password-for-tests"),
        401
    );
    stop(served);
}

/// A log of `messages` customer messages in one dialog, appended in large batches.
fn long_log(dir: &std::path::Path, messages: usize) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = SqliteStore::open(SqliteConfig::new(dir.join("events.db"))).unwrap();
        let channel = Uuid::new_v4().into();
        let dialog_id = Uuid::new_v4();
        let mut state = Dialog::default();
        let mut version = None;
        let mut batch = Vec::new();
        for n in 0..messages {
            let cmd = support::hello(channel, dialog_id, "chat", n);
            let meta = EventMeta {
                at: cmd.at,
                actor: cmd.by.actor(),
            };
            for e in dialog::decide(&state, &cmd).unwrap() {
                batch.push(new_event(Uuid::new_v4(), &meta, &e));
                state = dialog::evolve(state, &Recorded { meta, event: e });
            }
            if batch.len() >= 2000 || n + 1 == messages {
                let expected = version.map_or(ExpectedVersion::NoStream, ExpectedVersion::Exact);
                let r = store
                    .append(
                        &format!("dialog-{dialog_id}"),
                        expected,
                        std::mem::take(&mut batch),
                    )
                    .await
                    .unwrap();
                version = Some(r.version);
            }
        }
        store.close().await;
    });
}

#[test]
fn readiness_is_503_until_the_read_models_have_caught_up_and_other_routes_wait_for_it() {
    let dir = tempfile::tempdir().unwrap();
    long_log(dir.path(), 60_000);
    // No snapshot: the read models replay the whole log.
    let served = support::serve_early(dir.path(), &[]);
    let mut seen = Vec::new();
    loop {
        // The route first, then readiness: a 503 from /readyz means the route came before.
        let (route, head, body) = support::http_with_head(&served.addr, "GET", "/api/v1/me", None);
        let (ready, ready_body) = support::http(&served.addr, "GET", "/readyz", None);
        if ready == 503 {
            assert!(
                ready_body.contains("\"code\":\"not_ready\""),
                "{ready_body}"
            );
            assert_eq!(route, 503, "{body}");
            assert!(body.contains("not_ready"), "{body}");
            assert!(head.contains("\r\nretry-after: 1"), "{head}");
        }
        // Liveness answers all along.
        assert_eq!(support::http(&served.addr, "GET", "/healthz", None).0, 200);
        seen.push(ready);
        if ready == 200 {
            break;
        }
        assert!(seen.len() < 20_000, "never ready");
    }
    assert_eq!(
        seen.first(),
        Some(&503),
        "caught up before the first probe: {seen:?}"
    );
    // Once ready, routes answer as usual (401: no token).
    assert_eq!(
        support::http(&served.addr, "GET", "/api/v1/me", None).0,
        401
    );
    assert_eq!(support::http(&served.addr, "GET", "/readyz", None).0, 200);
    stop(served);
}

#[test]
fn the_log_lines_of_a_request_carry_its_request_id() {
    let dir = tempfile::tempdir().unwrap();
    let served = support::serve(dir.path(), &[("CHATD_LOG", "chatd_server=debug,warn")]);
    let mut s = std::net::TcpStream::connect(&served.addr).unwrap();
    write!(
        s,
        "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX-Request-Id: trace-4711\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    std::io::Read::read_to_string(&mut s, &mut answer).unwrap();
    assert!(
        answer
            .to_ascii_lowercase()
            .contains("x-request-id: trace-4711"),
        "{answer}"
    );
    stop(served);
    let log = support::stderr_of(dir.path());
    let line = log
        .lines()
        .find(|l| l.contains("trace-4711"))
        .unwrap_or_else(|| panic!("no log line names the request:\n{log}"));
    assert!(
        line.contains("/api/v1/me") && line.contains("401"),
        "{line}"
    );
}
