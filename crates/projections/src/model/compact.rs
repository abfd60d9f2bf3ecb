//! Serde for the domain values inside read-model views whose JSON form a binary format cannot
//! read back: internally tagged enums (authors, assignees: `{"type": "user", "id": …}` needs
//! `deserialize_any`) and structs that leave out empty fields (`skip_serializing_if`, which a
//! format without field names cannot notice). In a binary format (the snapshot's sections) they
//! go through plain mirrors; in JSON they stay as they are, so a JSON snapshot still reads.

use chatd_domain::channel::{AttachmentKind, ChannelType};
use chatd_domain::customer::{Source, Utm};
use chatd_domain::file::FileMeta;
use chatd_domain::{
    Actor, Assignee, Attachment, BotId, ChannelId, CustomerId, FileId, MessageId, Quote, UserId,
};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

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
        let u = &s.utm;
        let utm = [&u.source, &u.medium, &u.campaign, &u.content, &u.term].map(Clone::clone);
        PlainSource(s.channel_id, s.channel_type, utm)
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
