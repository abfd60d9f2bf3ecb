use chatd_tests::spawn_app;

#[tokio::test]
async fn healthz_answers_ok_with_the_log_position() {
    let app = spawn_app().await;
    let resp = app.get("/healthz").await;
    assert_eq!(resp.status(), 200);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    // The bootstrap admin is the first event of a fresh store.
    assert_eq!(body["position"], "1");
    app.stop().await;
}

#[tokio::test]
async fn unknown_routes_get_a_problem_document() {
    let app = spawn_app().await;
    let resp = app.get("/api/v1/nothing-here").await;
    assert_eq!(resp.status(), 404);
    assert_eq!(
        resp.headers()["content-type"].to_str().unwrap(),
        "application/problem+json"
    );
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["code"], "not_found");
    assert_eq!(body["status"], 404);
    app.stop().await;
}
