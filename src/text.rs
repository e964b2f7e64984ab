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
    if is_clean_inline(s) {
        return s.to_string();
    }
    clean_inline_chars(s.chars(), s.len())
}

/// Whether [`clean_inline`] would give `s` back unchanged, from its bytes alone: most
/// titles and every address are clean, and a character at a time cost more than the copy.
/// Printable ASCII passes, and any character whose first byte is not 0xc2, 0xe1, 0xe2 or
/// 0xe3, which begin every whitespace and unsafe character past ASCII (a test holds this);
/// a space must stand alone between two other characters.
fn is_clean_inline(s: &str) -> bool {
    let bytes = s.as_bytes();
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return false;
    }
    let mut after_space = false;
    for &b in bytes {
        match b {
            b' ' if after_space => return false,
            b' ' => after_space = true,
            0x21..=0x7e | 0x80..=0xc1 | 0xc3..=0xe0 | 0xe4..=0xff => after_space = false,
            _ => return false,
        }
    }
    true
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

/// [`clean_block`] of text that is usually clean already (a body made into text): kept as
/// it is when it is, without a second copy.
pub fn clean_block_owned(s: String) -> String {
    if is_clean_block(&s) {
        s
    } else {
        clean_block(&s)
    }
}

/// Whether [`clean_block`] would give `s` back unchanged: no controls, tabs or bidi
/// overrides, no line ending in whitespace, no blank line at either end or after another.
/// Eight bytes at a time: most are printable ASCII, and only the rest are looked at closely.
fn is_clean_block(s: &str) -> bool {
    if s.starts_with('\n') || s.chars().next_back().is_some_and(char::is_whitespace) {
        return false;
    }
    let mut at = 0;
    for chunk in s.as_bytes().chunks(8) {
        let plain =
            <[u8; 8]>::try_from(chunk).is_ok_and(|word| !may_be_unclean(u64::from_le_bytes(word)));
        if !plain && !(at..at + chunk.len()).all(|i| clean_at(s, i)) {
            return false;
        }
        at += chunk.len();
    }
    true
}

/// Whether any of eight bytes may start something [`is_unsafe`] rejects: a control (below
/// 0x20, or DEL) or 0xc2 or 0xe2, the first byte of every unsafe character past ASCII (C1
/// controls, bidi overrides and isolates; a test holds this to `is_unsafe`). Exact for the
/// existence of such a byte; other letters, accented ones included, pass.
fn may_be_unclean(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |w: u64| w.wrapping_sub(ONES) & !w;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word;
    let found = below_space
        | has_zero(word ^ (ONES * 0x7f))
        | has_zero(word ^ (ONES * 0xc2))
        | has_zero(word ^ (ONES * 0xe2));
    found & HIGH != 0
}

/// The byte at `i` as [`is_clean_block`] sees it: the character it starts is not
/// [`is_unsafe`], and a line break does not end a line in whitespace or a second blank line.
fn clean_at(s: &str, i: usize) -> bool {
    let b = s.as_bytes();
    if b[i] == b'\n' {
        return b.get(i + 1..i + 3) != Some(b"\n\n")
            && s[..i]
                .chars()
                .next_back()
                .is_none_or(|c| c == '\n' || !c.is_whitespace());
    }
    // Inside a character (no boundary at `i`), its first byte has decided already.
    s.get(i..)
        .and_then(|rest| rest.chars().next())
        .is_none_or(|c| !is_unsafe(c))
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

/// Random test input shared by the modules that hold a fast path to its slow one.
#[cfg(test)]
pub(crate) mod random {
    /// Endless strings, each of fewer than `most` of `pieces` drawn at random from `seed`.
    pub(crate) fn joined_at_random<'a>(
        pieces: &'a [&str],
        most: usize,
        mut seed: u64,
    ) -> impl Iterator<Item = String> + 'a {
        let mut next = move || {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize
        };
        std::iter::repeat_with(move || {
            let len = next() % most;
            (0..len).map(|_| pieces[next() % pieces.len()]).collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::random::joined_at_random;
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
    fn a_block_kept_as_it_is_is_one_clean_block_would_give_back() {
        // Pieces around every rule, in long enough strings to cross the eight-byte steps.
        let pieces = [
            "\n", "\n\n", " ", "\t", "\r", "\u{1}", "\u{7f}", "\u{80}", "\u{9f}", "\u{a0}",
            "\u{85}", "\u{2028}", "\u{202e}", "\u{2066}", "\u{2069}", "\u{202f}", "’", "é", "a",
            "word",
        ];
        for s in joined_at_random(&pieces, 30, 7).take(200_000) {
            assert_eq!(clean_block_owned(s.clone()), clean_block(&s), "{s:?}");
        }
        let clean = "Società cooperativa – l’assemblea\n\n« Bienvenue » ¿Qué?".to_string();
        assert!(is_clean_block(&clean));
    }

    #[test]
    fn the_eight_byte_check_sees_every_unsafe_character() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            if is_unsafe(c) {
                let mut word = *b"abcdefgh";
                c.encode_utf8(&mut word[2..]);
                assert!(may_be_unclean(u64::from_le_bytes(word)), "{c:?}");
            }
        }
    }

    #[test]
    fn a_line_kept_as_it_is_is_one_cleaning_would_give_back() {
        let pieces = [
            " ",
            "  ",
            "\t",
            "\n",
            "\u{1}",
            "\u{7f}",
            "\u{85}",
            "\u{9f}",
            "\u{a0}",
            "\u{1680}",
            "\u{2003}",
            "\u{2028}",
            "\u{202e}",
            "\u{205f}",
            "\u{2066}",
            "\u{3000}",
            "’",
            "é",
            "«",
            "a",
            "https://x.coop/?a=1&b",
        ];
        for s in joined_at_random(&pieces, 12, 11).take(200_000) {
            let slow = clean_inline_chars(s.chars(), s.len());
            assert_eq!(clean_inline(&s), slow, "{s:?}");
            assert!(!is_clean_inline(&s) || slow == s, "{s:?}");
        }
        assert!(is_clean_inline(
            "Società cooperativa: l'assemblea è già qui, qué?"
        ));
    }

    #[test]
    fn the_byte_check_of_a_line_sees_every_space_and_unsafe_character() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            if (c.is_whitespace() && c != ' ') || is_unsafe(c) {
                assert!(!is_clean_inline(&format!("a{c}b")), "{c:?}");
            }
        }
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
