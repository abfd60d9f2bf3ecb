//! Configuration: defaults, then a TOML file, then `CHATD_*` environment variables and flags
//! (clap reads both; a flag wins over its variable).

use serde::Deserialize;
use std::path::{Path, PathBuf};
use thiserror::Error;

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
pub const DEFAULT_DATA_DIR: &str = "./data";

/// The TOML file's shape; every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub listen: Option<String>,
    pub data_dir: Option<PathBuf>,
    /// A tracing filter such as `info` or `chatd=debug,info`.
    pub log: Option<String>,
    /// `"embedded"`, `"kurrentdb"`, or a `[store]` table.
    pub store: Option<StoreSetting>,
    /// Frames one WebSocket may have queued before it counts as too slow.
    pub ws_queue: Option<usize>,
    /// Where uploaded files live: a directory, or `s3://bucket/prefix` (default `<data_dir>/files`).
    pub file_store: Option<String>,
    pub webhooks: Option<WebhookFileConfig>,
    /// Images decoded at once for their previews (R32: bounds the memory uploads can take).
    pub image_decodes: Option<usize>,
    /// The most memory one image decode may allocate, in MiB; a larger image is stored and
    /// measured but gets no preview.
    pub image_decode_mib: Option<u64>,
    /// R28: a session unused for this many minutes has expired (default 1440, a day).
    pub session_idle_minutes: Option<u64>,
    /// R29: the Ed25519 key (PKCS#8 PEM) audit checkpoints are signed with
    /// (`CHATD_AUDIT_KEY_FILE`); it must exist. Default: `<data_dir>/audit-signing-key.pem`,
    /// created on first start.
    pub audit_key_file: Option<PathBuf>,
    /// R35: the master key (64 hex digits) that wraps every data key (`CHATD_MASTER_KEY_FILE`);
    /// it must exist. Default: `<data_dir>/master.key`, created on first start. Keep it out of
    /// the data directory's backups (docs/PRIVACY.md).
    pub master_key_file: Option<PathBuf>,
    /// Origins a browser page may call the API from besides chatd's own, e.g.
    /// `["https://app.shop.example"]` (`CHATD_CORS_ORIGINS`, comma-separated). Default: none.
    pub cors_origins: Option<Vec<String>>,
    /// chatd's own address as browsers reach it, e.g. `https://chat.shop.example`
    /// (`CHATD_PUBLIC_URL`): the origin the console's pages come from. Without it, only a page
    /// at an IP address or `localhost` counts as chatd's own (docs/SECURITY.md).
    pub public_url: Option<String>,
    /// WebSockets one user may hold on this node (default 20); a new one beyond it closes the
    /// user's oldest with 4429 `too_many_sockets`.
    pub ws_per_user: Option<usize>,
    /// A request body must have arrived this many seconds after the head (default 10) ...
    pub body_timeout_s: Option<u64>,
    /// ... plus one second per this many KiB received (default 16): a large upload over a slow
    /// line still passes, a trickle does not. Over it: 408 and the connection is closed.
    pub body_min_kib_per_s: Option<u64>,
    /// R34: how long a node holds a duty's lease (webhook delivery, the distribution bot)
    /// between renewals (default 10 s): when the holder dies, another node takes over within
    /// about this time. Renewed every third of it.
    pub lease_ttl_s: Option<u64>,
    /// Testing only: the read models apply each batch of the log this many milliseconds late,
    /// to show that writes wait for the caller's own earlier writes (R38).
    pub test_follower_delay_ms: Option<u64>,
    /// Testing only (R37): a clock an admin may set (`PUT /api/v1/test/clock`), starting at this
    /// RFC 3339 time or `"now"` (`CHATD_TEST_CLOCK`). Never in service: it moves every timer.
    pub test_clock: Option<String>,
}

