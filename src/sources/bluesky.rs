//! Bluesky accounts through the public AppView (no login).

use super::FetchError;
use super::fetch::{Context, Outcome, Prior};
use crate::model::BlueskySpec;

pub async fn fetch(
    _ctx: &Context<'_>,
    spec: &BlueskySpec,
    _prior: &Prior,
) -> Result<Outcome, FetchError> {
    Err(FetchError::Bluesky(format!(
        "Bluesky support is not built yet ({})",
        spec.actor
    )))
}
