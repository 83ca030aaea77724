#!/usr/bin/env bash
# Bundles the JS package (with the Emscripten glue inlined) into one ES module
# for hosts that load it from bytes (Pyodide: data: URL), and copies it with
# the .wasm into the Python package: py/nats_wasm/_js/.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f js/dist/nats_wasm_core.wasm ] || bash scripts/build-wasm.sh
npx --no-install esbuild js/src/index.mjs --bundle --format=esm --platform=neutral \
  --external:ws --external:'node:*' --minify --keep-names --log-level=warning \
  --outfile=js/dist/nats_wasm.bundle.mjs
mkdir -p py/nats_wasm/_js
cp js/dist/nats_wasm.bundle.mjs js/dist/nats_wasm_core.wasm py/nats_wasm/_js/
