//! Everything the reader shows, as plain data: subscriptions, the loaded part of the
//! list, the open article, refresh progress, overlays. Changed only by `update`.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, FixedOffset, Utc};
use ratatui::text::Line;

use super::action::FeedInfo;
use super::keymap::Keymap;
use crate::model::{ArticleId, ArticleRow, FeedId, StoredArticle};
use crate::render::LinkSpan;
use crate::store::ListQuery;

/// Rows fetched from the store at a time; a screen holds far fewer.
pub const PAGE_SIZE: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    Subscriptions,
    #[default]
    List,
    Reader,
}

impl Pane {
    pub fn left(self) -> Pane {
        match self {
            Pane::Reader => Pane::List,
            _ => Pane::Subscriptions,
        }
    }

    pub fn right(self) -> Pane {
        match self {
            Pane::Subscriptions => Pane::List,
            _ => Pane::Reader,
        }
    }

    pub fn next(self) -> Pane {
        match self {
            Pane::Subscriptions => Pane::List,
            Pane::List => Pane::Reader,
            Pane::Reader => Pane::Subscriptions,
        }
    }
}

/// One line of the subscription pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubEntry {
    All,
    Unread,
    Starred,
    /// A tag heading: selecting it lists every feed with that tag.
    Tag(String),
    /// An organisation: its subscriptions together, listed under it when expanded.
    Org(String),
    /// A feed under a tag heading (`None`: under "Other").
    Feed {
        id: FeedId,
        tag: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    Help,
    Errors,
}

/// The part of the current view's list that is loaded, newest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArticleList {
    pub rows: Vec<ArticleRow>,
    /// Index into `rows`; kept pointing at the same article id across reloads.
    pub selected: usize,
    /// First row drawn; moved only to keep the selection on screen.
    pub offset: usize,
    /// The store has nothing past `rows`.
    pub exhausted: bool,
    /// A page is on its way; no second request until it lands.
    pub loading: bool,
    /// Bumped whenever the query changes, so a late page for an old query is dropped.
    pub generation: u64,
}

/// The shown article, rendered for the reader's width.
#[derive(Debug, Clone, PartialEq)]
pub struct Reader {
    pub article: StoredArticle,
    pub lines: Vec<Line<'static>>,
    /// Numbered links (1-based on screen), absolute.
    pub links: Vec<String>,
    /// Where link text sits in `lines`.
    pub spans: Vec<LinkSpan>,
    pub width: u16,
    pub scroll: usize,
    /// A render for `width` is under way off the event loop; `lines` may be for another
    /// width, or empty for a new article.
    pub rendering: bool,
}

/// `o`/`y` asked for an article not loaded (or rendered) yet: done when it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkWait {
    pub id: ArticleId,
    pub open: bool,
    pub count: Option<u32>,
}

/// A refresh run as the status bar tells it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RefreshState {
    pub running: BTreeSet<FeedId>,
    pub total: usize,
    pub done: usize,
    pub errors: usize,
    /// Why the database could not be written, if it could not: then nothing is kept.
    pub store_error: Option<String>,
}

/// What is waiting for the next page to arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pending {
    /// `n` ran past the loaded rows: look again when more arrive.
    NextUnread,
    /// A new subscription was entered by `n`: open its first unread when it loads.
    FirstUnread,
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub now: DateTime<Utc>,
    /// Dates are shown in this offset (the runtime passes the local one).
    pub utc_offset: FixedOffset,
    pub width: u16,
    pub height: u16,
    pub color: bool,
    pub keymap: Keymap,

    pub focus: Pane,
    pub zoom: bool,
    pub overlay: Option<Overlay>,
    pub overlay_scroll: usize,

    /// Configured subscriptions in configuration order.
    pub feeds: Vec<FeedInfo>,
    /// Titles of every feed the store knows, for list rows of unconfigured ones too.
    pub feed_titles: HashMap<FeedId, String>,
    pub starred_count: i64,
    pub entries: Vec<SubEntry>,
    pub sub_selected: usize,
    pub sub_offset: usize,

    pub list: ArticleList,
    pub unread_only: bool,
    pub filter: String,
    /// `/` is active: keys edit `filter`.
    pub editing_filter: bool,
    pub pending: Option<Pending>,
    /// Digits typed before a command.
    pub count: Option<u32>,

    pub reader: Option<Reader>,
    /// The article the reader shows or is loading; a load of any other is stale.
    pub want: Option<ArticleId>,
    /// Bumped by each render asked for; only the newest one's result is kept.
    pub render_seq: u64,
    /// Bumped each time the reader shows another article; the mark-read timer names it.
    pub shown_seq: u64,
    /// An article shown this long counts as read; `None`: never.
    pub mark_read_after: Option<std::time::Duration>,
    pub waiting: Option<LinkWait>,
    /// `f` (true: open) or `F` (false: copy) is waiting for a link label.
    pub hints: Option<bool>,
    /// Organisations, the tag and language filters and their pickers, folded posts.
    pub orgs: super::orgs::OrgView,
    pub refresh: RefreshState,
    /// The last sync with the feed server, once one has ended.
    pub sync: Option<super::SyncStatus>,
    pub message: Option<String>,
    /// The language every string on screen is in; chosen at start, never read from here.
    pub lang: crate::i18n::Lang,
    pub quit: bool,
}

