//! The reader pane's article: which one it shows (the cursor's, as a preview, or the one
//! opened), loading and rendering it (big bodies off the event loop, stale results
//! dropped), marking it read after it has been shown a while, and its links (`o`, `y`,
//! `f`, `F`). Helpers of `update`; same rules (no I/O, no clock).

use super::action::Effect;
use super::navigate::{self, current_article, is_read, set_read_locally};
use super::state::{LinkWait, Pane, Reader, State};
use crate::model::{ArticleId, StoredArticle};
use crate::render::{Rendered, openable};
use crate::store::Scope;
use crate::ui::layout;

/// Bodies up to this many bytes render between two keys; bigger ones go off the loop.
pub const INLINE_RENDER_BYTES: usize = 16 * 1024;

/// Make the reader show `id`: ask the store for it unless it is shown or on its way.
pub fn show(state: &mut State, id: ArticleId) -> Vec<Effect> {
    if state.want == Some(id) {
        return Vec::new();
    }
    state.want = Some(id);
    vec![Effect::LoadArticle(id)]
}

/// Whether the reader pane is on screen beside the list, so it previews the cursor.
pub fn previews(state: &State) -> bool {
    let area = ratatui::layout::Rect::new(0, 0, state.width, state.height);
    let panes = layout::panes(area, state.focus, state.zoom);
    panes.reader.is_some() && panes.list.is_some()
}

/// After every action: while the list (or the subscriptions) has focus and the reader is
/// beside it, the reader follows the cursor; an empty list empties it.
pub fn follow_cursor(state: &mut State) -> Vec<Effect> {
    if state.focus == Pane::Reader || !previews(state) {
        return Vec::new();
    }
    match state.selected_row().map(|r| r.id) {
        Some(id) => show(state, id),
        None => {
            if !state.list.loading {
                state.reader = None;
                state.want = None;
            }
            Vec::new()
        }
    }
}

/// The store's answer to `LoadArticle`: shown if it is still the one wanted.
pub fn loaded(state: &mut State, mut article: StoredArticle) -> Vec<Effect> {
    if state.want != Some(article.id) {
        return Vec::new();
    }
    // The list knows marks made since the store read the article.
    if let Some(row) = state.list.rows.iter().find(|r| r.id == article.id) {
        article.read = row.read;
        article.starred = row.starred;
    }
    let same = state.reader.as_ref().map(|r| r.article.id) == Some(article.id);
    let scroll = state
        .reader
        .as_ref()
        .filter(|_| same)
        .map_or(0, |r| r.scroll);
    let mut effects = Vec::new();
    if !same {
        state.shown_seq += 1;
        if let Some(after) = state.mark_read_after.filter(|_| !article.read) {
            effects.push(Effect::MarkReadLater {
                seq: state.shown_seq,
                after,
            });
        }
    }
    state.reader = Some(Reader {
        article,
        lines: Vec::new(),
        links: Vec::new(),
        spans: Vec::new(),
        width: 0,
        scroll,
        rendering: false,
    });
    effects.extend(render(state));
    effects.extend(try_waiting(state));
    effects
}

/// Render the shown article for the reader's width: at once when small, else by an effect
/// whose answer only counts if no newer render was asked for since.
fn render(state: &mut State) -> Vec<Effect> {
    let width = layout::reader_text_width(state.width, state.height, state.focus, state.zoom);
    let offset = state.utc_offset;
    let lang = state.lang;
    state.render_seq += 1;
    let seq = state.render_seq;
    let Some(reader) = &mut state.reader else {
        return Vec::new();
    };
    reader.width = width;
    let size = reader.article.html.as_ref().map_or(0, String::len) + reader.article.text.len();
    if size <= INLINE_RENDER_BYTES {
        let rendered = crate::render::article(&reader.article, width, offset, lang);
        apply(reader, rendered);
        super::orgs::append_also(state);
        navigate::scroll_reader(state, 0);
        return Vec::new();
    }
    reader.rendering = true;
    vec![Effect::Render {
        seq,
        article: Box::new(reader.article.clone()),
        width,
        offset,
        lang,
    }]
}

fn apply(reader: &mut Reader, rendered: Rendered) {
    reader.lines = rendered.lines;
    reader.links = rendered.links;
    reader.spans = rendered.spans;
    reader.rendering = false;
}

/// An off-loop render is done; kept only if it is the newest asked for.
pub fn rendered(state: &mut State, seq: u64, rendered: Rendered) -> Vec<Effect> {
    if seq != state.render_seq {
        return Vec::new();
    }
    let Some(reader) = &mut state.reader else {
        return Vec::new();
    };
    apply(reader, rendered);
    super::orgs::append_also(state);
    navigate::scroll_reader(state, 0);
    try_waiting(state)
}

