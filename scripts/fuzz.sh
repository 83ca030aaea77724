#!/usr/bin/env bash
# Builds the libFuzzer targets (clang + libclang-rt) and runs each for a
# bounded time (FUZZ_SECONDS, default 60) from the protocol vectors as seed
# corpus. Fails on a crash, a sanitizer report, a leak, a hang (-timeout) or
# memory over the caps; prints the executions per target.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
build=build/fuzz
CC=clang CXX=clang++ cmake -S . -B "$build" -DNATS_FUZZ=ON -DNATS_BUILD_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo > "$build.log" 2>&1 || { cat "$build.log"; exit 1; }
cmake --build "$build" -j2 >> "$build.log" 2>&1 || { tail -n 50 "$build.log"; exit 1; }
rm -rf "$build/seeds"
python3 tests/fuzz/make_seeds.py "$build/seeds"
fuzz() {
  local target=$1 log="$build/fuzz_$1.log"
  mkdir -p "$build/corpus/$target"
  # -rss_limit_mb / -malloc_limit_mb: memory growth over the cap is a failure.
  if ! "$build/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 \
      -malloc_limit_mb=256 -print_final_stats=1 "$build/corpus/$target" \
      "$build/seeds/$target" > "$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz: $target FAILED (log: $log; crashing input: crash-*/leak-*/timeout-*/oom-*)"
    return 1
  fi
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
  echo "fuzz: $target ok, $execs executions in ${seconds}s"
}

# The three targets at once: each is one process, and the wall time is what
# CI pays (they share the machine's cores, so each runs fewer executions).
pids=()
for target in parser headers engine; do
  fuzz "$target" &
  pids+=($!)
done
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
exit $failed
