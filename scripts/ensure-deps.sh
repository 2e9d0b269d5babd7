#!/bin/sh
# Installs what the tests, the demo and the benchmarks need and is missing: npm packages, Open
# vSwitch, the network tools used to build test hosts, and the benchmarks' other contenders
# (iptables-legacy-restore, os-ken; the benchmark smoke test runs them too). Safe to run repeatedly.
set -e
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
missing=""
command -v ovs-vswitchd >/dev/null 2>&1 || missing="$missing openvswitch-switch"
command -v ip >/dev/null 2>&1 || missing="$missing iproute2"
command -v ethtool >/dev/null 2>&1 || missing="$missing ethtool"
command -v openssl >/dev/null 2>&1 || missing="$missing openssl"
command -v python3 >/dev/null 2>&1 || missing="$missing python3"
command -v iptables-legacy-restore >/dev/null 2>&1 || missing="$missing iptables"
# os-ken imports only under Debian's own interpreter.
/usr/bin/python3 -c 'import os_ken' >/dev/null 2>&1 || missing="$missing python3-os-ken"
if [ -n "$missing" ]; then
  echo "installing:$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
# Nothing here touches the system's Open vSwitch service: tests and the demo start their own
# ovs-vswitchd, each in its own network namespace.
exit 0
