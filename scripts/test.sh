#!/bin/sh
# Runs every test: installs what is missing, lints (npm run lint), then the whole tap suite, then
# prints "N passed, N failed" counted from the run.
cd "$(dirname "$0")/.."
sh scripts/ensure-deps.sh || exit 1
# The CLI and the examples run from dist/: build it from the current sources.
npm run build --silent || exit 1
# Lint and format check: a finding fails the run, but the tests still run and are counted.
npm run lint --silent
lint=$?
npx tap "$@"
status=$?
npx tap replay --reporter=tap 2>/dev/null | node scripts/count-results.mjs
[ $status -ne 0 ] || status=$lint
exit $status
