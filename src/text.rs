//! Text hygiene shared by every layer: control characters out, stable ids, widths and cuts.
//!
//! Everything a feed writes passes through [`clean_inline`] or [`clean_block`] before it is
//! stored, and again before it is drawn, so no escape sequence from a feed reaches a terminal.

use std::borrow::Cow;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Characters that must never reach a terminal: C0 and C1 controls, DEL, and the bidi
/// overrides and isolates that can make text display in an order other than it reads.
pub fn is_unsafe(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// One line of text (a title, an author, a feed name): controls removed, any run of
/// whitespace (newlines and tabs included) folded to one space, ends trimmed.
pub fn clean_inline(s: &str) -> String {
    clean_inline_chars(s.chars(), s.len())
}

/// [`clean_inline`] over characters from anywhere (a parsed element's text nodes), so a
/// caller need not join them first; `capacity` is a hint for the result.
pub fn clean_inline_chars(chars: impl Iterator<Item = char>, capacity: usize) -> String {
    let mut out = String::with_capacity(capacity);
    let mut pending_space = false;
    for c in chars {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
        } else if !is_unsafe(c) {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// A block of text (a body): newlines kept, tabs become spaces, other controls removed,
/// trailing spaces dropped and runs of blank lines folded to one.
pub fn clean_block(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank_run = 0;
    for line in s.split('\n') {
        let line = clean_line(line);
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += 1;
            if blank_run > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank_run = 0;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(line);
    }
    while out.ends_with('\n') {
        out.pop();
    }
    out
}

/// One line with tabs as spaces and controls removed; most lines have neither, and are
/// borrowed rather than rebuilt a character at a time.
fn clean_line(line: &str) -> Cow<'_, str> {
    if !line.chars().any(|c| c == '\t' || is_unsafe(c)) {
        return Cow::Borrowed(line);
    }
    Cow::Owned(
        line.chars()
            .filter_map(|c| match c {
                '\t' => Some(' '),
                c if is_unsafe(c) => None,
                c => Some(c),
            })
            .collect(),
    )
}

/// A short, stable id from parts (FNV-1a, 64 bits): the same input gives the same id in
/// every version, so a refresh never duplicates an entry that has no id of its own.
pub fn stable_id(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0xff]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("h:{hash:016x}")
}

/// Display width in terminal columns.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cut `s` to at most `max` columns at a grapheme boundary, ending in `…` when cut, so an
/// emoji, a flag or an accented letter is never split.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = width(g);
        if used + w > max - 1 {
            break;
        }
        out.push_str(g);
        used += w;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_drops_escapes_and_folds_space() {
        assert_eq!(
            clean_inline("  a\x1b[31m\tb\u{9b}c\n d\u{7}  "),
            "a[31m bc d"
        );
    }

    #[test]
    fn block_keeps_paragraphs() {
        assert_eq!(clean_block("a\t b \n\n\n\nc\x08\n"), "a  b\n\nc");
    }

    #[test]
    fn truncate_respects_graphemes() {
        assert_eq!(truncate("🇪🇺🇮🇹 coop", 5), "🇪🇺🇮🇹…");
        assert_eq!(truncate("Società", 7), "Società");
        assert_eq!(truncate("Società cooperativa", 8), "Società…");
    }

    #[test]
    fn stable_id_is_stable() {
        assert_eq!(stable_id(&["a", "b"]), stable_id(&["a", "b"]));
        assert_ne!(stable_id(&["ab", ""]), stable_id(&["a", "b"]));
    }
}
