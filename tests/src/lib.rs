//! `spawn_app()`: a real chatd on 127.0.0.1:0 with its own temporary data directory. Logs only
//! when `TEST_LOG` is set.

use chatd_server::config::{Config, Overrides};
use std::sync::Once;

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub dir: tempfile::TempDir,
    running: Option<chatd_server::Running>,
}

static TELEMETRY: Once = Once::new();

pub async fn spawn_app() -> TestApp {
    TELEMETRY.call_once(|| {
        if std::env::var_os("TEST_LOG").is_some() {
            chatd_server::telemetry::init("debug");
        }
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let config = Config::load(Overrides {
        config_file: None,
        listen: Some("127.0.0.1:0".into()),
        data_dir: Some(dir.path().to_owned()),
    })
    .expect("config");
    let running = chatd_server::start(&config).await.expect("start chatd");
    TestApp {
        base: format!("http://{}", running.addr),
        client: reqwest::Client::new(),
        dir,
        running: Some(running),
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    /// Stop gracefully, as on SIGTERM.
    pub async fn stop(mut self) {
        if let Some(r) = self.running.take() {
            r.stop().await;
        }
    }
}
