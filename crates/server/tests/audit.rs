//! R29 as an auditor meets it: `chatd audit verify`, `checkpoint` and `key` on a real store
//! written by an earlier chatd (a fixture: a user, a channel, five customers and dialogs, a
//! reply, an edit, a note, a close), tampered with the way a person holding the SQLite file
//! would, each time naming the break with exit code 1.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

/// A store `chatd serve` 0.8 wrote before checkpoints existed (positions 1–22).
const FIXTURE: &str = "tests/fixtures/store-0.8-before-checkpoints.db";
const CLOSED_DIALOG: &str = "dialog-43b28fea-3eef-515c-b43a-b67c42d6320b";

/// A data directory holding a copy of the fixture.
fn store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE),
        dir.path().join("events.db"),
    )
    .unwrap();
    dir
}

fn chatd(args: &[&str], dir: &Path) -> (Option<i32>, String, String) {
    support::chatd_in(args, dir)
}

/// `chatd audit verify` (with a kept checkpoint when given): exit code and everything printed.
fn verify(dir: &Path, checkpoint: Option<&Path>) -> (Option<i32>, String) {
    let mut args = vec!["audit", "verify"];
    let path;
    if let Some(cp) = checkpoint {
        path = cp.display().to_string();
        args.extend(["--checkpoint", &path]);
    }
    let (code, out, err) = chatd(&args, dir);
    (code, out + &err)
}

/// Sign a checkpoint of `dir` and keep it elsewhere, as an auditor would.
fn keep_checkpoint(dir: &Path, kept: &Path) -> (PathBuf, serde_json::Value) {
    let (code, out, err) = chatd(&["audit", "checkpoint"], dir);
    assert_eq!(code, Some(0), "{out}{err}");
    let file = kept.join("checkpoint.json");
    std::fs::write(&file, &out).unwrap();
    (file, serde_json::from_str(&out).unwrap())
}

fn sql(dir: &Path, statements: &str) {
    let db = rusqlite::Connection::open(dir.join("events.db")).unwrap();
    db.execute_batch(statements).unwrap();
}

#[test]
fn a_store_written_before_checkpoints_verifies_and_checkpoints() {
    let dir = store();
    let (code, out) = verify(dir.path(), None);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.starts_with("verified 22 events in 12 streams"), "{out}");
    assert!(
        out.contains("every hash chain is intact; positions 1 to 22 have no gap"),
        "{out}"
    );

    let kept = tempfile::tempdir().unwrap();
    let (file, cp) = keep_checkpoint(dir.path(), kept.path());
    assert_eq!(cp["format"], "chatd-checkpoint-v1");
    assert_eq!(cp["position"], "22");
    assert_eq!(cp["streams"], 12);
    assert_eq!(cp["events"], 22);
    let heads = cp["heads"].as_array().unwrap();
    assert_eq!(heads.len(), 12);
    let closed = heads.iter().find(|h| h["stream"] == CLOSED_DIALOG).unwrap();
    assert_eq!(
        (closed["version"].as_u64(), closed["position"].as_str()),
        (Some(5), Some("22"))
    );
    assert!(
        dir.path().join("audit-signing-key.pem").exists(),
        "the key is made in the data dir on first need"
    );
    let (code, out) = verify(dir.path(), Some(&file));
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("the log extends the checkpoint at position 22 (12 streams, signed by key"),
        "{out}"
    );

    // The signed bytes are the `signed` text; openssl checks them with the PEM from `audit key`.
    let (code, pem, id) = chatd(&["audit", "key"], dir.path());
    assert_eq!(code, Some(0), "{id}");
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----"), "{pem}");
    assert!(id.contains(cp["key_id"].as_str().unwrap()), "{id}");
    openssl_accepts(kept.path(), &pem, &cp);
}

/// `openssl pkeyutl -verify` on the checkpoint's `signed` text and `signature` (when openssl is
/// on the machine; it is on Debian's base image).
fn openssl_accepts(dir: &Path, pem: &str, cp: &serde_json::Value) {
    if Command::new("openssl").arg("version").output().is_err() {
        eprintln!("openssl is not installed: the cross-check with it did not run");
        return;
    }
    std::fs::write(dir.join("key.pem"), pem).unwrap();
    std::fs::write(dir.join("signed.txt"), cp["signed"].as_str().unwrap()).unwrap();
    let signature = hex::decode(cp["signature"].as_str().unwrap()).unwrap();
    std::fs::write(dir.join("signature.bin"), signature).unwrap();
    let check = |message: &str| {
        Command::new("openssl")
            .args([
                "pkeyutl", "-verify", "-pubin", "-inkey", "key.pem", "-rawin",
            ])
            .args(["-in", message, "-sigfile", "signature.bin"])
            .current_dir(dir)
            .output()
            .unwrap()
    };
    let ok = check("signed.txt");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let other = cp["signed"]
        .as_str()
        .unwrap()
        .replace("position: 22", "position: 21");
    std::fs::write(dir.join("other.txt"), other).unwrap();
    assert!(!check("other.txt").status.success());
}

