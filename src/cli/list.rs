//! `coopnews feeds`, `list` and `show`: what is stored, as text or JSON.

use std::io::Write;

use chrono::{DateTime, Local, Utc};
use serde::Serialize;

use super::{Env, Failure, Outcome, terminal_width};
use crate::model::{Source, StoredArticle};
use crate::sources::discover::PAGE_ROUTE;
use crate::store::{AlsoRow, ListQuery};
use crate::text::{clean_inline, truncate};

pub struct ListArgs<'a> {
    pub unread: bool,
    pub feed: Option<&'a str>,
    pub tag: Option<&'a str>,
    pub org: Option<&'a str>,
    pub lang: Option<&'a str>,
    pub search: Option<&'a str>,
    pub limit: usize,
    pub json: bool,
}

#[derive(Serialize)]
struct FeedJson<'a> {
    title: &'a str,
    source: &'a str,
    org: &'a str,
    /// `feed <address>`, `page (detected)`, `page (selectors)` or `bluesky`.
    route: String,
    tags: &'a [String],
    unread: i64,
    total: i64,
    last_success: Option<String>,
    last_error: Option<&'a str>,
    /// With `[sync]`, for feeds the server follows: when it last synced, and the marks
    /// made here on this feed's articles still waiting to be sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    last_sync: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    marks_waiting: Option<i64>,
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

/// An article of `list --json`: the stored article, its organisation and language, and the
/// rest of its story.
#[derive(Serialize)]
struct ArticleJson<'a> {
    #[serde(flatten)]
    article: &'a StoredArticle,
    org: &'a str,
    lang: Option<&'a str>,
    also: Vec<AlsoRow>,
}

pub fn feeds(env: &Env, org: Option<&str>, json: bool) -> Outcome {
    let (store, ids) = env.open_store()?;
    let statuses = store.feed_statuses()?;
    let wanted = match org {
        Some(name) => env.feeds_of_org(&store, &ids, name)?,
        None => ids.clone(),
    };
    let mut rows: Vec<(&_, &[String], String)> = ids
        .iter()
        .zip(&env.config.feeds)
        .filter(|(id, _)| wanted.contains(id))
        .filter_map(|(id, feed)| {
            let status = statuses.iter().find(|s| s.id == *id)?;
            let route = route(&feed.source, status.resolved.as_deref());
            Some((status, feed.tags.as_slice(), route))
        })
        .collect();
    // Feeds only the sync server follows come after the configured ones, its groups as tags.
    let sync = super::sync::feeds_state(env, &store)?;
    for status in &statuses {
        if let Some(groups) = sync.groups.get(&status.id)
            && !ids.contains(&status.id)
            && org.is_none_or(|name| status.org.eq_ignore_ascii_case(name.trim()))
        {
            rows.push((status, groups.as_slice(), format!("sync {}", status.key)));
        }
    }
    let mut out = std::io::stdout().lock();
    if json {
        let list: Vec<FeedJson> = rows
            .iter()
            .map(|(s, tags, route)| {
                let synced = sync.groups.contains_key(&s.id);
                FeedJson {
                    title: &s.title,
                    source: &s.key,
                    org: &s.org,
                    route: route.clone(),
                    tags,
                    unread: s.unread,
                    total: s.total,
                    last_success: rfc3339(s.last_success.or(sync.last_sync.filter(|_| synced))),
                    last_error: s.last_error.as_deref(),
                    last_sync: rfc3339(sync.last_sync.filter(|_| synced)),
                    marks_waiting: synced.then(|| sync.waiting.get(&s.id).copied().unwrap_or(0)),
                }
            })
            .collect();
        return write_json(&mut out, &list);
    }
    if let Some(line) = &sync.summary {
        let _ = writeln!(out, "{line}");
    }
    let width = terminal_width().unwrap_or(usize::MAX);
    for (s, _, route) in rows {
        let when = s.last_success.map_or_else(
            || env.lang.t("cli.never").to_string(),
            |t| t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string(),
        );
        let mut line = format!(
            "{:>5}/{:<5} {}  ({}; {})",
            s.unread,
            s.total,
            clean_inline(&s.title),
            env.lang.f("cli.last_success", &[("when", &when)]),
            clean_inline(&route)
        );
        if let Some(error) = &s.last_error {
            let error = clean_inline(error);
            line.push_str(&format!(
                "  {}",
                env.lang.f("cli.error", &[("error", &error)])
            ));
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
            return Err(Failure::usage(env.lang.f("cli.no_tag", &[("tag", &tag)])));
        }
        feeds = Some(match feeds {
            Some(named) => named.into_iter().filter(|id| tagged.contains(id)).collect(),
            None => tagged,
        });
    }
    if let Some(org) = args.org {
        let of_org = env.feeds_of_org(&store, &ids, org)?;
        feeds = Some(match feeds {
            Some(named) => named.into_iter().filter(|id| of_org.contains(id)).collect(),
            None => of_org,
        });
    }
    // `--lang it` is the search operator `lang:it`, checked and explained the same way.
    let search = match (args.lang, args.search) {
        (Some(lang), Some(words)) => Some(format!("lang:{lang} {words}")),
        (Some(lang), None) => Some(format!("lang:{lang}")),
        (None, words) => words.map(str::to_string),
    };
    let query = ListQuery {
        feeds,
        unread_only: args.unread,
        search,
        limit: args.limit,
        ..Default::default()
    };
    let articles = store.list_articles(&query).map_err(|e| match e {
        crate::store::StoreError::BadQuery(_) => Failure::usage(e.to_string()),
        other => other.into(),
    })?;
    let statuses = store.feed_statuses()?;
    let org_of = |feed_id| {
        statuses
            .iter()
            .find(|s| s.id == feed_id)
            .map_or("", |s| s.org.as_str())
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        let mut list = Vec::with_capacity(articles.len());
        for article in &articles {
            list.push(ArticleJson {
                article,
                org: org_of(article.feed_id),
                lang: article.language.as_deref(),
                also: store.also(article.id)?,
            });
        }
        return write_json(&mut out, &list);
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
        // One row per story: the other subscriptions it came from, and 🦋 for its posts.
        let also = store.also(a.id)?;
        let mut sources = clean_inline(&a.feed);
        for copy in also.iter().filter(|c| !c.is_post) {
            sources.push_str(&format!(" + {}", clean_inline(&copy.feed)));
        }
        if also.iter().any(|c| c.is_post) {
            sources.push_str(" 🦋");
        }
        let line = format!(
            "{:>6} {marker} {date}  {sources}: {}",
            a.id,
            clean_inline(&a.title)
        );
        let _ = writeln!(out, "{}", truncate(&line, width));
    }
    Ok(())
}

pub fn show(env: &Env, id: i64) -> Outcome {
    let (store, _) = env.open_store()?;
    let article = store
        .article(id)?
        .ok_or_else(|| Failure::failed(env.lang.f("cli.no_article", &[("id", &id)])))?;
    let width = terminal_width().unwrap_or(80).clamp(20, 120);
    let mut out = std::io::stdout().lock();
    for line in crate::render::article_text(&article, width, env.lang) {
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
