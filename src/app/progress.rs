//! A refresh as the state sees it: which subscriptions are in flight, how many are done,
//! and the message when the last one ends.

use super::action::Effect;
use super::navigate;
use super::state::State;
use crate::model::Progress;

pub(super) fn start_refresh(state: &mut State, ids: Vec<crate::model::FeedId>) -> Vec<Effect> {
    // A feed already in flight is not queued twice.
    let ids: Vec<_> = ids
        .into_iter()
        .filter(|id| !state.refresh.running.contains(id))
        .collect();
    if ids.is_empty() {
        return Vec::new();
    }
    state.refresh.running.extend(ids.iter().copied());
    state.refresh.total += ids.len();
    vec![Effect::Refresh(ids)]
}

pub(super) fn refresh_progress(state: &mut State, progress: Progress) -> Vec<Effect> {
    let (feed, outcome) = match progress {
        Progress::Done { feed, outcome } => (feed, outcome),
        Progress::StoreFailed { message } => {
            state.refresh.store_error.get_or_insert(message);
            return Vec::new();
        }
        Progress::Started { .. } => return Vec::new(),
    };
    let refresh = &mut state.refresh;
    if refresh.running.remove(&feed) {
        refresh.done += 1;
    }
    let error = outcome.err();
    if error.is_some() {
        refresh.errors += 1;
    }
    if let Some(info) = state.feeds.iter_mut().find(|f| f.id == feed) {
        info.error = error;
    }
    if state.refresh.running.is_empty() {
        let r = std::mem::take(&mut state.refresh);
        let lang = state.lang;
        state.message = Some(match (r.errors, r.store_error) {
            (_, Some(store)) => lang.f("msg.database_failed", &[("error", &store)]),
            (errors, None) => {
                let mut text = lang.n("msg.refreshed", r.done as u64, &[]);
                if errors > 0 {
                    text.push_str(&lang.n("msg.refresh_errors", errors as u64, &[]));
                }
                text
            }
        });
    }
    let mut effects = vec![Effect::LoadFeeds];
    effects.extend(navigate::refresh_list(state));
    effects
}
