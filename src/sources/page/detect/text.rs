//! An element's text as detection reads it: cleaned as it is gathered, or only counted,
//! or only its first characters (text collection was most of the time detection took).

use scraper::ElementRef;

use crate::text::{clean_inline_chars, is_unsafe};

/// The element's text as [`crate::text::clean_inline`] gives it, in one pass and one string.
pub fn text_of(el: ElementRef<'_>) -> String {
    clean_inline_chars(el.text().flat_map(str::chars), 0)
}

/// The first `chars` characters of [`text_of`], and whether that is all of it.
pub(super) fn text_head(el: ElementRef<'_>, chars: usize) -> (String, bool) {
    let (mut out, mut count, mut pending_space) = (String::new(), 0, false);
    for c in el.text().flat_map(str::chars) {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
        } else if !is_unsafe(c) {
            if count + 1 + usize::from(pending_space) > chars {
                return (out, false);
            }
            if pending_space {
                out.push(' ');
                count += 1;
                pending_space = false;
            }
            out.push(c);
            count += 1;
        }
    }
    (out, true)
}

/// Whether [`text_of`] would hold at least `chars` characters, without building it.
pub(super) fn text_reaches(el: ElementRef<'_>, chars: usize) -> bool {
    let (mut count, mut pending_space) = (0, false);
    for c in el.text().flat_map(str::chars) {
        if c.is_whitespace() {
            pending_space = count > 0;
        } else if !is_unsafe(c) {
            count += 1 + usize::from(pending_space);
            pending_space = false;
            if count >= chars {
                return true;
            }
        }
    }
    false
}
