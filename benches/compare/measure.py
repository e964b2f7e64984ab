"""Measuring one program run: the reference server on a free loopback port, a data set's
addresses, a timed run under GNU time, and a timed first screen in a pseudo-terminal."""

import fcntl
import json
import os
import pty
import re
import select
import signal
import shutil
import struct
import subprocess
import sys
import tempfile
import termios
import time
import urllib.request

ANSI = re.compile(rb"\x1b\[[0-9;?<=>]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]")


class Server:
    """`serve.py` on a free loopback port; `base` is the URL prefix the data set is served at."""

    def __init__(self, serve_py, root, delay_ms, conditional=True):
        self.dir = tempfile.mkdtemp(prefix="coopnews-serve-")
        port_file = os.path.join(self.dir, "port")
        self.proc = subprocess.Popen(
            [sys.executable, serve_py, "--root", root, "--port", "0", "--port-file", port_file,
             "--delay-ms", str(delay_ms)] + ([] if conditional else ["--no-conditional"]),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 120  # it reads every file into memory first (f500: 215 MB)
        while True:
            if self.proc.poll() is not None:
                raise SystemExit(f"serve.py exited ({self.proc.returncode}) serving {root}")
            try:
                text = open(port_file).read()
            except OSError:
                text = ""
            if text.endswith("\n"):
                self.port = int(text)
                break
            if time.time() > deadline:
                raise SystemExit("serve.py did not start within 120 s")
            time.sleep(0.05)
        self.base = f"http://127.0.0.1:{self.port}/"

    def stats(self):
        with urllib.request.urlopen(self.base + "__stats", timeout=10) as r:
            return json.load(r)

    def reset(self):
        urllib.request.urlopen(self.base + "__reset", timeout=10).read()

    def stop(self):
        self.proc.terminate()
        self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


class DataSet:
    """A directory written by gen_feeds.py: its feed addresses, rebased onto a server's port."""

    def __init__(self, root, urls_file="urls"):
        self.root = root
        self.manifest = json.load(open(os.path.join(root, "manifest.json")))
        self.paths = [u[len(self.manifest["base_url"]):] for u in open(os.path.join(root, urls_file)).read().split()]

    def urls(self, server):
        return [server.base + p for p in self.paths]


def run_once(cmd, env=None, check=True):
    """Wall seconds, CPU seconds, peak RSS in MB, stderr text.

    The program runs under GNU time, which reports its peak: ru_maxrss of a child started
    by this harness would include the harness's own ~17 MB, which Linux carries into a
    child across vfork+exec (/bin/true "peaked" at 16.7 MB). GNU time is a small C program,
    so the floor becomes ~2 MB. CPU is still from wait4 (it counts the waited-for program).
    """
    with open(os.devnull, "wb") as devnull, tempfile.NamedTemporaryFile("r") as peak:
        started = time.perf_counter()
        wrapped = ["/usr/bin/time", "-f", "%M", "-o", peak.name, *cmd]
        proc = subprocess.Popen(wrapped, stdin=subprocess.DEVNULL, stdout=devnull, stderr=subprocess.PIPE, env=env)
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        peak_kb = int(peak.read().split()[-1])
    proc.returncode = os.waitstatus_to_exitcode(status)
    if check and proc.returncode != 0:
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
