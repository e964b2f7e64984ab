#!/usr/bin/env python3
"""Whole-program comparison of coopnews and its peers; run through `run.sh`.

The data are the reference sets of `../shared/bench/` (generated once by its `gen_feeds.py`),
served on 127.0.0.1 by its `serve.py` (ETag/Last-Modified and 304s, `--delay-ms`, `/__stats`).
Each scenario runs every program RUNS times from a prepared state and records per run the wall
time, the CPU time (user + system, from wait4) and the peak resident memory of the process
(GNU time's %M; for the reader in a pseudo-terminal, VmHWM while it runs). Time to first
screen runs the reader in a pseudo-terminal and stops the clock when a known title appears in
what it drew. Prints and writes a Markdown report of the medians.

Peers: newsboat (Debian package) always, unless --no-newsboat; newsraft and russ only when a
binary of that name is on PATH (no registry here carries them), else their rows say so.
"""

import argparse
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess

from measure import DataSet, Server, first_screen_once, run_once
from report import report

NOT_INSTALLED = "not measured (not installed)"


def clear(*paths):
    for p in paths:
        if os.path.isdir(p):
            shutil.rmtree(p)
        elif os.path.exists(p):
            os.remove(p)


class Bench:
    def __init__(self, args):
        self.args = args
        self.work = args.work
        self.results = []  # (scenario, program, wall, cpu, rss, runs, note)
        self.newsraft = shutil.which("newsraft")
        self.russ = shutil.which("russ")

    def record(self, scenario, program, samples, note=""):
        walls = [s[0] for s in samples]
        cpus = [s[1] for s in samples if s[1] is not None]
        rss = [s[2] for s in samples]
        row = (scenario, program, statistics.median(walls), statistics.median(cpus) if cpus else None,
               statistics.median(rss), len(samples), note)
        self.results.append(row)
        cpu = f"{row[3]:.3f}s cpu" if row[3] is not None else ""
        spread = f"[{min(walls):.3f}–{max(walls):.3f}]"
        print(f"  {program:24} wall {row[2]:.3f}s {spread}  {cpu}  peak {row[4]:.1f} MB  (n={row[5]}) {note}",
              flush=True)

    def skip(self, scenario, program, note):
        self.results.append((scenario, program, None, None, None, 0, note))
        print(f"  {program:24} {note}", flush=True)

    # coopnews ----------------------------------------------------------------------------
    def coop_config(self, name, urls, concurrency=None):
        """Default settings except `per_host_concurrency = 16` (every feed is on 127.0.0.1)."""
        path = os.path.join(self.work, f"{name}.toml")
        with open(path, "w") as f:
            f.write("refresh_on_start = false\n")  # the reader opens on what is stored
            f.write("per_host_concurrency = 16\n")
            if concurrency is not None:
                f.write(f"concurrency = {concurrency}\n")
            for u in urls:
                f.write(f'\n[[feeds]]\nurl = "{u}"\n')
        return path

    def coop_refresh(self, config, data_dir):
        cmd = [self.args.coopnews, "--config", config, "--data-dir", data_dir, "refresh"]
        wall, cpu, rss, err = run_once(cmd)
        summary = err.strip().splitlines()[-1] if err.strip() else ""
        m = re.search(r"\((\d+) new articles\), (\d+) unchanged, (\d+) failed", summary)
        if not m or m.group(3) != "0":
            raise SystemExit(f"coopnews refresh did not complete cleanly: {summary}")
        return wall, cpu, rss, summary

    # newsboat ----------------------------------------------------------------------------
    def nb_files(self, name, urls, threads):
        url_file = os.path.join(self.work, f"{name}.nburls")
        with open(url_file, "w") as f:
            f.writelines(u + "\n" for u in urls)
        config = os.path.join(self.work, f"{name}.nbconfig")
        with open(config, "w") as f:
            f.write(f"reload-threads {threads}\n")
        return url_file, config

    def nb_reload(self, urls, config, cache):
        cmd = ["newsboat", "-u", urls, "-c", cache, "-C", config, "-x", "reload"]
        wall, cpu, rss, _ = run_once(cmd, env=self.env())
        return wall, cpu, rss

    def env(self):
        env = dict(os.environ, HOME=os.path.join(self.work, "home"), TERM="xterm-256color", LANG="C.UTF-8")
        os.makedirs(env["HOME"], exist_ok=True)
        return env

    @staticmethod
    def nb_count(cache):
        with sqlite3.connect(cache) as db:
            return db.execute("SELECT COUNT(*) FROM rss_item").fetchone()[0]

    # newsraft (only when installed) -------------------------------------------------------
    def nr_reload(self, name, urls, db):
        feeds = os.path.join(self.work, f"{name}.nrfeeds")
        with open(feeds, "w") as f:
            f.writelines(u + "\n" for u in urls)
        config = os.path.join(self.work, f"{name}.nrconfig")
        open(config, "w").close()  # its defaults
        cmd = [self.newsraft, "-f", feeds, "-c", config, "-d", db, "-e", "reload-all"]
        wall, cpu, rss, _ = run_once(cmd, env=self.env())
        return wall, cpu, rss

    def peers_not_run(self, scenario):
        if not self.newsraft:
            self.skip(scenario, "newsraft", NOT_INSTALLED)
        if self.russ:
            self.skip(scenario, "russ", "installed, but the harness has no non-interactive refresh of russ to time")
        else:
            self.skip(scenario, "russ", NOT_INSTALLED)

    # scenarios ---------------------------------------------------------------------------
    def refresh_scenario(self, key, scenario, data, delay_ms, nb_threads, concurrency=None):
        """Every program's first refresh into an empty store, RUNS times."""
        print(f"\n## {scenario}", flush=True)
        expect = data.manifest.get("total_items") or data.manifest.get("big_items")
        server = Server(self.args.serve, data.root, delay_ms)
        try:
            urls = data.urls(server)
            config = self.coop_config(key, urls, concurrency)
            data_dir = os.path.join(self.work, "coop-" + key)
            samples, note = [], ""
            for _ in range(self.args.runs):
                clear(data_dir)
                wall, cpu, rss, summary = self.coop_refresh(config, data_dir)
                note = summary.split(": ", 1)[-1]
                if f"({expect} new articles)" not in summary:
                    raise SystemExit(f"coopnews stored other than {expect} articles: {summary}")
                samples.append((wall, cpu, rss))
            self.record(scenario, "coopnews", samples, note)
            if not self.args.no_newsboat:
                url_file, nbconf = self.nb_files(key, urls, nb_threads)
                cache = os.path.join(self.work, f"nb-{key}.db")
                samples = []
                for _ in range(self.args.nb_runs):
                    clear(cache, cache + ".lock")
                    samples.append(self.nb_reload(url_file, nbconf, cache))
                self.record(scenario, "newsboat", samples,
                            f"reload-threads {nb_threads}; {self.nb_count(cache)} items stored")
            if self.newsraft:
                db = os.path.join(self.work, f"nr-{key}.db")
                samples = []
                for _ in range(self.args.nb_runs):
                    clear(db)
                    samples.append(self.nr_reload(key, urls, db))
                self.record(scenario, "newsraft", samples, "its default settings")
            self.peers_not_run(scenario)
        finally:
            server.stop()

    def not_modified_scenario(self, scenario, key, data, nb_threads, concurrency=None, conditional=True):
        """A refresh over the store its first one filled, RUNS times: every feed answers 304,
        or, from a server without validators, sends again what it sent."""
        print(f"\n## {scenario}", flush=True)
        server = Server(self.args.serve, data.root, 0, conditional)
        feeds = len(data.paths)
        answer = "304" if conditional else "200"
        try:
            urls = data.urls(server)
            config = self.coop_config(key, urls, concurrency)
            data_dir = os.path.join(self.work, "coop-" + key)
            clear(data_dir)
            self.coop_refresh(config, data_dir)
            samples, note = [], ""
            for _ in range(self.args.runs):
                server.reset()
                wall, cpu, rss, summary = self.coop_refresh(config, data_dir)
                got = server.stats().get(answer, 0)
                if got != feeds or "(0 new articles)" not in summary:
                    raise SystemExit(f"coopnews: {got} of {feeds} feeds answered {answer}: {summary}")
                note = f"{got} × {answer} a run (server's /__stats), nothing new"
                samples.append((wall, cpu, rss))
            self.record(scenario, "coopnews", samples, note)
            if not self.args.no_newsboat:
                url_file, nbconf = self.nb_files(key, urls, nb_threads)
                cache = os.path.join(self.work, f"nb-{key}.db")
                clear(cache, cache + ".lock")
                self.nb_reload(url_file, nbconf, cache)
                samples, got = [], {}
                for _ in range(self.args.nb_runs):
                    server.reset()
                    samples.append(self.nb_reload(url_file, nbconf, cache))
                    got = server.stats()
                self.record(scenario, "newsboat", samples, f"reload-threads {nb_threads}; "
                            f"{got.get('304', 0)} × 304, {got.get('200', 0)} × 200 a run")
            if self.newsraft:
                db = os.path.join(self.work, f"nr-{key}.db")
                clear(db)
                self.nr_reload(key, urls, db)
                samples, got = [], {}
                for _ in range(self.args.nb_runs):
                    server.reset()
                    samples.append(self.nr_reload(key, urls, db))
                    got = server.stats()
                self.record(scenario, "newsraft", samples, f"{got.get('304', 0)} × 304, {got.get('200', 0)} × 200 a run")
            self.peers_not_run(scenario)
        finally:
            server.stop()

    def first_screen(self, data):
        """The reader over the store the fill left, in a pty: start to the newest title drawn."""
        stored = data.manifest["total_items"]
        scenario = f"first screen, {stored:,} stored"
        print(f"\n## {scenario}", flush=True)
        config = os.path.join(self.work, "fill.toml")
        data_dir = os.path.join(self.work, "coop-fill")
        cmd = [self.args.coopnews, "--config", config, "--data-dir", data_dir]
        marker = self.coop_marker(cmd)
        samples = [first_screen_once(cmd, marker, self.env()) for _ in range(self.args.runs)]
        self.record(scenario, "coopnews", [(wall, None, rss) for wall, rss in samples],
                    f"until the newest title is drawn ({marker!r})")
        if not self.args.no_newsboat:
            url_file = os.path.join(self.work, "fill.nburls")
            nbconf = os.path.join(self.work, "fill.nbconfig")
            cache = os.path.join(self.work, "nb-fill.db")
            # Newsboat opens on its feed list; feed 0's title is on its first line.
            nb_marker = feed_title(os.path.join(data.root, data.paths[0]))
            samples = []
            for _ in range(self.args.nb_runs):
                clear(cache + ".lock")
                wall, rss = first_screen_once(["newsboat", "-u", url_file, "-c", cache, "-C", nbconf],
                                              nb_marker, self.env())
                samples.append((wall, None, rss))
            self.record(scenario, "newsboat", samples, f"until its feed list is drawn ({nb_marker!r})")
        self.skip(scenario, "newsraft", "not measured" + (" (not installed)" if not self.newsraft else ""))
        self.skip(scenario, "russ", "not measured" + (" (not installed)" if not self.russ else ""))

        scenario = f"search over {stored:,} (`list --search`, whole process)"
        print(f"\n## {scenario}", flush=True)
        samples = []
        words = ["economia", "città", "benchmark latency", "maintainer", "sviluppo"]
        for i in range(max(5, self.args.runs)):
            word = words[i % len(words)]
            wall, cpu, rss, _ = run_once(cmd + ["list", "--search", word, "--limit", "50"])
            samples.append((wall, cpu, rss))
        self.record(scenario, "coopnews", samples, "5 different queries, first 50 rows each")

    def coop_marker(self, cmd):
        """The start of the newest stored title, as the list shows it first."""
        out = subprocess.run(cmd + ["list", "--limit", "1", "--json"], capture_output=True, text=True, check=True)
        text = out.stdout.strip()
        row = json.loads(text.splitlines()[0]) if text.startswith("{") else json.loads(text)[0]
        words = row["title"].split()
        marker = ""
        for w in words:  # a few words, short enough not to be cut by a narrow column
            if len(marker) + len(w) + 1 > 18 or not w.isprintable() or not w.isascii():
                break
            marker = f"{marker} {w}".strip()
        return marker or words[0]


