//! Dates as news listings write them: ISO 8601, RFC 2822, and day-month-year with month
//! names in English, Italian, French and Spanish, or numbers read day first (these sites
//! are European). Surrounding words are tolerated. Pure; no clock.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

/// The date in `text`, in UTC; a date without a time is midnight UTC. None when nothing
/// in it reads as a date (the store then uses first-seen time).
pub fn parse(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Ok(date) = DateTime::parse_from_rfc3339(text) {
        return Some(date.with_timezone(&Utc));
    }
    if let Ok(date) = DateTime::parse_from_rfc2822(text) {
        return Some(date.with_timezone(&Utc));
    }
    // Several forms may appear ("16 March 2017, updated 2018-01-02"): the first one wins.
    [iso(text), named_month(text), numeric(text)]
        .into_iter()
        .flatten()
        .min_by_key(|(at, _)| *at)
        .map(|(_, date)| date)
}

/// `2020-12-17`, `2020-12-17T10:00:00+01:00`, `2020-12-17 10:00` anywhere in the text.
fn iso(text: &str) -> Option<(usize, DateTime<Utc>)> {
    let bytes = text.as_bytes();
    let at = (0..bytes.len()).find(|&i| {
        let digits = |r: std::ops::Range<usize>| {
            bytes
                .get(r)
                .is_some_and(|s| s.iter().all(u8::is_ascii_digit))
        };
        (i == 0 || !bytes[i - 1].is_ascii_digit())
            && digits(i..i + 4)
            && bytes.get(i + 4) == Some(&b'-')
            && digits(i + 5..i + 7)
            && bytes.get(i + 7) == Some(&b'-')
            && digits(i + 8..i + 10)
    })?;
    let rest = &text[at..];
    let token = rest.split_whitespace().next().unwrap_or(rest);
    if let Ok(date) = DateTime::parse_from_rfc3339(token) {
        return Some((at, date.with_timezone(&Utc)));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%z"] {
        if let Ok((date, _)) = DateTime::parse_and_remainder(rest, format) {
            return Some((at, date.with_timezone(&Utc)));
        }
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok((date, _)) = NaiveDateTime::parse_and_remainder(rest, format) {
            return Some((at, date.and_utc()));
        }
    }
    let (date, _) = NaiveDate::parse_and_remainder(rest, "%Y-%m-%d").ok()?;
    Some((at, date.and_time(NaiveTime::MIN).and_utc()))
}

/// `16/03/2017`, `16.03.2017`, `16-03-2017` (day first), or `2017/03/16`.
fn numeric(text: &str) -> Option<(usize, DateTime<Utc>)> {
    let bytes = text.as_bytes();
    let number = |from: usize| -> (usize, u32) {
        let len = bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let value = text[from..from + len].parse().unwrap_or(0);
        (len, value)
    };
    for start in 0..bytes.len() {
        if !bytes[start].is_ascii_digit() || (start > 0 && bytes[start - 1].is_ascii_digit()) {
            continue;
        }
        let (len1, first) = number(start);
        let sep = match bytes.get(start + len1) {
            Some(&b) if matches!(b, b'/' | b'.' | b'-') => b,
            _ => continue,
        };
        let second_at = start + len1 + 1;
        let (len2, second) = number(second_at);
        if len2 == 0 || len2 > 2 || bytes.get(second_at + len2) != Some(&sep) {
            continue;
        }
        let third_at = second_at + len2 + 1;
        let (len3, third) = number(third_at);
        let date = match (len1, len3) {
            (1 | 2, 4) => NaiveDate::from_ymd_opt(third as i32, second, first),
            (4, 1 | 2) => NaiveDate::from_ymd_opt(first as i32, second, third),
            _ => None,
        };
        if let Some(date) = date {
            let time = time_after(&text[third_at + len3..]);
            return Some((start, date.and_time(time).and_utc()));
        }
    }
    None
}

/// A word or a number of the text, with where it ends.
#[derive(Debug)]
enum Token<'a> {
    /// Digits, perhaps with an ordinal suffix (`1er`, `16th`, `1º`); `digits` counts them.
    Number {
        value: u32,
        digits: usize,
        end: usize,
    },
    Word(&'a str),
}

fn tokens(text: &str) -> Vec<(usize, Token<'_>)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        let part = c.is_alphanumeric() || c == 'º' || c == '°';
        match (start, part) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                out.push((s, token(&text[s..i], i)));
                start = None;
            }
            _ => {}
        }
    }
    out
}

