//! R37: the away reply, snooze and wake, scheduled messages.

use super::*;
use crate::dialog::events::{ScheduledContent, ScheduledTemplate, WakeReason};
use crate::dialog::timing::{message_of, Away, Planned, ScheduledStatus, MAX_SCHEDULED};
use time::Duration;

const HOUR: Duration = Duration::hours(1);

/// Friday 18:00 to Monday 09:00 (UTC here): the closed period a weekend message falls in.
fn weekend() -> (OffsetDateTime, OffsetDateTime) {
    (
        datetime!(2026-11-27 18:00 UTC),
        datetime!(2026-11-30 09:00 UTC),
    )
}

fn inbound_away(ext: &str, text: &str) -> DialogCommand {
    let DialogCommand::Receive(mut m) = inbound(ext, text) else {
        unreachable!()
    };
    let (since, until) = weekend();
    m.away = Some(Away {
        message_id: MessageId(Uuid::new_v5(&Uuid::NAMESPACE_URL, ext.as_bytes())),
        text: "We are closed; we answer on Monday from 9:00.".into(),
        since: Some(since),
        until: Some(until),
    });
    DialogCommand::Receive(m)
}

fn saturday(h: i64) -> OffsetDateTime {
    datetime!(2026-11-28 00:00 UTC) + Duration::hours(h)
}

fn away_replies(events: &[DialogEvent]) -> usize {
    events
        .iter()
        .filter(|e| matches!(e, DialogEvent::AwayReplySent { .. }))
        .count()
}

#[test]
fn r37_a_message_outside_hours_gets_the_away_reply_once_per_closed_period() {
    let first = Given(Dialog::default())
        .when_at(saturday(10), transport(), inbound_away("m1", "hi"))
        .unwrap();
    assert!(matches!(
        &first[..],
        [
            DialogEvent::DialogOpened { .. },
            DialogEvent::MessageReceived { .. },
            DialogEvent::MessageSent {
                author: Actor::System,
                ..
            },
            DialogEvent::AwayReplySent { until: Some(_), .. },
        ]
    ));
    let given =
        Given(Dialog::default()).then_at(saturday(10), transport(), inbound_away("m1", "hi"));
    let second = given
        .when_at(saturday(11), transport(), inbound_away("m2", "anyone?"))
        .unwrap();
    assert_eq!(away_replies(&second), 0, "once per period and dialog");
}

#[test]
fn r37_the_next_closed_period_gets_its_own_away_reply() {
    let given =
        Given(Dialog::default()).then_at(saturday(10), transport(), inbound_away("m1", "hi"));
    // A week later: closed since the next Friday.
    let DialogCommand::Receive(mut m) = inbound_away("m9", "again") else {
        unreachable!()
    };
    let a = m.away.as_mut().unwrap();
    a.since = Some(weekend().0 + Duration::days(7));
    a.until = Some(weekend().1 + Duration::days(7));
    let events = given
        .when_at(
            saturday(10) + Duration::days(7),
            transport(),
            DialogCommand::Receive(m),
        )
        .unwrap();
    assert_eq!(away_replies(&events), 1);
}

#[test]
fn r37_no_away_reply_on_top_of_a_reply_given_in_the_period() {
    let m = manager(1);
    let given = Given(Dialog::default())
        .then_at(saturday(1), transport(), inbound("m1", "hi"))
        .then_at(saturday(2), m, send(200, "I am on call this weekend"));
    let events = given
        .when_at(saturday(3), transport(), inbound_away("m2", "thanks"))
        .unwrap();
    assert_eq!(away_replies(&events), 0);
    // A reply before the period began does not count.
    let earlier = Given(Dialog::default())
        .then_at(weekend().0 - HOUR, transport(), inbound("m1", "hi"))
        .then_at(weekend().0 - HOUR, m, send(200, "hello"));
    let events = earlier
        .when_at(saturday(3), transport(), inbound_away("m2", "more"))
        .unwrap();
    assert_eq!(away_replies(&events), 1);
}

