/**
 * The proxy's compile step alone, no switch: N services into the desired state, timed, with GC time
 * (PerformanceObserver 'gc' entries) and CPU time (steadier than wall time on a busy machine).
 * `npx tsx benchmarks/harness/compile-only.ts [N] [E] [ROUNDS]`.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { DesiredState } from '../../lib/proxy/desired.js';
import { ServiceModel } from '../../lib/proxy/model.js';
import { compilePortKeyed } from '../../lib/proxy/wire.js';
import { ServicePortIds } from '../../lib/proxy/ids.js';
import { serviceFromObject, sliceFromObject } from '../../lib/sources/convert.js';
import { NODE_NAME, proxyOptions, serviceObject, sliceObject } from './services.js';

const N = Number(process.argv[2] ?? 10000);
const E = Number(process.argv[3] ?? 5);
const ROUNDS = Number(process.argv[4] ?? 5);
const set = { services: N, endpointsPerService: E };
const services = [];
const slices = [];
for (let i = 0; i < N; i++) {
  services.push(serviceFromObject(serviceObject(i)));
  slices.push(sliceFromObject(sliceObject(set, i)));
}
let gcMs = 0;
const obs = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
});
obs.observe({ entryTypes: ['gc'] });
const o = proxyOptions();
for (let round = 0; round < ROUNDS; round++) {
  gcMs = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const model = new ServiceModel({ nodeName: NODE_NAME });
  model.reset(services, slices);
  const ids = new ServicePortIds();
  const desired = new DesiredState();
  for (const key of model.serviceKeys()) {
    for (const sp of model.portsOf(key)) {
      const c = compilePortKeyed(o, sp, ids.acquire(sp.key));
      desired.setKeyed(sp.key, c.own, c.shared);
    }
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await new Promise((r) => setTimeout(r, 50));
  console.log(
    `round ${round}: ${ms.toFixed(1)} ms, cpu ${((cpu.user + cpu.system) / 1000).toFixed(1)} ms, gc ${gcMs.toFixed(1)} ms, ${desired.size} entries, heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`,
  );
}
obs.disconnect();
