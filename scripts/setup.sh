#!/usr/bin/env bash
# Installs what the build, the demo and the tests need, only when missing:
# Debian packages (as root, or through sudo) and the npm dependencies.
# `npm run demo` and `npm test` call this first, so both work on a fresh
# Debian 12 machine.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
have() { command -v "$1" >/dev/null 2>&1; }
{ have nats-server || [ -x /usr/sbin/nats-server ]; } || need+=(nats-server)
have em++ || need+=(emscripten)
[ -f /usr/include/boost/beast.hpp ] || need+=(libboost-dev)
[ -f /usr/include/nlohmann/json.hpp ] || need+=(nlohmann-json3-dev)
[ -f /usr/include/gtest/gtest.h ] || need+=(libgtest-dev)
[ -f /usr/include/openssl/evp.h ] || need+=(libssl-dev)
have cmake || need+=(cmake)
have g++ || need+=(g++)
have make || need+=(make)
have python3 || need+=(python3)
[ -x /usr/bin/chromium ] || need+=(chromium)
have clang++ || need+=(clang)  # the libFuzzer targets (scripts/fuzz.sh)
ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 ||
  need+=(libclang-rt-14-dev)
have sphinx-build || need+=(python3-sphinx)  # the Python API reference (scripts/docs-api.sh)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends \
    ca-certificates "${need[@]}"
fi
if ! have node || ! have npm; then
  echo "setup: Node.js >= 20 and npm are required" >&2
  exit 1
fi
# npm ci when node_modules is missing or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