/// Outgoing webhook delivery (SPEC §5).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookFileConfig {
    /// Attempts before a message is `failed` with `network_error`.
    pub attempts: Option<u32>,
    /// The first retry's delay; each next one doubles, up to `max_delay_ms`.
    pub base_delay_ms: Option<u64>,
    pub max_delay_ms: Option<u64>,
    /// How long one attempt may take.
    pub timeout_ms: Option<u64>,
    /// Deliveries in flight per channel: a slow integration holds only its own.
    pub per_channel: Option<usize>,
    /// Whether this node may deliver webhooks (`true`). On PostgreSQL the node holding the
    /// `webhooks` lease delivers (R34, docs/CLUSTER.md), so every node may keep it on; on
    /// KurrentDB, where leases are not shared yet, keep it on for one node only.
    pub enabled: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum StoreSetting {
    Kind(String),
    Table(StoreFileConfig),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreFileConfig {
    /// `embedded` (the default), `postgres` or `kurrentdb`.
    pub kind: Option<String>,
    /// PostgreSQL's connection URL (`CHATD_POSTGRES`), e.g.
    /// `postgres://chatd:secret@db.internal:5432/chatd` (docs/POSTGRES.md).
    pub url: Option<String>,
    /// KurrentDB's connection string (`CHATD_KURRENTDB`), e.g.
    /// `kurrentdb://localhost:2113?tls=false` or `kurrentdb+discover://a:2113,b:2113,c:2113`.
    pub connection: Option<String>,
    /// Most appends one group commit takes.
    pub max_batch: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreKind {
    Embedded,
    /// R33: a PostgreSQL database, by URL.
    Postgres {
        url: String,
    },
    KurrentDb {
        connection: String,
    },
}

/// KurrentDB on this machine, insecure: what `store = "kurrentdb"` alone means.
pub const DEFAULT_KURRENTDB: &str = "kurrentdb://localhost:2113?tls=false";

#[derive(Debug, Clone)]
pub struct Config {
    pub listen: String,
    pub data_dir: PathBuf,
    pub log: String,
    pub store: StoreKind,
    pub max_batch: usize,
    /// The bootstrap admin's password on an empty store (`CHATD_ADMIN_PASSWORD`).
    pub admin_password: Option<String>,
    /// Frames one WebSocket may have queued before it is told `resync_required` and dropped.
    pub ws_queue: usize,
    pub file_store: Option<String>,
    pub webhooks: WebhookConfig,
    /// Images decoded at once, and the memory cap of each decode (R32).
    pub image_decodes: usize,
    pub image_decode_bytes: u64,
    /// R28: how long a session may go unused.
    pub session_idle: time::Duration,
    /// R29: where the audit signing key is kept, when not in the data directory.
    pub audit_key_file: Option<PathBuf>,
    /// R35: where the master key is kept, when not in the data directory.
    pub master_key_file: Option<PathBuf>,
    /// Cross-origin pages allowed to call the API (exact origins).
    pub cors_origins: std::sync::Arc<[String]>,
    /// chatd's own origin as browsers reach it (see `FileConfig::public_url`).
    pub public_url: Option<String>,
    pub ws_per_user: usize,
    pub body_timing: crate::http::body::BodyTiming,
    /// R34: a duty's lease time (`FileConfig::lease_ttl_s`).
    pub lease_ttl: std::time::Duration,
    pub test_follower_delay: Option<std::time::Duration>,
    /// R37: the settable test clock, and where it starts (`None` inside: now).
    pub test_clock: Option<Option<time::OffsetDateTime>>,
    /// R38: each request waits for its caller's own earlier writes (`http::own_writes`). Always
    /// on in service; `chatd-bench p2` turns it off once to show what it costs (`min_position`
    /// is honoured either way).
    /// R35: seal personal strings under data keys (always, but for the bench's measure of
    /// what sealing costs; not settable from the file or the environment).
    pub seal_personal_data: bool,
    pub own_writes: bool,
}

#[derive(Debug, Clone)]
pub struct WebhookConfig {
    pub enabled: bool,
    pub attempts: u32,
    pub base_delay: std::time::Duration,
    pub max_delay: std::time::Duration,
    pub timeout: std::time::Duration,
    pub per_channel: usize,
}

impl WebhookConfig {
    fn from_file(f: WebhookFileConfig) -> WebhookConfig {
        use std::time::Duration;
        WebhookConfig {
            enabled: f.enabled.unwrap_or(true),
            attempts: f.attempts.unwrap_or(10).max(1),
            base_delay: Duration::from_millis(f.base_delay_ms.unwrap_or(1_000)),
            max_delay: Duration::from_millis(f.max_delay_ms.unwrap_or(300_000)),
            timeout: Duration::from_millis(f.timeout_ms.unwrap_or(10_000).max(1)),
            per_channel: f.per_channel.unwrap_or(32).max(1),
        }
    }
}

impl Default for WebhookConfig {
    fn default() -> Self {
        WebhookConfig::from_file(WebhookFileConfig::default())
    }
}

#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("config file {path}: {source}")]
    Parse {
        path: PathBuf,
        #[source]
        source: toml::de::Error,
    },
    #[error("unknown store kind {0:?} (known: embedded, postgres, kurrentdb)")]
    UnknownStore(String),
    #[error("test_clock must be \"now\" or an RFC 3339 time, not {0:?}")]
    TestClock(String),
    #[error("store = \"postgres\" needs a URL: [store] url = \"postgres://…\" or CHATD_POSTGRES")]
    PostgresUrlMissing,
}

/// What came from flags and environment; `None` where neither said anything.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub config_file: Option<PathBuf>,
    pub listen: Option<String>,
    pub data_dir: Option<PathBuf>,
}

