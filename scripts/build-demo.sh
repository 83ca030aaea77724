#!/usr/bin/env bash
# Bundles the streaming page's script with uPlot (npm) into build/demo/:
# examples/streaming.html loads build/demo/streaming-page.bundle.{mjs,css}.
set -euo pipefail
cd "$(dirname "$0")/.."
npx --no-install esbuild examples/streaming-page.mjs --bundle --format=esm --platform=browser \
  --minify --log-level=warning --outfile=build/demo/streaming-page.bundle.mjs
