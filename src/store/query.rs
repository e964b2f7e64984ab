//! The search language of `/` and `list --search`, parsed: words, `"a phrase"`, `-word`,
//! `title:word`, `org:`, `feed:`, `lang:`, `is:unread`, `is:starred`, `after:`, `before:`,
//! `newer:`. Pure: text in, terms or a message for the user out; the store turns the terms
//! into SQL (see `search`).

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::textmatch::fold_str;

/// One condition of a query; all must hold.
#[derive(Debug, Clone, PartialEq)]
pub enum Term {
    /// Words in title or text, each a prefix, accents ignored.
    Words(Vec<String>),
    /// These words in this order.
    Phrase(Vec<String>),
    /// Articles with none of these words (whole words, accents ignored).
    Without(Vec<String>),
    /// A word (a prefix) in the title.
    Title(String),
    /// Subscriptions of this organisation (name, any case).
    Org(String),
    /// This subscription (title or address, any case; a part of it is enough).
    Feed(String),
    /// An ISO 639-1 code.
    Lang(String),
    Unread,
    Starred,
    /// Published at or after.
    After(DateTime<Utc>),
    /// Published before.
    Before(DateTime<Utc>),
}

/// Why a query cannot be run, in words for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct QueryError(pub String);

const OPERATORS: &str =
    "title:, org:, feed:, lang:, is:unread, is:starred, after:, before:, newer:";

/// Parse `text`; `now` anchors `newer:`.
pub fn parse(text: &str, now: DateTime<Utc>) -> Result<Vec<Term>, QueryError> {
    let mut terms = Vec::new();
    let mut words = Vec::new();
    let mut without = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let (token, after) = next_token(rest)?;
        rest = after.trim_start();
        match token {
            Token::Phrase(p) => {
                let p = fts_words(&p);
                if !p.is_empty() {
                    terms.push(Term::Phrase(p));
                }
            }
            Token::Bare(word) => {
                if let Some(excluded) = word.strip_prefix('-').filter(|w| !w.is_empty()) {
                    if excluded.contains(':') {
                        return Err(QueryError(format!(
                            "`-{excluded}`: only words can be excluded, not operators"
                        )));
                    }
                    without.extend(fts_words(excluded));
                } else if let Some((op, value)) = word.split_once(':') {
                    terms.push(operator(op, value, now)?);
                } else {
                    words.extend(fts_words(&word));
                }
            }
            Token::Operator(op, value) => terms.push(operator(&op, &value, now)?),
        }
    }
    if !words.is_empty() {
        terms.insert(0, Term::Words(words));
    }
    if !without.is_empty() {
        terms.push(Term::Without(without));
    }
    Ok(terms)
}

enum Token {
    Bare(String),
    Phrase(String),
    /// `op:"quoted value"`.
    Operator(String, String),
}

fn next_token(s: &str) -> Result<(Token, &str), QueryError> {
    if let Some(inner) = s.strip_prefix('"') {
        let end = inner
            .find('"')
            .ok_or_else(|| QueryError("a phrase is missing its closing `\"`".into()))?;
        return Ok((Token::Phrase(inner[..end].to_string()), &inner[end + 1..]));
    }
    let end = s.find(char::is_whitespace).unwrap_or(s.len());
    let word = &s[..end];
    // `feed:"Coop News"`: a quoted value may hold spaces.
    if let Some((op, value)) = word.split_once(':')
        && let Some(inner) = value.strip_prefix('"')
    {
        let start = op.len() + 2;
        let close = s[start..]
            .find('"')
            .ok_or_else(|| QueryError(format!("`{op}:` is missing its closing `\"`")))?;
        let _ = inner;
        return Ok((
            Token::Operator(op.to_string(), s[start..start + close].to_string()),
            &s[start + close + 1..],
        ));
    }
    Ok((Token::Bare(word.to_string()), &s[end..]))
}

