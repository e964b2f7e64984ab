//! Before feed-rs: tell feeds from pages and other documents, and mend what feed-rs 3.0.0
//! would reject or silently empty (rss without version, RSS 0.90, Atom 0.3, JSON Feed
//! versions, undeclared HTML entities, bare ampersands).

use std::borrow::Cow;

use super::references::references;
use crate::sources::FetchError;

/// What the document is, judged from its first markup.
#[derive(Debug, PartialEq, Eq)]
pub enum Kind {
    /// XML with a feed root; `root` is the byte offset of its `<`.
    Xml {
        root: usize,
    },
    Json,
}

pub(super) fn not_a_feed(what: impl Into<String>) -> FetchError {
    FetchError::NotAFeed(what.into())
}

/// Classify the decoded document, or say what it is when it is not a feed.
pub fn classify(text: &str, content_type: Option<&str>) -> Result<Kind, FetchError> {
    let served_html = content_type
        .map(|c| c.trim_start().to_ascii_lowercase().starts_with("text/html"))
        .unwrap_or(false);
    let mut at = 0;
    let mut html_doctype = false;
    loop {
        let rest = text[at..].trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        at = text.len() - rest.len();
        if rest.is_empty() {
            return Err(not_a_feed(if at == 0 {
                "an empty body"
            } else {
                "a blank body"
            }));
        }
        if rest.starts_with('{') {
            return Ok(Kind::Json);
        }
        if rest.starts_with('[') {
            return Err(not_a_feed("JSON that is not a JSON Feed"));
        }
        if !rest.starts_with('<') {
            return Err(not_a_feed(if served_html {
                "an HTML page"
            } else {
                "plain text"
            }));
        }
        if rest.starts_with("<?") {
            at += rest.find("?>").map_or(rest.len(), |e| e + 2);
        } else if rest.starts_with("<!--") {
            at += rest.find("-->").map_or(rest.len(), |e| e + 3);
        } else if starts_with_ignore_case(rest, "<!doctype") {
            // An XHTML doctype on top of an <rss> happens; the root decides.
            html_doctype |= starts_with_ignore_case(rest[9..].trim_start(), "html");
            at += doctype_len(rest);
        } else {
            let name: &str = rest[1..]
                .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .next()
                .unwrap_or_default();
            let local = name.rsplit(':').next().unwrap_or(name);
            return match local {
                "rss" | "feed" | "RDF" | "entry" => Ok(Kind::Xml { root: at }),
                _ if local.eq_ignore_ascii_case("html") || served_html || html_doctype => {
                    Err(not_a_feed("an HTML page"))
                }
                "" => Err(not_a_feed("text that is not XML")),
                _ => Err(not_a_feed(format!(
                    "XML whose root is <{}>",
                    crate::text::truncate(&crate::text::clean_inline(name), 40)
                ))),
            };
        }
    }
}

pub(super) fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// Length of a `<!DOCTYPE …>`, internal subset (`[…]`) included, or of the rest if unclosed.
pub(super) fn doctype_len(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut depth = 0usize;
    let mut quote = None;
    for (i, &b) in bytes.iter().enumerate().skip(2) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'[') => depth += 1,
            (None, b']') => depth = depth.saturating_sub(1),
            (None, b'>') if depth == 0 => return i + 1,
            _ => {}
        }
    }
    s.len()
}

/// XML text mended for feed-rs. Borrows when nothing needs changing.
pub fn mend_xml(text: &str, root: usize) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(text);
    if let Some(fixed) = rss_version(text, root) {
        out = Cow::Owned(fixed);
    }
    if let Some(fixed) = old_namespaces(&out) {
        out = Cow::Owned(fixed);
    }
    if let Cow::Owned(fixed) = references(&out) {
        out = Cow::Owned(fixed);
    }
    out
}

