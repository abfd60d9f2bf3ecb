//! R23: reactions both ways.

use super::*;

#[tokio::test]
async fn r23_one_reaction_per_actor_both_ways_shown_with_who_and_managers_go_to_the_webhook() {
    let app = fast_app().await;
    let receiver = Receiver::start(&[]).await;
    let d = desk(&app, "custom", Some(&receiver.url)).await;
    let theirs = timeline_message_id(&app, &d.manager, &d.dialog, "customer").await;
    let mut ws = app.ws(&d.admin, None).await;

    // The customer likes our answer (named by our id, as the webhook gave it).
    let liked = app
        .transport(
            &d.transport,
            "/messages/reaction",
            json!({"message_id": d.message, "emoji": "❤"}),
        )
        .await;
    assert_eq!(liked.status, 200, "{liked:?}");
    let f = next_change(&mut ws, "reaction").await;
    assert_eq!(f["data"]["reaction"]["emoji"], "❤");
    assert_eq!(f["data"]["reaction"]["by"]["type"], "customer");

    // The manager reacts to the customer's message, changes their mind, then clears it.
    for emoji in [json!("👍"), json!("🔥"), json!("🔥"), Value::Null] {
        let r = react(&app, &d.manager, &d.dialog, &theirs, emoji).await;
        assert_eq!(r.status, 200, "{r:?}");
    }
    let ours = timeline_message(&app, &d.admin, &d.dialog, &d.message).await;
    assert_eq!(
        ours["reactions"],
        json!([{"emoji": "❤", "by": {"type": "customer", "id": ours["reactions"][0]["by"]["id"], "name": "Customer cust-chat-1"}}])
    );
    let set = react(&app, &d.admin, &d.dialog, &theirs, json!("🎉")).await;
    let reactions = set.body["reactions"].as_array().unwrap();
    assert_eq!(reactions.len(), 1, "the manager's was cleared: {set:?}");
    assert_eq!(reactions[0]["by"]["type"], "user");

    // The webhook: message_sent, then the manager's three changes (the repeat was nothing) and
    // the admin's, each with the customer's message id in the messenger. Not the customer's.
    let hits = receiver.wait_for(5).await;
    assert_eq!(
        types(&hits),
        [
            "message_sent",
            "reaction_set",
            "reaction_set",
            "reaction_set",
            "reaction_set"
        ]
    );
    let emoji: Vec<Value> = hits[1..]
        .iter()
        .map(|h| h.json()["data"]["emoji"].clone())
        .collect();
    assert_eq!(emoji, [json!("👍"), json!("🔥"), Value::Null, json!("🎉")]);
    assert_eq!(
        hits[1].json()["data"]["external_message_id"],
        "chat-1-hello"
    );
    assert_eq!(hits[1].json()["data"]["by"]["id"], d.manager_id.as_str());
}
