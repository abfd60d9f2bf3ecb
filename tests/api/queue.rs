//! R31: the distribution bot keeps a queue. A dialog nobody can take waits, in processing order,
//! and goes out as soon as capacity appears: a manager back from lunch, a dialog closed, the
//! rules changed; each exactly once, with its order.

use chatd_tests::{eventually, ids, spawn_app, TestApp};
use serde_json::{json, Value};

struct Shop {
    admin: String,
    channel: String,
    transport: String,
    m1: (String, String),
    m2: (String, String),
    m3: (String, String),
    bot: String,
}

/// Three managers, m3 at lunch; an Instagram channel whose rule says: free managers only,
/// round robin, at most `max` open each, create an order.
async fn shop(app: &TestApp, max: u32) -> Shop {
    let admin = app.admin().await;
    let (channel, transport) = app.channel(&admin, "instagram").await;
    let m1 = app.user(&admin, "m1", "manager", &[]).await;
    let m2 = app.user(&admin, "m2", "manager", &[]).await;
    let m3 = app.user(&admin, "m3", "manager", &[]).await;
    work(app, &admin, &m3.0, "lunch").await;
    let rules = json!([rule(&channel, &[&m1.0, &m2.0, &m3.0], max)]);
    let bot = app
        .call(
            "POST",
            "/api/v1/bots",
            Some(&admin),
            Some(json!({"name": "Router", "distribution": rules})),
        )
        .await;
    assert_eq!(bot.status, 201, "{bot:?}");
    Shop {
        admin,
        channel,
        transport,
        m1,
        m2,
        m3,
        bot: bot.body["id"].as_str().unwrap().to_owned(),
    }
}

fn rule(channel: &str, managers: &[&str], max: u32) -> Value {
    json!({"channel_id": channel, "manager_ids": managers, "max_open_per_manager": max,
        "require_free": true, "require_online": false, "strategy": "round_robin",
        "reassign_when_unavailable": null, "create_customer": true, "create_order": true})
}

async fn work(app: &TestApp, admin: &str, user: &str, status: &str) {
    let path = format!("/api/v1/users/{user}");
    let a = app
        .call(
            "PATCH",
            &path,
            Some(admin),
            Some(json!({"work_status": status})),
        )
        .await;
    assert_eq!(a.status, 200, "{a:?}");
}

async fn responsible(app: &TestApp, admin: &str, dialog: &str) -> Value {
    app.detail(admin, dialog, None).await.body["responsible"]["id"].clone()
}

async fn queued(app: &TestApp, token: &str) -> Value {
    app.call("GET", "/api/v1/dialogs?queued=true", Some(token), None)
        .await
        .body
}

/// Wait until the first `n` dialogs are given out (the queue holds the rest).
async fn given_out(app: &TestApp, admin: &str, dialogs: &[String]) {
    for d in dialogs {
        eventually(|| async { !responsible(app, admin, d).await.is_null() }).await;
    }
}

async fn orders(app: &TestApp, admin: &str) -> Vec<Value> {
    app.orders(admin).await
}