#[test]
fn r37_no_away_reply_in_a_bot_s_dialog_nor_to_a_blocked_customer() {
    let bot = Principal::Bot { id: id(700) };
    let given = Given::opened().then(admin(), reassign_to(bot));
    let events = given
        .when_at(saturday(3), transport(), inbound_away("m2", "hi"))
        .unwrap();
    assert_eq!(away_replies(&events), 0, "the bot answers");
    let DialogCommand::Receive(mut m) = inbound_away("m3", "hi") else {
        unreachable!()
    };
    m.customer_blocked = true;
    assert_eq!(
        Given::opened().when_at(saturday(3), transport(), DialogCommand::Receive(m)),
        Err(DomainError::CustomerBlocked),
        "a blocked customer's message is refused, and so gets nothing"
    );
}

#[test]
fn r37_a_channel_that_cannot_take_the_text_sends_no_away_reply() {
    let DialogCommand::Receive(mut m) = inbound_away("m1", "hi") else {
        unreachable!()
    };
    m.away.as_mut().unwrap().text = "x".repeat(5000);
    let events = Given(Dialog::default())
        .when_at(saturday(3), transport(), DialogCommand::Receive(m))
        .unwrap();
    assert_eq!(away_replies(&events), 0);
}

// ---- snooze ----

#[test]
fn r37_snooze_until_a_time_then_the_timer_wakes_it_once() {
    let m = manager(1);
    let given = Given::opened().then(m, reassign_to(m));
    let until = T0 + HOUR;
    assert_eq!(
        given.when(m, DialogCommand::Snooze { until }),
        Ok(vec![DialogEvent::DialogSnoozed { until }])
    );
    let snoozed = given.clone_with(m, DialogCommand::Snooze { until });
    assert_eq!(snoozed.0.snoozed_until, Some(until));
    // Too early, or a stale timer of an earlier snooze: nothing.
    let wake = DialogCommand::Wake { until };
    assert_eq!(
        snoozed.when_at(
            until - Duration::seconds(1),
            Principal::System,
            wake.clone()
        ),
        Ok(vec![])
    );
    let stale = DialogCommand::Wake {
        until: T0 + Duration::minutes(5),
    };
    assert_eq!(snoozed.when_at(until, Principal::System, stale), Ok(vec![]));
    assert_eq!(
        snoozed.when_at(until, Principal::System, wake.clone()),
        Ok(vec![DialogEvent::DialogWoke {
            reason: WakeReason::Time
        }])
    );
    let woke = Given(snoozed.0.clone()).then_at(until, Principal::System, wake.clone());
    assert_eq!(
        woke.when_at(until + HOUR, Principal::System, wake.clone()),
        Ok(vec![]),
        "once"
    );
    assert_eq!(
        snoozed.when(m, wake),
        Err(DomainError::Forbidden),
        "only the timer"
    );
}

#[test]
fn r37_the_customer_s_message_wakes_a_snoozed_dialog() {
    let m = manager(1);
    let given = Given::opened()
        .then(m, reassign_to(m))
        .then(m, DialogCommand::Snooze { until: T0 + HOUR });
    let events = given.when(transport(), inbound("m2", "any news?")).unwrap();
    assert_eq!(
        events[0],
        DialogEvent::DialogWoke {
            reason: WakeReason::Customer
        }
    );
    assert!(matches!(events[1], DialogEvent::MessageReceived { .. }));
}

#[test]
fn r37_who_snoozes_and_what_cannot_be_snoozed() {
    let (m, other) = (manager(1), manager(2));
    let given = Given::opened().then(m, reassign_to(m));
    let until = T0 + HOUR;
    assert_eq!(
        given.when(other, DialogCommand::Snooze { until }),
        Err(DomainError::NotFound)
    );
    assert!(given
        .when(chat_admin(), DialogCommand::Snooze { until })
        .is_ok());
    assert!(matches!(
        given.when(m, DialogCommand::Snooze { until: T0 }),
        Err(DomainError::Invalid { field: "until", .. })
    ));
    assert!(matches!(
        given.when(
            m,
            DialogCommand::Snooze {
                until: T0 + Duration::days(400)
            }
        ),
        Err(DomainError::Invalid { field: "until", .. })
    ));
    let closed = given.clone_with(m, DialogCommand::Close);
    assert_eq!(
        closed.when(m, DialogCommand::Snooze { until }),
        Err(DomainError::DialogClosed)
    );
    // Closing a snoozed dialog wakes it first; un-snoozing by hand wakes it too.
    let snoozed = given.clone_with(m, DialogCommand::Snooze { until });
    assert_eq!(
        snoozed.when(m, DialogCommand::Close).unwrap()[0],
        DialogEvent::DialogWoke {
            reason: WakeReason::Closed
        }
    );
    assert_eq!(
        snoozed.when(m, DialogCommand::Unsnooze),
        Ok(vec![DialogEvent::DialogWoke {
            reason: WakeReason::Manual
        }])
    );
    assert_eq!(given.when(m, DialogCommand::Unsnooze), Ok(vec![]));
}

