//! Rich text: facets applied by UTF-8 byte offsets, giving plain text, escaped HTML and the
//! links in reading order; plus [`Body`], which gathers a post's pieces into an article body.

use url::Url;

use super::api::{Facet, Feature};
use crate::text;

/// A post's body in its three forms.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rendered {
    /// Plain text, cleaned with [`text::clean_block`]; links are written out in full.
    pub text: String,
    /// HTML built here, every piece of post text escaped.
    pub html: String,
    /// Absolute http(s) links in reading order, without duplicates.
    pub links: Vec<String>,
}

/// Gathers paragraphs of plain text and HTML side by side, and the links as they appear.
#[derive(Debug, Default)]
pub struct Body {
    text: String,
    html: String,
    links: Vec<String>,
    /// A short description of the first embed, the title of a post without text.
    pub first_embed: Option<String>,
}

impl Body {
    /// One paragraph: `plain` as it reads, `html` already escaped.
    pub fn para(&mut self, plain: &str, html: &str) {
        self.text.push_str(plain);
        self.text.push_str("\n\n");
        self.html.push_str("<p>");
        self.html.push_str(html);
        self.html.push_str("</p>\n");
    }

    pub fn push_text(&mut self, plain: &str) {
        self.text.push_str(plain);
    }

    pub fn push_html(&mut self, html: &str) {
        self.html.push_str(html);
    }

    /// `<a href="url">label</a>`, noting the link; a URL that is not absolute http(s) comes
    /// back as plain escaped text instead.
    pub fn anchor(&mut self, url: &str, label: &str) -> String {
        if !is_web_url(url) {
            return escape(label);
        }
        self.add_link(url);
        format!("<a href=\"{}\">{}</a>", escape(url), escape(label))
    }

    pub fn add_link(&mut self, url: &str) {
        if is_web_url(url) && !self.links.iter().any(|l| l == url) {
            self.links.push(url.to_string());
        }
    }

    pub fn label_embed(&mut self, label: String) {
        self.first_embed.get_or_insert(label);
    }

    pub fn finish(self) -> Rendered {
        Rendered {
            text: text::clean_block(&self.text),
            html: self.html,
            links: self.links,
        }
    }
}

/// Rich text as plain text and inline HTML (newlines as `<br>`), with its links noted in `body`.
///
/// Facets that are out of bounds, empty, not on character boundaries or overlapping an
/// earlier one are skipped: the text then reads as written.
pub fn render(source: &str, facets: &[Facet], body: &mut Body) -> (String, String) {
    let mut spans: Vec<(usize, usize, Kind)> = facets
        .iter()
        .filter_map(|f| {
            let (start, end) = (f.index.byte_start, f.index.byte_end);
            let fits = start < end
                && end <= source.len()
                && source.is_char_boundary(start)
                && source.is_char_boundary(end);
            if !fits {
                return None;
            }
            f.features
                .iter()
                .find_map(classify)
                .map(|k| (start, end, k))
        })
        .collect();
    spans.sort_by_key(|s| s.0);

    let (mut plain, mut html) = (String::new(), String::new());
    let mut pos = 0;
    for (start, end, kind) in spans {
        if start < pos {
            continue;
        }
        push_plain(&source[pos..start], &mut plain, &mut html);
        let shown = &source[start..end];
        match kind {
            Kind::Link(uri) if looks_like_address(shown) => {
                // The app shortens the address it shows; the facet holds the whole one.
                plain.push_str(&uri);
                html.push_str(&body.anchor(&uri, &uri));
            }
            Kind::Link(uri) => {
                // Words made into a link: keep them and show where they lead.
                plain.push_str(&format!("{shown} ({uri})"));
                html.push_str(&format!("{} ({})", escape(shown), body.anchor(&uri, &uri)));
            }
            Kind::Mention(url) | Kind::Tag(url) => {
                plain.push_str(shown);
                html.push_str(&body.anchor(&url, shown));
            }
        }
        pos = end;
    }
    push_plain(&source[pos..], &mut plain, &mut html);
    (plain, html)
}

enum Kind {
    Link(String),
    Mention(String),
    Tag(String),
}

/// By `$type` when present, else by the field that is there (some old records lack `$type`).
fn classify(feature: &Feature) -> Option<Kind> {
    let kind = feature.kind.as_deref().unwrap_or_default();
    let is = |suffix: &str| kind.is_empty() || kind.ends_with(suffix);
    if let Some(uri) = feature.uri.as_deref().filter(|_| is("#link")) {
        return is_web_url(uri).then(|| Kind::Link(uri.trim().to_string()));
    }
    if let Some(did) = feature.did.as_deref().filter(|_| is("#mention")) {
        return did
            .starts_with("did:")
            .then(|| Kind::Mention(profile_url(did)));
    }
    if let Some(tag) = feature.tag.as_deref().filter(|_| is("#tag")) {
        let tag = tag.trim().trim_start_matches(['#', '＃']);
        return (!tag.is_empty()).then(|| Kind::Tag(bsky_url(&["hashtag", tag])));
    }
    None
}

/// Text shown for a link that is itself an address (possibly cut with `...`), as opposed to
/// words. Anything address-like is replaced by the real target, which is also safer.
fn looks_like_address(shown: &str) -> bool {
    !shown.chars().any(char::is_whitespace) && (shown.contains('.') || shown.contains('/'))
}

