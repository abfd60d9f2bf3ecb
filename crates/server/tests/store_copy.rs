//! R33, moving a shop with the real binary: `chatd store copy` from a data directory to a real
//! PostgreSQL (interrupted halfway by SIGKILL, then resumed) and back into a fresh data
//! directory. A checkpoint an auditor kept before the move verifies on both copies; the copy
//! replays; a target holding other data is refused with exit code 1.

mod support;

use chatd_store::postgres::testing::TestPostgres;
use chatd_store::{EventStore, ExpectedVersion, PostgresStore, SqliteConfig, SqliteStore};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A store `chatd serve` wrote: a user, a channel, five customers and dialogs, 22 events.
const FIXTURE: &str = "tests/fixtures/store-0.8-before-checkpoints.db";

fn chatd(args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chatd"))
        .args(args)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shop_moves_to_postgres_and_back_and_its_kept_checkpoint_verifies() {
    let Some(pg) = tokio::task::spawn_blocking(TestPostgres::start)
        .await
        .unwrap()
    else {
        return;
    };
    let url = pg.url();
    let source = tempfile::tempdir().unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE),
        source.path().join("events.db"),
    )
    .unwrap();
    let kept = tempfile::tempdir().unwrap();
    let (code, checkpoint) = chatd(
        &["audit", "checkpoint", "--data-dir", path(source.path())],
        &[],
    );
    assert_eq!(code, Some(0), "{checkpoint}");
    let checkpoint = checkpoint
        .split_once("\nchatd:")
        .map_or(&*checkpoint, |c| c.0);
    std::fs::write(kept.path().join("cp.json"), checkpoint).unwrap();
    let (code, pem) = chatd(&["audit", "key", "--data-dir", path(source.path())], &[]);
    assert_eq!(code, Some(0), "{pem}");
    let pem = pem
        .split("-----END PUBLIC KEY-----")
        .next()
        .unwrap()
        .to_owned()
        + "-----END PUBLIC KEY-----\n";
    std::fs::write(kept.path().join("key.pem"), pem).unwrap();

    // To PostgreSQL, one event per transaction with a rest between, killed halfway.
    let watch = PostgresStore::connect(&url, 1).await.unwrap();
    let mut slow = Command::new(env!("CARGO_BIN_EXE_chatd"))
        .args(["store", "copy", "--batch", "1", "--pause-ms", "150"])
        .args(["--from", path(source.path()), "--to", &url])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        let at = watch.head().await.unwrap().map_or(0, |p| p.commit);
        if at >= 5 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "no progress");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    slow.kill().unwrap();
    slow.wait().unwrap();
    let halfway = watch.head().await.unwrap().unwrap().commit;
    assert!((5..22).contains(&halfway), "killed at {halfway}");

    let (code, out) = chatd(
        &["store", "copy", "--from", path(source.path()), "--to", &url],
        &[],
    );
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains(&format!("resumed after position {halfway}")),
        "{out}"
    );
    assert!(
        out.contains(&format!("copied {} events", 22 - halfway)),
        "{out}"
    );
    assert!(out.contains("both logs end at position 22"), "{out}");

    // The kept checkpoint verifies on PostgreSQL: same positions, versions and hashes.
    let on_pg = tempfile::tempdir().unwrap();
    let pg_env = [
        ("CHATD_STORE", "postgres"),
        ("CHATD_POSTGRES", url.as_str()),
    ];
    let cp = kept.path().join("cp.json");
    let key = kept.path().join("key.pem");
    let verify = |dir: &Path, env: &[(&str, &str)]| {
        chatd(
            &[
                "audit",
                "verify",
                "--data-dir",
                path(dir),
                "--checkpoint",
                path(&cp),
                "--key",
                path(&key),
            ],
            env,
        )
    };
    let (code, out) = verify(on_pg.path(), &pg_env);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("the log extends the checkpoint at position 22"),
        "{out}"
    );

    // And back, into a fresh data directory, which replays and verifies the same way.
    let back = tempfile::tempdir().unwrap();
    let (code, out) = chatd(
        &["store", "copy", "--from", &url, "--to", path(back.path())],
        &[],
    );
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("copied 22 events"), "{out}");
    let (code, out) = verify(back.path(), &[]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("the log extends the checkpoint at position 22"),
        "{out}"
    );
    let (code, out) = chatd(&["replay", "--data-dir", path(back.path())], &[]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("dialogs 5, customers 5"), "{out}");
    // Byte for byte the same events, store times included.
    let a = SqliteStore::open(SqliteConfig::new(source.path().join("events.db"))).unwrap();
    let b = SqliteStore::open(SqliteConfig::new(back.path().join("events.db"))).unwrap();
    assert_eq!(
        a.read_all(None, 100).await.unwrap(),
        b.read_all(None, 100).await.unwrap()
    );

    // A target holding another shop's log is refused and left as it was.
    let other = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(SqliteConfig::new(other.path().join("events.db"))).unwrap();
    store
        .append(
            "settings",
            ExpectedVersion::Any,
            vec![chatd_store::contract::event(1)],
        )
        .await
        .unwrap();
    store.close().await;
    let (code, out) = chatd(
        &["store", "copy", "--from", path(other.path()), "--to", &url],
        &[],
    );
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("already holds other data"), "{out}");
    assert_eq!(watch.head().await.unwrap().unwrap().commit, 22);
    // And a source that is not a chatd data directory.
    let (code, out) = chatd(
        &["store", "copy", "--from", path(kept.path()), "--to", &url],
        &[],
    );
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("holds no chatd log"), "{out}");
}
