//! Where a site's feed may be: the feeds a page announces with `<link rel="alternate">`,
//! else links in the page that say RSS, Atom or feed, then the paths content systems use,
//! next to the address given and at the site's root. Comment feeds are never candidates.

use scraper::{Html, Selector};
use url::Url;

const FEED_TYPES: [&str; 7] = [
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
];

/// Feed paths of WordPress (`feed/`), Drupal (`rss.xml`), static generators and others,
/// tried in each folder.
const FOLDER_PATHS: [&str; 5] = ["feed/", "rss.xml", "feed.xml", "atom.xml", "index.xml"];

/// Only at the root: WordPress without pretty links, Drupal's front page feed.
const ROOT_PATHS: [&str; 2] = ["?feed=rss2", "node/feed"];

/// Why an address is worth trying, for `coopnews check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Why {
    /// `<link rel="alternate">` in the page.
    Announced,
    /// A link in the page whose text or address says RSS, Atom or feed.
    Linked,
    /// A usual path.
    Probed,
}

/// Every address to try, in order, without repeats.
pub fn candidates(html: &[u8], page: &Url) -> Vec<(Url, Why)> {
    let text = String::from_utf8_lossy(html);
    let document = Html::parse_document(&text);
    let base = base_of(&document, page);
    let mut out: Vec<(Url, Why)> = Vec::new();
    let add = |url: Url, why: Why, out: &mut Vec<(Url, Why)>| {
        if matches!(url.scheme(), "http" | "https") && !out.iter().any(|(u, _)| *u == url) {
            out.push((url, why));
        }
    };
    let announced = announced(&document, &base);
    let any_announced = !announced.is_empty();
    for url in announced {
        add(url, Why::Announced, &mut out);
    }
    if !any_announced {
        for url in linked(&document, &base) {
            add(url, Why::Linked, &mut out);
        }
    }
    for url in probes(page) {
        add(url, Why::Probed, &mut out);
    }
    out
}

fn base_of(document: &Html, page: &Url) -> Url {
    Selector::parse("base[href]")
        .ok()
        .and_then(|s| document.select(&s).next())
        .and_then(|b| b.value().attr("href"))
        .and_then(|href| page.join(href.trim()).ok())
        .unwrap_or_else(|| page.clone())
}

/// A feed of comments rather than news: by its title or its address.
fn is_comments(title: &str, url: &Url) -> bool {
    let title = title.to_lowercase();
    let path = url.as_str().to_lowercase();
    ["comment", "comentari", "commentaires", "commenti"]
        .iter()
        .any(|w| title.contains(w) || path.contains(w))
}

/// The feeds a page announces with `<link rel="alternate">`, absolute, comment feeds left out.
pub fn feed_links(html: &[u8], page: &Url) -> Vec<Url> {
    let text = String::from_utf8_lossy(html);
    let document = Html::parse_document(&text);
    let base = base_of(&document, page);
    announced(&document, &base)
}

fn announced(document: &Html, base: &Url) -> Vec<Url> {
    let Ok(selector) = Selector::parse("link[href]") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for link in document.select(&selector) {
        let el = link.value();
        let rel = el.attr("rel").unwrap_or_default().to_ascii_lowercase();
        if !rel.split_ascii_whitespace().any(|r| r == "alternate") {
            continue;
        }
        let kind = el
            .attr("type")
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let kind = kind.split(';').next().unwrap_or_default().trim();
        if !FEED_TYPES.contains(&kind) {
            continue;
        }
        let Some(url) = el.attr("href").and_then(|h| base.join(h.trim()).ok()) else {
            continue;
        };
        if matches!(url.scheme(), "http" | "https")
            && !out.contains(&url)
            && !is_comments(el.attr("title").unwrap_or_default(), &url)
        {
            out.push(url);
        }
    }
    out
}

/// Visible links that say they are a feed: text "RSS", "Atom", "Feed", or an address whose
/// last segment is `feed`, `rss`, `atom` or ends in `.rss`, `.xml`, `.atom`.
fn linked(document: &Html, base: &Url) -> Vec<Url> {
    let Ok(selector) = Selector::parse("a[href]") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for a in document.select(&selector) {
        let Some(url) = a
            .value()
            .attr("href")
            .and_then(|h| base.join(h.trim()).ok())
        else {
            continue;
        };
        let text = a.text().collect::<String>().to_lowercase();
        let says = text
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| matches!(w, "rss" | "atom" | "feed"));
        let last = url
            .path_segments()
            .and_then(|mut s| s.rfind(|s| !s.is_empty()))
            .unwrap_or_default()
            .to_lowercase();
        let looks = matches!(last.as_str(), "feed" | "rss" | "atom")
            || [".rss", ".atom", "rss.xml", "atom.xml", "feed.xml"]
                .iter()
                .any(|end| last.ends_with(end));
        if (says || looks)
            && !is_comments(&text, &url)
            && matches!(url.scheme(), "http" | "https")
            && !out.contains(&url)
        {
            out.push(url);
        }
    }
    out
}

