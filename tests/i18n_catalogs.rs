//! The catalogues in `locales/`: every language has exactly English's keys, each parses,
//! each keeps the placeholders of the English text, plurals have both forms, and the
//! English help of every key binding is the one the keymap carries.

use std::collections::BTreeSet;

use coopnews::app::Keymap;
use coopnews::i18n::{self, Lang};

/// `{name}` placeholders of a text.
fn placeholders(text: &str) -> BTreeSet<String> {
    text.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
        .collect()
}

#[test]
fn every_catalogue_parses() {
    for lang in Lang::ALL {
        let parsed = i18n::parse(i18n::source(lang));
        assert!(parsed.is_ok(), "locales/{}.toml: {parsed:?}", lang.code());
    }
}

#[test]
fn every_language_has_exactly_the_english_keys() {
    let english = i18n::keys(Lang::En);
    assert!(english.len() > 100, "{}", english.len());
    let mut problems = Vec::new();
    for lang in [Lang::It, Lang::Fr, Lang::Es] {
        let keys = i18n::keys(lang);
        let missing: Vec<_> = english.difference(&keys).collect();
        let extra: Vec<_> = keys.difference(&english).collect();
        if !missing.is_empty() {
            problems.push(format!("locales/{}.toml lacks {missing:?}", lang.code()));
        }
        if !extra.is_empty() {
            problems.push(format!(
                "locales/{}.toml has keys English lacks: {extra:?}",
                lang.code()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn translations_keep_the_english_placeholders() {
    let mut problems = Vec::new();
    for key in i18n::keys(Lang::En) {
        let english = placeholders(Lang::En.t(&key));
        for lang in [Lang::It, Lang::Fr, Lang::Es] {
            let theirs = placeholders(lang.t(&key));
            if theirs != english {
                problems.push(format!("{}: {key}: {theirs:?} ≠ {english:?}", lang.code()));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn plurals_have_both_forms() {
    for lang in Lang::ALL {
        let keys = i18n::keys(lang);
        for key in &keys {
            let (stem, form) = key.rsplit_once('.').unwrap_or(("", key));
            let other = match form {
                "one" => "other",
                "other" => "one",
                _ => continue,
            };
            assert!(
                keys.contains(&format!("{stem}.{other}")),
                "{}: {key}",
                lang.code()
            );
        }
    }
}

#[test]
fn the_help_of_each_binding_is_the_english_catalogue() {
    let keymap = Keymap::default();
    for (name, help) in Keymap::command_help() {
        assert_eq!(Lang::En.t(&format!("keys.{name}")), help, "keys.{name}");
    }
    for ((group, commands), (heading, _)) in
        keymap.help_by_name().iter().zip(keymap.help_by_group())
    {
        assert_eq!(Lang::En.t(&format!("group.{group}")), heading);
        for lang in Lang::ALL {
            for (_, name) in commands {
                assert!(i18n::keys(lang).contains(&format!("keys.{name}")), "{name}");
            }
        }
    }
}

/// Every catalogue key the code names (a string literal such as `"msg.copied"`, or the stem
/// of a plural) is in the English catalogue: a typo would otherwise show the key itself.
#[test]
fn every_key_the_code_asks_for_exists() {
    const SECTIONS: [&str; 8] = [
        "ui.", "status.", "overlay.", "msg.", "cli.", "picker.", "date.", "group.",
    ];
    let english = i18n::keys(Lang::En);
    let mut files = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")];
    let mut unknown = Vec::new();
    let mut asked = 0;
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        for literal in source.split('"').skip(1).step_by(2) {
            let is_key = SECTIONS.iter().any(|s| literal.starts_with(s))
                && literal
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.');
            if !is_key {
                continue;
            }
            asked += 1;
            let plural = [".one", ".other"].map(|form| format!("{literal}{form}"));
            if !english.contains(literal) && !plural.iter().all(|k| english.contains(k)) {
                unknown.push(format!("{}: {literal}", path.display()));
            }
        }
    }
    assert!(asked > 80, "{asked}");
    assert!(
        unknown.is_empty(),
        "keys missing from locales/en.toml: {unknown:?}"
    );
}
