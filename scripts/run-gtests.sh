#!/usr/bin/env bash
# Runs the GoogleTest suites of one build directory (scripts/test-native.sh,
# scripts/test-sanitizers.sh).
# - The engine unit tests run in one process: they share nothing.
# - The integration tests run as JOBS shards (GoogleTest's own sharding), one
#   process each, side by side; every test still starts its own nats-server.
#   A process per test (ctest) spent most of the time starting processes:
#   about 0.4 s each under AddressSanitizer, 251 of them. Measured on the
#   sanitizer build: 141 s through ctest -j2, 51 s as two shards.
# Each shard writes its own log; a failed, crashed or hung shard prints its
# log's failures and tail (the test that was running is the last [ RUN ]).
set -uo pipefail
build=$1
jobs=${JOBS:-2}
"$build/nats_unit_tests" --gtest_brief=1 || exit 1

pids=()
for ((i = 0; i < jobs; i++)); do
  GTEST_TOTAL_SHARDS=$jobs GTEST_SHARD_INDEX=$i \
    timeout -k 10 "${NATS_SHARD_TIMEOUT:-900}" "$build/nats_integration_tests" \
    > "$build/integration-shard-$i.log" 2>&1 &
  pids+=($!)
done
failed=0
for ((i = 0; i < jobs; i++)); do
  log="$build/integration-shard-$i.log"
  wait "${pids[$i]}"
  rc=$?
  if [ $rc -eq 0 ]; then
    grep -E '^\[  PASSED  \]' "$log" | sed "s/^/integration shard $i: /"
  else
    failed=1
    echo "integration shard $i FAILED (exit $rc$([ $rc -eq 124 ] && echo ', timed out'); log: $log)"
    grep -E '^\[  FAILED  \]' "$log" || true
    tail -n 80 "$log"
  fi
done
exit $failed