/// The usual paths in the page's folder (`/en/news/` → `/en/news/rss.xml`), in its first
/// folder (`/en/rss.xml`), and at the root (`/feed/`, `/rss.xml`, `/?feed=rss2`, `/node/feed`).
fn probes(page: &Url) -> Vec<Url> {
    let path = page.path();
    // `/news.html` lives in `/`; `/en` is the folder `/en/`.
    let folder = match path.rsplit_once('/') {
        Some((dir, last)) if last.contains('.') => format!("{dir}/"),
        _ if path.ends_with('/') => path.to_string(),
        _ => format!("{path}/"),
    };
    let first = folder
        .trim_start_matches('/')
        .split('/')
        .next()
        .filter(|s| !s.is_empty())
        .map(|s| format!("/{s}/"));
    let mut folders = vec![folder.clone()];
    folders.extend(first);
    folders.push("/".into());
    folders.dedup();
    let mut out = Vec::new();
    for folder in &folders {
        for name in FOLDER_PATHS {
            if let Ok(url) = page.join(&format!("{folder}{name}")) {
                out.push(url);
            }
        }
    }
    for name in ROOT_PATHS {
        if let Ok(url) = page.join(&format!("/{name}")) {
            out.push(url);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(list: Vec<(Url, Why)>) -> Vec<String> {
        list.into_iter().map(|(u, _)| u.to_string()).collect()
    }

    fn paths(list: Vec<Url>) -> Vec<String> {
        list.into_iter().map(String::from).collect()
    }

    #[test]
    fn announced_feeds_first_comment_feeds_never() {
        let html = br#"<html><head>
            <link rel="alternate" type="application/rss+xml" title="Site &raquo; Comments Feed" href="/comments/feed/">
            <link rel="stylesheet" href="/style.css">
            <link rel="alternate" type="application/rss+xml" title="Site &raquo; Feed" href="feed/">
            <link rel="alternate" type="application/feed+json" href="https://example.org/feed.json">
            <link rel="alternate" hreflang="fr" href="/fr/">
        </head><body><a href="/other.rss">RSS</a></body></html>"#;
        let base = Url::parse("https://example.org/news/").unwrap();
        let found = urls(candidates(html, &base));
        assert_eq!(
            &found[..2],
            [
                "https://example.org/news/feed/",
                "https://example.org/feed.json"
            ]
        );
        assert!(!found.iter().any(|u| u.contains("comments")));
        // Links in the page count only when the head announces nothing.
        assert!(!found.iter().any(|u| u.contains("other.rss")));
    }

    #[test]
    fn visible_feed_links_when_nothing_is_announced() {
        let html = br#"<html><body><a href="/feedback">Feedback</a>
            <a href="/news/rss">Subscribe via RSS</a><a href="/comments/rss">Comments RSS</a></body></html>"#;
        let base = Url::parse("https://example.org/").unwrap();
        let found = candidates(html, &base);
        assert_eq!(found[0].0.as_str(), "https://example.org/news/rss");
        assert_eq!(found[0].1, Why::Linked);
        assert!(!found.iter().any(|(u, _)| u.path() == "/feedback"));
        assert!(!found.iter().any(|(u, _)| u.path().contains("comments")));
    }

    #[test]
    fn probes_next_to_the_address_and_at_the_root() {
        let found = paths(probes(&Url::parse("https://ica.coop/en").unwrap()));
        assert!(found.contains(&"https://ica.coop/en/rss.xml".to_string()));
        assert!(found.contains(&"https://ica.coop/en/feed/".to_string()));
        assert!(found.contains(&"https://ica.coop/rss.xml".to_string()));
        assert!(found.contains(&"https://ica.coop/?feed=rss2".to_string()));
        assert!(found.contains(&"https://ica.coop/node/feed".to_string()));
        let deep = paths(probes(
            &Url::parse("https://ica.coop/en/newsroom/news").unwrap(),
        ));
        assert_eq!(deep[0], "https://ica.coop/en/newsroom/news/feed/");
        assert!(deep.contains(&"https://ica.coop/en/rss.xml".to_string()));
        let root = paths(probes(&Url::parse("https://platform.coop/").unwrap()));
        assert_eq!(root[0], "https://platform.coop/feed/");
        assert_eq!(root.len(), 7);
    }
}