#[test]
fn each_way_of_tampering_with_the_file_is_named() {
    struct Case {
        what: &'static str,
        sql: &'static str,
        /// What verify says without a checkpoint (`None`: it cannot see it, exit 0).
        alone: Option<&'static str>,
        /// What it says with the checkpoint kept before the change.
        kept: &'static str,
    }
    let cases = [
        Case {
            what: "the customer's last message of a dialog removed",
            sql: "DELETE FROM events WHERE position = 12",
            alone: Some("position 13: positions 12 to 12 are missing between position 11 and position 13: events were removed"),
            kept: "stream dialog-452c4e3f-0482-58fd-b7fa-c5b454a85cb2 version 1 (position 12): the checkpoint kept this stream up to version 1 (position 12); it now ends at version 0: its tail was removed",
        },
        Case {
            what: "the last event of the log removed",
            sql: "DELETE FROM events WHERE position = 22",
            alone: None,
            kept: "stream dialog-43b28fea-3eef-515c-b43a-b67c42d6320b version 5 (position 22): the checkpoint kept this stream up to version 5 (position 22); it now ends at version 4: its tail was removed",
        },
        Case {
            what: "a whole customer stream removed",
            sql: "DELETE FROM events WHERE stream = 'customer-b27b4537-7a25-5f57-92d4-74652798627a'",
            alone: Some("positions 16 to 16 are missing"),
            kept: "stream customer-b27b4537-7a25-5f57-92d4-74652798627a version 0 (position 16): the checkpoint kept this stream up to version 0 (position 16); it is gone from the log: the stream was removed",
        },
        Case {
            what: "a message in the middle removed",
            sql: "DELETE FROM events WHERE position = 19",
            alone: Some("stream dialog-43b28fea-3eef-515c-b43a-b67c42d6320b version 3 (position 20): expected version 2: an event is missing or out of place"),
            kept: "positions 19 to 19 are missing",
        },
        Case {
            what: "a data cell rewritten by sqlite's replace()",
            sql: "UPDATE events SET data = replace(data, 'kettle', 'teapot') WHERE position = 9",
            alone: Some("stream dialog-c7a79f10-e4ee-534a-9e2a-4e39120a619e version 1 (position 9): the row cannot be read: column data holds TEXT where chatd writes BLOB"),
            kept: "column data holds TEXT",
        },
        Case {
            what: "a message's text changed, kept a BLOB",
            sql: "UPDATE events SET data = CAST(replace(CAST(data AS TEXT), 'kettle', 'teapot') AS BLOB) WHERE position = 9",
            alone: Some("version 1 (position 9): its content does not match its hash: the event was altered"),
            kept: "the event was altered",
        },
        Case {
            what: "two events of a dialog swapped",
            sql: "UPDATE events SET position = -1 WHERE position = 19;
                  UPDATE events SET position = 19 WHERE position = 20;
                  UPDATE events SET position = 20 WHERE position = -1;",
            alone: Some("stream dialog-43b28fea-3eef-515c-b43a-b67c42d6320b version 3 (position 19): expected version 2: an event is missing or out of place"),
            kept: "expected version 2",
        },
    ];
    for case in cases {
        let dir = store();
        let kept = tempfile::tempdir().unwrap();
        let (checkpoint, _) = keep_checkpoint(dir.path(), kept.path());
        sql(dir.path(), case.sql);
        let (code, out) = verify(dir.path(), None);
        match case.alone {
            Some(said) => {
                assert_eq!(code, Some(1), "{}: {out}", case.what);
                assert!(out.contains(said), "{}: {out}", case.what);
                assert!(out.contains("BROKEN: ") && out.contains("found ("), "{out}");
            }
            None => assert_eq!(
                code,
                Some(0),
                "{}: only a checkpoint sees it: {out}",
                case.what
            ),
        }
        let (code, out) = verify(dir.path(), Some(&checkpoint));
        assert_eq!(code, Some(1), "{}: {out}", case.what);
        assert!(out.contains(case.kept), "{}: {out}", case.what);
        if case.alone.is_some() {
            let (code, out, err) = chatd(&["audit", "checkpoint"], dir.path());
            assert_eq!(
                code,
                Some(1),
                "{}: a broken log is never signed: {out}",
                case.what
            );
            assert!(
                out.is_empty() && err.contains("no checkpoint is signed"),
                "{err}"
            );
        }
    }
}

