//! Serde for the domain values inside read-model views whose JSON form a binary format cannot
//! read back: internally tagged enums (authors, assignees: `{"type": "user", "id": …}` needs
//! `deserialize_any`) and structs that leave out empty fields (`skip_serializing_if`, which a
//! format without field names cannot notice). In a binary format (the snapshot's sections) they
//! go through plain mirrors; in JSON they stay as they are, so a JSON snapshot still reads.

use super::card_source::CardSource;
use chatd_domain::channel::{AttachmentKind, ChannelType};
use chatd_domain::customer::{Source, Utm};
use chatd_domain::file::FileMeta;
use chatd_domain::{
    Actor, Assignee, Attachment, BotId, ChannelId, CustomerId, FileId, MessageId, Quote, UserId,
};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The slot of a string field a read model no longer keeps, left in its place so that snapshots
/// of the same format still read (a binary section has no field names, only positions): written
/// empty, and whatever an earlier build wrote there is read and dropped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Retired;

impl Serialize for Retired {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str("")
    }
}

impl<'de> Deserialize<'de> for Retired {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct AnyString;
        impl serde::de::Visitor<'_> for AnyString {
            type Value = Retired;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Retired, E> {
                Ok(Retired)
            }
        }
        d.deserialize_str(AnyString)
    }
}

/// `pub mod $name` with `serialize`/`deserialize` for `#[serde(with = "compact::$name")]`: the
/// value itself in a human-readable format, `$plain` (through `$to` and `$from`) in a binary one.
macro_rules! compact {
    ($name:ident: $ty:ty as $plain:ty, $to:expr, $from:expr) => {
        pub mod $name {
            use super::*;

            pub fn serialize<S: Serializer>(v: &$ty, s: S) -> Result<S::Ok, S::Error> {
                if s.is_human_readable() {
                    v.serialize(s)
                } else {
                    let to: fn(&$ty) -> $plain = $to;
                    to(v).serialize(s)
                }
            }

            pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<$ty, D::Error> {
                if d.is_human_readable() {
                    <$ty>::deserialize(d)
                } else {
                    let from: fn($plain) -> $ty = $from;
                    <$plain>::deserialize(d).map(from)
                }
            }
        }
    };
}

compact!(actor: Actor as PlainActor, |a| PlainActor::of(*a), PlainActor::into_actor);
compact!(
    assignee: Option<Assignee> as Option<PlainAssignee>,
    |a| a.map(PlainAssignee::of),
    |a| a.map(PlainAssignee::into_assignee)
);
compact!(source: Source as PlainSource, PlainSource::of, PlainSource::into_source);
compact!(
    card_source: CardSource as PlainSource,
    |c| PlainSource::of_parts(c.channel_id, c.channel_type, c.utm()),
    |p| CardSource::from(p.into_source())
);
compact!(
    opt_source: Option<Source> as Option<PlainSource>,
    |s| s.as_ref().map(PlainSource::of),
    |s| s.map(PlainSource::into_source)
);
compact!(file_meta: FileMeta as PlainFileMeta, PlainFileMeta::of, PlainFileMeta::into_meta);
compact!(
    attachments: Vec<Attachment> as Vec<PlainAttachment>,
    |v| v.iter().map(PlainAttachment::of).collect(),
    |v| v.into_iter().map(PlainAttachment::into_attachment).collect()
);
compact!(
    quote: Option<Quote> as Option<(MessageId, PlainActor, String)>,
    |q| q
        .as_ref()
        .map(|q| (q.message_id, PlainActor::of(q.author), q.text.clone())),
    |q| q.map(|(message_id, author, text)| Quote {
        message_id,
        author: author.into_actor(),
        text,
    })
);

#[derive(Serialize, Deserialize)]
pub enum PlainActor {
    User(UserId),
    Bot(BotId),
    Customer(Option<CustomerId>),
    Channel(ChannelId),
    System,
}

impl PlainActor {
    fn of(a: Actor) -> Self {
        match a {
            Actor::User { id } => PlainActor::User(id),
            Actor::Bot { id } => PlainActor::Bot(id),
            Actor::Customer { id } => PlainActor::Customer(id),
            Actor::Channel { id } => PlainActor::Channel(id),
            Actor::System => PlainActor::System,
        }
    }

    fn into_actor(self) -> Actor {
        match self {
            PlainActor::User(id) => Actor::User { id },
            PlainActor::Bot(id) => Actor::Bot { id },
            PlainActor::Customer(id) => Actor::Customer { id },
            PlainActor::Channel(id) => Actor::Channel { id },
            PlainActor::System => Actor::System,
        }
    }
}

#[derive(Serialize, Deserialize)]
pub enum PlainAssignee {
    User(UserId),
    Bot(BotId),
}

impl PlainAssignee {
    fn of(a: Assignee) -> Self {
        match a {
            Assignee::User { id } => PlainAssignee::User(id),
            Assignee::Bot { id } => PlainAssignee::Bot(id),
        }
    }

