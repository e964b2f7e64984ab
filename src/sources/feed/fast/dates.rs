//! Dates in the two standard forms feeds use, read exactly as feed-rs's lenient parser reads
//! them: for these shapes its regex fixes change nothing but drop the weekday, so chrono sees
//! the same string. Any other shape is None and the document goes to feed-rs.

use chrono::{DateTime, Utc};

/// `2025-06-01T12:00:00Z`, `…T12:00:00.5+02:00`, `2025-06-01` (midnight UTC, as feed-rs
/// completes it), or `Sun, 01 Jun 2025 12:00:00 +0000` (or `GMT`, `UT`, `UTC`, `EST`…).
pub fn parse(raw: &str) -> Option<DateTime<Utc>> {
    let s = raw.trim();
    let date = if is_rfc3339(s.as_bytes()) {
        DateTime::parse_from_rfc3339(s).ok()?
    } else if is_date_only(s.as_bytes()) {
        DateTime::parse_from_rfc3339(&format!("{s}T00:00:00+00:00")).ok()?
    } else if let Some(local) = s.strip_suffix(" UTC") {
        // feed-rs rewrites `UTC`, which chrono does not know, as `+0000`.
        return parse(&format!("{local} +0000"));
    } else {
        // feed-rs drops the weekday (often wrong in feeds) before chrono, which would check it.
        let rest = strip_weekday(s).unwrap_or(s);
        if !is_rfc2822(rest.as_bytes()) {
            return None;
        }
        DateTime::parse_from_rfc2822(rest).ok()?
    };
    Some(date.with_timezone(&Utc))
}

fn digits(b: &[u8]) -> bool {
    !b.is_empty() && b.iter().all(u8::is_ascii_digit)
}

/// `YYYY-MM-DDTHH:MM:SS`, optional `.fraction`, then `Z` or `±HH:MM`.
fn is_rfc3339(b: &[u8]) -> bool {
    if b.len() < 20 {
        return false;
    }
    let shape = b"dddd-dd-ddTdd:dd:dd";
    let head_ok = shape.iter().zip(b).all(|(&want, &got)| {
        if want == b'd' {
            got.is_ascii_digit()
        } else {
            got == want
        }
    });
    if !head_ok {
        return false;
    }
    let mut rest = &b[19..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let n = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return false;
        }
        rest = &fraction[n..];
    }
    match rest {
        b"Z" => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => digits(&[*h1, *h2, *m1, *m2]),
        _ => false,
    }
}

/// `YYYY-MM-DD` alone.
fn is_date_only(b: &[u8]) -> bool {
    matches!(b, [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2]
        if digits(&[*y1, *y2, *y3, *y4, *m1, *m2, *d1, *d2]))
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const ZONES: [&str; 10] = [
    "GMT", "UT", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT",
];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The rest after `Sun, `, if the text starts so.
fn strip_weekday(s: &str) -> Option<&str> {
    let (day, rest) = s.split_at_checked(3)?;
    WEEKDAYS.contains(&day).then_some(())?;
    rest.strip_prefix(", ")
}

/// `D MMM YYYY HH:MM:SS ZONE` with a one- or two-digit day, hour below 24, and the zone
/// `GMT`, a US zone or `±HHMM` (not `-0000`, which feed-rs rewrites), all of which chrono knows.
fn is_rfc2822(b: &[u8]) -> bool {
    let mut parts = b.split(|&c| c == b' ');
    let (Some(day), Some(month), Some(year), Some(time), Some(zone), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    let time_ok = matches!(time, [h1, h2, b':', m1, m2, b':', s1, s2]
        if digits(&[*h1, *h2, *m1, *m2, *s1, *s2]) && (*h1, *h2) < (b'2', b'4'));
    let zone_ok = ZONES.iter().any(|z| z.as_bytes() == zone)
        || matches!(zone, [b'+' | b'-', rest @ ..] if rest.len() == 4 && digits(rest))
            && zone != b"-0000";
    (1..=2).contains(&day.len())
        && digits(day)
        && MONTHS.iter().any(|m| m.as_bytes() == month)
        && year.len() == 4
        && digits(year)
        && time_ok
        && zone_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_forms_only() {
        let utc = |s: &str| parse(s).map(|d| d.to_rfc3339());
        assert_eq!(
            utc(" Sun, 01 Jun 2025 12:00:00 +0200 ").as_deref(),
            Some("2025-06-01T10:00:00+00:00")
        );
        // A wrong weekday is dropped, as feed-rs drops it.
        assert_eq!(
            utc("Mon, 1 Jun 2025 12:00:00 GMT").as_deref(),
            Some("2025-06-01T12:00:00+00:00")
        );
        assert_eq!(
            utc("2025-06-01T12:00:00.25-01:30").as_deref(),
            Some("2025-06-01T13:30:00.250+00:00")
        );
        assert_eq!(
            utc("Tue, 03 Jun 2025 09:00:00 PST").as_deref(),
            Some("2025-06-03T17:00:00+00:00")
        );
        assert_eq!(
            utc("Tue, 03 Jun 2025 09:00:00 UTC").as_deref(),
            Some("2025-06-03T09:00:00+00:00")
        );
        assert_eq!(
            utc("2025-06-01").as_deref(),
            Some("2025-06-01T00:00:00+00:00")
        );
        for odd in [
            "2025-06-1",
            "2025-06-01T12:00:00+0200",
            "Sun, 01 June 2025 12:00:00 GMT",
            "Sun, 01 Jun 2025 24:00:00 GMT",
            "Sun, 01 Jun 2025 12:00:00 -0000",
            "Sun, 31 Feb 2025 12:00:00 GMT",
        ] {
            assert_eq!(parse(odd), None, "{odd}");
        }
    }
}
