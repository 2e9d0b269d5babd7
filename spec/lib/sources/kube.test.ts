import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import {
  KubeSource,
  createSource,
  isProxyableService,
  serviceKey,
  sliceServiceKey,
  type KubeSourceOptions,
} from '../../../lib/sources/index.js';
import { FakeApiServer, type KubeObject, type RequestRecord } from '../../helpers/fake-apiserver.js';
import { fixtureItems } from './fixtures.js';
import { Recorder, describeChanges } from './recorder.js';

const SERVICES = fixtureItems('services.json') as KubeObject[];
const SLICES = fixtureItems('endpointslices.json') as KubeObject[];

async function apiServer(t: Test, objects: KubeObject[] = [...SERVICES, ...SLICES]): Promise<FakeApiServer> {
  const api = await FakeApiServer.start();
  t.teardown(() => api.close());
  for (const obj of objects) api.upsert(obj);
  return api;
}

function kubeconfigFor(t: Test, api: FakeApiServer): string {
  const dir = mkdtempSync(join(tmpdir(), 'ofwire-kube-source-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return api.writeKubeconfig(dir);
}

async function startSource(t: Test, api: FakeApiServer, options: KubeSourceOptions = {}): Promise<{ source: KubeSource; seen: Recorder }> {
  const source = new KubeSource({ kubeconfig: kubeconfigFor(t, api), backoff: { minDelayMs: 10, maxDelayMs: 200 }, ...options });
  const seen = new Recorder(source);
  t.teardown(() => source.stop());
  await source.start();
  return { source, seen };
}

async function synced(t: Test, api: FakeApiServer, options: KubeSourceOptions = {}): Promise<{ source: KubeSource; seen: Recorder }> {
  const started = await startSource(t, api, options);
  await started.seen.until(() => started.seen.syncs > 0);
  return started;
}

/** A copy of the stored object with `change` applied. */
function edited(
  api: FakeApiServer,
  kind: 'Service' | 'EndpointSlice',
  namespace: string,
  name: string,
  change: (obj: any) => void,
): KubeObject {
  const obj = api.get(kind, namespace, name);
  if (!obj) throw new Error(`no ${kind} ${namespace}/${name}`);
  change(obj);
  return obj;
}

function newService(name: string, ip: string, port = 80): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: {
      clusterIP: ip,
      clusterIPs: [ip],
      ipFamilies: ['IPv4'],
      ports: [{ name: 'http', port, protocol: 'TCP', targetPort: 8080 }],
      type: 'ClusterIP',
    },
  };
}

t.test('lists both resources in chunks, syncs, then watches from the list version', async (t) => {
  const api = await apiServer(t);
  const { source, seen } = await synced(t, api, { pageSize: 4 });
  await source.start();
  t.equal(seen.syncs, 1, 'starting again changes nothing');
  t.same(seen.batches, [], 'the initial state is read from the snapshot');
  const { services, slices } = source.snapshot();
  t.equal(services.size, SERVICES.length);
  t.equal(slices.size, SLICES.length);

  const lists = api.requests.filter((r) => !r.watch);
  t.ok(
    lists.some((r) => r.resource === 'services' && r.query.continue),
    'services listed in chunks',
  );
  t.ok(
    lists.some((r) => r.resource === 'endpointslices' && r.query.continue),
    'slices listed in chunks',
  );
  t.ok(lists.every((r) => r.query.limit === '4'));
  await api.waitForWatches('services');
  await api.waitForWatches('endpointslices');
  const watches = api.requests.filter((r) => r.watch);
  t.same(watches.map((r) => [r.resource, r.query.resourceVersion, r.query.allowWatchBookmarks]).sort(), [
    ['endpointslices', api.resourceVersion, 'true'],
    ['services', api.resourceVersion, 'true'],
  ]);
});

t.test('real-shaped objects: what a proxy serves, and how slices join services', async (t) => {
  const api = await apiServer(t);
  const { source } = await synced(t, api);
  const { services, slices } = source.snapshot();
  const served = [...services.values()]
    .filter((s) => isProxyableService(s))
    .map(serviceKey)
    .sort();
  t.same(served, ['default/api', 'default/echo', 'default/kubernetes', 'default/web', 'kube-system/kube-dns', 'shop/cart']);
  t.same([...services.values()].filter((s) => isProxyableService(s, { proxyName: 'mesh-proxy' })).map(serviceKey), ['default/mesh-gw']);
  t.ok(services.has('default/db-headless') && services.has('default/docs'), 'headless and ExternalName are delivered, not served');

  for (const key of served) {
    const service = services.get(key)!;
    const own = [...slices.values()].filter((slice) => sliceServiceKey(slice) === key);
    t.ok(own.length > 0, `${key} has slices`);
    for (const slice of own) {
      t.same(
        slice.ports.map((p) => `${p.name}/${p.protocol}`).sort(),
        service.ports.map((p) => `${p.name}/${p.protocol}`).sort(),
        `${slice.name} ports join ${key} ports by name`,
      );
    }
  }
  t.same(slices.get('default/api-v6cz7')?.endpoints[0]?.addresses, ['fd00:10:244:1::10']);
  t.match(slices.get('default/web-7x2kq')?.endpoints[2], { ready: false, serving: true, terminating: true, nodeName: 'kind-worker2' });
});

