//! A big feed's articles, made and enriched on every core: it is refreshed alone, with the
//! other cores idle, and turning 5,000 bodies into text and telling their languages is
//! most of its parse.

/// Items from which the work is worth splitting over threads.
const FROM: usize = 1_000;

/// How many threads `items` are worth: 1 below [`FROM`], else one a core.
pub fn threads_for(items: usize) -> usize {
    if items < FROM { 1 } else { cores() }
}

/// Bytes of XML from which a feed's articles are made while it is read: a megabyte holds
/// some 500 items of the reference data, and takes ~10 ms to read.
const DOCUMENT_FROM: usize = 1 << 20;

/// How many threads reading a document of `bytes` is worth: 1 below [`DOCUMENT_FROM`], else
/// one a core.
pub fn threads_for_document(bytes: usize) -> usize {
    if bytes < DOCUMENT_FROM { 1 } else { cores() }
}

/// Asked only for big feeds: the answer comes from reading cgroup files.
fn cores() -> usize {
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

/// Items handed to the other threads at a time: enough that the channel is not the work.
const CHUNK: usize = 64;

/// `produce` on this thread, while the items it hands over are turned into results by `f`
/// on the other cores as they come; then this thread helps with what is left. The results
/// come back in the order the items were produced. A big feed's articles are made while its
/// document is still being read, where reading it first left one core idle for a fifth of
/// the refresh. With one thread, this thread makes them all once `produce` is done.
/// `produce`'s error stops the work and is returned.
pub fn map_while_producing<T: Send, U: Send, R, E>(
    threads: usize,
    produce: impl FnOnce(&mut dyn FnMut(T)) -> Result<R, E>,
    f: impl Fn(T) -> U + Sync,
) -> Result<(R, Vec<U>), E> {
    let (send, receive) = std::sync::mpsc::channel::<(usize, Vec<T>)>();
    let receive = std::sync::Mutex::new(receive);
    let work = || {
        let mut done = Vec::new();
        loop {
            // The lock is held while waiting: the others wait for it instead of the channel.
            let next = match receive.lock() {
                Ok(receive) => receive.recv(),
                Err(_) => return done,
            };
            let Ok((at, chunk)) = next else {
                return done;
            };
            done.push((at, chunk.into_iter().map(&f).collect::<Vec<U>>()));
        }
    };
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut chunk = Vec::with_capacity(CHUNK);
        let mut sent = 0;
        let produced = produce(&mut |item| {
            chunk.push(item);
            if chunk.len() == CHUNK {
                let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK));
                // The helpers only stop once the sender is gone: the send cannot fail.
                let _ = send.send((sent, full));
                sent += 1;
            }
        });
        if produced.is_ok() && !chunk.is_empty() {
            let _ = send.send((sent, std::mem::take(&mut chunk)));
        }
        drop(send);
        // Nothing more comes: this thread helps with the rest, or, after an error, only
        // empties the queue, as the results are dropped.
        let mut done = match &produced {
            Ok(_) => work(),
            Err(_) => {
                if let Ok(queue) = receive.lock() {
                    queue.try_iter().for_each(drop);
                }
                Vec::new()
            }
        };
        for helper in helpers {
            // A panic in a helper goes on as one here, which the caller's guard catches.
            done.extend(
                helper
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p)),
            );
        }
        let produced = produced?;
        done.sort_unstable_by_key(|(at, _)| *at);
        Ok((
            produced,
            done.into_iter().flat_map(|(_, out)| out).collect(),
        ))
    })
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

    #[test]
    fn results_come_back_in_the_order_produced_however_many_threads() {
        for threads in [1, 2, 3] {
            for len in [0, 1, CHUNK - 1, CHUNK, 10 * CHUNK + 3] {
                let (said, out) = map_while_producing(
                    threads,
                    |hand: &mut dyn FnMut(usize)| {
                        (0..len).for_each(&mut *hand);
                        Ok::<_, ()>("read")
                    },
                    |i| i * 3,
                )
                .unwrap();
                assert_eq!(said, "read");
                assert_eq!(
                    out,
                    (0..len).map(|i| i * 3).collect::<Vec<_>>(),
                    "{threads} {len}"
                );
            }
        }
    }

    #[test]
    fn an_error_while_producing_is_returned_and_nothing_else() {
        for threads in [1, 2] {
            let made = std::sync::atomic::AtomicUsize::new(0);
            let result = map_while_producing(
                threads,
                |hand: &mut dyn FnMut(usize)| {
                    (0..5 * CHUNK).for_each(&mut *hand);
                    Err::<(), _>("malformed")
                },
                |i| {
                    made.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    i
                },
            );
            assert_eq!(result, Err("malformed"));
            // A helper may have made what was handed over before the error; this thread
            // makes nothing after it, so alone it makes nothing at all.
            let made = made.into_inner();
            assert!(made <= 5 * CHUNK);
            if threads == 1 {
                assert_eq!(made, 0);
            }
        }
    }
}
