//! The folding against FTS5's own: every word of a text, searched as a prefix, finds the
//! same texts in both.

use std::collections::BTreeSet;
use std::path::PathBuf;

use rusqlite::Connection;

use super::{Matcher, fold_str};

const SAMPLES: &[&str] = &[
    "Cooperativa sociale: l'assemblea approva il bilancio più già così",
    "Les coopératives d'activité et d'emploi (CAE) à l'ŒUVRE, ça va",
    "Año de las cooperativas: España, niño, pingüino, acción",
    "Straße GROSS Übermaß Ärger Ölförderung",
    "İstanbul ışık Çağrı şirket ĞÜŞ",
    "Ελληνικά συνεταιρισμός Άρθρο ΆΡΘΡΟ",
    "Tiếng Việt hợp tác xã Ệ",
    "협동조합 뉴스 한국어",
    "协作社新闻 日本語のニュース",
    "emoji 🚀 👩‍🌾 🇫🇷 mixed",
    "decomposed cafe\u{301} re\u{301}sume\u{301} n\u{303}",
    "digits 2026 3.5% 1er ½ ² ① 四",
    "snake_case dash-word apostrophe’s l’économie « guillemets »",
    "Łódź Dvořák Øresund Þór Æsir œuvre ĳ ﬁ",
    "Кооператив Москва ЁЛКА",
    "תנועה קואופרטיבית العربية التعاونية",
    "hindi सहकारी संस्था",
    "FULLWIDTH ＡＢＣ１２",
];

fn fts(texts: &[String]) -> Connection {
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(
        "CREATE VIRTUAL TABLE t USING fts5 (text,
             tokenize = 'unicode61 remove_diacritics 2');",
    )
    .unwrap();
    let mut insert = conn
        .prepare("INSERT INTO t (rowid, text) VALUES (?, ?)")
        .unwrap();
    for (i, text) in texts.iter().enumerate() {
        insert.execute((i as i64, text)).unwrap();
    }
    drop(insert);
    conn
}

