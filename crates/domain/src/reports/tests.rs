//! R36: given a dialog's events, when they are walked, then the facts each definition gives.

use super::*;
use crate::ids::{MessageId, NoteId};
use crate::template::TemplateUse;
use time::macros::datetime;
use time::Duration;
use uuid::Uuid;

const T0: OffsetDateTime = datetime!(2026-11-23 09:00 UTC);

fn min(n: i64) -> OffsetDateTime {
    T0 + Duration::minutes(n)
}

fn user(n: u128) -> UserId {
    UserId::from(Uuid::from_u128(n))
}

fn customer_msg(n: u128) -> DialogEvent {
    DialogEvent::MessageReceived {
        message_id: MessageId::from(Uuid::from_u128(n)),
        external_id: format!("m{n}"),
        author: Actor::Customer { id: None },
        text: "hi".into(),
        attachments: vec![],
        quote: None,
        sent_at: OffsetDateTime::UNIX_EPOCH + Duration::days(365 * 100),
    }
}

fn sent(author: Actor, template: bool) -> DialogEvent {
    DialogEvent::MessageSent {
        message_id: MessageId::from(Uuid::new_v4()),
        author,
        text: "reply".into(),
        attachments: vec![],
        quote: None,
        template: template.then(|| TemplateUse {
            code: "order_ready".into(),
            language: "en".into(),
            params: vec![],
        }),
    }
}

fn opened() -> DialogEvent {
    DialogEvent::DialogOpened {
        dialog_id: Uuid::nil().into(),
        channel_id: Uuid::nil().into(),
        external_chat_id: "c".into(),
        customer_id: None,
    }
}

/// Walk `(minute, actor, event)` and keep the facts of `measure`, as (belongs to, manager,
/// seconds).
fn walk(
    events: &[(i64, Actor, DialogEvent)],
    measure: Measure,
) -> Vec<(OffsetDateTime, Option<UserId>, Option<i64>)> {
    let mut fold = ReportFold::default();
    events
        .iter()
        .flat_map(|(m, _, e)| fold.apply(min(*m), e))
        .filter(|f| f.measure == measure)
        .map(|f| {
            (
                f.at,
                f.manager,
                f.interval.map(|(a, b)| (b - a).whole_seconds()),
            )
        })
        .collect()
}

const CUSTOMER: Actor = Actor::Customer { id: None };
const SYSTEM: Actor = Actor::System;

fn ann() -> Actor {
    Actor::User { id: user(1) }
}
fn bob() -> Actor {
    Actor::User { id: user(2) }
}
fn bot() -> Actor {
    Actor::Bot {
        id: Uuid::from_u128(9).into(),
    }
}

fn reassign_to(u: u128) -> DialogEvent {
    DialogEvent::Reassigned {
        from: None,
        to: Assignee::User { id: user(u) },
    }
}

#[test]
fn r36_first_response_runs_from_the_first_customer_message_to_the_first_person_reply() {
    let events = [
        (0, CUSTOMER, opened()),
        (0, CUSTOMER, customer_msg(1)),
        (3, CUSTOMER, customer_msg(2)),
        (10, ann(), sent(ann(), false)),
        (12, ann(), sent(ann(), false)),
    ];
    assert_eq!(
        walk(&events, Measure::FirstResponse),
        vec![(T0, Some(user(1)), Some(600))]
    );
    // One turn: from the first of the customer's messages to the reply.
    assert_eq!(
        walk(&events, Measure::Response),
        vec![(T0, Some(user(1)), Some(600))]
    );
}

#[test]
fn r36_a_bot_first_then_a_person_gives_both_figures() {
    let events = [
        (0, CUSTOMER, opened()),
        (0, CUSTOMER, customer_msg(1)),
        (1, bot(), sent(bot(), false)),
        (20, ann(), sent(ann(), false)),
    ];
    assert_eq!(
        walk(&events, Measure::FirstResponseInclBot),
        vec![(T0, None, Some(60))]
    );
    assert_eq!(
        walk(&events, Measure::FirstResponse),
        vec![(T0, Some(user(1)), Some(1200))],
        "a bot's reply is never a person's (Chatwoot #13312)"
    );
    assert_eq!(walk(&events, Measure::MessageByBot).len(), 1);
    assert_eq!(walk(&events, Measure::MessageByPerson).len(), 1);
}

#[test]
fn r36_notes_drafts_and_the_away_reply_are_never_replies() {
    let events = [
        (0, CUSTOMER, opened()),
        (0, CUSTOMER, customer_msg(1)),
        (
            1,
            ann(),
            DialogEvent::NoteAdded {
                note_id: NoteId::from(Uuid::from_u128(5)),
                text: "checking".into(),
                mentions: vec![],
            },
        ),
        (
            2,
            ann(),
            DialogEvent::DraftSaved {
                user_id: user(1),
                text: "draft".into(),
            },
        ),
        (3, SYSTEM, sent(SYSTEM, false)),
        (30, ann(), sent(ann(), false)),
    ];
    assert_eq!(
        walk(&events, Measure::FirstResponseInclBot),
        vec![(T0, Some(user(1)), Some(1800))]
    );
    assert_eq!(walk(&events, Measure::AwayReply).len(), 1);
}

