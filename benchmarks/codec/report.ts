/** The benchmark's results as a Markdown table and as JSON, with what the machine was doing. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { Run, Summary } from './measure.js';

export interface Row {
  workload: string;
  contender: string;
  unit: string;
  runs: Run[];
  cpu: Summary;
  wall: Summary;
  /** Median over rounds of this row's rate over the ofwire row's rate in the same round. */
  ratioToOfwire: number;
  /** Median over rounds of this row's rate over the os-ken row's rate in the same round. */
  ratioToOsken: number;
  /** For ofwire's rows: median over the goal. */
  ratioToGoal?: number;
}

export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  v8: string;
  osken: string;
  python: string;
  ofwire: string;
  /** Clock of the first CPU as the kernel reports it. */
  mhz: number;
  loadBefore: number[];
  loadAfter?: number[];
  /** loopRate() before the measurements and after each round. */
  loopRate: number[];
}

function cpuinfo(key: string): string | undefined {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(key));
    return line?.split(':')[1]?.trim();
  } catch {
    return undefined; // not Linux
  }
}

function ofwireRevision(): string {
  try {
    const rev = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'protocol'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return dirty ? `${rev} (protocol/ modified)` : rev;
  } catch {
    return 'unknown';
  }
}

export function machineInfo(osken: { osken: string; python: string }, loopRate: number): Machine {
  return {
    cpu: cpuinfo('model name') ?? os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    mhz: Number(cpuinfo('cpu MHz') ?? os.cpus()[0]?.speed ?? 0),
    node: process.version,
    v8: process.versions.v8,
    osken: osken.osken,
    python: osken.python,
    ofwire: ofwireRevision(),
    loadBefore: os.loadavg(),
    loopRate: [loopRate],
  };
}

export function formatRate(v: number): string {
  if (v >= 1e6) return `${(v / 1e6).toFixed(2)} M`;
  if (v >= 1e3) return `${(v / 1e3).toFixed(1)} k`;
  return v.toFixed(0);
}

function ratio(v: number): string {
  if (v >= 100) return `${v.toFixed(0)}×`;
  if (v >= 10) return `${v.toFixed(1)}×`;
  return `${v.toFixed(2)}×`;
}

const load = (l: number[]): string => l.map((x) => x.toFixed(2)).join(' ');

export function markdown(
  rows: Row[],
  m: Machine,
  settings: { runs: number; runMs: number; warmupMs: number; flows: number; messages: number },
): string {
  const out: string[] = [];
  out.push(
    `Machine: ${m.cpu}, ${m.cores} cores · Node ${m.node} (V8 ${m.v8}) · os-ken ${m.osken} on Python ${m.python} · ofwire ${m.ofwire}`,
  );
  out.push(`Load average (1/5/15 min): ${load(m.loadBefore)} before, ${m.loadAfter ? load(m.loadAfter) : '?'} after.`);
  out.push(
    `Yardstick: a dependent integer-add loop ran at ${Math.min(...m.loopRate).toFixed(2)}–${Math.max(...m.loopRate).toFixed(2)} iterations/ns of CPU time ` +
      `before and after each round (clock ${m.mhz.toFixed(0)} MHz); absolute rates move with it, the ratios (medians of same-round ratios) much less.`,
  );
  out.push(
    `Method: warm-up ${settings.warmupMs} ms CPU per contender, then ${settings.runs} interleaved runs of ~${settings.runMs} ms CPU each; ` +
      'rates are operations per CPU second of the process (user + system); wall-clock rates alongside; ' +
      'ratio columns are medians over rounds of the two rates measured in the same round; each contender runs in its own process (Node ones with --min-semi-space-size=16). ' +
      `Decode: ${settings.flows} flows in ${settings.messages} multipart reply messages of ≤ 65535 bytes.`,
  );
  out.push('');
  out.push(
    '| workload | contender | ops/s per CPU s (median) | spread (min–max) | wall ops/s (median) | × os-ken | × ofwire | ofwire vs goal |',
  );
  out.push('|---|---|---:|---|---:|---:|---:|---:|');
  for (const r of rows) {
    out.push(
      `| ${r.workload} | ${r.contender} | ${formatRate(r.cpu.median)} ${r.unit}/s | ${formatRate(r.cpu.min)}–${formatRate(r.cpu.max)} (±${((r.cpu.spread * 100) / 2).toFixed(0)}%) | ` +
        `${formatRate(r.wall.median)} | ${ratio(r.ratioToOsken)} | ${ratio(r.ratioToOfwire)} | ${r.ratioToGoal === undefined ? '' : ratio(r.ratioToGoal)} |`,
    );
  }
  return out.join('\n');
}
