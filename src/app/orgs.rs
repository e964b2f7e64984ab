//! Organisations in the reader: the sidebar lists them (expandable into their
//! subscriptions), a tag picker (`t`) and a language picker (`L`) filter the list, the list
//! marks stories with folded Bluesky posts, and the reader follows an article with them.
//! Helpers of `update`; same rules (no I/O, no clock).

use std::collections::{BTreeSet, HashMap, HashSet};

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::action::{Effect, FeedInfo};
use super::state::{State, SubEntry};
use crate::model::{ArticleId, Engagement, FeedId};
use crate::store::{AlsoRow, FoldedUnread};
use crate::text::clean_inline;

/// What the organisation view adds to the state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrgView {
    /// Each configured subscription's organisation.
    pub feed_org: HashMap<FeedId, String>,
    pub expanded: BTreeSet<String>,
    /// The list shows only subscriptions with this tag (`t`).
    pub tag: Option<String>,
    /// The list shows only articles in this language (`L`).
    pub lang: Option<String>,
    pub picker: Option<Picker>,
    /// Rows of the loaded list with Bluesky posts folded into them (🦋).
    pub with_posts: HashSet<ArticleId>,
    /// The open article's other rows: copies and folded posts.
    pub also: Option<(ArticleId, Vec<AlsoRow>)>,
    /// Unread folded rows, so counts count stories, not copies.
    pub folded_unread: Vec<FoldedUnread>,
    /// Each organisation's subscriptions as the sidebar was last built (`rebuild`): the
    /// sidebar asks for them at every row of every frame.
    members: HashMap<String, Vec<FeedId>>,
}

/// A small list to choose a filter from.
#[derive(Debug, Clone, PartialEq)]
pub struct Picker {
    pub kind: PickerKind,
    /// (value, label); a None value clears the filter.
    pub items: Vec<(Option<String>, String)>,
    pub selected: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerKind {
    Tag,
    Language,
}

/// Keys while a picker is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerKey {
    Up,
    Down,
    Choose,
    Close,
}

impl OrgView {
    /// The organisations of `feeds` with their subscriptions, in the order of their first
    /// subscription. One pass: the sidebar is rebuilt often, for hundreds of subscriptions.
    pub fn groups(&self, feeds: &[FeedInfo]) -> Vec<(String, Vec<FeedId>)> {
        let mut groups: Vec<(String, Vec<FeedId>)> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        for feed in feeds {
            let org = self.org_of(feed);
            let at = *index.entry(org).or_insert_with(|| {
                groups.push((org.to_string(), Vec::new()));
                groups.len() - 1
            });
            groups[at].1.push(feed.id);
        }
        groups
    }

    fn org_of<'a>(&'a self, feed: &'a FeedInfo) -> &'a str {
        self.feed_org.get(&feed.id).unwrap_or(&feed.title)
    }

    /// The subscriptions of `org`, as the sidebar was last built.
    pub fn feeds_of(&self, org: &str) -> Vec<FeedId> {
        self.members.get(org).cloned().unwrap_or_default()
    }

    /// `feeds` (None: all) narrowed to those with the chosen tag.
    pub fn filter_by_tag(
        &self,
        feeds: Option<Vec<FeedId>>,
        all: &[FeedInfo],
    ) -> Option<Vec<FeedId>> {
        let Some(tag) = &self.tag else {
            return feeds;
        };
        let tagged = all
            .iter()
            .filter(|f| f.tags.contains(tag))
            .map(|f| f.id)
            .filter(|id| feeds.as_ref().is_none_or(|ids| ids.contains(id)));
        Some(tagged.collect())
    }

    /// How many more unread rows than unread stories the subscriptions `feeds` hold: a
    /// subscription's count counts its folded rows (copies, posts), but the list shows
    /// their story once, and only shows it under these subscriptions once either way.
    pub fn folded_unread_beyond_stories(&self, feeds: &[FeedId]) -> i64 {
        let mut folded = 0;
        let mut stories_elsewhere = HashSet::new();
        for row in self
            .folded_unread
            .iter()
            .filter(|r| feeds.contains(&r.feed))
        {
            folded += 1;
            if !feeds.contains(&row.story_feed) {
                stories_elsewhere.insert(row.story);
            }
        }
        folded - stories_elsewhere.len() as i64
    }

    /// The list's search: the typed filter, with the chosen language as `lang:`.
    pub fn search_with_language(&self, filter: &str) -> Option<String> {
        match (&self.lang, filter.is_empty()) {
            (Some(lang), true) => Some(format!("lang:{lang}")),
            (Some(lang), false) => Some(format!("lang:{lang} {filter}")),
            (None, true) => None,
            (None, false) => Some(filter.to_string()),
        }
    }
}

/// The sidebar: All, Unread, Starred, then each organisation, its subscriptions under it
/// when expanded.
fn entries_of(groups: Vec<(String, Vec<FeedId>)>, view: &OrgView) -> Vec<SubEntry> {
    let mut entries = vec![SubEntry::All, SubEntry::Unread, SubEntry::Starred];
    for (org, ids) in groups {
        let expanded = view.expanded.contains(&org);
        entries.push(SubEntry::Org(org));
        if expanded {
            entries.extend(ids.into_iter().map(|id| SubEntry::Feed { id, tag: None }));
        }
    }
    entries
}

/// Rebuild the sidebar, keeping the selected entry selected. Called whenever the
/// subscriptions or their organisations change, which keeps `members` in step.
pub fn rebuild(state: &mut State) {
    let selected = state.selected_entry().clone();
    let groups = state.orgs.groups(&state.feeds);
    state.orgs.members = groups.iter().cloned().collect();
    state.entries = entries_of(groups, &state.orgs);
    state.sub_selected = state
        .entries
        .iter()
        .position(|e| *e == selected)
        .unwrap_or(0);
}

