//! HTML bodies to plain text for `Article.text` (search, `list`, `show` without HTML): tags
//! dropped, references decoded, script and style skipped, block elements on their own lines,
//! whitespace folded as a browser folds it, `<pre>` kept as written.
//!
//! One pass over the bytes with no tree: html2text built a DOM and laid out every body, which
//! was half of a refresh's CPU time. The reader still renders the HTML with html2text.

mod tags;

use std::sync::LazyLock;

use memchr::memmem::Finder;

use super::entities;
use crate::text::clean_block_owned;
use tags::Tag;

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
        let Some(lt) = memchr::memchr(b'<', &bytes[i..]).map(|p| i + p) else {
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
                out.close(Tag::of(tag_name(&bytes[lt + 2..end])));
                i = end + 1;
            }
            Some(b'/') if rest.get(1) == Some(&b'>') => i = lt + 3,
            Some(c) if c.is_ascii_alphabetic() => {
                let Some(end) = tag_end(bytes, lt + 1) else {
                    break;
                };
                let tag = Tag::of(tag_name(&bytes[lt + 1..end]));
                i = end + 1;
                match tag {
                    Tag::Skipped(name) => i = skip_element(bytes, i, name.as_bytes()),
                    // An image reads as its description, as html2text and screen readers do.
                    Tag::Img => {
                        if let Some(alt) = attribute(&html[lt + 1..end], "alt") {
                            out.space = true;
                            out.text(alt);
                            out.space = true;
                        }
                    }
                    tag => out.open(tag),
                }
            }
            _ => {
                out.text("<");
                i = lt + 1;
            }
        }
    }
    let mut text = clean_block_owned(out.out);
    // Kept until the article is stored, beside thousands of others in a big feed, where
    // the grown buffer's spare half came to a third of the refresh's heap.
    text.shrink_to_fit();
    text
}

/// The first `needle` at or after `from`.
fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(bytes.get(from..)?, needle).map(|p| from + p)
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

/// Where the next whitespace that folding changes starts in a text: a tab, newline,
/// carriage return or form feed, or the first of two spaces. Each kind is looked for again
/// only once passed, so a text is read a few times in all (memchr), not once per word.
struct Folds<'a> {
    bytes: &'a [u8],
    /// The next control whitespace, and the next two spaces, at or after where last asked.
    found: [usize; 2],
}

impl<'a> Folds<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        let mut folds = Folds {
            bytes,
            found: [0; 2],
        };
        folds.found = [folds.control(0), folds.spaces(0)];
        folds
    }

    fn control(&self, from: usize) -> usize {
        let rest = &self.bytes[from..];
        let nearest = memchr::memchr3(b'\t', b'\n', b'\r', rest);
        let form_feed = memchr::memchr(b'\x0c', &rest[..nearest.unwrap_or(rest.len())]);
        from + form_feed.or(nearest).unwrap_or(rest.len())
    }

    fn spaces(&self, from: usize) -> usize {
        // Built once: building a searcher for every text showed in the profile (~1 %).
        static TWO_SPACES: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"  "));
        from + TWO_SPACES
            .find(&self.bytes[from..])
            .unwrap_or(self.bytes.len() - from)
    }

    fn next(&mut self, from: usize) -> usize {
        if self.found[0] < from {
            self.found[0] = self.control(from);
        }
        if self.found[1] < from {
            self.found[1] = self.spaces(from);
        }
        self.found[0].min(self.found[1])
    }
}

impl Writer {
    fn open(&mut self, tag: Tag) {
        match tag {
            Tag::Br => self.breaks = (self.breaks + 1).min(2),
            Tag::Pre => {
                self.block(2);
                self.pre += 1;
            }
            Tag::Paragraph => self.block(2),
            Tag::Line => self.block(1),
            Tag::Cell => self.space = true,
            Tag::Skipped(_) | Tag::Img | Tag::Inline => {}
        }
    }

    fn close(&mut self, tag: Tag) {
        match tag {
            Tag::Pre => {
                self.pre = self.pre.saturating_sub(1);
                self.block(2);
            }
            Tag::Paragraph => self.block(2),
            Tag::Line => self.block(1),
            Tag::Cell => self.space = true,
            Tag::Skipped(_) | Tag::Img | Tag::Br | Tag::Inline => {}
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
        let mut folds = Folds::new(bytes);
        let mut i = 0;
        while i < bytes.len() {
            if is_space(bytes[i]) {
                self.space = true;
                i += 1;
                continue;
            }
            // From a word to the next whitespace that folding changes, the text is written
            // as it stands: folding would write the same. A space just before that
            // whitespace, or at the end, is folded with it. ASCII whitespace never sits
            // inside a UTF-8 sequence, so these are char boundaries.
            let mut end = folds.next(i);
            if bytes[i..end].ends_with(b" ") {
                end -= 1;
            }
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
mod tests;
