//! The auditor's walk over a scan of the whole log (R29): every chained stream's hash chain, the
//! holes in a contiguous log, rows that cannot be read, and, when given a checkpoint an auditor
//! kept, whether the log still extends it. It never stops at a break: it reports the first break
//! of each stream (and of the log's own order), counts them all, and picks the chain up again
//! from what is stored so one edit is one break, not a cascade.
//!
//! The heads it ends with (each stream's last version, hash and position) are what a checkpoint
//! commits to, through [`merkle_root`].

use crate::hash::{hex, recompute, GENESIS};
use crate::{Position, RecordedEvent, UnreadableRow};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::fmt;

/// Breaks listed in a report; beyond it they are only counted (a wrecked file stays cheap).
pub const LISTED_BREAKS: usize = 1000;

/// A stream's last event: what a checkpoint keeps of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    pub version: u64,
    pub hash: [u8; 32],
    pub position: Position,
}

/// Where the log is not what chatd wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    pub position: Option<Position>,
    pub stream: Option<String>,
    pub version: Option<u64>,
    pub reason: String,
}

impl fmt::Display for Break {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut place = Vec::new();
        if let Some(s) = &self.stream {
            place.push(format!("stream {s}"));
        }
        if let Some(v) = self.version {
            place.push(format!("version {v}"));
        }
        match (self.position, place.is_empty()) {
            (Some(p), true) => place.push(format!("position {p}")),
            (Some(p), false) => place.push(format!("(position {p})")),
            (None, _) => {}
        }
        write!(f, "{}: {}", place.join(" "), self.reason)
    }
}

/// A checkpoint's content, once its signature has been checked by the caller.
#[derive(Debug, Clone, Default)]
pub struct Kept {
    pub position: Option<Position>,
    pub heads: HashMap<String, Head>,
}

/// What a walk found.
#[derive(Debug, Default)]
pub struct Report {
    /// Events of chained streams.
    pub events: u64,
    pub streams: u64,
    /// Events of streams chatd does not chain (on a store others write to as well).
    pub foreign: u64,
    /// The last position scanned.
    pub last: Option<Position>,
    /// The first break of each stream and of the log's order, in the order found (at most
    /// [`LISTED_BREAKS`]).
    pub breaks: Vec<Break>,
    /// Every break found.
    pub total_breaks: u64,
}

impl Report {
    pub fn intact(&self) -> bool {
        self.total_breaks == 0
    }
}

#[derive(Debug)]
pub struct Chains {
    contiguous: bool,
    heads: HashMap<String, Head>,
    /// Streams whose last row could not be read: their next event starts the chain again.
    lost: HashSet<String>,
    /// Streams (and `None`: the log's order) already given their first break.
    reported: HashSet<Option<String>>,
    kept: Option<Kept>,
    seen: HashSet<String>,
    report: Report,
}

impl Chains {
    /// `contiguous`: the store's positions are 1, 2, 3, … (see `EventStore::contiguous_positions`).
    pub fn new(contiguous: bool) -> Self {
        Chains {
            contiguous,
            heads: HashMap::new(),
            lost: HashSet::new(),
            reported: HashSet::new(),
            kept: None,
            seen: HashSet::new(),
            report: Report::default(),
        }
    }

    /// Also check that the log extends `kept` (a checkpoint an auditor kept).
    pub fn extending(mut self, kept: Kept) -> Self {
        self.kept = Some(kept);
        self
    }

    pub fn heads(&self) -> &HashMap<String, Head> {
        &self.heads
    }

    pub fn report(&self) -> &Report {
        &self.report
    }

    fn broken(&mut self, stream: Option<&str>, b: Break) {
        self.report.total_breaks += 1;
        if self.report.breaks.len() < LISTED_BREAKS
            && self.reported.insert(stream.map(str::to_owned))
        {
            self.report.breaks.push(b);
        }
    }

