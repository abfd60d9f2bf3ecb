//! R37: the calendar, given a shop's hours, when asked at an instant, then what it answers.

use super::*;
use time::macros::{date, datetime};

fn p(from: &str, to: &str) -> Period {
    Period {
        from: LocalTime::parse(from).unwrap(),
        to: LocalTime::parse(to).unwrap(),
    }
}

/// Mon–Fri 09:00–18:00 in Berlin, closed at weekends.
fn berlin() -> Calendar {
    let day = vec![p("09:00", "18:00")];
    Calendar {
        time_zone: "Europe/Berlin".into(),
        week: Week {
            mon: day.clone(),
            tue: day.clone(),
            wed: day.clone(),
            thu: day.clone(),
            fri: day,
            ..Week::default()
        },
        holidays: vec![],
        channels: BTreeMap::new(),
        working_hours_only: false,
    }
}

#[test]
fn r37_local_times_are_hh_mm_up_to_24_00() {
    assert_eq!(LocalTime::parse("09:30"), Some(LocalTime(570)));
    assert_eq!(LocalTime::parse("24:00"), Some(LocalTime(1440)));
    for bad in ["24:01", "9:30", "09:60", "aa:bb", "", "09-30"] {
        assert_eq!(LocalTime::parse(bad), None, "{bad}");
    }
    let json = serde_json::to_string(&p("08:05", "24:00")).unwrap();
    assert_eq!(json, r#"{"from":"08:05","to":"24:00"}"#);
}

#[test]
fn r37_open_in_local_hours_closed_at_night_and_at_weekends() {
    let c = berlin();
    // Friday 2026-12-04: 09:00 Berlin is 08:00 UTC in winter.
    assert!(!c.is_open(None, datetime!(2026-12-04 07:59 UTC)));
    assert!(c.is_open(None, datetime!(2026-12-04 08:00 UTC)));
    assert!(c.is_open(None, datetime!(2026-12-04 16:59 UTC)));
    assert!(!c.is_open(None, datetime!(2026-12-04 17:00 UTC)));
    // Saturday night: closed since Friday 18:00, opens Monday 09:00.
    assert_eq!(
        c.state(None, datetime!(2026-12-05 22:00 UTC)),
        OpenState::Closed {
            since: Some(datetime!(2026-12-04 17:00 UTC)),
            opens: Some(datetime!(2026-12-07 08:00 UTC)),
        }
    );
    assert_eq!(
        c.state(None, datetime!(2026-12-07 10:00 UTC)),
        OpenState::Open {
            closes: Some(datetime!(2026-12-07 17:00 UTC))
        }
    );
}

#[test]
fn r37_hours_follow_daylight_saving_time() {
    let c = berlin();
    // Summer (CEST, UTC+2): 09:00 Berlin is 07:00 UTC.
    assert!(c.is_open(None, datetime!(2026-07-01 07:00 UTC)));
    assert!(!c.is_open(None, datetime!(2026-07-01 06:59 UTC)));
    // Friday 2026-03-27 closes at 17:00 UTC (CET); the clocks go forward on Sunday 29 March,
    // so Monday opens at 07:00 UTC. The weekend is 62 hours long, not 63.
    assert_eq!(
        c.next_open(None, datetime!(2026-03-28 12:00 UTC)),
        Some(datetime!(2026-03-30 07:00 UTC))
    );
    assert_eq!(
        c.working_seconds(
            None,
            datetime!(2026-03-27 16:00 UTC),
            datetime!(2026-03-30 08:00 UTC)
        ),
        2 * 3600
    );
}

#[test]
fn r37_a_period_inside_the_spring_gap_starts_after_it() {
    // A night shift 02:30–04:00 on the Sunday the clocks jump from 02:00 to 03:00.
    let c = Calendar {
        week: Week {
            sun: vec![p("02:30", "04:00")],
            ..Week::default()
        },
        ..berlin()
    };
    // 02:30 does not exist; it moves forward by the gap, to 03:30 CEST (01:30 UTC), and the
    // shift lasts half an hour that day.
    assert_eq!(
        c.next_open(None, datetime!(2026-03-29 00:00 UTC)),
        Some(datetime!(2026-03-29 01:30 UTC))
    );
    assert_eq!(
        c.working_seconds(
            None,
            datetime!(2026-03-29 00:00 UTC),
            datetime!(2026-03-29 05:00 UTC)
        ),
        1800
    );
}

#[test]
fn r37_holidays_close_the_whole_local_day() {
    let c = Calendar {
        holidays: vec![date!(2026 - 12 - 24), date!(2026 - 12 - 25)],
        ..berlin()
    };
    assert!(!c.is_open(None, datetime!(2026-12-24 10:00 UTC)));
    assert_eq!(
        c.next_open(None, datetime!(2026-12-23 18:00 UTC)),
        Some(datetime!(2026-12-28 08:00 UTC)),
        "Thursday and Friday are holidays, then the weekend"
    );
    assert_eq!(
        c.state(None, datetime!(2026-12-26 12:00 UTC)),
        OpenState::Closed {
            since: Some(datetime!(2026-12-23 17:00 UTC)),
            opens: Some(datetime!(2026-12-28 08:00 UTC)),
        }
    );
}

#[test]
fn r37_a_channel_may_keep_hours_of_its_own() {
    let telegram: ChannelId = uuid::Uuid::from_u128(7).into();
    let mut c = berlin();
    c.channels.insert(
        telegram,
        Week {
            sat: vec![p("10:00", "14:00")],
            ..Week::default()
        },
    );
    let saturday_noon = datetime!(2026-12-05 11:00 UTC);
    assert!(c.is_open(Some(telegram), saturday_noon));
    assert!(!c.is_open(None, saturday_noon));
    let other: ChannelId = uuid::Uuid::from_u128(8).into();
    assert!(!c.is_open(Some(other), saturday_noon), "the shop's hours");
    assert!(
        !c.is_open(Some(telegram), datetime!(2026-12-07 10:00 UTC)),
        "the override replaces the week, it does not add to it"
    );
}

#[test]
fn r37_changing_the_time_zone_moves_the_hours() {
    let mut c = berlin();
    let at = datetime!(2026-12-04 16:30 UTC);
    assert!(c.is_open(None, at), "17:30 in Berlin");
    c.time_zone = "Europe/London".into();
    assert!(c.is_open(None, at), "16:30 in London");
    c.time_zone = "Asia/Tokyo".into();
    assert!(!c.is_open(None, at), "01:30 in Tokyo");
    c.time_zone = "America/New_York".into();
    assert!(c.is_open(None, at), "11:30 in New York");
    c.time_zone = "Mars/Olympus".into();
    assert!(matches!(
        c.validate(),
        Err(DomainError::Invalid { field, .. }) if field == "time_zone"
    ));
}

#[test]
fn r37_working_seconds_and_deadlines_skip_closed_time() {
    let c = berlin();
    // A message at Friday 17:30 Berlin with a 1-hour limit is due Monday 09:30.
    let friday = datetime!(2026-12-04 16:30 UTC);
    assert_eq!(
        c.add_working(None, friday, 3600),
        Some(datetime!(2026-12-07 08:30 UTC))
    );
    assert_eq!(
        c.working_seconds(None, friday, datetime!(2026-12-07 08:30 UTC)),
        3600
    );
    // Written at night, the clock starts when the shop opens.
    assert_eq!(
        c.add_working(None, datetime!(2026-12-08 02:00 UTC), 60),
        Some(datetime!(2026-12-08 08:01 UTC))
    );
    let never = Calendar {
        week: Week::default(),
        ..berlin()
    };
    assert_eq!(never.add_working(None, friday, 60), None);
    assert_eq!(never.next_open(None, friday), None);
}

#[test]
fn r37_adjacent_periods_are_one_opening() {
    let c = Calendar {
        week: Week {
            fri: vec![p("18:00", "24:00")],
            sat: vec![p("00:00", "02:00")],
            ..Week::default()
        },
        ..berlin()
    };
    assert_eq!(
        c.state(None, datetime!(2026-12-04 20:00 UTC)),
        OpenState::Open {
            closes: Some(datetime!(2026-12-05 01:00 UTC))
        }
    );
}

#[test]
fn r37_holidays_are_dates_on_the_wire() {
    let c = Calendar {
        holidays: vec![date!(2026 - 12 - 25)],
        ..berlin()
    };
    let json = serde_json::to_value(&c).unwrap();
    assert_eq!(json["holidays"], serde_json::json!(["2026-12-25"]));
    assert_eq!(serde_json::from_value::<Calendar>(json).unwrap(), c);
    let bad = r#"{"time_zone":"UTC","week":{},"holidays":["25.12.2026"]}"#;
    assert!(serde_json::from_str::<Calendar>(bad).is_err());
}

#[test]
fn r37_a_calendar_is_validated() {
    let mut c = berlin();
    c.week.mon = vec![p("09:00", "12:00"), p("11:00", "13:00")];
    assert!(c.validate().is_err(), "overlap");
    c.week.mon = vec![p("12:00", "09:00")];
    assert!(c.validate().is_err(), "backwards");
    c.week.mon = vec![p("09:00", "09:10"); MAX_PERIODS_PER_DAY + 1];
    assert!(c.validate().is_err(), "too many");
    assert!(berlin().validate().is_ok());
    let unknown = r#"{"time_zone":"UTC","week":{"mon":[]},"holiday":[]}"#;
    assert!(serde_json::from_str::<Calendar>(unknown).is_err());
}
