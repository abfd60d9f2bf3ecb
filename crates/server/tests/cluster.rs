//! R34: several nodes are one service, proven with three real `chatd serve` processes on one
//! real PostgreSQL (both started by the test). The feed crosses nodes (and a socket resumes on
//! another node with `since`); the last admin cannot be
//! removed through two nodes at once; webhooks go out once from the lease holder, and when it is
//! SIGKILLed mid-load another node delivers everything pending; the distribution bot gives each
//! queued dialog out once, counting a manager online on any node; a restarted node catches up.
//! Without PostgreSQL installed it says NOT RUN.

mod crossing;
mod nodes;
mod support;

use nodes::{holder_index, launch, wait_ready, Node};

use chatd_store::postgres::testing::TestPostgres;
use chatd_tests::receiver::Receiver;
use chatd_tests::{eventually, ids, TestApp, ADMIN_PASSWORD};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_nodes_on_one_postgres_are_one_service() {
    let Some(pg) = tokio::task::spawn_blocking(TestPostgres::start)
        .await
        .unwrap()
    else {
        return;
    };
    let url = pg.url();
    let (db, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);

    // Three nodes started at once on an empty database: one bootstrap admin among them.
    let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut launched: Vec<_> = dirs.iter().map(|d| launch(d.path(), &url)).collect();
    for (s, d) in launched.iter_mut().zip(&dirs) {
        wait_ready(s, d.path());
    }
    let mut nodes: Vec<Node> = dirs
        .into_iter()
        .zip(launched)
        .map(|(dir, served)| {
            let app = TestApp::at(
                format!("http://{}", served.addr),
                tempfile::tempdir().unwrap(),
            );
            Node { dir, served, app }
        })
        .collect();
    let admin: Vec<String> =
        futures_util::future::join_all(nodes.iter().map(|n| n.app.admin())).await;
    let users = |v: &Value| -> Vec<Value> {
        v.get("items")
            .unwrap_or(v)
            .as_array()
            .cloned()
            .unwrap_or_default()
    };
    let admins = users(
        &nodes[0]
            .app
            .call("GET", "/api/v1/users", Some(&admin[0]), None)
            .await
            .body,
    )
    .iter()
    .filter(|u| u["role"] == "admin")
    .count();
    assert_eq!(admins, 1, "one bootstrap admin for three nodes");

    // 1. The feed across nodes: customers write through nodes 1 and 2; an admin's socket on
    // node 3 gets both messages live, and a list on node 3 after both writes shows both.
    let receiver = Receiver::start(&[500; 12]).await;
    let (_, transport, _) = nodes[0]
        .app
        .channel_with_webhook(&admin[0], "custom", &receiver.url)
        .await;
    let mut ws3 = nodes[2].app.ws(&admin[2], None).await;
    let a = nodes[0]
        .app
        .inbound(&transport, "c1", "cust-1", "m-1", "hello via node 1")
        .await;
    let b = nodes[1]
        .app
        .inbound(&transport, "c2", "cust-2", "m-2", "hello via node 2")
        .await;
    assert_eq!((a.status, b.status), (200, 200), "{a:?} {b:?}");
    let mut live = Vec::new();
    let mut positions = Vec::new();
    while live.len() < 2 {
        let f = ws3.next_of(&["message_new"]).await;
        live.push(f["data"]["message"]["text"].as_str().unwrap().to_owned());
        positions.push(f["position"].as_str().unwrap().to_owned());
    }
    // A client reconnecting to another node with `since` resumes there, without a resync.
    let mut ws1 = nodes[0].app.ws(&admin[0], Some(&positions[0])).await;
    let resumed = ws1
        .until(|f| f["type"] == "message_new" && f["data"]["message"]["text"] == live[1].as_str())
        .await;
    assert!(
        resumed.iter().all(|f| f["type"] != "resync_required"),
        "{resumed:?}"
    );
    ws1.close().await;
    live.sort();
    assert_eq!(live, ["hello via node 1", "hello via node 2"]);
    let last: u64 = [a.position(), b.position()]
        .iter()
        .map(|p| p.parse::<u64>().unwrap())
        .max()
        .unwrap();
    let list = nodes[2]
        .app
        .call(
            "GET",
            &format!("/api/v1/dialogs?min_position={last}"),
            Some(&admin[2]),
            None,
        )
        .await;
    let mut dialogs = vec![
        a.body["dialog_id"].as_str().unwrap().to_owned(),
        b.body["dialog_id"].as_str().unwrap().to_owned(),
    ];
    let mut listed = ids(&list.body);
    listed.sort();
    let mut expected = dialogs.clone();
    expected.sort();
    assert_eq!(listed, expected, "{list:?}");
    ws3.close().await;

    // 2. The last admin cannot be removed through two nodes at once: two admins deactivate
    // each other, one through node 1 and one through node 2, three times over.
    let me = nodes[0]
        .app
        .call("GET", "/api/v1/me", Some(&admin[0]), None)
        .await;
    let admin_id = me.body["user"]["id"].as_str().unwrap().to_owned();
    let (ada_id, _) = nodes[0].app.user(&admin[0], "ada", "admin", &[]).await;
    let mut refused = 0;
    for round in 0..3 {
        let (admin_tok, ada_tok) = (
            nodes[0].app.login("admin", ADMIN_PASSWORD).await,
            nodes[1].app.login("ada", "password-123").await,
        );
        // A token issued on one node works on the very next request to another (R34), over
        // REST and over a socket; a login right after a reactivation through node 3 (the end of
        // the round before) passed above.
        let me_elsewhere = nodes[2]
            .app
            .call("GET", "/api/v1/me", Some(&admin_tok), None)
            .await;
        assert_eq!(me_elsewhere.status, 200, "round {round}: {me_elsewhere:?}");
        nodes[2].app.ws(&ada_tok, None).await.close().await;
        let off = json!({"active": false});
        let (ada_path, admin_path) = (
            format!("/api/v1/users/{ada_id}"),
            format!("/api/v1/users/{admin_id}"),
        );
        let (x, y) = tokio::join!(
            nodes[0]
                .app
                .call("PATCH", &ada_path, Some(&admin_tok), Some(off.clone())),
            nodes[1]
                .app
                .call("PATCH", &admin_path, Some(&ada_tok), Some(off)),
        );
        let passed = [x.status, y.status].iter().filter(|s| **s == 200).count();
        assert_eq!(passed, 1, "round {round}: exactly one passes: {x:?} {y:?}");
        refused += [&x, &y].iter().filter(|a| a.code() == "last_admin").count();
        // The one left reactivates the other, through node 3.
        let (left, other) = if x.status == 200 {
            ("admin", ada_id.as_str())
        } else {
            ("ada", admin_id.as_str())
        };
        let pw = if left == "admin" {
            ADMIN_PASSWORD
        } else {
            "password-123"
        };
        let tok = nodes[2].app.login(left, pw).await;
        let back = nodes[2]
            .app
            .call(
                "PATCH",
                &format!("/api/v1/users/{other}"),
                Some(&tok),
                Some(json!({"active": true})),
            )
            .await;
        assert_eq!(back.status, 200, "{back:?}");
    }
    println!("last admin: 3 rounds, never both removed; {refused} refused with last_admin");
    // A deactivation ended the admin's sessions: log in again everywhere.
    let admin: Vec<String> =
        futures_util::future::join_all(nodes.iter().map(|n| n.app.admin())).await;
    crossing::lagging_node_knows_what_was_just_written(&url, &nodes[0].app, &admin[0]).await;
    crossing::failed_logins_count_across_nodes(&nodes).await;
    crossing::a_logout_ends_the_session_on_every_node(&nodes).await;
    crossing::presence_is_shown_on_every_node(&nodes, &admin[0]).await;

    // 3. Webhooks go out from the lease holder; it is SIGKILLed mid-load and another node
    // delivers everything pending.
    let (mia, _) = nodes[0].app.user(&admin[0], "mia", "manager", &[]).await;
    for n in 3..5 {
        dialogs.push(
            nodes[0]
                .app
                .dialog(&transport, &format!("c{n}"), "hello")
                .await,
        );
    }
    for d in &dialogs {
        assert_eq!(nodes[0].app.reassign(&admin[0], d, &mia).await.status, 200);
    }
    let holder = holder_index(&db, chatd_app::cluster::WEBHOOKS, &nodes).await;
    let senders: Vec<usize> = (0..3).filter(|i| *i != holder).collect();
    let mut mia_tok = HashMap::new();
    for i in &senders {
        mia_tok.insert(*i, nodes[*i].app.login("mia", "password-123").await);
    }
    let mut sent: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut killed_at = None;
    for round in 0..12 {
        for (k, d) in dialogs.iter().enumerate() {
            let i = senders[(round + k) % 2];
            let r = nodes[i]
                .app
                .send(&mia_tok[&i], d, &format!("reply {round} in {k}"))
                .await;
            assert_eq!(r.status, 201, "{r:?}");
            sent.entry(d.clone())
                .or_default()
                .push(r.body["id"].as_str().unwrap().to_owned());
        }
        if killed_at.is_none() && receiver.hits().iter().any(|h| h.status == 200) {
            // Mid-load: deliveries have begun and more are pending.
            nodes[holder].served.child.kill().unwrap();
            nodes[holder].served.child.wait().unwrap();
            killed_at = Some((round, receiver.hits().len()));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (kill_round, hits_at_kill) = killed_at.expect("the holder was killed mid-load");
    let total: usize = sent.values().map(Vec::len).sum();
    let delivered = |hits: &[chatd_tests::receiver::Hit]| -> HashMap<String, usize> {
        let mut ok = HashMap::new();
        for h in hits.iter().filter(|h| h.status == 200) {
            *ok.entry(h.delivery.clone()).or_insert(0) += 1;
        }
        ok
    };
    let started = Instant::now();
    loop {
        let ok = delivered(&receiver.hits());
        if sent.values().flatten().all(|id| ok.contains_key(id)) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(40),
            "not every message was delivered: {} of {total}",
            ok.len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let hits = receiver.hits();
    let ok = delivered(&hits);
    // In order per dialog: each message's first delivery comes after its predecessor's.
    let first: HashMap<&str, usize> = hits
        .iter()
        .enumerate()
        .filter(|(_, h)| h.status == 200)
        .rev()
        .map(|(i, h)| (h.delivery.as_str(), i))
        .collect();
    for (d, ids) in &sent {
        let order: Vec<usize> = ids.iter().map(|id| first[id.as_str()]).collect();
        assert!(
            order.windows(2).all(|w| w[0] < w[1]),
            "dialog {d} out of order: {order:?}"
        );
    }
    let doubled: Vec<_> = ok.iter().filter(|(_, n)| **n > 1).collect();
    println!(
        "webhooks: {total} messages over {} dialogs; holder node {} SIGKILLed after round {kill_round} \
         with {hits_at_kill} calls made; {} calls in all, {} delivered, {} delivered twice (same \
         X-Chat-Delivery id: in flight at the kill)",
        dialogs.len(),
        holder + 1,
        hits.len(),
        ok.len(),
        doubled.len()
    );
    assert!(
        doubled.len() <= dialogs.len(),
        "at most one delivery per dialog is in flight at the kill: {doubled:?}"
    );
    // Every message is recorded `sent`, seen from a surviving node.
    let survivor = senders[0];
    for (d, ids) in &sent {
        for id in ids {
            nodes[survivor]
                .app
                .wait_status(&admin[survivor], d, id, "sent")
                .await;
        }
    }

    // 4. The killed node restarts and serves the same lists as the others.
    let dir = nodes[holder].dir.path().to_owned();
    let mut served = launch(&dir, &url);
    wait_ready(&mut served, &dir);
    nodes[holder].app = TestApp::at(
        format!("http://{}", served.addr),
        tempfile::tempdir().unwrap(),
    );
    nodes[holder].served = served;
    let head = nodes[survivor]
        .app
        .call(
            "GET",
            "/api/v1/dialogs?status=all",
            Some(&admin[survivor]),
            None,
        )
        .await;
    let back_admin = nodes[holder].app.admin().await;
    let restarted = nodes[holder]
        .app
        .call("GET", "/api/v1/dialogs?status=all", Some(&back_admin), None)
        .await;
    assert_eq!(ids(&restarted.body), ids(&head.body));

    // 5. The bot: dialogs queue while nobody can take them; then two managers connect, each to
    // a node that does not run the bot, and queued dialogs are given out once each, oldest
    // first, as capacity appears (one open dialog each).
    let (channel_b, transport_b) = nodes[0].app.channel(&admin[0], "telegram").await;
    let (p, _) = nodes[0].app.user(&admin[0], "pia", "manager", &[]).await;
    let (q, _) = nodes[0].app.user(&admin[0], "quinn", "manager", &[]).await;
    let rule = json!({
        "channel_id": channel_b, "manager_ids": [p, q], "max_open_per_manager": 1,
        "require_free": false, "require_online": true, "strategy": "least_loaded",
        "reassign_when_unavailable": null, "create_customer": true, "create_order": false
    });
    let bot = nodes[0]
        .app
        .call(
            "POST",
            "/api/v1/bots",
            Some(&admin[0]),
            Some(json!({"name": "Distribution", "distribution": [rule]})),
        )
        .await;
    assert_eq!(bot.status, 201, "{bot:?}");
    let mut queued = Vec::new();
    for n in 0..4 {
        let via = &nodes[n % 3].app;
        queued.push(
            via.dialog(&transport_b, &format!("q{n}"), "anyone there?")
                .await,
        );
    }
    let responsible = |i: usize, d: String| {
        let app = &nodes[i].app;
        let tok = admin_of(i, &admin, &back_admin, holder);
        async move {
            let r = app.detail(&tok, &d, None).await;
            r.body["responsible"]["id"].as_str().map(str::to_owned)
        }
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    for d in &queued {
        assert_eq!(
            responsible(survivor, d.clone()).await,
            None,
            "nobody is online yet"
        );
    }
    let bot_node = holder_index(&db, chatd_app::cluster::DISTRIBUTION, &nodes).await;
    let others: Vec<usize> = (0..3).filter(|i| *i != bot_node).collect();
    let p_tok = nodes[others[0]].app.login("pia", "password-123").await;
    let q_tok = nodes[others[1]].app.login("quinn", "password-123").await;
    let _p_ws = nodes[others[0]].app.ws(&p_tok, None).await;
    let _q_ws = nodes[others[1]].app.ws(&q_tok, None).await;
    let mut given: Vec<(String, String)> = Vec::new();
    for wave in 0..2 {
        let pending: Vec<String> = queued[wave * 2..wave * 2 + 2].to_vec();
        eventually(|| async {
            let mut all = true;
            for d in &pending {
                all &= responsible(survivor, d.clone()).await.is_some();
            }
            all
        })
        .await;
        for d in &pending {
            let to = responsible(survivor, d.clone()).await.unwrap();
            assert!(to == p || to == q, "{to}");
            given.push((d.clone(), to));
        }
        // Each has one open dialog now; the later ones still wait.
        for d in &queued[wave * 2 + 2..] {
            assert_eq!(responsible(survivor, d.clone()).await, None);
        }
        // Capacity appears on both managers' nodes at once: they close theirs.
        let closing: Vec<(usize, &String, String)> = pending
            .iter()
            .map(|d| {
                let to = &given.iter().find(|(g, _)| g == d).unwrap().1;
                let (i, tok) = if *to == p {
                    (others[0], &p_tok)
                } else {
                    (others[1], &q_tok)
                };
                (i, tok, format!("/api/v1/dialogs/{d}/close"))
            })
            .collect();
        let closes = closing
            .iter()
            .map(|(i, tok, path)| nodes[*i].app.call("POST", path, Some(tok), None));
        for c in futures_util::future::join_all(closes).await {
            assert_eq!(c.status, 200, "{c:?}");
        }
    }
    // Once each: one hand-out by the bot per dialog, seen in the audit trail.
    for d in &queued {
        let events = nodes[survivor].app.dialog_events(&admin[survivor], d).await;
        let handed = events.iter().filter(|e| e["type"] == "reassigned").count();
        assert_eq!(handed, 1, "dialog {d}: {events:?}");
    }
    println!(
        "bot on node {}: 4 queued dialogs given out once each to managers online only on nodes {} and {}",
        bot_node + 1,
        others[0] + 1,
        others[1] + 1
    );

    // 6. R37's timers fire once across the nodes, from the `timers` holder, although every
    // node's clock passes their time: four messages scheduled through other nodes than the
    // ones their dialogs were opened on, then all three clocks moved past them.
    let hook = Receiver::start(&[]).await;
    let (_, transport_c, _) = nodes[0]
        .app
        .channel_with_webhook(&admin[0], "telegram", &hook.url)
        .await;
    let clock = nodes[0]
        .app
        .call("GET", "/api/v1/test/clock", Some(&admin[0]), None)
        .await;
    let now = time::OffsetDateTime::parse(
        clock.body["now"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let rfc = |t: time::OffsetDateTime| {
        t.format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    let send_at = rfc(now + time::Duration::hours(1));
    for n in 0..4 {
        let d = nodes[n % 3]
            .app
            .dialog(&transport_c, &format!("t{n}"), "ping")
            .await;
        let via = (n + 1) % 3;
        let tok = admin_of(via, &admin, &back_admin, holder);
        eventually(|| async { nodes[via].app.detail(&tok, &d, None).await.status == 200 }).await;
        let a = nodes[via]
            .app
            .call(
                "POST",
                &format!("/api/v1/dialogs/{d}/scheduled"),
                Some(&tok),
                Some(json!({"send_at": send_at, "text": format!("timer {n}")})),
            )
            .await;
        assert_eq!(a.status, 201, "{a:?}");
    }
    let later = rfc(now + time::Duration::hours(1) + time::Duration::minutes(1));
    for (i, node) in nodes.iter().enumerate() {
        let tok = admin_of(i, &admin, &back_admin, holder);
        let a = node
            .app
            .call(
                "PUT",
                "/api/v1/test/clock",
                Some(&tok),
                Some(json!({"now": later})),
            )
            .await;
        assert_eq!(a.status, 200, "{a:?}");
    }
    hook.wait_for(4).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mut texts: Vec<String> = hook
        .hits()
        .iter()
        .map(|h| h.json()["data"]["text"].as_str().unwrap().to_owned())
        .collect();
    texts.sort();
    assert_eq!(
        texts,
        ["timer 0", "timer 1", "timer 2", "timer 3"],
        "each scheduled message sent once"
    );
    let timers_node = holder_index(&db, chatd_app::cluster::TIMERS, &nodes).await;
    println!(
        "timers on node {}: 4 scheduled messages sent once each while all three clocks passed them",
        timers_node + 1
    );
    drop(pg);
}

/// The admin token to use on node `i` (the restarted node logged in again).
fn admin_of(i: usize, admin: &[String], back: &str, restarted: usize) -> String {
    if i == restarted {
        back.to_owned()
    } else {
        admin[i].clone()
    }
}
