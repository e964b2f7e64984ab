//! The configuration file: serde types that refuse unknown keys, defaults, where the file
//! and the data live, and errors that point at file, line, column and key.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Deserializer};
use toml::Spanned;

use crate::model::{BlueskySpec, PageSpec, Source};
use crate::sources::bluesky;

/// The default configuration, shipped in `config/coopnews.toml`.
pub const DEFAULT_CONFIG: &str = include_str!("../config/coopnews.toml");
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
    pub feeds: Vec<Feed>,
}

/// One `[[feeds]]` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Feed {
    pub source: Source,
    pub title: Option<String>,
    pub tags: Vec<String>,
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
    #[serde(default)]
    keys: BTreeMap<String, OneOrMany>,
    #[serde(default)]
    feeds: Vec<Spanned<RawFeed>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeed {
    url: Option<HttpUrl>,
    bluesky: Option<String>,
    page: Option<HttpUrl>,
    title: Option<String>,
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

/// `"30m"`, `"1h 30m"`, `"90d"`.
struct HumanDuration(Duration);

impl<'de> Deserialize<'de> for HumanDuration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        humantime::parse_duration(&text)
            .map(HumanDuration)
            .map_err(|e| {
                serde::de::Error::custom(format!(
                    "`{text}` is not a duration ({e}); write e.g. \"30s\", \"30m\", \"2h\""
                ))
            })
    }
}

/// `"16MiB"`, `"512KiB"`, `"10MB"`, or a number of bytes.
struct ByteSize(u64);

impl<'de> Deserialize<'de> for ByteSize {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(u64),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Number(n) => Ok(ByteSize(n)),
            Raw::Text(text) => parse_size(&text).map(ByteSize).ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "`{text}` is not a size; write e.g. \"16MiB\" or \"512KiB\""
                ))
            }),
        }
    }
}

fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number.parse().ok()?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1_000,
        "kib" | "k" => 1 << 10,
        "mb" => 1_000_000,
        "mib" | "m" => 1 << 20,
        "gb" => 1_000_000_000,
        "gib" | "g" => 1 << 30,
        _ => return None,
    };
    number.checked_mul(factor)
}

/// A whole number of at least 1.
struct Positive(usize);

impl<'de> Deserialize<'de> for Positive {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = i64::deserialize(d)?;
        if !(1..=10_000).contains(&n) {
            return Err(serde::de::Error::custom(format!(
                "{n} is out of range; use a number from 1 to 10000"
            )));
        }
        Ok(Positive(n as usize))
    }
}

/// An absolute http or https address.
struct HttpUrl(String);

