//! Either reader's fields ([`super::parts`]) to our model: stable guids, absolute links,
//! cleaned text, one article per guid.

use std::collections::HashSet;

use feed_rs::model::Feed;
use url::Url;

use super::entities;
use super::parts::{self, Body, EntryParts, FeedParts, LinkParts};
use crate::model::{Article, FeedMeta, ParsedFeed};
use crate::text::{clean_inline, stable_id};

/// feed-rs's model to ours; each entry is let go as soon as it is an article.
pub fn to_parsed(mut feed: Feed, base: &Url) -> ParsedFeed {
    let entries = std::mem::take(&mut feed.entries);
    assemble(
        &parts::feed_parts(&feed),
        entries,
        base,
        |entry, base, language| article(&parts::entry_parts(&entry), base, language),
    )
}

/// The streaming reader's parts to ours.
pub fn from_parts(feed: &FeedParts<'_>, entries: Vec<EntryParts<'_>>, base: &Url) -> ParsedFeed {
    assemble(feed, entries, base, |entry, base, language| {
        article(&entry, base, language)
    })
}

/// An entry of the streaming reader made into an article while the rest of its document
/// is still being read: without the feed's language, which [`from_made`] gives it.
pub fn early_article(entry: &EntryParts<'_>, base: &Url) -> Article {
    article(entry, base, None)
}

/// The streaming reader's feed with articles made as it was read ([`early_article`]): the
/// feed's language, known only once the document is read, goes to those that declare none.
pub fn from_made(feed: &FeedParts<'_>, mut articles: Vec<Article>, base: &Url) -> ParsedFeed {
    let meta = meta(feed, base);
    if let Some(language) = &meta.language {
        for article in articles.iter_mut().filter(|a| a.language.is_none()) {
            article.language = Some(language.clone());
        }
    }
    one_each(meta, articles)
}

fn assemble<T: Send>(
    feed: &FeedParts<'_>,
    entries: Vec<T>,
    base: &Url,
    one: impl Fn(T, &Url, Option<&str>) -> Article + Sync,
) -> ParsedFeed {
    let meta = meta(feed, base);
    let language = meta.language.as_deref();
    let articles = articles(entries, |entry| one(entry, base, language));
    one_each(meta, articles)
}

fn meta(feed: &FeedParts<'_>, base: &Url) -> FeedMeta {
    FeedMeta {
        title: feed.title.as_deref().map(inline).filter(|t| !t.is_empty()),
        site_link: best_link(&feed.links, base),
        language: feed
            .language
            .as_deref()
            .map(clean_inline)
            .filter(|l| !l.is_empty()),
    }
}

/// One article per guid, the first kept.
fn one_each(meta: FeedMeta, articles: Vec<Article>) -> ParsedFeed {
    let mut seen = HashSet::new();
    let articles = articles
        .into_iter()
        .filter(|a| seen.insert(a.guid.clone()))
        .collect();
    ParsedFeed { meta, articles }
}

