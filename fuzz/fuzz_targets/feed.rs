//! Any bytes, with any of the content types servers send, to articles: never a panic, and
//! nothing unsafe for a terminal in what comes out.
#![no_main]

use libfuzzer_sys::fuzz_target;

const CONTENT_TYPES: [Option<&str>; 5] = [
    None,
    Some("application/rss+xml"),
    Some("text/xml; charset=iso-8859-1"),
    Some("application/json"),
    Some("text/html; charset=utf-16"),
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else { return };
    let content_type = CONTENT_TYPES[usize::from(selector) % CONTENT_TYPES.len()];
    let base = url::Url::parse("https://example.coop/feed/").unwrap();
    if let Ok(parsed) = coopnews::sources::feed::parse(bytes, content_type, &base) {
        for article in &parsed.articles {
            assert!(!article.title.chars().any(coopnews::text::is_unsafe), "{:?}", article.title);
            assert!(!article.text.chars().any(|c| c != '\n' && coopnews::text::is_unsafe(c)));
        }
    }
});
