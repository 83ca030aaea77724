#!/usr/bin/env bash
# Configures and builds the native engine, host, example and GoogleTest suites.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${NATS_NATIVE_BUILD_DIR:-build/native}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE:-RelWithDebInfo} >/dev/null
cmake --build "$BUILD_DIR" -j "${JOBS:-2}"