/// feed-rs accepts `<rss>` only with version 2.0, 0.91, 0.92 or empty; other versions
/// (none, 0.93, 0.94, 3.0…) are RSS 2.0 in all that matters to a reader. It also wants a
/// `<channel>`: items straight under `<rss>` (or nothing at all) get one around them.
fn rss_version(text: &str, root: usize) -> Option<String> {
    let tag = &text[root..];
    let name_end = tag[1..].find(|c: char| c.is_whitespace() || c == '>' || c == '/')? + 1;
    if &tag[1..name_end] != "rss" {
        return None;
    }
    let tag_end = tag.find('>')?;
    let attrs = &tag[name_end..tag_end];
    let version = match find_attr(attrs, "version") {
        Some((_, "2.0" | "0.91" | "0.92" | "")) => None,
        Some((range, _)) => Some((name_end + range.start..name_end + range.end, "2.0")),
        None => Some((name_end..name_end, " version=\"2.0\"")),
    };
    // A default namespace on <rss> (some sites put the spec's address there) hides every
    // element from feed-rs; RSS 2.0 has no namespace, so it is dropped.
    let xmlns = find_attr(attrs, "xmlns")
        .filter(|(_, uri)| !uri.is_empty())
        .map(|(range, _)| name_end + range.start..name_end + range.end);
    let body = &tag[tag_end + 1..];
    let wrap = !tag[..tag_end].ends_with('/') && !body.contains("<channel");
    if version.is_none() && !wrap && xmlns.is_none() {
        return None;
    }
    let mut edits: Vec<(std::ops::Range<usize>, &str)> = version.into_iter().collect();
    edits.extend(xmlns.map(|range| (range, "")));
    edits.sort_by_key(|(range, _)| range.start);
    let mut out = String::with_capacity(text.len() + 32);
    out.push_str(&text[..root]);
    let mut copied = 0;
    for (range, replacement) in edits {
        out.push_str(&tag[copied..range.start]);
        out.push_str(replacement);
        copied = range.end;
    }
    out.push_str(&tag[copied..=tag_end]);
    if wrap {
        let close = body.rfind("</rss").unwrap_or(body.len());
        out.push_str("<channel>");
        out.push_str(&body[..close]);
        out.push_str("</channel>");
        out.push_str(&body[close..]);
    } else {
        out.push_str(body);
    }
    Some(out)
}

/// The value range (inside the quotes) and value of an attribute in a tag's attribute text.
fn find_attr<'a>(attrs: &'a str, name: &str) -> Option<(std::ops::Range<usize>, &'a str)> {
    let mut from = 0;
    while let Some(pos) = attrs[from..].find(name) {
        let at = from + pos;
        from = at + name.len();
        let boundary = attrs[..at].ends_with(|c: char| c.is_whitespace());
        let after = attrs[from..].trim_start();
        if !boundary || !after.starts_with('=') {
            continue;
        }
        let value = after[1..].trim_start();
        let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let close = value[1..].find(quote)?;
        let start = attrs.len() - value.len() + 1;
        return Some((start..start + close, &value[1..1 + close]));
    }
    None
}

const RSS090_NS: &str = "http://my.netscape.com/rdf/simple/0.9/";
const RSS10_NS: &str = "http://purl.org/rss/1.0/";
const ATOM03_NS: &str = "http://purl.org/atom/ns#";
const ATOM10_NS: &str = "http://www.w3.org/2005/Atom";

/// RSS 0.90 and Atom 0.3 differ from RSS 1.0 and Atom 1.0 mostly in their namespace, which
/// makes feed-rs skip every element and return an empty feed. Moving them to the newer
/// namespace (and renaming Atom 0.3's dates and tagline) recovers titles, links and entries.
fn old_namespaces(text: &str) -> Option<String> {
    let mut head_len = text.len().min(4096);
    while !text.is_char_boundary(head_len) {
        head_len -= 1;
    }
    let head = &text[..head_len];
    let rss090 = head.contains(RSS090_NS);
    let atom03 = head.contains(ATOM03_NS);
    if !rss090 && !atom03 {
        return None;
    }
    let mut out = text.to_string();
    if rss090 {
        out = out.replace(RSS090_NS, RSS10_NS);
    }
    if atom03 {
        out = out.replace(ATOM03_NS, ATOM10_NS);
        let renamed = [
            ("<issued>", "<published>"),
            ("</issued>", "</published>"),
            ("<modified>", "<updated>"),
            ("</modified>", "</updated>"),
            ("<tagline", "<subtitle"),
            ("</tagline>", "</subtitle>"),
            // 0.3 used MIME types where 1.0 has words; feed-rs rejects the XHTML one.
            ("type=\"application/xhtml+xml\"", "type=\"xhtml\""),
            ("type=\"text/html\"", "type=\"html\""),
            ("type=\"text/plain\"", "type=\"text\""),
        ];
        for (old, new) in renamed {
            if out.contains(old) {
                out = out.replace(old, new);
            }
        }
        out = plain_unknown_types(&out);
    }
    Some(out)
}

