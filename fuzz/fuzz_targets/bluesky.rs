//! Any bytes as a getAuthorFeed page or a single post: never a panic, whatever the facets
//! claim about byte offsets.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok((articles, _cursor)) = coopnews::sources::bluesky::page_to_articles(data) {
        for article in &articles {
            assert!(!article.title.chars().any(coopnews::text::is_unsafe), "{:?}", article.title);
        }
    }
    let _ = coopnews::sources::bluesky::feed_item_to_post(data);
    let _ = coopnews::sources::bluesky::render_record(data);
});
