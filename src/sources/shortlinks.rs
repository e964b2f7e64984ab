//! Short links (bit.ly and the like): which links are short, and where one leads. A short
//! link hides the article a post announces, so a refresh resolves each one once and the
//! store keeps the answer.

use std::collections::HashSet;

use futures_util::StreamExt;
use url::Url;

use super::http::Http;

/// The hosts treated as shorteners unless the `shorteners` setting replaces them.
pub const DEFAULT_SHORTENERS: [&str; 16] = [
    "shorturl.at",
    "bit.ly",
    "t.co",
    "buff.ly",
    "ow.ly",
    "lnkd.in",
    "tinyurl.com",
    "goo.gl",
    "is.gd",
    "rebrand.ly",
    "tiny.cc",
    "dlvr.it",
    "trib.al",
    "s.id",
    "cutt.ly",
    "t.ly",
];

/// At most this many short links are resolved at once for one subscription.
const AT_ONCE: usize = 4;

/// Whether `link` is on one of `hosts`: the host itself or with `www.`, never a longer
/// name (`bit.ly.example.org` is not bit.ly).
pub fn is_short(link: &str, hosts: &[String]) -> bool {
    let Ok(url) = Url::parse(link) else {
        return false;
    };
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.strip_prefix("www.").unwrap_or(host);
    matches!(url.scheme(), "http" | "https") && hosts.iter().any(|h| h == host)
}

/// The short links among `links` that `known` does not hold yet, each once.
pub fn unresolved<'a>(
    links: impl IntoIterator<Item = &'a str>,
    hosts: &[String],
    known: &HashSet<String>,
) -> Vec<String> {
    let mut seen = HashSet::new();
    links
        .into_iter()
        .filter(|l| is_short(l, hosts) && !known.contains(*l))
        .filter(|l| seen.insert(l.to_string()))
        .map(str::to_string)
        .collect()
}

/// Resolve `links`: for each, where it leads, or None when it could not be followed (the
/// store remembers that too, so a dead link is not asked again at every refresh).
pub async fn resolve(http: &Http, links: Vec<String>) -> Vec<(String, Option<String>)> {
    futures_util::stream::iter(links)
        .map(|link| async move {
            let target = match Url::parse(&link) {
                Ok(url) => http.final_url(&url).await.ok().map(String::from),
                Err(_) => None,
            };
            (link, target)
        })
        .buffer_unordered(AT_ONCE)
        .collect()
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_hosts_are_recognised_exactly() {
        let hosts: Vec<String> = DEFAULT_SHORTENERS.map(str::to_string).to_vec();
        assert!(is_short("https://bit.ly/3abc", &hosts));
        assert!(is_short("http://www.bit.ly/3abc", &hosts));
        assert!(!is_short("https://bit.ly.example.org/3abc", &hosts));
        assert!(!is_short("https://cecop.coop/news", &hosts));
        assert!(!is_short("mailto:x@bit.ly", &hosts));
        let known = HashSet::from(["https://t.co/known".to_string()]);
        let links = ["https://t.co/known", "https://t.co/new", "https://t.co/new"];
        assert_eq!(unresolved(links, &hosts, &known), vec!["https://t.co/new"]);
    }
}
