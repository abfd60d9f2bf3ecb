//! The snapshot file: a header, then three sections (the head; the customers; the dialogs), each
//! a run of postcard items with its own CRC-32, in LZ4 frames of about a MiB (`chunks`). Postcard
//! writes the views' serde form compactly (varints, UUIDs as 16 bytes, no field names), so a
//! million dialogs take a few hundred MB, not a GB of JSON.
//!
//! Written straight from the live read models (no copy of them is made): the customers and the
//! dialogs are encoded on two threads under one read lock, and the file is written after it is let
//! go. Read on two threads as well: the customers are rebuilt beside the dialogs, each with its
//! indexes, item by item as they are decoded.

use super::chunks::{pack, Chunked, Cuts, Frames, Source};
use super::{DialogsPart, Head, FORMAT};
use crate::model::customers::{self, Customers};
use crate::model::dialogs::Waiting;
use crate::model::outbox::Outbox;
use crate::model::ReadModel;
use postcard::ser_flavors::Flavor;
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;

const MAGIC: &[u8; 8] = b"chatdRM\x02";
/// The previous container, still read: each section one LZ4 block.
const MAGIC_WHOLE: &[u8; 8] = b"chatdRM\x01";
const SECTIONS: usize = 3;
/// Magic, format, then each section's length (u64) and CRC-32 (u32).
const HEADER: usize = 8 + 4 + SECTIONS * 12;

/// Why a file could not be restored.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Unreadable {
    #[error("not a chatd read-model snapshot")]
    NotASnapshot,
    #[error("a snapshot of format {0}, this build reads {FORMAT}")]
    OtherFormat(u32),
    #[error("the snapshot is damaged: {0}")]
    Damaged(&'static str),
}

/// The sections as encoded under the read lock, before compression, with where their frames end.
pub struct Raw {
    sections: [Vec<u8>; SECTIONS],
    cuts: [Cuts; SECTIONS],
}

impl Raw {
    /// Bytes of the head, the customers and the dialogs.
    pub fn section_sizes(&self) -> [usize; SECTIONS] {
        self.sections.each_ref().map(Vec::len)
    }

    /// LZ4 on each section, two at a time (done with the lock let go). The rows repeat their
    /// channel's, manager's and customer's ids, which LZ4 finds; it reads back at GB/s.
    pub fn compress(self) -> Encoded {
        let [head, customers, dialogs] = self.sections;
        let [head_cuts, customer_cuts, dialog_cuts] = self.cuts;
        std::thread::scope(|s| {
            let customers = s.spawn(move || pack(&customers, &customer_cuts));
            let dialogs = pack(&dialogs, &dialog_cuts);
            Encoded {
                sections: [
                    pack(&head, &head_cuts),
                    customers.join().expect("compressing the customers"),
                    dialogs,
                ],
            }
        })
    }

    /// The previous container (`chatdRM\x01`: each section one LZ4 block), which this build
    /// still reads; written only by the tests that check it does.
    #[doc(hidden)]
    pub fn compress_whole(self) -> Vec<u8> {
        let sections = self.sections.map(|s| lz4_flex::compress_prepend_size(&s));
        let mut out = Encoded { sections }.to_bytes();
        out[..8].copy_from_slice(MAGIC_WHOLE);
        out
    }
}

/// A snapshot file's sections, compressed, in memory until written.
pub struct Encoded {
    sections: [Vec<u8>; SECTIONS],
}

impl Encoded {
    /// Bytes of the head, the customers and the dialogs.
    pub fn section_sizes(&self) -> [usize; SECTIONS] {
        self.sections.each_ref().map(Vec::len)
    }

    pub fn write_to(&self, mut w: impl Write) -> std::io::Result<()> {
        let mut header = Vec::with_capacity(HEADER);
        header.extend_from_slice(MAGIC);
        header.extend_from_slice(&FORMAT.to_le_bytes());
        for s in &self.sections {
            header.extend_from_slice(&(s.len() as u64).to_le_bytes());
            header.extend_from_slice(&crc32fast::hash(s).to_le_bytes());
        }
        w.write_all(&header)?;
        self.sections.iter().try_for_each(|s| w.write_all(s))
    }

    /// The whole file, for tests and the bench.
    pub fn to_bytes(&self) -> Vec<u8> {
        let len = HEADER + self.sections.iter().map(Vec::len).sum::<usize>();
        let mut out = Vec::with_capacity(len);
        self.write_to(&mut out).expect("writing to memory");
        out
    }
}

/// Postcard into a growing buffer (its own `Vec` flavor pushes byte by byte through `Extend`).
struct Out<'a>(&'a mut Vec<u8>);

