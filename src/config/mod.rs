//! The configuration file: serde types that refuse unknown keys, defaults, where the file
//! and the data live, and errors that point at file, line, column and key.

mod feeds;
mod paths;
mod position;
mod sync;
mod values;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use crate::model::Source;
use crate::sources::bluesky;

use feeds::{feed_from_raw, identity, source_key};
pub use paths::{ConfigSource, config_source, data_dir, load, user_config_path};
use position::{Lines, key_at, line_column, table_key_line};
pub use sync::{PasswordSource, SyncApi, SyncConfig};
use values::{ByteSize, DurationOrNever, HttpUrl, HumanDuration, OneOrMany, Positive};

/// The default configuration, shipped in `config/coopnews.toml`.
pub const DEFAULT_CONFIG: &str = include_str!("../../config/coopnews.toml");
pub const DEFAULT_CONFIG_NAME: &str = "built-in default (config/coopnews.toml)";

/// A validated configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub refresh_on_start: bool,
    pub refresh_interval: Duration,
    pub concurrency: usize,
    pub per_host_concurrency: usize,
    pub timeout: Duration,
    pub max_body_size: u64,
    pub user_agent: Option<String>,
    pub bluesky_api: String,
    /// Read, unstarred articles gone from their feed this long are forgotten.
    pub retention: Duration,
    /// The command that opens links; the URL is appended as the last argument.
    pub browser: Option<Vec<String>>,
    /// `[keys]`: action name → keys, overriding the defaults.
    pub keys: BTreeMap<String, Vec<String>>,
    /// Hosts whose links are short links, resolved once at refresh time (`shorteners`).
    pub shorteners: Vec<String>,
    /// An article shown in the reader pane counts as read after this; `None`: never.
    pub mark_read_after: Option<Duration>,
    /// Clicks and the wheel in the reader.
    pub mouse: bool,
    /// Links in the reader written as OSC 8 hyperlinks.
    pub hyperlinks: bool,
    /// `language`: the interface's language as written (`it`, `fr_FR`…); `None`: from the
    /// environment. `i18n::Lang::resolve` turns it into one.
    pub language: Option<String>,
    pub feeds: Vec<Feed>,
    /// `[sync]`: the feed server sharing read and starred state, if any.
    pub sync: Option<SyncConfig>,
}

/// One `[[feeds]]` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Feed {
    pub source: Source,
    pub title: Option<String>,
    pub tags: Vec<String>,
    /// The organisation it belongs to (`org`); None: the subscription's title.
    pub org: Option<String>,
}

