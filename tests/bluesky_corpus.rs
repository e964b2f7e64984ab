//! Bluesky: the real AppView answers in the shared corpus turned into articles.

mod common;

use std::collections::HashSet;
use std::path::PathBuf;

use coopnews::model::Engagement;
use coopnews::sources::FetchError;
use coopnews::sources::bluesky::{self, FeedPost};
use serde_json::json;

/// A corpus file; tests that call this start with `skip_without_corpus!()`.
fn corpus(name: &str) -> Vec<u8> {
    let root = common::corpus_root().expect("skip_without_corpus!() first");
    let path: PathBuf = root.join("bluesky").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

// ---------------------------------------------------------------------------------------
// The corpus

#[test]
fn author_feed_gives_25_articles_with_reposts_and_replies() {
    skip_without_corpus!();
    let page = bluesky::parse_author_feed(&corpus("atprotodart_getAuthorFeed.json")).unwrap();
    assert_eq!(page.posts.len(), 25);
    assert_eq!(page.skipped, 0);
    // Opaque and old-style: handed back untouched.
    assert_eq!(
        page.cursor.as_deref(),
        Some("1682809172466::bafyreihdpdn7uiqmshzb2y4o67gzy2aeairq6phuk476k2oidhy2p5dbwu")
    );
    let guids: HashSet<&str> = page.posts.iter().map(|p| p.article.guid.as_str()).collect();
    assert_eq!(guids.len(), 25);

    let reposts: Vec<&FeedPost> = page
        .posts
        .iter()
        .filter(|p| p.repost_by.is_some())
        .collect();
    assert_eq!(reposts.len(), 2);
    let first = &page.posts[0];
    // Its counts as the AppView gave them (no quoteCount in this older answer).
    assert_eq!(
        first.article.engagement,
        Some(Engagement {
            likes: 100,
            reposts: 8,
            replies: 6,
            quotes: 0
        })
    );
    assert_eq!(
        first.repost_by.as_deref(),
        Some("Shinya Kato 🤯 (@shinyakato.dev)")
    );
    assert_eq!(
        first.article.author.as_deref(),
        Some("C. P. Moore (@christopherpmoore.xyz)")
    );
    assert!(
        first
            .article
            .text
            .starts_with("🔁 reposted by Shinya Kato 🤯 (@shinyakato.dev)")
    );
    assert_eq!(
        first.article.link.as_deref(),
        Some("https://bsky.app/profile/christopherpmoore.xyz/post/3jukz62npim26")
    );
    // A repost is dated by the original post.
    assert_eq!(
        first.article.published.unwrap().to_rfc3339(),
        "2023-04-30T06:26:07.001+00:00"
    );
    assert_eq!(
        first.article.links,
        vec![
            "https://bsky.app/profile/did:plc:qjeavhlw222ppsre4rscd3n2",
            "https://bsky.app/profile/did:plc:oky5czdrnfjpqslsw2a5iclo",
            "https://cdn.bsky.social/imgproxy/5DeoD2mnyO4pL_ljZrc25iKbg1jJsmg8k8Af8cVEers/rs:fit:2000:2000:1:0/plain/bafkreiactiikzqoiisabzjvapodlm4ldcrgvh2pc7bqyasdgsz67vi2l7a@jpeg",
        ]
    );

    let replies = page.posts.iter().filter(|p| p.reply_to.is_some()).count();
    assert_eq!(replies, 20);
    assert!(page.posts.iter().all(|p| !p.pinned));

    // Japanese text: the mention's byte offsets (41..51) are not character offsets.
    let japanese = &page.posts[7];
    assert_eq!(
        japanese.reply_to.as_deref(),
        Some("@nighthaven.bsky.social")
    );
    assert!(
        japanese
            .article
            .text
            .starts_with("↳ reply to @nighthaven.bsky.social: ありがとうございます．フォローします！！！\n\nあとはおそらくMeetup 主催者の @amir.blue ですね！"),
        "{}",
        japanese.article.text
    );
    assert!(japanese.article.html.as_deref().unwrap().contains(
        "<a href=\"https://bsky.app/profile/did:plc:ua6usdc4hzvzjsokoenba4zt\">@amir.blue</a>"
    ));
    assert_eq!(
        japanese.article.links,
        vec![
            "https://bsky.app/profile/nighthaven.bsky.social/post/3jukevffjsg2r",
            "https://bsky.app/profile/did:plc:ua6usdc4hzvzjsokoenba4zt",
        ]
    );

    // Link facets and an external card in one post; the link is listed once.
    let card = &page.posts[11];
    assert_eq!(
        card.article.links,
        vec!["https://psky.app/profile/why.bsky.team/post/3juk5phzpf62w"]
    );
    assert!(
        card.article
            .text
            .contains("[link: Whyrusleeping (@why.bsky.team)]")
    );
    assert!(card.article.text.contains("Thats a bug. Will fix soon"));

    // Emoji and kaomoji survive, in titles too.
    assert_eq!(page.posts[3].article.title, "Thx 😁🤝");
    assert_eq!(page.posts[12].article.title, "₍₍ ◝('ω'◝) ⁾⁾ ₍₍ (◟'ω')◟ ⁾⁾");
    for post in &page.posts {
        let a = &post.article;
        assert!(!a.title.is_empty() && coopnews::text::width(&a.title) <= bluesky::TITLE_WIDTH);
        assert!(a.guid.starts_with("at://"));
        assert!(a.published.is_some());
        assert!(
            a.link
                .as_deref()
                .unwrap()
                .starts_with("https://bsky.app/profile/")
        );
    }
}

#[test]
fn shortened_link_record_is_expanded() {
    skip_without_corpus!();
    let rendered =
        bluesky::render_record(&corpus("socialapp_postRecord_shortenedLink.json")).unwrap();
    assert!(
        rendered.text.contains(
            "Bridgy Fed is an open-source project — check out the code here: https://github.com/snarfed/bridgy-fed\n"
        ),
        "{}",
        rendered.text
    );
    assert!(!rendered.text.contains("brid..."));
    assert!(!rendered.html.contains("brid..."));
    assert!(rendered.html.contains(
        "<a href=\"https://github.com/snarfed/bridgy-fed\">https://github.com/snarfed/bridgy-fed</a>"
    ));
    assert!(rendered.text.contains("following @snarfed.org!"));
    assert!(rendered.text.starts_with(
        "↳ reply to https://bsky.app/profile/did:plc:ewvi7nxzyoun6zhxrhs64oiz/post/3kfqklhpalh2c"
    ));
    assert!(
        rendered
            .text
            .contains("[link: GitHub - snarfed/bridgy-fed: 🕸 Bridges")
    );
    assert_eq!(
        rendered.links,
        vec![
            "https://bsky.app/profile/did:plc:ewvi7nxzyoun6zhxrhs64oiz/post/3kfqklhpalh2c",
            "https://github.com/snarfed/bridgy-fed",
            "https://bsky.app/profile/did:plc:fdme4gb7mu7zrie7peay7tst",
        ]
    );
}

#[test]
fn images_keep_alt_text_and_full_size_links() {
    skip_without_corpus!();
    let post = bluesky::feed_item_to_post(&corpus("socialapp_feedViewPost_images.json")).unwrap();
    let a = &post.article;
    assert_eq!(a.title, "Everyday is cat day.");
    assert_eq!(
        a.author.as_deref(),
        Some("Jason Culverhouse (@jason.mischievous.org)")
    );
    assert_eq!(
        a.guid,
        "at://did:plc:d4yzg3vadl536rkihgygkvv6/app.bsky.feed.post/3jvkep5jn3h2b"
    );
    assert_eq!(a.links.len(), 4);
    assert!(
        a.links
            .iter()
            .all(|l| l.starts_with("https://cdn.bsky.app/img/feed_fullsize/"))
    );
    assert_eq!(
        a.text
            .matches("[image: Cat on a chair] https://cdn.bsky.app/img/feed_fullsize/")
            .count(),
        4
    );
    let html = a.html.as_deref().unwrap();
    assert_eq!(
        html.matches("<li>[image: Cat on a chair] <a href=\"https://cdn.bsky.app/")
            .count(),
        4
    );
}

#[test]
fn video_keeps_alt_text_and_playlist() {
    skip_without_corpus!();
    let post = bluesky::feed_item_to_post(&corpus("socialapp_feedViewPost_video.json")).unwrap();
    let a = &post.article;
    let playlist = "https://video.bsky.app/watch/did%3Aplc%3Ad4yzg3vadl536rkihgygkvv6/bafkreidc6rkgxvn642qrwpejspetfynewssxa3wrwenzal7ttm7gug4xzi/playlist.m3u8";
    assert_eq!(a.links, vec![playlist]);
    assert!(
        a.text
            .contains(&format!("[video: Two cats meet near a fence] {playlist}"))
    );
    assert_eq!(a.language.as_deref(), Some("en"));
    assert!(a.title.starts_with("My cats are so stupid."));
}

#[test]
fn record_with_media_shows_image_and_quoted_post() {
    skip_without_corpus!();
    let post =
        bluesky::thread_to_post(&corpus("marshalx_getPostThread_recordWithMedia.json")).unwrap();
    let a = &post.article;
    // Empty text: the title says what the post holds.
    assert_eq!(a.title, "[image]");
    assert!(
        a.text
            .contains("[image] https://cdn.bsky.app/img/feed_fullsize/"),
        "{}",
        a.text
    );
    assert!(a.text.contains("[quote] Python SDK (@test.marshal.dev):\ntest\nhttps://bsky.app/profile/test.marshal.dev/post/3kahesw26il2z"), "{}", a.text);
    assert_eq!(a.links.len(), 2);
    assert_eq!(
        a.links[1],
        "https://bsky.app/profile/test.marshal.dev/post/3kahesw26il2z"
    );
    assert!(a.html.as_deref().unwrap().contains("<blockquote>"));
}

#[test]
fn unknown_embeds_and_missing_fields_do_not_fail() {
    let item = json!({
        "post": {
            "uri": "at://did:plc:x/app.bsky.feed.post/1",
            "author": {"did": "did:plc:x", "handle": "x.example"},
            "record": {"text": "", "createdAt": "2025-01-01T00:00:00Z",
                       "facets": [{"index": {"byteStart": -1, "byteEnd": 3}, "features": []}, "junk"]},
            "embed": {"$type": "app.bsky.embed.hologram#view", "thing": 1}
        },
        "reason": {"$type": "app.bsky.feed.defs#reasonPin"}
    });
    let post = bluesky::feed_item_to_post(item.to_string().as_bytes()).unwrap();
    assert!(post.pinned);
    assert_eq!(
        post.article.title,
        "[unsupported embed: app.bsky.embed.hologram#view]"
    );
    assert!(
        post.article
            .text
            .starts_with("📌 pinned\n\n[unsupported embed")
    );
    // Pinned posts keep their own date.
    assert_eq!(
        post.article.published.unwrap().to_rfc3339(),
        "2025-01-01T00:00:00+00:00"
    );
    assert_eq!(post.article.author.as_deref(), Some("@x.example"));
}

#[test]
fn not_json_is_a_clear_error() {
    for (body, words) in [
        (&b"<!doctype html><h1>Oops</h1>"[..], "HTML page"),
        (b"  ", "empty"),
        (b"{\"feed\": 3", "cannot read"),
    ] {
        let err = bluesky::parse_author_feed(body).unwrap_err();
        assert!(matches!(err, FetchError::Bluesky(_)), "{err:?}");
        assert!(err.to_string().contains(words), "{err}");
    }
}

#[test]
fn a_post_seen_twice_is_one_article() {
    let post = json!({
        "uri": "at://did:plc:x/app.bsky.feed.post/1",
        "author": {"did": "did:plc:x", "handle": "x.example"},
        "record": {"text": "Worker buyouts save jobs", "createdAt": "2025-02-01T00:00:00Z"}
    });
    let by = json!({"did": "did:plc:x", "handle": "x.example"});
    let page = json!({"feed": [
        {"post": post, "reason": {"$type": "app.bsky.feed.defs#reasonPin"}},
        {"post": post, "reason": {"$type": "app.bsky.feed.defs#reasonRepost", "by": by}},
        {"post": post},
    ]});
    let page = bluesky::parse_author_feed(page.to_string().as_bytes()).unwrap();
    assert_eq!(page.posts.len(), 1);
    let only = &page.posts[0];
    // Pinned wherever it appears; shown as itself rather than as its author's repost.
    assert!(only.pinned);
    assert_eq!(only.repost_by, None);
    assert_eq!(only.article.text, "📌 pinned\n\nWorker buyouts save jobs");
}

#[test]
fn cut_or_mixed_up_corpus_files_never_panic() {
    skip_without_corpus!();
    let names = [
        "atprotodart_getAuthorFeed.json",
        "marshalx_getPostThread_recordWithMedia.json",
        "socialapp_feedViewPost_images.json",
        "socialapp_feedViewPost_video.json",
        "socialapp_postRecord_shortenedLink.json",
    ];
    for name in names {
        let bytes = corpus(name);
        for end in (0..bytes.len())
            .step_by(bytes.len() / 40 + 1)
            .chain([bytes.len()])
        {
            let part = &bytes[..end];
            let _ = bluesky::parse_author_feed(part);
            let _ = bluesky::feed_item_to_post(part);
            let _ = bluesky::thread_to_post(part);
            let _ = bluesky::render_record(part);
        }
    }
}