fn token(word: &str, end: usize) -> Token<'_> {
    let digits = word.chars().take_while(char::is_ascii_digit).count();
    let suffix = &word[digits..];
    let ordinal = matches!(
        suffix.to_lowercase().as_str(),
        "" | "st" | "nd" | "rd" | "th" | "er" | "re" | "o" | "º" | "°" | "ª"
    );
    match word[..digits].parse() {
        Ok(value) if ordinal => Token::Number { value, digits, end },
        _ => Token::Word(word),
    }
}

/// `16 Mar 2017`, `17 Dicembre 2020`, `1er mars 2021`, `5 de marzo de 2021`, `March 16, 2017`.
fn named_month(text: &str) -> Option<(usize, DateTime<Utc>)> {
    let tokens = tokens(text);
    let number = |i: usize| match tokens.get(i) {
        Some((_, Token::Number { value, digits, end })) => Some((*value, *digits, *end)),
        _ => None,
    };
    let is_word = |i: usize, words: &[&str]| matches!(tokens.get(i), Some((_, Token::Word(w))) if words.contains(&w.to_lowercase().as_str()));
    let year_from = |i: usize| {
        let i = if is_word(i, &["de", "del", "of"]) {
            i + 1
        } else {
            i
        };
        number(i).filter(|(_, digits, _)| *digits == 4)
    };
    for (i, (_, token)) in tokens.iter().enumerate() {
        let Token::Word(word) = token else { continue };
        let Some(month) = month_number(word) else {
            continue;
        };
        // Day before the month: `16 March 2017`, `5 de marzo de 2021`.
        let day_before = match i.checked_sub(1) {
            Some(j) if is_word(j, &["de"]) => j.checked_sub(1).map(|k| (k, number(k))),
            Some(j) => Some((j, number(j))),
            None => None,
        };
        if let Some((k, Some((day, 1..=2, _)))) = day_before
            && let Some((year, _, end)) = year_from(i + 1)
            && let Some(date) = NaiveDate::from_ymd_opt(year as i32, month, day)
        {
            let time = time_after(&text[end..]);
            return Some((tokens[k].0, date.and_time(time).and_utc()));
        }
        // Month first: `March 16, 2017`.
        if let (Some((day, 1..=2, _)), Some((year, 4, end))) = (number(i + 1), number(i + 2))
            && let Some(date) = NaiveDate::from_ymd_opt(year as i32, month, day)
        {
            let time = time_after(&text[end..]);
            return Some((tokens[i].0, date.and_time(time).and_utc()));
        }
    }
    None
}

/// A time right after a date (`, 10:30`, ` at 9:05`, ` - 14:00:12`), else midnight.
fn time_after(rest: &str) -> NaiveTime {
    let rest = rest.trim_start_matches([' ', ',', '-', '|', '\u{a0}']);
    let rest = rest
        .strip_prefix("at ")
        .or_else(|| rest.strip_prefix("alle "))
        .or_else(|| rest.strip_prefix("ore "))
        .or_else(|| rest.strip_prefix("à "))
        .or_else(|| rest.strip_prefix("a las "))
        .unwrap_or(rest)
        .trim_start();
    ["%H:%M:%S", "%H:%M", "%Hh%M"]
        .iter()
        .find_map(|f| NaiveTime::parse_and_remainder(rest, f).ok())
        .map_or(NaiveTime::MIN, |(time, _)| time)
}

