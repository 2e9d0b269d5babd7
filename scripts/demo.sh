#!/bin/sh
# Runs the demo: installs what is missing, builds, then a NodePort service on a sandboxed Open vSwitch, reached from a pod and from outside the cluster.
set -e
cd "$(dirname "$0")/.."
sh scripts/ensure-deps.sh
npm run build --silent
exec npx tsx examples/demo/demo.ts
