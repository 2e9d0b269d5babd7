/**
 * Result rows as the JSON report carries them, and the ratios between rows of the same run.
 * Every ratio is computed against a baseline measured in this run, at the same size.
 */
import { latency, summarize } from './stats.js';

export type Contender = 'ofwire' | 'floor' | 'ovs-ofctl-bundle' | 'ovs-ofctl-spawn' | 'os-ken' | 'iptables-restore';

export interface Result {
  workload: string;
  services: number;
  endpoints_per_service: number;
  /** A Contender, or the name of another one. */
  contender: string;
  /** Timed runs (for latency workloads: runs of `samples` changes, pooled). */
  runs: number;
  /** Median run time; for latency workloads the median (p50) latency. */
  median_s: number;
  min_s: number;
  max_s: number;
  q1_s?: number;
  q3_s?: number;
  /** Latency workloads: pooled percentiles over every sample of every run. */
  samples?: number;
  p90_s?: number;
  p99_s?: number;
  /** Peak RSS of the contender's process (VmHWM), where it is a process of its own. */
  peak_rss_mb?: number;
  /** RSS once settled (ofwire agent after the workload). */
  rss_mb?: number;
  /** Restart: flows (and groups) the contender re-sent; must be 0. */
  flows_readded?: number;
  /** Median ovs-vswitchd CPU time per run (user + system). */
  vswitchd_cpu_s?: number;
  /** Median CPU time of the contender's own process per run, where measured. */
  process_cpu_s?: number;
  /** Like-for-like check of what this contender installed against ofwire (null = not applicable). */
  verified?: boolean | null;
  ratios?: Record<string, number>;
  notes?: string[];
  extra?: Record<string, unknown>;
}

export interface RunSample {
  seconds: number;
  vswitchdCpu?: number;
  processCpu?: number;
  peakRssMb?: number;
}

export function timedResult(
  base: { workload: string; services: number; endpoints: number; contender: string },
  runs: readonly RunSample[],
  more: Partial<Result> = {},
): Result {
  const s = summarize(runs.map((r) => r.seconds));
  const r: Result = {
    workload: base.workload,
    services: base.services,
    endpoints_per_service: base.endpoints,
    contender: base.contender,
    runs: runs.length,
    median_s: s.median,
    min_s: s.min,
    max_s: s.max,
    q1_s: s.q1,
    q3_s: s.q3,
    ...more,
  };
  const cpu = runs.map((x) => x.vswitchdCpu).filter((x): x is number => x !== undefined);
  if (cpu.length) r.vswitchd_cpu_s = summarize(cpu).median;
  const pcpu = runs.map((x) => x.processCpu).filter((x): x is number => x !== undefined);
  if (pcpu.length) r.process_cpu_s = summarize(pcpu).median;
  const rss = runs.map((x) => x.peakRssMb).filter((x): x is number => x !== undefined && x > 0);
  if (rss.length) r.peak_rss_mb = Math.max(...rss);
  return r;
}

/** A latency workload: samples in milliseconds, pooled over `runs` runs. */
export function latencyResult(
  base: { workload: string; services: number; endpoints: number; contender: string },
  samplesMs: readonly number[],
  runs: number,
  more: Partial<Result> = {},
): Result {
  const l = latency(samplesMs.map((x) => x / 1000));
  const s = summarize(samplesMs.map((x) => x / 1000));
  return {
    workload: base.workload,
    services: base.services,
    endpoints_per_service: base.endpoints,
    contender: base.contender,
    runs,
    samples: l.n,
    median_s: l.p50,
    min_s: s.min,
    max_s: l.max,
    q1_s: s.q1,
    q3_s: s.q3,
    p90_s: l.p90,
    p99_s: l.p99,
    ...more,
  };
}

/** Suffix of the workloads measured on the north-south mix (cold-sync-north-south, churn-north-south, …). */
export const NORTH_SOUTH = '-north-south';

function find(results: readonly Result[], workload: string, services: number, contender: string): Result | undefined {
  return results.find((r) => r.workload === workload && r.services === services && r.contender === contender);
}

/**
 * Fills `ratios`: for time workloads this row's median over each baseline's median (below 1 =
 * faster than the baseline); for latency workloads the same with p99. Rows of the extra ofwire
 * workloads (cold-sync-process, cold-sync-library, churn-library, churn-kube) are compared with
 * the baselines of their base workload.
 */
export function computeRatios(results: Result[]): void {
  const baseOf: Record<string, string> = {
    'cold-sync': 'cold-sync',
    'cold-sync-process': 'cold-sync',
    'cold-sync-library': 'cold-sync',
    churn: 'churn',
    'churn-library': 'churn',
    'churn-kube': 'churn',
    restart: 'restart',
    recovery: 'recovery',
    'cli-add': 'cli-add',
  };
  for (const r of results) {
    const mix = r.workload.endsWith(NORTH_SOUTH) ? NORTH_SOUTH : '';
    const plain = baseOf[r.workload.slice(0, r.workload.length - mix.length)];
    if (!plain) continue;
    // Against the baselines measured on the same mix.
    const base = plain + mix;
    const latencyWorkload = plain === 'churn';
    const value = (x: Result) => (latencyWorkload ? x.p99_s! : x.median_s);
    const ratios: Record<string, number> = {};
    for (const b of ['floor', 'ovs-ofctl-bundle', 'ovs-ofctl-spawn', 'os-ken', 'iptables-restore'] as const) {
      const other = find(results, base, r.services, b);
      if (!other || other === r) continue;
      ratios[`${latencyWorkload ? 'p99_' : ''}x_${b}`] = value(r) / value(other);
    }
    if (Object.keys(ratios).length) r.ratios = ratios;
  }
}
