//! Language detection on short texts: the fixture's titles and posts in Italian, English,
//! French and Spanish, each with the language it is written in. Prints the accuracy
//! measured (`cargo test --test language -- --nocapture`).

use coopnews::sources::language::{decide, detect};

struct Sample {
    lang: &'static str,
    kind: &'static str,
    text: &'static str,
}

fn samples() -> Vec<Sample> {
    include_str!("fixtures/lang/short_texts.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut parts = l.splitn(3, '\t');
            let (lang, kind, text) = (parts.next(), parts.next(), parts.next());
            Sample {
                lang: lang.expect("language"),
                kind: kind.expect("kind"),
                text: text.expect("text"),
            }
        })
        .collect()
}

fn accuracy(samples: &[&Sample]) -> f64 {
    let right = samples
        .iter()
        .filter(|s| {
            let found = detect(s.text);
            if found != Some(s.lang) {
                println!("  wrong: {:?} for {} \"{}\"", found, s.lang, s.text);
            }
            found == Some(s.lang)
        })
        .count();
    right as f64 / samples.len() as f64
}

#[test]
fn short_texts_in_four_languages() {
    let all = samples();
    assert!(all.len() >= 100, "the fixture has {} samples", all.len());
    let long_titles: Vec<&Sample> = all
        .iter()
        .filter(|s| s.kind == "title" && s.text.split_whitespace().count() >= 6)
        .collect();
    let posts: Vec<&Sample> = all.iter().filter(|s| s.kind == "post").collect();
    let titles = accuracy(&long_titles);
    let short = accuracy(&posts);
    println!(
        "language accuracy: titles of 6+ words {titles:.3} ({} samples), short posts {short:.3} ({} samples)",
        long_titles.len(),
        posts.len()
    );
    for lang in ["it", "en", "fr", "es"] {
        let of: Vec<&Sample> = long_titles
            .iter()
            .copied()
            .filter(|s| s.lang == lang)
            .collect();
        println!("  {lang}: {:.3} on {} titles", accuracy(&of), of.len());
    }
    assert!(titles >= 0.9, "accuracy on titles {titles}");
}

#[test]
fn an_italian_article_in_a_feed_declaring_english_is_italian() {
    let title = "Nasce a Bologna una nuova cooperativa di abitanti";
    let text = "La cooperativa offrirà alloggi a prezzi accessibili ai propri soci.";
    assert_eq!(decide(None, Some("en"), title, text).as_deref(), Some("it"));
    // What the item itself declares wins; with too little text, the feed's word stands.
    assert_eq!(
        decide(Some("it"), Some("en"), "OK", "").as_deref(),
        Some("it")
    );
    assert_eq!(decide(None, Some("en"), "OK!", "").as_deref(), Some("en"));
}
