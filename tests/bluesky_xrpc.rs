//! Bluesky: fetching against a loopback XRPC server — handles, paging by cursor, profiles,
//! errors and rate limits.

mod common;

use common::server::{Reply, Request, Server};
use coopnews::model::BlueskySpec;
use std::collections::HashSet;

use coopnews::sources::FetchError;
use coopnews::sources::bluesky;
use coopnews::sources::fetch::{Context, Fetched, Outcome, Prior};
use coopnews::sources::http::{Http, HttpSettings};
use serde_json::{Value, json};
use url::Url;

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
