//! P4: a dialog-list page over a million dialogs, server-side (query + rows as JSON), for the
//! filter combinations of R16; next to a naive baseline that scans, filters and sorts every row,
//! in the same run. P6's per-dialog memory is measured on the same model.

use crate::alloc::{count, grown_since, live};
use crate::stats::{histogram, met, percentiles};
use chatd_domain::channel::ChannelType;
use chatd_domain::customer::Customer;
use chatd_domain::customer::{CustomerEvent, Registration, Source, Utm};
use chatd_domain::dialog::Dialog;
use chatd_domain::dialog::DialogEvent;
use chatd_domain::people::User;
use chatd_domain::people::UserEvent;
use chatd_domain::setup::{ChannelEvent, SettingsEvent, TagColor, TagEvent, TimeLimit, TimeLimits};
use chatd_domain::Aggregate;
use chatd_domain::{
    Actor, Assignee, DomainEvent, EventMeta, MessageId, Principal, Rights, Role, TagId, UserId,
};
use chatd_projections::model::list::{ListQuery, Responsible, Sort, StatusFilter};
use chatd_projections::{new_event, ReadModel};
use chatd_store::{Position, RecordedEvent};
use std::time::Instant;
use time::OffsetDateTime;
use uuid::Uuid;

struct Log {
    model: ReadModel,
    position: u64,
}

impl Log {
    fn put<E: DomainEvent>(
        &mut self,
        stream: String,
        version: u64,
        at: OffsetDateTime,
        actor: Actor,
        e: &E,
    ) {
        self.position += 1;
        let n = new_event(Uuid::new_v4(), &EventMeta { at, actor }, e);
        let rec = RecordedEvent {
            stream,
            version,
            id: n.id,
            event_type: n.event_type,
            schema_version: n.schema_version,
            data: n.data,
            metadata: n.metadata,
            position: Position::single(self.position),
            recorded_at: at,
            prev_hash: [0; 32],
            hash: [0; 32],
        };
        self.model.apply(&rec).expect("generated events apply");
    }
}

