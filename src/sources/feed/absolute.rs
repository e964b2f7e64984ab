//! Relative `href` and `src` values in a body made absolute, once, when the feed is read:
//! the base (xml:base or the feed's address) is known only then, and the reader, the CLI
//! and the stored link list must all agree on where a link goes.

use url::Url;

/// `html` with every relative `href`/`src` attribute value resolved against `base`.
/// Values that are already absolute, or cannot be resolved, are left as they are.
pub fn absolutize(html: &str, base: &Url) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len() + 64);
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let Some(name_len) = attribute_at(bytes, i) else {
            i += 1;
            continue;
        };
        let Some((start, end)) = value_span(bytes, i + name_len) else {
            i += name_len;
            continue;
        };
        let value = &html[start..end];
        if let Some(absolute) = resolve(value, base) {
            out.push_str(&html[copied..start]);
            out.push_str(&absolute.replace('&', "&amp;").replace('"', "&quot;"));
            copied = end;
        }
        i = end;
    }
    if copied == 0 {
        return html.to_string();
    }
    out.push_str(&html[copied..]);
    out
}

/// The length of `href` or `src` when one starts at `i` after whitespace.
fn attribute_at(bytes: &[u8], i: usize) -> Option<usize> {
    if i == 0 || !bytes[i - 1].is_ascii_whitespace() {
        return None;
    }
    ["href", "src"].into_iter().find_map(|name| {
        let candidate = bytes.get(i..i + name.len())?;
        candidate
            .eq_ignore_ascii_case(name.as_bytes())
            .then_some(name.len())
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
    if trimmed.is_empty() || trimmed.starts_with('#') || Url::parse(trimmed).is_ok() {
        return None;
    }
    base.join(trimmed).ok().map(String::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_values_become_absolute_and_the_rest_is_untouched() {
        let base = Url::parse("https://www.cecop.coop/news/feed/").unwrap();
        let html = r##"<p>Read <a href="/works/report.pdf">the report</a>, <a HREF='../x?a=1&amp;b=2'>x</a>,
<img src=pic.png alt="p"> <a href="https://other.example/">o</a> <a href="#top">top</a> <a data-href="/no">n</a></p>"##;
        let out = absolutize(html, &base);
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
            let _ = absolutize(html, &base);
        }
    }
}
