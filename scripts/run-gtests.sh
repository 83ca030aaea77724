#!/usr/bin/env bash
# Runs the GoogleTest suites of one build directory (scripts/test-native.sh,
# scripts/test-sanitizers.sh).
# - The engine unit tests run in one process: they share nothing, and a
#   process per test (ctest) spent most of the time starting processes
#   (about 0.6 s each under AddressSanitizer, 686 of them).
# - The integration tests run through ctest, a process per test, two at a
#   time: each starts its own nats-server and may kill or restart it.
set -euo pipefail
build=$1
"$build/nats_unit_tests" --gtest_brief=1
ctest --test-dir "$build" --output-on-failure -L integration -j "${JOBS:-2}"
