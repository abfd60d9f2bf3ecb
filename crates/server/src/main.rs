use chatd_projections::replay::replay_all;
use chatd_server::config::{Config, Overrides};
use chatd_server::{open_store, start, telemetry};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

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
    let store = open_store(&config)?;
    let (fold, stats) = replay_all(&*store).await?;
    store.close().await;
    println!(
        "replayed {} events in {:.3} s: {:.0} events/s",
        stats.events,
        stats.elapsed.as_secs_f64(),
        stats.events_per_sec()
    );
    println!(
        "dialogs {}, customers {}, channels {}, users {}, foreign events {}",
        fold.dialogs.len(),
        fold.customers.len(),
        fold.channels.len(),
        fold.users.len(),
        fold.foreign
    );
    Ok(())
}
