//! Dates written with digits: ISO 8601 anywhere in the text, and day-first numbers.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

/// `2020-12-17`, `2020-12-17T10:00:00+01:00`, `2020-12-17 10:00` anywhere in the text.
pub(super) fn iso(text: &str) -> Option<(usize, DateTime<Utc>)> {
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
pub(super) fn numeric(text: &str) -> Option<(usize, DateTime<Utc>)> {
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

/// A time right after a date (`, 10:30`, ` at 9:05`, ` - 14:00:12`), else midnight.
pub(super) fn time_after(rest: &str) -> NaiveTime {
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