impl Config {
    /// Resolve the configuration. Without `--config`, `chatd.toml` in the data directory is read
    /// when it exists.
    pub fn load(o: Overrides) -> Result<Config, ConfigError> {
        let file = match &o.config_file {
            Some(path) => read_file(path)?,
            None => {
                let dir = o
                    .data_dir
                    .clone()
                    .unwrap_or_else(|| DEFAULT_DATA_DIR.into());
                let path = dir.join("chatd.toml");
                if path.exists() {
                    read_file(&path)?
                } else {
                    FileConfig::default()
                }
            }
        };
        let store_section = match file.store {
            None => StoreFileConfig::default(),
            Some(StoreSetting::Table(t)) => t,
            Some(StoreSetting::Kind(kind)) => StoreFileConfig {
                kind: Some(kind),
                ..StoreFileConfig::default()
            },
        };
        let kind = std::env::var("CHATD_STORE")
            .ok()
            .filter(|k| !k.is_empty())
            .or(store_section.kind);
        let store = match kind.as_deref() {
            None | Some("embedded") => StoreKind::Embedded,
            Some("postgres") => StoreKind::Postgres {
                url: std::env::var("CHATD_POSTGRES")
                    .ok()
                    .filter(|u| !u.is_empty())
                    .or(store_section.url)
                    .ok_or(ConfigError::PostgresUrlMissing)?,
            },
            Some("kurrentdb") => StoreKind::KurrentDb {
                connection: std::env::var("CHATD_KURRENTDB")
                    .ok()
                    .filter(|c| !c.is_empty())
                    .or(store_section.connection)
                    .unwrap_or_else(|| DEFAULT_KURRENTDB.into()),
            },
            Some(other) => return Err(ConfigError::UnknownStore(other.to_owned())),
        };
        Ok(Config {
            listen: o
                .listen
                .or(file.listen)
                .unwrap_or_else(|| DEFAULT_LISTEN.into()),
            data_dir: o
                .data_dir
                .or(file.data_dir)
                .unwrap_or_else(|| DEFAULT_DATA_DIR.into()),
            log: std::env::var("CHATD_LOG")
                .ok()
                .or(file.log)
                .unwrap_or_else(|| "info".into()),
            store,
            max_batch: store_section.max_batch.unwrap_or(1024),
            admin_password: std::env::var("CHATD_ADMIN_PASSWORD")
                .ok()
                .filter(|p| !p.is_empty()),
            ws_queue: file.ws_queue.unwrap_or(crate::gateway::hub::QUEUE).max(1),
            file_store: std::env::var("CHATD_FILE_STORE")
                .ok()
                .filter(|s| !s.is_empty())
                .or(file.file_store),
            webhooks: WebhookConfig::from_file(file.webhooks.unwrap_or_default()),
            image_decodes: file
                .image_decodes
                .unwrap_or(crate::files::DEFAULT_IMAGE_DECODES)
                .max(1),
            image_decode_bytes: file
                .image_decode_mib
                .map_or(crate::files::DEFAULT_IMAGE_DECODE_BYTES, |m| {
                    m.max(1) * 1024 * 1024
                }),
            session_idle: file
                .session_idle_minutes
                .map_or(chatd_app::usecases::sessions::DEFAULT_IDLE, |m| {
                    time::Duration::minutes(m.clamp(1, 60 * 24 * 30) as i64)
                }),
            audit_key_file: std::env::var_os("CHATD_AUDIT_KEY_FILE")
                .filter(|p| !p.is_empty())
                .map(PathBuf::from)
                .or(file.audit_key_file),
            master_key_file: std::env::var_os("CHATD_MASTER_KEY_FILE")
                .filter(|p| !p.is_empty())
                .map(PathBuf::from)
                .or(file.master_key_file),
            cors_origins: std::env::var("CHATD_CORS_ORIGINS")
                .ok()
                .filter(|s| !s.is_empty())
                .map(|s| s.split(',').map(|o| o.trim().to_owned()).collect())
                .or(file.cors_origins)
                .unwrap_or_default()
                .into_iter()
                .filter(|o| !o.is_empty())
                .collect(),
            public_url: std::env::var("CHATD_PUBLIC_URL")
                .ok()
                .filter(|s| !s.is_empty())
                .or(file.public_url),
            ws_per_user: file
                .ws_per_user
                .unwrap_or(crate::gateway::hub::PER_USER)
                .max(1),
            body_timing: crate::http::body::BodyTiming::new(
                file.body_timeout_s,
                file.body_min_kib_per_s,
            ),
            lease_ttl: std::time::Duration::from_secs(
                file.lease_ttl_s.unwrap_or(10).clamp(1, 3600),
            ),
            test_follower_delay: file
                .test_follower_delay_ms
                .filter(|ms| *ms > 0)
                .map(std::time::Duration::from_millis),
            test_clock: match std::env::var("CHATD_TEST_CLOCK")
                .ok()
                .filter(|s| !s.is_empty())
                .or(file.test_clock)
            {
                None => None,
                Some(s) if s == "now" => Some(None),
                Some(s) => Some(Some(
                    time::OffsetDateTime::parse(&s, &time::format_description::well_known::Rfc3339)
                        .map_err(|_| ConfigError::TestClock(s))?,
                )),
            },
            own_writes: true,
            seal_personal_data: true,
        })
    }