impl<'de> Deserialize<'de> for HttpUrl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        match url::Url::parse(text.trim()) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => Ok(HttpUrl(u.to_string())),
            Ok(u) => Err(serde::de::Error::custom(format!(
                "`{text}` has the scheme `{}`; only http and https addresses can be followed",
                u.scheme()
            ))),
            Err(e) => Err(serde::de::Error::custom(format!(
                "`{text}` is not an address ({e})"
            ))),
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
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
        for spanned in raw.feeds {
            let span = spanned.span();
            let (line, column) = line_column(text, span.start);
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
            if let Err(message) = crate::app::Keymap::from_config(&single) {
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
            keys,
            feeds,
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

fn source_key(source: &Source) -> &'static str {
    match source {
        Source::Feed { .. } => "url",
        Source::Bluesky(_) => "bluesky",
        Source::Page(_) => "page",
    }
}

/// Two entries follow the same thing when these match: case and a trailing slash of an
/// address, or an `@` and `https://bsky.app/profile/` around a handle, make no difference.
fn identity(source: &Source) -> String {
    match source {
        Source::Feed { url } | Source::Page(PageSpec { url, .. }) => {
            format!(
                "{}:{}",
                source_key(source),
                url.trim_end_matches('/').to_lowercase()
            )
        }
        // Already reduced to a lower-case handle or a DID when parsed.
        Source::Bluesky(spec) => format!("bluesky:{}", spec.actor),
    }
}

type FieldError = (Option<&'static str>, String);

fn feed_from_raw(raw: RawFeed) -> Result<Feed, FieldError> {
    let selectors = [
        ("item", raw.item.is_some()),
        ("item_title", raw.item_title.is_some()),
        ("item_link", raw.item_link.is_some()),
        ("item_date", raw.item_date.is_some()),
        ("item_summary", raw.item_summary.is_some()),
        ("full_text", raw.full_text.is_some()),
    ];
    let bluesky_only = [
        ("filter", raw.filter.is_some()),
        ("max_pages", raw.max_pages.is_some()),
    ];
    let kinds = [raw.url.is_some(), raw.bluesky.is_some(), raw.page.is_some()];
    if kinds.iter().filter(|k| **k).count() != 1 {
        return Err((
            None,
            "each [[feeds]] entry needs exactly one of `url`, `bluesky` or `page`".into(),
        ));
    }
    let misplaced = |list: &[(&'static str, bool)], owner: &str| -> Result<(), FieldError> {
        match list.iter().find(|(_, set)| *set) {
            Some((key, _)) => Err((
                Some(key),
                format!("`{key}` only applies to `{owner}` subscriptions"),
            )),
            None => Ok(()),
        }
    };
    let source = if let Some(url) = raw.url {
        misplaced(&selectors, "page")?;
        misplaced(&bluesky_only, "bluesky")?;
        Source::Feed { url: url.0 }
    } else if let Some(actor) = raw.bluesky {
        misplaced(&selectors, "page")?;
        let actor = bluesky::parse_actor(&actor).map_err(|e| (Some("bluesky"), e.to_string()))?;
        let filter = raw.filter.unwrap_or_else(|| bluesky::DEFAULT_FILTER.into());
        if !bluesky::FILTERS.contains(&filter.as_str()) {
            let known = bluesky::FILTERS.join(", ");
            return Err((Some("filter"), format!("`{filter}` is not one of {known}")));
        }
        let max_pages = raw
            .max_pages
            .map_or(bluesky::DEFAULT_MAX_PAGES, |n| n.0 as u32);
        if max_pages > bluesky::MAX_PAGES_CAP {
            let cap = bluesky::MAX_PAGES_CAP;
            return Err((
                Some("max_pages"),
                format!("at most {cap} pages can be read in one refresh"),
            ));
        }
        Source::Bluesky(BlueskySpec {
            actor: actor.as_str().to_string(),
            filter,
            max_pages,
        })
    } else {
        misplaced(&bluesky_only, "bluesky")?;
        let url = raw.page.map(|p| p.0).unwrap_or_default();
        let required = |value: Option<String>, key: &'static str| {
            value.filter(|v| !v.trim().is_empty()).ok_or((
                Some(key),
                format!("a `page` subscription needs `{key}`, a CSS selector"),
            ))
        };
        let spec = PageSpec {
            url,
            item: required(raw.item, "item")?,
            item_title: required(raw.item_title, "item_title")?,
            item_link: required(raw.item_link, "item_link")?,
            item_date: raw.item_date,
            item_summary: raw.item_summary,
            full_text: raw.full_text.unwrap_or(false),
        };
        // A selector that cannot work is a mistake in this file: say so now, with its line.
        crate::sources::page::validate(&spec).map_err(|e| (None, e.to_string()))?;
        Source::Page(spec)
    };
    Ok(Feed {
        source,
        title: raw
            .title
            .map(|t| crate::text::clean_inline(&t))
            .filter(|t| !t.is_empty()),
        tags: raw
            .tags
            .iter()
            .map(|t| crate::text::clean_inline(t))
            .filter(|t| !t.is_empty())
            .collect(),
    })
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Where `key = …` is written inside `[table]`, as line and column.
fn table_key_line(text: &str, table: &str, key: &str) -> Option<(usize, usize)> {
    let header = format!("[{table}]");
    let mut inside = false;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            inside = trimmed.trim_end().starts_with(&header);
            continue;
        }
        let written = trimmed
            .split('=')
            .next()
            .unwrap_or_default()
            .trim()
            .trim_matches('"');
        if inside && written == key {
            return Some((index + 1, line.len() - trimmed.len() + 1));
        }
    }
    None
}

/// The key written on the line an error points at, for messages about a value.
fn key_at(text: &str, offset: Option<usize>) -> Option<String> {
    let offset = text.floor_char_boundary(offset?.min(text.len()));
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[start..].lines().next()?;
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches('"');
    (!key.is_empty() && !key.starts_with('[')).then(|| key.to_string())
}

/// Where files live: flags, then environment, then the platform's directories.
#[derive(Debug, Clone, PartialEq)]
pub enum ConfigSource {
    File(PathBuf),
    BuiltIn,
}

/// The configuration file in use: `--config`, `$COOPNEWS_CONFIG`, the user's file if it
/// exists, else the built-in default.
pub fn config_source(flag: Option<&Path>) -> ConfigSource {
    if let Some(path) = flag {
        return ConfigSource::File(path.into());
    }
    if let Some(path) = std::env::var_os("COOPNEWS_CONFIG").filter(|p| !p.is_empty()) {
        return ConfigSource::File(path.into());
    }
    match user_config_path() {
        Some(path) if path.exists() => ConfigSource::File(path),
        _ => ConfigSource::BuiltIn,
    }
}

/// `$XDG_CONFIG_HOME/coopnews/config.toml` or the platform's equivalent.
pub fn user_config_path() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("coopnews").join("config.toml"))
}

/// `--data-dir`, `$COOPNEWS_DATA_DIR`, else the platform's data directory.
pub fn data_dir(flag: Option<&Path>) -> Option<PathBuf> {
    flag.map(Path::to_path_buf)
        .or_else(|| {
            std::env::var_os("COOPNEWS_DATA_DIR")
                .filter(|p| !p.is_empty())
                .map(PathBuf::from)
        })
        .or_else(|| dirs::data_dir().map(|d| d.join("coopnews")))
}

pub fn load(source: &ConfigSource) -> Result<Config, ConfigError> {
    match source {
        ConfigSource::File(path) => Config::load(path),
        ConfigSource::BuiltIn => Config::parse(DEFAULT_CONFIG, DEFAULT_CONFIG_NAME),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("16MiB"), Some(16 << 20));
        assert_eq!(parse_size("10 MB"), Some(10_000_000));
        assert_eq!(parse_size("12 parsecs"), None);
    }

    #[test]
    fn line_and_column_count_characters() {
        assert_eq!(line_column("a = 1\nbè = x", 10), (2, 4));
    }
}