#[tokio::test]
async fn r31_a_dialog_at_capacity_waits_and_goes_out_when_a_manager_returns_from_lunch() {
    let app = spawn_app().await;
    let s = shop(&app, 2).await;
    let mut first = Vec::new();
    for chat in ["a", "b", "c", "d"] {
        first.push(app.dialog(&s.transport, chat, "hi").await);
        given_out(&app, &s.admin, &first).await;
    }
    // Round robin over the two free managers, two each.
    let mut to: Vec<Value> = Vec::new();
    for d in &first {
        to.push(responsible(&app, &s.admin, d).await);
    }
    assert_eq!(
        to.iter().filter(|r| **r == s.m1.0.as_str()).count(),
        2,
        "{to:?}"
    );
    assert_eq!(
        to.iter().filter(|r| **r == s.m2.0.as_str()).count(),
        2,
        "{to:?}"
    );

    // The fifth waits: the queue shows it, first in line, and the facets count it.
    let fifth = app.dialog(&s.transport, "e", "anyone?").await;
    eventually(|| async { ids(&queued(&app, &s.admin).await) == [fifth.clone()] }).await;
    let q = queued(&app, &s.admin).await;
    assert_eq!(q["items"][0]["queue_position"], 1);
    let facets = app
        .call("GET", "/api/v1/dialogs/facets", Some(&s.admin), None)
        .await;
    assert_eq!(
        facets.body["queued"],
        json!([{"channel_id": s.channel, "dialogs": 1}])
    );
    assert!(responsible(&app, &s.admin, &fifth).await.is_null());
    // Managers see the queue too (unassigned dialogs are theirs to see).
    assert_eq!(
        ids(&queued(&app, &s.m1.1).await),
        std::slice::from_ref(&fifth)
    );

    // m3 is back from lunch: the queued dialog goes to them at once, with its order, and
    // leaves the queue live.
    let mut ws = app.ws(&s.admin, None).await;
    work(&app, &s.admin, &s.m3.0, "free").await;
    eventually(|| async { responsible(&app, &s.admin, &fifth).await == s.m3.0.as_str() }).await;
    let f = ws
        .until(|f| {
            f["type"] == "dialog_updated"
                && f["data"]["dialog"]["id"] == fifth.as_str()
                && !f["data"]["dialog"]["responsible"].is_null()
        })
        .await;
    assert!(!f.is_empty());
    assert!(ids(&queued(&app, &s.admin).await).is_empty());
    eventually(|| async { orders(&app, &s.admin).await.len() == 5 }).await;
    let order = orders(&app, &s.admin)
        .await
        .into_iter()
        .find(|o| o["dialog_id"] == fifth.as_str())
        .unwrap();
    assert_eq!(order["manager_id"], s.m3.0.as_str());
    assert_eq!(order["source"]["channel_id"], s.channel.as_str());
    // The bot is the author of the hand-out.
    let entry = app
        .timeline(&s.admin, &fifth)
        .await
        .into_iter()
        .find(|e| e["event"] == "reassigned")
        .unwrap();
    assert_eq!(entry["by"]["id"], s.bot.as_str());
}

#[tokio::test]
async fn r31_closing_a_dialog_frees_capacity_and_the_oldest_waiting_dialog_goes_first() {
    let app = spawn_app().await;
    let s = shop(&app, 1).await;
    let a = app.dialog(&s.transport, "a", "hi").await;
    let b = app.dialog(&s.transport, "b", "hi").await;
    given_out(&app, &s.admin, &[a.clone(), b.clone()]).await;
    let older = app.dialog(&s.transport, "older", "first in line").await;
    let newer = app.dialog(&s.transport, "newer", "second").await;
    eventually(|| async { ids(&queued(&app, &s.admin).await) == [older.clone(), newer.clone()] })
        .await;
    let q = queued(&app, &s.admin).await;
    assert_eq!(
        (
            q["items"][0]["queue_position"].as_u64(),
            q["items"][1]["queue_position"].as_u64()
        ),
        (Some(1), Some(2))
    );

    // The manager holding `a` closes it: the older waiting dialog goes to them.
    let holder = responsible(&app, &s.admin, &a).await;
    let close = app
        .call(
            "POST",
            &format!("/api/v1/dialogs/{a}/close"),
            Some(&s.admin),
            None,
        )
        .await;
    assert_eq!(close.status, 200);
    eventually(|| async { responsible(&app, &s.admin, &older).await == holder }).await;
    assert!(
        responsible(&app, &s.admin, &newer).await.is_null(),
        "only one slot freed"
    );
    assert_eq!(
        ids(&queued(&app, &s.admin).await),
        std::slice::from_ref(&newer)
    );

    // A manager who takes the queued dialog by hand (R2) simply removes it from the queue.
    let take = app.reassign(&s.m3.1, &newer, &s.m3.0).await;
    assert_eq!(take.status, 200, "{take:?}");
    assert!(ids(&queued(&app, &s.admin).await).is_empty());
}

