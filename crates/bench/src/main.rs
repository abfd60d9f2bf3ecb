//! `make bench`: SPEC §7's quality bars, each printed next to a baseline measured in the same run.

mod alloc;
mod p1;
mod p10;
mod p2;
mod p3;
mod p3_lean;
mod p3_meters;
mod p4;
mod p5;
mod p7;
mod p9;
mod stats;
mod workload;

use clap::Parser;
use std::time::Duration;

#[global_allocator]
static ALLOC: alloc::Counting = alloc::Counting;

#[derive(Parser)]
#[command(name = "chatd-bench")]
struct Args {
    /// Seconds per P1 measurement.
    #[arg(long, default_value_t = 3)]
    seconds: u64,
    /// Events in the P5 log.
    #[arg(long, default_value_t = 1_000_000)]
    p5_events: usize,
    /// Copy P5's log to `DIR/events.db`, a data directory `chatd replay` reads (for profiling).
    #[arg(long, value_name = "DIR")]
    p5_keep: Option<std::path::PathBuf>,
    /// Copy P7's snapshot file to FILE (profile its restore with `CHATD_P7_RESTORE=FILE
    /// chatd-bench`).
    #[arg(long, value_name = "FILE")]
    p7_keep: Option<std::path::PathBuf>,
    /// WebSockets in P3 (one manager each; the client process needs as many file descriptors).
    #[arg(long, default_value_t = 10_000)]
    p3_sockets: usize,
    /// Messages per second in P3.
    #[arg(long, default_value_t = 5_000)]
    p3_rate: usize,
    /// Dialogs in the P4/P6 read model.
    #[arg(long, default_value_t = 1_000_000)]
    p4_dialogs: usize,
    /// Timed list pages per P4 case.
    #[arg(long, default_value_t = 2000)]
    p4_samples: usize,
    /// Run only these bars (p1, p2, p3, p4, p5, p9, p10); all when empty (p4 includes P6 and P7; p10
    /// runs on p4's million dialogs).
    only: Vec<String>,
}

#[tokio::main]
async fn main() {
    // P3 holds 10,000 sockets a side (the server side in this process, the clients in a child,
    // which inherits the limit): raise the soft open-files limit to the hard one, as chatd does.
    let open_files = rlimit::increase_nofile_limit(u64::MAX).unwrap_or(0);
    if std::env::var_os("CHATD_P3_CLIENT").is_some() {
        p3::client().await;
        return;
    }
    if let Some(path) = std::env::var_os(p7::RESTORE_CHILD) {
        p7::restore_child(&path);
    }
    let args = Args::parse();
    let wants = |bar: &str| args.only.is_empty() || args.only.iter().any(|o| o == bar);
    println!(
        "chatd bench — {} cores, {}, {open_files} open files",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::env::temp_dir().display()
    );
    if wants("p1") {
        p1::run(Duration::from_secs(args.seconds)).await;
    }
    if wants("p2") {
        p2::run(Duration::from_secs(args.seconds)).await;
    }
    if wants("p3") {
        p3::run(args.p3_sockets, args.p3_rate, args.seconds).await;
    }
    if wants("p4") || wants("p10") {
        p4::run(
            args.p4_dialogs,
            args.p4_samples,
            wants("p4"),
            wants("p10"),
            args.p7_keep.as_deref(),
        );
    }
    if wants("p5") {
        p5::run(args.p5_events, args.p5_keep.as_deref()).await;
    }
    if wants("p9") {
        p9::run(Duration::from_secs(args.seconds)).await;
    }
}
