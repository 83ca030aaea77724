#!/usr/bin/env bash
# Builds and runs the native suites: engine unit tests (vectors, scripted
# peer) and integration tests against a real nats-server over TCP and WebSocket.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-native.sh
ctest --test-dir "${NATS_NATIVE_BUILD_DIR:-build/native}" --output-on-failure -j "${JOBS:-2}"
