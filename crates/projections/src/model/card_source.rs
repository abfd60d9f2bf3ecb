//! A customer card's source (R1), kept small: the five UTM fields behind one box.

use chatd_domain::channel::ChannelType;
use chatd_domain::customer::{Source, Utm};
use chatd_domain::ChannelId;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Where a customer came from (R1), as the card keeps it: the five UTM fields behind one box,
/// absent when all are (P6, P7: most customers have none, and the fields inline cost 112 bytes
/// a card).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardSource {
    pub channel_id: ChannelId,
    pub channel_type: ChannelType,
    utm: Option<Box<Utm>>,
}

impl CardSource {
    pub fn of(s: &Source) -> Self {
        CardSource::new(s.channel_id, s.channel_type, s.utm.clone())
    }

    pub fn new(channel_id: ChannelId, channel_type: ChannelType, utm: Utm) -> Self {
        let utm = (utm != Utm::default()).then(|| Box::new(utm));
        CardSource {
            channel_id,
            channel_type,
            utm,
        }
    }

    pub fn utm(&self) -> &Utm {
        self.utm.as_deref().unwrap_or(&NO_UTM)
    }

    /// The source as events and the API carry it.
    pub fn to_source(&self) -> Source {
        Source {
            channel_id: self.channel_id,
            channel_type: self.channel_type,
            utm: self.utm().clone(),
        }
    }
}

/// The UTM fields of a card that has none.
const NO_UTM: Utm = Utm {
    source: None,
    medium: None,
    campaign: None,
    content: None,
    term: None,
};

impl From<Source> for CardSource {
    fn from(s: Source) -> Self {
        CardSource::new(s.channel_id, s.channel_type, s.utm)
    }
}

/// A card's source is the domain's `Source` in either format (a JSON snapshot reads back).
impl Serialize for CardSource {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_source().serialize(s)
    }
}

impl<'de> Deserialize<'de> for CardSource {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Source::deserialize(d).map(CardSource::from)
    }
}