t.test('a list whose continue token expires between chunks starts over', async (t) => {
  const api = await apiServer(t);
  let compacted = false;
  api.on('request', (request: RequestRecord) => {
    if (compacted || request.resource !== 'services' || request.watch || request.query.continue) return;
    compacted = true;
    api.delete('Service', 'default', 'docs');
    api.compact();
  });
  const { source } = await synced(t, api, { pageSize: 3 });
  const pages = api.requests.filter((r) => r.resource === 'services' && !r.watch);
  t.ok(pages.filter((r) => !r.query.continue).length === 2, 'the list started twice');
  t.equal(source.snapshot().services.size, SERVICES.length - 1);
  t.notOk(source.snapshot().services.has('default/docs'));
});

t.test('no sync until both caches have listed', async (t) => {
  const api = await apiServer(t);
  api.reject('endpointslices', 500);
  const { source, seen } = await startSource(t, api);
  await api.waitForWatches('services');
  await seen.until(() => seen.errors.length >= 2);
  t.equal(seen.syncs, 0);
  t.equal(source.isSynced, false);
  t.match(seen.errors[0], {
    name: 'SourceError',
    message: /^kube: endpointslices: list failed: HTTP 500: fake apiserver told to fail endpointslices; retrying in \d+ ms$/,
  });
  api.reject('endpointslices', undefined);
  await seen.until(() => seen.syncs > 0);
  t.equal(source.snapshot().slices.size, SLICES.length);
  t.equal(source.snapshot().services.size, SERVICES.length);
});

t.test('watch events ADDED, MODIFIED and DELETED arrive as changes', async (t) => {
  const api = await apiServer(t);
  const { source, seen } = await synced(t, api);
  await api.waitForWatches('services');
  await api.waitForWatches('endpointslices');

  api.upsert(edited(api, 'Service', 'kube-system', 'kube-dns', (o) => (o.metadata.annotations.touched = 'yes')));
  api.upsert(newService('shop-front', '10.96.5.5'));
  api.upsert(edited(api, 'Service', 'default', 'web', (o) => (o.spec.ports[0].port = 8081)));
  api.delete('EndpointSlice', 'default', 'echo-zt6ck');
  api.upsert(edited(api, 'EndpointSlice', 'default', 'web-7x2kq', (o) => o.endpoints.pop()));
  await seen.until(() => seen.changes.length >= 4 && !source.snapshot().slices.has('default/echo-zt6ck'));
  await seen.until(() => source.snapshot().slices.get('default/web-7x2kq')?.endpoints.length === 2);

  t.same(
    describeChanges(seen.changes),
    ['service default/shop-front', 'service default/web', 'slice default/echo-zt6ck deleted', 'slice default/web-7x2kq'],
    'an annotation-only change is no change',
  );
  t.equal(source.snapshot().services.get('default/web')?.ports[0]?.port, 8081);
  t.equal(
    source.snapshot().services.get('kube-system/kube-dns')?.resourceVersion,
    api.get('Service', 'kube-system', 'kube-dns')?.metadata.resourceVersion,
  );
});

t.test('a service that stops being served is a change the predicate turns into a removal', async (t) => {
  const api = await apiServer(t);
  const { seen } = await synced(t, api);
  await api.waitForWatches('services');
  api.upsert(
    edited(api, 'Service', 'default', 'web', (o) => (o.metadata.labels['service.kubernetes.io/service-proxy-name'] = 'someone-else')),
  );
  await seen.until(() => seen.changes.length > 0);
  const [change] = seen.changes;
  t.ok(change?.kind === 'service' && change.service && !isProxyableService(change.service));
});