/// A month's number from its name or abbreviation in English, Italian, French or Spanish,
/// any case, accents optional (`février`, `fevrier`, `févr.`).
fn month_number(word: &str) -> Option<u32> {
    let folded: String = word
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'â' | 'ä' | 'á' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' | 'ì' => 'i',
            'ô' | 'ö' | 'ó' | 'ò' => 'o',
            'û' | 'ü' | 'ú' | 'ù' => 'u',
            'ç' => 'c',
            c => c,
        })
        .collect();
    const MONTHS: [&[&str]; 12] = [
        &[
            "january", "jan", "gennaio", "gen", "janvier", "janv", "enero", "ene",
        ],
        &[
            "february", "feb", "febbraio", "fevrier", "fevr", "fev", "febrero",
        ],
        &["march", "mar", "marzo", "mars"],
        &["april", "apr", "aprile", "avril", "avr", "abril", "abr"],
        &["may", "maggio", "mag", "mai", "mayo"],
        &["june", "jun", "giugno", "giu", "juin", "junio"],
        &["july", "jul", "luglio", "lug", "juillet", "juil", "julio"],
        &["august", "aug", "agosto", "ago", "aout"],
        &[
            "september",
            "sep",
            "sept",
            "settembre",
            "set",
            "septembre",
            "septiembre",
            "setiembre",
        ],
        &["october", "oct", "ottobre", "ott", "octobre", "octubre"],
        &["november", "nov", "novembre", "noviembre"],
        &[
            "december",
            "dec",
            "dicembre",
            "dic",
            "decembre",
            "diciembre",
        ],
    ];
    MONTHS
        .iter()
        .position(|names| names.contains(&folded.as_str()))
        .map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Option<String> {
        parse(text).map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
    }

    #[test]
    fn iso_forms() {
        assert_eq!(at("2020-12-17").as_deref(), Some("2020-12-17T00:00:00Z"));
        assert_eq!(
            at("2020-12-17T10:00:00Z").as_deref(),
            Some("2020-12-17T10:00:00Z")
        );
        assert_eq!(
            at("2020-12-17T10:00:00+01:00").as_deref(),
            Some("2020-12-17T09:00:00Z")
        );
        assert_eq!(
            at("2020-12-17T10:00:00.123+0100").as_deref(),
            Some("2020-12-17T09:00:00Z")
        );
        assert_eq!(
            at("2020-12-17 10:00").as_deref(),
            Some("2020-12-17T10:00:00Z")
        );
        assert_eq!(
            at("2020-12-17T10:00Z").as_deref(),
            Some("2020-12-17T10:00:00Z")
        );
        assert_eq!(
            at("Updated 2020-12-17T10:00:00Z by staff").as_deref(),
            Some("2020-12-17T10:00:00Z")
        );
    }

    #[test]
    fn rfc_2822() {
        assert_eq!(
            at("Thu, 16 Mar 2017 10:00:00 +0100").as_deref(),
            Some("2017-03-16T09:00:00Z")
        );
    }

    #[test]
    fn english_names() {
        for text in [
            "16 Mar 2017",
            "16 March 2017",
            "March 16, 2017",
            "Mar. 16 2017",
            "16th March 2017",
        ] {
            assert_eq!(at(text).as_deref(), Some("2017-03-16T00:00:00Z"), "{text}");
        }
        assert_eq!(
            at("16 March 2017, 10:30").as_deref(),
            Some("2017-03-16T10:30:00Z")
        );
    }

    #[test]
    fn italian_french_spanish_names() {
        assert_eq!(
            at("17 Dicembre 2020").as_deref(),
            Some("2020-12-17T00:00:00Z")
        );
        assert_eq!(
            at("17 dicembre 2020").as_deref(),
            Some("2020-12-17T00:00:00Z")
        );
        assert_eq!(at("3 set 2021").as_deref(), Some("2021-09-03T00:00:00Z"));
        assert_eq!(at("1er mars 2021").as_deref(), Some("2021-03-01T00:00:00Z"));
        assert_eq!(
            at("12 février 2021").as_deref(),
            Some("2021-02-12T00:00:00Z")
        );
        assert_eq!(
            at("12 fevrier 2021").as_deref(),
            Some("2021-02-12T00:00:00Z")
        );
        assert_eq!(at("15 août 2021").as_deref(), Some("2021-08-15T00:00:00Z"));
        assert_eq!(at("15 aout 2021").as_deref(), Some("2021-08-15T00:00:00Z"));
        assert_eq!(
            at("5 de marzo de 2021").as_deref(),
            Some("2021-03-05T00:00:00Z")
        );
        assert_eq!(
            at("Lunedì 17 Dicembre 2020 alle 10:15").as_deref(),
            Some("2020-12-17T10:15:00Z")
        );
    }

    #[test]
    fn numeric_day_first() {
        assert_eq!(at("16/03/2017").as_deref(), Some("2017-03-16T00:00:00Z"));
        assert_eq!(at("16.03.2017").as_deref(), Some("2017-03-16T00:00:00Z"));
        assert_eq!(at("1/3/2017").as_deref(), Some("2017-03-01T00:00:00Z"));
        assert_eq!(at("2017/03/16").as_deref(), Some("2017-03-16T00:00:00Z"));
        assert_eq!(
            at("Pubblicato il 16.03.2017 - 09:45").as_deref(),
            Some("2017-03-16T09:45:00Z")
        );
    }

    #[test]
    fn surrounding_text_and_first_date_wins() {
        assert_eq!(
            at("Published: 16 March 2017 | Press release").as_deref(),
            Some("2017-03-16T00:00:00Z")
        );
        assert_eq!(
            at("16 March 2017 (updated 2018-01-02)").as_deref(),
            Some("2017-03-16T00:00:00Z")
        );
    }

    #[test]
    fn unreadable_is_none() {
        for text in [
            "",
            "yesterday",
            "Press release",
            "32 March 2017",
            "31/02/2017",
            "March 2017",
            "12345678",
        ] {
            assert_eq!(at(text), None, "{text}");
        }
    }
}