impl Flavor for Out<'_> {
    type Output = ();

    fn try_extend(&mut self, data: &[u8]) -> postcard::Result<()> {
        self.0.extend_from_slice(data);
        Ok(())
    }

    fn try_push(&mut self, data: u8) -> postcard::Result<()> {
        self.0.push(data);
        Ok(())
    }

    fn finalize(self) -> postcard::Result<()> {
        Ok(())
    }
}

fn put<T: Serialize + ?Sized>(buf: &mut Vec<u8>, v: &T) {
    postcard::serialize_with_flavor(v, Out(buf)).expect("read-model views serialise");
}

fn put_seq<'a, T: Serialize + 'a>(buf: &mut Vec<u8>, items: impl ExactSizeIterator<Item = T>) {
    put(buf, &(items.len() as u64));
    items.for_each(|i| put(buf, &i));
}

/// A section that is one long sequence, cut into frames between its items.
fn put_rows<'a, T: Serialize + 'a>(
    items: impl ExactSizeIterator<Item = T>,
    capacity: usize,
) -> (Vec<u8>, Cuts) {
    let mut buf = Vec::with_capacity(capacity);
    let mut cuts = Cuts::default();
    put(&mut buf, &(items.len() as u64));
    for i in items {
        put(&mut buf, &i);
        cuts.item_ends(buf.len());
    }
    (buf, cuts)
}

/// The read models' snapshot, encoded without copying them (see the module's note).
pub fn encode(m: &ReadModel) -> Raw {
    std::thread::scope(|s| {
        let customers = s.spawn(|| {
            let cards = m.customers.by_id.values();
            put_rows(in_memory_order(cards), m.customers.by_id.len() * 128)
        });
        let rows = m.dialogs.rows.values();
        let (dialogs, dialog_cuts) = put_rows(in_memory_order(rows), m.dialogs.rows.len() * 320);
        let head = head(m);
        let (customers, customer_cuts) = customers.join().expect("customer encoding");
        Raw {
            sections: [head, customers, dialogs],
            cuts: [Cuts::default(), customer_cuts, dialog_cuts],
        }
    })
}

/// Boxed rows by address: they were allocated in the order they came, mostly side by side, so
/// this reads memory forwards rather than in the table's (random) order, which stalled on every
/// row (a reader waited 1.6 s for the lock instead of 1.3 at a million dialogs).
fn in_memory_order<'a, T>(rows: impl Iterator<Item = &'a T>) -> std::vec::IntoIter<&'a T> {
    let mut rows: Vec<&T> = rows.collect();
    rows.sort_unstable_by_key(|r| std::ptr::from_ref::<T>(r) as usize);
    rows.into_iter()
}

fn head(m: &ReadModel) -> Vec<u8> {
    let mut b = Vec::new();
    put(&mut b, &m.position);
    put_seq(&mut b, m.people.users.values());
    put_seq(&mut b, m.people.groups.values());
    put_seq(&mut b, m.people.sessions().iter());
    put_seq(&mut b, m.people.bots.values());
    put_seq(&mut b, m.people.given.iter());
    put_seq(&mut b, m.catalog.channels.values());
    put_seq(&mut b, m.catalog.tags.values());
    put_seq(&mut b, m.catalog.quick_replies.values());
    put_seq(&mut b, m.catalog.orders.values());
    put_seq(&mut b, m.files.by_id.values());
    put_seq(&mut b, m.outbox.pending.values());
    put_seq(&mut b, m.outbox.notices.values());
    put_seq(&mut b, m.mentions.in_order().into_iter());
    put_seq(&mut b, m.outbox.dialog_of.iter());
    put_seq(&mut b, m.outbox.by_external.iter());
    put(&mut b, &m.time_limits);
    put(&mut b, &m.calendar);
    put_seq(&mut b, m.timers.scheduled.values());
    put(&mut b, &m.foreign);
    b
}

