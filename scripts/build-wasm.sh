#!/usr/bin/env bash
# Builds the WebAssembly engine (emcmake, -O2) and copies it next to the JS
# package sources: js/dist/nats_wasm_core.{mjs,wasm}.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${NATS_WASM_BUILD_DIR:-build/wasm}
# Debian's emscripten runs its optimizer under /usr/bin/node and needs acorn.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
  emcmake cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
    -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node -DNATS_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$BUILD_DIR" -j "${JOBS:-2}" --target nats_wasm_core
mkdir -p js/dist
cp "$BUILD_DIR/nats_wasm_core.mjs" "$BUILD_DIR/nats_wasm_core.wasm" js/dist/
node scripts/gen-abi.mjs
