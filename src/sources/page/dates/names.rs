//! Dates with month names in English, Italian, French and Spanish.

use chrono::{DateTime, NaiveDate, Utc};

use super::fold;
use super::numeric::time_after;

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
    if digits == 0 {
        return Token::Word(word);
    }
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
pub(super) fn named_month(text: &str) -> Option<(usize, DateTime<Utc>)> {
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

/// A month's number from its name or abbreviation in English, Italian, French or Spanish,
/// any case, accents optional (`février`, `fevrier`, `févr.`).
fn month_number(word: &str) -> Option<u32> {
    // The longest name has 10 letters; folding keeps or adds letters, never drops them.
    if word.chars().nth(10).is_some() {
        return None;
    }
    let folded = fold(word);
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