t.test('a burst of 1000 watch events gives a handful of batches', async (t) => {
  const api = await apiServer(t);
  const { source, seen } = await synced(t, api);
  await api.waitForWatches('services');
  for (let i = 0; i < 1000; i++) api.upsert(newService(`burst-${i}`, `10.97.${i >> 8}.${i & 255}`));
  await seen.until(() => source.snapshot().services.size === SERVICES.length + 1000);
  t.equal(new Set(seen.changes.map((c) => c.key)).size, 1000);
  t.ok(seen.batches.length <= 50, `${seen.batches.length} batches`);
});

t.test('bookmarks let a reconnect resume instead of relisting', async (t) => {
  const api = await apiServer(t);
  const { seen } = await synced(t, api);
  await api.waitForWatches('services');
  await api.waitForWatches('endpointslices');
  // Slice changes move the cluster's resourceVersion past the services watch; then history is compacted.
  api.upsert(edited(api, 'EndpointSlice', 'default', 'web-7x2kq', (o) => o.endpoints.pop()));
  api.compact();
  api.bookmark();
  const from = api.requests.length;
  api.endWatches('services');
  const rewatch = await api.waitForRequest((r) => r.resource === 'services' && r.watch, from);
  t.equal(rewatch.query.resourceVersion, api.resourceVersion, 'resumed from the bookmark');
  await api.waitForWatches('services');
  t.same(
    api.requests.slice(from).filter((r) => !r.watch),
    [],
    'no relist',
  );
  t.same(seen.errors, []);
});

t.test('a watch that times out cleanly is resumed without an error', async (t) => {
  const api = await apiServer(t);
  const { source, seen } = await synced(t, api);
  await api.waitForWatches('services');
  const from = api.requests.length;
  api.endWatches();
  api.delete('Service', 'default', 'echo');
  await seen.until(() => !source.snapshot().services.has('default/echo'));
  t.same(describeChanges(seen.changes), ['service default/echo deleted']);
  t.same(
    api.requests.slice(from).filter((r) => !r.watch),
    [],
    'no relist',
  );
  t.same(seen.errors, []);
});

t.test('a dropped watch is restarted and resumes from its resourceVersion', async (t) => {
  const api = await apiServer(t);
  const { source, seen } = await synced(t, api);
  await api.waitForWatches('services');
  await api.waitForWatches('endpointslices');
  const from = api.requests.length;
  api.dropWatches();
  api.upsert(newService('late', '10.96.9.9'));
  api.delete('EndpointSlice', 'default', 'web-7x2kq');
  await seen.until(() => source.snapshot().services.has('default/late') && !source.snapshot().slices.has('default/web-7x2kq'));
  t.same(describeChanges(seen.changes), ['service default/late', 'slice default/web-7x2kq deleted']);
  t.same(
    api.requests.slice(from).filter((r) => !r.watch),
    [],
    'no relist',
  );
  t.ok(seen.errors.length > 0, 'the broken connection was reported');
  t.match(seen.errors[0], {
    name: 'SourceError',
    message: /^kube: (services|endpointslices): watch (connection lost|failed: .+); retrying in \d+ ms$/,
  });
  t.equal(source.snapshot().services.size, SERVICES.length + 1, 'nothing else dropped');
  t.equal(seen.syncs, 1, 'no resync without a relist');
});

t.test('410 Gone: relists and delivers only what changed meanwhile', async (t) => {
  const api = await apiServer(t);
  const { source, seen } = await synced(t, api);
  await api.waitForWatches('services');
  await api.waitForWatches('endpointslices');
  const from = api.requests.length;
  // The watch breaks; while the client waits to retry, objects change and history is compacted.
  api.dropWatches('services');
  api.delete('Service', 'default', 'web');
  api.upsert(edited(api, 'Service', 'kube-system', 'kube-dns', (o) => (o.spec.ports[2].port = 9154)));
  api.upsert(edited(api, 'Service', 'default', 'kubernetes', (o) => (o.metadata.annotations = { only: 'metadata' })));
  api.upsert(newService('fresh', '10.96.8.8'));
  api.compact();
  await seen.until(() => seen.syncs === 2);

  t.same(describeChanges(seen.changes), ['service default/fresh', 'service default/web deleted', 'service kube-system/kube-dns']);
  t.equal(source.snapshot().services.get('kube-system/kube-dns')?.ports[2]?.port, 9154);
  t.equal(source.snapshot().services.size, SERVICES.length, 'one gone, one new');
  t.equal(source.snapshot().slices.size, SLICES.length, 'slices untouched');
  t.same(seen.order, ['synced', 'changes', 'synced'], 'the differences come before the new synced');
  const after = api.requests.slice(from).filter((r) => r.resource === 'services');
  t.ok(after.some((r) => r.watch) && after.some((r) => !r.watch), 'a watch answered 410, then a relist');
});

