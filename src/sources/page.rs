//! News listing pages read with CSS selectors, for sites without a feed.

use super::FetchError;
use super::fetch::{Context, Outcome, Prior};
use crate::model::PageSpec;

pub async fn fetch(
    _ctx: &Context<'_>,
    spec: &PageSpec,
    _prior: &Prior,
) -> Result<Outcome, FetchError> {
    Err(FetchError::Page(format!(
        "page subscriptions are not built yet ({})",
        spec.url
    )))
}