// ---- scheduled messages ----

fn planned(n: u128, at: OffsetDateTime, text: &str) -> Box<Planned> {
    Box::new(Planned {
        schedule_id: id(n),
        send_at: at,
        content: ScheduledContent {
            text: text.into(),
            ..ScheduledContent::default()
        },
        channel: profile(ChannelType::Telegram),
    })
}

fn fire(n: u128, text: &str) -> DialogCommand {
    let mut o = outgoing(0, text);
    o.message_id = message_of(id(n));
    DialogCommand::SendScheduled {
        schedule_id: id(n),
        outgoing: Box::new(o),
    }
}

fn scheduled_by(m: Principal) -> Given {
    Given::opened().then(m, reassign_to(m)).then(
        m,
        DialogCommand::Schedule(planned(7, T0 + HOUR, "Ships at 9")),
    )
}

#[test]
fn r37_a_scheduled_message_is_sent_at_its_time_once() {
    let m = manager(1);
    let given = scheduled_by(m);
    assert_eq!(given.0.scheduled[&id(7)].status, ScheduledStatus::Pending);
    assert_eq!(
        given.when_at(T0 + Duration::minutes(59), m, fire(7, "Ships at 9")),
        Ok(vec![])
    );
    let events = given.when_at(T0 + HOUR, m, fire(7, "Ships at 9")).unwrap();
    assert!(matches!(
        &events[..],
        [
            DialogEvent::MessageSent {
                author: Actor::User { .. },
                ..
            },
            DialogEvent::ScheduledMessageSent { .. },
        ]
    ));
    let sent = Given(given.0.clone()).then_at(T0 + HOUR, m, fire(7, "Ships at 9"));
    assert_eq!(sent.0.scheduled[&id(7)].status, ScheduledStatus::Sent);
    assert_eq!(
        sent.when_at(T0 + HOUR, m, fire(7, "Ships at 9")),
        Ok(vec![]),
        "once"
    );
}

#[test]
fn r37_a_scheduled_message_is_edited_or_cancelled_until_it_is_sent() {
    let (m, other) = (manager(1), manager(2));
    let given = scheduled_by(m);
    let later = planned(7, T0 + 2 * HOUR, "Ships at 10");
    assert!(matches!(
        &given
            .when(m, DialogCommand::EditScheduled(later.clone()))
            .unwrap()[..],
        [DialogEvent::ScheduledMessageEdited { .. }]
    ));
    assert_eq!(
        given.when(chat_admin(), DialogCommand::EditScheduled(later.clone())),
        Err(DomainError::NotAuthor),
        "only its author edits"
    );
    let edited = given.clone_with(m, DialogCommand::EditScheduled(later));
    assert_eq!(
        edited.when_at(T0 + HOUR, m, fire(7, "Ships at 10")),
        Ok(vec![]),
        "moved later"
    );
    let cancel = DialogCommand::CancelScheduled { schedule_id: id(7) };
    assert_eq!(
        given.when(other, cancel.clone()),
        Err(DomainError::NotFound)
    );
    assert!(given.when(admin(), cancel.clone()).is_ok());
    let cancelled = given.clone_with(m, cancel.clone());
    assert_eq!(
        cancelled.when_at(T0 + HOUR, m, fire(7, "Ships at 9")),
        Ok(vec![])
    );
    assert_eq!(
        cancelled.when(m, cancel),
        Err(DomainError::ScheduledNotPending)
    );
    let sent = Given(given.0.clone()).then_at(T0 + HOUR, m, fire(7, "Ships at 9"));
    assert_eq!(
        sent.when(
            m,
            DialogCommand::EditScheduled(planned(7, T0 + 3 * HOUR, "x"))
        ),
        Err(DomainError::ScheduledNotPending)
    );
}

