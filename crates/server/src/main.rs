use chatd_projections::replay::{rebuild_read_models, replay_all};
use chatd_server::config::{Config, Overrides};
use chatd_server::{audit, bind, open_store, telemetry};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Print a line to stdout. A closed stdout (a pipe whose reader left, a service manager that
/// gave none) is no reason to stop: unlike `println!`, this never panics.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// mimalloc: chatd allocates many small, short-lived objects across threads (requests, events,
/// frames), which glibc malloc serves slower (see docs/PERFORMANCE.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// chatd: event-sourced customer chat back end.
#[derive(Parser)]
#[command(name = "chatd", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Args, Clone)]
struct Common {
    /// Data directory: the embedded store and files live here.
    #[arg(long, env = "CHATD_DATA_DIR", global = true)]
    data_dir: Option<PathBuf>,
    /// TOML configuration file (default: chatd.toml in the data directory, if present).
    #[arg(long, env = "CHATD_CONFIG", global = true)]
    config: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Serve the HTTP and WebSocket API.
    Serve {
        #[command(flatten)]
        common: Common,
        /// Address to listen on (port 0 picks a free one).
        #[arg(long, env = "CHATD_LISTEN")]
        listen: Option<String>,
    },
    /// Read the whole log from position 0, fold it through the domain and print events/s.
    Replay {
        #[command(flatten)]
        common: Common,
    },
    /// The auditors' tools: verify the hash chains, export a dialog's history.
    Audit {
        #[command(subcommand)]
        command: AuditCmd,
    },
    /// Fill an empty data directory with a realistic demo shop (R30) and print its logins and
    /// channel tokens; with --live, then serve it with a demo integration that acknowledges
    /// deliveries and lets customers write (R39).
    Demo {
        #[command(flatten)]
        common: Common,
        /// Serve the shop afterwards (filling it only when empty), alive.
        #[arg(long)]
        live: bool,
    },
    /// Manage users while chatd is stopped (passwords are read from stdin or a prompt).
    User {
        #[command(subcommand)]
        command: UserCmd,
    },
    /// Move a shop's log between the embedded store and PostgreSQL (R33).
    Store {
        #[command(subcommand)]
        command: StoreCmd,
    },
}

#[derive(Subcommand)]
enum StoreCmd {
    /// Copy the whole log exactly as recorded (ids, versions, hashes, positions, times), so
    /// checkpoints kept before verify on the copy. Resumes where an interrupted run stopped;
    /// refuses a target holding other data.
    Copy {
        /// A data directory (the embedded store) or a postgres:// URL.
        #[arg(long)]
        from: chatd_server::move_store::End,
        /// A data directory (held during the copy) or a postgres:// URL.
        #[arg(long)]
        to: chatd_server::move_store::End,
        /// Events per transaction on the target.
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=100_000))]
        batch: u64,
        /// Rest this long between batches, to leave a serving source room.
        #[arg(long, default_value_t = 0)]
        pause_ms: u64,
    },
}

#[derive(Subcommand)]
enum UserCmd {
    /// Create a user; the password is read from stdin (or asked for on a terminal).
    Create {
        #[command(flatten)]
        common: Common,
        #[arg(long)]
        login: String,
        #[arg(long)]
        name: String,
        /// admin, senior_manager, manager or auditor.
        #[arg(long, value_parser = parse_role)]
        role: chatd_domain::Role,
        /// A group, by name or id (repeatable).
        #[arg(long = "group")]
        groups: Vec<String>,
    },
    /// Give a user a new password (read from stdin or a prompt); their sessions end.
    SetPassword {
        #[command(flatten)]
        common: Common,
        /// The user's login.
        login: String,
    },
    /// List users: login, role, active, name, groups.
    List {
        #[command(flatten)]
        common: Common,
    },
}

fn parse_role(s: &str) -> Result<chatd_domain::Role, String> {
    serde_json::from_value(serde_json::Value::String(s.to_owned()))
        .map_err(|_| format!("unknown role {s:?} (admin, senior_manager, manager, auditor)"))
}

