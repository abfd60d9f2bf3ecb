//! R39: a manager's first day at the desk, habit by habit, each a named step of one run:
//! nothing a manager does by habit goes wrong (issue 26).

use crate::support::{not_run, Browser};
use chatd_tests::*;
use fantoccini::Locator;
use serde_json::json;

/// A shop: maria (a manager) with three dialogs of her own, and boris, a colleague.
struct Desk {
    app: TestApp,
    admin: String,
    maria: String,
    maria_id: String,
    transport: String,
    dialogs: Vec<String>,
    tag: String,
}

async fn desk() -> Desk {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, transport) = app.channel(&admin, "telegram").await;
    let (maria, maria_token) = app.user(&admin, "maria", "manager", &[]).await;
    app.user(&admin, "boris", "manager", &[]).await;
    let mut dialogs = Vec::new();
    for (chat, text) in [
        ("ann", "Where is my kettle?"),
        ("bob", "Do you ship to Lisbon?"),
        ("cy", "Can I pay by card?"),
    ] {
        let d = app.dialog(&transport, chat, text).await;
        assert_eq!(app.reassign(&admin, &d, &maria).await.status, 200);
        dialogs.push(d);
    }
    let tag = app.tag(&admin, "VIP", "purple").await;
    let tag = tag.body["id"].as_str().unwrap().to_owned();
    // A second tag, pinned on the third dialog's customer.
    let wholesale = app.tag(&admin, "Wholesale", "blue").await;
    let customer = app.customer_of(&admin, &dialogs[2]).await;
    let put = app
        .call(
            "POST",
            &format!("/api/v1/customers/{customer}/tags"),
            Some(&admin),
            Some(json!({"tag_id": wholesale.body["id"], "pinned": true})),
        )
        .await;
    assert_eq!(put.status, 200, "{put:?}");
    Desk {
        app,
        admin,
        maria: maria_token,
        maria_id: maria.clone(),
        transport,
        dialogs,
        tag,
    }
}

impl Browser {
    /// Click the dialog's row (found afresh if a live update re-rendered it meanwhile).
    async fn open_dialog(&self, id: &str, shows: &str) {
        let css = format!("li[data-id='{id}']");
        let clicked = self
            .poll(|c| {
                let css = css.clone();
                async move { c.find(Locator::Css(&css)).await.ok()?.click().await.ok() }
            })
            .await;
        if clicked.is_none() {
            self.fail(&format!("could not open {id}")).await;
        }
        self.sees(shows).await;
    }

    /// What the reply box holds (read through the page: the box may be redrawn meanwhile).
    async fn reply_box(&self) -> String {
        self.element("#composer-text").await;
        let v = self
            .client
            .execute(
                "return document.getElementById('composer-text').value",
                vec![],
            )
            .await
            .unwrap();
        v.as_str().unwrap_or_default().to_owned()
    }

    /// Click the button labelled `text`, found afresh if a live update re-rendered it.
    async fn click_button(&self, text: &str) {
        let xpath = format!("//button[text()='{text}']");
        let clicked = self
            .poll(|c| {
                let xpath = xpath.clone();
                async move {
                    c.find(Locator::XPath(&xpath))
                        .await
                        .ok()?
                        .click()
                        .await
                        .ok()
                }
            })
            .await;
        if clicked.is_none() {
            self.fail(&format!("could not click {text:?}")).await;
        }
    }

    /// Wait until `check` of the page holds.
    async fn until(&self, what: &str, script: &str) {
        let ok = self
            .poll(|c| async move {
                let v = c.execute(script, vec![]).await.ok()?;
                (v == json!(true)).then_some(())
            })
            .await;
        if ok.is_none() {
            self.fail(what).await;
        }
    }
}

