//! The three message types of the reader: an [`Event`] happened, an [`Action`] is asked
//! of the state, an [`Effect`] is I/O the runtime must perform.

use chrono::{DateTime, FixedOffset, Utc};
use crossterm::event::KeyEvent;

use super::orgs::PickerKey;
use crate::model::Progress;
use crate::model::{ArticleId, ArticleRow, FeedId, StoredArticle};
use crate::render::Rendered;
use crate::store::{AlsoRow, FoldedUnread, ListQuery, Scope};

/// Something happened outside the state; the runtime turns each into actions.
#[derive(Debug, Clone)]
pub enum Event {
    Key(KeyEvent),
    Resize {
        width: u16,
        height: u16,
    },
    /// The clock moved on (once a minute, for relative dates).
    Tick(DateTime<Utc>),
    /// `refresh_interval` elapsed.
    RefreshDue,
    Progress(Progress),
    Mouse {
        kind: Mouse,
        column: u16,
        row: u16,
    },
    /// SIGTERM, SIGHUP or the input stream ending: leave at once.
    Terminate,
}

/// What the mouse did, at a cell of the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mouse {
    Click,
    WheelUp,
    WheelDown,
}

/// What the user, the clock or a finished task asks of the state. `update` is the only
/// place these change anything.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Up,
    Down,
    Top,
    Bottom,
    PaneLeft,
    PaneRight,
    NextPane,
    /// Open the selected article (marks it read) or the selected subscription.
    Open,
    /// Scroll the reader by a page, from any pane.
    ScrollDown,
    ScrollUp,
    NextUnread,
    PrevUnread,
    ToggleRead,
    MarkAllRead,
    ToggleStar,
    /// Open the article's link, or link number `count` when a number was typed first.
    OpenLink,
    CopyLink,
    /// `f`: label the shown article's links; the next key opens one.
    HintOpen,
    /// `F`: the same, copying the link.
    HintCopy,
    /// The key typed after `f`/`F`.
    Hint(char),
    /// A digit typed before a command, e.g. `3` then `o`.
    Digit(u8),
    Mouse {
        kind: Mouse,
        column: u16,
        row: u16,
    },
    Refresh,
    RefreshAll,
    StartFilter,
    Filter(FilterEdit),
    ToggleUnreadOnly,
    Zoom,
    Help,
    ErrorLog,
    Quit,
    Back,
    /// `t`: choose a tag to filter the list by.
    TagPicker,
    /// `L`: choose a language to filter the list by.
    LanguagePicker,
    /// A key while a picker is open.
    Picker(PickerKey),

    Resize {
        width: u16,
        height: u16,
    },
    Tick(DateTime<Utc>),
    /// The refresh timer fired: like `RefreshAll`, but quiet.
    RefreshDue,

    FeedsLoaded(FeedsSnapshot),
    PageLoaded(Page),
    ArticleLoaded(Box<StoredArticle>),
    /// A render asked for by `Effect::Render` is done.
    Rendered {
        seq: u64,
        rendered: Box<Rendered>,
    },
    /// The article shown as `seq` has been on screen for `mark_read_after`.
    ShownFor {
        seq: u64,
    },
    /// Each configured subscription's organisation.
    OrgsLoaded(Vec<(FeedId, String)>),
    /// The languages of the stored rows, with how many each.
    LanguagesLoaded(Vec<(Option<String>, i64)>),
    /// An article's other rows: copies and folded Bluesky posts.
    AlsoLoaded(ArticleId, Vec<AlsoRow>),
    /// Which rows of a loaded page have Bluesky posts folded into them.
    PostsMarked(Vec<ArticleId>),
    Progress(Progress),
    /// A sync with the feed server ended.
    Synced(super::SyncStatus),
    /// An effect failed; the text is shown in the status bar.
    Failed(String),
}

/// Editing the filter text while `/` is active.
#[derive(Debug, Clone, PartialEq)]
pub enum FilterEdit {
    Char(char),
    Backspace,
    /// Enter: keep the filter and return to the list.
    Commit,
    /// Esc: drop the filter.
    Cancel,
}

/// Every subscription's state as the store knows it, plus the starred total.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeedsSnapshot {
    pub feeds: Vec<FeedInfo>,
    /// Every feed the store knows, configured or not, so any list row can be named.
    pub titles: Vec<(FeedId, String)>,
    pub starred: i64,
    /// Unread rows folded into stories, so counts count each story once.
    pub folded_unread: Vec<FoldedUnread>,
}

/// One configured subscription, in configuration order.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedInfo {
    pub id: FeedId,
    pub title: String,
    pub tags: Vec<String>,
    pub unread: i64,
    /// The last refresh's error, when it failed.
    pub error: Option<String>,
}

/// A page of list rows for the query of generation `generation`.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub generation: u64,
    /// True when these rows replace the list (first page or reload), false when appended.
    pub replace: bool,
    pub rows: Vec<ArticleRow>,
    /// True when the store has no rows past these.
    pub exhausted: bool,
}

/// I/O asked for by `update`, performed by the runtime.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Read subscriptions and counts, answer with `Action::FeedsLoaded`.
    LoadFeeds,
    /// Read a page, answer with `Action::PageLoaded`.
    LoadPage {
        generation: u64,
        replace: bool,
        query: ListQuery,
    },
    LoadArticle(ArticleId),
    /// Render an article too big to render between two keys; answer with `Action::Rendered`.
    Render {
        seq: u64,
        article: Box<StoredArticle>,
        width: u16,
        offset: FixedOffset,
        /// The language of the few words the render adds ("Links").
        lang: crate::i18n::Lang,
    },
    /// Answer with `Action::ShownFor { seq }` after `after`.
    MarkReadLater {
        seq: u64,
        after: std::time::Duration,
    },
    /// Count the stored rows by language, answer with `Action::LanguagesLoaded`.
    LoadLanguages,
    SetRead {
        scope: Scope,
        read: bool,
    },
    SetStarred {
        id: ArticleId,
        starred: bool,
    },
    Refresh(Vec<FeedId>),
    /// Sync marks with the feed server, if one is configured and no sync is under way;
    /// answered by `Action::Synced`. The runtime asks for one at start and with every
    /// `Refresh`.
    Sync,
    /// An http, https or mailto address, already checked.
    OpenUrl(String),
    /// Put text on the clipboard through OSC 52.
    Copy(String),
    Quit,
}
