//! A search's words tested against one article's title and text in Rust, folded the way
//! the search index's tokenizer (FTS5 `unicode61`, `remove_diacritics 2`) folds them:
//! words are runs of letters and digits, lower-cased, their accents dropped. Testing an
//! article costs a few microseconds, so a search for common words finds its page by
//! walking the list newest first, where asking the index would merge tens of thousands
//! of postings first. `textmatch_tests` checks the folding against FTS5's own.

use icu_normalizer::properties::{CanonicalDecompositionBorrowed, Decomposed};
use icu_properties::CodePointMapData;
use icu_properties::props::{GeneralCategory, GeneralCategoryGroup};
use memchr::memmem::Finder;

/// The words of a query, folded, as needles in a folded text: a word's text is
/// `" word"` (a prefix of a word of the article), a phrase's `" a b c "` and an excluded
/// word's `" word "` (whole words).
#[derive(Debug, Default)]
pub(super) struct Matcher {
    /// Each must be found in the title or the text.
    anywhere: Vec<Finder<'static>>,
    /// Each must be found in the title.
    title: Vec<Finder<'static>>,
    /// None may be found in either.
    without: Vec<Finder<'static>>,
    /// Folded title and text, reused from article to article.
    folded_title: Vec<u8>,
    folded_text: Vec<u8>,
}

/// One of the positive needles: counting each one's hits among the articles tested tells
/// which is the rarest, the one worth asking the index about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Needle {
    Anywhere(usize),
    Title(usize),
}

impl Matcher {
    /// A prefix word, in the title or the text.
    pub fn word(&mut self, word: &str) {
        self.anywhere
            .push(finder(&format!(" {}", fold_str(word).trim())));
    }

    /// Whole words in this order, in the title or the text.
    pub fn phrase(&mut self, words: &[String]) {
        self.anywhere
            .push(finder(&format!(" {} ", fold_str(&words.join(" ")).trim())));
    }

    /// A prefix word in the title.
    pub fn title_word(&mut self, word: &str) {
        self.title
            .push(finder(&format!(" {}", fold_str(word).trim())));
    }

    /// A whole word the article must not have.
    pub fn without(&mut self, word: &str) {
        self.without
            .push(finder(&format!(" {} ", fold_str(word).trim())));
    }

    /// Whether a word or phrase may be in the text, not only in the title.
    pub fn has_text_words(&self) -> bool {
        !self.anywhere.is_empty()
    }

    /// The positive needles, for counting each one's hits.
    pub fn needles(&self) -> impl Iterator<Item = Needle> + use<> {
        let anywhere = (0..self.anywhere.len()).map(Needle::Anywhere);
        anywhere.chain((0..self.title.len()).map(Needle::Title))
    }

    /// Fold an article's title and text for the tests that follow.
    pub fn load(&mut self, title: &str, text: &str) {
        fold_into(title, &mut self.folded_title);
        fold_into(text, &mut self.folded_text);
    }

    /// Whether the loaded article has this needle.
    pub fn has(&self, needle: Needle) -> bool {
        match needle {
            Needle::Anywhere(i) => self.in_title_or_text(&self.anywhere[i]),
            Needle::Title(i) => self.title[i].find(&self.folded_title).is_some(),
        }
    }

    /// Whether the loaded article has every positive needle and none of the excluded.
    pub fn matches(&self) -> bool {
        self.needles().all(|n| self.has(n)) && !self.excluded()
    }

    /// Whether the loaded article has one of the excluded words.
    pub fn excluded(&self) -> bool {
        self.without.iter().any(|f| self.in_title_or_text(f))
    }

    fn in_title_or_text(&self, f: &Finder<'_>) -> bool {
        f.find(&self.folded_title).is_some() || f.find(&self.folded_text).is_some()
    }
}

fn finder(needle: &str) -> Finder<'static> {
    Finder::new(needle.as_bytes()).into_owned()
}

/// `text` folded: its words lower-cased, without accents, each followed by one space,
/// the whole preceded by one space.
pub(super) fn fold_str(text: &str) -> String {
    let mut out = Vec::new();
    fold_into(text, &mut out);
    // Only whole characters are pushed, so this never replaces anything.
    String::from_utf8_lossy(&out).into_owned()
}

