//! Between domain events and stored events. Stored: `event_type`, `schema_version`, `data` (the
//! event's JSON object) and `metadata` (`{at, actor}`). Back: the stream's category says which
//! enum, type and schema version say which variant (upcasting older versions on the way).
//!
//! R35: an event whose personal strings are sealed names their data subject in its metadata
//! (`{at, actor, subject}`); decoding opens them with the keyring (`privacy`).

mod meta;

use crate::privacy::{self, DataKey, Keyring};
use chatd_domain::customer::CustomerEvent;
use chatd_domain::dialog::DialogEvent;
use chatd_domain::event::{decode, encode, DecodeError};
use chatd_domain::file::FileEvent;
use chatd_domain::order::OrderEvent;
use chatd_domain::people::{BotEvent, GroupEvent, UserEvent};
use chatd_domain::setup::{ChannelEvent, QuickReplyEvent, SettingsEvent, TagEvent};
use chatd_domain::{DomainEvent, EventMeta, Recorded};
use chatd_store::{NewEvent, RecordedEvent};
use meta::StoredMeta;
use thiserror::Error;
use uuid::Uuid;

/// A decoded event of any stream.
#[derive(Debug, Clone, PartialEq)]
pub enum AnyEvent {
    Dialog(Recorded<DialogEvent>),
    Customer(Recorded<CustomerEvent>),
    Channel(Recorded<ChannelEvent>),
    User(Recorded<UserEvent>),
    Group(Recorded<GroupEvent>),
    Bot(Recorded<BotEvent>),
    Tag(Recorded<TagEvent>),
    QuickReply(Recorded<QuickReplyEvent>),
    Settings(Recorded<SettingsEvent>),
    Order(Recorded<OrderEvent>),
    File(Recorded<FileEvent>),
}

#[derive(Debug, Error)]
pub enum DecodeFailure {
    #[error("stream {0} belongs to no known category")]
    UnknownCategory(String),
    #[error("event {stream}@{version}: {source}")]
    Event {
        stream: String,
        version: u64,
        #[source]
        source: DecodeError,
    },
    #[error("event {stream}@{version}: the data key of {subject} is not known here")]
    MissingKey {
        stream: String,
        version: u64,
        subject: Uuid,
    },
    #[error("event {stream}@{version}: bad metadata: {source}")]
    Metadata {
        stream: String,
        version: u64,
        #[source]
        source: serde_json::Error,
    },
}

/// The category of `category-<id>` (and of `settings-chat`).
pub fn category(stream: &str) -> &str {
    stream.split_once('-').map_or(stream, |(c, _)| c)
}

fn typed<E: DomainEvent>(
    e: &RecordedEvent,
    meta: &StoredMeta,
    keys: &Keyring,
) -> Result<Recorded<E>, DecodeFailure> {
    let mut event = decode::<E>(&e.event_type, e.schema_version, &e.data).map_err(|source| {
        DecodeFailure::Event {
            stream: e.stream.clone(),
            version: e.version,
            source,
        }
    })?;
    if let Some(subject) = meta.subject {
        keys.open_event(subject, &mut event)
            .map_err(|subject| DecodeFailure::MissingKey {
                stream: e.stream.clone(),
                version: e.version,
                subject,
            })?;
    }
    Ok(Recorded {
        meta: EventMeta {
            at: meta.at,
            actor: meta.actor,
        },
        event,
    })
}

fn meta_of(e: &RecordedEvent) -> Result<StoredMeta, DecodeFailure> {
    meta::read(&e.metadata).map_err(|source| DecodeFailure::Metadata {
        stream: e.stream.clone(),
        version: e.version,
        source,
    })
}

/// The data subject whose key sealed `e`'s personal strings, if any.
pub fn subject_of(e: &RecordedEvent) -> Option<Uuid> {
    meta_of(e).ok()?.subject
}

/// Any event of chatd's categories, its sealed strings opened with `keys`.
pub fn decode_event(e: &RecordedEvent, keys: &Keyring) -> Result<AnyEvent, DecodeFailure> {
    let meta = &meta_of(e)?;
    Ok(match category(&e.stream) {
        DialogEvent::CATEGORY => AnyEvent::Dialog(typed(e, meta, keys)?),
        CustomerEvent::CATEGORY => AnyEvent::Customer(typed(e, meta, keys)?),
        ChannelEvent::CATEGORY => AnyEvent::Channel(typed(e, meta, keys)?),
        UserEvent::CATEGORY => AnyEvent::User(typed(e, meta, keys)?),
        GroupEvent::CATEGORY => AnyEvent::Group(typed(e, meta, keys)?),
        BotEvent::CATEGORY => AnyEvent::Bot(typed(e, meta, keys)?),
        TagEvent::CATEGORY => AnyEvent::Tag(typed(e, meta, keys)?),
        QuickReplyEvent::CATEGORY => AnyEvent::QuickReply(typed(e, meta, keys)?),
        SettingsEvent::CATEGORY => AnyEvent::Settings(typed(e, meta, keys)?),
        OrderEvent::CATEGORY => AnyEvent::Order(typed(e, meta, keys)?),
        FileEvent::CATEGORY => AnyEvent::File(typed(e, meta, keys)?),
        _ => return Err(DecodeFailure::UnknownCategory(e.stream.clone())),
    })
}

/// A domain event as the store takes it, under a client-chosen id (same id, same append: a retry).
pub fn new_event<E: DomainEvent>(id: Uuid, meta: &EventMeta, event: &E) -> NewEvent {
    let enc = encode(event);
    NewEvent {
        id,
        event_type: enc.event_type,
        schema_version: enc.version,
        data: enc.data,
        metadata: serde_json::to_vec(meta).expect("metadata always serialises"),
    }
}

/// R35: a domain event as the store takes it, its personal strings sealed under `subject`'s
/// `key` (the subject named in its metadata); without anything personal in it, as `new_event`.
pub fn new_sealed_event<E: DomainEvent + Clone>(
    id: Uuid,
    meta: &EventMeta,
    event: &E,
    subject: Uuid,
    key: &DataKey,
) -> NewEvent {
    let mut sealed = event.clone();
    if !privacy::seal_event(key, subject, &mut sealed) {
        return new_event(id, meta, event);
    }
    let enc = encode(&sealed);
    let stored = StoredMeta {
        at: meta.at,
        actor: meta.actor,
        subject: Some(subject),
    };
    NewEvent {
        id,
        event_type: enc.event_type,
        schema_version: enc.version,
        data: enc.data,
        metadata: serde_json::to_vec(&stored).expect("metadata always serialises"),
    }
}

/// A stored event of a known aggregate type, with its metadata, opened with `keys`.
pub fn decode_recorded<E: DomainEvent>(
    e: &RecordedEvent,
    keys: &Keyring,
) -> Result<Recorded<E>, DecodeFailure> {
    typed(e, &meta_of(e)?, keys)
}
