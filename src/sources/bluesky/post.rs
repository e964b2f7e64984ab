//! Posts as articles: the feed items of a page, deduplicated, each rendered with its repost,
//! reply and pin context, its rich text and its embeds. Pure functions over JSON bytes.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::Value;

use super::api::{self, AuthorFeed, FeedViewPost, PostRecord, PostThread, PostView, Profile};
use super::embed;
use super::richtext::{self, Body, Rendered, escape};
use crate::model::{Article, Engagement};
use crate::sources::FetchError;
use crate::text::{clean_inline, truncate};

/// Titles are the first line of a post, cut to about this many columns.
pub const TITLE_WIDTH: usize = 80;

/// One post as an article, with the context that shaped it.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedPost {
    pub article: Article,
    /// Who reposted it into this feed (`Name (@handle)`), when it is a repost.
    pub repost_by: Option<String>,
    /// The handle it answers, or a description when the parent is gone or blocked.
    pub reply_to: Option<String>,
    pub pinned: bool,
}

/// One getAuthorFeed page.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedPage {
    pub posts: Vec<FeedPost>,
    /// Opaque: passed back as is, never parsed.
    pub cursor: Option<String>,
    /// Items that were not readable feedViewPosts.
    pub skipped: usize,
}

/// A page's readable items before rendering; `fetch` gathers several pages of these.
pub(super) struct RawPage {
    pub items: Vec<FeedViewPost>,
    pub cursor: Option<String>,
    pub skipped: usize,
}

pub(super) fn raw_page(body: &[u8], source: &str) -> Result<RawPage, FetchError> {
    let feed: AuthorFeed = api::decode(body, source)?;
    let total = feed.feed.len();
    let items: Vec<FeedViewPost> = feed
        .feed
        .into_iter()
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect();
    Ok(RawPage {
        skipped: total - items.len(),
        items,
        cursor: feed.cursor.filter(|c| !c.is_empty()),
    })
}

/// A getAuthorFeed answer as posts, one per post uri.
pub fn parse_author_feed(body: &[u8]) -> Result<FeedPage, FetchError> {
    let raw = raw_page(body, "this getAuthorFeed answer")?;
    Ok(FeedPage {
        posts: items_to_posts(raw.items),
        cursor: raw.cursor,
        skipped: raw.skipped,
    })
}

/// The same as articles and the cursor, for callers that need nothing else.
pub fn page_to_articles(body: &[u8]) -> Result<(Vec<Article>, Option<String>), FetchError> {
    let page = parse_author_feed(body)?;
    Ok((
        page.posts.into_iter().map(|p| p.article).collect(),
        page.cursor,
    ))
}

/// One feedViewPost (an element of `feed[]`).
pub fn feed_item_to_post(json: &[u8]) -> Result<FeedPost, FetchError> {
    let item: FeedViewPost = api::decode(json, "this feedViewPost")?;
    Ok(items_to_posts(vec![item]).remove(0))
}

/// The anchor post of a getPostThread answer.
pub fn thread_to_post(json: &[u8]) -> Result<FeedPost, FetchError> {
    let thread: PostThread = api::decode(json, "this getPostThread answer")?;
    let post = thread.thread.post.ok_or_else(|| {
        FetchError::Bluesky("the thread's post is not found or blocked".to_string())
    })?;
    let parent = thread.thread.parent.as_ref().map(|p| match p.get("post") {
        Some(inner) => parent_of(inner),
        None => parent_of(p),
    });
    Ok(render_post(&post, parent, false, None))
}

/// A bare `app.bsky.feed.post` record: rich text and record embeds (no image URLs there).
pub fn render_record(json: &[u8]) -> Result<Rendered, FetchError> {
    let record: PostRecord = api::decode(json, "this post record")?;
    let mut body = Body::default();
    if let Some(parent) = record.reply.as_ref().and_then(|r| r.parent.as_ref()) {
        reply_line(&Parent::Ref(parent.uri.clone()), &mut body);
    }
    let (plain, html) = richtext::render(&record.text, &record.facets, &mut body);
    body.para(&plain, &html);
    if let Some(e) = &record.embed {
        embed::render(e, &mut body, 0);
    }
    Ok(body.finish())
}

