//! R27: notes and mentions.

use super::*;

fn note(n: u128, text: &str, mentions: Vec<UserId>) -> DialogCommand {
    DialogCommand::AddNote {
        note_id: id(n),
        text: text.into(),
        mentions,
        mentions_valid: true,
    }
}

#[test]
fn r27_a_note_changes_nothing_the_customer_or_the_counters_see() {
    let m1 = manager(1);
    let g = Given::opened()
        .then(admin(), reassign_to(m1))
        .then(m1, DialogCommand::Close);
    let g2 = g.clone_with(m1, note(500, "ask the warehouse", vec![]));
    assert_eq!(g2.0.status, DialogStatus::Closed);
    assert_eq!(g2.0.inbound_count, g.0.inbound_count);
    assert!(g2.0.messages.len() == g.0.messages.len());
    assert_eq!(
        g.when(auditor(), note(501, "x", vec![])),
        Err(DomainError::Forbidden)
    );
    assert_eq!(
        g.when(m1, note(501, " ", vec![])),
        Err(DomainError::EmptyMessage)
    );
    let invalid = DialogCommand::AddNote {
        note_id: id(501),
        text: "x".into(),
        mentions: vec![id(777)],
        mentions_valid: false,
    };
    assert!(matches!(
        g.when(m1, invalid),
        Err(DomainError::InvalidMention { .. })
    ));
}

#[test]
fn r27_no_self_mention_and_no_mention_from_sight_that_is_itself_a_mention() {
    let (m1, m2, m3) = (manager(1), manager(2), manager(3));
    let (u1, u2, u3) = (
        m1.user_id().unwrap(),
        m2.user_id().unwrap(),
        m3.user_id().unwrap(),
    );
    // m1 sees the unassigned dialog and mentions themselves: refused.
    let g = Given::opened();
    assert!(matches!(
        g.when(m1, note(500, "mine", vec![u1])),
        Err(DomainError::InvalidMention { .. })
    ));
    let g = g
        .then(admin(), reassign_to(m1))
        .then(m1, note(500, "@m2", vec![u2]));
    // m2 sees it through the mention: notes yes, mentioning others or themselves no.
    assert!(g.when(m2, note(501, "ok", vec![])).is_ok());
    for mentions in [vec![u3], vec![u2]] {
        assert_eq!(
            g.when(m2, note(501, "pass it on", mentions)),
            Err(DomainError::MentionNotAllowed)
        );
    }
}

#[test]
fn r27_a_self_mention_stored_before_it_was_refused_gives_no_sight() {
    let m1 = manager(1);
    let u1 = m1.user_id().unwrap();
    let recorded = Recorded {
        event: DialogEvent::NoteAdded {
            note_id: id(500),
            text: "mine".into(),
            mentions: vec![u1],
        },
        meta: EventMeta {
            at: T0,
            actor: m1.actor(),
        },
    };
    let d = evolve(Given::opened().0, &recorded);
    assert!(d.notes[&id(500)].open.is_empty());
    let g = Given(d).then(admin(), reassign_to(manager(2)));
    assert!(!g.0.is_visible_with_mentions(&m1));
}

#[test]
fn r27_an_open_mention_gives_sight_of_notes_until_done() {
    let (m1, m2) = (manager(1), manager(2));
    let u2 = m2.user_id().unwrap();
    let g = Given::opened().then(admin(), reassign_to(m1));
    assert!(!g.0.is_visible_with_mentions(&m2));
    assert_eq!(
        g.when(m2, note(501, "x", vec![])),
        Err(DomainError::NotFound)
    );
    let g = g.then(m1, note(500, "@m2 help?", vec![u2, u2]));
    assert_eq!(g.0.notes[&id(500)].open, vec![u2], "mentioned once");
    assert!(g.0.is_visible_with_mentions(&m2));
    assert!(g.when(m2, note(501, "on it", vec![])).is_ok());
    // Writing to the customer stays R3's: the dialog is m1's.
    assert_eq!(g.when(m2, send(200, "hi")), Err(DomainError::NotFound));
    // Only the author edits or deletes.
    let edit = DialogCommand::EditNote {
        note_id: id(500),
        text: "y".into(),
    };
    assert_eq!(g.when(m2, edit.clone()), Err(DomainError::NotAuthor));
    assert!(g.when(m1, edit).is_ok());
    let g = g.then(m2, DialogCommand::MentionDone { note_id: id(500) });
    assert!(!g.0.is_visible_with_mentions(&m2));
    assert_eq!(
        g.when(m2, DialogCommand::MentionDone { note_id: id(500) }),
        Ok(vec![]),
        "done twice: nothing"
    );
}

#[test]
fn r27_deleting_a_note_closes_its_mentions() {
    let (m1, m2) = (manager(1), manager(2));
    let g = Given::opened()
        .then(admin(), reassign_to(m1))
        .then(m1, note(500, "x", vec![m2.user_id().unwrap()]))
        .then(m1, DialogCommand::DeleteNote { note_id: id(500) });
    assert!(!g.0.is_visible_with_mentions(&m2));
    assert_eq!(
        g.when(m1, DialogCommand::DeleteNote { note_id: id(500) }),
        Ok(vec![])
    );
    let edit = DialogCommand::EditNote {
        note_id: id(500),
        text: "y".into(),
    };
    assert_eq!(g.when(m1, edit), Err(DomainError::MessageDeleted));
}
