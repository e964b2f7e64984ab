//! What [`super::map`] needs of a feed and its entries, whichever reader found them:
//! feed-rs's model (converted here, borrowing) or the streaming reader ([`super::fast`]).
//! Both readers end in the same mapping, so they can differ only in what they read.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use feed_rs::model::{Entry, Feed, Link, Text};

/// The feed's own fields that become [`crate::model::FeedMeta`].
#[derive(Debug, Default)]
pub struct FeedParts<'a> {
    /// The title's text as the document holds it (tags and references still in it).
    pub title: Option<Cow<'a, str>>,
    pub links: Vec<LinkParts<'a>>,
    pub language: Option<Cow<'a, str>>,
}

#[derive(Debug)]
pub struct LinkParts<'a> {
    pub href: Cow<'a, str>,
    pub rel: Option<Cow<'a, str>>,
    pub media_type: Option<Cow<'a, str>>,
}

#[derive(Debug)]
pub struct PersonParts<'a> {
    pub name: Option<Cow<'a, str>>,
    pub email: Option<Cow<'a, str>>,
}

/// A body candidate; `plain` is text to be escaped, otherwise it is HTML.
#[derive(Debug)]
pub struct Body<'a> {
    pub text: Cow<'a, str>,
    pub plain: bool,
}

/// One entry's fields that become an [`crate::model::Article`].
#[derive(Debug, Default)]
pub struct EntryParts<'a> {
    /// The entry's own xml:base, if any.
    pub base: Option<Cow<'a, str>>,
    pub title: Option<Cow<'a, str>>,
    pub links: Vec<LinkParts<'a>>,
    pub id: Cow<'a, str>,
    pub content: Option<Body<'a>>,
    pub summary: Option<Body<'a>>,
    pub media_description: Option<Body<'a>>,
    pub published: Option<DateTime<Utc>>,
    pub updated: Option<DateTime<Utc>>,
    pub authors: Vec<PersonParts<'a>>,
    pub language: Option<Cow<'a, str>>,
    /// Media and enclosure addresses (Media RSS content, RSS `<enclosure>`), in order.
    pub media_urls: Vec<Cow<'a, str>>,
}

pub fn feed_parts(feed: &Feed) -> FeedParts<'_> {
    FeedParts {
        title: feed
            .title
            .as_ref()
            .map(|t| Cow::Borrowed(t.content.as_str())),
        links: feed.links.iter().map(link_parts).collect(),
        language: feed.language.as_deref().map(Cow::Borrowed),
    }
}

pub fn entry_parts(entry: &Entry) -> EntryParts<'_> {
    EntryParts {
        base: borrowed(&entry.base),
        title: entry
            .title
            .as_ref()
            .map(|t| Cow::Borrowed(t.content.as_str())),
        links: entry.links.iter().map(link_parts).collect(),
        id: Cow::Borrowed(&entry.id),
        content: entry.content.as_ref().and_then(|c| {
            c.body.as_deref().map(|b| Body {
                text: Cow::Borrowed(b),
                plain: c
                    .content_type
                    .subty()
                    .as_str()
                    .eq_ignore_ascii_case("plain"),
            })
        }),
        summary: entry.summary.as_ref().map(text_body),
        media_description: entry
            .media
            .iter()
            .find_map(|m| m.description.as_ref())
            .map(text_body),
        published: entry.published,
        updated: entry.updated,
        authors: entry
            .authors
            .iter()
            .map(|p| PersonParts {
                name: borrowed(&p.name),
                email: borrowed(&p.email),
            })
            .collect(),
        language: borrowed(&entry.language),
        media_urls: entry
            .media
            .iter()
            .flat_map(|m| &m.content)
            .filter_map(|c| c.url.as_ref())
            .map(|u| Cow::Borrowed(u.as_str()))
            .collect(),
    }
}

fn borrowed(s: &Option<String>) -> Option<Cow<'_, str>> {
    s.as_deref().map(Cow::Borrowed)
}

fn link_parts(link: &Link) -> LinkParts<'_> {
    LinkParts {
        href: Cow::Borrowed(&link.href),
        rel: link.rel.as_deref().map(Cow::Borrowed),
        media_type: link.media_type.as_deref().map(Cow::Borrowed),
    }
}

fn text_body(t: &Text) -> Body<'_> {
    Body {
        text: Cow::Borrowed(&t.content),
        plain: t
            .content_type
            .subty()
            .as_str()
            .eq_ignore_ascii_case("plain"),
    }
}
