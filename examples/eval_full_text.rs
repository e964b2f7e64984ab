//! Scores `full_text` extraction on the Zyte (Scrapinghub) article-extraction benchmark.
//!
//! ```text
//! git clone https://github.com/scrapinghub/article-extraction-benchmark /tmp/aeb
//! cargo run --release --example eval_full_text -- /tmp/aeb [--json OUT] [--worst N] [--old]
//! ```
//!
//! Each `html/ID.html.gz` goes through the same function the refresher uses for an item
//! page ([`article_body`]), with the page's address from `ground-truth.json`; its plain text
//! is scored against the true `articleBody` with the benchmark's own metric (`evaluate.py`):
//! 4-word shingles of `\w+` tokens, per-page true/false positives and false negatives
//! normalised to sum 1, precision and recall averaged over pages, F1 from the two means.
//! `--json OUT` writes the texts in the benchmark's output format, to cross-check with
//! `python3 evaluate.py` after copying the file into its `output/` folder. The benchmark
//! stays outside this repository.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use coopnews::sources::page::readable::{article_body, previous_body};
use serde_json::{Map, Value, json};
use url::Url;

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let mut dir = None;
    let mut json_out = None;
    let mut worst = 0;
    let mut old = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--json" => json_out = Some(PathBuf::from(args.next().context("--json needs a file")?)),
            "--old" => old = true,
            "--worst" => worst = args.next().context("--worst needs a number")?.parse()?,
            _ if dir.is_none() && !arg.starts_with('-') => dir = Some(PathBuf::from(arg)),
            _ => bail!("usage: eval_full_text BENCHMARK_DIR [--json OUT] [--worst N] [--old]"),
        }
    }
    let dir =
        dir.context("usage: eval_full_text BENCHMARK_DIR [--json OUT] [--worst N] [--old]")?;
    let truth_path = dir.join("ground-truth.json");
    let truth: Map<String, Value> = serde_json::from_slice(
        &std::fs::read(&truth_path).with_context(|| format!("reading {}", truth_path.display()))?,
    )
    .with_context(|| format!("parsing {}", truth_path.display()))?;

    let mut scores = Vec::new();
    let mut output = Map::new();
    let mut spent = Duration::ZERO;
    let mut ids: Vec<&String> = truth.keys().collect();
    ids.sort();
    for id in ids {
        let entry = &truth[id];
        let html = read_page(&dir, id)?;
        let url = entry["url"]
            .as_str()
            .and_then(|u| Url::parse(u).ok())
            .with_context(|| format!("{id}: no url in the ground truth"))?;
        let start = Instant::now();
        let body = if old {
            previous_body(&html, None, &url)
        } else {
            article_body(&html, None, &url)
        };
        spent += start.elapsed();
        let text = body.map(|b| b.text).unwrap_or_default();
        let expected = entry["articleBody"].as_str().unwrap_or_default();
        scores.push((
            id.clone(),
            shingle_match(expected, &text),
            tokens(expected) == tokens(&text),
        ));
        output.insert(id.clone(), json!({ "articleBody": text }));
    }

    let counts: Vec<[f64; 3]> = scores.iter().map(|(_, c, _)| *c).collect();
    let (precision, recall, f1) = metrics(&counts);
    let accuracy =
        scores.iter().filter(|(_, _, exact)| *exact).count() as f64 / scores.len() as f64;
    println!(
        "pages {}  precision {precision:.4}  recall {recall:.4}  F1 {f1:.4}  accuracy {accuracy:.3}  \
         mean time per page {:.2} ms",
        scores.len(),
        spent.as_secs_f64() * 1000.0 / scores.len().max(1) as f64
    );
    if worst > 0 {
        let mut by_f1: Vec<_> = scores
            .iter()
            .map(|(id, [tp, fp, fn_], _)| {
                let p = if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 };
                let r = if tp + fn_ > 0.0 { tp / (tp + fn_) } else { 0.0 };
                (
                    if p + r > 0.0 {
                        2.0 * p * r / (p + r)
                    } else {
                        0.0
                    },
                    p,
                    r,
                    id,
                )
            })
            .collect();
        by_f1.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (f, p, r, id) in by_f1.into_iter().take(worst) {
            let url = truth[id.as_str()]["url"].as_str().unwrap_or_default();
            println!("{f:.3}  P {p:.3}  R {r:.3}  {id}  {url}");
        }
    }
    if let Some(path) = json_out {
        let version = format!("coopnews {}", env!("CARGO_PKG_VERSION"));
        let doc = json!({ "version": version, "output": output });
        std::fs::write(&path, serde_json::to_string_pretty(&doc)?)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// `html/ID.html.gz` (as published) or `html/ID.html`, as bytes: the extractor decodes them.
fn read_page(dir: &Path, id: &str) -> Result<Vec<u8>> {
    let gz = dir.join("html").join(format!("{id}.html.gz"));
    let mut bytes = Vec::new();
    if gz.exists() {
        let file = std::fs::File::open(&gz)?;
        flate2::read::GzDecoder::new(file)
            .read_to_end(&mut bytes)
            .with_context(|| format!("reading {}", gz.display()))?;
    } else {
        let plain = dir.join("html").join(format!("{id}.html"));
        bytes = std::fs::read(&plain).with_context(|| format!("reading {}", plain.display()))?;
    }
    Ok(bytes)
}

/// Python's `re.findall(r'\w+', text)`: runs of characters that are `str.isalnum()` or `_`.
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (at, c) in text.char_indices() {
        match (is_word(c), start) {
            (true, None) => start = Some(at),
            (false, Some(s)) => {
                out.push(&text[s..at]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

/// Rust's alphabetic also counts some combining marks that Python's `isalnum` does not; the
/// benchmark's texts hold a few Arabic vowel signs among them.
fn is_word(c: char) -> bool {
    let combining_mark = matches!(c, '\u{0300}'..='\u{036F}' | '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}');
    (c.is_alphanumeric() || c == '_') && !combining_mark
}

/// `string_shingle_matching`: shingles of four tokens (one shorter shingle for a shorter
/// text), matched by count; true positives, false positives, false negatives normalised.
fn shingle_match(expected: &str, predicted: &str) -> [f64; 3] {
    let (truth, pred) = (shingles(expected), shingles(predicted));
    let (mut tp, mut fp, mut fn_) = (0.0, 0.0, 0.0);
    for key in truth
        .keys()
        .chain(pred.keys().filter(|k| !truth.contains_key(*k)))
    {
        let t = truth.get(key).copied().unwrap_or(0) as f64;
        let p = pred.get(key).copied().unwrap_or(0) as f64;
        tp += t.min(p);
        fp += (p - t).max(0.0);
        fn_ += (t - p).max(0.0);
    }
    let sum = tp + fp + fn_;
    if sum > 0.0 {
        [tp / sum, fp / sum, fn_ / sum]
    } else {
        [tp, fp, fn_]
    }
}

fn shingles(text: &str) -> HashMap<Vec<&str>, usize> {
    let tokens = tokens(text);
    let mut counts = HashMap::new();
    if tokens.len() < 4 {
        if !tokens.is_empty() {
            counts.insert(tokens, 1);
        }
        return counts;
    }
    for window in tokens.windows(4) {
        *counts.entry(window.to_vec()).or_insert(0) += 1;
    }
    counts
}

/// `metrics_from_tp_fp_fns`: the mean precision over pages that predicted something, the
/// mean recall over pages with a true text, F1 from the two means.
fn metrics(counts: &[[f64; 3]]) -> (f64, f64, f64) {
    let mean = |values: Vec<f64>| values.iter().sum::<f64>() / values.len().max(1) as f64;
    let precision = mean(
        counts
            .iter()
            .filter(|[tp, fp, _]| tp + fp > 0.0)
            .map(|[tp, fp, fn_]| score(*tp, *fp, *fn_, *fp))
            .collect(),
    );
    let recall = mean(
        counts
            .iter()
            .filter(|[tp, _, fn_]| tp + fn_ > 0.0)
            .map(|[tp, fp, fn_]| score(*tp, *fp, *fn_, *fn_))
            .collect(),
    );
    (
        precision,
        recall,
        2.0 * precision * recall / (precision + recall),
    )
}

/// `precision_score` with `miss = fp`, `recall_score` with `miss = fn`.
fn score(tp: f64, fp: f64, fn_: f64, miss: f64) -> f64 {
    if fp == 0.0 && fn_ == 0.0 {
        1.0
    } else if tp == 0.0 && miss == 0.0 {
        0.0
    } else {
        tp / (tp + miss)
    }
}
