//! One organisation, one stream: a loopback site feed, a loopback Bluesky account of the same
//! organisation and a second outlet, refreshed and listed by the real binary. Posts fold into
//! the articles they announce (through tracking parameters and short links), the same story
//! from two subscriptions is one row, and reading a story reads every row of it.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use common::cli::{coopnews, json, setup, stderr};
use common::server::{Reply, Request, Server};
use coopnews::model::Engagement;
use coopnews::store::Store;
use serde_json::{Value, json};

const DID: &str = "did:plc:cecoptest";
const HANDLE: &str = "cecop.bsky.social";

fn rss(base: &str, language: &str, items: &[(&str, &str, &str)]) -> String {
    let items: String = items
        .iter()
        .map(|(guid, title, path)| {
            format!(
                "<item><guid>{guid}</guid><title>{title}</title><link>{base}{path}</link>\
                 <description>{title}</description><pubDate>Mon, 03 Nov 2025 10:00:00 GMT</pubDate></item>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Site</title>\
         <link>{base}/</link><language>{language}</language>{items}</channel></rss>"
    )
}

fn byte_range(text: &str, part: &str) -> Value {
    let start = text.find(part).expect("part of the text");
    json!({"byteStart": start, "byteEnd": start + part.len()})
}

/// A post whose facet links `shown` to `uri`, or with no link when `shown` is empty.
fn post(rkey: &str, text: &str, shown: &str, uri: &str, embed: Option<&str>) -> Value {
    let mut record = json!({
        "$type": "app.bsky.feed.post",
        "text": text,
        "createdAt": format!("2025-11-0{}T12:00:00.000Z", rkey.len()),
        "langs": ["en"],
    });
    if !shown.is_empty() {
        record["facets"] = json!([{
            "index": byte_range(text, shown),
            "features": [{"$type": "app.bsky.richtext.facet#link", "uri": uri}]
        }]);
    }
    if let Some(card) = embed {
        record["embed"] = json!({
            "$type": "app.bsky.embed.external",
            "external": {"uri": card, "title": "Card", "description": ""}
        });
    }
    json!({"post": {
        "uri": format!("at://{DID}/app.bsky.feed.post/{rkey}"),
        "cid": format!("bafy{rkey}"),
        "author": {"did": DID, "handle": HANDLE, "displayName": "CECOP"},
        "record": record,
        "likeCount": 7,
        "repostCount": 2,
        "indexedAt": "2025-11-06T12:00:00.000Z"
    }})
}

fn serve(r: &Request, base: &str, short_base: &str, second: bool) -> Reply {
    let json_reply = |v: Value| Reply::ok("application/json", v.to_string());
    match r.route() {
        "/feed.xml" => {
            let mut items = vec![
                (
                    "a",
                    "Annual report on worker cooperatives",
                    "/news/annual-report",
                ),
                (
                    "b",
                    "Le cooperative sociali chiedono più fondi alla regione",
                    "/news/assemblea",
                ),
            ];
            if second {
                items.push((
                    "c",
                    "A late article about housing cooperatives",
                    "/news/late",
                ));
            }
            Reply::ok("application/rss+xml", rss(base, "en", &items))
        }
        // Another outlet carries the annual report under the same address.
        "/outlet.xml" => Reply::ok(
            "application/rss+xml",
            rss(
                base,
                "en",
                &[(
                    "x1",
                    "Annual report on worker cooperatives",
                    "/news/annual-report/?utm_source=outlet#top",
                )],
            ),
        ),
        "/s/abc" => Reply::redirect(&format!("{base}/news/assemblea?utm_source=bsky")),
        "/news/assemblea" => Reply::ok("text/html", "<html></html>"),
        "/xrpc/app.bsky.actor.getProfile" => {
            json_reply(json!({"did": DID, "handle": HANDLE, "displayName": "CECOP"}))
        }
        "/xrpc/com.atproto.identity.resolveHandle" => json_reply(json!({"did": DID})),
        "/xrpc/app.bsky.feed.getAuthorFeed" => {
            let report = "Our report is out: read it";
            let short = "Leggete qui il nostro appello";
            let late = "Coming soon on our site";
            let mut feed = json!({"feed": [
                post("p1", report, "read it",
                     &format!("{base}/news/annual-report?utm_source=bluesky&utm_medium=social"), None),
                post("p22", short, "qui", &format!("{short_base}/s/abc"), None),
                post("p333", "Good morning, cooperators of Europe", "", "", None),
                post("p4444", late, "", "", Some(&format!("{base}/news/late"))),
            ]});
            // Likes keep coming: the second refresh brings new counts.
            if second {
                feed["feed"][0]["post"]["likeCount"] = json!(9);
            }
            json_reply(feed)
        }
        _ => Reply::status(404),
    }
}

fn rows_by_title(list: &Value) -> Vec<(String, &Value)> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|a| (a["title"].as_str().unwrap().to_string(), a))
        .collect()
}

fn find<'a>(list: &'a Value, title: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with(title))
        .unwrap_or_else(|| panic!("no row titled {title}: {list:#}"))
}

