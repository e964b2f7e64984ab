#!/usr/bin/env bash
# Where a refresh's CPU goes, on the reference data:   bash benches/compare/profile.sh f200|f500|big
# Runs one first refresh (into an empty store) of the release binary under
# `perf record -e cpu-clock --call-graph dwarf` (the VMs have no hardware counters) and prints
# the share of CPU by area (perf_areas.py). Needs perf (Debian: linux-perf) and the data set
# that run.sh generates under $WORK/data. FREQ=N samples per second (default 999). Settings as
# in run.sh: per_host_concurrency = 16,
# and concurrency = 8 for f500.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BENCH=${BENCH_DIR:-$ROOT/../shared/bench}
WORK=${WORK:-${TMPDIR:-/tmp}/coopnews-bench}
SET=${1:-f200}
DATA=$WORK/data/$SET
OUT=$WORK/profile-$SET
BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/coopnews
[ -f "$DATA/manifest.json" ] || { echo "no $DATA: run benches/compare/run.sh first" >&2; exit 1; }
[ -x "$BIN" ] || { echo "no $BIN: cargo build --release --bin coopnews" >&2; exit 1; }
command -v perf >/dev/null || { echo "perf is missing (apt-get install linux-perf)" >&2; exit 1; }

rm -rf "$OUT" && mkdir -p "$OUT"
python3 "$BENCH/serve.py" --root "$DATA" --port 0 --port-file "$OUT/port" 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1200); do grep -q . "$OUT/port" 2>/dev/null && break; sleep 0.1; done
port=$(cat "$OUT/port")
base=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["base_url"])' "$DATA/manifest.json")
{
    echo "per_host_concurrency = 16"
    [ "$SET" = f500 ] && echo "concurrency = 8"
    urls=$DATA/urls; [ -f "$DATA/urls-big" ] && urls=$DATA/urls-big # the big set lists its one feed there
    sed "s|^$base|http://127.0.0.1:$port/|; s|.*|\n[[feeds]]\nurl = \"&\"|" "$urls"
} > "$OUT/config.toml"
perf record -q -e cpu-clock -F "${FREQ:-999}" --call-graph dwarf,16384 -o "$OUT/perf.data" -- \
    "$BIN" --config "$OUT/config.toml" --data-dir "$OUT/store" refresh >"$OUT/refresh.log" 2>&1
tail -1 "$OUT/refresh.log"
perf script -i "$OUT/perf.data" 2>/dev/null >"$OUT/perf.txt"
python3 benches/compare/perf_areas.py --detail <"$OUT/perf.txt" | tee "$OUT/areas.txt"
