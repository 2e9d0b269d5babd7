/** What the benchmark ran on, and what else the machine was doing. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface Machine {
  date: string;
  cpu: string;
  cores: number;
  ram_gb: number;
  kernel: string;
  os: string;
  node: string;
  ovs: string;
  os_ken: string;
  python: string;
  iptables: string;
  ofwire: string;
  /** 1/5/15-minute load averages when the run started and ended. */
  load_start: number[];
  load_end?: number[];
  /** Processes other than this run's using CPU when it started (top by %CPU). */
  busy_at_start: string[];
}

function sh(file: string, args: string[]): string {
  try {
    return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1]!.trim();
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function osName(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(readFileSync('/etc/os-release', 'utf8'));
    if (m) return m[1]!;
  } catch {
    // fall through
  }
  return os.type();
}

function revision(): string {
  const rev = sh('git', ['rev-parse', '--short', 'HEAD']);
  const dirty = sh('git', ['status', '--porcelain', '--', 'lib', 'protocol']);
  return dirty && dirty !== 'unknown' ? `${rev} + uncommitted changes in lib/ or protocol/` : rev;
}

function busyProcesses(): string[] {
  const out = sh('ps', ['-eo', 'pcpu,comm', '--sort=-pcpu', '--no-headers']);
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^0\.0 /.test(l) && !/ ps$/.test(l))
    .slice(0, 6);
}

export function machineInfo(versions: { ovs: string; osKen: string; iptables: string }): Machine {
  const [osKen, python] = versions.osKen.split(' ');
  return {
    date: new Date().toISOString(),
    cpu: cpuModel(),
    cores: os.cpus().length,
    ram_gb: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    os: osName(),
    node: process.version,
    ovs: versions.ovs,
    os_ken: osKen ?? 'unknown',
    python: python ?? 'unknown',
    iptables: versions.iptables,
    ofwire: revision(),
    load_start: os.loadavg().map((x) => Math.round(x * 100) / 100),
    busy_at_start: busyProcesses(),
  };
}
