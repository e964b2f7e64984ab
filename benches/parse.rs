//! Bytes → articles: the real-world corpus and one ~10 MB, 5,000-item feed (MB/s), and
//! HTML → terminal text as the reader renders an article.

mod support;

use std::hint::black_box;

use chrono::Utc;
use coopnews::model::StoredArticle;
use coopnews::render::article_text;
use coopnews::sources::feed::parse;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use url::Url;

fn corpus() -> Vec<(String, Vec<u8>)> {
    let Some(root) = support::corpus_root() else {
        eprintln!("corpus not found; the corpus benchmark is skipped");
        return Vec::new();
    };
    let mut files: Vec<_> = std::fs::read_dir(root.join("feeds/realworld"))
        .map(|dir| dir.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
        .into_iter()
        .filter_map(|p| Some((p.display().to_string(), std::fs::read(&p).ok()?)))
        .collect()
}

fn bench_parse(c: &mut Criterion) {
    let base = Url::parse("https://example.coop/feed").expect("static url");
    let mut group = c.benchmark_group("parse");
    group.sample_size(10);

    let corpus = corpus();
    if !corpus.is_empty() {
        let bytes: usize = corpus.iter().map(|(_, b)| b.len()).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function("realworld_corpus", |b| {
            b.iter(|| {
                for (_, doc) in &corpus {
                    let _ = black_box(parse(doc, None, &base));
                }
            })
        });
    }

    let items = if support::full_size() { 5_000 } else { 200 };
    let big = support::feed_xml(0, items);
    group.throughput(Throughput::Bytes(big.len() as u64));
    group.bench_function(format!("one_feed_{items}_items"), |b| {
        b.iter(|| {
            let feed = parse(black_box(big.as_bytes()), None, &base).expect("parses");
            assert_eq!(feed.articles.len(), items);
        })
    });
    group.finish();
}

fn bench_render(c: &mut Criterion) {
    let mut rng = support::Rng::new(7);
    let article = StoredArticle {
        id: 1,
        feed_id: 1,
        feed: "Legacoop".into(),
        title: support::sentence(&mut rng, 8),
        link: Some("https://example.coop/1".into()),
        author: None,
        published: Utc::now(),
        read: false,
        starred: false,
        text: String::new(),
        links: vec!["https://example.coop/x".into()],
        html: Some(support::body(&mut rng)),
        language: Some("it".into()),
    };
    let bytes = article.html.as_ref().map_or(0, String::len);
    let mut group = c.benchmark_group("render");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("article_html_to_terminal_80", |b| {
        b.iter(|| {
            black_box(article_text(
                black_box(&article),
                80,
                coopnews::i18n::Lang::En,
            ))
        })
    });
    group.finish();
}

criterion_group!(benches, bench_parse, bench_render);
criterion_main!(benches);
