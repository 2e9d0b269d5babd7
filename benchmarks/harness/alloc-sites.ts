/**
 * Where the proxy's compile step allocates: the sampling heap profiler over N services compiled into
 * the desired state, counting objects the collector has already freed too. Prints the top sites by
 * bytes. `npx tsx benchmarks/harness/alloc-sites.ts [N] [E]`.
 */
import { Session } from 'node:inspector/promises';
import { DesiredState } from '../../lib/proxy/desired.js';
import { ServiceModel } from '../../lib/proxy/model.js';
import { compilePortKeyed } from '../../lib/proxy/wire.js';
import { ServicePortIds } from '../../lib/proxy/ids.js';
import { serviceFromObject, sliceFromObject } from '../../lib/sources/convert.js';
import type { EndpointSlice, Service } from '../../lib/sources/types.js';
import { NODE_NAME, proxyOptions, serviceObject, sliceObject } from './services.js';

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

const N = Number(process.argv[2] ?? 10000);
const E = Number(process.argv[3] ?? 5);
const set = { services: N, endpointsPerService: E };
const services: Service[] = [];
const slices: EndpointSlice[] = [];
for (let i = 0; i < N; i++) {
  services.push(serviceFromObject(serviceObject(i)));
  slices.push(sliceFromObject(sliceObject(set, i)));
}
const o = proxyOptions();
const compileAll = () => {
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
  return desired.size;
};
compileAll();
const session = new Session();
session.connect();
await session.post('HeapProfiler.startSampling', {
  samplingInterval: 512,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
compileAll();
const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: { head: ProfileNode } };
const bySite = new Map<string, number>();
let total = 0;
const walk = (n: ProfileNode): void => {
  const f = n.callFrame;
  const site = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
  bySite.set(site, (bySite.get(site) ?? 0) + n.selfSize);
  total += n.selfSize;
  for (const c of n.children) walk(c);
};
walk(profile.head);
console.log(`${(total / 1e6).toFixed(1)} MB allocated compiling ${N} services (${(total / N) | 0} bytes per service)`);
for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
  console.log(`${(bytes / 1e6).toFixed(2).padStart(8)} MB  ${site}`);
}
