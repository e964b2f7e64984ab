//! Read and starred marks from the keyboard: shown at once in the list and the reader,
//! written by the effect that follows.

use super::action::Effect;
use super::navigate::{self, current_article};
use super::state::State;
use crate::store::Scope;

pub(super) fn toggle_read(state: &mut State) -> Vec<Effect> {
    let Some(id) = current_article(state) else {
        return Vec::new();
    };
    let read = !navigate::is_read(state, id);
    navigate::set_read_locally(state, id, read);
    vec![Effect::SetRead {
        scope: Scope::Ids(vec![id]),
        read,
    }]
}

pub(super) fn mark_all_read(state: &mut State) -> Vec<Effect> {
    for row in &mut state.list.rows {
        row.read = true;
    }
    if let Some(reader) = &mut state.reader {
        reader.article.read = true;
    }
    let mut query = state.query();
    query.limit = 0;
    state.message = Some(state.lang.t("msg.marked_all_read").into());
    vec![
        Effect::SetRead {
            scope: Scope::Query(query),
            read: true,
        },
        Effect::LoadFeeds,
    ]
}

pub(super) fn toggle_star(state: &mut State) -> Vec<Effect> {
    let Some(id) = current_article(state) else {
        return Vec::new();
    };
    let starred = !navigate::is_starred(state, id);
    for row in state.list.rows.iter_mut().filter(|r| r.id == id) {
        row.starred = starred;
    }
    if let Some(reader) = state.reader.as_mut().filter(|r| r.article.id == id) {
        reader.article.starred = starred;
    }
    state.starred_count += if starred { 1 } else { -1 };
    let key = if starred {
        "msg.starred"
    } else {
        "msg.unstarred"
    };
    state.message = Some(state.lang.t(key).into());
    vec![Effect::SetStarred { id, starred }]
}
