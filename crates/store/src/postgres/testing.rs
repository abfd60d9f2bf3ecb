//! A real PostgreSQL for tests, started from Debian's `postgresql` package: `initdb` in a
//! temporary directory, `pg_ctl start` on a free port of 127.0.0.1 (another when that one is
//! taken first), as the unprivileged
//! `postgres` user when the tests run as root. It stops when dropped, and a watchdog stops it
//! too when the test process ends without dropping it (a shared server in a `static`).
//! Without the package, [`TestPostgres::start`] says NOT RUN and returns `None`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

pub struct TestPostgres {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    as_postgres: bool,
}

/// The directory of `initdb` and `pg_ctl`: `CHATD_PG_BIN`, or the newest of Debian's
/// `/usr/lib/postgresql/*/bin`.
fn bin_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("CHATD_PG_BIN") {
        return Some(PathBuf::from(dir));
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("pg_ctl").is_file().then_some((v, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, p)| p)
}

/// A port for a test server: probed free, and below Linux's ephemeral range (32768–60999), from
/// which the tests' own `:0` servers and outgoing connections take theirs, so none of those
/// takes it between the probe and PostgreSQL's bind.
fn free_port() -> u16 {
    loop {
        let port = 20_000 + (uuid::Uuid::new_v4().as_u128() % 12_000) as u16;
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .ok()
        .is_some_and(|o| o.stdout.starts_with(b"0\n"))
}

impl TestPostgres {
    /// A fresh server, or `None` (having printed NOT RUN) when PostgreSQL is not installed.
    pub fn start() -> Option<TestPostgres> {
        let Some(bin) = bin_dir() else {
            eprintln!(
                "NOT RUN: PostgreSQL is not installed (Debian: apt-get install postgresql; .ci/run installs it)"
            );
            return None;
        };
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "chatd-pg-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a directory for PostgreSQL");
        let as_postgres = is_root();
        if as_postgres {
            run(Command::new("chown").args(["postgres:postgres"]).arg(&dir));
        }
        let mut pg = TestPostgres {
            bin,
            dir,
            port: free_port(),
            as_postgres,
        };
        pg.run_pg(
            "initdb",
            &[
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--no-sync",
                "-D",
            ],
            &[&pg.data()],
        );
        // A port probed free can still be taken before PostgreSQL binds it: then another.
        retried(4, "PostgreSQL did not start", |again| {
            if again {
                pg.port = free_port();
            }
            pg.try_start()
        });
        pg.watchdog();
        Some(pg)
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// `postgres://postgres@127.0.0.1:PORT/postgres`
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The temporary directory this server lives in (removed with it): a place for files that
    /// belong to this database, such as the master key every chatd on it shares.
    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    fn command(&self, tool: &str) -> Command {
        let path = self.bin.join(tool);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        }
    }

    fn run_pg(&self, tool: &str, args: &[&str], paths: &[&Path]) {
        let mut c = self.command(tool);
        c.args(args).args(paths);
        run(&mut c);
    }

    /// Start (again) on the same port and data; a few tries, as the port may take a moment to
    /// be free again after a stop.
    pub fn start_server(&self) {
        retried(3, "PostgreSQL did not start again", |again| {
            if again {
                std::thread::sleep(std::time::Duration::from_secs(1));
            }
            self.try_start()
        });
    }

    /// `pg_ctl start`; on failure, what it and the server's log said.
    fn try_start(&self) -> Result<(), String> {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c max_connections=200",
            self.port,
            self.dir.display()
        );
        let log = self.dir.join("postgres.log");
        let mut c = self.command("pg_ctl");
        c.args(["start", "-w", "-t", "30", "-o", &options, "-l"])
            .arg(&log)
            .arg("-D")
            .arg(self.data());
        let out = c.output().expect("run pg_ctl");
        if out.status.success() {
            return Ok(());
        }
        Err(format!(
            "{c:?} failed: {}{}\nits log:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            std::fs::read_to_string(&log).unwrap_or_default()
        ))
    }

    /// Stop at once, as a crash would (`-m immediate`): what was committed is on disk.
    pub fn kill(&self) {
        self.run_pg(
            "pg_ctl",
            &["stop", "-m", "immediate", "-w", "-D"],
            &[&self.data()],
        );
    }

    /// Stop this server when the test process ends, whether or not it is dropped.
    fn watchdog(&self) {
        let stop = format!(
            "{} {} stop -m immediate -D {} >/dev/null 2>&1; rm -rf {}",
            if self.as_postgres {
                "runuser -u postgres --"
            } else {
                ""
            },
            self.bin.join("pg_ctl").display(),
            self.data().display(),
            self.dir.display()
        );
        let script = format!(
            "while kill -0 {} 2>/dev/null; do sleep 1; done; {stop}",
            std::process::id()
        );
        let _ = Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
    }
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        let _ = self
            .command("pg_ctl")
            .args(["stop", "-m", "immediate", "-D"])
            .arg(self.data())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `attempt` (told whether it is a retry) until it succeeds, at most `tries` times; then a panic
/// with every failure.
fn retried(tries: usize, what: &str, mut attempt: impl FnMut(bool) -> Result<(), String>) {
    let mut failures = Vec::new();
    while let Err(e) = attempt(!failures.is_empty()) {
        failures.push(e);
        assert!(failures.len() < tries, "{what}:\n{}", failures.join("\n"));
    }
}

fn run(c: &mut Command) {
    let out = c.output().expect("run a PostgreSQL tool");
    assert!(
        out.status.success(),
        "{c:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
