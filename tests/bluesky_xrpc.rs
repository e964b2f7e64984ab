//! Bluesky: fetching against a loopback XRPC server — handles, paging by cursor, profiles
//! (errors and rate limits are in `bluesky_errors.rs`).

mod common;

use common::bluesky::{CURSOR, DID, FULL_LINK, HANDLE, counts, param, run, spec, xrpc};
use common::server::Server;
use std::collections::HashSet;

use coopnews::sources::fetch::Prior;

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
