//! One address for one story: links compared in a canonical form, so the same article
//! reached through `http://www.`, a trailing slash, a fragment or a newsletter's tracking
//! parameters is recognised as the same. Pure.

use url::Url;

/// Query parameters that only say where a reader came from. `ref` is one too, but only when
/// it names the site itself (see [`canonical`]); elsewhere it can select content.
const TRACKING: [&str; 7] = [
    "fbclid", "gclid", "mc_cid", "mc_eid", "igshid", "ref_src", "dclid",
];
const TRACKING_PREFIXES: [&str; 2] = ["utm_", "mtm_"];

/// The canonical form of `link`: host without `www.` and without a default port, path with
/// percent-encoding normalised and no trailing slash, the query without tracking parameters
/// (the rest sorted), no scheme and no fragment. An address that is not http(s) comes back
/// trimmed, unchanged: it can still equal itself.
pub fn canonical(link: &str) -> String {
    let link = link.trim();
    let Ok(url) = Url::parse(link) else {
        return link.to_string();
    };
    if !matches!(url.scheme(), "http" | "https") {
        return link.to_string();
    }
    let host = url.host_str().unwrap_or_default().trim_end_matches('.');
    let host = host.strip_prefix("www.").unwrap_or(host);
    let mut out = String::with_capacity(link.len());
    out.push_str(host);
    // Scheme is ignored, so both schemes' default ports are.
    if let Some(port) = url.port().filter(|p| *p != 80 && *p != 443) {
        out.push(':');
        out.push_str(&port.to_string());
    }
    let path = normalise_escapes(url.path());
    out.push_str(path.trim_end_matches('/'));
    if let Some(query) = url.query() {
        let mut params: Vec<String> = query
            .split('&')
            .filter(|p| !p.is_empty())
            .filter(|p| !is_tracking(p, host))
            .map(normalise_escapes)
            .collect();
        params.sort();
        params.dedup();
        if !params.is_empty() {
            out.push('?');
            out.push_str(&params.join("&"));
        }
    }
    out
}

fn is_tracking(param: &str, host: &str) -> bool {
    let (key, value) = param.split_once('=').unwrap_or((param, ""));
    let key = key.to_ascii_lowercase();
    if TRACKING.contains(&key.as_str()) || TRACKING_PREFIXES.iter().any(|p| key.starts_with(p)) {
        return true;
    }
    key == "ref" && names_site(value, host)
}

/// `ref=example.org`, `ref=www.example.org` or `ref=example` on example.org.
fn names_site(value: &str, host: &str) -> bool {
    let value = normalise_escapes(value).to_ascii_lowercase();
    let value = value
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_end_matches('/');
    let value = value.strip_prefix("www.").unwrap_or(value);
    let site = host.split('.').next().unwrap_or(host);
    !value.is_empty() && (value == host || value == site)
}

