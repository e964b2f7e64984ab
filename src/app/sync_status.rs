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
    // What went wrong is said once, where messages go; the status bar keeps "sync failed".
    if let Some(error) = &status.error {
        state.message = Some(state.lang.f("msg.sync_failed", &[("error", error)]));
    }
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
    let lang = state.lang;
    let mut text = match (&sync.error, sync.last_sync) {
        (Some(_), _) => lang.t("status.sync_failed").to_string(),
        (None, Some(at)) => {
            let time = at.with_timezone(&state.utc_offset).format("%H:%M");
            lang.f("status.synced_at", &[("time", &time)])
        }
        (None, None) => lang.t("status.synced").to_string(),
    };
    if sync.waiting > 0 {
        text.push_str(" · ");
        text.push_str(&lang.n("status.waiting", sync.waiting as u64, &[]));
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use chrono::{FixedOffset, TimeZone, Utc};

    use super::*;
    use crate::app::Keymap;

    fn state() -> State {
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
        let keymap = Keymap::from_config(&Default::default()).unwrap();
        State::new(now, FixedOffset::east_opt(3600).unwrap(), keymap)
    }

    #[test]
    fn the_status_bar_says_when_and_what_waits() {
        let mut state = state();
        assert_eq!(status_text(&state), None);
        let at = Utc.with_ymd_and_hms(2026, 3, 1, 11, 58, 0).unwrap();
        let effects = synced(
            &mut state,
            SyncStatus {
                last_sync: Some(at),
                waiting: 3,
                changed: true,
                error: None,
            },
        );
        assert_eq!(effects.first(), Some(&Effect::LoadFeeds));
        assert_eq!(
            status_text(&state).as_deref(),
            Some("synced 12:58 · 3 waiting")
        );
        let failed = SyncStatus {
            last_sync: Some(at),
            waiting: 1,
            changed: false,
            error: Some("down".into()),
        };
        assert!(synced(&mut state, failed).is_empty());
        assert_eq!(state.message.as_deref(), Some("sync failed: down"));
        assert_eq!(
            status_text(&state).as_deref(),
            Some("sync failed · 1 waiting")
        );
    }
}