def feed_title(path):
    head = open(path, encoding="utf-8").read(4096)
    m = re.search(r"<title[^>]*>([^<]+)</title>", head)
    return m.group(1) if m else "feed"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--coopnews", required=True)
    ap.add_argument("--serve", required=True, help="../shared/bench/serve.py")
    ap.add_argument("--data", required=True, help="directory with the generated sets f200, f500, big")
    ap.add_argument("--work", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--nb-runs", type=int, default=5)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-newsboat", action="store_true")
    ap.add_argument("--only", default="", help="comma-separated scenario keys: first,delay,304,304full,again,big,fill")
    ap.add_argument("--out", required=True)
    ap.add_argument("--versions", default="")
    args = ap.parse_args()
    args.load_at_start = open("/proc/loadavg").read().split()[:3]
    os.makedirs(args.work, exist_ok=True)
    bench = Bench(args)
    only = set(filter(None, args.only.split(",")))
    want = lambda key: not only or key in only
    d = lambda name: os.path.join(args.data, name)
    f200, f500 = DataSet(d("f200")), DataSet(d("f500"))
    if want("first"):
        bench.refresh_scenario("first", "first refresh f200", f200, 0, 16)
    if want("delay"):
        bench.refresh_scenario("delay", "first refresh f200, 100 ms delay", f200, 100, 16)
    if want("304"):
        bench.not_modified_scenario("every feed answers 304 (f200)", "notmod", f200, 16)
    if want("304full"):
        # What a store kept for months pays at each refresh, beyond its feeds.
        stored = f500.manifest["total_items"]
        bench.not_modified_scenario(f"f500 over {stored:,} stored, every feed answering 304", "notmodfull", f500,
                                    8, concurrency=8)
    if want("again"):
        # A server without validators sends the whole feed at every refresh.
        bench.not_modified_scenario("f200 sent again, unchanged, by a server without validators", "again",
                                    f200, 16, conditional=False)
    if want("big"):
        bench.refresh_scenario("big", "one 10.5 MB feed (5,000 items)", DataSet(d("big"), "urls-big"), 0, 1)
    if want("fill"):
        bench.refresh_scenario("fill", "fill f500, concurrency 8", f500, 0, 8, concurrency=8)
        bench.first_screen(f500)
    text = report(bench, args, args.versions)
    with open(args.out, "w") as f:
        f.write(text)
    print("\n" + text)


if __name__ == "__main__":
    main()
