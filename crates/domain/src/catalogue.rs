//! One example of every event type, rendered as `docs/EVENTS.md`. A test keeps the document
//! equal to what the code serialises, so the JSON auditors read is documented exactly.

use crate::actor::{Actor, Assignee, Right, Role};
use crate::calendar::{Calendar, LocalTime, Period, Week};
use crate::channel::{AttachmentKind, AttachmentLimits, Capabilities, ChannelType, MB};
use crate::customer::{CustomerEvent, RefusedMessage, Registration, Source, Utm};
use crate::dialog::{DialogEvent, ScheduledContent, ScheduledTemplate, WakeReason};
use crate::event::{encode, DomainEvent, EventMeta};
use crate::file::{FileEvent, FileMeta};
use crate::message::{Attachment, MessageError, MessageStatus, Quote};
use crate::order::{OrderEvent, OrderStatus};
use crate::people::{
    BotEvent, DistributionRule, GroupEvent, ReassignWhenUnavailable, Strategy, UserEvent,
    WorkStatus,
};
use crate::setup::{
    ChannelEvent, QuickReplyEvent, SettingsEvent, TagColor, TagEvent, TimeLimit, TimeLimits,
};
use crate::template::{Template, TemplateStatus, TemplateUse};
use serde::Serialize;
use uuid::Uuid;

fn id<T: From<Uuid>>(n: u128) -> T {
    T::from(Uuid::from_u128(n))
}

struct Entry {
    category: &'static str,
    event_type: String,
    version: u32,
    doc: &'static str,
    data: String,
}

fn entry<E: DomainEvent + Serialize>(doc: &'static str, e: E) -> Entry {
    let enc = encode(&e);
    let value: serde_json::Value = serde_json::from_slice(&enc.data).expect("event data is JSON");
    // Every event type's data is what the tagged document's `data` holds (the encoder cuts
    // it out of the written bytes), and the type is its tag.
    #[cfg(test)]
    {
        let doc = serde_json::to_value(&e).expect("event serialises");
        assert_eq!(doc["type"], enc.event_type.as_str());
        let data = doc.get("data").cloned().unwrap_or(serde_json::json!({}));
        assert_eq!(value, data, "{}", enc.event_type);
    }
    Entry {
        category: E::CATEGORY,
        event_type: enc.event_type,
        version: enc.version,
        doc,
        data: serde_json::to_string_pretty(&value).expect("JSON value serialises"),
    }
}

fn attachment() -> Attachment {
    Attachment {
        file_id: id(0xf1),
        kind: AttachmentKind::Image,
        name: "kettle.jpg".into(),
        mime: "image/jpeg".into(),
        size: 182_044,
        width: Some(1280),
        height: Some(960),
    }
}