/// Escapes of unreserved characters decoded (`%7E` is `~`), the others in upper case, so
/// equivalent spellings compare equal (RFC 3986, 6.2.2).
fn normalise_escapes(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|b| hex(*b)),
                bytes.get(i + 2).and_then(|b| hex(*b)),
            )
        {
            let byte = h * 16 + l;
            if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                out.push(byte as char);
            } else {
                out.push_str(&format!("%{byte:02X}"));
            }
            i += 3;
            continue;
        }
        // Only ASCII reaches here from a parsed URL; anything else is copied whole.
        let ch = s[i..].chars().next().unwrap_or('\u{fffd}');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::canonical;

    /// Pairs that name the same story.
    const SAME: &[(&str, &str)] = &[
        ("https://cecop.coop/news/a", "http://cecop.coop/news/a"),
        ("https://www.cecop.coop/news/a", "https://cecop.coop/news/a"),
        ("https://cecop.coop/news/a/", "https://cecop.coop/news/a"),
        ("https://cecop.coop:443/news/a", "https://cecop.coop/news/a"),
        ("http://cecop.coop:80/news/a", "https://cecop.coop/news/a"),
        (
            "https://cecop.coop/news/a#comments",
            "https://cecop.coop/news/a",
        ),
        ("https://CECOP.coop/news/a", "https://cecop.coop/news/a"),
        (
            "https://cecop.coop/news/a?utm_source=bluesky&utm_medium=social",
            "https://cecop.coop/news/a",
        ),
        (
            "https://cecop.coop/news/a?mtm_campaign=x",
            "https://cecop.coop/news/a",
        ),
        (
            "https://cecop.coop/news/a?fbclid=IwAR0abc",
            "https://cecop.coop/news/a",
        ),
        (
            "https://cecop.coop/news/a?gclid=1&mc_cid=2&mc_eid=3",
            "https://cecop.coop/news/a",
        ),
        (
            "https://cecop.coop/news/a?igshid=xyz&ref_src=twsrc",
            "https://cecop.coop/news/a",
        ),
        (
            "https://cecop.coop/news/a?ref=cecop.coop",
            "https://cecop.coop/news/a",
        ),
        (
            "https://cecop.coop/news/a?ref=www.cecop.coop",
            "https://cecop.coop/news/a",
        ),
        (
            "https://cecop.coop/news/a?ref=cecop",
            "https://cecop.coop/news/a",
        ),
        ("https://cecop.coop/news/%7Ea", "https://cecop.coop/news/~a"),
        (
            "https://cecop.coop/news/caf%c3%a9",
            "https://cecop.coop/news/café",
        ),
        (
            "https://cecop.coop/news/a%2fb",
            "https://cecop.coop/news/a%2Fb",
        ),
        (
            "https://cecop.coop/?p=12&lang=it",
            "https://cecop.coop/?lang=it&p=12",
        ),
        (
            "https://cecop.coop/?p=12&utm_source=x",
            "https://www.cecop.coop?p=12#top",
        ),
        ("https://cecop.coop/news/a?", "https://cecop.coop/news/a"),
    ];

    /// Pairs that name different stories.
    const DIFFERENT: &[(&str, &str)] = &[
        ("https://cecop.coop/news/a", "https://cecop.coop/news/b"),
        ("https://cecop.coop/news/a", "https://cecop.coop/news/a/b"),
        ("https://cecop.coop/News/a", "https://cecop.coop/news/a"),
        ("https://cecop.coop/?p=12", "https://cecop.coop/?p=13"),
        ("https://cecop.coop/?p=12", "https://cecop.coop/"),
        ("https://cecop.coop/news?page=2", "https://cecop.coop/news"),
        (
            "https://cecop.coop/news/a?ref=newsletter",
            "https://cecop.coop/news/a",
        ),
        ("https://cecop.coop/news/a", "https://cecop.org/news/a"),
        (
            "https://cecop.coop/news/a",
            "https://news.cecop.coop/news/a",
        ),
        (
            "https://cecop.coop:8080/news/a",
            "https://cecop.coop/news/a",
        ),
        (
            "https://cecop.coop/news/a%2Fb",
            "https://cecop.coop/news/a/b",
        ),
    ];

    #[test]
    fn addresses_that_must_match() {
        for (a, b) in SAME {
            assert_eq!(canonical(a), canonical(b), "{a} and {b} should match");
        }
    }

    #[test]
    fn addresses_that_must_not_match() {
        for (a, b) in DIFFERENT {
            assert_ne!(canonical(a), canonical(b), "{a} and {b} should differ");
        }
    }

    #[test]
    fn the_form_is_readable() {
        assert_eq!(
            canonical("https://www.cecop.coop/news/a/?utm_source=x&id=3#c"),
            "cecop.coop/news/a?id=3"
        );
        assert_eq!(
            canonical("mailto:info@cecop.coop"),
            "mailto:info@cecop.coop"
        );
        assert_eq!(canonical("  not a link "), "not a link");
    }
}
