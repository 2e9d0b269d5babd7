import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { FileSource, SourceError, createSource, isProxyableService } from '../../../lib/sources/index.js';
import { fixturePath, fixtureText } from './fixtures.js';
import { Recorder, describeChanges } from './recorder.js';
import { ONLY_IN_LONG_RUN } from '../../helpers/long-runs.js';

function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'ofwire-file-source-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function started(t: Test, path: string): Promise<{ source: FileSource; seen: Recorder }> {
  const source = new FileSource(path);
  const seen = new Recorder(source);
  t.teardown(() => source.stop());
  await source.start();
  return { source, seen };
}

const WEB_SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
spec:
  clusterIP: 10.96.120.15
  ports:
  - name: http
    port: 80
    targetPort: http
`;

const WEB_SLICE = `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-7x2kq
  namespace: default
  labels:
    kubernetes.io/service-name: web
addressType: IPv4
ports:
- name: http
  port: 8080
endpoints:
- addresses: [10.244.1.5]
  conditions: {ready: true}
`;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
`;

const ECHO_SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: echo
spec:
  clusterIP: 10.96.201.7
  ports:
  - port: 8080
`;

const multiDocument = (...docs: string[]): string => docs.join('---\n');

t.test('reads what kubectl get svc,endpointslices -A -o yaml prints', async (t) => {
  const { source, seen } = await started(t, fixturePath('cluster.yaml'));
  t.equal(seen.syncs, 1);
  t.same(seen.errors, []);
  const { services, slices } = source.snapshot();
  t.equal(services.size, 9);
  t.equal(slices.size, 9);
  t.same(
    [...services.values()]
      .filter((s) => isProxyableService(s))
      .map((s) => `${s.namespace}/${s.name}`)
      .sort(),
    ['default/api', 'default/echo', 'default/kubernetes', 'default/web', 'kube-system/kube-dns', 'shop/cart'],
  );
  t.same(
    slices.get('kube-system/kube-dns-6mz5q')?.ports.map((p) => p.name),
    ['dns-tcp', 'dns', 'metrics'],
  );
});

t.test('reads a JSON List and multi-document YAML, skipping other kinds', async (t) => {
  const dir = tempDir(t);
  const json = join(dir, 'services.json');
  writeFileSync(json, fixtureText('services.json'));
  const fromJson = await started(t, json);
  t.equal(fromJson.source.snapshot().services.size, 9);

  const yaml = join(dir, 'web.yaml');
  writeFileSync(yaml, multiDocument(DEPLOYMENT, WEB_SERVICE, '', WEB_SLICE, ECHO_SERVICE));
  const fromYaml = await started(t, yaml);
  t.same([...fromYaml.source.snapshot().services.keys()], ['default/web', 'default/echo']);
  t.same([...fromYaml.source.snapshot().slices.keys()], ['default/web-7x2kq']);
  t.same(fromYaml.seen.errors, []);
});

t.test('an edit applies exactly the difference', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'services.yaml');
  writeFileSync(path, multiDocument(WEB_SERVICE, WEB_SLICE, ECHO_SERVICE));
  const { source, seen } = await started(t, path);
  writeFileSync(path, multiDocument(WEB_SERVICE.replace('port: 80', 'port: 8081'), WEB_SLICE, ECHO_SERVICE));
  await seen.until(() => seen.batches.length > 0);
  t.equal(seen.batches.length, 1);
  t.match(seen.batches[0], [{ kind: 'service', key: 'default/web', service: { ports: [{ port: 8081 }] } }]);
  t.equal(seen.batches[0]!.length, 1);
  t.equal(source.snapshot().services.get('default/web')?.ports[0]?.port, 8081);
});

t.test('removing objects from the file deletes them', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'services.yaml');
  writeFileSync(path, multiDocument(WEB_SERVICE, WEB_SLICE, ECHO_SERVICE));
  const { source, seen } = await started(t, path);
  writeFileSync(path, multiDocument(WEB_SERVICE, ECHO_SERVICE));
  await seen.until(() => seen.batches.length > 0);
  t.same(seen.changes, [{ kind: 'slice', key: 'default/web-7x2kq', slice: null }]);
  t.equal(source.snapshot().slices.size, 0);
});

t.test("editors' rename-and-replace saves are seen", async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'services.yaml');
  writeFileSync(path, WEB_SERVICE);
  const { source, seen } = await started(t, path);

  // Write a temporary file, then rename it over the original (atomic save).
  const temporary = join(dir, '.services.yaml.swp');
  writeFileSync(temporary, multiDocument(WEB_SERVICE, ECHO_SERVICE));
  renameSync(temporary, path);
  await seen.until(() => source.snapshot().services.has('default/echo'));
  t.match(seen.changes, [{ kind: 'service', key: 'default/echo' }]);

  // Move the original away as a backup, then write a new file under the old name.
  const before = seen.changes.length;
  renameSync(path, `${path}~`);
  writeFileSync(path, ECHO_SERVICE);
  await seen.until(() => !source.snapshot().services.has('default/web'));
  t.same(seen.changes.slice(before), [{ kind: 'service', key: 'default/web', service: null }]);
  t.same([...source.snapshot().services.keys()], ['default/echo']);
});

t.test('a ConfigMap volume update (the ..data symlink swap) is seen', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, '..2024_05_14_09_12_03.1'));
  writeFileSync(join(dir, '..2024_05_14_09_12_03.1', 'services.yaml'), WEB_SERVICE);
  symlinkSync('..2024_05_14_09_12_03.1', join(dir, '..data'));
  symlinkSync('..data/services.yaml', join(dir, 'services.yaml'));
  const { source, seen } = await started(t, join(dir, 'services.yaml'));
  t.same([...source.snapshot().services.keys()], ['default/web']);

  mkdirSync(join(dir, '..2024_05_14_09_30_00.2'));
  writeFileSync(join(dir, '..2024_05_14_09_30_00.2', 'services.yaml'), ECHO_SERVICE);
  symlinkSync('..2024_05_14_09_30_00.2', join(dir, '..data_tmp'));
  renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
  await seen.until(() => seen.batches.length > 0);
  t.same(describeChanges(seen.changes), ['service default/echo', 'service default/web deleted']);
});

t.test('a deleted file keeps the last good state until it comes back', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'services.yaml');
  writeFileSync(path, multiDocument(WEB_SERVICE, ECHO_SERVICE));
  const { source, seen } = await started(t, path);
  unlinkSync(path);
  await seen.until(() => seen.errors.length > 0);
  t.match(seen.errors[0], { name: 'SourceError', file: path, message: `${path}: no such file; keeping the last good state` });
  t.equal(source.snapshot().services.size, 2);
  t.same(seen.batches, []);
  writeFileSync(path, ECHO_SERVICE);
  await seen.until(() => seen.batches.length > 0);
  t.same(seen.changes, [{ kind: 'service', key: 'default/web', service: null }]);
});

t.test('a broken document keeps the last good state and names file and line', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'services.yaml');
  writeFileSync(path, multiDocument(WEB_SERVICE, ECHO_SERVICE));
  const { source, seen } = await started(t, path);
  const snapshotBefore = [...source.snapshot().services.values()];

  // A YAML syntax error in the second document (which starts on line 13).
  writeFileSync(path, multiDocument(WEB_SERVICE, ECHO_SERVICE.replace('  name: echo', '  name: echo\n   bad: [')));
  await seen.until(() => seen.errors.length > 0);
  const syntax = seen.errors[0] as SourceError;
  t.ok(syntax instanceof SourceError);
  t.equal(syntax.file, path);
  t.ok(syntax.line !== undefined && syntax.line >= 16, `line ${syntax.line}`);
  t.match(syntax.message, new RegExp(`^${path}:${syntax.line}: invalid YAML at column \\d+: `));
  t.notMatch(syntax.message, /\n/);
  t.same([...source.snapshot().services.values()], snapshotBefore, 'state unchanged');

  // A document that parses but is not a valid Service: port out of range on line 10.
  writeFileSync(path, multiDocument(WEB_SERVICE.replace('port: 80', 'port: 80000'), ECHO_SERVICE.replace('8080', '9090')));
  await seen.until(() => seen.errors.length > 1);
  t.match(seen.errors[1], {
    file: path,
    line: 10,
    field: 'spec.ports[0].port',
    message: `${path}:10: Service default/web: spec.ports[0].port: must be 1-65535`,
  });
  t.same(seen.batches, [], 'nothing half-applied: the valid echo change waits too');

  // Fixing the file applies the difference against the last good state.
  writeFileSync(path, multiDocument(WEB_SERVICE, ECHO_SERVICE.replace('8080', '9090')));
  await seen.until(() => seen.batches.length > 0);
  t.match(seen.changes, [{ kind: 'service', key: 'default/echo', service: { ports: [{ port: 9090 }] } }]);
  t.equal(seen.changes.length, 1);
});

t.test('a file broken from the start reports and syncs once fixed', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'services.json');
  writeFileSync(path, '{"kind": "List", "items": [{"kind": "Service", "metadata": {"name": "a"}, "spec": {"clusterIP": "1.2.3"}}]}');
  const { source, seen } = await started(t, path);
  t.equal(seen.syncs, 0);
  t.equal(source.isSynced, false);
  t.match(seen.errors, [{ message: `${path}:1: Service default/a: spec.clusterIP: must be an IP address or None`, line: 1 }]);
  writeFileSync(path, fixtureText('services.json'));
  await seen.until(() => seen.syncs > 0);
  t.equal(source.snapshot().services.size, 9);
  t.same(seen.batches, []);
});

t.test('a file that does not exist yet is waited for', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'later.yaml');
  const { source, seen } = await started(t, path);
  t.match(seen.errors, [{ message: `${path}: no such file; keeping the last good state` }]);
  writeFileSync(path, WEB_SERVICE);
  await seen.until(() => seen.syncs > 0);
  t.same([...source.snapshot().services.keys()], ['default/web']);
});

t.test('a directory that does not exist is a start error', async (t) => {
  const source = createSource('file:/nonexistent-ofwire-dir/services.yaml');
  await t.rejects(source.start(), {
    name: 'SourceError',
    message: /^file:\/nonexistent-ofwire-dir\/services\.yaml: cannot watch \/nonexistent-ofwire-dir: ENOENT/,
  });
});

t.test('a path that is not a readable file', async (t) => {
  const dir = tempDir(t);
  const notDirectory = join(dir, 'plain');
  writeFileSync(notDirectory, '');
  await t.rejects(new FileSource(join(notDirectory, 'services.yaml')).start(), {
    message: `file:${notDirectory}/services.yaml: cannot watch ${notDirectory}: not a directory`,
  });
  const { source, seen } = await started(t, dir);
  t.match(seen.errors, [{ message: new RegExp(`^${dir}: EISDIR: .*; keeping the last good state$`) }]);
  t.equal(source.isSynced, false);
});

t.test('start twice, and stop before the first read completes', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'services.yaml');
  writeFileSync(path, WEB_SERVICE);
  const { source, seen } = await started(t, path);
  await source.start();
  t.equal(seen.syncs, 1);

  const early = new FileSource(path);
  const earlySeen = new Recorder(early);
  const starting = early.start();
  await early.stop();
  await starting;
  t.equal(earlySeen.syncs, 0);
  t.same(early.snapshot().services.size, 0);
});

t.test('createSource names bad specs', async (t) => {
  t.throws(() => createSource('etcd://x'), { message: 'source "etcd://x": unknown; use kube or file:PATH' });
  t.throws(() => createSource('file:'), { message: /^source "file:": file: needs a path/ });
  t.ok(createSource('file:/tmp/x.yaml') instanceof FileSource);
});

/** kubectl-style YAML for `count` Services; Service i has `port: <1000+i>` on line `portLine(i)`. */
function manyServices(count: number): { text: string; linesPerService: number } {
  const chunks = ['apiVersion: v1\nitems:\n'];
  for (let i = 0; i < count; i++) {
    chunks.push(`- apiVersion: v1
  kind: Service
  metadata:
    creationTimestamp: "2024-05-14T10:00:00Z"
    labels:
      app: app-${i}
    name: svc-${i}
    namespace: ns-${i % 100}
    resourceVersion: "${5000 + i}"
    uid: 00000000-0000-4000-8000-${String(i).padStart(12, '0')}
  spec:
    clusterIP: 10.96.${i >> 8}.${i & 255}
    clusterIPs:
    - 10.96.${i >> 8}.${i & 255}
    internalTrafficPolicy: Cluster
    ipFamilies:
    - IPv4
    ipFamilyPolicy: SingleStack
    ports:
    - name: http
      port: ${1000 + i}
      protocol: TCP
      targetPort: 8080
    sessionAffinity: None
    type: ClusterIP
  status:
    loadBalancer: {}
