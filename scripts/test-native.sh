#!/usr/bin/env bash
# Builds and runs the native suites: engine unit tests (vectors, scripted
# peer) and integration tests against a real nats-server over TCP and WebSocket.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-native.sh
bash scripts/run-gtests.sh "${NATS_NATIVE_BUILD_DIR:-build/native}"
