//! `coopnews import-opml` and `export-opml`. An outline only ever becomes a `[[feeds]]`
//! entry with an http(s) address: nothing in an OPML file is run or fetched on import.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use quick_xml::escape::escape;
use quick_xml::events::{BytesStart, Event};
use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, value};

use super::{Env, Failure, Outcome};
use crate::config::{self, Config, ConfigSource};
use crate::model::Source;

/// A feed found in an OPML file.
#[derive(Debug, Clone, PartialEq)]
pub struct OpmlFeed {
    pub url: String,
    pub title: Option<String>,
    pub tags: Vec<String>,
}

/// The feeds of an OPML document; the titles of enclosing outlines become tags. The same
/// address under several groups is one feed with all their tags.
pub fn parse_opml(bytes: &[u8]) -> Result<Vec<OpmlFeed>, String> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut groups: Vec<Option<String>> = Vec::new();
    let mut feeds: Vec<OpmlFeed> = Vec::new();
    let mut buf = Vec::new();
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("not valid OPML: {e}"))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e)
                if e.local_name().into_inner() == "outline" =>
            {
                let is_start = matches!(event, Event::Start(_));
                let feed_url = attr(e, "xmlUrl");
                let label = attr(e, "title").or_else(|| attr(e, "text"));
                if let Some(url) = feed_url {
                    let tags: Vec<String> = groups.iter().flatten().cloned().collect();
                    match feeds.iter_mut().find(|f| f.url == url) {
                        Some(existing) => {
                            for tag in tags {
                                if !existing.tags.contains(&tag) {
                                    existing.tags.push(tag);
                                }
                            }
                        }
                        None => feeds.push(OpmlFeed {
                            url,
                            title: label,
                            tags,
                        }),
                    }
                    if is_start {
                        groups.push(None);
                    }
                } else if is_start {
                    groups.push(label);
                }
            }
            Event::End(ref e) if e.local_name().into_inner() == "outline" => {
                groups.pop();
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(feeds)
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().into_inner() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| crate::text::clean_inline(&v))
        })
        .filter(|v| !v.is_empty())
}

pub fn import(env: &Env, file: &Path) -> Outcome {
    let bytes = std::fs::read(file)
        .map_err(|e| Failure::failed(format!("cannot read {}: {e}", file.display())))?;
    let found =
        parse_opml(&bytes).map_err(|e| Failure::failed(format!("{}: {e}", file.display())))?;
    let target = match &env.config_source {
        ConfigSource::File(path) => path.clone(),
        ConfigSource::BuiltIn => config::user_config_path()
            .ok_or_else(|| Failure::failed("no configuration directory; use --config FILE"))?,
    };
    let current = match std::fs::read_to_string(&target) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => config::DEFAULT_CONFIG.to_string(),
        Err(e) => {
            return Err(Failure::failed(format!(
                "cannot read {}: {e}",
                target.display()
            )));
        }
    };
    let (text, report) = add_feeds(&current, &env.config, &found)?;
    // Only a file that still parses is written, and it replaces the old one whole.
    Config::parse(&text, &target.display().to_string())
        .map_err(|e| Failure::failed(e.to_string()))?;
    write_atomically(&target, &text)?;
    eprintln!(
        "added {} subscription{} to {}{}",
        report.added,
        if report.added == 1 { "" } else { "s" },
        target.display(),
        report.describe_skipped()
    );
    Ok(())
}

#[derive(Default)]
struct ImportReport {
    added: usize,
    already: usize,
    refused: Vec<String>,
}

impl ImportReport {
    fn describe_skipped(&self) -> String {
        let mut s = String::new();
        if self.already > 0 {
            let _ = write!(s, "; {} already subscribed", self.already);
        }
        if !self.refused.is_empty() {
            let _ = write!(
                s,
                "; skipped (not http or https): {}",
                self.refused.join(", ")
            );
        }
        s
    }
}

fn add_feeds(
    current: &str,
    config: &Config,
    found: &[OpmlFeed],
) -> Result<(String, ImportReport), Failure> {
    let mut doc: DocumentMut = current
        .parse()
        .map_err(|e| Failure::failed(format!("the configuration is not valid TOML: {e}")))?;
    let mut known: HashSet<String> = config
        .feeds
        .iter()
        .filter_map(|f| match &f.source {
            Source::Feed { url } => Some(normalise(url)),
            _ => None,
        })
        .collect();
    let mut report = ImportReport::default();
    let feeds = doc
        .entry("feeds")
        .or_insert(Item::ArrayOfTables(ArrayOfTables::new()))
        .as_array_of_tables_mut()
        .ok_or_else(|| {
            Failure::failed("`feeds` in the configuration is not a list of [[feeds]] tables")
        })?;
    for feed in found {
        let parsed = url::Url::parse(&feed.url);
        let Ok(url) = parsed.as_ref().map(|u| u.to_string()) else {
            report.refused.push(feed.url.clone());
            continue;
        };
        if !matches!(parsed.as_ref().map(|u| u.scheme()), Ok("http" | "https")) {
            report.refused.push(feed.url.clone());
            continue;
        }
        if !known.insert(normalise(&url)) {
            report.already += 1;
            continue;
        }
        let mut table = Table::new();
        table.insert("url", value(url));
        if let Some(title) = &feed.title {
            table.insert("title", value(title.as_str()));
        }
        if !feed.tags.is_empty() {
            table.insert("tags", value(feed.tags.iter().collect::<Array>()));
        }
        feeds.push(table);
        report.added += 1;
    }
    Ok((doc.to_string(), report))
}

fn normalise(url: &str) -> String {
    url.trim_end_matches('/').to_lowercase()
}

fn write_atomically(target: &Path, text: &str) -> Outcome {
    let fail =
        |e: std::io::Error| Failure::failed(format!("cannot write {}: {e}", target.display()));
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    let mut temp = PathBuf::from(target);
    temp.set_extension("toml.tmp");
    std::fs::write(&temp, text).map_err(fail)?;
    std::fs::rename(&temp, target).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        fail(e)
    })
}

pub fn export(env: &Env) -> Outcome {
    print!("{}", to_opml(&env.config));
    Ok(())
}

/// OPML 2.0: feeds under an outline per tag (a feed with two tags appears twice), untagged
/// feeds at the top. Bluesky accounts are exported as their public RSS, which other readers
/// can follow; page subscriptions have no feed and are left out.
pub fn to_opml(config: &Config) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head><title>coopnews subscriptions</title></head>\n  <body>\n",
    );
    let outline = |feed: &config::Feed, indent: &str| -> Option<String> {
        let url = match &feed.source {
            Source::Feed { url } => url.clone(),
            Source::Bluesky(b) => {
                format!("https://bsky.app/profile/{}/rss", b.actor)
            }
            Source::Page(_) => return None,
        };
        let title = feed.display_name();
        Some(format!(
            "{indent}<outline type=\"rss\" text=\"{t}\" title=\"{t}\" xmlUrl=\"{u}\"/>\n",
            t = escape(title.as_str()),
            u = escape(url.as_str())
        ))
    };
    for tag in config.tags() {
        let _ = writeln!(
            out,
            "    <outline text=\"{t}\" title=\"{t}\">",
            t = escape(tag.as_str())
        );
        for feed in config.feeds.iter().filter(|f| f.tags.contains(&tag)) {
            out.extend(outline(feed, "      "));
        }
        out.push_str("    </outline>\n");
    }
    for feed in config.feeds.iter().filter(|f| f.tags.is_empty()) {
        out.extend(outline(feed, "    "));
    }
    out.push_str("  </body>\n</opml>\n");
    out
}