/// Step 1: an internal note is posted; the dialog is opened again and the reply box is empty
/// (the note never became the dialog's draft).
async fn a_note_leaves_no_draft_behind(b: &Browser, d: &Desk) {
    b.open_dialog(&d.dialogs[0], "Where is my kettle?").await;
    b.element("#note-mode").await.click().await.unwrap();
    b.element("#composer-text")
        .await
        .send_keys("Boris, can you check the warehouse?")
        .await
        .unwrap();
    b.click_button("Add note").await;
    b.sees("Note by MARIA").await;
    b.open_dialog(&d.dialogs[1], "Do you ship to Lisbon?").await;
    b.open_dialog(&d.dialogs[0], "Boris, can you check the warehouse?")
        .await;
    assert_eq!(b.reply_box().await, "", "the note is not a draft");
    let row = d.app.detail(&d.maria, &d.dialogs[0], None).await;
    assert!(
        row.body["draft"].is_null(),
        "no draft on the server: {:?}",
        row.body
    );
    let note_mode = b
        .client
        .execute(
            "return document.getElementById('note-mode').checked",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(note_mode, json!(false), "the box is for replies again");
}

/// Step 2: a mention through the colleague picker reaches boris, logged in in a second browser.
async fn a_mention_through_the_picker_reaches_the_colleague(
    b: &Browser,
    boris: &Browser,
    d: &Desk,
) {
    boris.log_in(&d.app.base, "boris", "password-123").await;
    let boris_id = d
        .app
        .call("GET", "/api/v1/users", Some(&d.admin), None)
        .await
        .body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["login"] == "boris")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    b.open_dialog(&d.dialogs[1], "Do you ship to Lisbon?").await;
    b.element("#note-mode").await.click().await.unwrap();
    b.element("#mention-picker")
        .await
        .select_by_value(&boris_id)
        .await
        .unwrap();
    b.sees("@BORIS").await;
    b.element("#composer-text")
        .await
        .send_keys("Do we ship to Portugal?")
        .await
        .unwrap();
    b.click_button("Add note").await;
    boris
        .sees("MARIA mentioned you: Do we ship to Portugal?")
        .await;
    // The dialog, hidden from boris by R2, is his to read now.
    boris
        .element(&format!("li[data-id='{}']", d.dialogs[1]))
        .await;
}

/// Step 3: mark unread, open again: the mark is gone, for the row and the header counter.
async fn mark_unread_then_open_clears_it(b: &Browser, d: &Desk) {
    let id = &d.dialogs[2];
    b.open_dialog(id, "Can I pay by card?").await;
    b.click_button("Mark unread").await;
    let badge = format!("li[data-id='{id}'] .badge");
    b.element(&badge).await;
    b.until(
        "the header counts the marked dialog",
        "return document.querySelector('.counter').textContent !== '0'",
    )
    .await;
    b.open_dialog(id, "Can I pay by card?").await;
    b.until(
        "the unread mark clears when the dialog is opened",
        &format!("return !document.querySelector(\"{badge}\")"),
    )
    .await;
    let row = d.app.detail(&d.maria, id, None).await;
    assert_eq!(row.body["marked_unread"], false, "{:?}", row.body);
}

/// Step 4: type, switch at once, come back: the text is there.
async fn a_draft_survives_switching_at_once(b: &Browser, d: &Desk) {
    b.open_dialog(&d.dialogs[0], "Where is my kettle?").await;
    b.element("#composer-text")
        .await
        .send_keys("Your kettle left the warehouse")
        .await
        .unwrap();
    b.open_dialog(&d.dialogs[1], "Do you ship to Lisbon?").await;
    b.open_dialog(&d.dialogs[0], "Where is my kettle?").await;
    assert_eq!(b.reply_box().await, "Your kettle left the warehouse");
    // And after a reload of the page.
    b.element("#composer-text")
        .await
        .send_keys(" today")
        .await
        .unwrap();
    b.client.refresh().await.unwrap();
    b.open_dialog(&d.dialogs[0], "Where is my kettle?").await;
    assert_eq!(b.reply_box().await, "Your kettle left the warehouse today");
}

/// Step 5: closing one's own dialog keeps it in view, as closed.
async fn closing_ones_dialog_keeps_it_in_view(b: &Browser, d: &Desk) {
    let id = &d.dialogs[1];
    b.open_dialog(id, "Do you ship to Lisbon?").await;
    b.click_button("Close").await;
    b.sees("· closed ·").await;
    b.element(&format!("li[data-id='{id}'].closed")).await;
    let body = b.client.find(Locator::Css("body")).await.unwrap();
    let text = body.text().await.unwrap();
    assert!(!text.contains("no longer yours"), "{text}");
    assert!(text.contains("Do you ship to Lisbon?"));
}

