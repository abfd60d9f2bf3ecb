//! The seed's scenarios over HTTP, rule by rule.

use chatd_tests::{ids, spawn_app};
use serde_json::json;

#[tokio::test]
async fn r1_first_message_opens_a_dialog_with_the_customers_source() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (channel, transport) = app.channel(&admin, "telegram").await;
    let first = app
        .inbound(&transport, "chat-1", "ann", "m1", "Hello!")
        .await;
    assert_eq!(first.status, 200, "{first:?}");
    let dialog = first.body["dialog_id"].as_str().unwrap();
    let detail = app.detail(&admin, dialog, Some(&first.position())).await;
    assert_eq!(detail.status, 200, "{detail:?}");
    assert_eq!(detail.body["status"], "open");
    assert_eq!(detail.body["channel"]["id"], channel.as_str());
    assert_eq!(detail.body["channel"]["type"], "telegram");
    let card = &detail.body["customer_card"];
    assert_eq!(card["name"], "Customer ann");
    assert_eq!(card["source"]["channel_id"], channel.as_str());
    assert_eq!(card["source"]["channel_type"], "telegram");
    assert_eq!(card["source"]["utm"]["source"], "ads");
    assert_eq!(detail.body["last_message"]["text"], "Hello!");
    assert_eq!(detail.body["last_message"]["author_type"], "customer");
    // The next message of the same chat lands in the same dialog.
    let second = app
        .inbound(&transport, "chat-1", "ann", "m2", "Anyone?")
        .await;
    assert_eq!(second.body["dialog_id"], dialog);
    app.stop().await;
}

#[tokio::test]
async fn r1_the_same_inbound_message_posted_20_times_concurrently_is_stored_once() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "whatsapp_business").await;
    let posts: Vec<_> = (0..20)
        .map(|_| app.inbound(&transport, "chat-x", "bob", "wamid.1", "once"))
        .collect();
    let answers = futures_join_all(posts).await;
    let dialog = answers[0].body["dialog_id"].clone();
    let message = answers[0].body["message_id"].clone();
    for a in &answers {
        assert_eq!(a.status, 200, "{a:?}");
        assert_eq!(a.body["dialog_id"], dialog);
        assert_eq!(a.body["message_id"], message);
    }
    let max_pos = answers
        .iter()
        .map(|a| a.position().parse::<u64>().unwrap())
        .max()
        .unwrap();
    let timeline = app
        .call(
            "GET",
            &format!(
                "/api/v1/dialogs/{}/timeline?min_position={max_pos}",
                dialog.as_str().unwrap()
            ),
            Some(&admin),
            None,
        )
        .await;
    let messages: Vec<_> = timeline.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "message")
        .collect();
    assert_eq!(messages.len(), 1, "{timeline:?}");
    app.stop().await;
}

