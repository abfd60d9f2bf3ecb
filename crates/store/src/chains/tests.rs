//! The walk over hand-made logs: each way a file can be changed is one break, named.

use super::*;
use crate::hash::{chain, content_digest};
use uuid::Uuid;

/// A log of `streams` × `per_stream` events, interleaved, chained as the stores chain them.
fn log(streams: usize, per_stream: u64) -> Vec<RecordedEvent> {
    let mut prev: HashMap<String, [u8; 32]> = HashMap::new();
    let mut out = Vec::new();
    for v in 0..per_stream {
        for s in 0..streams {
            let stream = format!("dialog-{s}");
            let p = prev.get(&stream).copied().unwrap_or(GENESIS);
            let id = Uuid::new_v4();
            let data = format!("{{\"n\":{v}}}").into_bytes();
            let content = content_digest(&stream, &id, "t", 1, &data, b"{}");
            let hash = chain(&p, v, &content);
            prev.insert(stream.clone(), hash);
            out.push(RecordedEvent {
                stream,
                version: v,
                id,
                event_type: "t".into(),
                schema_version: 1,
                data,
                metadata: b"{}".to_vec(),
                position: Position::single(out.len() as u64 + 1),
                recorded_at: time::OffsetDateTime::UNIX_EPOCH,
                prev_hash: p,
                hash,
            });
        }
    }
    out
}

fn walk(events: &[RecordedEvent], kept: Option<Kept>) -> (Report, HashMap<String, Head>) {
    let mut c = Chains::new(true);
    if let Some(k) = kept {
        c = c.extending(k);
    }
    events.iter().for_each(|e| c.event(e));
    c.finish()
}

fn kept_of(events: &[RecordedEvent]) -> Kept {
    let (report, heads) = walk(events, None);
    Kept {
        position: report.last,
        heads,
    }
}

#[test]
fn an_untouched_log_is_intact_and_its_heads_are_each_streams_last_event() {
    let events = log(3, 4);
    let (report, heads) = walk(&events, None);
    assert!(report.intact(), "{:?}", report.breaks);
    assert_eq!((report.events, report.streams), (12, 3));
    assert_eq!(heads["dialog-1"].version, 3);
    assert_eq!(heads["dialog-1"].position, Position::single(11));
    let (report, _) = walk(&events, Some(kept_of(&events[..7])));
    assert!(report.intact(), "the log extends an earlier checkpoint");
}

#[test]
fn a_removed_middle_event_is_a_gap_and_a_version_break() {
    let mut events = log(2, 3);
    events.remove(2); // dialog-0 version 1, position 3
    let (report, _) = walk(&events, None);
    assert_eq!(report.total_breaks, 2, "{:?}", report.breaks);
    assert!(report.breaks[0]
        .reason
        .contains("positions 3 to 3 are missing between position 2 and position 4"));
    assert_eq!(report.breaks[1].stream.as_deref(), Some("dialog-0"));
    assert_eq!(report.breaks[1].version, Some(2));
}

#[test]
fn one_altered_event_is_one_break_and_the_chain_goes_on() {
    let mut events = log(1, 5);
    events[2].data = b"{\"n\":99}".to_vec();
    let (report, _) = walk(&events, None);
    assert_eq!(report.total_breaks, 1, "{:?}", report.breaks);
    assert!(report.breaks[0].reason.contains("altered"));
    assert_eq!(report.breaks[0].version, Some(2));
}

#[test]
fn swapped_positions_within_a_stream_are_out_of_place() {
    let mut events = log(1, 4);
    events.swap(1, 2);
    let (p1, p2) = (events[1].position, events[2].position);
    events[1].position = p2;
    events[2].position = p1;
    let (report, _) = walk(&events, None);
    assert_eq!(report.breaks.len(), 1, "first break of the stream only");
    assert!(report.total_breaks >= 2);
    assert!(report.breaks[0].reason.contains("expected version 1"));
}

#[test]
fn unreadable_rows_and_unknown_streams_are_breaks_on_a_contiguous_log() {
    let events = log(2, 2);
    let mut c = Chains::new(true);
    c.event(&events[0]);
    c.unreadable(&UnreadableRow {
        position: events[1].position,
        stream: Some(events[1].stream.clone()),
        version: Some(0),
        reason: "column data holds TEXT where chatd writes BLOB".into(),
    });
    c.event(&events[2]);
    c.event(&events[3]); // dialog-1 v1 after its unreadable v0: picked up, not broken again
    let mut stray = events[3].clone();
    stray.position = Position::single(5);
    stray.stream = "x-y".into();
    c.foreign(&stray);
    let (report, _) = c.finish();
    assert_eq!(report.total_breaks, 2, "{:?}", report.breaks);
    assert!(report.breaks[0]
        .to_string()
        .starts_with("stream dialog-1 version 0 (position 2): the row cannot be read"));
    assert!(report.breaks[1].reason.contains("chatd writes no stream"));
    let mut open = Chains::new(false);
    open.foreign(&stray);
    assert_eq!(
        open.finish().0.foreign,
        1,
        "another writer's stream on a shared store"
    );
}