impl Feed {
    /// The name to show before the feed's own title is known.
    pub fn display_name(&self) -> String {
        self.title.clone().unwrap_or_else(|| self.source.key())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not UTF-8 text (byte {offset}); save the configuration as UTF-8", path.display())]
    NotUtf8 { path: PathBuf, offset: usize },
    #[error("{location}: {message}")]
    Invalid { location: Location, message: String },
}

/// Where in which file a problem is; `key` is the dotted key when known.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub key: Option<String>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)?;
        if let Some(key) = &self.key {
            write!(f, ": key `{key}`")?;
        }
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    refresh_on_start: Option<bool>,
    refresh_interval: Option<HumanDuration>,
    concurrency: Option<Positive>,
    per_host_concurrency: Option<Positive>,
    timeout: Option<HumanDuration>,
    max_body_size: Option<ByteSize>,
    user_agent: Option<String>,
    bluesky_api: Option<HttpUrl>,
    retention: Option<HumanDuration>,
    browser: Option<Vec<String>>,
    shorteners: Option<Vec<String>>,
    #[serde(default)]
    keys: BTreeMap<String, OneOrMany>,
    mark_read_after: Option<DurationOrNever>,
    mouse: Option<bool>,
    hyperlinks: Option<bool>,
    language: Option<String>,
    #[serde(default)]
    feeds: Vec<Spanned<RawFeed>>,
    sync: Option<Spanned<sync::RawSync>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeed {
    url: Option<HttpUrl>,
    bluesky: Option<String>,
    page: Option<HttpUrl>,
    title: Option<String>,
    org: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    filter: Option<String>,
    max_pages: Option<Positive>,
    item: Option<String>,
    item_title: Option<String>,
    item_link: Option<String>,
    item_date: Option<String>,
    item_summary: Option<String>,
    full_text: Option<bool>,
}

impl Config {
    /// Parse configuration text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|s| line_column(text, s.start))
                .unwrap_or((1, 1));
            ConfigError::Invalid {
                location: Location {
                    file: file.into(),
                    line,
                    column,
                    key: key_at(text, e.span().map(|s| s.start)),
                },
                message: e.message().trim().to_string(),
            }
        })?;
        let mut feeds = Vec::with_capacity(raw.feeds.len());
        let mut seen: HashMap<String, usize> = HashMap::new();
        let lines = Lines::new(text);
        for spanned in raw.feeds {
            let span = spanned.span();
            let (line, column) = lines.line_column(span.start);
            let invalid = |key: Option<&str>, message: String| ConfigError::Invalid {
                location: Location {
                    file: file.into(),
                    line,
                    column,
                    key: key.map(|k| format!("feeds.{k}")),
                },
                message,
            };
            let feed = feed_from_raw(spanned.into_inner())
                .map_err(|(key, message)| invalid(key, message))?;
            let identity = identity(&feed.source);
            if let Some(first) = seen.insert(identity, line) {
                return Err(invalid(
                    Some(source_key(&feed.source)),
                    format!(
                        "{} is already subscribed at line {first}; remove one of the two",
                        feed.source.key()
                    ),
                ));
            }
            feeds.push(feed);
        }
        let keys: BTreeMap<String, Vec<String>> = raw
            .keys
            .into_iter()
            .map(|(action, keys)| {
                let keys = match keys {
                    OneOrMany::One(k) => vec![k],
                    OneOrMany::Many(ks) => ks,
                };
                (action, keys)
            })
            .collect();
        // Checked one action at a time, so the error can point at its line.
        for (action, list) in &keys {
            let single = BTreeMap::from([(action.clone(), list.clone())]);
            if let Err(message) = crate::keys::Bindings::from_config(&single) {
                let (line, column) = table_key_line(text, "keys", action).unwrap_or((1, 1));
                let key = Some(format!("keys.{action}"));
                let location = Location {
                    file: file.into(),
                    line,
                    column,
                    key,
                };
                return Err(ConfigError::Invalid { location, message });
            }
        }
        let sync = match raw.sync {
            None => None,
            Some(spanned) => {
                let (line, column) = lines.line_column(spanned.span().start);
                let sync =
                    sync::sync_from_raw(spanned.into_inner()).map_err(|(key, message)| {
                        let (line, column) =
                            table_key_line(text, "sync", key).unwrap_or((line, column));
                        ConfigError::Invalid {
                            location: Location {
                                file: file.into(),
                                line,
                                column,
                                key: Some(format!("sync.{key}")),
                            },
                            message,
                        }
                    })?;
                Some(sync)
            }
        };
        let http_default = crate::sources::http::HttpSettings::default();
        Ok(Config {
            refresh_on_start: raw.refresh_on_start.unwrap_or(true),
            refresh_interval: raw
                .refresh_interval
                .map_or(Duration::from_secs(30 * 60), |d| d.0),
            concurrency: raw.concurrency.map_or(16, |n| n.0),
            per_host_concurrency: raw.per_host_concurrency.map_or(2, |n| n.0),
            timeout: raw.timeout.map_or(http_default.timeout, |d| d.0),
            max_body_size: raw.max_body_size.map_or(http_default.max_body, |s| s.0),
            user_agent: raw.user_agent,
            bluesky_api: raw
                .bluesky_api
                .map_or_else(|| bluesky::DEFAULT_API.into(), |u| u.0),
            retention: raw
                .retention
                .map_or(Duration::from_secs(90 * 86_400), |d| d.0),
            browser: raw.browser.filter(|b| !b.is_empty()),
            shorteners: raw.shorteners.map_or_else(
                || {
                    crate::sources::shortlinks::DEFAULT_SHORTENERS
                        .map(str::to_string)
                        .to_vec()
                },
                |hosts| {
                    hosts
                        .iter()
                        .map(|h| h.trim().to_ascii_lowercase())
                        .collect()
                },
            ),
            keys,
            mark_read_after: raw
                .mark_read_after
                .map_or(Some(Duration::from_secs(3)), |d| d.0),
            mouse: raw.mouse.unwrap_or(true),
            hyperlinks: raw.hyperlinks.unwrap_or(true),
            language: raw.language,
            feeds,
            sync,
        })
    }

    /// Read and parse a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let bytes = std::fs::read(path).map_err(|source| ConfigError::Read {
            path: path.into(),
            source,
        })?;
        let text = String::from_utf8(bytes).map_err(|e| ConfigError::NotUtf8 {
            path: path.into(),
            offset: e.utf8_error().valid_up_to(),
        })?;
        Config::parse(&text, &path.display().to_string())
    }

    pub fn http_settings(&self) -> crate::sources::http::HttpSettings {
        let mut settings = crate::sources::http::HttpSettings {
            timeout: self.timeout,
            max_body: self.max_body_size,
            ..Default::default()
        };
        if let Some(agent) = &self.user_agent {
            settings.user_agent = agent.clone();
        }
        settings
    }

    /// Every tag in use, in first-seen order.
    pub fn tags(&self) -> Vec<String> {
        let mut tags: Vec<String> = Vec::new();
        for tag in self.feeds.iter().flat_map(|f| &f.tags) {
            if !tags.contains(tag) {
                tags.push(tag.clone());
            }
        }
        tags
    }
}
