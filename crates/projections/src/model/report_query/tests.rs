//! R36: the summary's grouping.
use super::*;
use chatd_domain::dialog::DialogEvent;
use chatd_domain::{Actor, EventMeta, Recorded};
use time::macros::datetime;

/// Days are cut in the shop's zone, across a DST change, as `periods` cuts them.
#[test]
fn r36_by_day_puts_each_fact_in_its_local_day_across_dst() {
    let mut m = ReadModel::default();
    let zone = "Europe/Berlin";
    m.calendar = Some(chatd_domain::calendar::Calendar {
        time_zone: zone.into(),
        week: Default::default(),
        holidays: vec![],
        channels: Default::default(),
        working_hours_only: false,
    });
    let from = datetime!(2026-03-27 00:00 UTC);
    let to = datetime!(2026-04-01 00:00 UTC);
    let mut at = from;
    let mut times = Vec::new();
    while at < to {
        let id = DialogId::from(uuid::Uuid::new_v4());
        let r = Recorded {
            meta: EventMeta {
                at,
                actor: Actor::System,
            },
            event: DialogEvent::DialogOpened {
                dialog_id: id,
                channel_id: uuid::Uuid::nil().into(),
                external_chat_id: String::new(),
                customer_id: None,
            },
        };
        m.reports.apply(&r, id, None);
        times.push(at);
        at += time::Duration::minutes(37);
    }
    let q = ReportQuery {
        from,
        to,
        group_by: GroupBy::Period(Unit::Day),
        channel: None,
        manager: None,
        tag: None,
    };
    let s = m.report_summary(&q);
    let bounds = periods(zone, from, to, Unit::Day);
    for (key, f) in &s.groups {
        let GroupKey::Period(label, start) = key else {
            panic!("{key:?}")
        };
        let i = bounds.iter().position(|b| &b.0 == label).unwrap();
        let end = bounds.get(i + 1).map_or(to, |b| b.1);
        let expected = times.iter().filter(|t| *t >= start && **t < end).count() as u64;
        assert_eq!(f.opened, expected, "{label}");
    }
    assert_eq!(s.total.opened, times.len() as u64);
}
