//! R30 in a real browser: headless Chromium driven over WebDriver (Debian's `chromium` and
//! `chromium-driver`). A manager logs in to the console served by chatd, opens a dialog,
//! replies, and sees the customer's next message arrive live, without a reload; the page loads
//! nothing from outside chatd and logs no script error or CSP violation. Without chromedriver
//! the test says it did not run (and `make test` says so too).
//!
//! `CONSOLE_SCREENSHOT=docs/console.png cargo test -p chatd-tests --test browser` also fills a
//! demo shop and takes the screenshot the README shows.

mod admin;
mod first_day;
mod support;

use chatd_tests::*;
use fantoccini::Locator;
use std::time::Duration;
use support::{not_run, Browser};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_answers_in_the_console_and_sees_the_customer_live() {
    let Some(browser) = Browser::start().await else {
        return not_run();
    };
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    let (manager_id, _) = app.user(&admin, "maria", "manager", &[]).await;
    let dialog = app.dialog(&transport, "ann", "Where is my kettle?").await;
    app.reassign(&admin, &dialog, &manager_id).await;
    let newer = app
        .dialog(&transport, "bob", "Do you ship to Lisbon?")
        .await;
    app.reassign(&admin, &newer, &manager_id).await;

    browser.log_in(&app.base, "maria", "password-123").await;
    browser.sees("Customer cust-ann").await;
    let c = &browser.client;
    assert_eq!(browser.first_row().await, newer, "newest activity first");
    let row = browser.element(&format!("li[data-id='{dialog}']")).await;
    row.click().await.unwrap();
    browser.sees("Where is my kettle?").await;
    let text = browser.element("#composer-text").await;
    text.send_keys("It ships today").await.unwrap();
    browser.sees("14 / 2000").await;
    c.find(Locator::Css(".composer button.primary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser.sees("It ships today").await;
    // The reply is new activity: the row moves to the top, live.
    let moved = browser
        .poll(|_| async { (browser.first_row().await == dialog).then_some(()) })
        .await;
    if moved.is_none() {
        browser
            .fail("the answered dialog did not move to the top")
            .await;
    }
    let sent = app.timeline_messages(&admin, &dialog).await;
    assert!(
        sent.iter().any(|m| m["text"] == "It ships today"),
        "the reply is stored: {sent:?}"
    );

    // The customer writes again: it appears without a reload.
    app.inbound(&transport, "ann", "cust-ann", "ann-2", "Great, thank you!")
        .await;
    browser.sees("Great, thank you!").await;

    let problems = browser.problems(&app.base).await;
    assert!(
        problems.is_empty(),
        "script errors, CSP violations or foreign loads: {problems:?}"
    );

    // An auditor: the log verifies, and the dialog's history shows its hash links.
    app.user(&admin, "audrey", "auditor", &[]).await;
    let log_out = c.find(Locator::XPath("//button[text()='Log out']")).await;
    log_out.unwrap().click().await.unwrap();
    browser
        .log_in_to(&app.base, "audrey", "password-123", "#audit-dialog")
        .await;
    browser.sees("Every hash chain verifies").await;
    // R39: the auditor finds the dialog by its customer's name, not a pasted id.
    let name = browser.element("#audit-customer").await;
    name.send_keys("cust-ann").await.unwrap();
    let find = browser.element("form.find button[type=submit]").await;
    find.click().await.unwrap();
    let found = browser.element("ul.found button").await;
    assert!(found.text().await.unwrap().contains("Customer cust-ann"));
    found.click().await.unwrap();
    browser.sees("message_received v").await;
    // Authors by name: the manager who answered, the customer who wrote.
    browser.sees("MARIA (user)").await;
    let links = c.find_all(Locator::Css("td[aria-label='linked']")).await;
    assert!(
        links.unwrap().len() >= 4,
        "every event of the dialog links to the one before it"
    );
    let broken = c
        .find_all(Locator::Css("td[aria-label='broken link']"))
        .await;
    assert!(broken.unwrap().is_empty());
    let problems = browser.problems(&app.base).await;
    assert!(problems.is_empty(), "{problems:?}");
    browser.stop().await;
}

/// The README's screenshot, on demand: a demo shop, Anna's desk, a dialog open.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn screenshot_of_the_demo_desk_when_asked() {
    let Some(path) = std::env::var_os("CONSOLE_SCREENSHOT") else {
        return;
    };
    let Some(browser) = Browser::start().await else {
        return not_run();
    };
    let dir = tempfile::tempdir().unwrap();
    let mut config = chatd_server::config::Config::load(chatd_server::config::Overrides {
        data_dir: Some(dir.path().to_owned()),
        ..Default::default()
    })
    .unwrap();
    chatd_server::demo::run(&config).await.unwrap();
    config.listen = "127.0.0.1:0".into();
    let running = chatd_server::start(&config).await.unwrap();
    let base = format!("http://{}", running.addr);
    browser.log_in(&base, "anna", "demo-anna").await;
    let c = &browser.client;
    tokio::time::sleep(Duration::from_millis(500)).await;
    // A dialog with a bit of everything: a photo, a quote, a read reply, a follow-up.
    browser
        .element("input[type=search]")
        .await
        .send_keys("Sofia García")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(600)).await;
    browser
        .element("ul.dialogs li")
        .await
        .click()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(800)).await;
    std::fs::write(path, c.screenshot().await.unwrap()).unwrap();
    assert!(browser.problems(&base).await.is_empty());
    browser.stop().await;
    running.stop().await;
}