/// Someone who knows the hash recipe rewrites a stream's last event and recomputes its hash: the
/// chains agree with themselves, and only a kept checkpoint tells.
#[test]
fn a_rewritten_head_with_a_recomputed_hash_is_caught_by_a_kept_checkpoint() {
    let dir = store();
    let kept = tempfile::tempdir().unwrap();
    let (checkpoint, _) = keep_checkpoint(dir.path(), kept.path());
    let mut event = tokio::runtime::Runtime::new().unwrap().block_on(async {
        use chatd_store::EventStore;
        let store = chatd_store::SqliteStore::open(chatd_store::SqliteConfig::new(
            dir.path().join("events.db"),
        ))
        .unwrap();
        let page = store.read_all(None, 100).await.unwrap();
        store.close().await;
        page.into_iter().nth(8).unwrap()
    });
    assert_eq!((event.position.to_string(), event.version), ("9".into(), 1));
    event.data = String::from_utf8(event.data)
        .unwrap()
        .replace("kettle", "teapot")
        .into_bytes();
    let hash = chatd_store::hash::recompute(&event);
    let stream = event.stream.clone();
    let db = rusqlite::Connection::open(dir.path().join("events.db")).unwrap();
    db.execute(
        "UPDATE events SET data = ?1, hash = ?2 WHERE position = 9",
        rusqlite::params![event.data, hash.to_vec()],
    )
    .unwrap();
    drop(db);
    let (code, out) = verify(dir.path(), None);
    assert_eq!(code, Some(0), "the chains alone cannot tell: {out}");
    let (code, out) = verify(dir.path(), Some(&checkpoint));
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains(&format!(
            "stream {stream} version 1 (position 9): the checkpoint kept this version with hash"
        )) && out.contains("rewritten since"),
        "{out}"
    );
}

#[test]
fn a_forged_or_foreign_checkpoint_is_refused() {
    let dir = store();
    let kept = tempfile::tempdir().unwrap();
    let (file, cp) = keep_checkpoint(dir.path(), kept.path());
    let forge = |change: &dyn Fn(&mut serde_json::Value)| {
        let mut forged = cp.clone();
        change(&mut forged);
        let path = kept.path().join("forged.json");
        std::fs::write(&path, forged.to_string()).unwrap();
        let (code, out) = verify(dir.path(), Some(&path));
        assert_eq!(code, Some(1), "{out}");
        out
    };
    let out = forge(&|cp| {
        let s = cp["signature"].as_str().unwrap();
        let flipped = if s.starts_with('0') { "1" } else { "0" };
        cp["signature"] = format!("{flipped}{}", &s[1..]).into();
    });
    assert!(out.contains("its signature does not verify"), "{out}");
    let out = forge(&|cp| {
        cp["position"] = "21".into();
        cp["signed"] = cp["signed"]
            .as_str()
            .unwrap()
            .replace("position: 22", "position: 21")
            .into();
    });
    assert!(out.contains("its signature does not verify"), "{out}");
    let out = forge(&|cp| {
        cp["heads"].as_array_mut().unwrap().pop();
    });
    assert!(
        out.contains("its heads do not hash to its signed root"),
        "{out}"
    );
    let out = forge(&|cp| cp["events"] = 23.into());
    assert!(
        out.contains("do not match the text it says was signed"),
        "{out}"
    );

    // A copy of the store without its key: verify makes none, and asks for the one to trust.
    let bare = store();
    let (code, out) = verify(bare.path(), Some(&file));
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("pass the public key you trust with --key"),
        "{out}"
    );
    assert!(!bare.path().join("audit-signing-key.pem").exists());

    // Signed by another chatd's key: refused against this one's, accepted with that key given.
    let other = store();
    let (foreign, _) = keep_checkpoint(other.path(), other.path());
    let (code, out) = verify(dir.path(), Some(&foreign));
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("not by the trusted key"), "{out}");
    let (_, other_pem, _) = chatd(&["audit", "key"], other.path());
    std::fs::write(kept.path().join("other.pem"), other_pem).unwrap();
    let key = kept.path().join("other.pem").display().to_string();
    let foreign = foreign.display().to_string();
    let (code, out, err) = chatd(
        &["audit", "verify", "--checkpoint", &foreign, "--key", &key],
        dir.path(),
    );
    assert_eq!(
        code,
        Some(0),
        "the same history under another key: {out}{err}"
    );
    assert_eq!(verify(dir.path(), Some(&file)).0, Some(0));
}