/// The entries as articles, in order. Each entry is dropped as soon as it is an article,
/// so the two never both fill memory.
fn articles<T: Send>(mut entries: Vec<T>, one: impl Fn(T) -> Article + Sync) -> Vec<Article> {
    let threads = crate::sources::parallel::threads_for(entries.len());
    if threads < 2 {
        return entries.into_iter().map(one).collect();
    }
    let per_thread = entries.len().div_ceil(threads);
    let mut chunks = Vec::with_capacity(threads);
    while entries.len() > per_thread {
        chunks.push(entries.split_off(entries.len() - per_thread));
    }
    chunks.push(entries);
    chunks.reverse();
    let one = &one;
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| scope.spawn(move || chunk.into_iter().map(one).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            // A panic in a thread goes on as one in this feed's parse, which the refresh catches.
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

fn article(entry: &EntryParts<'_>, doc_base: &Url, feed_language: Option<&str>) -> Article {
    // An entry's own xml:base, when the reader kept it, beats the document address.
    let entry_base = entry
        .base
        .as_deref()
        .and_then(|b| doc_base.join(b).ok())
        .unwrap_or_else(|| doc_base.clone());
    let base = &entry_base;
    let title = entry.title.as_deref().map(inline).unwrap_or_default();
    // An RSS guid is often the permalink; only an absolute one can serve as the link.
    let link = best_link(&entry.links, base).or_else(|| {
        Url::parse(entry.id.trim())
            .ok()
            .and_then(|u| web_url(u.as_str(), base))
    });
    let html = body_html(entry).map(|h| super::absolute::absolutize(h, base));
    let text = html
        .as_deref()
        .map(super::plaintext::plain_text)
        .unwrap_or_default();
    let published = entry.published.or(entry.updated);
    let id = clean_inline(&entry.id);
    let guid = if !id.is_empty() {
        id
    } else if link.is_some() || !title.is_empty() {
        stable_id(&[link.as_deref().unwrap_or_default(), &title])
    } else {
        let date = published.map(|d| d.to_rfc3339()).unwrap_or_default();
        stable_id(&["", "", &text, &date])
    };
    let mut links = html
        .as_deref()
        .map(|h| body_links(h, base))
        .unwrap_or_default();
    let mut seen: HashSet<String> = links.iter().cloned().collect();
    for url in enclosures(entry, base) {
        if seen.insert(url.clone()) {
            links.push(url);
        }
    }
    Article {
        guid,
        title,
        link,
        author: entry
            .authors
            .iter()
            .find_map(|p| {
                let name = p.name.as_deref().filter(|n| !n.trim().is_empty());
                name.or(p.email.as_deref())
            })
            .map(|a| author_name(&inline(a)))
            .filter(|a| !a.is_empty()),
        published,
        language: entry
            .language
            .as_deref()
            .map(clean_inline)
            .filter(|l| !l.is_empty())
            .or_else(|| feed_language.map(str::to_string)),
        html,
        text,
        links,
        engagement: None,
    }
}

/// RSS writes authors as `email (Name)`, which feed-rs hands back as `(Name)`: the name.
fn author_name(author: &str) -> String {
    match author.strip_prefix('(').and_then(|a| a.strip_suffix(')')) {
        Some(inner) if !inner.trim().is_empty() => inner.trim().to_string(),
        _ => author.to_string(),
    }
}

/// Tags dropped (`<b>`, `<br/>`: anything `<` + letter, `/` or `!` up to `>`; a lone `a < b`
/// stays), references decoded, controls and runs of space cleaned.
pub fn inline(s: &str) -> String {
    let mut stripped = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('<') {
        stripped.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let is_tag = after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!');
        match after.find('>').filter(|_| is_tag) {
            Some(end) => {
                stripped.push(' ');
                rest = &after[end + 1..];
            }
            None => {
                stripped.push('<');
                rest = after;
            }
        }
    }
    stripped.push_str(rest);
    clean_inline(&entities::decode(&stripped))
}

/// The entry's body as HTML: content, else summary, else a media description (YouTube).
/// Plain-text bodies are escaped so the renderer shows them as written.
fn body_html(entry: &EntryParts<'_>) -> Option<String> {
    let body = [&entry.content, &entry.summary, &entry.media_description]
        .into_iter()
        .flatten()
        .find(|b: &&Body<'_>| !b.text.trim().is_empty())?;
    Some(if body.plain {
        escape_html(&body.text)
    } else {
        body.text.to_string()
    })
}

fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

/// The entry's page: an alternate link (an HTML one first), else any link that is not
/// the feed itself, an enclosure or a comment thread.
fn best_link(links: &[LinkParts<'_>], base: &Url) -> Option<String> {
    let alternate = |l: &&LinkParts<'_>| {
        l.rel
            .as_deref()
            .is_none_or(|r| r.eq_ignore_ascii_case("alternate"))
    };
    let html_type = |l: &&LinkParts<'_>| l.media_type.as_deref().is_none_or(|t| t.contains("html"));
    let other = |l: &&LinkParts<'_>| {
        !matches!(
            l.rel.as_deref().map(str::to_ascii_lowercase).as_deref(),
            Some("self" | "enclosure" | "replies" | "edit" | "hub" | "next" | "previous")
        )
    };
    let candidates = links
        .iter()
        .filter(alternate)
        .filter(html_type)
        .chain(links.iter().filter(alternate))
        .chain(links.iter().filter(other));
    candidates.into_iter().find_map(|l| web_url(&l.href, base))
}

/// `href` made absolute against `base`, if it is an http(s) address.
fn web_url(href: &str, base: &Url) -> Option<String> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    let url = base.join(href).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| clean_inline(url.as_str()))
}

