//! Relative `href` and `src` values in a body made absolute, once, when the feed is read:
//! the base (xml:base or the feed's address) is known only then, and the reader, the CLI
//! and the stored link list must all agree on where a link goes.

use url::Url;

/// `html` with every relative `href`/`src` attribute value resolved against `base`.
/// Values that are already absolute, or cannot be resolved, are left as they are, and a
/// body with nothing to resolve is handed back without a copy.
pub fn absolutize(html: String, base: &Url) -> String {
    let bytes = html.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut from = 0;
    // Every attribute value follows an `=`, which is rare enough in a body to jump between.
    while let Some(eq) = memchr::memchr(b'=', &bytes[from..]).map(|p| from + p) {
        from = eq + 1;
        let Some(name_end) = attribute_before(bytes, eq) else {
            continue;
        };
        let Some((start, end)) = value_span(bytes, name_end) else {
            continue;
        };
        from = end;
        if let Some(absolute) = resolve(&html[start..end], base) {
            if copied == 0 {
                out.reserve(html.len() + 64);
            }
            out.push_str(&html[copied..start]);
            out.push_str(&absolute.replace('&', "&amp;").replace('"', "&quot;"));
            copied = end;
        }
    }
    if copied == 0 {
        return html;
    }
    out.push_str(&html[copied..]);
    out
}

/// Where the name ends when `href` or `src`, after whitespace, stands before the `=` at `eq`.
fn attribute_before(bytes: &[u8], eq: usize) -> Option<usize> {
    let mut end = eq;
    while end > 0 && bytes[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    ["href", "src"].into_iter().find_map(|name| {
        let start = end.checked_sub(name.len())?;
        let preceded = start > 0 && bytes[start - 1].is_ascii_whitespace();
        (preceded && bytes[start..end].eq_ignore_ascii_case(name.as_bytes())).then_some(end)
    })
}

/// Where the value after `= "…"` (or `='…'`, or `=bare`) lies.
fn value_span(bytes: &[u8], mut i: usize) -> Option<(usize, usize)> {
    while bytes.get(i)?.is_ascii_whitespace() {
        i += 1;
    }
    if *bytes.get(i)? != b'=' {
        return None;
    }
    i += 1;
    while bytes.get(i)?.is_ascii_whitespace() {
        i += 1;
    }
    match *bytes.get(i)? {
        quote @ (b'"' | b'\'') => {
            let start = i + 1;
            let len = bytes[start..].iter().position(|&b| b == quote)?;
            Some((start, start + len))
        }
        _ => {
            let start = i;
            let len = bytes[start..]
                .iter()
                .position(|&b| b.is_ascii_whitespace() || b == b'>')
                .unwrap_or(bytes.len() - start);
            Some((start, start + len))
        }
    }
}

/// The absolute form of a relative value; None when it is absolute (has a scheme) already.
fn resolve(value: &str, base: &Url) -> Option<String> {
    let decoded = value.replace("&amp;", "&");
    let trimmed = decoded.trim();
    if trimmed.is_empty() || trimmed.starts_with('#') || has_scheme(trimmed) {
        return None;
    }
    base.join(trimmed).ok().map(String::from)
}

/// `scheme:` at the start (RFC 3986: a letter, then letters, digits, `+`, `-`, `.`): the
/// value is absolute and `join` would not change it. Cheaper than parsing it whole.
fn has_scheme(value: &str) -> bool {
    let Some((scheme, _)) = value.split_once(':') else {
        return false;
    };
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_values_become_absolute_and_the_rest_is_untouched() {
        let base = Url::parse("https://www.cecop.coop/news/feed/").unwrap();
        let html = r##"<p>Read <a href="/works/report.pdf">the report</a>, <a HREF='../x?a=1&amp;b=2'>x</a>,
<img src=pic.png alt="p"> <a href="https://other.example/">o</a> <a href="#top">top</a> <a data-href="/no">n</a></p>"##;
        let out = absolutize(html.to_string(), &base);
        assert!(
            out.contains(r#"href="https://www.cecop.coop/works/report.pdf""#),
            "{out}"
        );
        assert!(
            out.contains("HREF='https://www.cecop.coop/news/x?a=1&amp;b=2'"),
            "{out}"
        );
        assert!(
            out.contains("src=https://www.cecop.coop/news/feed/pic.png alt"),
            "{out}"
        );
        assert!(out.contains(r#"href="https://other.example/""#));
        assert!(out.contains(r##"href="#top""##));
        assert!(out.contains(r#"data-href="/no""#));
    }

    #[test]
    fn broken_markup_never_panics() {
        let base = Url::parse("https://a.example/").unwrap();
        for html in [
            "<a href",
            "<a href=",
            "<a href=\"/x",
            " src = 'é/ü",
            "\u{1F1EA}\u{1F1FA} href=ü",
        ] {
            let _ = absolutize(html.to_string(), &base);
        }
    }
}