#[test]
fn r36_a_reopen_starts_a_new_opening_and_resolution_runs_per_opening() {
    let events = [
        (0, CUSTOMER, opened()),
        (0, CUSTOMER, customer_msg(1)),
        (5, ann(), reassign_to(1)),
        (5, ann(), sent(ann(), false)),
        (15, ann(), DialogEvent::DialogClosed {}),
        (60, CUSTOMER, DialogEvent::DialogReopened {}),
        (60, CUSTOMER, customer_msg(2)),
        (64, ann(), sent(ann(), false)),
        (70, ann(), DialogEvent::DialogClosed {}),
    ];
    assert_eq!(
        walk(&events, Measure::FirstResponse),
        vec![
            (T0, Some(user(1)), Some(300)),
            (min(60), Some(user(1)), Some(240))
        ],
        "counted from the reopening's first message, not the dialog's (Chatwoot #12058, #8477)"
    );
    assert_eq!(
        walk(&events, Measure::Resolution),
        vec![
            (T0, Some(user(1)), Some(900)),
            (min(60), Some(user(1)), Some(600))
        ]
    );
    assert_eq!(walk(&events, Measure::Reopened).len(), 1);
    assert_eq!(walk(&events, Measure::Closed).len(), 2);
}

#[test]
fn r36_a_reassignment_mid_wait_counts_for_whoever_replies_from_the_customer_message() {
    let events = [
        (0, CUSTOMER, opened()),
        (0, SYSTEM, reassign_to(1)),
        (0, CUSTOMER, customer_msg(1)),
        (10, ann(), reassign_to(2)),
        (25, bob(), sent(bob(), false)),
    ];
    assert_eq!(
        walk(&events, Measure::Response),
        vec![(T0, Some(user(2)), Some(1500))]
    );
    // The customer's message is counted for the responsible then.
    assert_eq!(
        walk(&events, Measure::MessageIn),
        vec![(T0, Some(user(1)), None)]
    );
}

#[test]
fn r36_a_template_outside_the_window_is_a_person_s_reply() {
    let events = [
        (0, CUSTOMER, opened()),
        (0, CUSTOMER, customer_msg(1)),
        (60 * 30, ann(), sent(ann(), true)),
    ];
    assert_eq!(
        walk(&events, Measure::FirstResponse),
        vec![(T0, Some(user(1)), Some(30 * 3600))]
    );
    assert_eq!(walk(&events, Measure::MessageTemplate).len(), 1);
    assert!(walk(&events, Measure::MessageByPerson).is_empty());
}

#[test]
fn r36_a_manager_writing_first_is_no_response_and_a_closed_turn_unanswered_gives_none() {
    let events = [
        (0, CUSTOMER, opened()),
        (0, CUSTOMER, customer_msg(1)),
        (5, ann(), DialogEvent::DialogClosed {}),
        (10, ann(), DialogEvent::DialogReopened {}),
        (10, ann(), sent(ann(), false)),
        (20, CUSTOMER, customer_msg(2)),
        (22, ann(), sent(ann(), false)),
    ];
    assert_eq!(
        walk(&events, Measure::Response),
        vec![(min(20), Some(user(1)), Some(120))],
        "the first turn was closed unanswered; the reopening's own message answers nobody"
    );
    assert_eq!(
        walk(&events, Measure::FirstResponse),
        vec![(min(20), Some(user(1)), Some(120))],
        "it belongs to the moment the customer asked"
    );
}

#[test]
fn r36_medians_and_p90_are_nearest_rank() {
    let mut v = vec![50, 10, 40, 20, 30];
    assert_eq!(median_p90(&mut v), Some((30, 50)));
    let mut ten: Vec<i64> = (1..=10).collect();
    assert_eq!(median_p90(&mut ten), Some((5, 9)));
    assert_eq!(median_p90::<i64>(&mut []), None);
}

#[test]
fn r36_periods_are_local_days_weeks_and_months() {
    // 23:30 UTC on Sunday 22 November is already Monday in Berlin.
    let from = datetime!(2026-11-22 23:30 UTC);
    let to = datetime!(2026-11-25 00:00 UTC);
    let days = periods("Europe/Berlin", from, to, Unit::Day);
    assert_eq!(
        days,
        vec![
            ("2026-11-23".into(), datetime!(2026-11-22 23:00 UTC)),
            ("2026-11-24".into(), datetime!(2026-11-23 23:00 UTC)),
            ("2026-11-25".into(), datetime!(2026-11-24 23:00 UTC)),
        ]
    );
    let weeks = periods(
        "UTC",
        datetime!(2026-11-26 12:00 UTC),
        datetime!(2026-12-08 00:00 UTC),
        Unit::Week,
    );
    assert_eq!(
        weeks.iter().map(|w| w.0.as_str()).collect::<Vec<_>>(),
        ["2026-11-23", "2026-11-30", "2026-12-07"]
    );
    let months = periods(
        "UTC",
        datetime!(2026-11-26 12:00 UTC),
        datetime!(2027-01-02 00:00 UTC),
        Unit::Month,
    );
    assert_eq!(
        months.iter().map(|w| w.0.as_str()).collect::<Vec<_>>(),
        ["2026-11", "2026-12", "2027-01"]
    );
}
