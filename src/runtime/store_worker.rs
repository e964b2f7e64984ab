//! The store on its own thread: every read and write the reader asks for runs there, in
//! order, so the event loop never waits for SQLite (a search over 100,000 articles or the
//! counts after a refresh take tens of milliseconds). Answers come back as actions.

use std::collections::HashMap;
use std::sync::mpsc::{Receiver, Sender, channel};

use tokio::sync::mpsc::UnboundedSender;

use crate::app::{Action, Effect, FeedInfo, FeedsSnapshot, Page};
use crate::config::Feed;
use crate::i18n::Lang;
use crate::model::FeedId;
use crate::store::{FeedStatus, ListQuery, Scope, Store, StoreError};

/// The handle the event loop keeps; dropping it ends the thread.
pub struct StoreWorker {
    requests: Sender<Effect>,
}

impl StoreWorker {
    /// `feeds` are the configured subscriptions and `ids` their store ids, in order.
    pub fn start(
        store: Store,
        feeds: Vec<Feed>,
        ids: Vec<FeedId>,
        lang: Lang,
        answers: UnboundedSender<Action>,
    ) -> StoreWorker {
        let (requests, inbox) = channel();
        let worker = Worker {
            store,
            feeds,
            ids,
            lang,
            early: answers.clone(),
        };
        std::thread::Builder::new()
            .name("coopnews-store".into())
            .spawn(move || worker.serve(&inbox, &answers))
            .map(|_| ())
            .unwrap_or_else(|e| eprintln!("cannot start the store thread: {e}"));
        StoreWorker { requests }
    }

    /// Queue a store effect; its answer arrives later as an action.
    pub fn send(&self, effect: Effect) {
        // The thread only ends when this handle is dropped, so a send cannot fail in use.
        let _ = self.requests.send(effect);
    }
}

struct Worker {
    store: Store,
    feeds: Vec<Feed>,
    ids: Vec<FeedId>,
    /// The language of the messages it answers with.
    lang: Lang,
    /// For an answer that goes before the one `perform` returns.
    early: UnboundedSender<Action>,
}

impl Worker {
    fn serve(mut self, inbox: &Receiver<Effect>, answers: &UnboundedSender<Action>) {
        while let Ok(first) = inbox.recv() {
            // Everything queued so far is one batch: writes in order, then the last article
            // asked for, one reload of the counts and one of each list, however many were asked.
            let mut feeds_due = false;
            // The reader follows the cursor: of the articles asked for, only the last counts.
            let mut article_due = None;
            let mut pages: Vec<(u64, bool, ListQuery)> = Vec::new();
            for effect in std::iter::once(first).chain(inbox.try_iter()) {
                match effect {
                    Effect::LoadFeeds => feeds_due = true,
                    Effect::LoadPage {
                        generation,
                        replace,
                        query,
                    } => {
                        if replace {
                            pages.retain(|(g, r, _)| !(*g == generation && *r));
                        }
                        pages.push((generation, replace, query));
                    }
                    Effect::LoadArticle(id) => article_due = Some(id),
                    other => {
                        if let Some(action) = self.perform(other)
                            && answers.send(action).is_err()
                        {
                            return;
                        }
                    }
                }
            }
            // `update` drops a page of an older generation when it arrives: when typing a
            // filter outpaces the searches, only the newest one runs.
            let newest = pages.iter().map(|(generation, _, _)| *generation).max();
            pages.retain(|(generation, _, _)| Some(*generation) == newest);
            let mut actions = Vec::new();
            actions.extend(article_due.and_then(|id| self.perform(Effect::LoadArticle(id))));
            if feeds_due {
                match self.snapshot() {
                    Ok((snapshot, orgs)) => {
                        actions.push(Action::FeedsLoaded(snapshot));
                        actions.push(Action::OrgsLoaded(orgs));
                    }
                    Err(e) => actions.push(failed(e)),
                }
            }
            for (generation, replace, query) in pages {
                let page = match self.store.list_rows(&query) {
                    Ok(rows) => {
                        // Before the page: the 🦋 markers are there when its rows are drawn.
                        let ids: Vec<_> = rows.iter().map(|r| r.id).collect();
                        if let Ok(marked) = self.store.with_posts(&ids) {
                            actions.push(Action::PostsMarked(marked.into_iter().collect()));
                        }
                        Action::PageLoaded(Page {
                            generation,
                            replace,
                            exhausted: rows.len() < query.limit,
                            rows,
                        })
                    }
                    Err(e) => failed(e),
                };
                actions.push(page);
            }
            for action in actions {
                if answers.send(action).is_err() {
                    return;
                }
            }
        }
    }