t.test('410 Gone as an ERROR event on an open watch', async (t) => {
  const api = await apiServer(t);
  const { source, seen } = await synced(t, api);
  await api.waitForWatches('services');
  await api.waitForWatches('endpointslices');
  const from = api.requests.length;
  api.compact();
  api.expireWatches();
  await api.waitForRequest((r) => r.resource === 'endpointslices' && !r.watch, from);
  await api.waitForRequest((r) => r.resource === 'services' && !r.watch, from);
  await seen.until(() => seen.syncs === 3);
  t.same(seen.changes, [], 'a relist of unchanged objects changes nothing');
  t.same(seen.order, ['synced', 'synced', 'synced'], 'synced again after each relist');
  t.equal(source.snapshot().slices.size, SLICES.length);
  t.same(seen.errors, [], '410 is handled, not reported');
});

t.test('API server restart that loses the watch cache: retried, relisted, state kept', async (t) => {
  const api = await apiServer(t);
  const { source, seen } = await synced(t, api);
  await api.waitForWatches('services');
  await api.waitForWatches('endpointslices');
  await api.restart({
    whileDown: async () => {
      api.delete('EndpointSlice', 'default', 'api-v6cz7');
      api.upsert(edited(api, 'Service', 'default', 'web', (o) => (o.spec.ports[0].port = 8088)));
      // Every connection was cut: both informers fail and keep retrying against a closed port.
      await seen.until(() => seen.errors.length >= 4);
      t.equal(source.snapshot().services.size, SERVICES.length, 'state kept while the server is down');
    },
  });
  await seen.until(() => seen.syncs >= 2 && !source.snapshot().slices.has('default/api-v6cz7'));
  await seen.until(() => source.snapshot().services.get('default/web')?.ports[0]?.port === 8088);
  t.same(describeChanges(seen.changes), ['service default/web', 'slice default/api-v6cz7 deleted']);
  t.equal(source.snapshot().slices.size, SLICES.length - 1);
  t.ok(
    seen.errors.every((e) =>
      /^kube: (services|endpointslices): (watch|list) (connection lost|failed: .+); retrying in \d+ ms$/.test(e.message),
    ),
    seen.errors.map((e) => e.message).join('\n'),
  );
});

t.test('API server restart with its history intact: watches resume without relisting', async (t) => {
  const api = await apiServer(t);
  const { source, seen } = await synced(t, api);
  await api.waitForWatches('services');
  await api.waitForWatches('endpointslices');
  const from = api.requests.length;
  await api.restart({ keepHistory: true, whileDown: () => api.upsert(newService('during-restart', '10.96.7.7')) });
  await seen.until(() => source.snapshot().services.has('default/during-restart'));
  await api.waitForWatches('endpointslices');
  t.same(
    api.requests.slice(from).filter((r) => !r.watch),
    [],
    'no relist',
  );
  t.same(describeChanges(seen.changes), ['service default/during-restart']);
});

t.test('an invalid object from the API is reported and the last good version kept', async (t) => {
  const api = await apiServer(t);
  const { source, seen } = await synced(t, api);
  await api.waitForWatches('services');
  api.upsert(edited(api, 'Service', 'default', 'web', (o) => (o.spec.ports[0].port = 0)));
  await seen.until(() => seen.errors.length > 0);
  t.match(seen.errors[0], {
    name: 'SourceError',
    field: 'spec.ports[0].port',
    message: 'kube: Service default/web: spec.ports[0].port: must be 1-65535; keeping the last good version',
  });
  t.equal(source.snapshot().services.get('default/web')?.ports[0]?.port, 80);
  api.upsert(edited(api, 'Service', 'default', 'web', (o) => (o.spec.ports[0].port = 81)));
  await seen.until(() => seen.changes.length > 0);
  t.equal(source.snapshot().services.get('default/web')?.ports[0]?.port, 81);
});

t.test('one namespace', async (t) => {
  const api = await apiServer(t);
  const { source, seen } = await synced(t, api, { namespace: 'kube-system' });
  t.same([...source.snapshot().services.keys()], ['kube-system/kube-dns']);
  t.same([...source.snapshot().slices.keys()], ['kube-system/kube-dns-6mz5q']);
  t.ok(api.requests.every((r) => r.namespace === 'kube-system'));
  await api.waitForWatches('services');
  api.upsert(newService('elsewhere', '10.96.6.6'));
  api.upsert(edited(api, 'Service', 'kube-system', 'kube-dns', (o) => (o.spec.ports[0].port = 5353)));
  await seen.until(() => seen.changes.length > 0);
  t.same(describeChanges(seen.changes), ['service kube-system/kube-dns']);
});