    fn into_assignee(self) -> Assignee {
        match self {
            PlainAssignee::User(id) => Assignee::User { id },
            PlainAssignee::Bot(id) => Assignee::Bot { id },
        }
    }
}

/// Channel, its type, and the five UTM fields in order.
#[derive(Serialize, Deserialize)]
pub struct PlainSource(ChannelId, ChannelType, [Option<String>; 5]);

impl PlainSource {
    fn of(s: &Source) -> Self {
        PlainSource::of_parts(s.channel_id, s.channel_type, &s.utm)
    }

    fn of_parts(channel_id: ChannelId, channel_type: ChannelType, u: &Utm) -> Self {
        let utm = [&u.source, &u.medium, &u.campaign, &u.content, &u.term].map(Clone::clone);
        PlainSource(channel_id, channel_type, utm)
    }

    fn into_source(self) -> Source {
        let PlainSource(channel_id, channel_type, [source, medium, campaign, content, term]) = self;
        Source {
            channel_id,
            channel_type,
            utm: Utm {
                source,
                medium,
                campaign,
                content,
                term,
            },
        }
    }
}

#[derive(Serialize, Deserialize)]
pub struct PlainFileMeta {
    file_id: FileId,
    sha256: String,
    name: String,
    mime: String,
    kind: AttachmentKind,
    size: u64,
    width: Option<u32>,
    height: Option<u32>,
    preview: bool,
}

impl PlainFileMeta {
    fn of(m: &FileMeta) -> Self {
        let m = m.clone();
        PlainFileMeta {
            file_id: m.file_id,
            sha256: m.sha256,
            name: m.name,
            mime: m.mime,
            kind: m.kind,
            size: m.size,
            width: m.width,
            height: m.height,
            preview: m.preview,
        }
    }

    fn into_meta(self) -> FileMeta {
        FileMeta {
            file_id: self.file_id,
            sha256: self.sha256,
            name: self.name,
            mime: self.mime,
            kind: self.kind,
            size: self.size,
            width: self.width,
            height: self.height,
            preview: self.preview,
        }
    }
}

#[derive(Serialize, Deserialize)]
pub struct PlainAttachment {
    file_id: FileId,
    kind: AttachmentKind,
    name: String,
    mime: String,
    size: u64,
    width: Option<u32>,
    height: Option<u32>,
}

impl PlainAttachment {
    fn of(a: &Attachment) -> Self {
        let a = a.clone();
        PlainAttachment {
            file_id: a.file_id,
            kind: a.kind,
            name: a.name,
            mime: a.mime,
            size: a.size,
            width: a.width,
            height: a.height,
        }
    }

    fn into_attachment(self) -> Attachment {
        Attachment {
            file_id: self.file_id,
            kind: self.kind,
            name: self.name,
            mime: self.mime,
            size: self.size,
            width: self.width,
            height: self.height,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A retired slot reads what an earlier build wrote there (a binary section of the same
    /// format) and in JSON, and is written as an empty string in its place.
    #[test]
    fn a_retired_slot_reads_what_earlier_builds_wrote_and_keeps_its_place() {
        let earlier = postcard::to_allocvec(&("Anna Lee", "anna lee", 7u32)).unwrap();
        let (name, _, n): (String, Retired, u32) = postcard::from_bytes(&earlier).unwrap();
        assert_eq!((name.as_str(), n), ("Anna Lee", 7));
        let now = postcard::to_allocvec(&("Anna Lee", Retired, 7u32)).unwrap();
        let (_, slot, n): (String, String, u32) = postcard::from_bytes(&now).unwrap();
        assert_eq!((slot.as_str(), n), ("", 7));
        let json: (Retired, u8) = serde_json::from_str(r#"["anna lee", 1]"#).unwrap();
        assert_eq!(json, (Retired, 1));
        assert!(serde_json::from_str::<Retired>("5").is_err());
    }

    /// A card's source keeps its UTM fields, boxed only when it has any, through both formats.
    #[test]
    fn a_card_source_round_trips_with_and_without_utm() {
        let channel: ChannelId = uuid::Uuid::new_v4().into();
        let plain = CardSource::new(channel, ChannelType::Telegram, Utm::default());
        let utm = Utm {
            campaign: Some("spring".into()),
            ..Utm::default()
        };
        let tagged = CardSource::new(channel, ChannelType::WhatsappBusiness, utm.clone());
        assert_eq!(tagged.utm(), &utm);
        for card in [plain, tagged] {
            #[derive(Serialize, Deserialize)]
            struct Holder(#[serde(with = "card_source")] CardSource);
            let bin = postcard::to_allocvec(&Holder(card.clone())).unwrap();
            assert_eq!(postcard::from_bytes::<Holder>(&bin).unwrap().0, card);
            let json = serde_json::to_string(&card).unwrap();
            assert_eq!(json, serde_json::to_string(&card.to_source()).unwrap());
            assert_eq!(serde_json::from_str::<CardSource>(&json).unwrap(), card);
        }
    }
}