    /// The audit signing key, read (and, in the data directory only, created when missing).
    pub fn audit_key(&self) -> Result<crate::audit::key::AuditKey, String> {
        crate::audit::key::AuditKey::load_or_create(
            &self.audit_key_path(),
            self.audit_key_file.is_none(),
        )
    }

    /// The audit key's file: configured, or in the data directory.
    pub fn audit_key_path(&self) -> PathBuf {
        self.audit_key_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join(crate::audit::key::KEY_FILE))
    }

    /// R35: the master key's file: configured, or in the data directory.
    pub fn master_key_path(&self) -> PathBuf {
        self.master_key_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join(crate::master_key::MASTER_KEY_FILE))
    }

    /// The embedded store's file.
    pub fn store_path(&self) -> PathBuf {
        self.data_dir.join("events.db")
    }
}

fn read_file(path: &Path) -> Result<FileConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_owned(),
        source,
    })?;
    toml::from_str(&text).map_err(|source| ConfigError::Parse {
        path: path.to_owned(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_the_file_and_the_file_over_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.toml");
        std::fs::write(
            &file,
            "listen = \"0.0.0.0:9000\"\n[store]\nmax_batch = 64\n",
        )
        .unwrap();
        let c = Config::load(Overrides {
            config_file: Some(file.clone()),
            ..Overrides::default()
        })
        .unwrap();
        assert_eq!(c.listen, "0.0.0.0:9000");
        assert_eq!(c.max_batch, 64);
        assert_eq!(c.data_dir, PathBuf::from(DEFAULT_DATA_DIR));
        let c = Config::load(Overrides {
            config_file: Some(file),
            listen: Some("127.0.0.1:1".into()),
            data_dir: Some(dir.path().into()),
        })
        .unwrap();
        assert_eq!(c.listen, "127.0.0.1:1");
        assert_eq!(c.data_dir, dir.path());
    }

    #[test]
    fn unknown_keys_and_stores_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.toml");
        std::fs::write(&file, "lisen = \"x\"\n").unwrap();
        let o = Overrides {
            config_file: Some(file.clone()),
            ..Overrides::default()
        };
        assert!(matches!(
            Config::load(o.clone()),
            Err(ConfigError::Parse { .. })
        ));
        std::fs::write(&file, "[store]\nkind = \"mysql\"\n").unwrap();
        assert!(matches!(
            Config::load(o.clone()),
            Err(ConfigError::UnknownStore(_))
        ));
        std::fs::write(&file, "store = \"postgres\"\n").unwrap();
        assert!(matches!(
            Config::load(o.clone()),
            Err(ConfigError::PostgresUrlMissing)
        ));
        std::fs::write(
            &file,
            "[store]\nkind = \"postgres\"\nurl = \"postgres://db/chatd\"\n",
        )
        .unwrap();
        assert_eq!(
            Config::load(o).unwrap().store,
            StoreKind::Postgres {
                url: "postgres://db/chatd".into()
            }
        );
    }

    #[test]
    fn kurrentdb_is_chosen_by_a_word_or_a_table() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.toml");
        let load = |text: &str| {
            std::fs::write(&file, text).unwrap();
            Config::load(Overrides {
                config_file: Some(file.clone()),
                ..Overrides::default()
            })
            .unwrap()
            .store
        };
        assert_eq!(
            load("store = \"kurrentdb\"\n"),
            StoreKind::KurrentDb {
                connection: DEFAULT_KURRENTDB.into()
            }
        );
        assert_eq!(
            load("[store]\nkind = \"kurrentdb\"\nconnection = \"kurrentdb+discover://a:2113,b:2113\"\n"),
            StoreKind::KurrentDb {
                connection: "kurrentdb+discover://a:2113,b:2113".into()
            }
        );
        assert_eq!(load("[store]\nmax_batch = 8\n"), StoreKind::Embedded);
    }
}
