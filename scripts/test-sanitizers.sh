#!/usr/bin/env bash
# The native suites again, built with AddressSanitizer and
# UndefinedBehaviorSanitizer (any report fails the test that caused it).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${NATS_SANITIZE_BUILD_DIR:-build/sanitize}
cmake -S . -B "$build" -DNATS_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$build" -j "${JOBS:-2}"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
bash scripts/run-gtests.sh "$build"
