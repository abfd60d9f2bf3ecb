use hdrhistogram::Histogram;
use std::time::Duration;

pub fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 60_000_000, 3).expect("histogram bounds")
}

/// `p50 / p99 / max` in milliseconds from a histogram of microseconds.
pub fn percentiles(h: &Histogram<u64>) -> String {
    let ms = |us: u64| us as f64 / 1000.0;
    format!(
        "{:>7.2} {:>7.2} {:>8.2}",
        ms(h.value_at_quantile(0.50)),
        ms(h.value_at_quantile(0.99)),
        ms(h.max())
    )
}

pub fn rate(n: u64, elapsed: Duration) -> f64 {
    n as f64 / elapsed.as_secs_f64().max(1e-9)
}

/// The middle of `figures` (the upper middle of an even count); 0 for none. A bar judged over
/// alternating rounds takes the median round's ratio (DECISIONS: "A bar's verdict from
/// alternating rounds").
pub fn median(figures: &[f64]) -> f64 {
    let mut sorted = figures.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied().unwrap_or(0.0)
}

/// How every bar's line ends: whether the figure meets it.
pub fn met(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "NOT met"
    }
}

/// This process's CPU seconds so far, in user mode and in the kernel (`/proc/self/stat`, in
/// clock ticks of 1/100 s, Linux's); zeros where there is no such file.
pub fn cpu_seconds() -> (f64, f64) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command's name (which may hold spaces) start at the state, field 3;
    // utime and stime are fields 14 and 15.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let field = |n: usize| {
        after
            .split_whitespace()
            .nth(n - 3)
            .and_then(|t| t.parse::<f64>().ok())
            .map_or(0.0, |t| t / 100.0)
    };
    (field(14), field(15))
}