/// A small deterministic generator, so runs compare.
struct Rng(u64);
impl Rng {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

pub const MANAGERS: usize = 50;
const CHANNELS: usize = 5;
const TAGS: usize = 20;

pub struct World {
    pub model: ReadModel,
    pub managers: Vec<UserId>,
    pub tags: Vec<TagId>,
    pub channels: Vec<chatd_domain::ChannelId>,
    pub bytes_per_dialog: f64,
    pub bytes_per_customer: f64,
    pub events: u64,
    pub build_secs: f64,
}

pub fn build(dialogs: usize) -> World {
    let mut log = Log {
        model: ReadModel::default(),
        position: 0,
    };
    let t0 = OffsetDateTime::now_utc() - time::Duration::days(30);
    let sys = Actor::System;
    let managers: Vec<UserId> = (0..MANAGERS).map(|_| Uuid::new_v4().into()).collect();
    for (i, id) in managers.iter().enumerate() {
        let e = UserEvent::UserCreated {
            user_id: *id,
            login: format!("m{i}"),
            name: format!("Manager {i}"),
            password_hash: String::new(),
            role: Role::Manager,
            group_ids: vec![],
        };
        log.put(User::stream(id), 0, t0, sys, &e);
    }
    let channels: Vec<chatd_domain::ChannelId> =
        (0..CHANNELS).map(|_| Uuid::new_v4().into()).collect();
    for (i, id) in channels.iter().enumerate() {
        let t = ChannelType::Telegram;
        let e = ChannelEvent::ChannelRegistered {
            channel_id: *id,
            channel_type: t,
            name: format!("channel {i}"),
            webhook_url: None,
            capabilities: chatd_domain::channel::Capabilities::default_for(t),
            limits: chatd_domain::channel::AttachmentLimits::default_for(t),
            transport_token_hash: format!("{i}"),
            webhook_secret: String::new(),
        };
        log.put(format!("channel-{id}"), 0, t0, sys, &e);
    }
    let tags: Vec<TagId> = (0..TAGS).map(|_| Uuid::new_v4().into()).collect();
    for (i, id) in tags.iter().enumerate() {
        log.put(
            format!("tag-{id}"),
            0,
            t0,
            sys,
            &TagEvent::TagCreated {
                tag_id: *id,
                name: format!("tag {i}"),
                color: TagColor::Blue,
            },
        );
    }
    let limits = TimeLimits {
        default: Some(TimeLimit {
            warning_after: 600,
            limit: 3600,
        }),
        channels: Default::default(),
    };
    log.put(
        "settings-chat".into(),
        0,
        t0,
        sys,
        &SettingsEvent::TimeLimitsSet(limits),
    );

    let started = Instant::now();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    count(true);
    let before_customers = live();
    let mut people = Vec::with_capacity(dialogs);
    for i in 0..dialogs {
        let at = t0 + time::Duration::seconds(i as i64 * 2);
        let customer = Uuid::new_v4();
        let channel = channels[rng.next(CHANNELS as u64) as usize];
        people.push((customer, channel));
        let ch = Actor::Channel { id: channel };
        let reg = Registration {
            customer_id: customer.into(),
            external_id: format!("ext-{i}"),
            name: format!("Customer {i}"),
            avatar_url: None,
            phone: None,
            email: None,
            source: Source {
                channel_id: channel,
                channel_type: ChannelType::Telegram,
                utm: Utm::default(),
            },
        };
        log.put(
            Customer::stream(customer),
            0,
            at,
            ch,
            &CustomerEvent::CustomerRegistered(reg),
        );
        let mut cv = 1;
        // 30% of customers have 1–3 tags, a third of them pinned.
        if rng.next(10) < 3 {
            for _ in 0..=rng.next(3) {
                let t = tags[rng.next(TAGS as u64) as usize];
                log.put(
                    Customer::stream(customer),
                    cv,
                    at,
                    sys,
                    &CustomerEvent::CustomerTagged {
                        tag_id: t,
                        pinned: rng.next(3) == 0,
                    },
                );
                cv += 1;
            }
        }
    }
    let customer_bytes = grown_since(before_customers);
    let before = live();
    for (i, (customer, channel)) in people.iter().copied().enumerate() {
        let at = t0 + time::Duration::seconds(i as i64 * 2);
        let dialog = Uuid::new_v4();
        let ch = Actor::Channel { id: channel };
        let stream = Dialog::stream(dialog);
        log.put(
            stream.clone(),
            0,
            at,
            ch,
            &DialogEvent::DialogOpened {
                dialog_id: dialog.into(),
                channel_id: channel,
                external_chat_id: format!("chat-{i}"),
                customer_id: Some(customer.into()),
            },
        );
        log.put(
            stream.clone(),
            1,
            at,
            ch,
            &DialogEvent::MessageReceived {
                message_id: MessageId(Uuid::new_v4()),
                external_id: format!("m-{i}"),
                author: Actor::Customer {
                    id: Some(customer.into()),
                },
                text: crate::workload::TEXT.into(),
                attachments: vec![],
                quote: None,
                sent_at: at,
            },
        );
        let mut v = 2;
        // 70% assigned to a manager; half of those answered; 20% of all closed.
        if rng.next(10) < 7 {
            let m = managers[rng.next(MANAGERS as u64) as usize];
            log.put(
                stream.clone(),
                v,
                at,
                sys,
                &DialogEvent::Reassigned {
                    from: None,
                    to: Assignee::User { id: m },
                },
            );
            v += 1;
            if rng.next(2) == 0 {
                log.put(
                    stream.clone(),
                    v,
                    at + time::Duration::seconds(1),
                    Actor::User { id: m },
                    &DialogEvent::MessageSent {
                        message_id: MessageId(Uuid::new_v4()),
                        author: Actor::User { id: m },
                        text: "On it.".into(),
                        attachments: vec![],
                        quote: None,
                        template: None,
                    },
                );
                v += 1;
            }
        }
        if rng.next(5) == 0 {
            log.put(stream, v, at, sys, &DialogEvent::DialogClosed {});
        }
    }
    let build_secs = started.elapsed().as_secs_f64();
    let bytes = grown_since(before);
    count(false);
    drop(people);
    World {
        events: log.position,
        model: log.model,
        managers,
        tags,
        channels,
        bytes_per_dialog: bytes as f64 / dialogs as f64,
        bytes_per_customer: customer_bytes as f64 / dialogs as f64,
        build_secs,
    }
}

fn admin() -> Principal {
    Principal::User {
        id: Uuid::new_v4().into(),
        role: Role::Admin,
        rights: Rights::NONE,
    }
}

/// What a page costs: the query and its rows rendered as the API's JSON.
fn page(w: &World, viewer: &Principal, q: &ListQuery) -> usize {
    let m = &w.model;
    let page = m.list(viewer, q).expect("list");
    let now = OffsetDateTime::now_utc();
    let rows: Vec<_> = page
        .items
        .iter()
        .map(|r| chatd_server::http::views::dialog_row(m, r, viewer, now))
        .collect();
    serde_json::to_vec(&rows).expect("rows serialise").len()
}

/// The baseline: scan every row, keep the visible ones that match, sort, take a page.
fn naive(w: &World, viewer: &Principal, q: &ListQuery) -> usize {
    let m = &w.model;
    let mut rows: Vec<_> = m
        .dialogs
        .rows
        .values()
        .filter(|r| r.is_visible_to(viewer))
        .filter(|r| match q.status {
            StatusFilter::All => true,
            StatusFilter::Open => {
                r.status == chatd_domain::dialog::DialogStatus::Open && !r.snoozed()
            }
            StatusFilter::Snoozed => r.snoozed(),
            StatusFilter::Closed => r.status == chatd_domain::dialog::DialogStatus::Closed,
        })
        .filter(|r| q.channels.is_empty() || q.channels.contains(&r.channel_id))
        .filter(|r| {
            q.tags.iter().all(|t| {
                r.customer_id
                    .and_then(|c| m.customers.get(&c))
                    .is_some_and(|c| c.tags.contains_key(t))
            })
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.last_activity_at));
    rows.truncate(q.limit);
    rows.len()
}

/// P4 and P6 on `dialogs` dialogs (then P7 on them), and P10 when asked; P7's file is copied to
/// `keep` if given.
pub fn run(dialogs: usize, samples: usize, p4: bool, p10: bool, keep: Option<&std::path::Path>) {
    let mut w = build(dialogs);
    if p10 {
        crate::p10::run(&w, samples);
    }
    if !p4 {
        return;
    }
    println!(
        "P4  dialog list over {dialogs} dialogs ({} events applied in {:.1} s: {:.0} events/s into every read model)",
        w.events,
        w.build_secs,
        w.events as f64 / w.build_secs
    );
    println!(
        "    {:<52} {:>7} {:>7} {:>8}",
        "page of 50, server-side (query + JSON rows)", "p50 ms", "p99 ms", "max ms"
    );
    let manager = Principal::User {
        id: w.managers[0],
        role: Role::Manager,
        rights: Rights::NONE,
    };
    let cases: Vec<(&str, Principal, ListQuery)> = vec![
        (
            "manager: own dialogs (responsible=me)",
            manager,
            ListQuery {
                responsible: vec![Responsible::Me],
                limit: 50,
                ..Default::default()
            },
        ),
        (
            "manager: default view (own + unassigned)",
            manager,
            ListQuery {
                limit: 50,
                ..Default::default()
            },
        ),
        (
            "admin: default view",
            admin(),
            ListQuery {
                limit: 50,
                ..Default::default()
            },
        ),
        (
            "admin: tags A AND B + channel + status=all",
            admin(),
            ListQuery {
                tags: vec![w.tags[0], w.tags[1]],
                channels: vec![w.channels[0]],
                status: StatusFilter::All,
                limit: 50,
                ..Default::default()
            },
        ),
        (
            "admin: processing_order",
            admin(),
            ListQuery {
                sort: Sort::ProcessingOrder,
                limit: 50,
                ..Default::default()
            },
        ),
        (
            "admin: pinned_only + no_tags",
            admin(),
            ListQuery {
                no_tags: true,
                pinned_only: true,
                limit: 50,
                ..Default::default()
            },
        ),
        (
            "admin: name search q=\"customer 99999\"",
            admin(),
            ListQuery {
                q: Some("customer 99999".into()),
                status: StatusFilter::All,
                limit: 50,
                ..Default::default()
            },
        ),
    ];
    let mut worst_p99 = 0f64;
    for (label, viewer, q) in &cases {
        let mut h = histogram();
        let deadline = Instant::now() + std::time::Duration::from_secs(3);
        for _ in 0..samples {
            if Instant::now() > deadline {
                break;
            }
            let t = Instant::now();
            std::hint::black_box(page(&w, viewer, q));
            h.record(t.elapsed().as_micros() as u64).ok();
        }
        println!("    {label:<52} {}", percentiles(&h));
        worst_p99 = worst_p99.max(h.value_at_quantile(0.99) as f64 / 1000.0);
    }
    println!(
        "    P4 bar: every filter's p99 <= 1 ms: {} (worst p99 {worst_p99:.2} ms)",
        met(worst_p99 <= 1.0)
    );
    let mut h = histogram();
    let (viewer, q) = (&cases[3].1, &cases[3].2);
    for _ in 0..samples.min(20) {
        let t = Instant::now();
        std::hint::black_box(naive(&w, viewer, q));
        h.record(t.elapsed().as_micros() as u64).ok();
    }
    println!(
        "    {:<52} {}",
        "baseline: scan+filter+sort all rows (tags+channel)",
        percentiles(&h)
    );
    crate::p7::run(&mut w, dialogs, keep);
    println!(
        "P6  memory: list read model {:.0} bytes per dialog (row, both sort indexes, unread state) (bar <= 1024: {}); customer cards {:.0} bytes per customer",
        w.bytes_per_dialog,
        met(w.bytes_per_dialog <= 1024.0),
        w.bytes_per_customer
    );
}
