#!/bin/sh
# Runs the benchmark harness: installs what is missing (npm packages, Open vSwitch, iptables, os-ken),
# then `benchmarks/bench.ts` with the arguments given (--quick, --json FILE, …; see the file).
# Needs root: it starts its own ovs-vswitchd in network namespaces.
set -e
cd "$(dirname "$0")/.."
sh scripts/ensure-deps.sh
exec npx tsx benchmarks/bench.ts "$@"