#[derive(Subcommand)]
enum AuditCmd {
    /// Re-walk every stream's hash chain and (embedded store) every position; list the first
    /// break of each stream and the total (exit code 1), or what was verified.
    Verify {
        #[command(flatten)]
        common: Common,
        /// A checkpoint kept earlier (`chatd audit checkpoint`, `GET /api/audit/v1/checkpoint`):
        /// also prove the log still extends it (nothing it covers removed or rewritten).
        #[arg(long)]
        checkpoint: Option<PathBuf>,
        /// The public key to trust for the checkpoint's signature (PEM, or the JSON of
        /// `GET /api/audit/v1/key`); default: the key chatd signs with.
        #[arg(long, requires = "checkpoint")]
        key: Option<PathBuf>,
    },
    /// Verify the whole log, then print a signed checkpoint of every stream's head as JSON.
    Checkpoint {
        #[command(flatten)]
        common: Common,
    },
    /// Print the public key checkpoints are signed with (PEM).
    Key {
        #[command(flatten)]
        common: Common,
    },
    /// Write one dialog's full history (deleted dialogs included) as JSON lines to stdout.
    Export {
        #[command(flatten)]
        common: Common,
        /// The dialog's id.
        #[arg(long)]
        dialog: uuid::Uuid,
    },
}

