//! Bluesky: the real AppView answers in the corpus, and fetches against a loopback XRPC server.

mod common;

use std::collections::HashSet;
use std::path::PathBuf;

use common::server::{Reply, Request, Server};
use coopnews::model::BlueskySpec;
use coopnews::sources::FetchError;
use coopnews::sources::bluesky::{self, FeedPost};
use coopnews::sources::fetch::{Context, Fetched, Outcome, Prior};
use coopnews::sources::http::{Http, HttpSettings};
use serde_json::{Value, json};
use url::Url;

fn corpus(name: &str) -> Vec<u8> {
    let path: PathBuf = common::corpus_root().join("bluesky").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

// ---------------------------------------------------------------------------------------
// The corpus

#[test]
fn author_feed_gives_25_articles_with_reposts_and_replies() {
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

// ---------------------------------------------------------------------------------------
// A loopback XRPC server

const DID: &str = "did:plc:cecop4coops4eu4test4xyz";
const HANDLE: &str = "cecop.bsky.social";
/// Odd characters on purpose: the cursor must travel percent-encoded and come back intact.
const CURSOR: &str = "2025-05-01T10:00:00.000Z::bafy/+ é&x=1";
const FULL_LINK: &str = "https://cecop.coop/works/cecop-annual-report-2024-worker-cooperatives";
const REPORT_TEXT: &str = "🇪🇺 Our annual report is out! Read it: cecop.coop/works/cecop-... #coops with @coopseurope.coop";

fn param(r: &Request, key: &str) -> Option<String> {
    let query = r.path.split_once('?')?.1;
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

fn json_reply(status: u16, body: Value) -> Reply {
    Reply::new(status, "application/json; charset=utf-8", body.to_string())
}

fn byte_range(text: &str, part: &str) -> Value {
    let start = text.find(part).expect("part of the text");
    json!({"byteStart": start, "byteEnd": start + part.len()})
}

fn post_view(did: &str, handle: &str, rkey: &str, record: Value) -> Value {
    json!({
        "uri": format!("at://{did}/app.bsky.feed.post/{rkey}"),
        "cid": format!("bafy{rkey}"),
        "author": {"did": did, "handle": handle, "displayName": "CECOP 🇪🇺"},
        "record": record,
        "indexedAt": "2025-05-02T09:00:00.000Z"
    })
}

fn page_one() -> Value {
    let report = json!({
        "$type": "app.bsky.feed.post",
        "text": REPORT_TEXT,
        "createdAt": "2025-05-02T08:59:58.000Z",
        "langs": ["en"],
        "facets": [
            {"index": byte_range(REPORT_TEXT, "cecop.coop/works/cecop-..."),
             "features": [{"$type": "app.bsky.richtext.facet#link", "uri": FULL_LINK}]},
            {"index": byte_range(REPORT_TEXT, "#coops"),
             "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "coops"}]},
            {"index": byte_range(REPORT_TEXT, "@coopseurope.coop"),
             "features": [{"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:coopseurope"}]}
        ]
    });
    let pinned =
        json!({"text": "Join the #WorkerCoops campaign", "createdAt": "2024-01-10T12:00:00.000Z"});
    let other = json!({"text": "Cooperatives build resilient economies", "createdAt": "2025-04-30T07:00:00.000Z"});
    let mut reposted = post_view("did:plc:icaeurope", "icaeurope.bsky.social", "r1", other);
    reposted["author"]["displayName"] = json!("ICA Europe");
    json!({
        "feed": [
            {"post": post_view(DID, HANDLE, "pin1", pinned), "reason": {"$type": "app.bsky.feed.defs#reasonPin"}},
            {"post": post_view(DID, HANDLE, "p1", report)},
            {"post": reposted, "reason": {
                "$type": "app.bsky.feed.defs#reasonRepost",
                "by": {"did": DID, "handle": HANDLE, "displayName": "CECOP 🇪🇺"},
                "indexedAt": "2025-05-01T11:00:00.000Z"}}
        ],
        "cursor": CURSOR
    })
}

fn page_two() -> Value {
    let parent = post_view(
        "did:plc:member",
        "member.bsky.social",
        "q1",
        json!({"text": "Where can I read the report?\nThanks", "createdAt": "2025-04-20T10:00:00Z"}),
    );
    let reply = json!({
        "text": "Here 👉 on our site",
        "createdAt": "2025-04-20T11:00:00Z",
        "reply": {"root": {"uri": "at://did:plc:member/app.bsky.feed.post/q1", "cid": "x"},
                  "parent": {"uri": "at://did:plc:member/app.bsky.feed.post/q1", "cid": "x"}}
    });
    // The 2023 shape: no $type on root and parent.
    json!({"feed": [{"post": post_view(DID, HANDLE, "a1", reply),
                     "reply": {"root": parent.clone(), "parent": parent}}]})
}

fn xrpc(r: &Request) -> Reply {
    let not_found =
        |message: &str| json_reply(400, json!({"error": "InvalidRequest", "message": message}));
    match r.route() {
        "/xrpc/com.atproto.identity.resolveHandle" => match param(r, "handle").as_deref() {
            Some(HANDLE) => json_reply(200, json!({"did": DID})),
            Some("nobody.bsky.social") => json_reply(200, json!({"did": "did:plc:gone"})),
            _ => not_found("Unable to resolve handle"),
        },
        "/xrpc/app.bsky.actor.getProfile" => match param(r, "actor").as_deref() {
            Some("did:plc:gone") => not_found("Profile not found"),
            Some(actor) => json_reply(
                200,
                json!({
                    "did": actor, "handle": HANDLE, "displayName": "CECOP 🇪🇺",
                    "followersCount": 1200
                }),
            ),
            None => not_found("Error: Params must have the property \"actor\""),
        },
        "/xrpc/app.bsky.feed.getAuthorFeed" => {
            match (param(r, "actor").as_deref(), param(r, "cursor").as_deref()) {
                (Some(DID), None) => json_reply(200, page_one()),
                (Some(DID), Some(CURSOR)) => json_reply(200, page_two()),
                (Some("did:plc:busy"), _) => json_reply(429, json!({"error": "RateLimitExceeded"}))
                    .header("Retry-After", "120"),
                (Some("did:plc:reset"), _) => {
                    json_reply(429, json!({"error": "RateLimitExceeded"}))
                        .header("RateLimit-Limit", "3000")
                        .header("RateLimit-Remaining", "0")
                        .header("RateLimit-Reset", "4102444800")
                }
                (Some("did:plc:html"), _) => Reply::ok(
                    "text/html",
                    "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>",
                ),
                (Some("did:plc:broken"), _) => Reply::new(
                    502,
                    "text/html",
                    "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>",
                ),
                (Some("did:plc:empty"), _) => Reply::ok("application/json", ""),
                _ => not_found("Profile not found"),
            }
        }
        _ => Reply::new(404, "text/html", "<html>not here</html>"),
    }
}

fn spec(actor: &str) -> BlueskySpec {
    BlueskySpec {
        actor: actor.to_string(),
        filter: bluesky::DEFAULT_FILTER.to_string(),
        max_pages: bluesky::DEFAULT_MAX_PAGES,
    }
}

async fn run(server: &Server, spec: &BlueskySpec, prior: &Prior) -> Result<Fetched, FetchError> {
    let http = Http::new_without_proxy(HttpSettings::default()).unwrap();
    let api = Url::parse(&server.base()).unwrap();
    let ctx = Context {
        http: &http,
        bluesky_api: &api,
        now: chrono::Utc::now(),
    };
    match bluesky::fetch(&ctx, spec, prior).await? {
        Outcome::Fetched(f) => Ok(f),
        Outcome::NotModified => panic!("Bluesky has no 304"),
    }
}

fn counts(server: &Server) -> (usize, usize, usize) {
    (
        server
            .requests_to("/xrpc/com.atproto.identity.resolveHandle")
            .len(),
        server.requests_to("/xrpc/app.bsky.actor.getProfile").len(),
        server
            .requests_to("/xrpc/app.bsky.feed.getAuthorFeed")
            .len(),
    )
}

#[tokio::test]
async fn fetch_resolves_pages_and_renders() {
    let server = Server::start(xrpc);
    let fetched = run(&server, &spec(HANDLE), &Prior::default())
        .await
        .unwrap();
    assert_eq!(counts(&server), (1, 1, 2));
    assert_eq!(fetched.resolved.as_deref(), Some(DID));
    assert_eq!(fetched.validators, Default::default());
    assert!(fetched.notes.is_empty(), "{:?}", fetched.notes);
    let meta = &fetched.parsed.meta;
    assert_eq!(meta.title.as_deref(), Some("CECOP 🇪🇺"));
    assert_eq!(
        meta.site_link.as_deref(),
        Some("https://bsky.app/profile/cecop.bsky.social")
    );

    let feeds = server.requests_to("/xrpc/app.bsky.feed.getAuthorFeed");
    assert_eq!(param(&feeds[0], "actor").as_deref(), Some(DID));
    assert_eq!(
        param(&feeds[0], "filter").as_deref(),
        Some("posts_and_author_threads")
    );
    assert_eq!(param(&feeds[0], "limit").as_deref(), Some("50"));
    assert_eq!(param(&feeds[0], "cursor"), None);
    assert_eq!(param(&feeds[1], "cursor").as_deref(), Some(CURSOR));

    let articles = &fetched.parsed.articles;
    let titles: Vec<&str> = articles.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Join the #WorkerCoops campaign",
            "🇪🇺 Our annual report is out! Read it: https://cecop.coop/works/cecop-annual-rep…",
            "Cooperatives build resilient economies",
            "Here 👉 on our site",
        ]
    );

    let pinned = &articles[0];
    assert!(pinned.text.starts_with("📌 pinned\n\n"));
    assert_eq!(
        pinned.published.unwrap().to_rfc3339(),
        "2024-01-10T12:00:00+00:00"
    );

    let report = &articles[1];
    assert_eq!(report.guid, format!("at://{DID}/app.bsky.feed.post/p1"));
    assert_eq!(
        report.link.as_deref(),
        Some("https://bsky.app/profile/cecop.bsky.social/post/p1")
    );
    assert_eq!(report.language.as_deref(), Some("en"));
    assert_eq!(
        report.author.as_deref(),
        Some("CECOP 🇪🇺 (@cecop.bsky.social)")
    );
    assert_eq!(
        report.text,
        format!("🇪🇺 Our annual report is out! Read it: {FULL_LINK} #coops with @coopseurope.coop")
    );
    assert_eq!(
        report.links,
        [
            FULL_LINK,
            "https://bsky.app/hashtag/coops",
            "https://bsky.app/profile/did:plc:coopseurope"
        ]
    );
    let html = report.html.as_deref().unwrap();
    assert!(
        html.contains(&format!("<a href=\"{FULL_LINK}\">{FULL_LINK}</a>")),
        "{html}"
    );
    assert!(!html.contains("cecop-..."));

    let repost = &articles[2];
    assert_eq!(repost.guid, "at://did:plc:icaeurope/app.bsky.feed.post/r1");
    assert!(
        repost
            .text
            .starts_with("🔁 reposted by CECOP 🇪🇺 (@cecop.bsky.social)\n\n")
    );
    assert_eq!(
        repost.published.unwrap().to_rfc3339(),
        "2025-04-30T07:00:00+00:00"
    );

    let reply = &articles[3];
    assert!(
        reply
            .text
            .starts_with("↳ reply to @member.bsky.social: Where can I read the report?\n\nHere 👉")
    );
    assert_eq!(
        reply.links,
        ["https://bsky.app/profile/member.bsky.social/post/q1"]
    );
}

#[tokio::test]
async fn known_posts_stop_paging_and_the_did_is_reused() {
    let server = Server::start(xrpc);
    let first = run(&server, &spec(HANDLE), &Prior::default())
        .await
        .unwrap();
    let prior = Prior {
        resolved: first.resolved.clone(),
        known_guids: first
            .parsed
            .articles
            .iter()
            .map(|a| a.guid.clone())
            .collect(),
        ..Prior::default()
    };
    let second = run(&server, &spec(HANDLE), &prior).await.unwrap();
    // No second resolveHandle; page one is all known, so no page two.
    assert_eq!(counts(&server), (1, 2, 3));
    assert_eq!(second.resolved.as_deref(), Some(DID));
    assert_eq!(second.parsed.articles.len(), 3);

    // A DID or a profile URL needs no resolving at all.
    let server = Server::start(xrpc);
    run(&server, &spec(DID), &Prior::default()).await.unwrap();
    run(
        &server,
        &spec("https://bsky.app/profile/cecop.bsky.social"),
        &Prior::default(),
    )
    .await
    .unwrap();
    assert_eq!(counts(&server), (1, 2, 4));
}

#[tokio::test]
async fn page_limit_and_filter_are_honoured() {
    let server = Server::start(xrpc);
    let mut one_page = spec(DID);
    one_page.max_pages = 1;
    one_page.filter = "posts_no_replies".into();
    let prior = Prior {
        known_guids: HashSet::from(["at://elsewhere/app.bsky.feed.post/old".to_string()]),
        ..Prior::default()
    };
    let fetched = run(&server, &one_page, &prior).await.unwrap();
    assert_eq!(counts(&server), (0, 1, 1));
    assert_eq!(fetched.parsed.articles.len(), 3);
    assert_eq!(fetched.notes.len(), 1, "{:?}", fetched.notes);
    let feeds = server.requests_to("/xrpc/app.bsky.feed.getAuthorFeed");
    assert_eq!(
        param(&feeds[0], "filter").as_deref(),
        Some("posts_no_replies")
    );

    let mut bad = spec(DID);
    bad.filter = "everything".into();
    let err = run(&server, &bad, &Prior::default()).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("unknown Bluesky filter \"everything\""),
        "{err}"
    );
    let err = run(&server, &spec("not a handle"), &Prior::default())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not a Bluesky handle"), "{err}");
    assert_eq!(counts(&server), (0, 1, 1), "bad settings send nothing");
}

#[tokio::test]
async fn unknown_accounts_are_named() {
    let server = Server::start(xrpc);
    let err = run(&server, &spec("nobody.bsky.social"), &Prior::default())
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::Bluesky(_)));
    assert!(
        err.to_string()
            .starts_with("Bluesky account \"nobody.bsky.social\" not found"),
        "{err}"
    );
    let err = run(&server, &spec("@ghost.bsky.social"), &Prior::default())
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("Bluesky account \"ghost.bsky.social\" not found"),
        "{err}"
    );
}