    fn perform(&mut self, effect: Effect) -> Option<Action> {
        let result = match effect {
            Effect::LoadArticle(id) => match self.store.article(id) {
                Ok(Some(article)) => {
                    // The story's other rows follow the article as an action of their own.
                    if let Ok(also) = self.store.also(id) {
                        let _ = self.early.send(Action::ArticleLoaded(Box::new(article)));
                        return Some(Action::AlsoLoaded(id, also));
                    }
                    return Some(Action::ArticleLoaded(Box::new(article)));
                }
                Ok(None) => {
                    let message = self.lang.f("msg.article_gone", &[("id", &id)]);
                    return Some(Action::Failed(message));
                }
                Err(e) => Err(e),
            },
            Effect::LoadLanguages => match self.store.languages() {
                Ok(languages) => return Some(Action::LanguagesLoaded(languages)),
                Err(e) => Err(e),
            },
            Effect::SetRead { scope, read } => self.store.set_read(&scope, read).map(|_| ()),
            Effect::SetStarred { id, starred } => self
                .store
                .set_starred(&Scope::Ids(vec![id]), starred)
                .map(|_| ()),
            _ => Ok(()),
        };
        result
            .err()
            .map(|e| Action::Failed(self.lang.f("msg.save_failed", &[("error", &e)])))
    }

    /// The subscriptions with their counts, and each configured one's organisation: one
    /// read of the subscriptions for both.
    fn snapshot(&self) -> Result<(FeedsSnapshot, Vec<(FeedId, String)>), StoreError> {
        let statuses = self.store.feed_statuses()?;
        let by_id: HashMap<FeedId, &FeedStatus> = statuses.iter().map(|s| (s.id, s)).collect();
        let orgs = self
            .ids
            .iter()
            .filter_map(|id| by_id.get(id))
            .map(|s| (s.id, s.org.clone()))
            .collect();
        let mut feeds: Vec<FeedInfo> = self
            .ids
            .iter()
            .zip(&self.feeds)
            .map(|(id, feed)| {
                let status = by_id.get(id);
                FeedInfo {
                    id: *id,
                    title: status.map_or_else(|| feed.display_name(), |s| s.title.clone()),
                    tags: feed.tags.clone(),
                    unread: status.map_or(0, |s| s.unread),
                    error: status.and_then(|s| s.last_error.clone()),
                }
            })
            .collect();
        // Feeds only the sync server follows come after the configured ones, its groups
        // as tags.
        let mut synced: Vec<(FeedId, Vec<String>)> =
            self.store.synced_feeds()?.into_iter().collect();
        synced.sort();
        for (id, tags) in synced.into_iter().filter(|(id, _)| !self.ids.contains(id)) {
            if let Some(status) = by_id.get(&id) {
                feeds.push(FeedInfo {
                    id,
                    title: status.title.clone(),
                    tags,
                    unread: status.unread,
                    error: status.last_error.clone(),
                });
            }
        }
        let starred = self.store.count(&ListQuery {
            starred_only: true,
            ..ListQuery::default()
        })?;
        let snapshot = FeedsSnapshot {
            feeds,
            titles: statuses.iter().map(|s| (s.id, s.title.clone())).collect(),
            starred,
            folded_unread: self.store.folded_unread()?,
        };
        Ok((snapshot, orgs))
    }
}

fn failed(error: StoreError) -> Action {
    Action::Failed(error.to_string())
}