fn load(common: &Common, listen: Option<String>) -> Result<Config, ExitCode> {
    Config::load(Overrides {
        config_file: common.config.clone(),
        listen,
        data_dir: common.data_dir.clone(),
    })
    .map_err(|e| {
        eprintln!("chatd: {e}");
        ExitCode::from(2)
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Cmd::Serve { common, listen } => match load(&common, listen) {
            Ok(config) => serve(config).await,
            Err(code) => return code,
        },
        Cmd::Replay { common } => match load(&common, None) {
            Ok(config) => replay(config).await,
            Err(code) => return code,
        },
        Cmd::Audit {
            command:
                AuditCmd::Verify {
                    common,
                    checkpoint,
                    key,
                },
        } => match load(&common, None) {
            Ok(config) => match verify(config, checkpoint, key).await {
                Ok(true) => Ok(()),
                Ok(false) => return ExitCode::FAILURE,
                Err(e) => Err(e),
            },
            Err(code) => return code,
        },
        Cmd::Audit {
            command: AuditCmd::Checkpoint { common },
        } => match load(&common, None) {
            Ok(config) => match checkpoint(config).await {
                Ok(true) => Ok(()),
                Ok(false) => return ExitCode::FAILURE,
                Err(e) => Err(e),
            },
            Err(code) => return code,
        },
        Cmd::Audit {
            command: AuditCmd::Key { common },
        } => match load(&common, None) {
            Ok(config) => {
                audit::cli::key_command(&config, &mut std::io::stdout(), &mut std::io::stderr())
            }
            Err(code) => return code,
        },
        Cmd::Audit {
            command: AuditCmd::Export { common, dialog },
        } => match load(&common, None) {
            Ok(config) => export(config, dialog).await,
            Err(code) => return code,
        },
        Cmd::Demo { common, live } => match load(&common, None) {
            Ok(config) => demo(config, live).await,
            Err(code) => return code,
        },
        Cmd::User { command } => return users(command).await,
        Cmd::Store {
            command:
                StoreCmd::Copy {
                    from,
                    to,
                    batch,
                    pause_ms,
                },
        } => {
            telemetry::init("warn");
            let options = chatd_store::copy::CopyOptions {
                batch: batch as usize,
                pause: std::time::Duration::from_millis(pause_ms),
            };
            chatd_server::move_store::run(&from, &to, options, &mut std::io::stdout())
                .await
                .map(drop)
                .map_err(Into::into)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("chatd: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    telemetry::init(&config.log);
    raise_open_files_limit();
    // Signals are listened for from before the address is printed: one that comes while
    // catching up, or between that and serving, is never missed.
    let mut stop = stop_requested();
    let starting = bind(&config).await?;
    say!("chatd listening on http://{}", starting.addr);
    let early = starting.handle();
    let running = tokio::select! {
        ready = starting.ready() => ready?,
        _ = stop.wait_for(|s| *s) => {
            tracing::info!("stopped while catching up");
            early.stop(true).await;
            say!("chatd stopped");
            return Ok(());
        }
    };
    say!("  ready:      curl http://{}/readyz", running.addr);
    say!("  console:    open http://{}/ in a browser", running.addr);
    say!("  health:     curl http://{}/healthz", running.addr);
    say!("  metrics:    curl http://{}/metrics", running.addr);
    say!(
        "  log in:     curl -X POST http://{}/api/v1/auth/login -H 'content-type: application/json' -d '{{\"login\":\"admin\",\"password\":\"...\"}}'",
        running.addr
    );
    if let Some(p) = &running.generated_admin_password {
        say!("  first start: user admin created with password {p} (shown once; set CHATD_ADMIN_PASSWORD to choose it)");
    }
    say!("  data dir:   {}", config.data_dir.display());
    tracing::info!(addr = %running.addr, data_dir = %config.data_dir.display(), "chatd started");
    let stopper = running.stopper();
    tokio::spawn(async move {
        let _ = stop.wait_for(|s| *s).await;
        tracing::info!(
            "shutting down: sockets told to go away, in-flight requests and appends finish"
        );
        stopper.stop().await;
    });
    running.wait().await;
    tracing::info!("chatd stopped");
    say!("chatd stopped");
    Ok(())
}

/// Every connection, upload spool file and store handle is a file descriptor; a soft limit as
/// low as some containers set (64 or 256) would refuse uploads and connections under ordinary
/// load. Raise the soft limit to the hard one, as servers do, and say what it is.
fn raise_open_files_limit() {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(n) if n < 1024 => {
            tracing::warn!(
                limit = n,
                "open-files limit is low; raise the hard limit (ulimit -Hn)"
            )
        }
        Ok(n) => tracing::debug!(limit = n, "open-files limit"),
        Err(e) => tracing::warn!(error = %e, "could not read or raise the open-files limit"),
    }
}

/// Becomes `true` on SIGTERM or Ctrl-C. The handlers are installed before this returns.
fn stop_requested() -> tokio::sync::watch::Receiver<bool> {
    let (tx, rx) = tokio::sync::watch::channel(false);
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("SIGTERM handler");
    #[cfg(unix)]
    let mut int = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
        .expect("SIGINT handler");
    tokio::spawn(async move {
        #[cfg(unix)]
        tokio::select! {
            _ = term.recv() => {},
            _ = int.recv() => {},
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
        let _ = tx.send(true);
    });
    rx
}

/// The password for `login`: asked for twice on a terminal, else the first line of stdin. Never
/// an argument (it would show in `ps` and shell history).
fn read_password(login: &str) -> Result<String, String> {
    use std::io::{BufRead, IsTerminal};
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(format!("New password for {login}: "))
            .map_err(|e| e.to_string())?;
        let again = rpassword::prompt_password("Again: ").map_err(|e| e.to_string())?;
        if first != again {
            return Err("the two passwords differ".into());
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        return Err("no password on stdin".into());
    }
    Ok(password)
}

async fn users(command: UserCmd) -> ExitCode {
    use chatd_server::offline::Offline;
    telemetry::init("warn");
    let common = match &command {
        UserCmd::Create { common, .. }
        | UserCmd::SetPassword { common, .. }
        | UserCmd::List { common } => common.clone(),
    };
    let config = match load(&common, None) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let fail = |e: &dyn std::fmt::Display| {
        eprintln!("chatd: {e}");
        ExitCode::FAILURE
    };
    match command {
        UserCmd::List { .. } => {
            let opened = if chatd_server::datadir::in_use(&config.data_dir) {
                Offline::open_read_only(&config).await
            } else {
                Offline::open(&config).await
            };
            let offline = match opened {
                Ok(o) => o,
                Err(e) => return fail(&e),
            };
            say!(
                "{:<24} {:<15} {:<8} {:<24} GROUPS",
                "LOGIN",
                "ROLE",
                "ACTIVE",
                "NAME"
            );
            for u in offline.list() {
                let role = serde_json::to_value(u.role)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                say!(
                    "{:<24} {:<15} {:<8} {:<24} {}",
                    u.login,
                    role,
                    if u.active { "yes" } else { "no" },
                    u.name,
                    u.groups.join(", ")
                );
            }
            offline.close().await;
            ExitCode::SUCCESS
        }
        UserCmd::Create {
            login,
            name,
            role,
            groups,
            ..
        } => match change_user(&config, &login, Change::Create { name, role, groups }).await {
            Ok(()) => {
                say!("created user {login}");
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        },
        UserCmd::SetPassword { login, .. } => {
            match change_user(&config, &login, Change::Password).await {
                Ok(()) => {
                    say!("new password set for {login}; their sessions have ended");
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e),
            }
        }
    }
}

/// What `chatd user` changes, given the password it reads.
enum Change {
    Create {
        name: String,
        role: chatd_domain::Role,
        groups: Vec<String>,
    },
    Password,
}

/// Take the data directory, read `login`'s password, make the change, close.
async fn change_user(config: &Config, login: &str, change: Change) -> Result<(), String> {
    let offline = chatd_server::offline::Offline::open(config)
        .await
        .map_err(|e| e.to_string())?;
    let done = match read_password(login) {
        Err(e) => Err(e),
        Ok(password) => match change {
            Change::Create { name, role, groups } => {
                offline
                    .create_user(login, &name, role, &groups, password)
                    .await
            }
            Change::Password => offline.set_password(login, password).await,
        }
        .map_err(|e| e.to_string()),
    };
    offline.close().await;
    done
}

/// Read-only commands run beside a serving chatd; say so, since the log may grow meanwhile.
fn note_if_in_use(config: &Config) {
    if chatd_server::datadir::in_use(&config.data_dir) {
        eprintln!(
            "chatd: note: {} is in use by a running chatd; reading the log as it is now \
             (each read sees whole commits; events appended meanwhile may be left out)",
            config.data_dir.display()
        );
    }
}

async fn replay(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    telemetry::init("warn");
    note_if_in_use(&config);
    let store = open_store(&config).await?;
    // R35: sealed strings open with the data keys, as the server opens them.
    let keys = chatd_server::master_key::keys(&config, store.as_ref())?;
    keys.load(store.as_ref()).await?;
    let (model, stats) = rebuild_read_models(&*store, keys.ring.clone()).await?;
    say!(
        "rebuilt every read model from position 0: {} events in {:.3} s: {:.0} events/s",
        stats.events,
        stats.elapsed.as_secs_f64(),
        stats.events_per_sec()
    );
    say!(
        "dialogs {}, customers {}, channels {}, users {}, files {}, pending webhooks {}, foreign events {}",
        model.dialogs.rows.len(),
        model.customers.by_id.len(),
        model.catalog.channels.len(),
        model.people.users.len(),
        model.files.by_id.len(),
        model.outbox.pending.len(),
        model.foreign
    );
    // Every aggregate through the domain too: each stored event still decodes and applies.
    let (fold, stats) = replay_all(&*store, keys.ring.clone()).await?;
    store.close().await;
    say!(
        "folded every aggregate through the domain: {} events in {:.3} s: {:.0} events/s",
        stats.events,
        stats.elapsed.as_secs_f64(),
        stats.events_per_sec()
    );
    debug_assert_eq!(fold.dialogs.len(), model.dialogs.rows.len());
    Ok(())
}

/// `true` when every chain verifies (and the log extends the checkpoint, when given one).
async fn verify(
    config: Config,
    checkpoint: Option<PathBuf>,
    key: Option<PathBuf>,
) -> Result<bool, Box<dyn std::error::Error>> {
    telemetry::init("warn");
    note_if_in_use(&config);
    let kept = match &checkpoint {
        Some(file) => match audit::cli::kept_checkpoint(&config, file, key.as_deref()) {
            Ok(kept) => Some(kept),
            Err(e) => {
                say!("BROKEN: {e}");
                return Ok(false);
            }
        },
        None => None,
    };
    let store = open_store(&config).await?;
    let outcome = audit::cli::verify_command(&*store, kept, &mut std::io::stdout()).await;
    store.close().await;
    Ok(outcome?.intact)
}

async fn checkpoint(config: Config) -> Result<bool, Box<dyn std::error::Error>> {
    telemetry::init("warn");
    note_if_in_use(&config);
    let store = open_store(&config).await?;
    let outcome = audit::cli::checkpoint_command(
        &config,
        &*store,
        &mut std::io::stdout(),
        &mut std::io::stderr(),
    )
    .await;
    store.close().await;
    Ok(outcome?.intact)
}

async fn demo(config: Config, live: bool) -> Result<(), Box<dyn std::error::Error>> {
    telemetry::init("warn");
    let stop = stop_requested();
    let started = std::time::Instant::now();
    let filled = config.data_dir.join("demo-channels.json").exists();
    if !(live && filled) {
        let logins = chatd_server::demo::run(&config).await?;
        say!(
            "{logins}filled {} in {:.1} s; serve it with: chatd serve --data-dir {} (or chatd demo --live)",
            config.data_dir.display(),
            started.elapsed().as_secs_f64(),
            config.data_dir.display()
        );
    }
    if live {
        chatd_server::demo::live::serve(&config, stop).await?;
    }
    Ok(())
}

async fn export(config: Config, dialog: uuid::Uuid) -> Result<(), Box<dyn std::error::Error>> {
    use std::io::Write;
    telemetry::init("warn");
    note_if_in_use(&config);
    let store = open_store(&config).await?;
    let stream = <chatd_domain::dialog::Dialog as chatd_domain::Aggregate>::stream(dialog);
    let events = audit::stream_events(&*store, &stream).await?;
    // R35: personal strings opened with the data keys, or `[erased]`.
    let keys = chatd_server::master_key::keys(&config, store.as_ref())?;
    audit::learn_keys(&keys, store.as_ref(), &events).await?;
    store.close().await;
    if events.is_empty() {
        return Err(format!("no dialog {dialog} in the log").into());
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for e in &events {
        serde_json::to_writer(&mut out, &audit::audit_event(e, &keys.ring))?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}