/// Step 6: the customer's card beside the dialog shows the contact, the source and its UTM.
async fn the_card_shows_source_and_utm(b: &Browser, d: &Desk) {
    b.open_dialog(&d.dialogs[0], "Where is my kettle?").await;
    let card = b.element("aside.card").await;
    b.sees("utm_source: ads").await;
    let text = card.text().await.unwrap();
    assert!(text.contains("Customer cust-ann"), "{text}");
    assert!(text.contains("telegram"), "{text}");
}

/// Step 7: a tag is added from the card, and the server has it.
async fn a_tag_is_added_from_the_card(b: &Browser, d: &Desk) {
    b.open_dialog(&d.dialogs[0], "Where is my kettle?").await;
    b.element("#card-add-tag")
        .await
        .select_by_value(&d.tag)
        .await
        .unwrap();
    b.element("ul.card-tags li").await;
    let row = d.app.detail(&d.maria, &d.dialogs[0], None).await;
    let tags = row.body["customer_card"]["tags"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(tags.len(), 1, "{tags:?}");
    assert_eq!(tags[0]["id"], d.tag.as_str());
}

/// Step 8: a manager without `dialogs.delete` gets no checkboxes to select dialogs with.
async fn no_delete_checkboxes_without_the_right(b: &Browser) {
    b.element("ul.dialogs li").await;
    let boxes = b
        .client
        .find_all(Locator::Css("ul.dialogs input[type=checkbox]"))
        .await
        .unwrap();
    assert!(boxes.is_empty(), "{} checkboxes", boxes.len());
}

/// Step 9: axe-core finds no serious or critical violation on the desk with a dialog open, nor
/// with the filter window open.
async fn no_serious_accessibility_violation(b: &Browser, d: &Desk) {
    b.open_dialog(&d.dialogs[0], "Where is my kettle?").await;
    let found = b.accessibility_violations().await;
    assert!(found.is_empty(), "the desk: {found:#?}");
    b.click_button("Filters").await;
    b.sees("Last message").await;
    let found = b.accessibility_violations().await;
    assert!(found.is_empty(), "the filter window: {found:#?}");
}

/// Step 10: from the keyboard, Enter on a row opens the dialog with the cursor in the reply
/// box, and a message's actions are in the tab order, shown when focused.
async fn the_keyboard_reaches_the_reply_box_and_message_actions(b: &Browser, d: &Desk) {
    let row = b.element(&format!("li[data-id='{}']", d.dialogs[2])).await;
    row.send_keys("\u{E007}").await.unwrap();
    b.sees("Can I pay by card?").await;
    b.until(
        "Enter on a row puts the cursor in the reply box",
        "return document.activeElement && document.activeElement.id === 'composer-text'",
    )
    .await;
    b.until(
        "a customer message's Quote action is focusable and shown when focused",
        "const q = document.querySelector('.msg:not(.out) .hover button[aria-label=\"Quote this message\"]');
         if (!q) return false; q.focus();
         return document.activeElement === q && getComputedStyle(q.parentElement).opacity === '1';",
    )
    .await;
}

/// Step 11: the seed's filter window: a tag search, the pinned switch narrowing the tag list, a
/// chosen tag first, "No tags set", a visible filtered state and a reset.
async fn the_filter_window_is_the_seeds(b: &Browser, d: &Desk) {
    let tags = "document.querySelector('.tag-list').textContent";
    b.element("#tag-search")
        .await
        .send_keys("whole")
        .await
        .unwrap();
    b.until(
        "the tag search narrows the tag list",
        &format!("const t = {tags}; return t.includes('Wholesale') && !t.includes('VIP')"),
    )
    .await;
    let search = b.element("#tag-search").await;
    search.send_keys(&"\u{E003}".repeat(5)).await.unwrap();
    b.until("every tag again", &format!("return {tags}.includes('VIP')"))
        .await;
    b.element("#pinned-only").await.click().await.unwrap();
    b.until(
        "the pinned switch keeps only tags pinned somewhere",
        &format!("const t = {tags}; return t.includes('Wholesale') && !t.includes('VIP')"),
    )
    .await;
    b.element("#pinned-only").await.click().await.unwrap();
    b.until("VIP back", &format!("return {tags}.includes('VIP')"))
        .await;
    // Choose VIP: it moves to the top, the list narrows, the button says it is filtered.
    let vip = "[...document.querySelectorAll('.tag-list label')].find(l => l.textContent.includes('VIP')).querySelector('input')";
    b.client
        .execute(&format!("{vip}.click()"), vec![])
        .await
        .unwrap();
    b.until(
        "a chosen tag is first and the list narrows to its dialog",
        &format!(
            "return document.querySelector('.tag-list label').textContent.includes('VIP')
               && document.querySelectorAll('ul.dialogs li').length === 1
               && document.querySelector('ul.dialogs li').dataset.id === '{}'
               && /Filters \\(\\d\\)/.test(document.querySelector('[aria-controls=filters]').textContent)",
            d.dialogs[0]
        ),
    )
    .await;
    b.element("#reset-filters").await.click().await.unwrap();
    // (The second dialog was closed in step 5: two are open.)
    b.until(
        "the reset shows every open dialog again",
        "return document.querySelectorAll('ul.dialogs li').length === 2
           && document.querySelector('[aria-controls=filters]').textContent === 'Filters'",
    )
    .await;
    b.client
        .execute(
            "[...document.querySelectorAll('input[name=status]')].find(i => i.parentElement.textContent === 'all').click()",
            vec![],
        )
        .await
        .unwrap();
    b.until(
        "status all lists the closed one too",
        "return document.querySelectorAll('ul.dialogs li').length === 3",
    )
    .await;
    b.element("#no-tags").await.click().await.unwrap();
    b.until(
        "No tags set lists only the untagged",
        &format!(
            "return document.querySelectorAll('ul.dialogs li').length === 1
               && document.querySelector('ul.dialogs li').dataset.id === '{}'",
            d.dialogs[1]
        ),
    )
    .await;
    b.element("#reset-filters").await.click().await.unwrap();
}

/// Step 12: an action is offered only where it is allowed, and otherwise says why: an
/// unassigned dialog cannot be closed by a manager; a text over 2000 characters cannot be sent.
async fn actions_are_offered_only_where_allowed(b: &Browser, d: &Desk) {
    let transport = &d.transport;
    let dee = d
        .app
        .dialog(transport, "dee", "Is the shop open on Sunday?")
        .await;
    b.open_dialog(&dee, "Is the shop open on Sunday?").await;
    b.until(
        "Close is disabled for a manager on an unassigned dialog, saying why",
        "const c = [...document.querySelectorAll('.dialog-head button')].find(b => b.textContent === 'Close');
         return !!c && c.disabled && c.title.includes('only its responsible');",
    )
    .await;
    let long = "x".repeat(2001);
    b.client
        .execute(
            "const t = document.getElementById('composer-text'); t.value = arguments[0]; t.dispatchEvent(new Event('input'));",
            vec![json!(long)],
        )
        .await
        .unwrap();
    b.sees("Too long: at most 2000 characters.").await;
    b.until(
        "Send is disabled while the text is too long",
        "return document.querySelector('.composer button.primary').disabled === true",
    )
    .await;
    b.client
        .execute(
            "const t = document.getElementById('composer-text'); t.value = ''; t.dispatchEvent(new Event('input'));",
            vec![],
        )
        .await
        .unwrap();
}

/// Step 13 (last: it stops chatd): offline, the indicator shows and an unsent reply is kept.
async fn offline_the_indicator_shows_and_the_text_is_kept(b: &Browser, d: Desk) {
    b.open_dialog(&d.dialogs[2], "Can I pay by card?").await;
    b.sees("● Live").await;
    let _stopped = d.app.stop().await;
    b.sees("Offline: reconnecting…").await;
    b.element("#composer-text")
        .await
        .send_keys("We take cards and PayPal")
        .await
        .unwrap();
    b.element(".composer button.primary")
        .await
        .click()
        .await
        .unwrap();
    b.sees("Not sent: chatd cannot be reached").await;
    assert_eq!(b.reply_box().await, "We take cards and PayPal");
}

/// Step 14 (R37): a dialog is snoozed from its header and woken again; a reply typed in the
/// composer is scheduled for later (the box empties, the message waits in "Send later") and
/// cancelled there.
async fn snooze_and_send_later(b: &Browser, d: &Desk) {
    let id = d
        .app
        .dialog(&d.transport, "dee", "Is the red one back in stock?")
        .await;
    assert_eq!(d.app.reassign(&d.admin, &id, &d.maria_id).await.status, 200);
    b.open_dialog(&id, "Is the red one back in stock?").await;
    b.click_button("Snooze").await;
    b.sees("Snoozed until").await;
    let snoozed = d
        .app
        .call(
            "GET",
            "/api/v1/dialogs?status=snoozed",
            Some(&d.maria),
            None,
        )
        .await;
    assert_eq!(ids(&snoozed.body), vec![id.clone()], "{snoozed:?}");
    b.click_button("Wake now").await;
    b.until(
        "the header no longer says snoozed",
        "return !document.querySelector('.dialog-head').textContent.includes('Snoozed until')",
    )
    .await;
    let open = d
        .app
        .call(
            "GET",
            "/api/v1/dialogs?status=snoozed",
            Some(&d.maria),
            None,
        )
        .await;
    assert!(ids(&open.body).is_empty(), "{open:?}");

    // The wake's frame may re-render the composer while it is typed into.
    b.type_into("#composer-text", "The red one arrives on Monday")
        .await;
    b.element("details.later summary")
        .await
        .click()
        .await
        .unwrap();
    b.click_button("Schedule").await;
    b.element("ul.scheduled li.scheduled-pending").await;
    assert_eq!(b.reply_box().await, "", "what was scheduled left the box");
    let path = format!("/api/v1/dialogs/{id}/scheduled");
    let listed = d.app.call("GET", &path, Some(&d.maria), None).await;
    assert_eq!(listed.body["items"][0]["status"], "pending", "{listed:?}");
    assert_eq!(
        listed.body["items"][0]["text"],
        "The red one arrives on Monday"
    );
    b.click_button("Cancel").await;
    b.until(
        "the cancelled message leaves the list",
        "return !document.querySelector('ul.scheduled li.scheduled-pending')",
    )
    .await;
    let listed = d.app.call("GET", &path, Some(&d.maria), None).await;
    assert_eq!(listed.body["items"][0]["status"], "cancelled", "{listed:?}");
}

/// Step 15 (R36): the Reports page draws its charts (inline SVG) and a table of the
/// manager's own figures; the CSV downloads come from the same figures.
async fn the_reports_page_draws_a_chart(b: &Browser) {
    b.element("nav button[data-view='reports']")
        .await
        .click()
        .await
        .unwrap();
    b.sees("your own figures").await;
    b.element("figure.chart svg.chart-svg rect.bar").await;
    b.until(
        "a chart per figure, and the total row",
        "return document.querySelectorAll('figure.chart svg').length === 2
           && [...document.querySelectorAll('table.report th')].some(t => t.textContent === 'Total')",
    )
    .await;
    b.element("nav button[data-view='desk']")
        .await
        .click()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_managers_first_day_goes_right() {
    let Some(b) = Browser::start().await else {
        return not_run();
    };
    let Some(boris) = Browser::start().await else {
        return not_run();
    };
    let d = desk().await;
    b.log_in(&d.app.base, "maria", "password-123").await;
    a_note_leaves_no_draft_behind(&b, &d).await;
    a_mention_through_the_picker_reaches_the_colleague(&b, &boris, &d).await;
    mark_unread_then_open_clears_it(&b, &d).await;
    a_draft_survives_switching_at_once(&b, &d).await;
    closing_ones_dialog_keeps_it_in_view(&b, &d).await;
    the_card_shows_source_and_utm(&b, &d).await;
    a_tag_is_added_from_the_card(&b, &d).await;
    no_delete_checkboxes_without_the_right(&b).await;
    no_serious_accessibility_violation(&b, &d).await;
    the_filter_window_is_the_seeds(&b, &d).await;
    the_keyboard_reaches_the_reply_box_and_message_actions(&b, &d).await;
    actions_are_offered_only_where_allowed(&b, &d).await;
    snooze_and_send_later(&b, &d).await;
    the_reports_page_draws_a_chart(&b).await;
    let problems = b.problems(&d.app.base).await;
    assert!(problems.is_empty(), "{problems:?}");
    offline_the_indicator_shows_and_the_text_is_kept(&b, d).await;
    boris.stop().await;
    b.stop().await;
}
