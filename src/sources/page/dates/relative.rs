//! Relative dates in English, Italian, French and Spanish, read against the fetch time:
//! "today", "yesterday", "3 hours ago", "ieri", "2 giorni fa", "il y a 3 jours",
//! "hace 2 días". Only short texts: a sentence that says "a year ago" is not a date.

use chrono::{DateTime, Duration, Utc};

use super::fold;

/// Words that mean "before now" around a number and a unit.
const AGO: [&str; 4] = ["ago", "fa", "il y a", "hace"];

pub(super) fn parse(text: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let folded = fold(text);
    let folded = folded.trim();
    if folded.is_empty() || folded.chars().count() > 40 {
        return None;
    }
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |w: &str| words.contains(&w);
    for (phrase, days) in [
        ("day before yesterday", 2),
        ("l altro ieri", 2),
        ("altroieri", 2),
        ("avant hier", 2),
        ("anteayer", 2),
    ] {
        if words.join(" ").contains(phrase) {
            return Some(now - Duration::days(days));
        }
    }
    // A lone word ("Yesterday", "Oggi", "Posted today"), not a sentence that contains one.
    if words.len() <= 3 {
        if ["yesterday", "ieri", "hier", "ayer"].iter().any(|w| has(w)) {
            return Some(now - Duration::days(1));
        }
        if ["today", "oggi", "hoy"].iter().any(|w| has(w))
            || folded.contains("aujourd")
            || folded == "just now"
        {
            return Some(now);
        }
    }
    let joined = words.join(" ");
    if !AGO.iter().any(|ago| {
        joined == *ago
            || joined.starts_with(&format!("{ago} "))
            || joined.ends_with(&format!(" {ago}"))
            || joined.contains(&format!(" {ago} "))
    }) {
        return None;
    }
    for (i, word) in words.iter().enumerate() {
        let Some(count) = amount(word) else { continue };
        if let Some(unit) = words.get(i + 1).and_then(|u| unit(u)) {
            return now.checked_sub_signed(unit * count as i32);
        }
    }
    None
}

/// A count: digits, or "a"/"an"/"un"/"una"/"une"/"uno" for one.
fn amount(word: &str) -> Option<u32> {
    match word {
        "a" | "an" | "un" | "una" | "une" | "uno" | "one" => Some(1),
        w if w.len() <= 4 => w.parse().ok(),
        _ => None,
    }
}

fn unit(word: &str) -> Option<Duration> {
    let unit = match word {
        "second" | "seconds" | "sec" | "secs" | "secondo" | "secondi" | "seconde" | "secondes"
        | "segundo" | "segundos" | "s" => Duration::seconds(1),
        "minute" | "minutes" | "min" | "mins" | "minuto" | "minuti" | "minutos" => {
            Duration::minutes(1)
        }
        "hour" | "hours" | "hr" | "hrs" | "h" | "ora" | "ore" | "heure" | "heures" | "hora"
        | "horas" => Duration::hours(1),
        "day" | "days" | "giorno" | "giorni" | "jour" | "jours" | "dia" | "dias" => {
            Duration::days(1)
        }
        "week" | "weeks" | "settimana" | "settimane" | "semaine" | "semaines" | "semana"
        | "semanas" => Duration::weeks(1),
        "month" | "months" | "mese" | "mesi" | "mois" | "mes" | "meses" => Duration::days(30),
        "year" | "years" | "anno" | "anni" | "an" | "ans" | "annee" | "annees" | "ano" | "anos" => {
            Duration::days(365)
        }
        _ => return None,
    };
    Some(unit)
}