fn entries() -> Vec<Entry> {
    let manager = Assignee::User { id: id(0x100) };
    let customer = Actor::Customer { id: Some(id(0xc1)) };
    let source = Source {
        channel_id: id(0xa1),
        channel_type: ChannelType::Telegram,
        utm: Utm {
            source: Some("instagram".into()),
            medium: Some("cpc".into()),
            campaign: Some("spring".into()),
            content: None,
            term: None,
        },
    };
    let rule = DistributionRule {
        channel_id: id(0xa1),
        manager_ids: vec![id(0x100), id(0x101)],
        max_open_per_manager: Some(20),
        require_free: true,
        require_online: true,
        strategy: Strategy::LeastLoaded,
        reassign_when_unavailable: Some(ReassignWhenUnavailable::OnlyNew),
        create_customer: true,
        create_order: true,
    };
    vec![
        entry("R1: the first customer message of an external chat opened a dialog.", DialogEvent::DialogOpened { dialog_id: id(0xd1), channel_id: id(0xa1), external_chat_id: "tg-chat-4242".into(), customer_id: Some(id(0xc1)) }),
        entry("A customer message arrived through the transport. `sent_at` is the integration's time.", DialogEvent::MessageReceived { message_id: id(0xe1), external_id: "tg-msg-1".into(), author: customer, text: "Where is my kettle?".into(), attachments: vec![attachment()], quote: None, sent_at: time::macros::datetime!(2026-11-24 09:59:58 UTC) }),
        entry("A manager or bot wrote a message (status `queued`). R9: `quote` embeds the quoted text and author. R26: `template` (code, language, params) when the text was rendered from an approved template; absent otherwise.", DialogEvent::MessageSent { message_id: id(0xe2), author: manager.as_actor(), text: "It ships today.".into(), attachments: vec![], quote: Some(Quote { message_id: id(0xe1), author: customer, text: "Where is my kettle?".into() }) , template: Some(TemplateUse { code: "order_ready".into(), language: "en".into(), params: vec!["Ann".into(), "#1042".into()] }) }),
        entry("R14: a delivery status moved forward; `error` only with `failed`.", DialogEvent::MessageStatusChanged { message_id: id(0xe2), status: MessageStatus::Failed, error: Some(MessageError { code: "network_error".into(), message: "webhook unreachable after 8 attempts".into() }), external_message_id: None }),
        entry("R2: `from` → `to`; who reassigned is the event's actor.", DialogEvent::Reassigned { from: Some(manager), to: Assignee::Bot { id: id(0xb1) } }),
        entry("R4", DialogEvent::DialogClosed {}),
        entry("R4: a customer or manager message reopened a closed dialog.", DialogEvent::DialogReopened {}),
        entry("R5: the user has read the first `inbound_seen` customer messages; clears their unread flag.", DialogEvent::DialogRead { user_id: id(0x100), inbound_seen: 3 }),
        entry("R5: mark as unread, for this user only.", DialogEvent::DialogMarkedUnread { user_id: id(0x100) }),
        entry("R11", DialogEvent::DraftSaved { user_id: id(0x100), text: "Let me check".into() }),
        entry("R11: sent or cleared.", DialogEvent::DraftCleared { user_id: id(0x100) }),
        entry("R12", DialogEvent::CustomerUnpinned { customer_id: id(0xc1) }),
        entry("R12", DialogEvent::CustomerPinned { customer_id: id(0xc1) }),
        entry("R13: the dialog is gone for everyone but auditors; its history stays.", DialogEvent::DialogDeleted {}),
        entry("R21: the new text; the earlier one stays in the log. The actor is who edited (a channel: the customer's edit, as its integration reported).", DialogEvent::MessageEdited { message_id: id(0xe2), text: "The price is 41 EUR, sorry".into() }),
        entry("R22: the message's text and attachments stay in the log for auditors; views show it deleted.", DialogEvent::MessageDeleted { message_id: id(0xe2) }),
        entry("R23: `by`'s one reaction to the message; `emoji: null` clears it.", DialogEvent::ReactionSet { message_id: id(0xe1), by: Actor::User { id: id(0x11) }, emoji: Some("👍".into()) }),
        entry("R27: an internal note by the event's actor, for the team only: it reaches no channel, webhook or counter. Each mentioned user has an open mention until `mention_done`.", DialogEvent::NoteAdded { note_id: id(0xa7), text: "Can you check the stock of red shirts?".into(), mentions: vec![id(0x12)] }),
        entry("R27: its author changed the note's text.", DialogEvent::NoteEdited { note_id: id(0xa7), text: "Can you check the stock of red shirts, size M?".into() }),
        entry("R27: its author deleted the note; its open mentions close.", DialogEvent::NoteDeleted { note_id: id(0xa7) }),
        entry("R27: the mentioned user closed their mention (the mention's id is derived from the note and the user).", DialogEvent::MentionDone { note_id: id(0xa7), user_id: id(0x12) }),
        entry("A webhook notice (`message_updated`, `message_deleted`, `reaction_set`) was delivered; `error` when delivery gave up. `event_id` is the body's `event_id`.", DialogEvent::NoticeDelivered { event_id: id(0xf1), error: None }),
        entry("R37: out of the open lists (under the `snoozed` filter) until `until`, or until the customer writes.", DialogEvent::DialogSnoozed { until: time::macros::datetime!(2026-11-25 09:00 UTC) }),
        entry("R37: back in the open lists; `reason`: `time` (its time came), `customer` (the customer wrote), `manual` (un-snoozed), `closed` (the dialog was closed).", DialogEvent::DialogWoke { reason: WakeReason::Time }),
        entry("R37: the `message_sent` just before (author `system`) is the channel's away reply, sent once in the closed period that ends at `until` (when the shop opens; `null`: not within a year).", DialogEvent::AwayReplySent { message_id: id(0xe3), until: Some(time::macros::datetime!(2026-11-30 08:00 UTC)) }),
        entry("R37: the event's actor (a user) scheduled a message: `text` and `attachments`, or a `template` by code with its parameters (looked up in the channel's set when it is sent).", DialogEvent::MessageScheduled { schedule_id: id(0x5c), send_at: time::macros::datetime!(2026-11-25 08:00 UTC), content: ScheduledContent { text: "Your parcel ships today.".into(), attachments: vec![], template: None } }),
        entry("R37: its author changed the time or the content (both given as they are now).", DialogEvent::ScheduledMessageEdited { schedule_id: id(0x5c), send_at: time::macros::datetime!(2026-11-25 09:00 UTC), content: ScheduledContent { text: String::new(), attachments: vec![], template: Some(ScheduledTemplate { code: "order_ready".into(), params: vec!["Ann".into()] }) } }),
        entry("R37: cancelled before it was sent (by its author, an admin or a chat admin).", DialogEvent::ScheduledMessageCancelled { schedule_id: id(0x5c) }),
        entry("R37: sent at its time as `message_id`, whose `message_sent` (author: the scheduling user) comes just before.", DialogEvent::ScheduledMessageSent { schedule_id: id(0x5c), message_id: id(0xe4) }),
        entry("R37: at its time the rules did not allow it; `error.code` is the API code of the refusal (`not_responsible`, `customer_blocked`, `reply_window_closed`, `template_not_found`, `not_found` for a channel gone, ...).", DialogEvent::ScheduledMessageFailed { schedule_id: id(0x5c), author: id(0x100), error: MessageError { code: "customer_blocked".into(), message: "the customer is blocked".into() } }),
        entry("R1: a customer, with the source of their first contact.", CustomerEvent::CustomerRegistered(Registration { customer_id: id(0xc1), external_id: "tg-user-77".into(), name: "Ann Smith".into(), avatar_url: Some("https://cdn.example/ann.jpg".into()), phone: Some("+15550100".into()), email: None, source: source.clone() })),
        entry("R6", CustomerEvent::CustomerBlocked {}),
        entry("R6", CustomerEvent::CustomerUnblocked {}),
        entry("R19: tagging again with another `pinned` changes the pin.", CustomerEvent::CustomerTagged { tag_id: id(0x7a), pinned: true }),
        entry("R19", CustomerEvent::CustomerUntagged { tag_id: id(0x7a) }),
        entry("R6: an inbound message refused because the customer is blocked; kept for the audit trail only. Version 2; version 1 (read as 2 by an upcaster) had `external_message_id` and `text` at the top level and no attachments.", CustomerEvent::InboundRefused { channel_id: id(0xa1), external_chat_id: "tg-chat-4242".into(), message: RefusedMessage { external_id: "tg-msg-9".into(), text: "hello?".into(), attachment_ids: vec![id(0xf1)] } }),
        entry("R35: an admin erased the customer's personal data: their data key (and the keys of files that went with them) was destroyed, so every sealed string of theirs now reads `[erased]`. The reason names the request, never the person; nothing personal is in this event.", CustomerEvent::CustomerErased { reason: "GDPR Art. 17 request #2041".into() }),
        entry("R20: capabilities and R7 limits (bytes; `null` = kind not carried). The token is stored as its SHA-256.", ChannelEvent::ChannelRegistered { channel_id: id(0xa1), channel_type: ChannelType::Facebook, name: "Shop Facebook".into(), webhook_url: Some("https://integration.example/hook".into()), capabilities: Capabilities::default_for(ChannelType::Facebook), limits: AttachmentLimits::default_for(ChannelType::Facebook), transport_token_hash: "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8".into(), webhook_secret: "whsec_9f8e7d6c5b4a".into() }),
        entry("R26: the integration published the channel's whole template set; templates not listed are gone.", ChannelEvent::TemplatesPublished { templates: vec![Template { code: "order_ready".into(), name: "Order ready".into(), language: "en".into(), body: "Hello {{1}}, your order {{2}} is ready for pickup.".into(), status: TemplateStatus::Approved }] }),
        entry("Only the fields that changed; `webhook_url: null` removes it.", ChannelEvent::ChannelUpdated { away_text: Some(Some("Thanks! We answer from 9:00 on weekdays.".into())), name: None, webhook_url: Some(None), capabilities: None, limits: Some(AttachmentLimits { image: Some(4 * MB), ..AttachmentLimits::default_for(ChannelType::Facebook) }) }),
        entry("Passwords are stored as argon2 PHC strings.", UserEvent::UserCreated { user_id: id(0x100), login: "maria".into(), name: "Maria".into(), password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g".into(), role: Role::Manager, group_ids: vec![id(0x9a)] }),
        entry("Only the fields that changed.", UserEvent::UserUpdated { name: None, role: Some(Role::ChatAdmin), group_ids: None, active: Some(false) }),
        entry("", UserEvent::PasswordChanged { password_hash: "$argon2id$v=19$m=19456,t=2,p=1$bmV3c2FsdA$bmV3aGFzaA".into() }),
        entry("", UserEvent::WorkStatusChanged { work_status: WorkStatus::Lunch }),
        entry("A login. The opaque bearer token is stored as its SHA-256 only.", UserEvent::SessionStarted { token_hash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into(), expires_at: time::macros::datetime!(2026-12-24 10:00 UTC) }),
        entry("A logout.", UserEvent::SessionEnded { token_hash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into() }),
        entry("Rights: `dialogs.delete`, `dialogs.view_all`, `settings.manage`, `quick_replies.manage_shared`.", GroupEvent::GroupCreated { group_id: id(0x9a), name: "Senior managers".into(), rights: vec![Right::DialogsDelete, Right::DialogsViewAll] }),
        entry("", GroupEvent::GroupUpdated { name: None, rights: Some(vec![Right::QuickRepliesManageShared]) }),
        entry("R18: a bot and its distribution rules per channel. The token is stored as its SHA-256.", BotEvent::BotRegistered { bot_id: id(0xb1), name: "Distribution".into(), token_hash: "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae".into(), distribution: vec![rule] }),
        entry("", BotEvent::BotUpdated { name: None, active: Some(false), distribution: None }),
        entry("R19: one of twelve colours.", TagEvent::TagCreated { tag_id: id(0x7a), name: "VIP".into(), color: TagColor::Purple }),
        entry("", TagEvent::TagUpdated { name: Some("VIP+".into()), color: None }),
        entry("R39: the tag leaves the catalogue and every customer's card.", TagEvent::TagDeleted {}),
        entry("R10: `owner: null` is shared; `from_message_id` marks one made from a message (\"lightning\").", QuickReplyEvent::QuickReplyCreated { quick_reply_id: id(0x5a), owner: Some(id(0x100)), name: "shipping".into(), text: "Your order ships within 24 hours.".into(), from_message_id: Some(id(0xe2)) }),
        entry("", QuickReplyEvent::QuickReplyUpdated { name: None, text: Some("Your order ships today.".into()) }),
        entry("R10: counts towards the listing order.", QuickReplyEvent::QuickReplyUsed {}),
        entry("", QuickReplyEvent::QuickReplyDeleted {}),
        entry("R15: seconds, multiples of 10, at least 10; per channel overrides the default.", SettingsEvent::TimeLimitsSet(TimeLimits { default: Some(TimeLimit { warning_after: 120, limit: 300 }), channels: [(id(0xa1), TimeLimit { warning_after: 60, limit: 120 })].into() })),
        entry("R37: the shop's calendar: weekly hours (`HH:MM`, a day not listed is closed) in an IANA time zone, holidays (local dates), channels with hours of their own, and whether R15 counts working hours only.", SettingsEvent::CalendarSet(Box::new(Calendar { time_zone: "Europe/Berlin".into(), week: Week { mon: vec![Period { from: LocalTime(9 * 60), to: LocalTime(18 * 60) }], fri: vec![Period { from: LocalTime(9 * 60), to: LocalTime(13 * 60) }, Period { from: LocalTime(14 * 60), to: LocalTime(17 * 60) }], ..Week::default() }, holidays: vec![time::macros::date!(2026-12-25)], channels: [(id(0xa1), Week { sat: vec![Period { from: LocalTime(10 * 60), to: LocalTime(14 * 60) }], ..Week::default() })].into(), working_hours_only: true }))),
        entry("R37: the shop keeps no calendar: always open, no away replies, R15 in wall-clock time.", SettingsEvent::CalendarRemoved {}),
        entry("R7: an upload; the bytes are stored under `sha256`, with a preview thumbnail for images. The uploader is the actor.", FileEvent::FileUploaded(FileMeta { file_id: id(0xf1), sha256: "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9".into(), name: "kettle.jpg".into(), mime: "image/jpeg".into(), kind: AttachmentKind::Image, size: 182_044, width: Some(1280), height: Some(960), preview: true })),
        entry("R18: created by the distribution bot, with the customer's source (R1).", OrderEvent::OrderCreated { order_id: id(0x0a), dialog_id: id(0xd1), customer_id: Some(id(0xc1)), manager_id: Some(id(0x100)), status: OrderStatus::New, source: Some(source) }),
    ]
}

/// The event catalogue as Markdown.
pub fn render() -> String {
    let meta = EventMeta {
        at: time::macros::datetime!(2026-11-24 10:00 UTC),
        actor: Actor::User { id: id(0x100) },
    };
    let mut out = String::from(
        "# Event catalogue\n\n\
         Generated from `crates/domain/src/catalogue.rs`; `cargo test -p chatd-domain` fails when this\n\
         file differs from what the code writes. Regenerate with\n\
         `UPDATE_EVENTS_DOC=1 cargo test -p chatd-domain catalogue`.\n\n\
         Every event is stored as `type` (below), `version` (its schema version), `data` (the JSON\n\
         shown) and `metadata`, plus the store's `stream`, `version` in the stream, global\n\
         `position`, `recorded_at`, `prev_hash` and `hash` (SHA-256 chain per stream, see\n\
         `docs/ARCHITECTURE.md`). Fields are added, never renamed; a changed shape gets a new\n\
         version and an upcaster. Times are RFC 3339 UTC; ids are UUIDs.\n\n\
         Metadata of every event (`at` is the domain's time of the event, `actor` who caused it:\n\
         `user`, `bot`, `customer`, `channel` or `system`):\n\n```json\n",
    );
    out.push_str(&serde_json::to_string_pretty(&meta).expect("meta serialises"));
    out.push_str("\n```\n");
    let mut category = "";
    for e in entries() {
        if e.category != category {
            category = e.category;
            let stream = if category == "settings" {
                "settings-chat".to_owned()
            } else {
                format!("{category}-<uuid>")
            };
            out.push_str(&format!("\n## Stream `{stream}`\n"));
        }
        out.push_str(&format!("\n### `{}` (v{})\n\n", e.event_type, e.version));
        if !e.doc.is_empty() {
            out.push_str(e.doc);
            out.push_str("\n\n");
        }
        out.push_str("```json\n");
        out.push_str(&e.data);
        out.push_str("\n```\n");
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn catalogue_in_docs_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/EVENTS.md");
        let rendered = super::render();
        if std::env::var_os("UPDATE_EVENTS_DOC").is_some() {
            std::fs::write(path, &rendered).expect("write docs/EVENTS.md");
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == rendered,
            "docs/EVENTS.md is stale: run UPDATE_EVENTS_DOC=1 cargo test -p chatd-domain catalogue"
        );
    }

    #[test]
    fn every_event_type_is_in_the_catalogue_once() {
        let entries = super::entries();
        let mut names: Vec<_> = entries.iter().map(|e| e.event_type.as_str()).collect();
        names.sort();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len(), "an event type is listed twice");
        // 30 dialog, 7 customer, 3 channel, 6 user, 2 group, 2 bot, 3 tag, 4 quick reply,
        // 3 settings, 1 order (and the rest of R35's): a new variant must be added here.
        assert_eq!(names.len(), 62);
    }
}