#[test]
fn against_a_checkpoint_a_removed_tail_or_stream_is_named() {
    let events = log(3, 3);
    let kept = kept_of(&events);
    // The last event of dialog-1 (version 2, position 8) is gone, and so is all of dialog-2.
    let rest: Vec<_> = events
        .iter()
        .filter(|e| !(e.stream == "dialog-1" && e.version == 2) && e.stream != "dialog-2")
        .cloned()
        .collect();
    let mut c = Chains::new(false).extending(kept);
    rest.iter().for_each(|e| c.event(e));
    let (report, _) = c.finish();
    let text: Vec<String> = report.breaks.iter().map(|b| b.to_string()).collect();
    assert_eq!(report.total_breaks, 3, "{text:?}");
    assert!(
        text[0].starts_with("position 9: the log ends at position 7"),
        "{text:?}"
    );
    assert!(
        text[1].starts_with("stream dialog-1 version 2 (position 8)")
            && text[1].contains("it now ends at version 1"),
        "{text:?}"
    );
    assert!(
        text[2].starts_with("stream dialog-2 version 2 (position 9)")
            && text[2].contains("gone from the log"),
        "{text:?}"
    );
}

#[test]
fn against_a_checkpoint_the_last_events_of_the_log_cannot_vanish_unseen() {
    let events = log(1, 3);
    let kept = kept_of(&events);
    let (report, _) = walk(&events[..2], Some(kept));
    assert_eq!(report.total_breaks, 2, "{:?}", report.breaks);
    assert!(report.breaks[0]
        .reason
        .contains("the log ends at position 2, before the checkpoint's position 3"));
    assert!(report.breaks[1].reason.contains("tail was removed"));
}

#[test]
fn a_stream_forged_into_the_checkpointed_past_is_inserted() {
    let events = log(2, 2);
    let kept = kept_of(&events[..2]); // dialog-0 v0 and dialog-1 v0
    let mut forged = log(3, 1);
    forged.truncate(3);
    // dialog-2's first event claims position 2, inside the checkpoint.
    let mut c = Chains::new(false).extending(kept);
    c.event(&events[0]);
    let mut f = forged[2].clone();
    f.position = Position {
        commit: 1,
        prepare: 9,
    };
    c.event(&f);
    c.event(&events[1]);
    let (report, _) = c.finish();
    assert_eq!(report.total_breaks, 1, "{:?}", report.breaks);
    assert!(report.breaks[0].reason.contains("inserted"));
}

#[test]
fn the_heads_root_is_order_free_and_moves_with_every_field() {
    let h = |v: u64, b: u8, p: u64| Head {
        version: v,
        hash: [b; 32],
        position: Position::single(p),
    };
    let empty: [u8; 32] = Sha256::digest([]).into();
    assert_eq!(merkle_root(std::iter::empty()), empty);
    let heads = [("a", h(1, 1, 5)), ("b", h(2, 2, 6)), ("c", h(0, 3, 7))];
    let root = merkle_root(heads.iter().map(|(s, h)| (*s, h)));
    assert_eq!(root, merkle_root(heads.iter().rev().map(|(s, h)| (*s, h))));
    assert_eq!(root, {
        // RFC 6962 for three leaves: H(1 ‖ H(1 ‖ a ‖ b) ‖ c).
        let node = |l: [u8; 32], r: [u8; 32]| -> [u8; 32] {
            let mut d = Sha256::new();
            d.update([1u8]);
            d.update(l);
            d.update(r);
            d.finalize().into()
        };
        let l: Vec<_> = heads.iter().map(|(s, h)| leaf(s, h)).collect();
        node(node(l[0], l[1]), l[2])
    });
    for changed in [
        [("a", h(1, 1, 5)), ("b", h(3, 2, 6)), ("c", h(0, 3, 7))],
        [("a", h(1, 1, 5)), ("b", h(2, 9, 6)), ("c", h(0, 3, 7))],
        [("a", h(1, 1, 5)), ("b", h(2, 2, 8)), ("c", h(0, 3, 7))],
        [("a", h(1, 1, 5)), ("bb", h(2, 2, 6)), ("c", h(0, 3, 7))],
    ] {
        assert_ne!(merkle_root(changed.iter().map(|(s, h)| (*s, h))), root);
    }
    assert_ne!(merkle_root(heads[..2].iter().map(|(s, h)| (*s, h))), root);
}
