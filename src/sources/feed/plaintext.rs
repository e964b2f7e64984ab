//! HTML bodies to plain text for `Article.text` (search, `list`, `show` without HTML): tags
//! dropped, references decoded, script and style skipped, block elements on their own lines,
//! whitespace folded as a browser folds it, `<pre>` kept as written.
//!
//! One pass over the bytes with no tree: html2text built a DOM and laid out every body, which
//! was half of a refresh's CPU time. The reader still renders the HTML with html2text.

use super::entities;
use crate::text::clean_block;

/// Elements whose content is never text a reader sees.
const SKIPPED: [&str; 6] = ["script", "style", "template", "noscript", "iframe", "head"];
/// Elements that stand apart from the text around them by a blank line.
const PARAGRAPHS: [&str; 22] = [
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "ul",
    "ol",
    "dl",
    "table",
    "figure",
    "hr",
    "address",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "nav",
    "main",
];
/// Elements that start on a line of their own.
const LINES: [&str; 14] = [
    "div",
    "li",
    "dt",
    "dd",
    "tr",
    "caption",
    "figcaption",
    "center",
    "details",
    "summary",
    "fieldset",
    "legend",
    "form",
    "option",
];

pub fn plain_text(html: &str) -> String {
    let bytes = html.as_bytes();
    let mut out = Writer {
        out: String::with_capacity(html.len() / 2),
        space: false,
        breaks: 0,
        pre: 0,
    };
    let mut i = 0;
    while i < bytes.len() {
        let Some(lt) = bytes[i..].iter().position(|&b| b == b'<').map(|p| i + p) else {
            out.text(&html[i..]);
            break;
        };
        out.text(&html[i..lt]);
        let rest = &bytes[lt + 1..];
        match rest.first() {
            Some(b'!') if rest.starts_with(b"!--") => {
                // A comment ends at `-->`; an unclosed one swallows the rest, as in a browser.
                i = find(bytes, lt + 4, b"-->").map_or(bytes.len(), |e| e + 3);
            }
            Some(b'!' | b'?') => i = find(bytes, lt, b">").map_or(bytes.len(), |e| e + 1),
            Some(b'/') if rest.get(1).is_some_and(u8::is_ascii_alphabetic) => {
                let Some(end) = tag_end(bytes, lt + 2) else {
                    break;
                };
                out.close(tag_name(&bytes[lt + 2..end]));
                i = end + 1;
            }
            Some(b'/') if rest.get(1) == Some(&b'>') => i = lt + 3,
            Some(c) if c.is_ascii_alphabetic() => {
                let Some(end) = tag_end(bytes, lt + 1) else {
                    break;
                };
                let name = tag_name(&bytes[lt + 1..end]);
                i = end + 1;
                if let Some(skip) = SKIPPED.iter().find(|s| s.eq_ignore_ascii_case(name)) {
                    i = skip_element(bytes, i, skip.as_bytes());
                } else if name.eq_ignore_ascii_case("img") {
                    // An image reads as its description, as html2text and screen readers do.
                    if let Some(alt) = attribute(&html[lt + 1..end], "alt") {
                        out.space = true;
                        out.text(alt);
                        out.space = true;
                    }
                } else {
                    out.open(name);
                }
            }
            _ => {
                out.text("<");
                i = lt + 1;
            }
        }
    }
    clean_block(&out.out)
}

/// The first `needle` at or after `from`.
fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

/// The `>` that ends the tag whose name starts at `from`; quoted attribute values may hold `>`.
fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'>' => return Some(i),
            b'=' => {
                i += 1;
                while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
                    i += 1;
                }
                if let Some(&quote @ (b'"' | b'\'')) = bytes.get(i) {
                    i += 1 + bytes[i + 1..].iter().position(|&b| b == quote)?;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    None
}

/// The value of attribute `name` in a tag's text (`img src=x alt="y"`), still encoded.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let bytes = tag.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'=' | b'>')
        {
            i += 1;
        }
        let key = &tag[start..i];
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let mut value = "";
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
                i += 1;
            }
            let (from, to) = match bytes.get(i) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let close = bytes[i + 1..].iter().position(|&b| b == quote)?;
                    (i + 1, i + 1 + close)
                }
                _ => {
                    let len = bytes[i..].iter().position(u8::is_ascii_whitespace);
                    (i, len.map_or(bytes.len(), |l| i + l))
                }
            };
            value = &tag[from..to];
            i = to + 1;
        }
        if key.eq_ignore_ascii_case(name) {
            return Some(value);
        }
        if i == start {
            i += 1;
        }
    }
    None
}

fn tag_name(tag: &[u8]) -> &str {
    let len = tag
        .iter()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(tag.len());
    // ASCII alphanumerics only, so always valid UTF-8.
    std::str::from_utf8(&tag[..len]).unwrap_or_default()
}

/// Past the end tag of a skipped element (`</script>`), or the end of the document.
fn skip_element(bytes: &[u8], from: usize, name: &[u8]) -> usize {
    let mut i = from;
    while let Some(lt) = find(bytes, i, b"</") {
        let after = lt + 2;
        let matches = bytes
            .get(after..after + name.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(name));
        let boundary = bytes
            .get(after + name.len())
            .is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/'));
        if matches && boundary {
            return find(bytes, after, b">").map_or(bytes.len(), |e| e + 1);
        }
        i = after;
    }
    bytes.len()
}

struct Writer {
    out: String,
    /// Whitespace seen since the last word: one space before the next, unless a break wins.
    space: bool,
    /// Newlines owed before the next word: 1 for a new line, 2 for a blank line.
    breaks: u8,
    /// Inside `<pre>`: whitespace kept as written.
    pre: usize,
}

