use chatd_projections::replay::{rebuild_read_models, replay_all};
use chatd_server::config::{Config, Overrides};
use chatd_server::{audit, open_store, start, telemetry};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

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
}

#[derive(Subcommand)]
enum AuditCmd {
    /// Re-walk every stream's hash chain; report the first break (exit code 1) or how much was
    /// verified.
    Verify {
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
            command: AuditCmd::Verify { common },
        } => match load(&common, None) {
            Ok(config) => match verify(config).await {
                Ok(true) => Ok(()),
                Ok(false) => return ExitCode::FAILURE,
                Err(e) => Err(e),
            },
            Err(code) => return code,
        },
        Cmd::Audit {
            command: AuditCmd::Export { common, dialog },
        } => match load(&common, None) {
            Ok(config) => export(config, dialog).await,
            Err(code) => return code,
        },
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
    let running = start(&config).await?;
    println!("chatd listening on http://{}", running.addr);
    println!("  health:     curl http://{}/healthz", running.addr);
    println!(
        "  log in:     curl -X POST http://{}/api/v1/auth/login -H 'content-type: application/json' -d '{{\"login\":\"admin\",\"password\":\"...\"}}'",
        running.addr
    );
    if let Some(p) = &running.generated_admin_password {
        println!("  first start: user admin created with password {p} (shown once; set CHATD_ADMIN_PASSWORD to choose it)");
    }
    println!("  data dir:   {}", config.data_dir.display());
    tracing::info!(addr = %running.addr, data_dir = %config.data_dir.display(), "chatd started");
    let handle = running.handle();
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("shutting down: finishing in-flight requests and appends");
        handle.stop(true).await;
    });
    running.wait().await;
    tracing::info!("chatd stopped");
    println!("chatd stopped");
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

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("SIGTERM handler");
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

async fn replay(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    telemetry::init("warn");
    let store = open_store(&config).await?;
    let (model, stats) = rebuild_read_models(&*store).await?;
    println!(
        "rebuilt every read model from position 0: {} events in {:.3} s: {:.0} events/s",
        stats.events,
        stats.elapsed.as_secs_f64(),
        stats.events_per_sec()
    );
    println!(
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
    let (fold, stats) = replay_all(&*store).await?;
    store.close().await;
    println!(
        "folded every aggregate through the domain: {} events in {:.3} s: {:.0} events/s",
        stats.events,
        stats.elapsed.as_secs_f64(),
        stats.events_per_sec()
    );
    debug_assert_eq!(fold.dialogs.len(), model.dialogs.rows.len());
    Ok(())
}

/// `true` when every chain verifies.
async fn verify(config: Config) -> Result<bool, Box<dyn std::error::Error>> {
    telemetry::init("warn");
    let store = open_store(&config).await?;
    let started = std::time::Instant::now();
    let result = audit::verify(&*store).await?;
    store.close().await;
    match result {
        Ok(v) => {
            println!(
                "verified {} events in {} streams in {:.3} s: every hash chain is intact{}",
                v.events,
                v.streams,
                started.elapsed().as_secs_f64(),
                if v.foreign > 0 {
                    format!(" ({} events of other streams not checked)", v.foreign)
                } else {
                    String::new()
                }
            );
            Ok(true)
        }
        Err(b) => {
            println!("BROKEN: {b}");
            Ok(false)
        }
    }
}

async fn export(config: Config, dialog: uuid::Uuid) -> Result<(), Box<dyn std::error::Error>> {
    use std::io::Write;
    telemetry::init("warn");
    let store = open_store(&config).await?;
    let stream = <chatd_domain::dialog::Dialog as chatd_domain::Aggregate>::stream(dialog);
    let events = audit::stream_events(&*store, &stream).await?;
    store.close().await;
    if events.is_empty() {
        return Err(format!("no dialog {dialog} in the log").into());
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for e in &events {
        serde_json::to_writer(&mut out, &audit::audit_event(e))?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}
