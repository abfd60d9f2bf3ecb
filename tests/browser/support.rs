//! The browser the console tests drive: chromedriver on a free port and a headless Chromium
//! session, with helpers that wait for what a person would see.

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| PathBuf::from(d).join(name))
        .find(|p| p.is_file())
}

/// chromedriver on a free port, and a session of headless Chromium; `None` when not installed.
pub struct Browser {
    pub client: Client,
    driver: Child,
}

impl Browser {
    pub async fn start() -> Option<Browser> {
        let driver_bin = std::env::var_os("CHROMEDRIVER")
            .map(PathBuf::from)
            .or_else(|| which("chromedriver"))?;
        let chromium = ["chromium", "chromium-browser", "google-chrome"]
            .iter()
            .find_map(|b| which(b))?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .ok()?
            .local_addr()
            .ok()?
            .port();
        let driver = Command::new(driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let caps = json!({
            "goog:chromeOptions": {
                "binary": chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,900"]
            }
        });
        let mut last = None;
        for _ in 0..50 {
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.as_object().unwrap().clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => return Some(Browser { client, driver }),
                Err(e) => last = Some(e),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver did not start a session: {last:?}");
    }

    pub async fn stop(mut self) {
        let _ = self.client.close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }

    /// Wait until the page's text contains `text`.
    pub async fn sees(&self, text: &str) {
        let found = self
            .poll(|c| async move {
                let body = c.find(Locator::Css("body")).await.ok()?.text().await.ok()?;
                body.contains(text).then_some(())
            })
            .await;
        if found.is_none() {
            self.fail(&format!("the page never showed {text:?}")).await;
        }
    }

    /// The element `css` once it is there.
    pub async fn element(&self, css: &str) -> fantoccini::elements::Element {
        match self
            .poll(|c| async move { c.find(Locator::Css(css)).await.ok() })
            .await
        {
            Some(e) => e,
            None => self.fail(&format!("no {css} on the page")).await,
        }
    }

    /// Type `text` into `css`, again into the new element when a re-render (a live frame)
    /// replaced the one being typed into.
    pub async fn type_into(&self, css: &str, text: &str) {
        let typed = self
            .poll(|c| async move {
                let e = c.find(Locator::Css(css)).await.ok()?;
                e.clear().await.ok()?;
                e.send_keys(text).await.ok()
            })
            .await;
        if typed.is_none() {
            self.fail(&format!("could not type into {css}")).await;
        }
    }

    /// `f` until it answers, for up to 10 s.
    pub async fn poll<'a, T, F, Fut>(&'a self, f: F) -> Option<T>
    where
        F: Fn(&'a Client) -> Fut,
        Fut: std::future::Future<Output = Option<T>>,
    {
        for _ in 0..200 {
            if let Some(v) = f(&self.client).await {
                return Some(v);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        None
    }

    /// Fail, showing the page and the errors its scripts recorded.
    pub async fn fail(&self, what: &str) -> ! {
        let body = self.client.source().await.unwrap_or_default();
        let errors = self
            .client
            .execute(
                "return window.chatdConsole ? window.chatdConsole.errors : 'no console script ran'",
                vec![],
            )
            .await;
        panic!("{what}; errors: {errors:?}\n{body}");
    }

    /// The id of the dialog at the top of the list.
    pub async fn first_row(&self) -> String {
        let row = self.element("ul.dialogs li").await;
        row.attr("data-id").await.unwrap().unwrap_or_default()
    }

    /// Log in on the console's form; `then`: what the workspace shows once in.
    pub async fn log_in_to(&self, base: &str, login: &str, password: &str, then: &str) {
        self.client.goto(base).await.unwrap();
        self.element("#login").await.send_keys(login).await.unwrap();
        let password_box = self.element("#password").await;
        password_box.send_keys(password).await.unwrap();
        let submit = self.element("form.login button[type=submit]").await;
        submit.click().await.unwrap();
        self.element(then).await;
    }

    pub async fn log_in(&self, base: &str, login: &str, password: &str) {
        self.log_in_to(base, login, password, "ul.dialogs").await;
    }

    /// Script errors, CSP violations, and resources loaded from another origin.
    pub async fn problems(&self, base: &str) -> Vec<String> {
        let found = self
            .client
            .execute(
                "return [...window.chatdConsole.errors, ...performance.getEntriesByType('resource').map(e => e.name).filter(u => !u.startsWith(arguments[0]) && !u.startsWith('blob:') && !u.startsWith('ws:'))]",
                vec![json!(base)],
            )
            .await
            .unwrap();
        serde_json::from_value(found).unwrap()
    }
}

impl Browser {
    /// axe-core's serious and critical violations on the page as it is now (R39), as
    /// `rule: n nodes (first target)`.
    pub async fn accessibility_violations(&self) -> Vec<String> {
        const AXE: &str = include_str!("../fixtures/axe/axe.min.js");
        self.client.execute(AXE, vec![]).await.expect("axe loads");
        let found = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] }).then(r => done(
                   r.violations
                     .filter(v => v.impact === 'serious' || v.impact === 'critical')
                     .map(v => `${v.id}: ${v.nodes.length} nodes (${v.nodes[0].target.join(' ')}) ${v.nodes[0].failureSummary}`)
                 ), e => done([`axe failed: ${e}`]));",
                vec![],
            )
            .await
            .expect("axe runs");
        serde_json::from_value(found).unwrap()
    }
}

pub fn not_run() {
    eprintln!("NOT RUN: the console's browser test needs chromium and chromedriver (Debian: apt-get install chromium chromium-driver; .ci/run installs them)");
}
