//! `coopnews mark-read` and `mark-unread`.

use super::{Env, Outcome};
use crate::store::Scope;

pub fn read(env: &Env, ids: &[i64], feed: Option<&str>, all: bool) -> Outcome {
    let (mut store, feed_ids) = env.open_store()?;
    let scope = if all {
        Scope::Feeds(feed_ids)
    } else if let Some(name) = feed {
        Scope::Feeds(env.feeds_named(&store, &feed_ids, name)?)
    } else {
        Scope::Ids(ids.to_vec())
    };
    let changed = store.set_read(&scope, true)?;
    eprintln!("{}", env.lang.n("cli.marked_read", changed as u64, &[]));
    Ok(())
}

pub fn unread(env: &Env, ids: &[i64]) -> Outcome {
    let (mut store, _) = env.open_store()?;
    let changed = store.set_read(&Scope::Ids(ids.to_vec()), false)?;
    eprintln!("{}", env.lang.n("cli.marked_unread", changed as u64, &[]));
    Ok(())
}
