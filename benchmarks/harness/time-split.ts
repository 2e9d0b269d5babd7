/** Where ofwire's time goes: the agent's counted steps of a timed section, summarized over runs. */
import type { PhaseSeconds } from './phases.js';

/** One timed ofwire section as the agent reports it: its length, its garbage collection, its counted steps. */
export interface TimeSplit {
  seconds: number;
  gcSeconds: number;
  phases: PhaseSeconds;
}

/**
 * Medians over the runs of each counted step (harness/phases.ts), of what is left (waiting: for
 * the switch, the event loop, the source) and of garbage collection (which happens inside the
 * steps, so it overlaps them), divided by `per` (changes per run, for churn).
 */
export function splitOf(runs: TimeSplit[], per = 1): Record<string, number> | undefined {
  if (!runs.length) return undefined;
  const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]! / per;
  const steps = Object.keys(runs[0]!.phases) as (keyof PhaseSeconds)[];
  const out: Record<string, number> = { total_s: med(runs.map((r) => r.seconds)) };
  for (const k of steps) out[`${k}_s`] = med(runs.map((r) => r.phases[k]));
  out.wait_s = med(runs.map((r) => r.seconds - steps.reduce((sum, k) => sum + r.phases[k], 0)));
  out.gc_s = med(runs.map((r) => r.gcSeconds));
  return out;
}