fn operator(op: &str, value: &str, now: DateTime<Utc>) -> Result<Term, QueryError> {
    let op_lower = op.to_ascii_lowercase();
    let value = value.trim();
    if value.is_empty() {
        return Err(QueryError(format!("`{op}:` needs a value after the colon")));
    }
    Ok(match op_lower.as_str() {
        "title" => {
            let mut words = fts_words(value);
            if words.len() != 1 {
                return Err(QueryError(format!(
                    "`title:{value}`: give one word (use several `title:` for more)"
                )));
            }
            Term::Title(words.remove(0))
        }
        "org" => Term::Org(value.to_string()),
        "feed" => Term::Feed(value.to_string()),
        "lang" => {
            let code = value.to_ascii_lowercase();
            if code.len() != 2 || !code.chars().all(|c| c.is_ascii_lowercase()) {
                return Err(QueryError(format!(
                    "`lang:{value}`: give a two-letter language code such as it, en, fr, es"
                )));
            }
            Term::Lang(code)
        }
        "is" => match value.to_ascii_lowercase().as_str() {
            "unread" => Term::Unread,
            "starred" => Term::Starred,
            _ => {
                return Err(QueryError(format!(
                    "`is:{value}`: use is:unread or is:starred"
                )));
            }
        },
        "after" => Term::After(date(op, value)?),
        "before" => Term::Before(date(op, value)?),
        "newer" => Term::After(now - age(value)?),
        _ => {
            return Err(QueryError(format!(
                "`{op}:` is not a search operator; known: {OPERATORS}"
            )));
        }
    })
}

/// `2025-01-01`, midnight UTC.
fn date(op: &str, value: &str) -> Result<DateTime<Utc>, QueryError> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc())
        .ok_or_else(|| {
            QueryError(format!(
                "`{op}:{value}`: write the date as YYYY-MM-DD, e.g. {op}:2025-01-31"
            ))
        })
}

/// `7d`, `12h`, `2w`, `30m`.
fn age(value: &str) -> Result<Duration, QueryError> {
    let bad = || {
        QueryError(format!(
            "`newer:{value}`: write an age such as 12h, 7d or 2w"
        ))
    };
    let split = value.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let (number, unit) = value.split_at(split);
    let n: i64 = number.parse().map_err(|_| bad())?;
    let n = n.min(100_000);
    Ok(match unit.to_ascii_lowercase().as_str() {
        "m" | "min" => Duration::minutes(n),
        "h" => Duration::hours(n),
        "d" => Duration::days(n),
        "w" => Duration::weeks(n),
        "y" => Duration::days(365 * n),
        _ => return Err(bad()),
    })
}

/// The words of `text` as the full-text index sees them, folded as its tokenizer folds
/// them (`textmatch`): no FTS5 syntax (quotes, `*`, `:`, parentheses) leaks through, and
/// each word is one token of the index, never a phrase it would need positions for.
fn fts_words(text: &str) -> Vec<String> {
    fold_str(text)
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0).unwrap()
    }

    #[test]
    fn every_operator_parses() {
        let terms = parse(
            r#"coop sociale "worker owned" -bank title:assemblea org:CECOP feed:"Coop News"
               lang:IT is:unread is:starred after:2025-01-01 before:2025-02-01 newer:7d"#,
            now(),
        )
        .unwrap();
        let day = |m, d| Utc.with_ymd_and_hms(2025, m, d, 0, 0, 0).unwrap();
        assert_eq!(
            terms,
            vec![
                Term::Words(vec!["coop".into(), "sociale".into()]),
                Term::Phrase(vec!["worker".into(), "owned".into()]),
                Term::Title("assemblea".into()),
                Term::Org("CECOP".into()),
                Term::Feed("Coop News".into()),
                Term::Lang("it".into()),
                Term::Unread,
                Term::Starred,
                Term::After(day(1, 1)),
                Term::Before(day(2, 1)),
                Term::After(now() - Duration::days(7)),
                Term::Without(vec!["bank".into()]),
            ]
        );
    }

    #[test]
    fn fts_syntax_is_only_words() {
        assert_eq!(
            parse("coop* AND (x) l'Économie", now()).unwrap(),
            vec![Term::Words(
                // Folded as the index folds them.
                ["coop", "and", "x", "l", "economie"]
                    .map(String::from)
                    .to_vec()
            )]
        );
        assert_eq!(parse("   ", now()).unwrap(), vec![]);
    }

    #[test]
    fn malformed_queries_say_what_is_wrong() {
        for (query, expected) in [
            ("\"open phrase", "closing `\"`"),
            ("after:yesterday", "YYYY-MM-DD"),
            ("newer:soon", "12h, 7d or 2w"),
            ("lang:italian", "two-letter"),
            ("is:read", "is:unread or is:starred"),
            ("colour:red", "not a search operator"),
            ("org:", "needs a value"),
            ("-is:unread", "only words"),
            ("feed:\"Coop", "closing"),
        ] {
            let message = parse(query, now()).unwrap_err().0;
            assert!(message.contains(expected), "{query}: {message}");
        }
    }
}
