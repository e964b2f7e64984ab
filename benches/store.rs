//! The store: upsert of a refreshed feed (all new, all unchanged), and the list and search
//! queries the reader and `coopnews list` run on a store of 100,000 articles.

mod support;

use std::hint::black_box;

use chrono::Utc;
use coopnews::model::ParsedFeed;
use coopnews::sources::feed::parse;
use coopnews::sources::fetch::Fetched;
use coopnews::store::{ListQuery, Store, Subscription};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use url::Url;

fn fetched(parsed: ParsedFeed) -> Fetched {
    Fetched {
        parsed,
        ..Fetched::default()
    }
}

fn parsed(feed: u64, items: usize) -> ParsedFeed {
    let base = Url::parse("https://example.coop/feed").expect("static url");
    parse(support::feed_xml(feed, items).as_bytes(), None, &base).expect("parses")
}

fn subscribe(store: &mut Store, key: String) -> i64 {
    let ids = store
        .sync_subscriptions(&[Subscription { key, title: None }])
        .expect("subscribes");
    ids[0]
}

fn bench_upsert(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("bench.db")).expect("opens");
    let feed = fetched(parsed(1, 50));
    let mut group = c.benchmark_group("upsert");
    group.throughput(Throughput::Elements(50));
    let mut n = 0;
    group.bench_function("new_feed_50_articles", |b| {
        b.iter_custom(|iters| {
            let mut spent = std::time::Duration::ZERO;
            for _ in 0..iters {
                n += 1;
                let id = subscribe(&mut store, format!("https://example.coop/new/{n}"));
                let started = std::time::Instant::now();
                store.record_fetched(id, &feed, Utc::now()).expect("writes");
                spent += started.elapsed();
            }
            spent
        })
    });
    let id = subscribe(&mut store, "https://example.coop/same".into());
    store.record_fetched(id, &feed, Utc::now()).expect("writes");
    group.bench_function("unchanged_feed_50_articles", |b| {
        b.iter(|| store.record_fetched(id, &feed, Utc::now()).expect("writes"))
    });
    group.finish();
}

/// 500 feeds of 200 articles (5 × 40 in quick mode), each feed generated from its own seed,
/// and given its own guids and links so that no two rows are one story (which would fold).
fn filled_store(dir: &std::path::Path) -> (Store, usize) {
    let (feeds, items) = if support::full_size() {
        (500, 200)
    } else {
        (5, 40)
    };
    let mut store = Store::open(&dir.join("full.db")).expect("opens");
    const LANGUAGES: [&str; 4] = ["it", "en", "fr", "es"];
    for f in 0..feeds {
        let id = subscribe(&mut store, format!("https://example.coop/feed/{f}"));
        // Organisations of five subscriptions each; one language per subscription.
        store
            .sync_orgs(&[(id, Some(format!("org-{}", f / 5)))])
            .expect("sets the org");
        let mut feed = parsed(f as u64, items);
        for a in &mut feed.articles {
            a.guid = format!("{}#{f}", a.guid);
            // Each its own story: the same address in two feeds would be folded into one row.
            a.link = a.link.as_ref().map(|l| format!("{l}/{f}"));
            a.published = a.published.map(|p| p - chrono::Duration::minutes(f as i64));
            a.language = Some(LANGUAGES[f % 4].to_string());
        }
        store
            .record_fetched(id, &fetched(feed), Utc::now())
            .expect("writes");
    }
    store.optimize().expect("optimizes");
    // Closed and opened again, as the reader opens a store a refresh has closed: the close
    // copies the write-ahead log into the database. Left open, every page read would look
    // through a log of hundreds of megabytes first (walFindFrame was 38 % of a query).
    drop(store);
    let store = Store::open(&dir.join("full.db")).expect("opens again");
    (store, feeds * items)
}

fn bench_queries(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, total) = filled_store(dir.path());
    let page = |search: Option<&str>, unread_only| ListQuery {
        search: search.map(str::to_string),
        unread_only,
        limit: 50,
        ..Default::default()
    };
    let mut group = c.benchmark_group(format!("query_{total}"));
    let cases = [
        ("list_first_page", page(None, false)),
        ("list_unread_first_page", page(None, true)),
        ("search_one_word", page(Some("cooperativa"), false)),
        ("search_rare_word", page(Some("organizaci"), false)),
        ("search_two_words", page(Some("economia lavoratori"), false)),
        // The reader searches as the filter is typed: one and two letters match nearly all.
        ("search_typing_one_letter", page(Some("c"), false)),
        ("search_typing_two_letters", page(Some("co"), false)),
        ("search_unread_one_word", page(Some("cooperativa"), true)),
        // The search language: each operator, alone or with a word.
        (
            "search_phrase",
            page(Some("\"cooperativa lavoratori\""), false),
        ),
        ("search_exclude", page(Some("cooperativa -economia"), false)),
        ("search_exclude_only", page(Some("-cooperativa"), false)),
        // An exclusion as it is typed, and two words found in nearly every article.
        ("search_exclude_one_letter", page(Some("-c"), false)),
        (
            "search_exclude_two_words",
            page(Some("-cooperativa -economia"), false),
        ),
        ("search_title", page(Some("title:cooperativa"), false)),
        ("search_org", page(Some("org:org-0"), false)),
        (
            "search_org_word",
            page(Some("org:org-0 cooperativa"), false),
        ),
        ("search_feed", page(Some("feed:feed/3"), false)),
        ("search_lang", page(Some("lang:es"), false)),
        ("search_lang_word", page(Some("lang:it economia"), false)),
        ("search_is_unread", page(Some("is:unread"), false)),
        ("search_is_starred", page(Some("is:starred"), false)),
        ("search_after", page(Some("after:2020-01-01"), false)),
        (
            "search_before_nothing",
            page(Some("before:2000-01-01"), false),
        ),
        ("search_newer", page(Some("newer:7d cooperativa"), false)),
        (
            "search_everything",
            page(
                Some("title:coop -señal lang:fr is:unread newer:30d org:org-0"),
                false,
            ),
        ),
    ];
    for (name, query) in &cases {
        group.bench_function(*name, |b| {
            b.iter(|| black_box(store.list_rows(query).expect("lists")))
        });
    }
    let mut deep = page(None, false);
    let rows = store
        .list_rows(&ListQuery {
            limit: total / 2,
            ..deep.clone()
        })
        .expect("lists");
    deep.after = rows.last().map(Into::into);
    group.bench_function("list_page_in_the_middle", |b| {
        b.iter(|| black_box(store.list_rows(&deep).expect("lists")))
    });
    // `coopnews list --search` reads whole articles.
    group.bench_function("list_articles_search_one_word", |b| {
        b.iter(|| black_box(store.list_articles(&cases[2].1).expect("lists")))
    });
    group.bench_function("count_search_one_word", |b| {
        b.iter(|| black_box(store.count(&cases[2].1).expect("counts")))
    });
    group.finish();
}

criterion_group!(benches, bench_upsert, bench_queries);
criterion_main!(benches);