    fn place(&mut self, position: Position) {
        let last = self.report.last.replace(position);
        if !self.contiguous {
            return;
        }
        let expected = last.map_or(1, |p| p.commit + 1);
        if position.commit != expected {
            let before = last.map_or("the start of the log".to_owned(), |p| {
                format!("position {p}")
            });
            self.broken(
                None,
                Break {
                    position: Some(position),
                    stream: None,
                    version: None,
                    reason: if position.commit > expected {
                        format!(
                            "positions {expected} to {} are missing between {before} and position {position}: events were removed",
                            position.commit - 1
                        )
                    } else {
                        format!("follows {before}: the log's positions are out of order")
                    },
                },
            );
        }
    }

    /// A row that could not be read as an event.
    pub fn unreadable(&mut self, row: &UnreadableRow) {
        self.place(row.position);
        if let Some(stream) = &row.stream {
            self.heads.remove(stream);
            self.lost.insert(stream.clone());
        }
        self.broken(
            row.stream.as_deref(),
            Break {
                position: Some(row.position),
                stream: row.stream.clone(),
                version: row.version,
                reason: format!("the row cannot be read: {}", row.reason),
            },
        );
    }

    /// An event of a stream chatd does not chain: counted, unless the store is chatd's alone.
    pub fn foreign(&mut self, e: &RecordedEvent) {
        self.place(e.position);
        if self.contiguous {
            self.broken(
                Some(&e.stream),
                at(
                    e,
                    "chatd writes no stream of this name: the row was added".into(),
                ),
            );
        } else {
            self.report.foreign += 1;
        }
    }

    /// An event of a chained stream.
    pub fn event(&mut self, e: &RecordedEvent) {
        self.place(e.position);
        let previous = self.heads.get(&e.stream).copied();
        let lost = !self.lost.is_empty() && self.lost.remove(&e.stream);
        if !lost {
            let (expected_version, expected_prev) =
                previous.map_or((0, GENESIS), |h| (h.version + 1, h.hash));
            if e.version != expected_version {
                self.broken(
                    Some(&e.stream),
                    at(
                        e,
                        format!(
                            "expected version {expected_version}: an event is missing or out of place"
                        ),
                    ),
                );
            } else if e.prev_hash != expected_prev {
                self.broken(
                    Some(&e.stream),
                    at(
                        e,
                        "its link to the previous event does not match that event's hash".into(),
                    ),
                );
            }
        }
        if recompute(e) != e.hash {
            self.broken(
                Some(&e.stream),
                at(
                    e,
                    "its content does not match its hash: the event was altered".into(),
                ),
            );
        }
        self.against_checkpoint(e);
        if previous.is_none() {
            self.report.streams += 1;
        }
        self.report.events += 1;
        // Pick the chain up from what is stored: the next event is judged against this one.
        let head = Head {
            version: e.version,
            hash: e.hash,
            position: e.position,
        };
        match self.heads.get_mut(&e.stream) {
            Some(h) => *h = head,
            None => {
                self.heads.insert(e.stream.clone(), head);
            }
        }
    }

    /// A break the caller found in an event already walked (one that does not decode).
    pub fn flag(&mut self, e: &RecordedEvent, reason: String) {
        self.broken(Some(&e.stream), at(e, reason));
    }

    fn against_checkpoint(&mut self, e: &RecordedEvent) {
        let Some(kept) = &self.kept else { return };
        let covered = kept.position.is_some_and(|p| e.position <= p);
        let reason = match kept.heads.get(&e.stream) {
            Some(h) if e.version == h.version => {
                self.seen.insert(e.stream.clone());
                if e.hash != h.hash {
                    Some(format!(
                        "the checkpoint kept this version with hash {}; it now hashes to {}: rewritten since",
                        hex(&h.hash),
                        hex(&e.hash)
                    ))
                } else if e.position != h.position {
                    Some(format!(
                        "the checkpoint kept this version at position {}: moved since",
                        h.position
                    ))
                } else {
                    None
                }
            }
            Some(h) if e.version < h.version && !covered => Some(format!(
                "the checkpoint's head of this stream (version {}) is at position {}, yet this earlier version now comes after the checkpoint: moved",
                h.version, h.position
            )),
            Some(h) if e.version > h.version && covered => Some(format!(
                "after the checkpoint's head of this stream (version {}) yet within the checkpoint: inserted",
                h.version
            )),
            None if covered => {
                Some("the checkpoint has no such stream, yet this event lies within it: inserted".into())
            }
            _ => None,
        };
        if let Some(reason) = reason {
            self.broken(Some(&e.stream), at(e, reason));
        }
    }