/// Enter or → on an organisation: show or hide its subscriptions. False when the entry
/// is not an organisation.
pub fn toggle(state: &mut State, expand_only: bool) -> bool {
    let SubEntry::Org(org) = state.selected_entry().clone() else {
        return false;
    };
    if state.orgs.expanded.contains(&org) {
        if expand_only {
            return false;
        }
        state.orgs.expanded.remove(&org);
    } else {
        state.orgs.expanded.insert(org);
    }
    rebuild(state);
    true
}

/// `t`: the tags in use, to filter the list by one.
pub fn open_tag_picker(state: &mut State) -> Vec<Effect> {
    let mut items = vec![(None, state.lang.t("picker.all_tags").to_string())];
    for tag in state.feeds.iter().flat_map(|f| &f.tags) {
        if !items.iter().any(|(t, _)| t.as_ref() == Some(tag)) {
            let count = state.feeds.iter().filter(|f| f.tags.contains(tag)).count();
            items.push((
                Some(tag.clone()),
                format!("{}  ({count})", clean_inline(tag)),
            ));
        }
    }
    let selected = position(&items, state.orgs.tag.as_ref());
    state.orgs.picker = Some(Picker {
        kind: PickerKind::Tag,
        items,
        selected,
    });
    Vec::new()
}

/// The languages present arrive (`L`): offer them with their counts.
pub fn languages_loaded(state: &mut State, languages: Vec<(Option<String>, i64)>) -> Vec<Effect> {
    let mut items = vec![(None, state.lang.t("picker.all_languages").to_string())];
    for (code, count) in languages {
        let label = match &code {
            Some(code) => format!("{}  ({count})", clean_inline(code)),
            None => format!("{}  ({count})", state.lang.t("picker.unknown")),
        };
        // Rows without a language cannot be chosen by `lang:`; they are counted only.
        if code.is_some() {
            items.push((code, label));
        }
    }
    let selected = position(&items, state.orgs.lang.as_ref());
    state.orgs.picker = Some(Picker {
        kind: PickerKind::Language,
        items,
        selected,
    });
    Vec::new()
}

fn position(items: &[(Option<String>, String)], current: Option<&String>) -> usize {
    items
        .iter()
        .position(|(value, _)| value.as_ref() == current)
        .unwrap_or(0)
}

/// A key while a picker is open.
pub fn picker_key(state: &mut State, key: PickerKey) -> Vec<Effect> {
    let Some(picker) = &mut state.orgs.picker else {
        return Vec::new();
    };
    match key {
        PickerKey::Up => picker.selected = picker.selected.saturating_sub(1),
        PickerKey::Down => {
            picker.selected = (picker.selected + 1).min(picker.items.len().saturating_sub(1));
        }
        PickerKey::Close => state.orgs.picker = None,
        PickerKey::Choose => {
            let kind = picker.kind;
            let value = picker
                .items
                .get(picker.selected)
                .and_then(|(v, _)| v.clone());
            state.orgs.picker = None;
            match kind {
                PickerKind::Tag => state.orgs.tag = value,
                PickerKind::Language => state.orgs.lang = value,
            }
            return super::navigate::reload(state);
        }
    }
    Vec::new()
}

/// The reader's "On Bluesky" section (and the other sources of a story), appended to the
/// rendered article when its other rows are known.
pub fn append_also(state: &mut State) {
    let (Some(reader), Some((id, rows))) = (&mut state.reader, &state.orgs.also) else {
        return;
    };
    if reader.article.id != *id || rows.is_empty() {
        return;
    }
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let dim = Style::default().add_modifier(Modifier::DIM);
    let width = usize::from(reader.width.max(20));
    let copies: Vec<&AlsoRow> = rows.iter().filter(|r| !r.is_post).collect();
    if !copies.is_empty() {
        reader.lines.push(Line::default());
        reader
            .lines
            .push(Line::styled(state.lang.t("ui.also_from"), bold));
        for copy in copies {
            reader.lines.push(Line::from(vec![
                Span::raw("• "),
                Span::raw(clean_inline(&copy.feed)),
            ]));
        }
    }
    let posts: Vec<&AlsoRow> = rows.iter().filter(|r| r.is_post).collect();
    if posts.is_empty() {
        return;
    }
    reader.lines.push(Line::default());
    reader
        .lines
        .push(Line::styled(state.lang.t("ui.on_bluesky"), bold));
    for post in posts {
        reader.lines.push(Line::default());
        let date = post
            .published
            .with_timezone(&state.utc_offset)
            .format("%Y-%m-%d %H:%M")
            .to_string();
        let counts = post
            .engagement
            .map(|e| format!(" · {}", engagement_label(&e)))
            .unwrap_or_default();
        reader.lines.push(Line::styled(
            format!("🦋 {} · {date}{counts}", clean_inline(&post.feed)),
            dim,
        ));
        // The text as stored: links written out in full, each line cleaned and wrapped.
        for paragraph in post.text.lines() {
            let clean = clean_inline(paragraph);
            for line in textwrap(&clean, width) {
                reader.lines.push(Line::raw(line));
            }
        }
    }
}

/// A post's likes and reposts as the reader shows them (symbols, no words to translate).
pub fn engagement_label(e: &Engagement) -> String {
    format!("♥ {}  🔁 {}", e.likes, e.reposts)
}

/// Words to lines of at most `width` columns (a word longer than that gets a line).
fn textwrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && crate::text::width(&line) + 1 + crate::text::width(word) > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}