/// Render the shown article again when the reader's width changed.
pub fn rerender(state: &mut State) -> Vec<Effect> {
    let width = layout::reader_text_width(state.width, state.height, state.focus, state.zoom);
    let stale = state.reader.as_ref().is_some_and(|r| r.width != width);
    let effects = if stale { render(state) } else { Vec::new() };
    navigate::scroll_reader(state, 0);
    effects
}

/// `mark_read_after` has passed since the article was shown: if it still is, and on
/// screen, it counts as read.
pub fn shown_for(state: &mut State, seq: u64) -> Vec<Effect> {
    let area = ratatui::layout::Rect::new(0, 0, state.width, state.height);
    let visible = layout::panes(area, state.focus, state.zoom)
        .reader
        .is_some();
    let Some(id) = state.reader.as_ref().map(|r| r.article.id) else {
        return Vec::new();
    };
    if seq != state.shown_seq || !visible || is_read(state, id) {
        return Vec::new();
    }
    set_read_locally(state, id, true);
    vec![Effect::SetRead {
        scope: Scope::Ids(vec![id]),
        read: true,
    }]
}

/// `o` / `y`: the link of the article the keys act on (the cursor's in the list, the shown
/// one in the reader), or its link number `count`. Waits for the article when it is not
/// loaded yet.
pub fn link(state: &mut State, open: bool) -> Vec<Effect> {
    let count = state.count.take();
    let Some(id) = current_article(state) else {
        state.message = Some(state.lang.t("msg.no_article_selected").into());
        return Vec::new();
    };
    state.waiting = Some(LinkWait { id, open, count });
    let mut effects = Vec::new();
    if state.reader.as_ref().map(|r| r.article.id) != Some(id) {
        effects = show(state, id);
    }
    effects.extend(try_waiting(state));
    effects
}

/// Carry out a waiting `o`/`y` once its article (and, for a numbered link, its render) is in.
fn try_waiting(state: &mut State) -> Vec<Effect> {
    let Some(wait) = state.waiting else {
        return Vec::new();
    };
    let Some(reader) = &state.reader else {
        return Vec::new();
    };
    if reader.article.id != wait.id || (wait.count.is_some() && reader.rendering) {
        return Vec::new();
    }
    state.waiting = None;
    let url = match wait.count {
        Some(n) => match reader.links.get((n as usize).wrapping_sub(1)) {
            Some(url) => url.clone(),
            None => {
                state.message = Some(state.lang.f(
                    "msg.no_link_number",
                    &[("number", &n), ("count", &reader.links.len())],
                ));
                return Vec::new();
            }
        },
        None => match &reader.article.link {
            Some(url) => url.clone(),
            None => {
                state.message = Some(state.lang.t("msg.no_link").into());
                return Vec::new();
            }
        },
    };
    use_url(state, url, wait.open)
}

/// Open or copy an address, if it is one that may be opened.
pub fn use_url(state: &mut State, url: String, open: bool) -> Vec<Effect> {
    if !openable(&url) {
        state.message = Some(state.lang.t("msg.refused").into());
        return Vec::new();
    }
    let shown = crate::text::truncate(&crate::text::clean_inline(&url), 60);
    if open {
        state.message = Some(state.lang.f("msg.opening", &[("url", &shown)]));
        vec![Effect::OpenUrl(url)]
    } else {
        state.message = Some(state.lang.f("msg.copied", &[("url", &shown)]));
        vec![Effect::Copy(url)]
    }
}

/// `f` / `F`: label the shown article's links; the next key picks one.
pub fn start_hints(state: &mut State, open: bool) -> Vec<Effect> {
    match &state.reader {
        None => state.message = Some(state.lang.t("msg.no_article_shown").into()),
        Some(reader) if reader.links.is_empty() => {
            state.message = Some(state.lang.t("msg.no_links_in_text").into());
        }
        Some(_) => {
            state.hints = Some(open);
            let key = if open {
                "msg.open_which"
            } else {
                "msg.copy_which"
            };
            state.message = Some(state.lang.t(key).into());
        }
    }
    Vec::new()
}

/// The key after `f`/`F`.
pub fn hint(state: &mut State, label: char) -> Vec<Effect> {
    let Some(open) = state.hints.take() else {
        return Vec::new();
    };
    let url = super::hint_index(label).and_then(|i| state.reader.as_ref()?.links.get(i).cloned());
    match url {
        Some(url) => use_url(state, url, open),
        None => {
            state.message = Some(state.lang.f("msg.no_label", &[("label", &label)]));
            Vec::new()
        }
    }
}
