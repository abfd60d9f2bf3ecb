//! Rules of the smaller aggregates and the event encoding.

use crate::actor::{Principal, Right, Rights, Role};
use crate::channel::ChannelType;
use crate::customer::{self, Customer, CustomerCommand, CustomerEvent, Registration, Source, Utm};
use crate::dialog::DialogEvent;
use crate::event::{decode, encode, Command, EventMeta, Recorded};
use crate::setup::{self, QuickReplyCommand, SettingsCommand, TimeLimit, TimeLimits};
use crate::DomainError;
use time::macros::datetime;
use uuid::Uuid;

fn id<T: From<Uuid>>(n: u128) -> T {
    T::from(Uuid::from_u128(n))
}

fn cmd<C>(by: Principal, body: C) -> Command<C> {
    Command {
        by,
        at: datetime!(2026-11-24 10:00 UTC),
        body,
    }
}

fn manager() -> Principal {
    Principal::User {
        id: id(1),
        role: Role::Manager,
        rights: Rights::NONE,
    }
}

fn registered() -> Customer {
    let reg = Registration {
        customer_id: id(60),
        external_id: "tg-42".into(),
        name: "Ann".into(),
        avatar_url: None,
        phone: Some("+100".into()),
        email: None,
        source: Source {
            channel_id: id(1),
            channel_type: ChannelType::Telegram,
            utm: Utm {
                source: Some("ads".into()),
                ..Utm::default()
            },
        },
    };
    let events = customer::decide(
        &Customer::default(),
        &cmd(
            Principal::Channel { id: id(1) },
            CustomerCommand::Register(Box::new(reg)),
        ),
    )
    .unwrap();
    fold(Customer::default(), events)
}

fn fold(state: Customer, events: Vec<CustomerEvent>) -> Customer {
    let meta = EventMeta {
        at: datetime!(2026-11-24 10:00 UTC),
        actor: crate::Actor::System,
    };
    events.into_iter().fold(state, |s, event| {
        customer::evolve(s, &Recorded { meta, event })
    })
}

#[test]
fn r1_registration_keeps_the_source_and_is_idempotent() {
    let c = registered();
    let reg = c.registration.clone().unwrap();
    assert_eq!(reg.source.utm.source.as_deref(), Some("ads"));
    let again = customer::decide(
        &c,
        &cmd(
            Principal::Channel { id: id(1) },
            CustomerCommand::Register(Box::new(reg)),
        ),
    );
    assert_eq!(again, Ok(vec![]));
}

#[test]
fn r6_block_and_unblock_toggle_and_repeat_as_no_ops() {
    let c = registered();
    let events = customer::decide(&c, &cmd(manager(), CustomerCommand::Block)).unwrap();
    assert_eq!(events, vec![CustomerEvent::CustomerBlocked {}]);
    let c = fold(c, events);
    assert!(c.blocked);
    assert_eq!(
        customer::decide(&c, &cmd(manager(), CustomerCommand::Block)),
        Ok(vec![])
    );
    let c = fold(
        c.clone(),
        customer::decide(&c, &cmd(manager(), CustomerCommand::Unblock)).unwrap(),
    );
    assert!(!c.blocked);
    let auditor = Principal::User {
        id: id(2),
        role: Role::Auditor,
        rights: Rights::NONE,
    };
    assert_eq!(
        customer::decide(&c, &cmd(auditor, CustomerCommand::Block)),
        Err(DomainError::Forbidden)
    );
}

#[test]
fn r19_tags_pin_and_unknown_tags_are_refused() {
    let c = registered();
    let tag = |pinned, tag_exists| CustomerCommand::Tag {
        tag_id: id(7),
        pinned,
        tag_exists,
    };
    assert_eq!(
        customer::decide(&c, &cmd(manager(), tag(false, false))),
        Err(DomainError::NotFound)
    );
    let c = fold(
        c.clone(),
        customer::decide(&c, &cmd(manager(), tag(false, true))).unwrap(),
    );
    assert_eq!(c.tags.get(&id(7)), Some(&false));
    assert_eq!(
        customer::decide(&c, &cmd(manager(), tag(false, true))),
        Ok(vec![])
    );
    let c = fold(
        c.clone(),
        customer::decide(&c, &cmd(manager(), tag(true, true))).unwrap(),
    );
    assert_eq!(c.tags.get(&id(7)), Some(&true));
    let c = fold(
        c.clone(),
        customer::decide(
            &c,
            &cmd(manager(), CustomerCommand::Untag { tag_id: id(7) }),
        )
        .unwrap(),
    );
    assert!(c.tags.is_empty());
}

