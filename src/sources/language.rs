//! Every article's language: what the item declares, else what its title and text are
//! written in, else what the feed declares. Detection comes before the feed's declaration
//! because many feeds declare one language and publish several. Pure.
//!
//! Detection is `whichlang` (MIT): on the short Italian, English, French and Spanish titles
//! and posts of `tests/fixtures/lang/short_texts.tsv` it was right on 100/100 titles and
//! 20/20 posts, in ~2 µs a text, for ~270 KB of binary; whatlang was right on 98 and 19
//! (~29 µs, ~280 KB), lingua restricted to the four languages on all of them but in
//! ~460 µs and for ~19 MB. See `tests/language.rs` for the measurement.

/// Too few letters say nothing about a language: the feed's declaration is better then.
const MIN_LETTERS: usize = 10;
/// Enough of the body to tell, and a bound on the work for a long article: over the
/// corpus's 4,368 articles, 250 characters decide as 600 did on all but one, in two thirds
/// of the time (detection's cost grows with the sample).
const TEXT_SAMPLE: usize = 250;

/// The language `text` is written in, as an ISO 639-1 code; None when it is too short.
pub fn detect(text: &str) -> Option<&'static str> {
    // Counting stops at enough: the sample can be a few hundred characters.
    let letters = text.chars().filter(|c| c.is_alphabetic()).take(MIN_LETTERS);
    if letters.count() < MIN_LETTERS {
        return None;
    }
    use whichlang::Lang;
    Some(match whichlang::detect_language(text) {
        Lang::Ara => "ar",
        Lang::Cmn => "zh",
        Lang::Deu => "de",
        Lang::Eng => "en",
        Lang::Fra => "fr",
        Lang::Hin => "hi",
        Lang::Ita => "it",
        Lang::Jpn => "ja",
        Lang::Kor => "ko",
        Lang::Nld => "nl",
        Lang::Por => "pt",
        Lang::Rus => "ru",
        Lang::Spa => "es",
        Lang::Swe => "sv",
        Lang::Tur => "tr",
        Lang::Vie => "vi",
    })
}

/// The language of an article titled `title` with body `text`: `declared` by the item
/// itself, else detected, else `feed_declared`. Codes come back as ISO 639-1.
pub fn decide(
    declared: Option<&str>,
    feed_declared: Option<&str>,
    title: &str,
    text: &str,
) -> Option<String> {
    if let Some(code) = declared.and_then(iso_639_1) {
        return Some(code);
    }
    let cut = text
        .char_indices()
        .nth(TEXT_SAMPLE)
        .map_or(text.len(), |(i, _)| i);
    let sample = format!("{title}\n{}", &text[..cut]);
    detect(&sample)
        .map(str::to_string)
        .or_else(|| feed_declared.and_then(iso_639_1))
}

/// `en-GB`, `EN`, `it_IT` → `en`, `en`, `it`; anything that is not a language code → None.
pub fn iso_639_1(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    (primary.len() == 2 && primary.chars().all(|c| c.is_ascii_lowercase())).then_some(primary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_then_detected_then_the_feed() {
        let italian = "Le cooperative sociali chiedono più fondi alla regione";
        assert_eq!(
            decide(Some("fr-CA"), Some("en"), italian, ""),
            Some("fr".into())
        );
        assert_eq!(decide(None, Some("en"), italian, ""), Some("it".into()));
        assert_eq!(decide(None, Some("en-US"), "OK", ""), Some("en".into()));
        assert_eq!(decide(None, None, "OK", ""), None);
        assert_eq!(decide(Some("not a code"), None, "OK", ""), None);
    }

    #[test]
    fn codes_are_iso_639_1() {
        assert_eq!(iso_639_1("it_IT").as_deref(), Some("it"));
        assert_eq!(iso_639_1("EN").as_deref(), Some("en"));
        assert_eq!(iso_639_1("eng"), None);
        assert_eq!(iso_639_1(""), None);
    }
}
