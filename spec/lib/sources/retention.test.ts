/**
 * Sources hold the model, never the Kubernetes objects it came from: once converted, an object
 * given to a source (and every part of it) can be collected. Checked with WeakRefs and a forced GC.
 */
import t from 'tap';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSource, MemorySource } from '../../../lib/sources/index.js';
import { parseManifest } from '../../../lib/sources/manifest.js';
import { serviceFromObject, sliceFromObject } from '../../../lib/sources/convert.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function serviceObject(name: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', labels: { app: name }, resourceVersion: '7' },
    spec: {
      clusterIP: '10.96.0.10',
      clusterIPs: ['10.96.0.10'],
      ipFamilies: ['IPv4'],
      ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }],
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } },
    },
  };
}

function sliceObject(name: string): Record<string, unknown> {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${name}-a`, namespace: 'default', labels: { 'kubernetes.io/service-name': name } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: [{ addresses: ['10.244.1.5'], conditions: { ready: true }, nodeName: 'node-1', zone: 'a' }],
  };
}

/** WeakRefs to an object and every object and array inside it. */
function refsOf(value: unknown, out: WeakRef<object>[] = []): WeakRef<object>[] {
  if (typeof value !== 'object' || value === null) return out;
  out.push(new WeakRef(value));
  for (const v of Object.values(value)) refsOf(v, out);
  return out;
}

/** Collects after the current job (a WeakRef keeps its target alive until the job ends). */
async function collected(refs: WeakRef<object>[]): Promise<number> {
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  return refs.filter((r) => r.deref() !== undefined).length;
}

t.test('the model shares nothing with the object it was converted from', async (t) => {
  let refs: WeakRef<object>[] = [];
  const kept = (() => {
    const svc = serviceObject('web');
    const slice = sliceObject('web');
    refs = [...refsOf(svc), ...refsOf(slice)];
    return [serviceFromObject(svc), sliceFromObject(slice)];
  })();
  t.equal(await collected(refs), 0, `all ${refs.length} objects and arrays of the originals collected`);
  t.equal(kept.length, 2);
});

t.test('MemorySource keeps no object it was given', async (t) => {
  const source = new MemorySource();
  await source.start();
  let refs: WeakRef<object>[] = [];
  (() => {
    for (let i = 0; i < 50; i++) {
      const svc = serviceObject(`svc-${i}`);
      const slice = sliceObject(`svc-${i}`);
      refs.push(...refsOf(svc), ...refsOf(slice));
      source.upsertService(svc);
      source.upsertEndpointSlice(slice);
    }
  })();
  await new Promise((resolve) => setImmediate(resolve));
  t.equal(source.snapshot().services.size, 50);
  t.equal(await collected(refs), 0, `all ${refs.length} collected while the source holds 50 services and slices`);
  refs = [];
  await source.stop();
});

t.test('a manifest read keeps neither its text nor its parsed objects', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ofwire-retention-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'services.json');
  const items = [serviceObject('web'), sliceObject('web')];
  writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
  const manifestRefs: WeakRef<object>[] = [];
  (() => {
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
    const m = parseManifest(text, 'inline');
    for (const s of m.services.values()) manifestRefs.push(new WeakRef(s));
  })();
  t.equal(await collected(manifestRefs), 0, 'a parsed manifest is not cached');
  const source = new FileSource(file);
  await source.start();
  t.equal(source.snapshot().services.size, 1);
  t.equal(source.snapshot().slices.size, 1);
  await source.stop();
});