#[test]
fn r10_shared_quick_replies_need_the_right_personal_ones_do_not() {
    let create = |shared| QuickReplyCommand::Create {
        quick_reply_id: id(5),
        shared,
        name: "greeting".into(),
        text: "Hello!".into(),
        from_message_id: Some(id(9)),
    };
    let state = setup::QuickReply::default();
    assert_eq!(
        setup::decide_quick_reply(&state, &cmd(manager(), create(true))),
        Err(DomainError::MissingRight(Right::QuickRepliesManageShared))
    );
    assert!(setup::decide_quick_reply(&state, &cmd(manager(), create(false))).is_ok());
    let lead = Principal::User {
        id: id(3),
        role: Role::Manager,
        rights: Rights::NONE.with(Right::QuickRepliesManageShared),
    };
    assert!(setup::decide_quick_reply(&state, &cmd(lead, create(true))).is_ok());
}

#[test]
fn r15_time_limits_are_multiples_of_ten_and_at_least_ten() {
    let admin = Principal::User {
        id: id(1),
        role: Role::Admin,
        rights: Rights::NONE,
    };
    let set = |warning_after, limit| {
        SettingsCommand::SetTimeLimits(TimeLimits {
            default: Some(TimeLimit {
                warning_after,
                limit,
            }),
            channels: Default::default(),
        })
    };
    let s = setup::Settings::default();
    assert!(setup::decide_settings(&s, &cmd(admin, set(60, 120))).is_ok());
    for (w, l) in [(5, 120), (65, 120), (60, 0), (120, 60)] {
        assert!(matches!(
            setup::decide_settings(&s, &cmd(admin, set(w, l))),
            Err(DomainError::Invalid { .. })
        ));
    }
    assert_eq!(
        setup::decide_settings(&s, &cmd(manager(), set(60, 120))),
        Err(DomainError::MissingRight(Right::SettingsManage))
    );
}

#[test]
fn events_encode_as_type_version_and_data_and_decode_back() {
    let event = DialogEvent::DraftSaved {
        user_id: id(1),
        text: "hi".into(),
    };
    let enc = encode(&event);
    assert_eq!(enc.event_type, "draft_saved");
    assert_eq!(enc.version, 1);
    let data: serde_json::Value = serde_json::from_slice(&enc.data).unwrap();
    assert_eq!(
        data,
        serde_json::json!({"user_id": "00000000-0000-0000-0000-000000000001", "text": "hi"})
    );
    let back: DialogEvent = decode(&enc.event_type, enc.version, &enc.data).unwrap();
    assert_eq!(back, event);
    let closed = encode(&DialogEvent::DialogClosed {});
    assert_eq!(closed.data, b"{}");
    assert!(decode::<DialogEvent>("dialog_closed", 7, b"{}").is_err());
    assert!(decode::<DialogEvent>("no_such_event", 1, b"{}").is_err());
    // The data is read in place: escapes decode, and what is not one JSON object of the
    // variant's fields is refused as malformed, trailing bytes included.
    let escaped = br#"{"user_id":"00000000-0000-0000-0000-000000000001","text":"a\"b\u00e9"}"#;
    match decode::<DialogEvent>("draft_saved", 1, escaped).unwrap() {
        DialogEvent::DraftSaved { text, .. } => assert_eq!(text, "a\"b\u{e9}"),
        other => panic!("{other:?}"),
    }
    let good = enc.data.clone();
    let mut trailing = good.clone();
    trailing.extend_from_slice(b" {}");
    for bad in [
        &trailing[..],
        &good[..good.len() - 1],
        b"[]",
        b"null",
        b"{\"text\":1}",
        b"",
    ] {
        assert!(
            matches!(
                decode::<DialogEvent>("draft_saved", 1, bad),
                Err(crate::event::DecodeError::Malformed { .. })
            ),
            "{}",
            String::from_utf8_lossy(bad)
        );
    }
}

/// Event versioning: `inbound_refused` v1, as stored before attachments existed, is read as
/// today's v2; today's events are written as v2; a version from the future is refused.
#[test]
fn inbound_refused_v1_is_upcast_to_v2() {
    use crate::customer::{CustomerEvent, RefusedMessage};
    use crate::event::{decode, encode, DecodeError};
    let channel = uuid::Uuid::from_u128(0xa1);
    let v1 = format!(
        r#"{{"channel_id":"{channel}","external_chat_id":"tg-chat-1","external_message_id":"tg-9","text":"hello?"}}"#
    );
    let read: CustomerEvent = decode("inbound_refused", 1, v1.as_bytes()).unwrap();
    let v2 = CustomerEvent::InboundRefused {
        channel_id: channel.into(),
        external_chat_id: "tg-chat-1".into(),
        message: RefusedMessage {
            external_id: "tg-9".into(),
            text: "hello?".into(),
            attachment_ids: vec![],
        },
    };
    assert_eq!(read, v2);
    let written = encode(&v2);
    assert_eq!(written.version, 2);
    assert_eq!(
        decode::<CustomerEvent>("inbound_refused", 2, &written.data).unwrap(),
        v2
    );
    // Other customer events stay at version 1.
    assert_eq!(encode(&CustomerEvent::CustomerBlocked {}).version, 1);
    assert!(matches!(
        decode::<CustomerEvent>("inbound_refused", 3, v1.as_bytes()),
        Err(DecodeError::UnknownVersion { version: 3, .. })
    ));
}

