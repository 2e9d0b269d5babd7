/**
 * The proxy's compile step alone, no switch: N services into the desired state, timed, with GC time
 * (PerformanceObserver 'gc' entries) and CPU time (steadier than wall time on a busy machine).
 * `npx tsx benchmarks/harness/compile-only.ts [N] [E] [ROUNDS]`.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { compileSet, convertedSet } from './compile-set.js';

const N = Number(process.argv[2] ?? 10000);
const E = Number(process.argv[3] ?? 5);
const ROUNDS = Number(process.argv[4] ?? 5);
const set = convertedSet(N, E);
let gcMs = 0;
const obs = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
});
obs.observe({ entryTypes: ['gc'] });
for (let round = 0; round < ROUNDS; round++) {
  gcMs = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const desired = compileSet(set);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await new Promise((r) => setTimeout(r, 50));
  console.log(
    `round ${round}: ${ms.toFixed(1)} ms, cpu ${((cpu.user + cpu.system) / 1000).toFixed(1)} ms, gc ${gcMs.toFixed(1)} ms, ${desired.size} entries, heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`,
  );
}
obs.disconnect();
