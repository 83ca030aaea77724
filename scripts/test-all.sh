#!/usr/bin/env bash
# npm test: sets the machine up, then runs every suite in turn (the first to
# fail stops the run) and prints how long each took, so a slow CI run says
# where its time went.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1

times=()
run() {
  local started=$SECONDS rc
  npm run "$1"
  rc=$?
  times+=("$1 $((SECONDS - started))s$([ $rc -eq 0 ] || echo " (failed, exit $rc)")")
  return $rc
}

rc=0
for stage in test:native test:js test:py test:browser test:demo docs:api test:sanitize test:fuzz; do
  run "$stage" || { rc=$?; break; }
done
echo "test: time per stage (total ${SECONDS}s):"
printf 'test:   %s\n' "${times[@]}"
exit $rc