/// One article per post uri, in first-seen order. A post seen both as itself and as a
/// repost (a self-repost) shows as itself; a pin marks it pinned wherever it appears.
pub(super) fn items_to_posts(items: Vec<FeedViewPost>) -> Vec<FeedPost> {
    struct Seen {
        item: FeedViewPost,
        pinned: bool,
        original: bool,
        repost_by: Option<Profile>,
    }
    let mut seen: Vec<Seen> = Vec::new();
    for item in items {
        let pinned = item.reason.as_ref().is_some_and(api::Reason::is_pin);
        let by = item
            .reason
            .as_ref()
            .filter(|r| !r.is_pin())
            .and_then(|r| r.by.clone());
        let original = item.reason.is_none();
        match seen.iter_mut().find(|s| s.item.post.uri == item.post.uri) {
            Some(s) => {
                s.pinned |= pinned;
                s.original |= original;
                s.repost_by = s.repost_by.take().or(by);
                if s.item.reply.is_none() {
                    s.item.reply = item.reply;
                }
            }
            None => seen.push(Seen {
                item,
                pinned,
                original,
                repost_by: by,
            }),
        }
    }
    seen.into_iter()
        .map(|s| {
            let parent = s
                .item
                .reply
                .as_ref()
                .and_then(|r| r.parent.as_ref())
                .map(parent_of);
            let by = if s.original {
                None
            } else {
                s.repost_by.as_ref()
            };
            render_post(&s.item.post, parent, s.pinned, by)
        })
        .collect()
}

/// What a reply answers, as far as the answer tells.
pub(super) enum Parent {
    Post(Box<PostView>),
    NotFound,
    Blocked,
    /// Only the parent's at-uri (a bare record).
    Ref(String),
}

/// Told apart by their keys, not only `$type`: the 2023 answers have no `$type` here.
fn parent_of(v: &Value) -> Parent {
    let flag = |key: &str| v.get(key).and_then(Value::as_bool) == Some(true);
    if flag("notFound") {
        Parent::NotFound
    } else if flag("blocked") {
        Parent::Blocked
    } else if let Ok(post) = serde_json::from_value::<PostView>(v.clone()) {
        Parent::Post(Box::new(post))
    } else {
        let uri = v.get("uri").and_then(Value::as_str).unwrap_or_default();
        Parent::Ref(uri.to_string())
    }
}

/// The counts a post view carries; None when it carries none (a bare record).
fn engagement(post: &PostView) -> Option<Engagement> {
    let counts = [
        post.like_count,
        post.repost_count,
        post.reply_count,
        post.quote_count,
    ];
    counts.iter().any(Option::is_some).then(|| Engagement {
        likes: post.like_count.unwrap_or(0),
        reposts: post.repost_count.unwrap_or(0),
        replies: post.reply_count.unwrap_or(0),
        quotes: post.quote_count.unwrap_or(0),
    })
}

pub(super) fn render_post(
    post: &PostView,
    parent: Option<Parent>,
    pinned: bool,
    repost_by: Option<&Profile>,
) -> FeedPost {
    let record: PostRecord = serde_json::from_value(post.record.clone()).unwrap_or_default();
    let mut body = Body::default();
    if pinned {
        body.para("📌 pinned", "📌 pinned");
    }
    let repost_by = repost_by.map(author_name);
    if let Some(by) = &repost_by {
        let line = format!("🔁 reposted by {by}");
        body.para(&line, &escape(&line));
    }
    // The record says it is a reply even when the view left out whom it answers.
    let parent = parent.or_else(|| {
        let parent = record.reply.as_ref()?.parent.as_ref()?;
        Some(Parent::Ref(parent.uri.clone()))
    });
    let reply_to = parent.as_ref().map(|p| reply_line(p, &mut body));
    let (plain, html) = richtext::render(&record.text, &record.facets, &mut body);
    if !plain.trim().is_empty() {
        body.para(&plain, &html);
    }
    if let Some(e) = post.embed.as_ref().or(record.embed.as_ref()) {
        embed::render(e, &mut body, 0);
    }
    let title = first_line(&plain)
        .or_else(|| body.first_embed.clone())
        .unwrap_or_else(|| "(no text)".to_string());
    let rendered = body.finish();
    let article = Article {
        guid: post.uri.clone(),
        title,
        link: richtext::post_url(&post.uri, Some(&post.author.handle)),
        author: Some(author_name(&post.author)).filter(|a| !a.is_empty()),
        published: published(record.created_at.as_deref(), post.indexed_at.as_deref()),
        language: record
            .langs
            .first()
            .map(|l| clean_inline(l))
            .filter(|l| !l.is_empty()),
        html: Some(rendered.html),
        text: rendered.text,
        links: rendered.links,
        engagement: engagement(post),
    };
    FeedPost {
        article,
        repost_by,
        reply_to,
        pinned,
    }
}

