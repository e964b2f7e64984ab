//! Work left by a migration on the rows already stored, done once at the next open and
//! marked done in `pending_backfill`: canonical links (schema 6), folding (schema 8).

use rusqlite::params;

use super::StoreError;
use super::folds::{NewFold, canonical_of, fold_new};
use crate::model::{ArticleId, FeedId};

/// Fill in the canonical link of articles stored before it existed (schema 5).
pub(super) fn canonical_links(conn: &mut rusqlite::Connection) -> Result<(), StoreError> {
    let pending: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM pending_backfill WHERE name = 'canonical')",
        [],
        |r| r.get(0),
    )?;
    if !pending {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    {
        let mut select = tx.prepare("SELECT id, link FROM articles WHERE link IS NOT NULL")?;
        let rows: Vec<(ArticleId, String)> = select
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let mut update = tx.prepare("UPDATE articles SET canonical = ?2 WHERE id = ?1")?;
        for (id, link) in rows {
            update.execute(params![id, canonical_of(Some(&link))])?;
        }
        tx.execute("DELETE FROM pending_backfill WHERE name = 'canonical'", [])?;
    }
    tx.commit()?;
    Ok(())
}

/// Fold the stories stored twice before folding existed (schema 8), once: every row not yet
/// folded goes through `fold_new` in the order it was stored, as if it arrived now.
pub(super) fn folds(conn: &mut rusqlite::Connection) -> Result<(), StoreError> {
    let pending: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM pending_backfill WHERE name = 'fold')",
        [],
        |r| r.get(0),
    )?;
    if !pending {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    {
        let mut select = tx.prepare(
            "SELECT id, feed_id, canonical, links FROM articles
             WHERE folded_into IS NULL ORDER BY id",
        )?;
        type Stored = (ArticleId, FeedId, Option<String>, String);
        let rows: Vec<Stored> = select
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<Result<_, _>>()?;
        let links: Vec<Vec<String>> = rows
            .iter()
            .map(|(.., links)| serde_json::from_str(links).unwrap_or_default())
            .collect();
        let folds: Vec<NewFold<'_>> = rows
            .iter()
            .zip(&links)
            .map(|((id, feed, canonical, _), links)| NewFold {
                id: *id,
                feed: *feed,
                canonical: canonical.clone(),
                links,
            })
            .collect();
        fold_new(&tx, &folds)?;
        tx.execute("DELETE FROM pending_backfill WHERE name = 'fold'", [])?;
    }
    tx.commit()?;
    Ok(())
}