/// Each ASCII byte folded: a letter or digit lower-cased, anything else 0 (a separator).
const ASCII: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let byte = b as u8;
        if byte.is_ascii_alphanumeric() {
            table[b] = byte.to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

/// [`fold_str`] into a reused buffer. ASCII, most of the text in the languages searched,
/// is folded a byte at a time from a table: a search for a phrase tests every article it
/// walks past, and folding them char by char was a third of such a search.
fn fold_into(text: &str, out: &mut Vec<u8>) {
    out.clear();
    out.reserve(text.len() + 2);
    out.push(b' ');
    let bytes = text.as_bytes();
    let mut in_word = false;
    let mut at = 0;
    while at < bytes.len() {
        let (read, word) = fold_ascii(&bytes[at..], out, in_word);
        at += read;
        in_word = word;
        if at == bytes.len() {
            break;
        }
        // `at` is at a character's start: ASCII bytes and whole characters were passed.
        let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        at += c.len_utf8();
        if let Some(folded) = latin_fold(c) {
            // Accented Latin, the common case after ASCII, from a table.
            if folded == '\0' {
                if in_word {
                    out.push(b' ');
                    in_word = false;
                }
            } else {
                push_char(out, folded);
                in_word = true;
            }
        } else if is_diacritic(c) {
            // A decomposed accent: dropped, and the word goes on.
        } else if is_word_char(c) {
            for lower in c.to_lowercase().filter(|l| !is_combining_mark(*l)) {
                push_char(out, without_accent(lower));
            }
            in_word = true;
        } else if in_word {
            out.push(b' ');
            in_word = false;
        }
    }
    if in_word {
        out.push(b' ');
    }
}

/// The ASCII that starts `bytes` folded onto `out`, up to the first other byte; returns
/// how many bytes it read and whether it ended in a word. Without branches on what each
/// byte is, which text makes unpredictable: a separator is written, and kept only after a
/// word.
fn fold_ascii(bytes: &[u8], out: &mut Vec<u8>, mut in_word: bool) -> (usize, bool) {
    let run = bytes
        .iter()
        .position(|b| !b.is_ascii())
        .unwrap_or(bytes.len());
    let start = out.len();
    out.resize(start + run, 0);
    let mut kept = start;
    for &byte in &bytes[..run] {
        let folded = ASCII[usize::from(byte)];
        let word = folded != 0;
        out[kept] = if word { folded } else { b' ' };
        kept += usize::from(word | in_word);
        in_word = word;
    }
    out.truncate(kept);
    (run, in_word)
}

fn push_char(out: &mut Vec<u8>, c: char) {
    out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
}

/// The Latin-1 Supplement and Latin Extended-A and -B (U+00A0–U+024F) folded once, by
/// the general rule below, into a table: the folded letter, or NUL for a separator. None
/// outside the range, or for a letter whose lower case is two letters (the general path).
fn latin_fold(c: char) -> Option<char> {
    const FIRST: u32 = 0xa0;
    const LAST: u32 = 0x24f;
    static TABLE: std::sync::OnceLock<Vec<Option<char>>> = std::sync::OnceLock::new();
    let n = c as u32;
    if !(FIRST..=LAST).contains(&n) {
        return None;
    }
    let table = TABLE.get_or_init(|| {
        (FIRST..=LAST)
            .map(|n| {
                let c = char::from_u32(n)?;
                if !is_word_char(c) {
                    return Some('\0');
                }
                let mut lower = c.to_lowercase().filter(|l| !is_combining_mark(*l));
                match (lower.next(), lower.next()) {
                    (Some(one), None) => Some(without_accent(one)),
                    _ => None,
                }
            })
            .collect()
    });
    table[(n - FIRST) as usize]
}

/// FTS5's word characters: letters, digits and other numbers, private use.
fn is_word_char(c: char) -> bool {
    const CATEGORY: icu_properties::CodePointMapDataBorrowed<'static, GeneralCategory> =
        CodePointMapData::<GeneralCategory>::new();
    let category = CATEGORY.get(c);
    GeneralCategoryGroup::Letter.contains(category)
        || GeneralCategoryGroup::Number.contains(category)
        || category == GeneralCategory::PrivateUse
}

/// The accents FTS5 drops from decomposed text: some of U+0300–U+0331 (its masks).
fn is_diacritic(c: char) -> bool {
    const LOW: u32 = 0x0802_9fdf;
    const HIGH: u32 = 0x0003_61f8;
    match c as u32 {
        n @ 0x300..0x320 => LOW & (1 << (n - 0x300)) != 0,
        n @ 0x320..=0x331 => HIGH & (1 << (n - 0x320)) != 0,
        _ => false,
    }
}

/// The combining diacritical marks (U+0300–U+036F), the accents of decomposed text.
fn is_combining_mark(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// `c` without its accents: the start of its canonical decomposition, for as long as
/// what is split off is an accent (so `ệ` is `e`, and a Hangul syllable stays whole).
/// Like FTS5, only Latin letters lose theirs: `ά` and `ё` stay as they are.
fn without_accent(c: char) -> char {
    const DECOMPOSE: CanonicalDecompositionBorrowed<'static> =
        CanonicalDecompositionBorrowed::new();
    if c == 'ſ' {
        // The long s, which FTS5 folds as `s` though it has no decomposition.
        return 's';
    }
    let mut base = c;
    loop {
        match DECOMPOSE.decompose(base) {
            Decomposed::Expansion(start, mark) if is_combining_mark(mark) => base = start,
            _ if base.is_ascii() => return base,
            _ => return c,
        }
    }
}

#[cfg(test)]
#[path = "textmatch_tests.rs"]
mod tests;