#[tokio::test]
async fn rate_limits_say_until_when() {
    let server = Server::start(xrpc);
    let before = chrono::Utc::now();
    let err = run(&server, &spec("did:plc:busy"), &Prior::default())
        .await
        .unwrap_err();
    let FetchError::RateLimited { until } = err else {
        panic!("{err:?}")
    };
    let wait = (until - before).num_seconds();
    assert!((115..=125).contains(&wait), "{wait}");
    assert!(err.to_string().starts_with("rate limited until "), "{err}");

    let err = run(&server, &spec("did:plc:reset"), &Prior::default())
        .await
        .unwrap_err();
    assert_eq!(
        err,
        FetchError::RateLimited {
            until: chrono::DateTime::from_timestamp(4_102_444_800, 0).unwrap()
        }
    );
}

#[tokio::test]
async fn html_and_empty_answers_are_clear_errors() {
    let server = Server::start(xrpc);
    let err = run(&server, &spec("did:plc:html"), &Prior::default())
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::Bluesky(_)));
    assert!(
        err.to_string()
            .contains("answered with an HTML page, not JSON"),
        "{err}"
    );
    assert!(err.to_string().contains(&server.base()), "{err}");

    let err = run(&server, &spec("did:plc:empty"), &Prior::default())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("empty answer"), "{err}");

    let err = run(&server, &spec("did:plc:broken"), &Prior::default())
        .await
        .unwrap_err();
    assert!(
        matches!(err, FetchError::Status { code: 502, .. }),
        "{err:?}"
    );

    // A bluesky_api that is some other website.
    let http = Http::new_without_proxy(HttpSettings::default()).unwrap();
    let api = Url::parse(&server.url("/not-xrpc/")).unwrap();
    let ctx = Context {
        http: &http,
        bluesky_api: &api,
        now: chrono::Utc::now(),
    };
    let err = bluesky::fetch(&ctx, &spec(DID), &Prior::default())
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("check the bluesky_api setting"),
        "{err}"
    );
}