/// Atom 0.3 documents carry `type` values feed-rs cannot read (neither a word of Atom 1.0
/// nor a MIME type), which would fail the whole feed; such a value becomes `text`.
fn plain_unknown_types(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(" type=\"") {
        let value_start = at + " type=\"".len();
        out.push_str(&rest[..value_start]);
        rest = &rest[value_start..];
        let Some(end) = rest.find('"') else { break };
        let value = &rest[..end];
        let known = matches!(value, "text" | "html" | "xhtml")
            || value.split_once('/').is_some_and(|(a, b)| {
                let token = |s: &str| {
                    !s.is_empty()
                        && s.bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
                };
                token(a) && token(b)
            });
        out.push_str(if known { value } else { "text" });
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The text without the `type` attribute of the tag that ends before byte `position`,
/// for feed-rs's "unsupported content type": the element then reads as plain text
/// instead of failing the whole feed.
pub fn drop_type_attr(text: &str, position: usize) -> Option<String> {
    let mut pos = position.min(text.len());
    while !text.is_char_boundary(pos) {
        pos -= 1;
    }
    let tag_start = text[..pos].rfind('<')?;
    let tag_end = tag_start + text[tag_start..].find('>')?;
    let tag = &text[tag_start..tag_end];
    let (value, _) = find_attr(tag, "type")?;
    let name_start = tag[..value.start].rfind("type")?;
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..tag_start + name_start]);
    out.push_str(&text[tag_start + value.end + 1..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::super::json::mend_json;
    use super::*;

    fn root_of(text: &str) -> usize {
        match classify(text, None) {
            Ok(Kind::Xml { root }) => root,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn classifies_documents() {
        let not = |s: &str, ct| match classify(s, ct) {
            Err(FetchError::NotAFeed(m)) => m,
            other => panic!("{other:?}"),
        };
        assert_eq!(not("\n <!DOCTYPE html><html>", None), "an HTML page");
        assert_eq!(root_of("<!DOCTYPE html PUBLIC \"x\"><rss>"), 26);
        assert_eq!(not("<html lang=it>", None), "an HTML page");
        assert_eq!(
            not("<div>x</div>", Some("text/html; charset=utf-8")),
            "an HTML page"
        );
        assert_eq!(
            not("<?xml version='1.0'?><note/>", None),
            "XML whose root is <note>"
        );
        assert_eq!(not("", None), "an empty body");
        assert_eq!(not("hello", None), "plain text");
        let doc = "<?xml version='1.0'?>\n<!-- c --><!DOCTYPE rss [<!ENTITY a \"]>\">]><rss>";
        assert_eq!(root_of(doc), doc.find("<rss").unwrap_or_default());
        assert_eq!(classify(" {\"items\":[]}", None), Ok(Kind::Json));
    }

    #[test]
    fn rss_version_added_or_replaced() {
        let doc = "<rss>\n<channel/></rss>";
        assert_eq!(mend_xml(doc, 0), "<rss version=\"2.0\">\n<channel/></rss>");
        let doc = "<rss version=\"2.0\"><item/></rss>";
        assert_eq!(
            mend_xml(doc, 0),
            "<rss version=\"2.0\"><channel><item/></channel></rss>"
        );
        let doc = "<x/><rss xmlns:a='b' version='0.94'><channel/></rss>";
        assert_eq!(
            mend_xml(doc, 4),
            "<x/><rss xmlns:a='b' version='2.0'><channel/></rss>"
        );
        let doc = "<rss version=\"2.0\"><channel></channel></rss>";
        assert!(matches!(mend_xml(doc, 0), Cow::Borrowed(_)));
    }

    #[test]
    fn references_mended_outside_cdata() {
        let doc = "<t a=\"?a=1&b=2\">&nbsp;&aacute;&#146;&#X41;&amp;&lol;<![CDATA[&nbsp; & ]]></t>";
        assert_eq!(
            mend_xml(doc, 0),
            "<t a=\"?a=1&amp;b=2\">&#160;&#225;&#8217;&#65;&amp;&lol;<![CDATA[&nbsp; & ]]></t>"
        );
    }

    #[test]
    fn json_feed_versions() {
        let v11 = r#"{"version":"https://jsonfeed.org/version/1.1","items":[]}"#;
        assert!(matches!(mend_json(v11), Ok(Cow::Borrowed(_))));
        let short = r#"{"version":"1.1","items":[]}"#;
        assert!(mend_json(short).is_ok_and(|t| t.contains("jsonfeed.org/version/1.1")));
        let other = r#"{"data":{"children":[]}}"#;
        assert!(matches!(mend_json(other), Err(FetchError::NotAFeed(_))));
        let rss = r#"{"rss":{"channel":{"title":"S","item":[{"link":"http://s/1",
            "description":"d","pubDate":"Mon, 26 Jun 2017 12:20:05 GMT"}]}}}"#;
        let mended = mend_json(rss).map(Cow::into_owned).unwrap_or_default();
        assert!(
            mended.contains(r#""date_published":"2017-06-26T12:20:05+00:00""#),
            "{mended}"
        );
    }

    #[test]
    fn rss_default_namespace_dropped_and_type_removed() {
        let doc = "<rss xmlns=\"https://cyber.harvard.edu/rss/rss.html\" version=\"2.0\"><channel/></rss>";
        assert_eq!(
            mend_xml(doc, 0),
            "<rss xmlns=\"\" version=\"2.0\"><channel/></rss>"
        );
        let doc = "<a><d type=\"plain\">x</d></a>";
        assert_eq!(drop_type_attr(doc, 19).as_deref(), Some("<a><d >x</d></a>"));
    }
}
