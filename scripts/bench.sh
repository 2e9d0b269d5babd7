#!/bin/sh
# Runs the benchmark harness: installs what is missing (npm packages, Open vSwitch, iptables),
# then `benchmarks/bench.ts` with the arguments given (--quick, --json FILE, …; see the file).
# Needs root: it starts its own ovs-vswitchd in network namespaces.
set -e
cd "$(dirname "$0")/.."
sh scripts/ensure-deps.sh
missing=""
command -v iptables-legacy-restore >/dev/null 2>&1 || missing="$missing iptables"
if [ -n "$missing" ]; then
  echo "installing:$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
if ! /usr/bin/python3 -c 'import os_ken' >/dev/null 2>&1; then
  echo "installing: python3-os-ken (the os-ken contender)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends python3-os-ken >/dev/null || echo "python3-os-ken unavailable: run with --no-osken" >&2
fi
exec npx tsx benchmarks/bench.ts "$@"
