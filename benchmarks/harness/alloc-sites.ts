/**
 * Where the proxy's compile step allocates: the sampling heap profiler over N services compiled into
 * the desired state, counting objects the collector has already freed too. Prints the top sites by
 * bytes. `npx tsx benchmarks/harness/alloc-sites.ts [N] [E]`.
 */
import { Session } from 'node:inspector/promises';
import { compileSet, convertedSet } from './compile-set.js';

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

const N = Number(process.argv[2] ?? 10000);
const E = Number(process.argv[3] ?? 5);
const set = convertedSet(N, E);
const compileAll = () => compileSet(set).size;
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