impl Writer {
    fn open(&mut self, name: &str) {
        let is = |list: &[&str]| list.iter().any(|t| t.eq_ignore_ascii_case(name));
        if name.eq_ignore_ascii_case("br") {
            self.breaks = (self.breaks + 1).min(2);
        } else if name.eq_ignore_ascii_case("pre") {
            self.block(2);
            self.pre += 1;
        } else if is(&PARAGRAPHS) {
            self.block(2);
        } else if is(&LINES) {
            self.block(1);
        } else if name.eq_ignore_ascii_case("td") || name.eq_ignore_ascii_case("th") {
            self.space = true;
        }
    }

    fn close(&mut self, name: &str) {
        let is = |list: &[&str]| list.iter().any(|t| t.eq_ignore_ascii_case(name));
        if name.eq_ignore_ascii_case("pre") {
            self.pre = self.pre.saturating_sub(1);
            self.block(2);
        } else if is(&PARAGRAPHS) {
            self.block(2);
        } else if is(&LINES) {
            self.block(1);
        } else if name.eq_ignore_ascii_case("td") || name.eq_ignore_ascii_case("th") {
            self.space = true;
        }
    }

    fn block(&mut self, breaks: u8) {
        self.breaks = self.breaks.max(breaks);
    }

    /// Text between tags, references still encoded.
    fn text(&mut self, raw: &str) {
        if raw.is_empty() {
            return;
        }
        if raw.contains('&') {
            self.words(&entities::decode(raw));
        } else {
            self.words(raw);
        }
    }

    fn words(&mut self, text: &str) {
        let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
        if self.pre > 0 {
            for line in text.split_inclusive('\n') {
                let (content, newline) = match line.strip_suffix('\n') {
                    Some(content) => (content, true),
                    None => (line, false),
                };
                if !content.is_empty() {
                    self.settle();
                    self.out.push_str(content);
                }
                if newline {
                    self.breaks = (self.breaks + 1).min(2);
                    self.space = false;
                }
            }
            return;
        }
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if is_space(bytes[i]) {
                self.space = true;
                i += 1;
                continue;
            }
            // ASCII whitespace never sits inside a UTF-8 sequence, so these are char boundaries.
            let end = bytes[i..]
                .iter()
                .position(|&b| is_space(b))
                .map_or(bytes.len(), |p| i + p);
            self.settle();
            self.out.push_str(&text[i..end]);
            i = end;
        }
    }

    /// Pay the owed breaks or space before a word.
    fn settle(&mut self) {
        if self.breaks > 0 {
            if !self.out.is_empty() {
                for _ in 0..self.breaks {
                    self.out.push('\n');
                }
            }
            self.breaks = 0;
        } else if self.space && !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push(' ');
        }
        self.space = false;
    }
}

#[cfg(test)]
mod tests {
    use super::plain_text;

    #[test]
    fn tags_stripped_and_space_folded() {
        assert_eq!(plain_text("<p>Hello <a href=\"/two\">x</a></p>"), "Hello x");
        assert_eq!(plain_text("a<span>b</span> \n\t c"), "ab c");
        assert_eq!(plain_text("<b>bold</b><i>it</i>"), "boldit");
        assert_eq!(plain_text("ciao"), "ciao");
        assert_eq!(plain_text(""), "");
    }

    #[test]
    fn references_decoded() {
        assert_eq!(
            plain_text("l&#8217;80% &egrave; d&rsquo;accordo &amp; 5&nbsp;&euro; &#x1F600;"),
            "l’80% è d’accordo & 5\u{a0}€ 😀"
        );
        assert_eq!(plain_text("a &lt;b&gt; &bogus; & c"), "a <b> &bogus; & c");
    }

    #[test]
    fn blocks_become_lines() {
        let html = "<div><h2>Titolo</h2><p>Uno <br>due</p><ul><li>a</li><li>b</li></ul>fine</div>";
        assert_eq!(plain_text(html), "Titolo\n\nUno\ndue\n\na\nb\n\nfine");
        assert_eq!(plain_text("a<br><br><br>b"), "a\n\nb");
        assert_eq!(
            plain_text("<table><tr><td>1</td><td>2</td></tr></table>"),
            "1 2"
        );
    }

    #[test]
    fn script_style_comments_skipped() {
        let html = "x<script>if (a < b) { document.write('<p>no</p>') }</script>y\
                    <style>p { color: red }</style><!-- <p>hidden</p> -->z<?php ?>";
        assert_eq!(plain_text(html), "xyz");
        assert_eq!(plain_text("a<SCRIPT type=x>b</SCRIPT >c"), "ac");
        assert_eq!(plain_text("a<script>never closed"), "a");
        assert_eq!(plain_text("a<!-- never closed"), "a");
    }

    #[test]
    fn odd_markup() {
        assert_eq!(plain_text("1 < 2 and 3 > 2"), "1 < 2 and 3 > 2");
        assert_eq!(plain_text("<a title=\"x > y\" href='/'>link</a>"), "link");
        assert_eq!(plain_text("cut <a href=\"/"), "cut");
        assert_eq!(plain_text("<pre>a  b\n  c</pre>d"), "a  b\n  c\n\nd");
        assert_eq!(plain_text("é<img src=x alt=y>ñ 🇮🇹"), "é y ñ 🇮🇹");
        assert_eq!(plain_text("<img alt='l&#8217;a b' src=\"x\"/>c"), "l’a b c");
        assert_eq!(plain_text("<img src=x>c<img alt>"), "c");
        assert_eq!(plain_text("a\u{1b}[31mb"), "a[31mb");
    }
}
