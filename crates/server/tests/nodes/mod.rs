//! The nodes of `cluster.rs`: real `chatd serve` processes on one PostgreSQL, and which of
//! them holds a duty's lease.

use crate::support;
use chatd_tests::{TestApp, ADMIN_PASSWORD};
use std::path::Path;
use std::time::{Duration, Instant};

/// A duty's lease time in this test: a dead holder's work moves within about this.
pub const LEASE_S: u64 = 2;

pub struct Node {
    pub dir: tempfile::TempDir,
    pub served: support::Served,
    pub app: TestApp,
}

fn env(url: &str) -> Vec<(&'static str, String)> {
    vec![
        ("CHATD_STORE", "postgres".into()),
        ("CHATD_POSTGRES", url.into()),
        ("CHATD_ADMIN_PASSWORD", ADMIN_PASSWORD.into()),
    ]
}

/// R35: the master key every node shares (each keeps a copy of the file).
const MASTER_KEY: &str = "5ea1ed5ea1ed5ea1ed5ea1ed5ea1ed5ea1ed5ea1ed5ea1ed5ea1ed5ea1ed5ea1";

/// Start `chatd serve` in `dir` and return once it listens (readiness is awaited apart).
pub fn launch(dir: &Path, url: &str) -> support::Served {
    launch_with(dir, url, "")
}

/// `launch`, with `extra` lines at the top of its configuration file.
pub fn launch_with(dir: &Path, url: &str, extra: &str) -> support::Served {
    let master = dir.join("shared-master.key");
    std::fs::write(&master, MASTER_KEY).unwrap();
    std::fs::write(
        dir.join("chatd.toml"),
        format!(
            "{extra}lease_ttl_s = {LEASE_S}\ntest_clock = \"now\"\nmaster_key_file = {:?}\n[webhooks]\nbase_delay_ms = 100\nmax_delay_ms = 300\nattempts = 1000\n",
            master.display().to_string()
        ),
    )
    .unwrap();
    let env = env(url);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    support::serve_early(dir, &env)
}

pub fn wait_ready(served: &mut support::Served, dir: &Path) {
    for line in served.lines.by_ref() {
        if line.unwrap().trim_start().starts_with("ready:") {
            return;
        }
    }
    panic!(
        "chatd stopped before it was ready:\n{}",
        support::stderr_of(dir)
    );
}

/// The pid of the node holding lease `name`, as PostgreSQL says (a holder is `host-pid-…`).
async fn holder_pid(db: &tokio_postgres::Client, name: &str) -> Option<u32> {
    let row = db
        .query_opt(
            "SELECT holder FROM chatd_leases WHERE name = $1 AND expires_at > clock_timestamp()",
            &[&name],
        )
        .await
        .unwrap()?;
    let holder: String = row.get(0);
    holder.rsplit('-').nth(1)?.parse().ok()
}

pub async fn holder_index(db: &tokio_postgres::Client, name: &str, nodes: &[Node]) -> usize {
    let started = Instant::now();
    loop {
        if let Some(pid) = holder_pid(db, name).await {
            if let Some(i) = nodes.iter().position(|n| n.served.child.id() == pid) {
                return i;
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "nobody holds {name}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
