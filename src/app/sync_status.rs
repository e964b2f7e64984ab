//! What the reader knows of sync with a feed server: the outcome of the last sync, for the
//! status bar. The protocol stays in `sync` and `sources`; this is only its summary.

use chrono::{DateTime, Utc};

use super::action::Effect;
use super::navigate;
use super::state::State;

/// The outcome of one sync, as the runtime reports it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncStatus {
    /// When a sync last succeeded.
    pub last_sync: Option<DateTime<Utc>>,
    /// Marks still queued here.
    pub waiting: i64,
    /// Articles or marks that changed here: the lists are reloaded.
    pub changed: bool,
    /// Why this sync failed, if it did.
    pub error: Option<String>,
}

/// A sync ended: keep its summary; reload counts and the list when it changed anything.
pub(super) fn synced(state: &mut State, status: SyncStatus) -> Vec<Effect> {
    let changed = status.changed;
    state.sync = Some(status);
    if !changed {
        return Vec::new();
    }
    let mut effects = vec![Effect::LoadFeeds];
    effects.extend(navigate::refresh_list(state));
    effects
}

/// The status bar's words for it: `synced 14:05 · 3 waiting`, `sync failed · 3 waiting`.
pub fn status_text(state: &State) -> Option<String> {
    let sync = state.sync.as_ref()?;
    let mut text = match (&sync.error, sync.last_sync) {
        (Some(_), _) => "sync failed".to_string(),
        (None, Some(at)) => format!(
            "synced {}",
            at.with_timezone(&state.utc_offset).format("%H:%M")
        ),
        (None, None) => "synced".to_string(),
    };
    if sync.waiting > 0 {
        text.push_str(&format!(" · {} waiting", sync.waiting));
    }
    Some(text)
}