impl State {
    pub fn new(now: DateTime<Utc>, utc_offset: FixedOffset, keymap: Keymap) -> State {
        State {
            now,
            utc_offset,
            width: 80,
            height: 24,
            color: true,
            keymap,
            focus: Pane::List,
            zoom: false,
            overlay: None,
            overlay_scroll: 0,
            feeds: Vec::new(),
            feed_titles: HashMap::new(),
            starred_count: 0,
            entries: vec![SubEntry::All, SubEntry::Unread, SubEntry::Starred],
            sub_selected: 0,
            sub_offset: 0,
            list: ArticleList::default(),
            unread_only: false,
            filter: String::new(),
            editing_filter: false,
            pending: None,
            count: None,
            reader: None,
            want: None,
            render_seq: 0,
            shown_seq: 0,
            mark_read_after: Some(std::time::Duration::from_secs(3)),
            waiting: None,
            hints: None,
            orgs: super::orgs::OrgView::default(),
            refresh: RefreshState::default(),
            sync: None,
            message: None,
            lang: crate::i18n::Lang::En,
            quit: false,
        }
    }

    pub fn feed(&self, id: FeedId) -> Option<&FeedInfo> {
        self.feeds.iter().find(|f| f.id == id)
    }

    pub fn feed_title(&self, id: FeedId) -> &str {
        self.feed_titles.get(&id).map_or("?", String::as_str)
    }

    pub fn selected_entry(&self) -> &SubEntry {
        self.entries
            .get(self.sub_selected)
            .unwrap_or(&SubEntry::All)
    }

    pub fn selected_row(&self) -> Option<&ArticleRow> {
        self.list.rows.get(self.list.selected)
    }

    /// The feeds an entry covers; `None` means every feed.
    pub fn entry_feeds(&self, entry: &SubEntry) -> Option<Vec<FeedId>> {
        let feeds = self.entry_feeds_unfiltered(entry);
        self.orgs.filter_by_tag(feeds, &self.feeds)
    }

    fn entry_feeds_unfiltered(&self, entry: &SubEntry) -> Option<Vec<FeedId>> {
        match entry {
            SubEntry::Org(org) => Some(self.orgs.feeds_of(org)),
            SubEntry::All | SubEntry::Unread | SubEntry::Starred => None,
            SubEntry::Tag(tag) => Some(
                self.feeds
                    .iter()
                    .filter(|f| f.tags.contains(tag) || (tag == OTHER && f.tags.is_empty()))
                    .map(|f| f.id)
                    .collect(),
            ),
            SubEntry::Feed { id, .. } => Some(vec![*id]),
        }
    }

    /// Unread articles under an entry, for the counts column.
    pub fn entry_unread(&self, entry: &SubEntry) -> i64 {
        match entry {
            SubEntry::Starred => self.starred_count,
            _ => {
                // Drawn for every visible entry at every frame: one pass over the feeds.
                let covered = self.entry_feeds(entry);
                let rows: i64 = self
                    .feeds
                    .iter()
                    .filter(|f| covered.as_ref().is_none_or(|ids| ids.contains(&f.id)))
                    .map(|f| f.unread)
                    .sum();
                let ids = covered.unwrap_or_else(|| self.feeds.iter().map(|f| f.id).collect());
                rows - self.orgs.folded_unread_beyond_stories(&ids)
            }
        }
    }

    /// The store query behind the list as it is now, without paging.
    pub fn query(&self) -> ListQuery {
        let entry = self.selected_entry();
        let filter = self.filter.trim();
        ListQuery {
            feeds: self.entry_feeds(entry),
            unread_only: self.unread_only || *entry == SubEntry::Unread,
            starred_only: *entry == SubEntry::Starred,
            search: self.orgs.search_with_language(filter),
            limit: PAGE_SIZE,
            after: None,
        }
    }

    /// The error of the selected subscription, if it is a failing feed.
    pub fn selected_error(&self) -> Option<(&str, &str)> {
        match self.selected_entry() {
            SubEntry::Feed { id, .. } => {
                let feed = self.feed(*id)?;
                Some((feed.title.as_str(), feed.error.as_deref()?))
            }
            _ => None,
        }
    }
}

/// The heading for feeds without tags.
pub const OTHER: &str = "Other";
