//! The log the snapshot tests restore: every kind of view a snapshot holds.

use chatd_domain::channel::{AttachmentLimits, Capabilities, ChannelType};
use chatd_domain::customer::{CustomerEvent, Registration, Source, Utm};
use chatd_domain::dialog::DialogEvent;
use chatd_domain::people::UserEvent;
use chatd_domain::setup::ChannelEvent;
use chatd_domain::setup::{SettingsEvent, TagColor, TagEvent, TimeLimit, TimeLimits};
use chatd_domain::{Actor, Assignee, DomainEvent, EventMeta, MessageId, Role, TagId, UserId};
use chatd_projections::model::outbox;
use chatd_projections::new_event;
use chatd_store::{Position, RecordedEvent};
use time::OffsetDateTime;
use uuid::Uuid;

pub struct Log {
    pub events: Vec<RecordedEvent>,
}

impl Log {
    pub fn last_position(&self) -> Position {
        self.events.last().expect("an event").position
    }

    fn put<E: DomainEvent>(&mut self, stream: String, actor: Actor, at: OffsetDateTime, e: &E) {
        let n = new_event(Uuid::new_v4(), &EventMeta { at, actor }, e);
        let position = Position::single(self.events.len() as u64 + 1);
        let version = self.events.iter().filter(|x| x.stream == stream).count() as u64;
        self.events.push(RecordedEvent {
            stream,
            version,
            id: n.id,
            event_type: n.event_type,
            schema_version: n.schema_version,
            data: n.data,
            metadata: n.metadata,
            position,
            recorded_at: at,
            prev_hash: [0; 32],
            hash: [0; 32],
        });
    }
}

