//! Dates as news listings write them: ISO 8601, RFC 2822, Unix timestamps, day-month-year
//! with month names in English, Italian, French and Spanish, or numbers read day first
//! (these sites are European); relative words ("2 days ago", "ieri") against a given fetch
//! time; a date in an item's address as the last resort. Pure; no clock.

mod names;
mod numeric;
mod relative;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};

/// The date in `text`, in UTC; a date without a time is midnight UTC. None when nothing
/// in it reads as a date (the store then uses first-seen time).
pub fn parse(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if !may_hold_date(text) {
        return None;
    }
    if let Some(date) = unix_timestamp(text) {
        return Some(date);
    }
    if let Ok(date) = DateTime::parse_from_rfc3339(text) {
        return Some(date.with_timezone(&Utc));
    }
    if let Ok(date) = DateTime::parse_from_rfc2822(text) {
        return Some(date.with_timezone(&Utc));
    }
    // Several forms may appear ("16 March 2017, updated 2018-01-02"): the first one wins.
    [
        numeric::iso(text),
        names::named_month(text),
        numeric::numeric(text),
    ]
    .into_iter()
    .flatten()
    .min_by_key(|(at, _)| *at)
    .map(|(_, date)| date)
}

/// Every form [`parse`] reads has four digits in a row (a year, a timestamp) or, for
/// RFC 2822's two-digit years, a digit and a time's colon: most texts on a page, titles with
/// a number in them included, have neither, and are passed over without the full parse.
fn may_hold_date(text: &str) -> bool {
    let (mut run, mut digit, mut colon) = (0, false, false);
    for b in text.bytes() {
        if b.is_ascii_digit() {
            run += 1;
            if run == 4 {
                return true;
            }
            digit = true;
        } else {
            run = 0;
            colon |= b == b':';
        }
    }
    digit && colon
}

/// [`parse`], and with the fetch time known, relative dates too ("3 hours ago", "ieri",
/// "il y a 3 jours", "hace 2 días").
pub fn parse_at(text: &str, now: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    parse(text).or_else(|| now.and_then(|now| relative::parse(text, now)))
}

/// Seconds (10 digits) or milliseconds (13 digits) since 1970, as `datetime="1785499200"`;
/// only between 1995 and 2100, so a bare number of another kind is not taken for a date.
fn unix_timestamp(text: &str) -> Option<DateTime<Utc>> {
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value: i64 = text.parse().ok()?;
    let seconds = match text.len() {
        9 | 10 => value,
        12 | 13 => value / 1000,
        _ => return None,
    };
    let date = Utc.timestamp_opt(seconds, 0).single()?;
    (795_000_000..4_102_444_800)
        .contains(&seconds)
        .then_some(date)
}

/// Lower case without accents (`février` → `fevrier`, `días` → `dias`, `ç` → `c`,
/// `ñ` → `n`), apostrophes as spaces (`l'altro`, `aujourd'hui`): how month names and
/// relative words are compared.
fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'â' | 'ä' | 'á' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' | 'ì' => 'i',
            'ô' | 'ö' | 'ó' | 'ò' => 'o',
            'û' | 'ü' | 'ú' | 'ù' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            '\'' | '’' => ' ',
            c => c,
        })
        .collect()
}

/// A date in an address: `/2024/07/10/`, `/2024/07/` (the first of the month) or a segment
/// starting `2024-07-10`.
pub fn from_url(url: &str) -> Option<DateTime<Utc>> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let path = path.split_once("://").map_or(path, |(_, rest)| rest);
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let number = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    for (i, segment) in segments.iter().enumerate() {
        if let Some(year) = number(segment, 4)
            && let Some(month) = segments
                .get(i + 1)
                .and_then(|m| number(m, 2).or_else(|| number(m, 1)))
        {
            let day = segments
                .get(i + 2)
                .and_then(|d| number(d, 2).or_else(|| number(d, 1)))
                .unwrap_or(1);
            if let Some(date) = NaiveDate::from_ymd_opt(year as i32, month, day)
                .filter(|_| (1995..2100).contains(&year))
            {
                return Some(date.and_time(NaiveTime::MIN).and_utc());
            }
        }
        if segment.len() >= 10
            && let Some((_, date)) = numeric::iso(&segment[..10])
        {
            return Some(date);
        }
    }
    None
}

#[cfg(test)]
mod tests;
