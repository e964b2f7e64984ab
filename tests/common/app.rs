//! Reader states for the pure `update` tests: feeds, rows, articles, and a state with
//! rows loaded, built through `update` as the runtime would.

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use coopnews::app::{Action, Effect, FeedInfo, FeedsSnapshot, Keymap, Page, State, update};
use coopnews::model::{ArticleRow, StoredArticle};
use coopnews::store::FoldedUnread;

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 14, 12, 0, 0).unwrap()
}

pub fn feed(id: i64, title: &str, tags: &[&str], unread: i64) -> FeedInfo {
    FeedInfo {
        id,
        title: title.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        unread,
        error: None,
    }
}

pub fn row(id: i64, feed_id: i64, read: bool) -> ArticleRow {
    ArticleRow {
        id,
        feed_id,
        title: format!("article {id}"),
        published: now() - Duration::hours(id),
        read,
        starred: false,
    }
}

pub fn article(id: i64, feed_id: i64) -> StoredArticle {
    StoredArticle {
        id,
        feed_id,
        feed: "Coop News".into(),
        title: format!("article {id}"),
        link: Some(format!("https://example.org/{id}")),
        author: None,
        published: now(),
        read: true,
        starred: false,
        text: String::new(),
        links: vec![],
        html: Some(r#"<p>See <a href="https://a.example/">a</a> and <a href="javascript:alert(1)">b</a>, <a href="/rel">c</a>.</p>"#.into()),
        language: None,
    }
}

/// A 120×40 reader with three feeds and the given rows loaded in "All".
pub fn loaded(rows: Vec<ArticleRow>, exhausted: bool) -> State {
    let mut state = State::new(now(), FixedOffset::east_opt(0).unwrap(), Keymap::default());
    update(
        &mut state,
        Action::Resize {
            width: 120,
            height: 40,
        },
    );
    let feeds = vec![
        feed(1, "Coop News", &["coop"], 2),
        feed(2, "Legacoop", &["coop", "italia"], 0),
        feed(3, "Untagged", &[], 3),
    ];
    let effects = feeds_loaded(&mut state, feeds, 0, Vec::new());
    let Some(Effect::LoadPage { generation, .. }) = effects.first() else {
        panic!("first load asks for a page: {effects:?}");
    };
    let generation = *generation;
    let effects = update(
        &mut state,
        Action::PageLoaded(Page {
            generation,
            replace: true,
            rows,
            exhausted,
        }),
    );
    // The reader beside the list shows the first row, as the store would answer.
    answer_loads(&mut state, effects);
    state
}

pub fn selected_id(state: &State) -> Option<i64> {
    state.selected_row().map(|r| r.id)
}

/// A page of `rows` answering the list's current generation.
pub fn page(
    state: &mut State,
    rows: Vec<ArticleRow>,
    replace: bool,
    exhausted: bool,
) -> Vec<Effect> {
    let generation = state.list.generation;
    update(
        state,
        Action::PageLoaded(Page {
            generation,
            replace,
            rows,
            exhausted,
        }),
    )
}

/// Answer every `LoadArticle` in `effects` as the store would, and return the effects
/// that follow.
pub fn answer_loads(state: &mut State, effects: Vec<Effect>) -> Vec<Effect> {
    let mut rest = Vec::new();
    for effect in effects {
        match effect {
            Effect::LoadArticle(id) => {
                let feed = state
                    .list
                    .rows
                    .iter()
                    .find(|r| r.id == id)
                    .map_or(1, |r| r.feed_id);
                rest.extend(update(
                    state,
                    Action::ArticleLoaded(Box::new(article(id, feed))),
                ));
            }
            other => rest.push(other),
        }
    }
    rest
}

/// The id of the article the reader shows.
pub fn shown_id(state: &State) -> Option<i64> {
    state.reader.as_ref().map(|r| r.article.id)
}

/// The feed list arriving as the store worker sends it, each feed named by its own title.
pub fn feeds_loaded(
    state: &mut State,
    feeds: Vec<FeedInfo>,
    starred: i64,
    folded_unread: Vec<FoldedUnread>,
) -> Vec<Effect> {
    let titles = feeds.iter().map(|f| (f.id, f.title.clone())).collect();
    let snapshot = FeedsSnapshot {
        feeds,
        titles,
        starred,
        folded_unread,
    };
    update(state, Action::FeedsLoaded(snapshot))
}
