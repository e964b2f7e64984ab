#!/usr/bin/env bash
# coopnews vs its peers, whole programs, one command:   bash benches/compare/run.sh
# Data and server are the reference ones in ../shared/bench/ (gen_feeds.py, serve.py); the
# sets are generated once under $WORK/data. QUICK=1 for a smoke run (small sets, 1 run each);
# NO_NEWSBOAT=1 to measure coopnews only; RUNS=N / NB_RUNS=N for the number of runs (default 5);
# ONLY=first,delay,304,304full,again,big,fill to pick scenarios (fill includes first screen and
# search; 304full is a refresh answered 304 over a filled store, again a second refresh from a
# server without validators).
# Writes docs/benchmarks.md (QUICK: $WORK/benchmarks.md). Nothing leaves 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BENCH=${BENCH_DIR:-$ROOT/../shared/bench}
WORK=${WORK:-${TMPDIR:-/tmp}/coopnews-bench}
QUICK=${QUICK:-0}
RUNS=${RUNS:-5}
NB_RUNS=${NB_RUNS:-$RUNS}
export PYTHONDONTWRITEBYTECODE=1
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
[ -f "$BENCH/gen_feeds.py" ] || { echo "no reference data generator at $BENCH (set BENCH_DIR)" >&2; exit 1; }

need=()
command -v python3 >/dev/null || need+=(python3)
[ -x /usr/bin/time ] || need+=(time) # GNU time: the harness reads each run's peak memory from it
[ "${NO_NEWSBOAT:-0}" = 1 ] || command -v newsboat >/dev/null || need+=(newsboat)
if [ ${#need[@]} -gt 0 ]; then
    echo "installing ${need[*]} (apt)"
    SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

cargo build --release --locked --bin coopnews
BIN=$CARGO_TARGET_DIR/release/coopnews

gen() { # dir [gen_feeds.py args…]: generated once (seed 42), the same bytes every time
    local dir=$1; shift
    [ -f "$dir/manifest.json" ] || python3 "$BENCH/gen_feeds.py" --base-url http://127.0.0.1:8765/ \
        --seed 42 --out "$dir" "$@" >/dev/null
}
if [ "$QUICK" = 1 ]; then
    RUNS=1; NB_RUNS=1
    DATA=$WORK/data-quick
    gen "$DATA/f200" --feeds 20 --items 50; gen "$DATA/f500" --feeds 50 --items 200
    gen "$DATA/big" --feeds 0 --big-items 500
    OUT=$WORK/benchmarks.md
else
    DATA=$WORK/data
    gen "$DATA/f200" --feeds 200 --items 50; gen "$DATA/f500" --feeds 500 --items 200
    gen "$DATA/big" --feeds 0 --big-items 5000
    OUT=$ROOT/docs/benchmarks.md
fi

versions="coopnews $(git describe --always --dirty) ($("$BIN" --version | cut -d' ' -f2)), rustc $(rustc --version | cut -d' ' -f2)"
if [ "${NO_NEWSBOAT:-0}" != 1 ]; then
    versions="$versions; $(newsboat --version | head -1 | cut -d' ' -f1-2) (Debian package)"
fi
command -v newsraft >/dev/null && versions="$versions; $(newsraft -v 2>&1 | head -1)"
mkdir -p "$(dirname "$OUT")"
args=(--coopnews "$BIN" --serve "$BENCH/serve.py" --data "$DATA" --work "$WORK/run" --runs "$RUNS"
      --nb-runs "$NB_RUNS" --out "$OUT" --versions "$versions")
[ "$QUICK" = 1 ] && args+=(--quick)
[ "${NO_NEWSBOAT:-0}" = 1 ] && args+=(--no-newsboat)
[ -n "${ONLY:-}" ] && args+=(--only "$ONLY")
python3 benches/compare/harness.py "${args[@]}"
echo "report: $OUT"