/// Absolute http, https and mailto hrefs of the body, in order, without duplicates.
pub fn body_links(html: &str, base: &Url) -> Vec<String> {
    let mut links = Vec::new();
    let mut seen = HashSet::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(pos) = find_ignore_case(&bytes[i..], b"href") {
        let at = i + pos;
        i = at + 4;
        if at == 0 || !bytes[at - 1].is_ascii_whitespace() {
            continue;
        }
        let Some(value) = attr_value(&html[i..]) else {
            continue;
        };
        let value = entities::decode(value);
        let Ok(url) = base.join(value.trim()) else {
            continue;
        };
        if matches!(url.scheme(), "http" | "https" | "mailto") {
            let url = clean_inline(url.as_str());
            if seen.insert(url.clone()) {
                links.push(url);
            }
        }
    }
    links
}

/// The value after `=` in `  = "value"`, `='value'` or `=value`.
fn attr_value(s: &str) -> Option<&str> {
    let s = s.trim_start().strip_prefix('=')?.trim_start();
    let quote = s.chars().next()?;
    if quote == '"' || quote == '\'' {
        let end = s[1..].find(quote)?;
        Some(&s[1..1 + end])
    } else {
        let end = s
            .find(|c: char| c.is_whitespace() || c == '>')
            .unwrap_or(s.len());
        Some(&s[..end])
    }
}

fn find_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    // Jumping between the first letter's two cases: comparing at every byte of a body was a
    // twentieth of the time its feed took to read.
    let (first, rest) = needle.split_first()?;
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    let mut from = 0;
    while let Some(found) = memchr::memchr2(lower, upper, &haystack[from..]) {
        let at = from + found;
        let after = haystack.get(at + 1..at + needle.len());
        if after.is_some_and(|w| w.eq_ignore_ascii_case(rest)) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Podcast enclosures and media: RSS `<enclosure>`, Media RSS, Atom `rel="enclosure"`.
fn enclosures(entry: &EntryParts<'_>, base: &Url) -> Vec<String> {
    let media = entry.media_urls.iter().filter_map(|u| web_url(u, base));
    let links = entry
        .links
        .iter()
        .filter(|l| {
            l.rel
                .as_deref()
                .is_some_and(|r| r.eq_ignore_ascii_case("enclosure"))
        })
        .filter_map(|l| web_url(&l.href, base));
    media.chain(links).collect()
}

#[cfg(test)]
mod tests {
    use super::find_ignore_case;

    #[test]
    fn a_needle_is_found_first_in_either_case() {
        let cases = [
            ("<a HREF=x href=y>", Some(3)),
            ("hhhref", Some(2)),
            ("the <a hReF", Some(7)),
            ("hre", None),
            ("", None),
            ("é href", Some(3)),
        ];
        for (haystack, at) in cases {
            assert_eq!(
                find_ignore_case(haystack.as_bytes(), b"href"),
                at,
                "{haystack}"
            );
        }
    }
}
