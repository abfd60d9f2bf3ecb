//! R15/R16: the dialog list's filters, sorts, cursors and facets.

use chatd_tests::{ids, spawn_app, TestApp};
use serde_json::{json, Value};

async fn tag(app: &TestApp, token: &str, name: &str, color: &str) -> String {
    let t = app
        .call(
            "POST",
            "/api/v1/tags",
            Some(token),
            Some(json!({"name": name, "color": color})),
        )
        .await;
    assert_eq!(t.status, 201, "{t:?}");
    t.body["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn r16_tag_filters_combine_with_and_and_facets_count_by_tag() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    let vip = tag(&app, &admin, "VIP", "purple").await;
    let wholesale = tag(&app, &admin, "wholesale", "green").await;
    let both = app.dialog(&transport, "both", "hi").await;
    let only_vip = app.dialog(&transport, "vip", "hi").await;
    let none = app.dialog(&transport, "none", "hi").await;
    let mut last = String::new();
    for (dialog, tags) in [
        (&both, vec![(&vip, true), (&wholesale, false)]),
        (&only_vip, vec![(&vip, false)]),
    ] {
        let customer = app.customer_of(&admin, dialog).await;
        for (t, pinned) in tags {
            let a = app
                .call(
                    "POST",
                    &format!("/api/v1/customers/{customer}/tags"),
                    Some(&admin),
                    Some(json!({"tag_id": t, "pinned": pinned})),
                )
                .await;
            assert_eq!(a.status, 200, "{a:?}");
            last = a.position();
        }
    }
    let q = |query: String| {
        let (app, admin) = (&app, &admin);
        let last = last.clone();
        async move {
            app.call(
                "GET",
                &format!("/api/v1/dialogs?{query}&min_position={last}"),
                Some(admin),
                None,
            )
            .await
        }
    };
    let mut and = ids(&q(format!("tags={vip},{wholesale}")).await.body);
    and.sort();
    assert_eq!(and, vec![both.clone()], "AND, not OR");
    let mut one = ids(&q(format!("tags={vip}")).await.body);
    one.sort();
    let mut expected = vec![both.clone(), only_vip.clone()];
    expected.sort();
    assert_eq!(one, expected);
    assert_eq!(
        ids(&q("no_tags=true".into()).await.body),
        vec![none.clone()]
    );
    assert_eq!(
        ids(&q(format!("tags={vip}&pinned_only=true")).await.body),
        vec![both.clone()],
        "only where VIP is pinned"
    );
    // Free text with tags: the name's holders must still hold every tag (the customer read
    // only for pinned tags or none).
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(
        ids(&q(format!("q=cust-vip&tags={vip},{wholesale}")).await.body),
        Vec::<String>::new()
    );
    assert_eq!(
        ids(&q(format!("q=customer&tags={wholesale}")).await.body),
        vec![both.clone()]
    );
    assert_eq!(
        sorted(ids(&q(format!("q=customer&tags={vip}")).await.body)),
        expected
    );
    assert_eq!(
        ids(&q(format!("q=cust&tags={vip}&pinned_only=true")).await.body),
        vec![both.clone()]
    );
    assert_eq!(
        ids(&q("q=customer&no_tags=true".into()).await.body),
        vec![none.clone()]
    );
    let row = q(format!("tags={vip},{wholesale}")).await;
    assert_eq!(
        row.body["items"][0]["customer"]["pinned_tags"][0]["name"],
        "VIP"
    );
    assert_eq!(
        row.body["items"][0]["customer"]["pinned_tags"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let bad = app
        .call(
            "GET",
            &format!("/api/v1/dialogs?tags={vip}&no_tags=true"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(bad.status, 400);

    let facets = app
        .call("GET", "/api/v1/dialogs/facets", Some(&admin), None)
        .await;
    assert_eq!(facets.status, 200, "{facets:?}");
    let tags = facets.body["tags"].as_array().unwrap();
    assert_eq!(tags[0]["name"], "VIP");
    assert_eq!(tags[0]["dialogs"], 2);
    assert_eq!(tags[1]["name"], "wholesale");
    assert_eq!(tags[1]["dialogs"], 1);
    assert_eq!(facets.body["bots"], Value::Null, "no bot, no bot filter");
    assert_eq!(facets.body["unassigned"], 3);
    let pinned = app
        .call(
            "GET",
            "/api/v1/dialogs/facets?pinned_only=true",
            Some(&admin),
            None,
        )
        .await;
    let tags = pinned.body["tags"].as_array().unwrap();
    assert_eq!(tags.len(), 1);
    assert_eq!(tags[0]["dialogs"], 1);
    app.stop().await;
}

#[tokio::test]
async fn r15_processing_order_puts_the_most_urgent_waiting_dialog_first() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    let (_, slow_transport) = app.channel(&admin, "facebook").await;
    let unavailable = app
        .call(
            "GET",
            "/api/v1/dialogs?sort=processing_order",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(
        (unavailable.status, unavailable.code()),
        (400, "sort_unavailable")
    );

    let first = app.dialog(&transport, "first", "waiting longest").await;
    let answered = app.dialog(&transport, "answered", "answered already").await;
    let second = app.dialog(&transport, "second", "waiting too").await;
    let other_channel = app
        .dialog(&slow_transport, "fb", "on a channel with a long limit")
        .await;
    let reply = app.send(&admin, &answered, "done").await;
    assert_eq!(reply.status, 201);
    let fb_channel = {
        let d = app.detail(&admin, &other_channel, None).await;
        d.body["channel"]["id"].as_str().unwrap().to_owned()
    };
    let limits = app
        .call(
            "PUT",
            "/api/v1/settings/time-limits",
            Some(&admin),
            Some(json!({"default": {"warning_after": 60, "limit": 300}, "channels": {fb_channel: {"warning_after": 600, "limit": 3600}}})),
        )
        .await;
    assert_eq!(limits.status, 200, "{limits:?}");
    let list = app
        .call(
            "GET",
            &format!(
                "/api/v1/dialogs?sort=processing_order&min_position={}",
                limits.position()
            ),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(list.status, 200, "{list:?}");
    assert_eq!(
        ids(&list.body),
        vec![
            first.clone(),
            second.clone(),
            other_channel.clone(),
            answered.clone()
        ]
    );
    let top = &list.body["items"][0];
    assert_eq!(top["waiting_level"], "none");
    assert!(top["reply_deadline"].is_string());
    assert_eq!(
        list.body["items"][3]["reply_deadline"],
        Value::Null,
        "answered: not waiting"
    );
    // Default sort: last activity, newest first.
    let by_activity = app.call("GET", "/api/v1/dialogs", Some(&admin), None).await;
    assert_eq!(ids(&by_activity.body)[0], answered);
    let got = app
        .call("GET", "/api/v1/settings/time-limits", Some(&admin), None)
        .await;
    assert_eq!(got.body["default"]["limit"], 300);
    // R15: reassigning a waiting dialog does not reset its clock.
    let deadline = top["reply_deadline"].clone();
    let (m1, _) = app.user(&admin, "m1", "manager", &[]).await;
    let moved = app.reassign(&admin, &first, &m1).await;
    assert_eq!(moved.status, 200);
    let after = app
        .call(
            "GET",
            &format!(
                "/api/v1/dialogs?sort=processing_order&min_position={}",
                moved.position()
            ),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(after.body["items"][0]["id"], first.as_str());
    assert_eq!(after.body["items"][0]["reply_deadline"], deadline);
    app.stop().await;
}

#[tokio::test]
async fn r16_responsible_channel_and_last_message_filters_and_cursor_paging() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (telegram, transport) = app.channel(&admin, "telegram").await;
    let (_, other) = app.channel(&admin, "instagram").await;
    let (m1, t1) = app.user(&admin, "m1", "manager", &[]).await;
    let mut all = Vec::new();
    for i in 0..7 {
        all.push(app.dialog(&transport, &format!("t{i}"), "hi").await);
    }
    let insta = app.dialog(&other, "insta", "hi").await;
    let mine = &all[2];
    let r = app.send(&t1, mine, "mine now").await;
    let pos = r.position();
    let me = app
        .call(
            "GET",
            &format!("/api/v1/dialogs?responsible=me&min_position={pos}"),
            Some(&t1),
            None,
        )
        .await;
    assert_eq!(ids(&me.body), vec![mine.clone()]);
    let by_id = app
        .call(
            "GET",
            &format!("/api/v1/dialogs?responsible=user:{m1}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(ids(&by_id.body), vec![mine.clone()]);
    let unassigned = app
        .call(
            "GET",
            "/api/v1/dialogs?responsible=unassigned",
            Some(&t1),
            None,
        )
        .await;
    assert_eq!(ids(&unassigned.body).len(), 7);
    let managers_last = app
        .call(
            "GET",
            "/api/v1/dialogs?last_message=manager",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(ids(&managers_last.body), vec![mine.clone()]);
    let tg = app
        .call(
            "GET",
            &format!("/api/v1/dialogs?channel={telegram}"),
            Some(&admin),
            None,
        )
        .await;
    assert!(!ids(&tg.body).contains(&insta));
    assert_eq!(ids(&tg.body).len(), 7);
    let named = app
        .call(
            "GET",
            "/api/v1/dialogs?q=customer%20cust-t3",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(ids(&named.body), vec![all[3].clone()]);

    // Paging: three pages of 3 cover all 8 dialogs once, newest first.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            None => "/api/v1/dialogs?limit=3".to_owned(),
            Some(c) => format!("/api/v1/dialogs?limit=3&cursor={c}"),
        };
        let page = app.call("GET", &path, Some(&admin), None).await;
        seen.extend(ids(&page.body));
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 8);
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 8, "no dialog twice across pages");
    assert_eq!(
        seen[0],
        mine.clone(),
        "the one just answered is the most recent activity"
    );
    app.stop().await;
}

#[tokio::test]
async fn r10_quick_replies_shared_personal_from_a_message_and_by_use() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    let (_, t1) = app.user(&admin, "m1", "manager", &[]).await;
    let dialog = app.dialog(&transport, "c1", "Thanks, that helps!").await;
    let shared = app
        .call(
            "POST",
            "/api/v1/quick-replies",
            Some(&t1),
            Some(json!({"name": "hello", "text": "Hello!", "shared": true})),
        )
        .await;
    assert_eq!((shared.status, shared.code()), (403, "missing_right"));
    let mine = app
        .call(
            "POST",
            "/api/v1/quick-replies",
            Some(&t1),
            Some(json!({"name": "hello", "text": "Hello!"})),
        )
        .await;
    assert_eq!(mine.status, 201, "{mine:?}");
    let tl = app
        .call(
            "GET",
            &format!("/api/v1/dialogs/{dialog}/timeline"),
            Some(&t1),
            None,
        )
        .await;
    let msg = tl.body["items"][0]["message"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let lightning = app
        .call(
            "POST",
            "/api/v1/quick-replies",
            Some(&admin),
            Some(json!({"name": "thanks", "shared": true, "from_message_id": msg, "dialog_id": dialog})),
        )
        .await;
    assert_eq!(lightning.status, 201, "{lightning:?}");
    assert_eq!(lightning.body["text"], "Thanks, that helps!");
    let id = lightning.body["id"].as_str().unwrap();
    let used = app
        .call(
            "POST",
            &format!("/api/v1/quick-replies/{id}/use"),
            Some(&t1),
            None,
        )
        .await;
    let list = app
        .call(
            "GET",
            &format!("/api/v1/quick-replies?min_position={}", used.position()),
            Some(&t1),
            None,
        )
        .await;
    let names: Vec<_> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec!["thanks", "hello"],
        "shared and own, most used first"
    );
    let admins = app
        .call("GET", "/api/v1/quick-replies", Some(&admin), None)
        .await;
    assert_eq!(
        admins.body["items"].as_array().unwrap().len(),
        1,
        "another's personal reply is theirs only"
    );
    app.stop().await;
}

/// R39 (the seed's filter window): each facet's counts narrow with the other filters, never
/// with its own, so a count says how many dialogs ticking that box would show.
#[tokio::test]
async fn r16_facet_counts_narrow_with_the_other_filters() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (tg, tg_token) = app.channel(&admin, "telegram").await;
    let (_, wa_token) = app.channel(&admin, "whatsapp_qr").await;
    let tag = app.tag(&admin, "vip", "red").await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Telegram: two dialogs, one of them tagged; WhatsApp: one, tagged.
    let mut tagged = Vec::new();
    for (token, chat, tag_it) in [
        (&tg_token, "t1", true),
        (&tg_token, "t2", false),
        (&wa_token, "w1", true),
    ] {
        let d = app.dialog(token, chat, "hi").await;
        if tag_it {
            let c = app.customer_of(&admin, &d).await;
            let put = app
                .call(
                    "POST",
                    &format!("/api/v1/customers/{c}/tags"),
                    Some(&admin),
                    Some(json!({"tag_id": tag, "pinned": false})),
                )
                .await;
            assert_eq!(put.status, 200, "{put:?}");
            tagged.push(d);
        }
    }
    let facets = |query: String| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let f = app
                .call(
                    "GET",
                    &format!("/api/v1/dialogs/facets?{query}"),
                    Some(&admin),
                    None,
                )
                .await;
            assert_eq!(f.status, 200, "{f:?}");
            f.body
        }
    };
    let count = |list: &Value, id: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == id)
            .map_or(0, |x| x["dialogs"].as_u64().unwrap())
    };
    let all = facets(String::new()).await;
    assert_eq!(count(&all["tags"], &tag), 2);
    assert_eq!(count(&all["channels"], &tg), 2);
    // Filtering by Telegram narrows the tag counts, not the channel counts.
    let by_channel = facets(format!("channel={tg}")).await;
    assert_eq!(count(&by_channel["tags"], &tag), 1, "{by_channel}");
    assert_eq!(
        count(&by_channel["channels"], &tg),
        2,
        "its own filter is not applied"
    );
    // Filtering by the tag narrows the channel counts, not the tag counts.
    let by_tag = facets(format!("tags={tag}")).await;
    assert_eq!(count(&by_tag["channels"], &tg), 1, "{by_tag}");
    assert_eq!(count(&by_tag["tags"], &tag), 2);
    // The unassigned count narrows with both.
    let both = facets(format!("tags={tag}&channel={tg}")).await;
    assert_eq!(both["unassigned"], 1, "{both}");
}

/// R39: an admin renames, recolours and deletes a tag; a deleted tag leaves every customer and
/// the facets; a manager may not change the catalogue.
#[tokio::test]
async fn r39_admins_rename_and_delete_tags() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, manager) = app.user(&admin, "mia", "manager", &[]).await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    let dialog = app.dialog(&transport, "ann", "hi").await;
    let customer = app.customer_of(&admin, &dialog).await;
    let tag = app.tag(&admin, "vip", "red").await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let put = app
        .call(
            "POST",
            &format!("/api/v1/customers/{customer}/tags"),
            Some(&admin),
            Some(json!({"tag_id": tag, "pinned": true})),
        )
        .await;
    assert_eq!(put.status, 200);
    let path = format!("/api/v1/tags/{tag}");
    let renamed = app
        .call(
            "PATCH",
            &path,
            Some(&admin),
            Some(json!({"name": "VIP", "color": "purple"})),
        )
        .await;
    assert_eq!(renamed.status, 200, "{renamed:?}");
    assert_eq!(
        (
            renamed.body["name"].as_str(),
            renamed.body["color"].as_str()
        ),
        (Some("VIP"), Some("purple"))
    );
    let refused = app
        .call(
            "PATCH",
            &path,
            Some(&manager),
            Some(json!({"name": "mine"})),
        )
        .await;
    assert_eq!((refused.status, refused.code()), (403, "missing_right"));
    assert_eq!(
        app.call("DELETE", &path, Some(&manager), None).await.status,
        403
    );
    let gone = app.call("DELETE", &path, Some(&admin), None).await;
    assert_eq!(gone.status, 200, "{gone:?}");
    let card = app
        .call(
            "GET",
            &format!("/api/v1/customers/{customer}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(card.body["tags"], json!([]), "{card:?}");
    let tags = app.call("GET", "/api/v1/tags", Some(&admin), None).await;
    assert_eq!(tags.body["items"], json!([]));
    let row = app.detail(&admin, &dialog, None).await;
    assert_eq!(row.body["customer"]["pinned_tags"], json!([]));
    assert_eq!(
        app.call("DELETE", &path, Some(&admin), None).await.status,
        200,
        "again: nothing"
    );
    assert_eq!(
        app.call("PATCH", &path, Some(&admin), Some(json!({"name": "back"})))
            .await
            .status,
        404
    );
}