#[test]
fn an_organisation_s_site_and_bluesky_account_make_one_stream() {
    let second = Arc::new(AtomicBool::new(false));
    let server = {
        let second = Arc::clone(&second);
        Server::start(move |r| {
            let port = r
                .header("host")
                .and_then(|h| h.rsplit(':').next())
                .unwrap_or_default()
                .to_string();
            serve(
                r,
                &format!("http://127.0.0.1:{port}"),
                &format!("http://localhost:{port}"),
                second.load(Ordering::SeqCst),
            )
        })
    };
    let config = format!(
        r#"
refresh_on_start = false
bluesky_api = "{base}"
shorteners = ["localhost"]

[[feeds]]
url = "{base}/feed.xml"
title = "CECOP site"
org = "CECOP"

[[feeds]]
bluesky = "{HANDLE}"
org = "CECOP"

[[feeds]]
url = "{base}/outlet.xml"
title = "Coop Outlet"
"#,
        base = server.base()
    );
    let s = setup(&config);
    for round in 0..2 {
        second.store(round == 1, Ordering::SeqCst);
        let out = coopnews(&s, &["refresh"]);
        assert!(out.status.success(), "refresh {round}: {}", stderr(&out));
    }
    let list = json(&coopnews(&s, &["list", "--json"]));
    let titles: Vec<String> = rows_by_title(&list).into_iter().map(|(t, _)| t).collect();
    assert_eq!(titles.len(), 4, "one row per story: {titles:?}");

    // The report: the site's article, the outlet's copy and the post, one row. Whichever
    // subscription stored it first leads; the others are in `also`, oldest first.
    let report = find(&list, "Annual report");
    assert_eq!(report["lang"], "en");
    let also = report["also"].as_array().unwrap();
    let mut sources: Vec<&str> = also.iter().map(|a| a["feed"].as_str().unwrap()).collect();
    sources.push(report["feed"].as_str().unwrap());
    sources.sort();
    assert_eq!(
        sources,
        ["CECOP", "CECOP site", "Coop Outlet"],
        "{report:#}"
    );
    let post = also
        .iter()
        .find(|a| a["feed"] == "CECOP")
        .expect("the post is part of the story");
    assert!(post["link"].as_str().unwrap().contains("/post/p1"));
    assert!(post["text"].as_str().unwrap().contains("Our report is out"));
    assert!(
        post["published"]
            .as_str()
            .unwrap()
            .starts_with("2025-11-02")
    );
    for key in ["id", "feed", "link", "published", "text"] {
        assert!(also[0].get(key).is_some(), "also lacks {key}");
    }
    // The post's likes and reposts, as the last refresh counted them, for "On Bluesky".
    let store = Store::open(&s.data.join("coopnews.db")).unwrap();
    let stored = store.also(report["id"].as_i64().unwrap()).unwrap();
    let counts = stored.iter().find(|a| a.is_post).unwrap().engagement;
    assert_eq!(
        counts,
        Some(Engagement {
            likes: 9,
            reposts: 2,
            replies: 0,
            quotes: 0
        })
    );
    drop(store);

    // Through a short link: asked once over two refreshes.
    let appeal = find(&list, "Le cooperative sociali");
    assert_eq!(appeal["lang"], "it", "detected before the feed's `en`");
    let also = appeal["also"].as_array().unwrap();
    assert_eq!(also.len(), 1, "{appeal:#}");
    let text = also[0]["text"].as_str().unwrap();
    assert!(text.contains("Leggete"), "{text}");
    assert!(
        text.contains("/news/assemblea") && !text.contains("/s/abc"),
        "expanded: {text}"
    );
    assert_eq!(server.requests_to("/s/abc").len(), 1);

    // The article arrived after the post: folded then.
    let late = find(&list, "A late article");
    assert_eq!(late["also"].as_array().unwrap().len(), 1, "{late:#}");

    // A post announcing nothing stored stays its own row.
    let alone = find(&list, "Good morning");
    assert_eq!(alone["org"], "CECOP");
    assert_eq!(alone["also"], json!([]));

    // Reading the story reads every row of it; reading a folded post reads its story.
    let id = report["id"].as_i64().unwrap().to_string();
    assert!(coopnews(&s, &["mark-read", &id]).status.success());
    let post_id = appeal["also"][0]["id"].as_i64().unwrap().to_string();
    assert!(coopnews(&s, &["mark-read", &post_id]).status.success());
    let unread = json(&coopnews(&s, &["list", "--unread", "--json"]));
    let titles: Vec<String> = rows_by_title(&unread).into_iter().map(|(t, _)| t).collect();
    assert_eq!(titles.len(), 2, "{titles:?}");
    assert!(
        !titles
            .iter()
            .any(|t| t.starts_with("Annual") || t.starts_with("Le coop"))
    );
    let feeds = json(&coopnews(&s, &["feeds", "--json"]));
    let unread: Vec<i64> = feeds
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["unread"].as_i64().unwrap())
        .collect();
    // Site: the late article; Bluesky: the lone post and the late one; outlet: nothing.
    assert_eq!(unread, [1, 2, 0], "{feeds:#}");

    // --org and the org field.
    let of_org = json(&coopnews(&s, &["feeds", "--org", "cecop", "--json"]));
    assert_eq!(of_org.as_array().unwrap().len(), 2);
    let outlet = json(&coopnews(&s, &["list", "--org", "Coop Outlet", "--json"]));
    assert_eq!(
        rows_by_title(&outlet).len(),
        1,
        "the outlet's copy lists its story"
    );
    let italian = json(&coopnews(&s, &["list", "--lang", "it", "--json"]));
    assert_eq!(rows_by_title(&italian).len(), 1);
    let bad = coopnews(&s, &["list", "--org", "nobody"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("no organisation is called \"nobody\""));
}
