/**
 * A hand timing loop for a shared, loaded machine. Each run times a batch of calls with both the
 * process's CPU time (process.cpuUsage: user + system, all threads, so GC work counts) and wall
 * time; throughput per CPU second is what "on one core" means, and unlike wall time it does not
 * drop when other processes take the core away. Batches are sized from a warm-up so that a run
 * takes about `runMs` of CPU time. (oskn_codec.py does the same in Python.)
 */

export interface Run {
  /** Operations per CPU second. */
  cpu: number;
  /** Operations per wall-clock second. */
  wall: number;
}

export interface Summary {
  median: number;
  min: number;
  max: number;
  /** (max - min) / median. */
  spread: number;
}

/** Keeps results reachable so the optimiser cannot drop the work. */
export let sink: unknown;
export function keep<T>(v: T): T {
  sink = v;
  return v;
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Runs `fn` for `warmupMs` of CPU time; returns how many calls take about `runMs` of CPU time. */
export function calibrate(fn: () => number, warmupMs: number, runMs: number): number {
  let calls = 0;
  const t0 = cpuMs();
  let t = t0;
  while (t - t0 < warmupMs) {
    for (let i = 0; i < 16; i++) fn();
    calls += 16;
    t = cpuMs();
  }
  return Math.max(1, Math.round((calls / (t - t0)) * runMs));
}

/** Times `calls` calls of `fn`. */
export function timeBatch(fn: () => number, calls: number): Run {
  let ops = 0;
  const w0 = performance.now();
  const c0 = cpuMs();
  for (let i = 0; i < calls; i++) ops += fn();
  const c1 = cpuMs();
  const w1 = performance.now();
  return { cpu: (ops * 1000) / (c1 - c0), wall: (ops * 1000) / (w1 - w0) };
}

/** Median over rounds of a[r] / b[r]: a ratio that survives the machine speeding up or slowing down between rounds. */
export function pairedRatio(a: Run[], b: Run[]): number {
  const n = Math.min(a.length, b.length);
  return summarize(Array.from({ length: n }, (_, r) => a[r]!.cpu / b[r]!.cpu)).median;
}

export function summarize(values: number[]): Summary {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]!, spread: (s[s.length - 1]! - s[0]!) / median };
}

function spin(n: number, acc: number): number {
  for (let i = 0; i < n; i++) acc = (acc + i) | 0;
  return acc;
}

/**
 * A machine-speed yardstick for reading absolute figures: a dependent integer-add loop, in
 * iterations per nanosecond of CPU time — about one per clock cycle on a core of its own, less
 * when the core (or its sibling hardware thread) is shared with other work.
 */
export function loopRate(ms = 50): number {
  let acc = 0;
  let iterations = 0;
  const t0 = cpuMs();
  let t = t0;
  while (t - t0 < ms) {
    // Many short calls rather than one long loop: V8 then optimizes `spin` as a function, where a
    // long loop relies on on-stack replacement, which on a loaded machine can leave a process in
    // unoptimized code for its whole life (seen here: 0.17 instead of ~2 iterations/ns).
    for (let j = 0; j < 100; j++) acc = spin(1e4, acc);
    iterations += 1e6;
    t = cpuMs();
  }
  keep(acc);
  return iterations / ((t - t0) * 1e6);
}