#[tokio::test]
async fn r31_changed_rules_hand_the_queue_out_and_simultaneous_capacity_gives_each_dialog_once() {
    let app = spawn_app().await;
    let s = shop(&app, 1).await;
    let a = app.dialog(&s.transport, "a", "hi").await;
    let b = app.dialog(&s.transport, "b", "hi").await;
    given_out(&app, &s.admin, &[a.clone(), b.clone()]).await;
    let waiting: Vec<String> = vec![
        app.dialog(&s.transport, "c", "hi").await,
        app.dialog(&s.transport, "d", "hi").await,
        app.dialog(&s.transport, "e", "hi").await,
    ];
    eventually(|| async { ids(&queued(&app, &s.admin).await).len() == 3 }).await;

    // The rules change (two open each): one more dialog each for m1 and m2.
    let rules = json!([rule(&s.channel, &[&s.m1.0, &s.m2.0, &s.m3.0], 2)]);
    let up = app
        .call(
            "PATCH",
            &format!("/api/v1/bots/{}", s.bot),
            Some(&s.admin),
            Some(json!({"distribution": rules})),
        )
        .await;
    assert_eq!(up.status, 200, "{up:?}");
    given_out(&app, &s.admin, &waiting[..2]).await;
    assert_eq!(ids(&queued(&app, &s.admin).await), [waiting[2].clone()]);

    // Two capacity changes at the same moment: m3 back from lunch and a closed dialog. The last
    // queued dialog goes out once, with one order.
    let close = format!("/api/v1/dialogs/{a}/close");
    let (_, r2) = tokio::join!(
        work(&app, &s.admin, &s.m3.0, "free"),
        app.call("POST", &close, Some(&s.admin), None),
    );
    assert_eq!(r2.status, 200);
    given_out(&app, &s.admin, &waiting[2..]).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let t = app
        .call(
            "GET",
            &format!("/api/v1/dialogs/{}/timeline", waiting[2]),
            Some(&s.admin),
            None,
        )
        .await;
    let handouts = t.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event"] == "reassigned")
        .count();
    assert_eq!(handouts, 1, "given out exactly once: {t:?}");
    let orders = orders(&app, &s.admin).await;
    assert_eq!(
        orders
            .iter()
            .filter(|o| o["dialog_id"] == waiting[2].as_str())
            .count(),
        1
    );
    assert_eq!(orders.len(), 5, "one order per dialog");
}

#[tokio::test]
async fn r31_under_require_online_a_manager_coming_online_takes_the_queue() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (channel, transport) = app.channel(&admin, "instagram").await;
    let (m1, t1) = app.user(&admin, "m1", "manager", &[]).await;
    let mut r = rule(&channel, &[&m1], 5);
    r["require_free"] = json!(false);
    r["require_online"] = json!(true);
    let bot = app
        .call(
            "POST",
            "/api/v1/bots",
            Some(&admin),
            Some(json!({"name": "Router", "distribution": [r]})),
        )
        .await;
    assert_eq!(bot.status, 201, "{bot:?}");
    // Nobody is online: the dialog waits.
    let d = app.dialog(&transport, "a", "hello?").await;
    eventually(|| async { ids(&queued(&app, &admin).await) == std::slice::from_ref(&d) }).await;
    assert!(responsible(&app, &admin, &d).await.is_null());
    // m1 opens the console: their first socket is capacity.
    let _ws = app.ws(&t1, None).await;
    eventually(|| async { responsible(&app, &admin, &d).await == m1.as_str() }).await;
    assert!(ids(&queued(&app, &admin).await).is_empty());
}