t.test('stop closes the watches and ends retries', async (t) => {
  const api = await apiServer(t);
  const { source, seen } = await synced(t, api);
  await api.waitForWatches('services');
  await api.waitForWatches('endpointslices');
  await source.stop();
  await api.waitForNoWatches();
  t.equal(source.isSynced, false);
  const errors = seen.errors.length;
  api.upsert(newService('after-stop', '10.96.4.4'));
  t.equal(seen.errors.length, errors, 'stopping is not an error');
});

t.test('stop while the first lists are in flight', async (t) => {
  const api = await apiServer(t);
  const { source, seen } = await startSource(t, api);
  await source.stop();
  await api.waitForRequest((r) => r.resource === 'services');
  await api.waitForRequest((r) => r.resource === 'endpointslices');
  await api.waitForNoWatches();
  t.equal(seen.syncs, 0);
  t.same(seen.errors, []);
  t.ok(
    api.requests.every((r) => !r.watch),
    'no watch was started after stop',
  );
});

t.test('stopped and started again: what changed meanwhile is in the snapshot at synced', async (t) => {
  const api = await apiServer(t);
  const { source, seen } = await synced(t, api);
  await source.stop();
  api.delete('Service', 'default', 'web');
  api.upsert(newService('while-stopped', '10.96.3.3'));
  await source.start();
  await seen.until(() => seen.syncs === 2);
  const { services } = source.snapshot();
  t.notOk(services.has('default/web'));
  t.ok(services.has('default/while-stopped'));
  t.equal(services.size, SERVICES.length);
  t.same(seen.batches, [], 'a new start is read from the snapshot');
});

t.test('kubeconfig: option, $KUBECONFIG, and one-line errors', async (t) => {
  const api = await apiServer(t);
  const path = kubeconfigFor(t, api);
  const saved = process.env.KUBECONFIG;
  t.teardown(() => {
    if (saved === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved;
  });
  process.env.KUBECONFIG = path;
  const source = createSource('kube', { namespace: 'shop' });
  t.teardown(() => source.stop());
  const ready = new Promise<void>((resolve) => source.once('synced', resolve));
  await source.start();
  await ready;
  t.same([...source.snapshot().services.keys()], ['shop/cart']);

  await t.rejects(new KubeSource({ kubeconfig: '/nonexistent/kubeconfig' }).start(), {
    name: 'SourceError',
    message: /^kubeconfig \/nonexistent\/kubeconfig: ENOENT: no such file or directory/,
  });
  const dir = mkdtempSync(join(tmpdir(), 'ofwire-kubeconfig-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const insecure = api.writeKubeconfig(dir);
  const text = readFileSync(insecure, 'utf8').replace('    insecure-skip-tls-verify: true\n', '');
  writeFileSync(insecure, text);
  // A plain http:// server (what `kubectl proxy` serves) needs no insecure-skip-tls-verify, as in kubectl.
  const plain = new KubeSource({ kubeconfig: insecure, namespace: 'shop' });
  t.teardown(() => plain.stop());
  const plainReady = new Promise<void>((resolve) => plain.once('synced', resolve));
  await plain.start();
  await plainReady;
  t.same([...plain.snapshot().services.keys()], ['shop/cart'], 'plain http without insecure-skip-tls-verify');
  const lost = api.writeKubeconfig(dir, 'lost-cluster');
  writeFileSync(lost, readFileSync(lost, 'utf8').replace('current-context: fake', 'current-context: elsewhere'));
  await t.rejects(new KubeSource({ kubeconfig: lost }).start(), {
    message: `kubeconfig ${lost}: current context "elsewhere" names no known cluster`,
  });
});

const inPod = existsSync('/var/run/secrets/kubernetes.io/serviceaccount/token');
t.test(
  'no kubeconfig anywhere is a one-line start error',
  { skip: inPod && 'running in a pod: the service account is used' },
  async (t) => {
    const saved = { KUBECONFIG: process.env.KUBECONFIG, HOME: process.env.HOME };
    const home = mkdtempSync(join(tmpdir(), 'ofwire-home-'));
    t.teardown(() => {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      rmSync(home, { recursive: true, force: true });
    });
    delete process.env.KUBECONFIG;
    process.env.HOME = home;
    await t.rejects(new KubeSource().start(), {
      message: 'kubeconfig: none found: pass --kubeconfig, set $KUBECONFIG, or run in a pod with a service account',
    });
  },
);
