#!/usr/bin/env python3
"""Whole-program comparison of coopnews and newsboat; run through `run.sh`.

Each scenario: serve a generated data set on 127.0.0.1 (benches/compare/server.rs), run the
program RUNS times from a prepared state, and record per run the wall time, the CPU time
(user + system, from wait4) and the peak resident memory of the process (GNU time's %M;
for the reader, VmHWM while it runs).
Time to first screen runs the reader in a pseudo-terminal and stops the clock when a known
title appears in what it drew. Prints and writes a Markdown report of the medians.
"""

import argparse
import datetime
import fcntl
import os
import platform
import pty
import re
import select
import shutil
import signal
import sqlite3
import statistics
import struct
import subprocess
import tempfile
import termios
import time

MARKER = "ZQXMARK"  # in the newest title of feed 0 (gen.py --marker)
ANSI = re.compile(rb"\x1b\[[0-9;?<=>]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]")


class Server:
    def __init__(self, binary, root, delay_ms):
        self.proc = subprocess.Popen([binary, root, "--delay-ms", str(delay_ms)], stdout=subprocess.PIPE)
        self.port = int(self.proc.stdout.readline())

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def run_once(cmd, env=None):
    """Wall seconds, CPU seconds, peak RSS in MB, stderr text.

    The program runs under GNU time, which reports its peak: ru_maxrss of a child started
    by this harness would include the harness's own ~17 MB, which Linux carries into a
    child across vfork+exec (/bin/true "peaked" at 16.7 MB). GNU time is a small C program,
    so the floor becomes ~2 MB. CPU is still from wait4 (it counts the waited-for program).
    """
    with open(os.devnull, "wb") as devnull, tempfile.NamedTemporaryFile("r") as peak:
        started = time.perf_counter()
        wrapped = ["/usr/bin/time", "-f", "%M", "-o", peak.name, *cmd]
        proc = subprocess.Popen(wrapped, stdout=devnull, stderr=subprocess.PIPE, env=env)
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        peak_kb = int(peak.read().split()[-1])
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed ({proc.returncode}): {err.decode(errors='replace')[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, peak_kb / 1024, err.decode(errors="replace")


def first_screen_once(cmd, marker, env, timeout=180):
    """Spawn `cmd` in an 120×40 pty; seconds until `marker` is drawn, and peak RSS in MB."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    seen, found, buf = None, False, b""
    while time.perf_counter() - started < timeout:
        ready, _, _ = select.select([master], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        buf += chunk
        if marker.encode() in buf or marker.encode() in ANSI.sub(b"", buf):
            seen = time.perf_counter() - started
            found = True
            break
    usage = None
    # The program's own peak so far, read while it runs: rusage's ru_maxrss would report at
    # least this harness's RSS (~17 MB), which Linux carries into a child across vfork+exec.
    own_peak = vm_hwm_mb(proc.pid) if found else None
    if found:
        os.write(master, b"q")
        deadline = time.time() + 5
        while usage is None and time.time() < deadline:
            # wait4 rather than Popen.poll, which would reap the child and lose its rusage.
            pid, _, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                usage = ru
                break
            try:
                if select.select([master], [], [], 0.05)[0]:
                    os.read(master, 65536)
            except OSError:
                time.sleep(0.05)
    if usage is None:
        os.killpg(proc.pid, signal.SIGKILL)
        _, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0  # reaped above; keep Popen from waiting again
    os.close(master)
    if not found:
        tail = ANSI.sub(b"", buf)[-600:].decode(errors="replace")
        raise SystemExit(f"{cmd[0]}: '{marker}' never appeared on screen; last output: {tail!r}")
    return seen, own_peak if own_peak is not None else usage.ru_maxrss / 1024


def vm_hwm_mb(pid):
    """Peak RSS of a running process in MB from /proc (Linux), else None."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


class Bench:
    def __init__(self, args):
        self.args = args
        self.work = args.work
        self.results = []  # (scenario, program, walls, cpus, rsss, note)

    def record(self, scenario, program, samples, note=""):
        walls = [s[0] for s in samples]
        cpus = [s[1] for s in samples if s[1] is not None]
        rss = [s[2] for s in samples]
        row = (scenario, program, statistics.median(walls), statistics.median(cpus) if cpus else None,
               statistics.median(rss), len(samples), note)
        self.results.append(row)
        cpu = f"{row[3]:.3f}s cpu" if row[3] is not None else ""
        print(f"  {program:28} wall {row[2]:.3f}s  {cpu}  peak {row[4]:.1f} MB  (n={row[5]}) {note}", flush=True)

    # coopnews ----------------------------------------------------------------------------
    def coop_config(self, name, port, dataset, concurrency):
        path = os.path.join(self.work, f"{name}.toml")
        urls = open(os.path.join(dataset, "urls.txt")).read().split()
        with open(path, "w") as f:
            f.write("refresh_on_start = false\n")
            f.write(f"concurrency = {concurrency}\nper_host_concurrency = {concurrency}\n")
            f.write('max_body_size = "64MiB"\n')
            for u in urls:
                f.write(f'\n[[feeds]]\nurl = "http://127.0.0.1:{port}/{u}"\n')
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
    def nb_files(self, name, port, dataset, threads):
        urls = os.path.join(self.work, f"{name}.urls")
        with open(urls, "w") as f:
            for u in open(os.path.join(dataset, "urls.txt")).read().split():
                f.write(f"http://127.0.0.1:{port}/{u}\n")
        config = os.path.join(self.work, f"{name}.nbconfig")
        with open(config, "w") as f:
            f.write(f"reload-threads {threads}\n")
        return urls, config

    def nb_reload(self, urls, config, cache):
        cmd = ["newsboat", "-u", urls, "-c", cache, "-C", config, "-x", "reload"]
        wall, cpu, rss, _ = run_once(cmd, env=self.nb_env())
        return wall, cpu, rss

    def nb_env(self):
        env = dict(os.environ, HOME=os.path.join(self.work, "home"), TERM="xterm-256color", LANG="C.UTF-8")
        os.makedirs(env["HOME"], exist_ok=True)
        return env

    @staticmethod
    def nb_count(cache):
        with sqlite3.connect(cache) as db:
            return db.execute("SELECT COUNT(*) FROM rss_item").fetchone()[0]

    # scenarios ---------------------------------------------------------------------------
    def refresh_scenario(self, scenario, dataset, delay_ms, expect, nb_threads):
        print(f"\n## {scenario}", flush=True)
        server = Server(self.args.server, dataset, delay_ms)
        try:
            config = self.coop_config(scenario.split()[0], server.port, dataset, self.args.concurrency)
            data_dir = os.path.join(self.work, "coop-" + scenario.split()[0])
            samples, note = [], ""
            for _ in range(self.args.runs):
                shutil.rmtree(data_dir, ignore_errors=True)
                wall, cpu, rss, summary = self.coop_refresh(config, data_dir)
                note = summary.split(": ", 1)[-1]
                if f"({expect} new articles)" not in summary:
                    raise SystemExit(f"coopnews stored fewer articles than {expect}: {summary}")
                samples.append((wall, cpu, rss))
            self.record(scenario, "coopnews", samples, note)
            if self.args.no_newsboat:
                return
            for threads in nb_threads:
                urls, nbconf = self.nb_files(f"{scenario.split()[0]}-{threads}", server.port, dataset, threads)
                cache = os.path.join(self.work, f"nb-{scenario.split()[0]}.db")
                samples = []
                for _ in range(self.args.nb_runs):
                    for leftover in (cache, cache + ".lock"):
                        if os.path.exists(leftover):
                            os.remove(leftover)
                    samples.append(self.nb_reload(urls, nbconf, cache))
                self.record(scenario, f"newsboat reload-threads={threads}", samples,
                            f"{self.nb_count(cache)} items stored")
        finally:
            server.stop()

    def not_modified_scenario(self, dataset, nb_threads):
        scenario = "304 refresh of 200 × 50"
        print(f"\n## {scenario}", flush=True)
        server = Server(self.args.server, dataset, 0)
        try:
            config = self.coop_config("notmod", server.port, dataset, self.args.concurrency)
            data_dir = os.path.join(self.work, "coop-notmod")
            shutil.rmtree(data_dir, ignore_errors=True)
            self.coop_refresh(config, data_dir)
            samples, note = [], ""
            for _ in range(self.args.runs):
                wall, cpu, rss, summary = self.coop_refresh(config, data_dir)
                note = summary.split(": ", 1)[-1]
                samples.append((wall, cpu, rss))
            self.record(scenario, "coopnews", samples, note)
            if self.args.no_newsboat:
                return
            for threads in nb_threads:
                urls, nbconf = self.nb_files(f"notmod-{threads}", server.port, dataset, threads)
                cache = os.path.join(self.work, f"nb-notmod-{threads}.db")
                for leftover in (cache, cache + ".lock"):
                    if os.path.exists(leftover):
                        os.remove(leftover)
                self.nb_reload(urls, nbconf, cache)
                samples = [self.nb_reload(urls, nbconf, cache) for _ in range(self.args.nb_runs)]
                self.record(scenario, f"newsboat reload-threads={threads}", samples)
        finally:
            server.stop()

    def fill_and_read(self, dataset, expect, nb_threads):
        """Fill 500 × 200, then use those stores for first screen and search."""
        self.refresh_scenario("fill 500 × 200", dataset, 0, expect, nb_threads)
        config = os.path.join(self.work, "fill.toml")
        data_dir = os.path.join(self.work, "coop-fill")
        env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8")
        scenario = f"first screen, {expect} stored"
        print(f"\n## {scenario}", flush=True)
        cmd = [self.args.coopnews, "--config", config, "--data-dir", data_dir]
        probe = subprocess.run(cmd + ["--help"], capture_output=True, text=True)
        if "With no command, opens the reader" not in probe.stdout or self.tui_missing():
            print("  coopnews: the reader (TUI) is not in this build; scenario skipped", flush=True)
            self.results.append((scenario, "coopnews", None, None, None, 0, "reader not built yet"))
        else:
            samples = [first_screen_once(cmd, MARKER, env) for _ in range(self.args.runs)]
            self.record(scenario, "coopnews", [(wall, None, rss) for wall, rss in samples])
        if not self.args.no_newsboat:
            threads = nb_threads[-1]
            urls = os.path.join(self.work, f"fill-{threads}.urls")
            nbconf = os.path.join(self.work, f"fill-{threads}.nbconfig")
            cache = os.path.join(self.work, "nb-fill.db")
            nbcmd = ["newsboat", "-u", urls, "-c", cache, "-C", nbconf]
            # Newsboat opens on its feed list; feed 0's title is on its first line.
            samples = []
            for _ in range(self.args.nb_runs):
                if os.path.exists(cache + ".lock"):
                    os.remove(cache + ".lock")
                wall, rss = first_screen_once(nbcmd, "notizie cooperative", self.nb_env())
                samples.append((wall, None, rss))
            self.record(scenario, "newsboat", samples, "feed list")
        scenario = f"search over {expect} (`list --search`, whole process)"
        print(f"\n## {scenario}", flush=True)
        samples = []
        words = ["cooperativa", "organización", "economia lavoratori", "señal", MARKER]
        for i in range(max(5, self.args.runs)):
            word = words[i % len(words)]
            cmd = [self.args.coopnews, "--config", config, "--data-dir", data_dir, "list", "--search", word, "--limit", "50"]
            wall, cpu, rss, _ = run_once(cmd)
            samples.append((wall, cpu, rss))
        self.record(scenario, "coopnews", samples, "5 different queries, first 50 rows each")
        self.results.append((scenario, "newsboat", None, None, None, 0, "no search outside its TUI (SQL LIKE scan inside)"))

    def tui_missing(self):
        # Before the reader landed, `coopnews` with no command printed this and exited.
        out = subprocess.run([self.args.coopnews, "--config", "/dev/null"], capture_output=True, text=True,
                             stdin=subprocess.DEVNULL, timeout=10)
        return "The reader is not built yet" in out.stderr


def machine():
    cpu = "unknown"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = 0
    for line in open("/proc/meminfo"):
        if line.startswith("MemTotal"):
            mem = int(line.split()[1]) // 1024
    kernel = platform.release()
    return f"{os.cpu_count()} cores ({os.sched_getaffinity(0).__len__()} usable), {cpu}, {mem / 1024:.1f} GiB RAM, Linux {kernel}"


TARGETS = {
    "first refresh 200 × 50": (0.3, 12),
    "first refresh 200 × 50, 100 ms delay": (0.5, None),
    "304 refresh of 200 × 50": (0.07, None),
    "fill 500 × 200": (2.5, 16),
    "one feed of 5000 items": (0.25, 34),
    "first screen": (0.016, 12),
    "search": (0.020, None),
}


def target_for(scenario):
    for key, value in sorted(TARGETS.items(), key=lambda kv: -len(kv[0])):
        if scenario.startswith(key):
            return value
    return (None, None)


def report(bench, args, versions):
    lines = [
        "| scenario | program | wall (median) | CPU | peak RSS | runs | target | met | ratio coopnews/newsboat | notes |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    by_scenario = {}
    for row in bench.results:
        by_scenario.setdefault(row[0], []).append(row)
    for scenario, rows in by_scenario.items():
        coop = next((r for r in rows if r[1] == "coopnews"), None)
        for r in rows:
            wall = f"{r[2] * 1000:.0f} ms" if r[2] is not None else "—"
            cpu = f"{r[3] * 1000:.0f} ms" if r[3] is not None else "—"
            rss = f"{r[4]:.1f} MB" if r[4] is not None else "—"
            target, met, ratio = "", "", ""
            if r[1] == "coopnews":
                t_wall, t_mem = target_for(scenario)
                if t_wall is not None:
                    target = f"≤ {t_wall * 1000:.0f} ms" + (f", ≤ {t_mem} MB" if t_mem else "")
                    if r[2] is not None:
                        ok = r[2] <= t_wall and (t_mem is None or r[4] <= t_mem)
                        met = "yes" if ok else "**no**"
            elif coop and coop[2] is not None and r[2] is not None:
                ratio = f"{coop[2] / r[2]:.3f} (wall), {coop[4] / r[4]:.2f} (RSS)"
            lines.append(f"| {scenario} | {r[1]} | {wall} | {cpu} | {rss} | {r[5]} | {target} | {met} | {ratio} | {r[6]} |")
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    head = [
        "# coopnews vs newsboat: benchmark results",
        "",
        f"Generated by `bash benches/compare/run.sh`{' (QUICK=1 smoke mode: not representative)' if args.quick else ''} on {now}.",
        "",
        f"- Machine: {machine()}",
        f"- Programs: {versions}",
        f"- coopnews runs with `concurrency = {args.concurrency}` and `per_host_concurrency = {args.concurrency}` "
        "(the default 2 per host would serialise the benchmark, whose feeds all share 127.0.0.1); "
        "newsboat with its default `reload-threads 1` and with the same number of threads as coopnews.",
        f"- Medians of {args.runs} runs for coopnews and {args.nb_runs} for newsboat. Wall time from spawn to exit "
        "(to the marker on screen for the first-screen rows); CPU = user + system; peak RSS of the program "
        "itself (GNU time's %M; VmHWM in the pty for the first-screen rows).",
        "- Data: generated by `benches/compare/gen.py` (seeded), RSS 2.0 and Atom alternating, HTML bodies "
        "with Italian, French and Spanish text, accents, emoji and flags, links, lists, entities; served "
        "from memory on 127.0.0.1 by `benches/compare/server.rs` with ETag/Last-Modified and 304s.",
        "",
    ]
    return "\n".join(head + lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--coopnews", required=True)
    ap.add_argument("--server", required=True)
    ap.add_argument("--data", required=True, help="directory with the generated data sets")
    ap.add_argument("--work", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--nb-runs", type=int, default=5)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-newsboat", action="store_true")
    ap.add_argument("--only", default="", help="comma-separated scenario keys: first,delay,304,big,fill")
    ap.add_argument("--out", required=True)
    ap.add_argument("--versions", default="")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    bench = Bench(args)
    only = set(filter(None, args.only.split(",")))
    want = lambda key: not only or key in only
    d = lambda name: os.path.join(args.data, name)
    small = "200x50" if not args.quick else "20x50"
    nb_threads = [1, args.concurrency]
    print(f"coopnews: concurrency = per_host_concurrency = {args.concurrency} (raised for a single-host benchmark)")
    if want("first"):
        bench.refresh_scenario("first refresh 200 × 50", d(small), 0, 10000 if not args.quick else 1000, nb_threads)
    if want("delay"):
        bench.refresh_scenario("first refresh 200 × 50, 100 ms delay", d(small), 100, 10000 if not args.quick else 1000, nb_threads)
    if want("304"):
        bench.not_modified_scenario(d(small), nb_threads)
    if want("big"):
        bench.refresh_scenario("one feed of 5000 items", d("1x5000"), 0, 5000, [1])
    if want("fill"):
        fill = "500x200" if not args.quick else "50x200"
        bench.fill_and_read(d(fill), 100000 if not args.quick else 10000, [args.concurrency])
    text = report(bench, args, args.versions)
    with open(args.out, "w") as f:
        f.write(text)
    print("\n" + text)


if __name__ == "__main__":
    main()
