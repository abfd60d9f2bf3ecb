//! P3's meters beside its latencies: what the machine gave and what each message cost. The
//! disk (one fsync, idle and under the load) and the CPU (the server's and the client's, per
//! message, while the load runs).

use crate::stats::histogram;
use std::time::{Duration, Instant};

/// CPU time the server (this client's parent process) and this client have used, from
/// `/proc/<pid>/stat` (user and system time, in the kernel's 100 ticks a second).
pub struct Cpu {
    server: u64,
    client: u64,
}

impl Cpu {
    pub fn now() -> Cpu {
        Cpu {
            server: ticks(&std::os::unix::process::parent_id().to_string()),
            client: ticks("self"),
        }
    }

    pub fn since(self) -> Cpu {
        let now = Cpu::now();
        Cpu {
            server: now.server.saturating_sub(self.server),
            client: now.client.saturating_sub(self.client),
        }
    }

    /// Print the CPU each message cost while `messages` went through in `took`, and how busy
    /// that kept the machine's cores.
    pub fn print(&self, name: &str, messages: usize, took: Duration) {
        let us = |t: u64| t as f64 * 10_000.0 / messages.max(1) as f64;
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
        let busy = (self.server + self.client) as f64 / 100.0 / took.as_secs_f64() / cores;
        println!(
            "    ({name}: CPU per message during the load: server {:.0} µs, client {:.0} µs; the two kept the cores {:.0} % busy)",
            us(self.server),
            us(self.client),
            busy * 100.0
        );
    }
}

/// User and system ticks of the process `pid` ("self" for this one), 0 when unreadable.
fn ticks(pid: &str) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The fields after the command's closing parenthesis start at the state (field 3); utime
    // and stime are fields 14 and 15.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(vec![], |(_, rest)| rest.split_whitespace().collect());
    let field = |n: usize| fields.get(n - 3).and_then(|v| v.parse::<u64>().ok());
    field(14).unwrap_or(0) + field(15).unwrap_or(0)
}

/// What one fsync costs on the disk under `dir`: a 4 KiB write then `fdatasync` over 16 pages
/// of one file, as the log's appends do (microseconds), `pause` apart, while `go_on(i)` says so.
pub fn fsync_probe(
    dir: &std::path::Path,
    pause: Duration,
    go_on: impl Fn(u64) -> bool,
) -> hdrhistogram::Histogram<u64> {
    use std::os::unix::fs::FileExt;
    let path = dir.join(format!("fsync-probe-{}", std::process::id()));
    let file = std::fs::File::create(&path).expect("fsync probe");
    let page = [7u8; 4096];
    let mut h = histogram();
    let mut i = 0;
    while go_on(i) {
        let t = Instant::now();
        file.write_all_at(&page, (i % 16) * 4096)
            .expect("probe write");
        file.sync_data().expect("probe fsync");
        h.record((t.elapsed().as_micros() as u64).max(1)).ok();
        i += 1;
        std::thread::sleep(pause);
    }
    drop(file);
    let _ = std::fs::remove_file(path);
    h
}

/// One fsync on the idle disk under `dir`, 200 times back to back.
pub fn fsync_floor(dir: &std::path::Path) -> hdrhistogram::Histogram<u64> {
    fsync_probe(dir, Duration::ZERO, |i| i < 200)
}
