#!/usr/bin/env python3
"""Share of CPU samples by area, from `perf script` output of a `--call-graph dwarf` profile.

    perf script -i perf.data | python3 perf_areas.py [--top N]

Each sample goes to one area: to "allocation" when its innermost user-space frame is the
allocator, otherwise to the area of the innermost frame that matches a rule below (so a
memcpy inside feed-rs counts as XML parsing, a page fault inside SQLite as SQLite). Samples
whose stack matches no rule are listed by innermost symbol so the rules can be extended.
"""

import argparse
import collections
import re
import sys

ALLOC = re.compile(r"^(__GI_)?(malloc|free|realloc|calloc|cfree|_int_malloc|_int_free|_int_realloc|malloc_consolidate|"
                   r"unlink_chunk|__libc_(malloc|free|realloc|calloc)|tcache_|__rust_(alloc|dealloc|realloc)|"
                   r"alloc::alloc::|sysmalloc|__default_morecore|brk|__brk|mmap64|munmap)")
# (area, pattern on the demangled symbol); the innermost matching frame wins.
RULES = [
    ("language detection", r"coopnews::sources::language|^whichlang"),
    ("search index (FTS5)", r"^(sqlite3)?[Ff]ts5|fts5"),
    ("SQLite file I/O (pwrite, pread, fsync syscalls)", r"^(__libc_|__GI_)?(pwrite|pread|fsync|fdatasync|"
                                                         r"unlink|ftruncate)|^unix(Write|Read|Sync|Truncate)"),
    ("SQLite b-tree, pager, WAL, SQL", r"^sqlite3|^rusqlite::|^pager|^btree|^wal[A-Z]|^vdbe|^balance|"
                                                 r"^insertCell|^unixSync|^unixWrite|^fsync|^fdatasync"),
    ("store (our SQL side)", r"^coopnews::store::|^coopnews::refresh::writer"),
    ("body → text (plaintext)", r"coopnews::sources::feed::plaintext"),
    ("absolute links", r"coopnews::sources::feed::absolute"),
    ("text cleaning (clean_inline/clean_block)", r"^coopnews::text::"),
    ("feed-rs model → articles (map)", r"coopnews::sources::feed::map"),
    ("XML parsing (feed-rs, quick-xml)", r"^feed_rs::|^quick_xml::|^<feed_rs|^<quick_xml|"
                                         r"coopnews::sources::feed::(prepare|references|entities)|"
                                         r"coopnews::sources::(feed::|encoding)"),
    ("HTML entities / regex / misc parse", r"^regex|^aho_corasick|^memchr::"),
    ("HTTP (hyper, reqwest, sockets)", r"^hyper|^reqwest|^h2::|^http::|^<hyper|^<reqwest|^tokio::net|^mio::|"
                                       r"^tokio::io|^__libc_recv|^__libc_send|^recv|^send|^__GI___writev|"
                                       r"^tower|^hyper_util|^<hyper_util|^flate2|^brotli|^coopnews::sources::(http|fetch)"),
    ("async runtime / threads", r"^tokio::|^<tokio|^crossbeam|^parking_lot|"
                                r"^futex|^__lll_lock|^pthread_|^syscall$|^epoll_wait"),
    ("refresh orchestration", r"^coopnews::refresh|^coopnews::runtime"),
    ("start-up / config", r"^coopnews::config|^toml|^_dl_|^clap"),
]
RULES = [(area, re.compile(p)) for area, p in RULES]


def samples(stream):
    """Yield each sample's thread name and frames, innermost first, as (symbol, dso)."""
    frames, comm = [], ""
    for line in stream:
        if line.startswith((" ", "\t")):
            part = line.strip()
            if not part:
                continue
            # "addr symbol+0xoff (dso)"
            m = re.match(r"^[0-9a-f]+\s+(.*?)(?:\+0x[0-9a-f]+)?\s+\((.*)\)$", part)
            if m:
                frames.append((m.group(1), m.group(2)))
        elif line.strip():
            if frames:
                yield comm, frames
            frames, comm = [], line.split()[0]
    if frames:
        yield comm, frames


def kernel(dso):
    return dso.startswith("[kernel")


def classify(frames):
    user = [(s, d) for s, d in frames if not kernel(d)]
    if not user:
        return "kernel (no user frame)", frames[0][0]
    if ALLOC.search(user[0][0]):
        return "allocation (malloc/free, page faults under them)", user[0][0]
    for sym, _ in user:
        for area, pat in RULES:
            if pat.search(sym):
                return area, user[0][0]
    return None, user[0][0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--detail", action="store_true", help="also the top innermost symbols of each area")
    args = ap.parse_args()
    areas, unmatched, leaves = collections.Counter(), collections.Counter(), collections.Counter()
    by_area = collections.defaultdict(collections.Counter)
    threads, in_kernel = collections.Counter(), 0
    total = 0
    for comm, frames in samples(sys.stdin):
        total += 1
        threads[comm] += 1
        in_kernel += kernel(frames[0][1])
        area, leaf = classify(frames)
        leaves[leaf] += 1
        if area is None:
            unmatched[leaf] += 1
            area = "other"
        areas[area] += 1
        by_area[area][leaf] += 1
    if not total:
        raise SystemExit("no samples")
    print(f"{total} samples; in the kernel: {100 * in_kernel / total:.1f} %; by thread: "
          + ", ".join(f"{t} {100 * n / total:.1f} %" for t, n in threads.most_common(5)))
    print(f"\n| area | share of CPU samples |\n|---|---|")
    for area, n in areas.most_common():
        print(f"| {area} | {100 * n / total:.1f} % |")
    if args.detail:
        for area, n in areas.most_common():
            print(f"\n{area}: " + "; ".join(f"{s[:60]} {100 * c / total:.1f} %" for s, c in by_area[area].most_common(8)))
    print(f"\nInnermost symbols (self time), top {args.top}:")
    for sym, n in leaves.most_common(args.top):
        print(f"  {100 * n / total:5.1f} %  {sym[:110]}")
    if unmatched:
        print(f"\nUnmatched (in 'other'), top {args.top}:")
        for sym, n in unmatched.most_common(args.top):
            print(f"  {100 * n / total:5.1f} %  {sym[:110]}")


if __name__ == "__main__":
    main()
