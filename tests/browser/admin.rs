//! R39: admins edit what they create, in the console: a tag renamed, a user's role changed,
//! a channel's webhook and own time limit set, a quick reply edited. Each change is checked on
//! the server.

use crate::support::{not_run, Browser};
use chatd_tests::*;
use fantoccini::Locator;
use serde_json::json;

impl Browser {
    /// Click the button labelled `label` (by `aria-label`), found afresh.
    async fn press(&self, label: &str) {
        let css = format!("button[aria-label='{label}']");
        let done = self
            .poll(|c| {
                let css = css.clone();
                async move { c.find(Locator::Css(&css)).await.ok()?.click().await.ok() }
            })
            .await;
        if done.is_none() {
            self.fail(&format!("no button {label:?}")).await;
        }
    }

    /// Set the open editor's field `name` to `value` and save.
    async fn set_and_save(&self, fields: &[(&str, &str)]) {
        for (name, value) in fields {
            self.client
                .execute(
                    "const f = document.querySelector('dialog.editor [name=\"' + arguments[0] + '\"]');
                     if (f.type === 'checkbox') f.checked = arguments[1] === 'true'; else f.value = arguments[1];",
                    vec![json!(name), json!(value)],
                )
                .await
                .unwrap();
        }
        self.element("dialog.editor button.primary")
            .await
            .click()
            .await
            .unwrap();
        self.sees("saved").await;
    }

    async fn admin_tab(&self, tab: &str) {
        let css = format!("[role=tab][data-tab='{tab}']");
        self.element(&css).await.click().await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_edits_what_they_created() {
    let Some(b) = Browser::start().await else {
        return not_run();
    };
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (channel, _) = app.channel(&admin, "custom").await;
    let (maria, _) = app.user(&admin, "maria", "manager", &[]).await;
    let tag = app.tag(&admin, "VIP", "red").await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let q = app
        .call(
            "POST",
            "/api/v1/quick-replies",
            Some(&admin),
            Some(json!({"name": "hi", "text": "Hello!", "shared": true})),
        )
        .await;
    let quick_reply = q.body["id"].as_str().unwrap().to_owned();
    b.log_in_to(&app.base, "admin", ADMIN_PASSWORD, "ul.dialogs")
        .await;
    b.element("nav button[data-view='admin']")
        .await
        .click()
        .await
        .unwrap();

    b.admin_tab("tags").await;
    b.press("Edit tag VIP").await;
    b.set_and_save(&[("name", "Gold"), ("color", "yellow")])
        .await;
    let tags = app.call("GET", "/api/v1/tags", Some(&admin), None).await;
    let t = &tags.body["items"][0];
    assert_eq!(
        (t["id"].as_str(), t["name"].as_str(), t["color"].as_str()),
        (Some(tag.as_str()), Some("Gold"), Some("yellow"))
    );

    b.admin_tab("users").await;
    b.press("Edit maria").await;
    b.set_and_save(&[("role", "chat_admin")]).await;
    let users = app.call("GET", "/api/v1/users", Some(&admin), None).await;
    let m = users.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == maria.as_str())
        .unwrap()
        .clone();
    assert_eq!(m["role"], "chat_admin");

    b.admin_tab("channels").await;
    b.press("Edit channel custom shop").await;
    b.set_and_save(&[
        ("webhook_url", "https://hooks.shop.example/chatd"),
        ("reactions", "false"),
        ("warning_after", "60"),
        ("limit", "120"),
        ("away_text", "We answer from 9:00 on weekdays."),
    ])
    .await;
    let channels = app
        .call("GET", "/api/v1/channels", Some(&admin), None)
        .await;
    let c = &channels.body["items"][0];
    assert_eq!(c["webhook_url"], "https://hooks.shop.example/chatd");
    assert_eq!(c["capabilities"]["reactions"], false);
    assert_eq!(c["capabilities"]["text_max_len"], 2000, "the rest kept");
    assert_eq!(c["away_text"], "We answer from 9:00 on weekdays.", "R37");
    let limits = app
        .call("GET", "/api/v1/settings/time-limits", Some(&admin), None)
        .await;
    assert_eq!(
        limits.body["channels"][&channel]["limit"], 120,
        "{:?}",
        limits.body
    );

    // R37: the shop's hours, in its time zone, with a holiday.
    b.admin_tab("hours").await;
    // The tab renders once the calendar has been fetched.
    b.element("form.hours [aria-label='Saturday hours']").await;
    b.client
        .execute(
            "document.querySelector('[aria-label=\"Time zone\"]').value = 'Europe/Berlin';
             document.querySelector('[aria-label=\"Saturday hours\"]').value = '10:00-14:00';
             document.querySelector('[aria-label=\"Holidays\"]').value = '2026-12-25';",
            vec![],
        )
        .await
        .unwrap();
    b.element("form.hours button.primary")
        .await
        .click()
        .await
        .unwrap();
    b.sees("Hours saved").await;
    let cal = app
        .call("GET", "/api/v1/settings/calendar", Some(&admin), None)
        .await;
    let c = &cal.body["calendar"];
    assert_eq!(c["time_zone"], "Europe/Berlin", "{cal:?}");
    assert_eq!(c["week"]["sat"], json!([{"from": "10:00", "to": "14:00"}]));
    assert_eq!(
        c["week"]["mon"],
        json!([{"from": "09:00", "to": "18:00"}]),
        "the default weekday"
    );
    assert_eq!(c["holidays"], json!(["2026-12-25"]));
    b.sees("now").await;

    b.admin_tab("replies").await;
    b.press("Edit quick reply hi").await;
    b.set_and_save(&[("text", "Hello! How can we help?")]).await;
    let replies = app
        .call("GET", "/api/v1/quick-replies", Some(&admin), None)
        .await;
    let r = &replies.body["items"][0];
    assert_eq!(
        (r["id"].as_str(), r["text"].as_str()),
        (Some(quick_reply.as_str()), Some("Hello! How can we help?"))
    );

    let found = b.accessibility_violations().await;
    assert!(found.is_empty(), "administration: {found:#?}");
    let problems = b.problems(&app.base).await;
    assert!(problems.is_empty(), "{problems:?}");
    b.stop().await;
}