fn read_head(mut i: Chunked) -> Result<Head, Unreadable> {
    let mut h = Head {
        position: i.take()?,
        ..Head::default()
    };
    i.each(|u| h.people.insert_user(u))?;
    i.each(|g| h.people.insert_group(g))?;
    i.each(|s| h.people.insert_session(s))?;
    i.each(|b| h.people.insert_bot(b))?;
    i.each(
        |(k, v): (
            (chatd_domain::BotId, chatd_domain::ChannelId),
            chatd_domain::UserId,
        )| {
            h.people.given.insert(k, v);
        },
    )?;
    i.each(|c| h.catalog.insert_channel(c))?;
    i.each(|t: crate::model::catalog::TagView| {
        h.catalog.tags.insert(t.id, t);
    })?;
    i.each(|q: crate::model::catalog::QuickReplyView| {
        h.catalog.quick_replies.insert(q.id, q);
    })?;
    i.each(|o: crate::model::catalog::OrderView| {
        h.catalog.orders.insert(o.id, o);
    })?;
    i.each(|f| h.files.insert(f))?;
    let mut outbox = Outbox::default();
    i.each(|p: crate::model::outbox::Pending| {
        outbox.pending.insert(p.message_id, p);
    })?;
    i.each(|n: crate::model::outbox::Notice| {
        outbox.notices.insert(n.event_id, n);
    })?;
    i.each(|m| h.mentions.insert(m))?;
    outbox.dialog_of = i.seq::<(_, _)>()?.into_iter().collect();
    outbox.by_external = i.seq::<(_, _)>()?.into_iter().collect::<HashMap<_, _>>();
    h.outbox = outbox;
    h.time_limits = i.take()?;
    h.calendar = i.take()?;
    h.scheduled = i.seq()?;
    h.foreign = i.take()?;
    i.done()?;
    Ok(h)
}

/// The read models a snapshot file holds (a copy of it in memory: tests, the bench).
pub fn decode(file: &[u8]) -> Result<ReadModel, Unreadable> {
    decode_from(&file, file.len() as u64)
}

/// The read models the snapshot file at `path` holds, read a frame at a time: the file is never
/// in memory whole, nor any section of it decompressed (P7).
pub fn decode_file(path: &std::path::Path) -> std::io::Result<Result<ReadModel, Unreadable>> {
    let file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    Ok(decode_from(&file, len))
}

fn decode_from(src: &dyn Source, len: u64) -> Result<ReadModel, Unreadable> {
    let mut header = vec![0; HEADER.min(usize::try_from(len).unwrap_or(HEADER))];
    src.read_at(&mut header, 0)
        .map_err(|_| Unreadable::Damaged("the header cannot be read"))?;
    let (whole, sections) = layout(&header, len)?;
    let frames = sections.map(|(at, len, crc)| Chunked::new(Frames::new(src, at, len, crc, whole)));
    let [head, customers, dialogs] = frames;
    // The customers on a thread of their own; beside them the head (which the dialogs' order
    // depends on), then the dialogs with their sort indexes (P7: no step waits for the other
    // thread but the last).
    let (customers, rest) = std::thread::scope(|s| {
        let customers = s.spawn(|| read_customers(customers));
        let rest = read_head(head).and_then(|head| {
            let dialogs = read_dialogs(dialogs, head.waiting())?.finish();
            Ok((head, dialogs))
        });
        (customers.join().expect("customer decoding"), rest)
    });
    let (head, dialogs) = rest?;
    Ok(head.assemble(customers?, dialogs))
}

/// Where a section is in the file: offset, length, CRC-32.
type Span = (u64, u64, u32);

/// Whether the file is of the previous container, and where its sections are, from its header
/// and its length.
fn layout(header: &[u8], file_len: u64) -> Result<(bool, [Span; SECTIONS]), Unreadable> {
    let whole = match header.get(..8) {
        Some(m) if header.len() >= HEADER && m == MAGIC => false,
        Some(m) if header.len() >= HEADER && m == MAGIC_WHOLE => true,
        _ => return Err(Unreadable::NotASnapshot),
    };
    let word = |at: usize| u32::from_le_bytes(header[at..at + 4].try_into().expect("4 bytes"));
    let format = word(8);
    if format != FORMAT {
        return Err(Unreadable::OtherFormat(format));
    }
    let mut sections = [(0, 0, 0); SECTIONS];
    let mut at = HEADER as u64;
    for (k, section) in sections.iter_mut().enumerate() {
        let entry = 12 + k * 12;
        let len = u64::from_le_bytes(header[entry..entry + 8].try_into().expect("8 bytes"));
        let end = at
            .checked_add(len)
            .filter(|end| *end <= file_len)
            .ok_or(Unreadable::Damaged("a section beyond the file"))?;
        *section = (at, len, word(entry + 8));
        at = end;
    }
    if at != file_len {
        return Err(Unreadable::Damaged("bytes after the last section"));
    }
    Ok((whole, sections))
}

fn read_customers(mut i: Chunked) -> Result<Customers, Unreadable> {
    let mut part = customers::Restoring::default();
    let n = i.count()?;
    part.reserve(n);
    i.items(n, |c| part.insert(c))?;
    i.done()?;
    Ok(part.finish())
}

fn read_dialogs(mut i: Chunked, waiting: Waiting) -> Result<DialogsPart, Unreadable> {
    let mut part = DialogsPart::new(waiting);
    let n = i.count()?;
    part.reserve(n);
    i.items(n, |d| part.insert(d))?;
    i.done()?;
    Ok(part)
}