fn push_plain(piece: &str, plain: &mut String, html: &mut String) {
    plain.push_str(piece);
    html.push_str(&escape(piece).replace('\n', "<br>\n"));
}

/// HTML-escape text and attribute values alike.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub fn is_web_url(s: &str) -> bool {
    Url::parse(s).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
}

/// `https://bsky.app/` plus path segments, each percent-encoded as a path segment needs.
pub fn bsky_url(segments: &[&str]) -> String {
    let mut url = Url::parse("https://bsky.app/").expect("a constant, valid URL");
    if let Ok(mut path) = url.path_segments_mut() {
        path.clear().extend(segments);
    }
    url.into()
}

/// A profile by handle or DID.
pub fn profile_url(actor: &str) -> String {
    bsky_url(&["profile", actor])
}

/// The web address of a post: from its `at://did/app.bsky.feed.post/rkey` uri, with the
/// handle when it is known and valid, else the DID. None for other collections.
pub fn post_url(at_uri: &str, handle: Option<&str>) -> Option<String> {
    let rest = at_uri.strip_prefix("at://")?;
    let mut parts = rest.split('/');
    let (authority, collection, rkey) = (parts.next()?, parts.next()?, parts.next()?);
    if collection != "app.bsky.feed.post" || rkey.is_empty() || authority.is_empty() {
        return None;
    }
    let actor = handle
        .filter(|h| !h.is_empty() && *h != "handle.invalid")
        .unwrap_or(authority);
    Some(bsky_url(&["profile", actor, "post", rkey]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::bluesky::api::ByteSlice;

    fn facet(start: usize, end: usize, feature: Feature) -> Facet {
        Facet {
            index: ByteSlice {
                byte_start: start,
                byte_end: end,
            },
            features: vec![feature],
        }
    }

    fn link(uri: &str) -> Feature {
        Feature {
            kind: Some("app.bsky.richtext.facet#link".into()),
            uri: Some(uri.into()),
            did: None,
            tag: None,
        }
    }

    fn tag(tag: &str) -> Feature {
        Feature {
            kind: Some("app.bsky.richtext.facet#tag".into()),
            uri: None,
            did: None,
            tag: Some(tag.into()),
        }
    }

    #[test]
    fn shortened_link_is_expanded_everywhere() {
        let text = "🇪🇺 Read cecop.coop/works/cecop-... now";
        let start = text.find("cecop.coop").unwrap();
        let end = start + "cecop.coop/works/cecop-...".len();
        let full = "https://cecop.coop/works/cecop-annual-report";
        let mut body = Body::default();
        let (plain, html) = render(text, &[facet(start, end, link(full))], &mut body);
        assert_eq!(plain, format!("🇪🇺 Read {full} now"));
        assert_eq!(html, format!("🇪🇺 Read <a href=\"{full}\">{full}</a> now"));
        assert_eq!(body.finish().links, vec![full.to_string()]);
    }

    #[test]
    fn bad_offsets_are_skipped_without_panic() {
        let text = "né 🇪🇺 <b>";
        let facets = [
            facet(2, 3, link("https://a.example/")),  // inside "é"
            facet(0, 99, link("https://b.example/")), // past the end
            facet(4, 4, link("https://c.example/")),  // empty
            facet(5, 9, link("https://d.example/")),  // inside the flag
        ];
        let mut body = Body::default();
        let (plain, html) = render(text, &facets, &mut body);
        assert_eq!(plain, text);
        assert_eq!(html, "né 🇪🇺 &lt;b&gt;");
        assert!(body.finish().links.is_empty());
    }

    #[test]
    fn overlapping_facets_keep_the_first() {
        let text = "#coop and more";
        let facets = [
            facet(0, 5, tag("coop")),
            facet(2, 9, link("https://x.example/")),
        ];
        let mut body = Body::default();
        let (plain, _) = render(text, &facets, &mut body);
        assert_eq!(plain, text);
        assert_eq!(body.finish().links, vec!["https://bsky.app/hashtag/coop"]);
    }

    #[test]
    fn hashtags_are_percent_encoded() {
        let text = "#coopération";
        let mut body = Body::default();
        render(text, &[facet(0, text.len(), tag("coopération"))], &mut body);
        assert_eq!(
            body.finish().links,
            vec!["https://bsky.app/hashtag/coop%C3%A9ration"]
        );
    }

    #[test]
    fn worded_links_keep_their_words_and_unsafe_schemes_are_ignored() {
        let text = "see the report or this";
        let facets = [
            facet(4, 14, link("https://coop.example/r")),
            facet(18, 22, link("javascript:alert(1)")),
        ];
        let mut body = Body::default();
        let (plain, html) = render(text, &facets, &mut body);
        assert_eq!(plain, "see the report (https://coop.example/r) or this");
        assert!(!html.contains("javascript"));
    }

    #[test]
    fn post_urls() {
        let uri = "at://did:plc:abc/app.bsky.feed.post/3k2";
        assert_eq!(
            post_url(uri, Some("cecop.bsky.social")).as_deref(),
            Some("https://bsky.app/profile/cecop.bsky.social/post/3k2")
        );
        assert_eq!(
            post_url(uri, Some("handle.invalid")).as_deref(),
            Some("https://bsky.app/profile/did:plc:abc/post/3k2")
        );
        assert_eq!(
            post_url("at://did:plc:abc/app.bsky.feed.like/1", None),
            None
        );
    }
}
