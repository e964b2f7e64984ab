//! The words a person reads, in English, Italian, French or Spanish: one catalogue per
//! language kept as data in `locales/*.toml` and embedded in the binary. The language is
//! chosen once at start (`Lang::resolve`) and handed down as a value; nothing here holds a
//! "current language", so several languages can be drawn in one process.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Display;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate, Weekday};

/// A language the interface speaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    It,
    Fr,
    Es,
}

const SOURCES: [(Lang, &str); 4] = [
    (Lang::En, include_str!("../locales/en.toml")),
    (Lang::It, include_str!("../locales/it.toml")),
    (Lang::Fr, include_str!("../locales/fr.toml")),
    (Lang::Es, include_str!("../locales/es.toml")),
];

impl Lang {
    pub const ALL: [Lang; 4] = [Lang::En, Lang::It, Lang::Fr, Lang::Es];

    /// The ISO 639-1 code: `en`, `it`, `fr`, `es`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::It => "it",
            Lang::Fr => "fr",
            Lang::Es => "es",
        }
    }

    /// A language from a code or a locale name: `it`, `IT`, `it_IT.UTF-8`, `fr-CA`,
    /// `es_ES@euro`; `C` and `POSIX` are English. `None` for any other language.
    pub fn parse(name: &str) -> Option<Lang> {
        let name = name.trim();
        if name == "C" || name == "POSIX" || name.starts_with("C.") {
            return Some(Lang::En);
        }
        let base = name
            .split(['_', '-', '.', '@'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == base)
    }

    /// The language to speak: `configured` (the `language` key) when it names one we know,
    /// else the environment as gettext reads it, else English. `var` reads a variable.
    ///
    /// The locale is the first non-empty of `LC_ALL`, `LC_MESSAGES`, `LANG`. `LANGUAGE`, a
    /// colon-separated list whose first known entry wins, comes before it unless the
    /// locale is explicitly `C`/`POSIX` (gettext ignores `LANGUAGE` then too).
    pub fn resolve(configured: Option<&str>, var: impl Fn(&str) -> Option<String>) -> Lang {
        if let Some(configured) = configured.filter(|c| !c.trim().is_empty()) {
            return Lang::parse(configured).unwrap_or_default();
        }
        let non_empty = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .find_map(non_empty);
        let c_locale = locale
            .as_deref()
            .is_some_and(|l| matches!(l, "C" | "POSIX") || l.starts_with("C."));
        if !c_locale
            && let Some(list) = non_empty("LANGUAGE")
            && let Some(lang) = list.split(':').find_map(Lang::parse)
        {
            return lang;
        }
        locale.as_deref().and_then(Lang::parse).unwrap_or_default()
    }

    /// The text for `key`; English when this catalogue lacks it, the key itself when
    /// English does too (a bug the catalogue tests catch).
    pub fn t(self, key: &str) -> &'static str {
        lookup(self, key)
            .or_else(|| lookup(Lang::En, key))
            .unwrap_or_else(|| leak_key(key))
    }

    /// The text for `key` with `{name}` placeholders filled from `args`.
    pub fn f(self, key: &str, args: &[(&str, &dyn Display)]) -> String {
        fill(self.t(key), args)
    }

    /// `key.one` or `key.other` for `count` under this language's plural rule, with
    /// `{count}` and `args` filled.
    pub fn n(self, key: &str, count: u64, args: &[(&str, &dyn Display)]) -> String {
        let form = if self.is_one(count) { "one" } else { "other" };
        let text = self.t(&format!("{key}.{form}"));
        let mut all: Vec<(&str, &dyn Display)> = vec![("count", &count)];
        all.extend_from_slice(args);
        fill(text, &all)
    }

    /// CLDR's cardinal "one": n = 1 in English, Italian and Spanish; 0 and 1 in French.
    fn is_one(self, count: u64) -> bool {
        match self {
            Lang::Fr => count <= 1,
            Lang::En | Lang::It | Lang::Es => count == 1,
        }
    }

    /// The abbreviated month name (CLDR "format abbreviated"): `Mar`, `mar`, `mars`, `mar.`.
    pub fn month(self, month: u32) -> &'static str {
        let names = self.t("date.months").split(' ');
        names
            .clone()
            .nth(month.saturating_sub(1) as usize)
            .unwrap_or_default()
    }

    /// The abbreviated weekday name: `Mon`, `lun`, `lun.`, `lun.`.
    pub fn weekday(self, day: Weekday) -> &'static str {
        self.t("date.weekdays")
            .split(' ')
            .nth(day.num_days_from_monday() as usize)
            .unwrap_or_default()
    }

    /// Day and month as this language writes them short: `12 Mar`, `12 mar`, `12 mars`.
    pub fn day_month(self, date: NaiveDate) -> String {
        self.f(
            "date.day_month",
            &[("day", &date.day()), ("month", &self.month(date.month()))],
        )
    }

    /// A number with `places` decimals and this language's decimal separator.
    pub fn decimal(self, value: f64, places: usize) -> String {
        let text = format!("{value:.places$}");
        match self {
            Lang::En => text,
            Lang::It | Lang::Fr | Lang::Es => text.replace('.', ","),
        }
    }
}

fn lookup(lang: Lang, key: &str) -> Option<&'static str> {
    catalog(lang).get(key).map(String::as_str)
}

