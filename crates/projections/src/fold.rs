//! Every aggregate's state folded from the global log through the domain's `evolve`: what
//! `chatd replay` rebuilds, and a check that every stored event still decodes and applies.

use crate::codec::{decode_event, AnyEvent, DecodeFailure};
use chatd_domain::customer::{self, Customer};
use chatd_domain::dialog::{self, Dialog};
use chatd_domain::file::{evolve_file, File};
use chatd_domain::order::{evolve_order, Order};
use chatd_domain::people::{evolve_bot, evolve_group, evolve_user, Bot, Group, User};
use chatd_domain::setup::{
    evolve_channel, evolve_quick_reply, evolve_settings, evolve_tag, Channel, QuickReply, Settings,
    Tag,
};
use chatd_store::{Position, RecordedEvent};
use std::collections::HashMap;

#[derive(Default)]
pub struct DomainFold {
    pub dialogs: HashMap<String, Dialog>,
    pub customers: HashMap<String, Customer>,
    pub channels: HashMap<String, Channel>,
    pub users: HashMap<String, User>,
    pub groups: HashMap<String, Group>,
    pub bots: HashMap<String, Bot>,
    pub tags: HashMap<String, Tag>,
    pub quick_replies: HashMap<String, QuickReply>,
    pub orders: HashMap<String, Order>,
    pub files: HashMap<String, File>,
    pub settings: Settings,
    pub events: u64,
    /// Events of streams outside chatd's categories, left alone.
    pub foreign: u64,
    pub position: Option<Position>,
    /// R35: opens sealed personal strings.
    pub keys: std::sync::Arc<crate::privacy::Keyring>,
}

fn apply<S: Default, E>(
    map: &mut HashMap<String, S>,
    stream: &str,
    f: impl FnOnce(S, &E) -> S,
    e: &E,
) {
    let state = map.remove(stream).unwrap_or_default();
    map.insert(stream.to_owned(), f(state, e));
}

impl DomainFold {
    pub fn apply(&mut self, e: &RecordedEvent) -> Result<(), DecodeFailure> {
        self.position = Some(e.position);
        let decoded = match decode_event(e, &self.keys) {
            Ok(d) => d,
            Err(DecodeFailure::UnknownCategory(_)) => {
                self.foreign += 1;
                return Ok(());
            }
            Err(err) => return Err(err),
        };
        self.events += 1;
        let s = e.stream.as_str();
        match decoded {
            AnyEvent::Dialog(r) => apply(&mut self.dialogs, s, dialog::evolve, &r),
            AnyEvent::Customer(r) => apply(&mut self.customers, s, customer::evolve, &r),
            AnyEvent::Channel(r) => apply(&mut self.channels, s, evolve_channel, &r),
            AnyEvent::User(r) => apply(&mut self.users, s, evolve_user, &r),
            AnyEvent::Group(r) => apply(&mut self.groups, s, evolve_group, &r),
            AnyEvent::Bot(r) => apply(&mut self.bots, s, evolve_bot, &r),
            AnyEvent::Tag(r) => apply(&mut self.tags, s, evolve_tag, &r),
            AnyEvent::QuickReply(r) => apply(&mut self.quick_replies, s, evolve_quick_reply, &r),
            AnyEvent::Order(r) => apply(&mut self.orders, s, evolve_order, &r),
            AnyEvent::File(r) => apply(&mut self.files, s, evolve_file, &r),
            AnyEvent::Settings(r) => {
                self.settings = evolve_settings(std::mem::take(&mut self.settings), &r)
            }
        }
        Ok(())
    }
}
