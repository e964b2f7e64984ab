//! Bytes → articles: the real-world corpus and one ~10 MB, 5,000-item feed (MB/s), the
//! streaming reader against feed-rs on the benchmark generator's feeds, and HTML →
//! terminal text as the reader renders an article.

mod support;

use std::hint::black_box;

use chrono::Utc;
use coopnews::model::StoredArticle;
use coopnews::render::article_text;
use coopnews::sources::feed::{Reader, parse, parse_with};
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

/// The benchmark generator's feeds (`../shared/bench/gen_feeds.py`, seed 42): a 50-item RSS
/// and a 50-item Atom feed, and with `--bench` its 5,000-item, 10.5 MB `big.xml`.
fn generated() -> Vec<(String, Vec<u8>)> {
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_feeds.py");
    let Ok(dir) = tempfile::tempdir() else {
        return Vec::new();
    };
    let mut args = vec!["--feeds", "7", "--items", "50"];
    if support::full_size() {
        args.extend(["--big-items", "5000"]);
    }
    let ran = std::process::Command::new("python3")
        .arg(&script)
        .arg("--out")
        .arg(dir.path())
        .args(&args)
        .stdout(std::process::Stdio::null())
        .status();
    if !ran.is_ok_and(|s| s.success()) {
        eprintln!(
            "{} did not run; the streaming-reader benchmark is skipped",
            script.display()
        );
        return Vec::new();
    }
    [
        ("rss_50_items", "feeds/feed-0000.xml"),
        ("atom_50_items", "feeds/feed-0006.xml"),
        ("big_5000_items", "big.xml"),
    ]
    .into_iter()
    .filter_map(|(name, file)| Some((name.to_string(), std::fs::read(dir.path().join(file)).ok()?)))
    .collect()
}

fn bench_readers(c: &mut Criterion) {
    let base = Url::parse("http://127.0.0.1:8765/feeds/feed-0000.xml").expect("static url");
    let mut group = c.benchmark_group("reader");
    group.sample_size(10);
    for (name, doc) in generated() {
        group.throughput(Throughput::Bytes(doc.len() as u64));
        for (reader, label) in [
            (Reader::Streaming, "streaming"),
            (Reader::FeedRs, "feed_rs"),
        ] {
            group.bench_function(format!("{name}/{label}"), |b| {
                b.iter(|| {
                    let feed = parse_with(black_box(&doc), None, &base, reader);
                    assert!(matches!(feed, Ok(Ok(_))), "{name}: {label} did not read it");
                })
            });
        }
    }
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

criterion_group!(benches, bench_parse, bench_readers, bench_render);
criterion_main!(benches);
