//! Between domain events and stored events. Stored: `event_type`, `schema_version`, `data` (the
//! event's JSON object) and `metadata` (`{at, actor}`). Back: the stream's category says which
//! enum, type and schema version say which variant (upcasting older versions on the way).

use chatd_domain::customer::CustomerEvent;
use chatd_domain::dialog::DialogEvent;
use chatd_domain::event::{decode, encode, DecodeError};
use chatd_domain::file::FileEvent;
use chatd_domain::order::OrderEvent;
use chatd_domain::people::{BotEvent, GroupEvent, UserEvent};
use chatd_domain::setup::{ChannelEvent, QuickReplyEvent, SettingsEvent, TagEvent};
use chatd_domain::{DomainEvent, EventMeta, Recorded};
use chatd_store::{NewEvent, RecordedEvent};
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

fn typed<E: DomainEvent>(e: &RecordedEvent, meta: EventMeta) -> Result<Recorded<E>, DecodeFailure> {
    let event = decode::<E>(&e.event_type, e.schema_version, &e.data).map_err(|source| {
        DecodeFailure::Event {
            stream: e.stream.clone(),
            version: e.version,
            source,
        }
    })?;
    Ok(Recorded { meta, event })
}

fn meta_of(e: &RecordedEvent) -> Result<EventMeta, DecodeFailure> {
    serde_json::from_slice(&e.metadata).map_err(|source| DecodeFailure::Metadata {
        stream: e.stream.clone(),
        version: e.version,
        source,
    })
}

pub fn decode_event(e: &RecordedEvent) -> Result<AnyEvent, DecodeFailure> {
    let meta = meta_of(e)?;
    Ok(match category(&e.stream) {
        DialogEvent::CATEGORY => AnyEvent::Dialog(typed(e, meta)?),
        CustomerEvent::CATEGORY => AnyEvent::Customer(typed(e, meta)?),
        ChannelEvent::CATEGORY => AnyEvent::Channel(typed(e, meta)?),
        UserEvent::CATEGORY => AnyEvent::User(typed(e, meta)?),
        GroupEvent::CATEGORY => AnyEvent::Group(typed(e, meta)?),
        BotEvent::CATEGORY => AnyEvent::Bot(typed(e, meta)?),
        TagEvent::CATEGORY => AnyEvent::Tag(typed(e, meta)?),
        QuickReplyEvent::CATEGORY => AnyEvent::QuickReply(typed(e, meta)?),
        SettingsEvent::CATEGORY => AnyEvent::Settings(typed(e, meta)?),
        OrderEvent::CATEGORY => AnyEvent::Order(typed(e, meta)?),
        FileEvent::CATEGORY => AnyEvent::File(typed(e, meta)?),
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

/// A stored event of a known aggregate type, with its metadata.
pub fn decode_recorded<E: DomainEvent>(e: &RecordedEvent) -> Result<Recorded<E>, DecodeFailure> {
    let meta = meta_of(e)?;
    typed(e, meta)
}
