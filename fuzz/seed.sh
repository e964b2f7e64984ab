#!/usr/bin/env bash
# Seed the fuzz corpora from the shared corpus of real feeds and Bluesky responses.
set -euo pipefail
cd "$(dirname "$0")"
shared=${COOPNEWS_CORPUS:-../../shared/corpus}
mkdir -p corpus/feed corpus/bluesky corpus/html corpus/config
find "$shared/feeds" -mindepth 2 -type f -exec cp {} corpus/feed/ \;
cp "$shared"/bluesky/*.json corpus/bluesky/
# Real feeds are full of HTML bodies: a fair start for the renderer too.
find "$shared/feeds/realworld" -type f -exec cp {} corpus/html/ \;
cp ../config/coopnews.toml corpus/config/
echo "seeded: $(ls corpus/feed | wc -l) feed, $(ls corpus/bluesky | wc -l) bluesky, $(ls corpus/html | wc -l) html, $(ls corpus/config | wc -l) config"
