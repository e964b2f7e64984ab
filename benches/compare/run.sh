#!/usr/bin/env bash
# coopnews vs newsboat, whole programs, one command:   bash benches/compare/run.sh
# QUICK=1 for a smoke run (small data, 1 run each); NO_NEWSBOAT=1 to measure coopnews only;
# RUNS=N / NB_RUNS=N for the number of runs (default 5); ONLY=first,delay,304,big,fill to pick
# scenarios; CONCURRENCY=N (default 16) for coopnews's concurrency and per_host_concurrency
# and newsboat's raised reload-threads. Writes docs/benchmarks.md (QUICK: $WORK/benchmarks.md).
# Everything is served on 127.0.0.1; nothing leaves the machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
WORK=${WORK:-${TMPDIR:-/tmp}/coopnews-bench}
QUICK=${QUICK:-0}
RUNS=${RUNS:-5}
NB_RUNS=${NB_RUNS:-$RUNS}
CONCURRENCY=${CONCURRENCY:-16}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}

need=()
command -v python3 >/dev/null || need+=(python3)
[ -x /usr/bin/time ] || need+=(time) # GNU time: the harness reads each run's peak memory from it
[ "${NO_NEWSBOAT:-0}" = 1 ] || command -v newsboat >/dev/null || need+=(newsboat)
if [ ${#need[@]} -gt 0 ]; then
    echo "installing ${need[*]} (apt)"
    SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

cargo build --release --locked --bin coopnews --example bench_server
BIN=$CARGO_TARGET_DIR/release/coopnews
SERVER=$CARGO_TARGET_DIR/release/examples/bench_server

DATA=$WORK/data
mkdir -p "$DATA"
gen() { # name feeds items [args…]: generated once, the same bytes every time
    local name=$1; shift
    [ -f "$DATA/$name/urls.txt" ] || python3 benches/compare/gen.py "$DATA/$name" "$@"
}
if [ "$QUICK" = 1 ]; then
    RUNS=1; NB_RUNS=1
    gen 20x50 20 50; gen 50x200 50 200 --body short --marker ZQXMARK
    OUT=$WORK/benchmarks.md
else
    gen 200x50 200 50; gen 500x200 500 200 --body short --marker ZQXMARK
    OUT=$ROOT/docs/benchmarks.md
fi
gen 1x5000 1 5000

versions="coopnews $(git describe --always --dirty) ($("$BIN" --version | cut -d' ' -f2)), rustc $(rustc --version | cut -d' ' -f2)"
if [ "${NO_NEWSBOAT:-0}" != 1 ]; then
    versions="$versions; $(newsboat --version | head -1) (Debian package)"
fi
mkdir -p "$(dirname "$OUT")"
args=(--coopnews "$BIN" --server "$SERVER" --data "$DATA" --work "$WORK/run" --runs "$RUNS"
      --nb-runs "$NB_RUNS" --concurrency "$CONCURRENCY" --out "$OUT" --versions "$versions")
[ "$QUICK" = 1 ] && args+=(--quick)
[ "${NO_NEWSBOAT:-0}" = 1 ] && args+=(--no-newsboat)
[ -n "${ONLY:-}" ] && args+=(--only "$ONLY")
python3 benches/compare/harness.py "${args[@]}"
echo "report: $OUT"
