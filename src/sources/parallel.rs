//! A big feed's articles, made and enriched on every core: it is refreshed alone, with the
//! other cores idle, and turning 5,000 bodies into text and telling their languages is
//! most of its parse.

/// Items from which the work is worth splitting over threads.
const FROM: usize = 1_000;

/// How many threads `items` are worth: 1 below [`FROM`], else one a core.
pub fn threads_for(items: usize) -> usize {
    if items < FROM {
        return 1;
    }
    // Asked only for big feeds: the answer comes from reading cgroup files.
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// `f` on every item, in place; on several threads when there are enough items.
pub fn for_each_mut<T: Send>(items: &mut [T], f: impl Fn(&mut T) + Sync) {
    let threads = threads_for(items.len());
    if threads < 2 {
        return items.iter_mut().for_each(f);
    }
    let f = &f;
    std::thread::scope(|scope| {
        for chunk in items.chunks_mut(items.len().div_ceil(threads)) {
            scope.spawn(move || chunk.iter_mut().for_each(f));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_is_done_once_in_place() {
        for len in [0, 3, FROM - 1, FROM, 2 * FROM + 7] {
            let mut items: Vec<usize> = (0..len).collect();
            for_each_mut(&mut items, |i| *i *= 2);
            assert!(items.iter().enumerate().all(|(n, i)| *i == 2 * n), "{len}");
        }
    }
}