async fn futures_join_all<F: std::future::Future>(fs: Vec<F>) -> Vec<F::Output> {
    let mut set = Vec::new();
    for f in fs {
        set.push(f);
    }
    let mut out = Vec::new();
    // Poll them all concurrently on this task.
    let mut pinned: Vec<_> = set.into_iter().map(Box::pin).collect();
    let mut done: Vec<Option<F::Output>> = (0..pinned.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in pinned.iter_mut().enumerate() {
            if done[i].is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => done[i] = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    out.extend(done.into_iter().map(Option::unwrap));
    out
}

#[tokio::test]
async fn r2_a_manager_loses_a_reassigned_dialog_while_an_admin_still_sees_it() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    let (m1, t1) = app.user(&admin, "m1", "manager", &[]).await;
    let (m2, t2) = app.user(&admin, "m2", "manager", &[]).await;
    let dialog = app.dialog(&transport, "c1", "hi").await;
    let take = app.reassign(&t1, &dialog, &m1).await;
    assert_eq!(
        take.status, 200,
        "a manager takes an unassigned dialog: {take:?}"
    );
    let away = app.reassign(&t1, &dialog, &m2).await;
    assert_eq!(away.status, 200, "{away:?}");
    let pos = away.position();
    for path in [
        format!("/api/v1/dialogs/{dialog}"),
        format!("/api/v1/dialogs/{dialog}/timeline"),
    ] {
        let lost = app
            .call(
                "GET",
                &format!("{path}?min_position={pos}"),
                Some(&t1),
                None,
            )
            .await;
        assert_eq!((lost.status, lost.code()), (404, "not_found"), "{path}");
        assert_eq!(
            app.call(
                "GET",
                &format!("{path}?min_position={pos}"),
                Some(&admin),
                None
            )
            .await
            .status,
            200
        );
        assert_eq!(
            app.call(
                "GET",
                &format!("{path}?min_position={pos}"),
                Some(&t2),
                None
            )
            .await
            .status,
            200
        );
    }
    let list = app
        .call(
            "GET",
            &format!("/api/v1/dialogs?min_position={pos}"),
            Some(&t1),
            None,
        )
        .await;
    assert!(!ids(&list.body).contains(&dialog));
    let send = app.send(&t1, &dialog, "still here?").await;
    // R32 (was 403 `not_responsible` before R32): the dialog is gone from m1's sight, and a
    // write answers like every other route, without telling that it exists.
    assert_eq!((send.status, send.code()), (404, "not_found"));
    // The timeline records who reassigned from whom to whom.
    let tl = app
        .call(
            "GET",
            &format!("/api/v1/dialogs/{dialog}/timeline"),
            Some(&admin),
            None,
        )
        .await;
    let reassigned: Vec<_> = tl.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event"] == "reassigned")
        .collect();
    assert_eq!(reassigned.len(), 2);
    assert_eq!(reassigned[0]["by"]["id"], m1.as_str());
    assert_eq!(reassigned[0]["from"]["id"], m1.as_str());
    assert_eq!(reassigned[0]["to"]["id"], m2.as_str());
    assert_eq!(reassigned[0]["to"]["name"], "M2");
    app.stop().await;
}

#[tokio::test]
async fn r2_r4_a_closed_dialog_reassigned_stays_closed_and_reopens_on_a_customer_message() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "livechat").await;
    let (m1, _) = app.user(&admin, "m1", "manager", &[]).await;
    let dialog = app.dialog(&transport, "c1", "hi").await;
    let close = app
        .call(
            "POST",
            &format!("/api/v1/dialogs/{dialog}/close"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(close.status, 200);
    let again = app
        .call(
            "POST",
            &format!("/api/v1/dialogs/{dialog}/close"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(again.status, 200, "re-closing is a no-op, not an error");
    let r = app.reassign(&admin, &dialog, &m1).await;
    let d = app.detail(&admin, &dialog, Some(&r.position())).await;
    assert_eq!(d.body["status"], "closed");
    assert_eq!(d.body["responsible"]["id"], m1.as_str());
    let back = app
        .inbound(&transport, "c1", "cust-c1", "later", "I'm back")
        .await;
    assert_eq!(back.body["dialog_id"], dialog.as_str());
    let d = app.detail(&admin, &dialog, Some(&back.position())).await;
    assert_eq!(d.body["status"], "open");
    app.stop().await;
}

#[tokio::test]
async fn r3_a_manager_writing_into_an_unassigned_dialog_becomes_responsible() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    let (m1, t1) = app.user(&admin, "m1", "manager", &[]).await;
    let (_, t2) = app.user(&admin, "m2", "manager", &[]).await;
    let dialog = app.dialog(&transport, "c1", "hi").await;
    let sent = app.send(&t1, &dialog, "Hello, how can I help?").await;
    assert_eq!(sent.status, 201, "{sent:?}");
    assert_eq!(sent.body["status"], "queued");
    assert_eq!(sent.body["author"]["id"], m1.as_str());
    assert_eq!(sent.body["dialog_id"], dialog.as_str());
    let d = app.detail(&admin, &dialog, Some(&sent.position())).await;
    assert_eq!(d.body["responsible"]["id"], m1.as_str());
    let other = app.send(&t2, &dialog, "me too").await;
    // R32: m2 cannot see m1's dialog any more, so 404 (403 before R32).
    assert_eq!((other.status, other.code()), (404, "not_found"));
    // R3 still holds where the writer sees the dialog: a manager with dialogs.view_all.
    let group = app
        .call(
            "POST",
            "/api/v1/groups",
            Some(&admin),
            Some(json!({"name": "viewers", "rights": ["dialogs.view_all"]})),
        )
        .await;
    let group = group.body["id"].as_str().unwrap().to_owned();
    let (_, viewer) = app.user(&admin, "viewer", "manager", &[&group]).await;
    let seen = app.send(&viewer, &dialog, "me three").await;
    assert_eq!((seen.status, seen.code()), (403, "not_responsible"));
    app.stop().await;
}

#[tokio::test]
async fn r5_mark_unread_affects_only_its_user() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    let (_, chat_admin) = app.user(&admin, "lead", "chat_admin", &[]).await;
    let dialog = app.dialog(&transport, "c1", "hi").await;
    for t in [&admin, &chat_admin] {
        let r = app
            .call(
                "POST",
                &format!("/api/v1/dialogs/{dialog}/read"),
                Some(t),
                None,
            )
            .await;
        assert_eq!(r.status, 200);
    }
    let mark = app
        .call(
            "POST",
            &format!("/api/v1/dialogs/{dialog}/unread"),
            Some(&chat_admin),
            None,
        )
        .await;
    let pos = mark.position();
    let lead = app
        .call(
            "GET",
            &format!("/api/v1/dialogs/{dialog}?min_position={pos}"),
            Some(&chat_admin),
            None,
        )
        .await;
    assert_eq!(lead.body["marked_unread"], true);
    let adm = app
        .call(
            "GET",
            &format!("/api/v1/dialogs/{dialog}?min_position={pos}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(adm.body["marked_unread"], false);
    assert_eq!(adm.body["unread_count"], 0);
    let c_lead = app
        .call(
            "GET",
            "/api/v1/dialogs/unread-count",
            Some(&chat_admin),
            None,
        )
        .await;
    let c_admin = app
        .call("GET", "/api/v1/dialogs/unread-count", Some(&admin), None)
        .await;
    assert_eq!(c_lead.body["dialogs"], 1);
    assert_eq!(c_admin.body["dialogs"], 0);
    // Reading clears the mark.
    let r = app
        .call(
            "POST",
            &format!("/api/v1/dialogs/{dialog}/read"),
            Some(&chat_admin),
            None,
        )
        .await;
    let c = app
        .call(
            "GET",
            &format!("/api/v1/dialogs/unread-count?min_position={}", r.position()),
            Some(&chat_admin),
            None,
        )
        .await;
    assert_eq!(c.body["dialogs"], 0);
    // A new customer message is unread for both again.
    let m = app
        .inbound(&transport, "c1", "cust-c1", "m-next", "more")
        .await;
    for t in [&admin, &chat_admin] {
        let c = app
            .call(
                "GET",
                &format!("/api/v1/dialogs/unread-count?min_position={}", m.position()),
                Some(t),
                None,
            )
            .await;
        assert_eq!(c.body["dialogs"], 1);
        let d = app.detail(t, &dialog, None).await;
        assert_eq!(d.body["unread_count"], 1);
    }
    app.stop().await;
}

#[tokio::test]
async fn r13_bulk_delete_needs_the_right_and_hides_the_dialogs() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    let (_, lead) = app.user(&admin, "lead", "chat_admin", &[]).await;
    let group = app
        .call(
            "POST",
            "/api/v1/groups",
            Some(&admin),
            Some(json!({"name": "cleaners", "rights": ["dialogs.delete"]})),
        )
        .await;
    assert_eq!(group.status, 201, "{group:?}");
    let group_id = group.body["id"].as_str().unwrap().to_owned();
    let (_, cleaner) = app
        .user(&admin, "cleaner", "chat_admin", &[&group_id])
        .await;
    let a = app.dialog(&transport, "a", "hi").await;
    let b = app.dialog(&transport, "b", "hi").await;
    let c = app.dialog(&transport, "c", "hi").await;
    let denied = app
        .call(
            "POST",
            "/api/v1/dialogs/delete",
            Some(&lead),
            Some(json!({"ids": [a, b]})),
        )
        .await;
    assert_eq!((denied.status, denied.code()), (403, "missing_right"));
    let done = app
        .call(
            "POST",
            "/api/v1/dialogs/delete",
            Some(&cleaner),
            Some(json!({"ids": [a, b]})),
        )
        .await;
    assert_eq!(done.status, 200, "{done:?}");
    assert_eq!(done.body["items"][0]["result"], "deleted");
    let pos = done.position();
    let list = app
        .call(
            "GET",
            &format!("/api/v1/dialogs?status=all&min_position={pos}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(ids(&list.body), vec![c]);
    let gone = app.detail(&admin, &a, None).await;
    assert_eq!(gone.status, 404);
    // A new message in the deleted dialog's chat opens a new dialog.
    let again = app
        .inbound(&transport, "a", "cust-a", "after-delete", "hello again")
        .await;
    assert_eq!(again.status, 200);
    assert_ne!(again.body["dialog_id"], a.as_str());
    app.stop().await;
}

#[tokio::test]
async fn writes_survive_a_restart_and_the_read_models_rebuild_from_the_log() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    let dialog = app.dialog(&transport, "c1", "before restart").await;
    let dir = app.stop().await;
    let app = chatd_tests::spawn_app_in(dir).await;
    let admin = app.admin().await;
    let d = app.detail(&admin, &dialog, None).await;
    assert_eq!(d.status, 200);
    assert_eq!(d.body["last_message"]["text"], "before restart");
    let again = app
        .inbound(&transport, "c1", "cust-c1", "after", "after restart")
        .await;
    assert_eq!(
        again.body["dialog_id"],
        dialog.as_str(),
        "the transport token and dialog survive"
    );
    app.stop().await;
}
