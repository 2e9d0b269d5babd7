#!/bin/sh
# Runs every test: installs what is missing, builds, then the whole tap suite with the lint
# (npm run lint) alongside, then prints "N passed, N failed" counted from the run.
cd "$(dirname "$0")/.."
sh scripts/ensure-deps.sh || exit 1
# The CLI and the examples run from dist/: build it from the current sources, as npm run build does
# but incrementally. tsc does not notice outputs deleted since its last run, so its record goes
# whenever one of the entries is missing.
record=node_modules/.cache/ofwire-build.tsbuildinfo
for f in dist/lib/index.js dist/lib/kube.js dist/protocol/index.js dist/protocol/text/index.js dist/bin/main.js; do
  [ -f "$f" ] || rm -f "$record"
done
npx tsc -p tsconfig.build.json --incremental --tsBuildInfoFile "$record" || exit 1
node scripts/bundle-cli.mjs || exit 1
# Lint and format check: a finding fails the run, but the tests still run and are counted. It runs
# while the tests wait on their switches; its report comes after theirs.
lint_log=$(mktemp)
npm run lint --silent > "$lint_log" 2>&1 &
lint_pid=$!
npx tap "$@"
status=$?
wait $lint_pid
lint=$?
cat "$lint_log"
rm -f "$lint_log"
npx tap replay --reporter=tap 2>/dev/null | node scripts/count-results.mjs
[ $status -ne 0 ] || status=$lint
exit $status
