//! What crosses nodes at once (R34), for `cluster.rs`: a credential or a resume point from one
//! node on a node that lags, failed logins counted over all of them, a logout on every node,
//! and presence on every node's feed.

use crate::nodes::{launch_with, wait_ready, Node};
use chatd_tests::TestApp;
use serde_json::{json, Value};

/// 2b. A fourth node that applies each event 300 ms after it was recorded still knows at once
/// what another node has just written (R34): before it refuses a login or a credential, its
/// read models catch up with the log's head. It stops with SIGTERM, giving back any lease.
pub async fn lagging_node_knows_what_was_just_written(url: &str, writer: &TestApp, admin: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut served = launch_with(dir.path(), url, "test_follower_delay_ms = 300\n");
    wait_ready(&mut served, dir.path());
    let lagging = TestApp::at(
        format!("http://{}", served.addr),
        tempfile::tempdir().unwrap(),
    );
    // A user created through another node logs in through the lagging one at once ...
    let (leo, _) = writer.user(admin, "leo", "manager", &[]).await;
    lagging.login("leo", "password-123").await;
    // ... and once deactivated through another node, is refused there at once.
    let off = writer
        .call(
            "PATCH",
            &format!("/api/v1/users/{leo}"),
            Some(admin),
            Some(json!({"active": false})),
        )
        .await;
    assert_eq!(off.status, 200, "{off:?}");
    let refused = lagging.login_attempt("leo", "password-123").await;
    assert_eq!(refused.code(), "invalid_credentials", "{refused:?}");
    // A session opened through another node serves REST and a socket there at once.
    let fresh = writer.admin().await;
    let me = lagging.call("GET", "/api/v1/me", Some(&fresh), None).await;
    assert_eq!(
        (me.status, me.body["user"]["login"].as_str()),
        (200, Some("admin")),
        "{me:?}"
    );
    lagging.ws(&writer.admin().await, None).await.close().await;
    // A channel registered through another node takes messages through the lagging one.
    let (_, transport) = writer.channel(admin, "telegram").await;
    let a = lagging
        .inbound(&transport, "lag-1", "cust-lag", "lag-m1", "hello")
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    // A bot registered through another node calls the Bot API here at once.
    let bot = writer
        .call(
            "POST",
            "/api/v1/bots",
            Some(admin),
            Some(json!({"name": "Helper", "distribution": []})),
        )
        .await;
    assert_eq!(bot.status, 201, "{bot:?}");
    let token = [("x-bot-token", bot.body["token"].as_str().unwrap())];
    let listed = lagging
        .call_as("GET", "/api/bot/v1/dialogs", &token, None)
        .await;
    assert_eq!(
        listed.status, 200,
        "the bot's token on the lagging node: {listed:?}"
    );
    // A socket that got a frame from another node resumes here at once with that `since`: this
    // node first applies the log up to it, so nothing the client had comes again.
    let mut w = writer.ws(admin, None).await;
    let said = |text: &'static str| {
        move |f: &Value| f["type"] == "message_new" && f["data"]["message"]["text"] == text
    };
    let first = writer
        .inbound(&transport, "lag-2", "cust-lag2", "lag-m2", "first")
        .await;
    assert_eq!(first.status, 200, "{first:?}");
    let got = w.until(said("first")).await;
    let since = got.last().unwrap()["position"].as_str().unwrap().to_owned();
    w.close().await;
    let mut resumed = lagging.ws(&fresh, Some(&since)).await;
    let second = writer
        .inbound(&transport, "lag-2", "cust-lag2", "lag-m3", "second")
        .await;
    assert_eq!(second.status, 200, "{second:?}");
    let after: u64 = since.parse().unwrap();
    for f in resumed.until(said("second")).await {
        let at = f["position"].as_str().and_then(|p| p.parse::<u64>().ok());
        assert!(at.is_none_or(|p| p >= after), "older than {since}: {f}");
        assert!(!said("first")(&f), "sent again: {f}");
    }
    resumed.close().await;
    // What exists nowhere is still refused, after the catch-up.
    let forged = lagging
        .call("GET", "/api/v1/me", Some("made-up-token"), None)
        .await;
    assert_eq!(forged.status, 401, "{forged:?}");
    let stopped = std::process::Command::new("kill")
        .args(["-TERM", &served.child.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    let exit = served.child.wait().unwrap();
    assert!(exit.success(), "the lagging node stopped with {exit:?}");
    println!("a node 300 ms behind: logins, sessions, sockets, transport and bot tokens and resumes from another node work there at once");
}

/// 2c. R28 across nodes: a guesser spreading attempts over the three nodes is slowed as on one.
/// Five failures are free and the sixth closes the login for a second, then two, … Counted per
/// node, the first refusal would come only with some node's own sixth failure (attempt 16).
pub async fn failed_logins_count_across_nodes(nodes: &[Node]) {
    let mut statuses = Vec::new();
    for attempt in 0..9 {
        let a = nodes[attempt % 3]
            .app
            .login_attempt("mallory", &format!("guess-{attempt}"))
            .await;
        statuses.push(a.status);
        if a.status == 429 {
            assert_eq!(a.code(), "too_many_attempts", "{a:?}");
            break;
        }
        assert_eq!(a.code(), "invalid_credentials", "{a:?}");
    }
    assert_eq!(
        statuses[..6],
        [401; 6],
        "five free failures, then the sixth"
    );
    assert_eq!(
        statuses.last(),
        Some(&429),
        "refused across nodes: {statuses:?}"
    );
    println!("failed logins over three nodes: {statuses:?}");
}

/// 2d. R32 across nodes: a logout through one node ends the session's sockets on every node
/// (4401 `session_ended`) and its token everywhere.
pub async fn a_logout_ends_the_session_on_every_node(nodes: &[Node]) {
    let token = nodes[0].app.admin().await;
    let sockets = [
        nodes[1].app.ws(&token, None).await,
        nodes[2].app.ws(&token, None).await,
    ];
    let out = nodes[0]
        .app
        .call("POST", "/api/v1/auth/logout", Some(&token), None)
        .await;
    assert_eq!(out.status, 200, "{out:?}");
    for (i, socket) in sockets.into_iter().enumerate() {
        let (_, code) = socket.closed_within(10).await;
        assert_eq!(code, Some(4401), "node {}'s socket", i + 2);
    }
    for node in nodes {
        let me = node.app.call("GET", "/api/v1/me", Some(&token), None).await;
        assert_eq!(me.status, 401, "{me:?}");
    }
    println!("a logout through node 1 closed the session's sockets on nodes 2 and 3 (4401)");
}

/// 2e. R34's presence on every node's feed: a manager connecting to node 3 is announced online
/// to an admin's socket on node 1 (within the 2 s heartbeat) and listed online there, and is
/// announced offline when they leave.
pub async fn presence_is_shown_on_every_node(nodes: &[Node], admin: &str) {
    let (olga, olga_token) = nodes[0].app.user(admin, "olga", "manager", &[]).await;
    let mut watch = nodes[0].app.ws(admin, None).await;
    let about = |online: bool| {
        let id = olga.clone();
        move |f: &Value| {
            f["type"] == "user_updated"
                && f["data"]["user"]["id"] == id.as_str()
                && f["data"]["user"]["online"] == online
        }
    };
    let socket = nodes[2].app.ws(&olga_token, None).await;
    watch.until(about(true)).await;
    let users = nodes[0]
        .app
        .call("GET", "/api/v1/users", Some(admin), None)
        .await;
    let listed = users
        .body
        .get("items")
        .unwrap_or(&users.body)
        .as_array()
        .cloned();
    let row = listed
        .unwrap_or_default()
        .into_iter()
        .find(|u| u["id"] == olga.as_str())
        .expect("olga is listed");
    assert_eq!(row["online"], true, "{row}");
    socket.close().await;
    watch.until(about(false)).await;
    watch.close().await;
    println!("presence: a manager on node 3 was shown online, then offline, on node 1's feed");
}