/// An unknown key, kept for the process so `t` can hand out `&'static str`; only a bug
/// reaches this, and each key leaks once.
fn leak_key(key: &str) -> &'static str {
    static UNKNOWN: OnceLock<std::sync::Mutex<BTreeSet<&'static str>>> = OnceLock::new();
    let mut known = UNKNOWN
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(k) = known.get(key) {
        return k;
    }
    let leaked: &'static str = Box::leak(key.to_string().into_boxed_str());
    known.insert(leaked);
    leaked
}

/// The catalogue of `lang`, parsed once. A catalogue that does not parse is empty (every
/// key then falls back to English); the catalogue tests make sure that never ships.
fn catalog(lang: Lang) -> &'static HashMap<String, String> {
    static CATALOGS: [OnceLock<HashMap<String, String>>; 4] = [
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
    ];
    let index = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
    CATALOGS[index].get_or_init(|| parse(source(lang)).unwrap_or_default())
}

/// The embedded TOML of `lang`'s catalogue.
pub fn source(lang: Lang) -> &'static str {
    SOURCES
        .iter()
        .find(|(l, _)| *l == lang)
        .map_or("", |(_, s)| s)
}

/// A catalogue's keys, dotted (`status.unread.one`), for the completeness tests.
pub fn keys(lang: Lang) -> BTreeSet<String> {
    catalog(lang).keys().cloned().collect()
}

/// Flatten a catalogue's tables into dotted keys; every leaf must be a string.
pub fn parse(text: &str) -> Result<HashMap<String, String>, String> {
    let table: toml::Table = text.parse().map_err(|e| format!("{e}"))?;
    let mut out = HashMap::new();
    flatten("", &table, &mut out)?;
    Ok(out)
}

fn flatten(
    prefix: &str,
    table: &toml::Table,
    out: &mut HashMap<String, String>,
) -> Result<(), String> {
    for (name, value) in table {
        let key = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        match value {
            toml::Value::String(s) => {
                out.insert(key, s.clone());
            }
            toml::Value::Table(t) => flatten(&key, t, out)?,
            _ => return Err(format!("{key}: not a string")),
        }
    }
    Ok(())
}

/// Replace `{name}` by its value; unknown placeholders stay as written.
fn fill(template: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => out.push_str(&value.to_string()),
                    None => out.push_str(&rest[start..start + end + 2]),
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn the_configured_language_wins_then_gettext_order() {
        let e = env(&[("LANG", "fr_FR.UTF-8")]);
        assert_eq!(Lang::resolve(Some("it"), &e), Lang::It);
        assert_eq!(Lang::resolve(Some("de"), &e), Lang::En);
        assert_eq!(Lang::resolve(None, &e), Lang::Fr);
        let e = env(&[("LANGUAGE", "de:es_ES:it"), ("LANG", "fr_FR.UTF-8")]);
        assert_eq!(Lang::resolve(None, &e), Lang::Es);
        let e = env(&[
            ("LC_ALL", "it_IT.UTF-8"),
            ("LC_MESSAGES", "fr_FR"),
            ("LANG", "es"),
        ]);
        assert_eq!(Lang::resolve(None, &e), Lang::It);
        let e = env(&[("LC_MESSAGES", "fr_FR"), ("LANG", "es_ES")]);
        assert_eq!(Lang::resolve(None, &e), Lang::Fr);
        // An explicit C locale is English and silences LANGUAGE, as in gettext.
        let e = env(&[("LANGUAGE", "it"), ("LANG", "C")]);
        assert_eq!(Lang::resolve(None, &e), Lang::En);
        let e = env(&[("LANG", "de_DE.UTF-8")]);
        assert_eq!(Lang::resolve(None, &e), Lang::En);
        assert_eq!(Lang::resolve(None, env(&[])), Lang::En);
    }

    #[test]
    fn plural_forms_follow_each_language() {
        let new = |lang: Lang, n| lang.n("cli.refresh.new_articles", n, &[]);
        assert_eq!(new(Lang::It, 1), "1 nuovo articolo");
        assert_eq!(new(Lang::It, 3), "3 nuovi articoli");
        assert_eq!(new(Lang::En, 1), "1 new article");
        assert_eq!(new(Lang::En, 0), "0 new articles");
        assert_eq!(new(Lang::Fr, 0), "0 nouvel article");
        assert_eq!(new(Lang::Fr, 2), "2 nouveaux articles");
        assert_eq!(new(Lang::Es, 1), "1 artículo nuevo");
        assert_eq!(new(Lang::Es, 5), "5 artículos nuevos");
    }

    #[test]
    fn dates_use_each_languages_abbreviations() {
        let date = NaiveDate::from_ymd_opt(2026, 3, 12).unwrap();
        let shown: Vec<String> = Lang::ALL.iter().map(|l| l.day_month(date)).collect();
        assert_eq!(shown, ["12 Mar", "12 mar", "12 mars", "12 mar."]);
        assert_eq!(Lang::Fr.month(2), "févr.");
        assert_eq!(Lang::It.weekday(Weekday::Thu), "gio");
        assert_eq!(Lang::Es.weekday(Weekday::Wed), "mié.");
        for lang in Lang::ALL {
            assert_eq!(lang.t("date.months").split(' ').count(), 12, "{lang:?}");
            assert_eq!(lang.t("date.weekdays").split(' ').count(), 7, "{lang:?}");
        }
    }

    #[test]
    fn placeholders_are_filled_by_name() {
        assert_eq!(
            fill("{a} and {b}", &[("b", &2), ("a", &"one")]),
            "one and 2"
        );
        assert_eq!(fill("{missing} {", &[]), "{missing} {");
        assert_eq!(Lang::Fr.decimal(1.5, 1), "1,5");
    }
}