#[test]
fn r39_tags_are_renamed_and_deleted_with_settings_manage_only() {
    use crate::setup::{decide_tag, evolve_tag, Tag, TagColor, TagCommand, TagEvent};
    let admin = Principal::User {
        id: id(900),
        role: Role::Admin,
        rights: Rights::NONE,
    };
    let create = TagCommand::Create {
        tag_id: id(70),
        name: "VIP".into(),
        color: TagColor::Red,
    };
    let fold_tag = |state: Tag, events: Vec<TagEvent>| {
        events.into_iter().fold(state, |s, event| {
            evolve_tag(
                s,
                &Recorded {
                    meta: EventMeta {
                        at: datetime!(2026-11-24 10:00 UTC),
                        actor: admin.actor(),
                    },
                    event,
                },
            )
        })
    };
    // Any user creates a tag; only settings.manage renames or deletes it.
    let tag = fold_tag(
        Tag::default(),
        decide_tag(&Tag::default(), &cmd(manager(), create)).unwrap(),
    );
    let rename = TagCommand::Update {
        name: Some("Gold".into()),
        color: None,
    };
    assert_eq!(
        decide_tag(&tag, &cmd(manager(), rename.clone())),
        Err(DomainError::MissingRight(Right::SettingsManage))
    );
    assert_eq!(
        decide_tag(&tag, &cmd(manager(), TagCommand::Delete)),
        Err(DomainError::MissingRight(Right::SettingsManage))
    );
    assert!(decide_tag(&tag, &cmd(admin, rename.clone())).is_ok());
    let deleted = fold_tag(
        tag.clone(),
        decide_tag(&tag, &cmd(admin, TagCommand::Delete)).unwrap(),
    );
    assert!(deleted.deleted);
    assert_eq!(
        decide_tag(&deleted, &cmd(admin, TagCommand::Delete)),
        Ok(vec![]),
        "deleting again changes nothing"
    );
    assert_eq!(
        decide_tag(&deleted, &cmd(admin, rename)),
        Err(DomainError::NotFound)
    );
}

#[test]
fn r35_only_an_admin_erases_once_and_an_erased_customer_takes_no_more_decisions() {
    use crate::aggregate::Aggregate;
    use crate::event::{DomainEvent, ERASED};
    let admin = Principal::User {
        id: id(3),
        role: Role::Admin,
        rights: Rights::NONE,
    };
    let erase = |reason: &str| CustomerCommand::Erase {
        reason: reason.into(),
    };
    let c = registered();
    // Sealed under the customer's own key; its personal strings are the contact's.
    assert_eq!(c.data_subject(&[]), Some(Uuid::from_u128(60)));
    let mut reg = CustomerEvent::CustomerRegistered(c.registration.clone().unwrap());
    let mut seen = Vec::new();
    reg.personal_mut(&mut |s| seen.push(s.clone()));
    assert_eq!(seen, vec!["tg-42", "Ann", "+100"]);

    assert_eq!(
        customer::decide(&c, &cmd(manager(), erase("GDPR #1"))),
        Err(DomainError::Forbidden)
    );
    assert!(matches!(
        customer::decide(&c, &cmd(admin, erase("  "))),
        Err(DomainError::Invalid {
            field: "reason",
            ..
        })
    ));
    assert!(matches!(
        customer::decide(&c, &cmd(admin, erase(&"x".repeat(501)))),
        Err(DomainError::Invalid {
            field: "reason",
            ..
        })
    ));
    let events = customer::decide(&c, &cmd(admin, erase(" GDPR #1 "))).unwrap();
    assert_eq!(
        events,
        vec![CustomerEvent::CustomerErased {
            reason: "GDPR #1".into()
        }]
    );
    let c = fold(c, events);
    assert!(c.erased);
    let reg = c.registration.clone().unwrap();
    assert_eq!((reg.name.as_str(), reg.phone), (ERASED, None));
    // Again: nothing new. Anything else about them: refused.
    assert_eq!(
        customer::decide(&c, &cmd(admin, erase("GDPR #1"))),
        Ok(vec![])
    );
    assert_eq!(
        customer::decide(&c, &cmd(manager(), CustomerCommand::Unblock)),
        Err(DomainError::CustomerErased)
    );
    // The contact's next generation is another customer; generation 0 is R1's id.
    let channel = id(1);
    assert_eq!(
        crate::identity::customer_generation(channel, "tg-42", 0),
        crate::identity::customer_of(channel, "tg-42")
    );
    assert_ne!(
        crate::identity::customer_generation(channel, "tg-42", 1),
        crate::identity::customer_of(channel, "tg-42")
    );
}