    /// The end of the scan: what the checkpoint kept and the log no longer holds.
    pub fn finish(mut self) -> (Report, HashMap<String, Head>) {
        if let Some(kept) = self.kept.take() {
            if let Some(p) = kept.position {
                if self.report.last.is_none_or(|last| last < p) {
                    let ends = self.report.last.map_or("the log is empty".to_owned(), |l| {
                        format!("the log ends at position {l}")
                    });
                    self.broken(
                        None,
                        Break {
                            position: Some(p),
                            stream: None,
                            version: None,
                            reason: format!("{ends}, before the checkpoint's position {p}: its last events were removed"),
                        },
                    );
                }
            }
            let mut missing: Vec<_> = kept
                .heads
                .iter()
                .filter(|(s, _)| !self.seen.contains(*s))
                .collect();
            missing.sort_by_key(|(_, h)| h.position);
            for (stream, h) in missing {
                let reason = match self.heads.get(stream) {
                    Some(now) => format!(
                        "the checkpoint kept this stream up to version {} (position {}); it now ends at version {}: its tail was removed",
                        h.version, h.position, now.version
                    ),
                    None => format!(
                        "the checkpoint kept this stream up to version {} (position {}); it is gone from the log: the stream was removed",
                        h.version, h.position
                    ),
                };
                self.broken(
                    Some(stream),
                    Break {
                        position: Some(h.position),
                        stream: Some(stream.clone()),
                        version: Some(h.version),
                        reason,
                    },
                );
            }
        }
        (self.report, self.heads)
    }
}

fn at(e: &RecordedEvent, reason: String) -> Break {
    Break {
        position: Some(e.position),
        stream: Some(e.stream.clone()),
        version: Some(e.version),
        reason,
    }
}

/// A leaf of the heads tree: `SHA-256(0x00 ‖ u64 len ‖ stream ‖ u64 version ‖ hash ‖ u64 commit
/// ‖ u64 prepare)`, integers big-endian.
pub fn leaf(stream: &str, h: &Head) -> [u8; 32] {
    let mut d = Sha256::new();
    d.update([0u8]);
    d.update((stream.len() as u64).to_be_bytes());
    d.update(stream.as_bytes());
    d.update(h.version.to_be_bytes());
    d.update(h.hash);
    d.update(h.position.commit.to_be_bytes());
    d.update(h.position.prepare.to_be_bytes());
    d.finalize().into()
}

/// The Merkle tree hash of RFC 6962 (§2.1) over the heads sorted by stream name (bytewise):
/// an inner node is `SHA-256(0x01 ‖ left ‖ right)`, split at the largest power of two below
/// the count; no heads at all hash to `SHA-256("")`.
pub fn merkle_root<'a>(heads: impl IntoIterator<Item = (&'a str, &'a Head)>) -> [u8; 32] {
    let mut sorted: Vec<(&str, &Head)> = heads.into_iter().collect();
    sorted.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    merkle_root_sorted(&sorted)
}

/// [`merkle_root`] of heads already sorted by stream name (bytewise).
pub fn merkle_root_sorted(sorted: &[(&str, &Head)]) -> [u8; 32] {
    debug_assert!(sorted
        .windows(2)
        .all(|w| w[0].0.as_bytes() < w[1].0.as_bytes()));
    let leaves: Vec<[u8; 32]> = sorted.iter().map(|(s, h)| leaf(s, h)).collect();
    tree(&leaves)
}

fn tree(leaves: &[[u8; 32]]) -> [u8; 32] {
    match leaves.len() {
        0 => Sha256::digest([]).into(),
        1 => leaves[0],
        n => {
            let k = n.next_power_of_two() / 2;
            let mut d = Sha256::new();
            d.update([1u8]);
            d.update(tree(&leaves[..k]));
            d.update(tree(&leaves[k..]));
            d.finalize().into()
        }
    }
}

#[cfg(test)]
mod tests;
