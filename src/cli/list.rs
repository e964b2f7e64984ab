//! `coopnews feeds`, `list` and `show`: what is stored, as text or JSON.

use std::io::Write;

use chrono::{DateTime, Local, Utc};
use serde::Serialize;

use super::{Env, Failure, Outcome, terminal_width};
use crate::model::Source;
use crate::sources::discover::PAGE_ROUTE;
use crate::store::ListQuery;
use crate::text::{clean_inline, truncate};

pub struct ListArgs<'a> {
    pub unread: bool,
    pub feed: Option<&'a str>,
    pub tag: Option<&'a str>,
    pub search: Option<&'a str>,
    pub limit: usize,
    pub json: bool,
}

#[derive(Serialize)]
struct FeedJson<'a> {
    title: &'a str,
    source: &'a str,
    /// `feed <address>`, `page (detected)`, `page (selectors)` or `bluesky`.
    route: String,
    tags: &'a [String],
    unread: i64,
    total: i64,
    last_success: Option<String>,
    last_error: Option<&'a str>,
}

/// How a subscription is read: the feed it resolved to (or its own address before the
/// first refresh), its page by detection or by selectors, or Bluesky.
pub fn route(source: &Source, resolved: Option<&str>) -> String {
    match source {
        Source::Feed { url } => match resolved {
            Some(PAGE_ROUTE) => PAGE_ROUTE.to_string(),
            Some(feed) => format!("feed {feed}"),
            None => format!("feed {url}"),
        },
        Source::Page(spec) if spec.item.is_some() => "page (selectors)".into(),
        Source::Page(_) => PAGE_ROUTE.into(),
        Source::Bluesky(_) => "bluesky".into(),
    }
}

fn rfc3339(t: Option<DateTime<Utc>>) -> Option<String> {
    t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

pub fn feeds(env: &Env, json: bool) -> Outcome {
    let (store, ids) = env.open_store()?;
    let statuses = store.feed_statuses()?;
    let rows: Vec<_> = ids
        .iter()
        .zip(&env.config.feeds)
        .filter_map(|(id, feed)| statuses.iter().find(|s| s.id == *id).map(|s| (s, feed)))
        .collect();
    let mut out = std::io::stdout().lock();
    if json {
        let list: Vec<FeedJson> = rows
            .iter()
            .map(|(s, feed)| FeedJson {
                title: &s.title,
                source: &s.key,
                route: route(&feed.source, s.resolved.as_deref()),
                tags: &feed.tags,
                unread: s.unread,
                total: s.total,
                last_success: rfc3339(s.last_success),
                last_error: s.last_error.as_deref(),
            })
            .collect();
        return write_json(&mut out, &list);
    }
    let width = terminal_width().unwrap_or(usize::MAX);
    for (s, feed) in rows {
        let when = s.last_success.map_or_else(
            || "never".to_string(),
            |t| t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string(),
        );
        let mut line = format!(
            "{:>5}/{:<5} {}  (last success {when}; {})",
            s.unread,
            s.total,
            clean_inline(&s.title),
            clean_inline(&route(&feed.source, s.resolved.as_deref()))
        );
        if let Some(error) = &s.last_error {
            line.push_str(&format!("  error: {}", clean_inline(error)));
        }
        let _ = writeln!(out, "{}", truncate(&line, width));
    }
    Ok(())
}

pub fn list(env: &Env, args: &ListArgs<'_>) -> Outcome {
    let (store, ids) = env.open_store()?;
    let mut feeds: Option<Vec<i64>> = None;
    if let Some(name) = args.feed {
        feeds = Some(env.feeds_named(&store, &ids, name)?);
    }
    if let Some(tag) = args.tag {
        let tagged: Vec<i64> = ids
            .iter()
            .zip(&env.config.feeds)
            .filter(|(_, f)| f.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)))
            .map(|(id, _)| *id)
            .collect();
        if tagged.is_empty() {
            return Err(Failure::usage(format!(
                "no subscription has the tag \"{tag}\""
            )));
        }
        feeds = Some(match feeds {
            Some(named) => named.into_iter().filter(|id| tagged.contains(id)).collect(),
            None => tagged,
        });
    }
    let query = ListQuery {
        feeds,
        unread_only: args.unread,
        search: args.search.map(str::to_string),
        limit: args.limit,
        ..Default::default()
    };
    let articles = store.list_articles(&query)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        return write_json(&mut out, &articles);
    }
    let width = terminal_width().unwrap_or(usize::MAX);
    for a in &articles {
        let marker = if a.starred {
            '*'
        } else if a.read {
            ' '
        } else {
            'N'
        };
        let date = a.published.with_timezone(&Local).format("%Y-%m-%d");
        let line = format!(
            "{:>6} {marker} {date}  {}: {}",
            a.id,
            clean_inline(&a.feed),
            clean_inline(&a.title)
        );
        let _ = writeln!(out, "{}", truncate(&line, width));
    }
    Ok(())
}

pub fn show(env: &Env, id: i64) -> Outcome {
    let (store, _) = env.open_store()?;
    let article = store.article(id)?.ok_or_else(|| {
        Failure::failed(format!(
            "no article with id {id}; `coopnews list` shows the ids"
        ))
    })?;
    let width = terminal_width().unwrap_or(80).clamp(20, 120);
    let mut out = std::io::stdout().lock();
    for line in crate::render::article_text(&article, width) {
        let _ = writeln!(out, "{line}");
    }
    Ok(())
}

fn write_json<T: Serialize + ?Sized>(out: &mut impl Write, value: &T) -> Outcome {
    serde_json::to_writer_pretty(&mut *out, value)
        .map_err(|e| Failure::failed(format!("cannot write JSON: {e}")))?;
    let _ = writeln!(out);
    Ok(())
}
