//! A loopback XRPC server of one Bluesky account (a handle, its profile, two pages of its
//! feed, and accounts that fail in each way), and a fetch against it.

use super::server::{Reply, Request, Server};
use coopnews::model::BlueskySpec;
use coopnews::sources::FetchError;
use coopnews::sources::bluesky;
use coopnews::sources::fetch::{Context, Fetched, Outcome, Prior};
use coopnews::sources::http::{Http, HttpSettings};
use serde_json::{Value, json};
use url::Url;

pub const DID: &str = "did:plc:cecop4coops4eu4test4xyz";
pub const HANDLE: &str = "cecop.bsky.social";
/// Odd characters on purpose: the cursor must travel percent-encoded and come back intact.
pub const CURSOR: &str = "2025-05-01T10:00:00.000Z::bafy/+ é&x=1";
pub const FULL_LINK: &str = "https://cecop.coop/works/cecop-annual-report-2024-worker-cooperatives";
pub const REPORT_TEXT: &str = "🇪🇺 Our annual report is out! Read it: cecop.coop/works/cecop-... #coops with @coopseurope.coop";

pub fn param(r: &Request, key: &str) -> Option<String> {
    let query = r.path.split_once('?')?.1;
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

pub fn json_reply(status: u16, body: Value) -> Reply {
    Reply::new(status, "application/json; charset=utf-8", body.to_string())
}

pub fn byte_range(text: &str, part: &str) -> Value {
    let start = text.find(part).expect("part of the text");
    json!({"byteStart": start, "byteEnd": start + part.len()})
}

pub fn post_view(did: &str, handle: &str, rkey: &str, record: Value) -> Value {
    json!({
        "uri": format!("at://{did}/app.bsky.feed.post/{rkey}"),
        "cid": format!("bafy{rkey}"),
        "author": {"did": did, "handle": handle, "displayName": "CECOP 🇪🇺"},
        "record": record,
        "indexedAt": "2025-05-02T09:00:00.000Z"
    })
}

pub fn page_one() -> Value {
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

pub fn page_two() -> Value {
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

pub fn xrpc(r: &Request) -> Reply {
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

pub fn spec(actor: &str) -> BlueskySpec {
    BlueskySpec {
        actor: actor.to_string(),
        filter: bluesky::DEFAULT_FILTER.to_string(),
        max_pages: bluesky::DEFAULT_MAX_PAGES,
    }
}

pub async fn run(
    server: &Server,
    spec: &BlueskySpec,
    prior: &Prior,
) -> Result<Fetched, FetchError> {
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

pub fn counts(server: &Server) -> (usize, usize, usize) {
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