/// The texts each word of them finds as a prefix, FTS5's answer against ours; returns the
/// words where they differ. Words with a letter outside ASCII are all asked, the others
/// one in `step`.
fn disagreements(texts: &[String], step: usize) -> Vec<String> {
    let conn = fts(texts);
    let folded: Vec<String> = texts.iter().map(|t| fold_str(t)).collect();
    let words: BTreeSet<&str> = folded.iter().flat_map(|f| f.split_whitespace()).collect();
    let mut differ = Vec::new();
    let mut query = conn
        .prepare("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid")
        .unwrap();
    let asked = words
        .into_iter()
        .enumerate()
        .filter(|(i, w)| !w.is_ascii() || i % step == 0);
    for (_, word) in asked {
        let theirs: Vec<i64> = query
            .query_map([format!("\"{word}\"*")], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let needle = format!(" {word}");
        let ours: Vec<i64> = (0..texts.len())
            .filter(|&i| folded[i].contains(&needle))
            .map(|i| i as i64)
            .collect();
        if theirs != ours {
            let only_theirs: Vec<&i64> = theirs.iter().filter(|i| !ours.contains(i)).collect();
            let only_ours: Vec<&i64> = ours.iter().filter(|i| !theirs.contains(i)).collect();
            differ.push(format!(
                "{word:?}: only fts5 finds {only_theirs:?}, only ours {only_ours:?}"
            ));
        }
    }
    differ
}

#[test]
fn words_fold_as_the_index_folds_them() {
    let texts: Vec<String> = SAMPLES.iter().map(|s| s.to_string()).collect();
    let differ = disagreements(&texts, 1);
    assert!(differ.is_empty(), "{differ:#?}");
}

#[test]
fn words_run_on_across_ascii_and_other_characters() {
    // ASCII is folded in runs, everything else a character at a time: a word or a
    // separator goes on from one to the other.
    for (text, folded) in [
        ("", " "),
        ("é", " e "),
        ("Città-Roma", " citta roma "),
        ("  l'«École»  ", " l ecole "),
        ("ab€cd", " ab cd "),
        ("naïve CAFÉ.", " naive cafe "),
        ("x\u{301}y 12½", " xy 12½ "),
    ] {
        assert_eq!(fold_str(text), folded, "{text:?}");
    }
}

#[test]
fn accents_and_case_are_ignored_and_words_are_prefixes() {
    let mut m = Matcher::default();
    m.word("Cooperativ");
    m.word("piu");
    m.load("", "La COOPERATIVA è più forte");
    assert!(m.matches());
    let mut m = Matcher::default();
    m.word("operativa");
    m.load("", "La cooperativa");
    assert!(!m.matches(), "a prefix starts a word");
}

#[test]
fn phrases_are_whole_words_in_order_within_one_field() {
    let mut m = Matcher::default();
    m.phrase(&["lavoro".into(), "dignitoso".into()]);
    m.load("", "Un lavoro, dignitoso.");
    assert!(m.matches());
    m.load("", "dignitoso lavoro");
    assert!(!m.matches());
    m.load("lavoro", "dignitoso");
    assert!(!m.matches(), "a phrase does not span title and text");
    m.load("", "un lavoro dignitosissimo");
    assert!(!m.matches(), "a phrase's words are whole");
}

#[test]
fn title_words_and_exclusions() {
    let mut m = Matcher::default();
    m.title_word("assemblea");
    m.without("banca");
    m.load("Assemblea generale", "niente");
    assert!(m.matches());
    m.load("Assemblea generale", "la Banca etica");
    assert!(!m.matches());
    m.load("Assemblea generale", "le bancarie");
    assert!(m.matches(), "an excluded word is whole, not a prefix");
    m.load("Generale", "assemblea");
    assert!(!m.matches());
}

/// `../shared/corpus` (or `$COOPNEWS_CORPUS`), as the other corpus tests find it.
fn corpus() -> Option<PathBuf> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    std::env::var_os("COOPNEWS_CORPUS")
        .map(PathBuf::from)
        .into_iter()
        .chain([manifest.join("../shared/corpus")])
        .find(|p| p.join("feeds").is_dir())
}

/// Real feeds in many languages, cut into texts of a few hundred bytes.
#[test]
fn corpus_words_fold_as_the_index_folds_them() {
    let Some(root) = corpus() else {
        eprintln!("skipped: no ../shared/corpus beside the project");
        return;
    };
    let mut texts = Vec::new();
    let mut files = Vec::new();
    let mut dirs = vec![root.join("feeds")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    for path in files {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let mut rest: &str = &text;
        while !rest.is_empty() && texts.len() < 2_000 {
            let mut cut = rest.len().min(400);
            while !rest.is_char_boundary(cut) {
                cut += 1;
            }
            // Mis-decoded bytes are not text anyone searches.
            if !rest[..cut].contains('\u{fffd}') {
                texts.push(rest[..cut].to_string());
            }
            rest = &rest[cut..];
            // A sample from each part of the file, not the whole of a big one.
            let skip = rest.len().min(4_000);
            let mut skip_to = skip;
            while !rest.is_char_boundary(skip_to) {
                skip_to += 1;
            }
            rest = &rest[skip_to..];
        }
    }
    let differ = disagreements(&texts, 25);
    eprintln!(
        "{} texts from the corpus, {} words that fold differently: {differ:#?}",
        texts.len(),
        differ.len()
    );
    // FTS5's character tables are of an older Unicode than Rust's: letters added or
    // changed since (in the corpus's Cyrillic, Greek and CJK samples) may differ. Latin
    // text, where accents matter, must not.
    let latin = |c: char| c.is_ascii() || ('\u{a0}'..='\u{24f}').contains(&c);
    let latin_words: Vec<&String> = differ
        .iter()
        .filter(|d| d.split(':').next().unwrap_or_default().chars().all(latin))
        .collect();
    assert!(latin_words.is_empty(), "{latin_words:#?}");
    assert!(differ.len() <= 10, "{differ:#?}");
}
