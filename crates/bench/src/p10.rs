//! P10 (R36): a report's summary over P4's million dialogs, for a month, server-side (the
//! query over the reports' facts, as the route runs it), by manager and by day, for an admin
//! and for a manager (their own figures). Bar: p99 <= 50 ms.

use crate::p4::World;
use crate::stats::{histogram, percentiles};
use chatd_domain::reports::Unit;
use chatd_domain::{Principal, Rights, Role};
use chatd_projections::model::report_query::{own_figures, GroupBy, ReportQuery};
use std::time::Instant;
use time::OffsetDateTime;

pub fn run(w: &World, samples: usize) {
    let to = OffsetDateTime::now_utc() + time::Duration::days(1);
    let from = to - time::Duration::days(31);
    println!(
        "P10 report summary over a month of {} dialogs ({} facts kept)",
        w.model.dialogs.rows.len(),
        w.model.reports.len()
    );
    println!(
        "    {:<52} {:>7} {:>7} {:>8}",
        "summary, server-side (group and stats)", "p50 ms", "p99 ms", "max ms"
    );
    let admin = Principal::User {
        id: uuid::Uuid::nil().into(),
        role: Role::Admin,
        rights: Rights::NONE,
    };
    let manager = Principal::User {
        id: w.managers[0],
        role: Role::Manager,
        rights: Rights::NONE,
    };
    let mut worst = 0.0f64;
    for (label, viewer, group_by) in [
        ("admin: by manager", admin, GroupBy::Manager),
        ("admin: by day", admin, GroupBy::Period(Unit::Day)),
        ("admin: by channel", admin, GroupBy::Channel),
        (
            "manager: own figures by day",
            manager,
            GroupBy::Period(Unit::Day),
        ),
    ] {
        let mut q = ReportQuery {
            from,
            to,
            group_by,
            channel: None,
            manager: None,
            tag: None,
        };
        own_figures(&mut q, &viewer);
        let mut h = histogram();
        let deadline = Instant::now() + std::time::Duration::from_secs(8);
        for _ in 0..samples.clamp(5, 400) {
            if Instant::now() > deadline {
                break;
            }
            let t = Instant::now();
            std::hint::black_box(w.model.report_summary(&q));
            h.record(t.elapsed().as_micros() as u64).ok();
        }
        worst = worst.max(h.value_at_quantile(0.99) as f64 / 1000.0);
        println!("    {label:<52} {}", percentiles(&h));
    }
    println!(
        "    P10 bar: p99 <= 50 ms: {} (worst p99 {worst:.1} ms)",
        if worst <= 50.0 { "met" } else { "NOT met" }
    );
}
