//! Date reading as listings write it: absolute forms, stamps, addresses, relative words.

use super::*;
use chrono::{DateTime, Utc};

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
    // A two-digit year: no four digits in a row, the time's colon lets it through.
    assert_eq!(
        at("16 Mar 17 10:00 GMT").as_deref(),
        Some("2017-03-16T10:00:00Z")
    );
}

#[test]
fn titles_with_numbers_are_not_dates() {
    for text in [
        "Story number 42 about cooperatives",
        "5 things to know, 3 to forget",
        "Top 10 in 2.5 minutes",
    ] {
        assert!(!may_hold_date(text), "{text}");
        assert_eq!(at(text), None, "{text}");
    }
    assert!(may_hold_date("Report 2026"));
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

#[test]
fn unix_seconds_and_milliseconds() {
    assert_eq!(at("1785499200").as_deref(), Some("2026-07-31T12:00:00Z"));
    assert_eq!(at("1785499200000").as_deref(), Some("2026-07-31T12:00:00Z"));
    assert_eq!(at("123"), None);
    assert_eq!(at("9999999999"), None);
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-27T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn relative(text: &str) -> Option<String> {
    parse_at(text, Some(now())).map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

#[test]
fn relative_dates_in_four_languages() {
    for (text, expected) in [
        ("2 days ago", "2026-11-25T12:00:00Z"),
        ("an hour ago", "2026-11-27T11:00:00Z"),
        ("Posted 3 weeks ago", "2026-11-06T12:00:00Z"),
        ("yesterday", "2026-11-26T12:00:00Z"),
        ("Today", "2026-11-27T12:00:00Z"),
        ("ieri", "2026-11-26T12:00:00Z"),
        ("2 giorni fa", "2026-11-25T12:00:00Z"),
        ("3 ore fa", "2026-11-27T09:00:00Z"),
        ("l'altro ieri", "2026-11-25T12:00:00Z"),
        ("il y a 3 jours", "2026-11-24T12:00:00Z"),
        ("hier", "2026-11-26T12:00:00Z"),
        ("aujourd'hui", "2026-11-27T12:00:00Z"),
        ("hace 2 días", "2026-11-25T12:00:00Z"),
        ("ayer", "2026-11-26T12:00:00Z"),
        ("hace un mes", "2026-10-28T12:00:00Z"),
    ] {
        assert_eq!(relative(text).as_deref(), Some(expected), "{text}");
    }
    // Without a fetch time nothing relative is read; a sentence is not a date.
    assert_eq!(at("2 days ago"), None);
    assert_eq!(
        relative("The cooperative was founded a year ago in the town of Imola"),
        None
    );
    assert_eq!(relative("3 days"), None);
}

#[test]
fn dates_in_addresses() {
    let day = |u: &str| from_url(u).map(|d| d.format("%Y-%m-%d").to_string());
    assert_eq!(
        day("https://example.org/2024/07/10/a-story/").as_deref(),
        Some("2024-07-10")
    );
    assert_eq!(
        day("https://example.org/news/2024/07/a-story").as_deref(),
        Some("2024-07-01")
    );
    assert_eq!(
        day("https://example.org/2024-07-10-a-story").as_deref(),
        Some("2024-07-10")
    );
    assert_eq!(day("https://example.org/works/a-story"), None);
    assert_eq!(day("https://example.org/node/2024/99"), None);
}

#[test]
fn one_fold_for_month_names_and_relative_words() {
    assert_eq!(fold("FÉVRIER"), "fevrier");
    assert_eq!(fold("Façon"), "facon");
    assert_eq!(fold("hace 2 AÑOS"), "hace 2 anos");
    assert_eq!(
        fold("l’altro ieri, aujourd'hui"),
        "l altro ieri, aujourd hui"
    );
}