pub fn world() -> (Log, Vec<UserId>, Vec<TagId>) {
    let mut log = Log { events: vec![] };
    let t0 = OffsetDateTime::now_utc() - time::Duration::hours(3);
    let managers: Vec<UserId> = (0..3).map(|_| Uuid::new_v4().into()).collect();
    for (i, m) in managers.iter().enumerate() {
        log.put(
            format!("user-{m}"),
            Actor::System,
            t0,
            &UserEvent::UserCreated {
                user_id: *m,
                login: format!("m{i}"),
                name: format!("M{i}"),
                password_hash: String::new(),
                role: Role::Manager,
                group_ids: vec![],
            },
        );
    }
    let tags: Vec<TagId> = (0..3).map(|_| Uuid::new_v4().into()).collect();
    for t in &tags {
        log.put(
            format!("tag-{t}"),
            Actor::System,
            t0,
            &TagEvent::TagCreated {
                tag_id: *t,
                name: "t".into(),
                color: TagColor::Red,
            },
        );
    }
    let limits = TimeLimits {
        default: Some(TimeLimit {
            warning_after: 60,
            limit: 600,
        }),
        channels: Default::default(),
    };
    log.put(
        "settings-chat".into(),
        Actor::System,
        t0,
        &SettingsEvent::TimeLimitsSet(limits),
    );
    // R37: R15 in working hours, on a calendar open around the clock on weekdays only.
    let day = vec![chatd_domain::calendar::Period {
        from: chatd_domain::calendar::LocalTime(0),
        to: chatd_domain::calendar::LocalTime(24 * 60),
    }];
    let calendar = chatd_domain::calendar::Calendar {
        time_zone: "Europe/Berlin".into(),
        week: chatd_domain::calendar::Week {
            mon: day.clone(),
            tue: day.clone(),
            wed: day.clone(),
            thu: day.clone(),
            fri: day,
            ..Default::default()
        },
        holidays: vec![],
        channels: Default::default(),
        working_hours_only: true,
    };
    log.put(
        "settings-chat".into(),
        Actor::System,
        t0,
        &SettingsEvent::CalendarSet(Box::new(calendar)),
    );
    let channel = Uuid::new_v4().into();
    let t = ChannelType::Livechat;
    log.put(
        format!("channel-{channel}"),
        Actor::System,
        t0,
        &ChannelEvent::ChannelRegistered {
            channel_id: channel,
            channel_type: t,
            name: "chat".into(),
            webhook_url: Some("http://integration.example/hook".into()),
            capabilities: Capabilities::default_for(t),
            limits: AttachmentLimits::default_for(t),
            transport_token_hash: "h".into(),
            webhook_secret: "s".into(),
        },
    );
    for i in 0..60u32 {
        let at = t0 + time::Duration::minutes(i.into());
        let (d, c) = (Uuid::new_v4(), Uuid::new_v4());
        let reg = Registration {
            customer_id: c.into(),
            external_id: format!("e{i}"),
            name: format!("Customer {i}"),
            avatar_url: None,
            phone: None,
            email: None,
            source: Source {
                channel_id: channel,
                channel_type: ChannelType::Telegram,
                utm: Utm {
                    campaign: (i % 5 == 0).then(|| format!("spring {i}")),
                    ..Utm::default()
                },
            },
        };
        let source = reg.source.clone();
        log.put(
            format!("customer-{c}"),
            Actor::System,
            at,
            &CustomerEvent::CustomerRegistered(reg),
        );
        if i % 3 == 0 {
            log.put(
                format!("customer-{c}"),
                Actor::System,
                at,
                &CustomerEvent::CustomerTagged {
                    tag_id: tags[0],
                    pinned: i % 2 == 0,
                },
            );
        }
        if i % 5 == 0 {
            log.put(
                format!("customer-{c}"),
                Actor::System,
                at,
                &CustomerEvent::CustomerTagged {
                    tag_id: tags[1],
                    pinned: false,
                },
            );
        }
        let s = format!("dialog-{d}");
        log.put(
            s.clone(),
            Actor::System,
            at,
            &DialogEvent::DialogOpened {
                dialog_id: d.into(),
                channel_id: channel,
                external_chat_id: format!("c{i}"),
                customer_id: Some(c.into()),
            },
        );
        log.put(
            s.clone(),
            Actor::System,
            at,
            &DialogEvent::MessageReceived {
                message_id: MessageId(Uuid::new_v4()),
                external_id: format!("m{i}"),
                author: Actor::Customer { id: Some(c.into()) },
                text: format!("hello {i}"),
                attachments: vec![],
                quote: None,
                sent_at: at,
            },
        );
        let m = managers[(i % 3) as usize];
        if i % 4 != 0 {
            log.put(
                s.clone(),
                Actor::System,
                at,
                &DialogEvent::Reassigned {
                    from: None,
                    to: Assignee::User { id: m },
                },
            );
        }
        if i % 10 == 3 {
            let order_id = chatd_domain::OrderId(Uuid::new_v4());
            let e = chatd_domain::order::OrderEvent::OrderCreated {
                order_id,
                dialog_id: d.into(),
                customer_id: Some(c.into()),
                manager_id: Some(m),
                status: chatd_domain::order::OrderStatus::New,
                source: Some(source),
            };
            log.put(format!("order-{}", order_id.0), Actor::System, at, &e);
        }
        if i % 4 == 1 {
            let message_id = MessageId(Uuid::new_v4());
            let by = Actor::User { id: m };
            // A file uploaded, then sent with a quote of the customer (the outbox keeps both).
            let (attachments, quote) = if i % 8 == 5 {
                let meta = chatd_domain::file::FileMeta {
                    file_id: chatd_domain::FileId(Uuid::new_v4()),
                    sha256: "ab".repeat(32),
                    name: format!("photo {i}.png"),
                    mime: "image/png".into(),
                    kind: chatd_domain::channel::AttachmentKind::Image,
                    size: 1000 + u64::from(i),
                    width: Some(640),
                    height: None,
                    preview: true,
                };
                let stream = format!("file-{}", meta.file_id.0);
                let e = chatd_domain::file::FileEvent::FileUploaded(meta.clone());
                log.put(stream, by, at, &e);
                let attachment = chatd_domain::Attachment {
                    file_id: meta.file_id,
                    kind: meta.kind,
                    name: meta.name,
                    mime: meta.mime,
                    size: meta.size,
                    width: meta.width,
                    height: None,
                };
                let quote = chatd_domain::Quote {
                    message_id: MessageId(Uuid::new_v4()),
                    author: Actor::Customer { id: Some(c.into()) },
                    text: format!("hello {i}"),
                };
                (vec![attachment], Some(quote))
            } else {
                (vec![], None)
            };
            log.put(
                s.clone(),
                by,
                at,
                &DialogEvent::MessageSent {
                    message_id,
                    author: by,
                    text: "ok".into(),
                    attachments,
                    quote,
                    template: None,
                },
            );
            // R21–R23: the list shows the last message as it is now; the outbox keeps notices.
            if i % 8 == 1 {
                let text = format!("ok, edited {i}");
                let e = DialogEvent::MessageEdited { message_id, text };
                log.put(s.clone(), by, at, &e);
            }
            if i % 12 == 1 {
                log.put(
                    s.clone(),
                    by,
                    at,
                    &DialogEvent::MessageDeleted { message_id },
                );
            }
            if i % 3 == 1 {
                let emoji = Some("👍".to_owned());
                let e = DialogEvent::ReactionSet {
                    message_id,
                    by,
                    emoji,
                };
                log.put(s.clone(), by, at, &e);
            }
            if i % 24 == 9 {
                let event_id = outbox::event_id(d.into(), log.last_position());
                let e = DialogEvent::NoticeDelivered {
                    event_id,
                    error: None,
                };
                log.put(s.clone(), Actor::System, at, &e);
            }
        }
        if i % 6 == 2 {
            log.put(
                s.clone(),
                Actor::User { id: m },
                at,
                &DialogEvent::DialogRead {
                    user_id: m,
                    inbound_seen: 1,
                },
            );
        }
        if i % 7 == 3 {
            log.put(
                s.clone(),
                Actor::User { id: m },
                at,
                &DialogEvent::DialogMarkedUnread { user_id: m },
            );
        }
        if i % 8 == 5 {
            log.put(
                s.clone(),
                Actor::User { id: m },
                at,
                &DialogEvent::DraftSaved {
                    user_id: m,
                    text: "draft".into(),
                },
            );
        }
        // R27: notes mentioning the next manager; some mentions done, some notes deleted.
        if i % 5 == 2 {
            let note_id = chatd_domain::NoteId::from(Uuid::new_v4());
            let other = managers[((i + 1) % 3) as usize];
            let by = Actor::User { id: m };
            let text = format!("note {i}");
            let e = DialogEvent::NoteAdded {
                note_id,
                text,
                mentions: vec![other],
            };
            log.put(s.clone(), by, at, &e);
            if i % 10 == 2 {
                let e = DialogEvent::MentionDone {
                    note_id,
                    user_id: other,
                };
                log.put(s.clone(), Actor::User { id: other }, at, &e);
            }
            if i % 15 == 7 {
                log.put(s.clone(), by, at, &DialogEvent::NoteDeleted { note_id });
            }
        }
        // R37: some dialogs snoozed (a few woken again), some messages scheduled (a few sent
        // or cancelled).
        if i % 6 == 1 {
            let until = at + time::Duration::hours(i as i64);
            let by = Actor::User { id: m };
            log.put(s.clone(), by, at, &DialogEvent::DialogSnoozed { until });
            if i % 12 == 7 {
                let e = DialogEvent::DialogWoke {
                    reason: chatd_domain::dialog::WakeReason::Manual,
                };
                log.put(s.clone(), by, at, &e);
            }
        }
        if i % 7 == 3 {
            let schedule_id = chatd_domain::ScheduleId::from(Uuid::new_v4());
            let e = DialogEvent::MessageScheduled {
                schedule_id,
                send_at: at + time::Duration::minutes(i as i64),
                content: chatd_domain::dialog::ScheduledContent {
                    text: format!("later {i}"),
                    ..Default::default()
                },
            };
            log.put(s.clone(), Actor::User { id: m }, at, &e);
            if i % 14 == 10 {
                let e = DialogEvent::ScheduledMessageCancelled { schedule_id };
                log.put(s.clone(), Actor::User { id: m }, at, &e);
            }
        }
        if i % 9 == 4 {
            log.put(s.clone(), Actor::System, at, &DialogEvent::DialogClosed {});
        }
        if i % 11 == 10 {
            log.put(s, Actor::System, at, &DialogEvent::DialogDeleted {});
        }
    }
    (log, managers, tags)
}