`);
  }
  chunks.push('kind: List\nmetadata:\n  resourceVersion: ""\n');
  return { text: chunks.join(''), linesPerService: 27 };
}

t.test('10k services in one file', { skip: ONLY_IN_LONG_RUN }, async (t) => {
  t.setTimeout(240_000);
  const dir = tempDir(t);
  const path = join(dir, 'services.yaml');
  const { text } = manyServices(10_000);
  writeFileSync(path, text);
  const { source, seen } = await started(t, path);
  t.equal(seen.syncs, 1);
  const { services } = source.snapshot();
  t.equal(services.size, 10_000);
  t.equal(services.get('ns-42/svc-4242')?.ports[0]?.port, 5242);
  t.equal(services.get('ns-99/svc-9999')?.clusterIPs[0], '10.96.39.15');

  writeFileSync(path, text.replace('      port: 5242\n', '      port: 6242\n'));
  await seen.until(() => seen.batches.length > 0);
  t.equal(seen.batches.length, 1);
  t.equal(seen.batches[0]!.length, 1);
  t.match(seen.batches[0]![0], { kind: 'service', key: 'ns-42/svc-4242', service: { ports: [{ port: 6242 }] } });

  // An invalid value deep in the file is reported at its line.
  const lines = text.split('\n');
  const target = lines.indexOf('      port: 9999') + 1;
  writeFileSync(path, text.replace('      port: 9999\n', '      port: -1\n'));
  await seen.until(() => seen.errors.length > 0);
  t.match(seen.errors[0], { line: target, message: `${path}:${target}: Service ns-99/svc-8999: spec.ports[0].port: must be 1-65535` });
  t.equal(source.snapshot().services.size, 10_000);
});