/// "↳ reply to @handle: first line of the parent"; returns whom it answers.
fn reply_line(parent: &Parent, body: &mut Body) -> String {
    match parent {
        Parent::Post(p) => {
            let handle = clean_inline(&p.author.handle);
            let who = if handle.is_empty() {
                clean_inline(&p.author.did)
            } else {
                format!("@{handle}")
            };
            let record: PostRecord = serde_json::from_value(p.record.clone()).unwrap_or_default();
            // Expanded like any text, but its links belong to the parent, not to this post.
            let (parent_text, _) =
                richtext::render(&record.text, &record.facets, &mut Body::default());
            let said = first_line(&parent_text)
                .map(|l| format!(": {l}"))
                .unwrap_or_default();
            let anchor = match richtext::post_url(&p.uri, Some(&p.author.handle)) {
                Some(url) => body.anchor(&url, &who),
                None => escape(&who),
            };
            body.para(
                &format!("↳ reply to {who}{said}"),
                &format!("↳ reply to {anchor}{}", escape(&said)),
            );
            who
        }
        Parent::NotFound => {
            body.para("↳ reply to a deleted post", "↳ reply to a deleted post");
            "(deleted post)".to_string()
        }
        Parent::Blocked => {
            body.para("↳ reply to a blocked post", "↳ reply to a blocked post");
            "(blocked post)".to_string()
        }
        Parent::Ref(uri) => match richtext::post_url(uri, None) {
            Some(url) => {
                let a = body.anchor(&url, &url);
                body.para(&format!("↳ reply to {url}"), &format!("↳ reply to {a}"));
                url
            }
            None => {
                body.para("↳ reply to a post", "↳ reply to a post");
                "(a post)".to_string()
            }
        },
    }
}

/// `Name (@handle)`, or whichever of the two there is, or the DID.
pub(super) fn author_name(profile: &Profile) -> String {
    let name = clean_inline(profile.display_name.as_deref().unwrap_or_default());
    let handle = clean_inline(&profile.handle);
    match (name.is_empty(), handle.is_empty()) {
        (false, false) => format!("{name} (@{handle})"),
        (false, true) => name,
        (true, false) => format!("@{handle}"),
        (true, true) => clean_inline(&profile.did),
    }
}

fn first_line(text: &str) -> Option<String> {
    text.lines()
        .map(clean_inline)
        .find(|l| !l.is_empty())
        .map(|l| truncate(&l, TITLE_WIDTH))
}

/// `createdAt`, unless it lies after `indexedAt` (a client clock in the future would pin
/// the post to the top of every list); `indexedAt` when there is no readable `createdAt`.
fn published(created: Option<&str>, indexed: Option<&str>) -> Option<DateTime<Utc>> {
    let created = created.and_then(parse_time);
    let indexed = indexed.and_then(parse_time);
    match (created, indexed) {
        (Some(c), Some(i)) => Some(c.min(i)),
        (c, i) => c.or(i),
    }
}

fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        // Some clients wrote createdAt without a zone; the lexicon means UTC.
        .or_else(|| {
            NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|n| n.and_utc())
        })
}
