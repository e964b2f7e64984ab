//! Bluesky's errors against a loopback XRPC server: unknown accounts, rate limits, and
//! answers that are not the API's. Each is a clear error naming what went wrong.

mod common;

use common::bluesky::{DID, run, spec, xrpc};
use common::server::Server;
use coopnews::sources::FetchError;
use coopnews::sources::bluesky;
use coopnews::sources::fetch::{Context, Prior};
use coopnews::sources::http::{Http, HttpSettings};
use url::Url;

/// The error fetching `actor` from the loopback server ends with.
async fn error_of(server: &Server, actor: &str) -> FetchError {
    run(server, &spec(actor), &Prior::default())
        .await
        .unwrap_err()
}

#[tokio::test]
async fn unknown_accounts_are_named() {
    let server = Server::start(xrpc);
    let err = error_of(&server, "nobody.bsky.social").await;
    assert!(matches!(err, FetchError::Bluesky(_)));
    assert!(
        err.to_string()
            .starts_with("Bluesky account \"nobody.bsky.social\" not found"),
        "{err}"
    );
    let err = error_of(&server, "@ghost.bsky.social").await;
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
    let err = error_of(&server, "did:plc:busy").await;
    let FetchError::RateLimited { until } = err else {
        panic!("{err:?}")
    };
    let wait = (until - before).num_seconds();
    assert!((115..=125).contains(&wait), "{wait}");
    assert!(err.to_string().starts_with("rate limited until "), "{err}");

    let err = error_of(&server, "did:plc:reset").await;
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
    let err = error_of(&server, "did:plc:html").await;
    assert!(matches!(err, FetchError::Bluesky(_)));
    assert!(
        err.to_string()
            .contains("answered with an HTML page, not JSON"),
        "{err}"
    );
    assert!(err.to_string().contains(&server.base()), "{err}");

    let err = error_of(&server, "did:plc:empty").await;
    assert!(err.to_string().contains("empty answer"), "{err}");

    let err = error_of(&server, "did:plc:broken").await;
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
