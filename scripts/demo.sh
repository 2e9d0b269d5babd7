#!/bin/sh
# Runs the demo: installs what is missing, builds, then a ClusterIP service on a sandboxed Open vSwitch.
set -e
cd "$(dirname "$0")/.."
sh scripts/ensure-deps.sh
npm run build --silent
exec npx tsx examples/demo/demo.ts
