//! Any bytes as an article body, rendered for the terminal at any width: never a panic, and
//! no control character in any line.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&width, bytes)) = data.split_first() else {
        return;
    };
    let html = String::from_utf8_lossy(bytes);
    let article = coopnews::model::StoredArticle {
        id: 1,
        feed_id: 1,
        feed: "feed".into(),
        title: "title".into(),
        link: None,
        author: None,
        published: Default::default(),
        read: false,
        starred: false,
        text: String::new(),
        links: vec![],
        html: Some(html.into_owned()),
        language: None,
    };
    for line in
        coopnews::render::article_text(&article, usize::from(width), coopnews::i18n::Lang::En)
    {
        assert!(!line.chars().any(coopnews::text::is_unsafe), "{line:?}");
    }
});