#[test]
fn r37_a_scheduled_message_the_rules_no_longer_allow_fails_with_the_reason() {
    let (m, other) = (manager(1), manager(2));
    let given = scheduled_by(m);
    // Reassigned meanwhile: the author no longer writes here.
    let taken = given.clone_with(admin(), reassign_to(other));
    let failed = |events: Vec<DialogEvent>| match &events[..] {
        [DialogEvent::ScheduledMessageFailed { error, .. }] => error.code.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        failed(taken.when_at(T0 + HOUR, m, fire(7, "Ships at 9")).unwrap()),
        "not_responsible"
    );
    // The customer was blocked.
    let DialogCommand::SendScheduled { outgoing, .. } = fire(7, "Ships at 9") else {
        unreachable!()
    };
    let mut blocked = outgoing.clone();
    blocked.customer_blocked = true;
    let cmd = DialogCommand::SendScheduled {
        schedule_id: id(7),
        outgoing: blocked,
    };
    assert_eq!(
        failed(given.when_at(T0 + HOUR, m, cmd).unwrap()),
        "customer_blocked"
    );
    // The reply window closed for free text (R25).
    let mut windowed = outgoing;
    windowed.channel = profile(ChannelType::WhatsappBusiness);
    let cmd = DialogCommand::SendScheduled {
        schedule_id: id(7),
        outgoing: windowed,
    };
    let days_later = T0 + Duration::days(2);
    assert_eq!(
        failed(given.when_at(days_later, m, cmd).unwrap()),
        "reply_window_closed"
    );
    // Found by the caller: the channel is gone.
    let gone = DialogCommand::FailScheduled {
        schedule_id: id(7),
        error: DomainError::NotFound,
    };
    assert_eq!(
        failed(given.when(Principal::System, gone.clone()).unwrap()),
        "not_found"
    );
    assert_eq!(given.when(m, gone), Err(DomainError::Forbidden));
}

#[test]
fn r37_what_may_be_scheduled() {
    let m = manager(1);
    let given = Given::opened().then(m, reassign_to(m));
    assert!(matches!(
        given.when(m, DialogCommand::Schedule(planned(7, T0, "now"))),
        Err(DomainError::Invalid {
            field: "send_at",
            ..
        })
    ));
    assert_eq!(
        given.when(m, DialogCommand::Schedule(planned(7, T0 + HOUR, "  "))),
        Err(DomainError::EmptyMessage)
    );
    let mut both = planned(7, T0 + HOUR, "text");
    both.content.template = Some(ScheduledTemplate {
        code: "order_ready".into(),
        params: vec![],
    });
    assert!(given.when(m, DialogCommand::Schedule(both)).is_err());
    assert_eq!(
        given.when(
            manager(2),
            DialogCommand::Schedule(planned(7, T0 + HOUR, "x"))
        ),
        Err(DomainError::NotFound)
    );
    let bot = Principal::Bot { id: id(700) };
    let bots = given.clone_with(admin(), reassign_to(bot));
    assert_eq!(
        bots.when(bot, DialogCommand::Schedule(planned(7, T0 + HOUR, "x"))),
        Err(DomainError::Forbidden),
        "bots write when they mean to"
    );
    let full = (0..MAX_SCHEDULED as u128).fold(Given(given.0.clone()), |g, n| {
        g.then(
            m,
            DialogCommand::Schedule(planned(1000 + n, T0 + HOUR, "x")),
        )
    });
    assert_eq!(
        full.when(m, DialogCommand::Schedule(planned(7, T0 + HOUR, "x"))),
        Err(DomainError::TooManyScheduled { max: MAX_SCHEDULED })
    );
}
