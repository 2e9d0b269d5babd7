/**
 * How the Kubernetes source reaches a real cluster's API server: the pod's service account (token
 * re-read when it rotates, the cluster CA, KUBERNETES_SERVICE_HOST/PORT), HTTPS with a CA file and
 * with a client certificate, and what it does when RBAC is missing (one line naming the resource
 * and verb, retried with backoff). Against an HTTPS API stand-in that checks the bearer token.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t, { type Test } from 'tap';
import { KubeSource, SourceError } from '../../../lib/sources/index.js';
import { loadKubeConfig } from '../../../lib/sources/kube-config.js';
import { FakeApiServer, type KubeObject } from '../../helpers/fake-apiserver.js';
import { fixtureItems } from './fixtures.js';
import { Recorder } from './recorder.js';

const exec = promisify(execFile);
const OBJECTS = [...fixtureItems('services.json'), ...fixtureItems('endpointslices.json')] as KubeObject[];

interface Pki {
  dir: string;
  ca: string;
  server: { key: string; cert: string };
  client: { key: string; cert: string };
}

/** A throwaway CA, a server certificate for 127.0.0.1 and a client certificate. */
async function pki(t: Test): Promise<Pki> {
  const dir = mkdtempSync(join(tmpdir(), 'ofwire-pki-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await exec('openssl', [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    join(dir, 'ca.key'),
    '-out',
    join(dir, 'ca.crt'),
    '-subj',
    '/CN=test-ca',
    '-days',
    '2',
  ]);
  const issue = async (name: string, ext: string) => {
    writeFileSync(join(dir, `${name}.ext`), ext);
    await exec('openssl', ['req', ...ec, '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.csr`), '-subj', `/CN=${name}`]);
    await exec('openssl', [
      'x509',
      '-req',
      '-in',
      join(dir, `${name}.csr`),
      '-CA',
      join(dir, 'ca.crt'),
      '-CAkey',
      join(dir, 'ca.key'),
      '-CAcreateserial',
      '-out',
      join(dir, `${name}.crt`),
      '-days',
      '2',
      '-extfile',
      join(dir, `${name}.ext`),
    ]);
    return { key: join(dir, `${name}.key`), cert: join(dir, `${name}.crt`) };
  };
  const server = await issue('apiserver', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  const client = await issue('agent', 'extendedKeyUsage=clientAuth\n');
  return { dir, ca: join(dir, 'ca.crt'), server, client };
}

async function httpsApi(t: Test, p: Pki, clientCerts = false): Promise<FakeApiServer> {
  const api = await FakeApiServer.start({
    tls: { key: readFileSync(p.server.key), cert: readFileSync(p.server.cert), ...(clientCerts ? { clientCa: readFileSync(p.ca) } : {}) },
  });
  t.teardown(() => api.close());
  for (const obj of OBJECTS) api.upsert(obj);
  return api;
}

async function syncedSource(t: Test, source: KubeSource): Promise<Recorder> {
  const seen = new Recorder(source);
  t.teardown(() => source.stop());
  await source.start();
  await seen.until(() => seen.syncs > 0);
  return seen;
}

t.test('in a pod: the service account token and CA, KUBERNETES_SERVICE_HOST and _PORT', async (t) => {
  const p = await pki(t);
  const api = await httpsApi(t, p);
  const sa = join(p.dir, 'serviceaccount');
  mkdirSync(sa);
  writeFileSync(join(sa, 'token'), `${api.token}\n`);
  writeFileSync(join(sa, 'ca.crt'), readFileSync(p.ca));
  const saved = { ...process.env };
  t.teardown(() => {
    for (const k of ['KUBECONFIG', 'HOME', 'KUBERNETES_SERVICE_HOST', 'KUBERNETES_SERVICE_PORT']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });
  delete process.env.KUBECONFIG;
  process.env.HOME = p.dir;
  process.env.KUBERNETES_SERVICE_HOST = '127.0.0.1';
  process.env.KUBERNETES_SERVICE_PORT = String(api.port);
  t.match(loadKubeConfig(undefined, { serviceAccountDir: sa }), {
    origin: 'in-cluster config',
    connection: { server: `https://127.0.0.1:${api.port}`, tokenFile: join(sa, 'token') },
  });

  const source = new KubeSource({ serviceAccountDir: sa, backoff: { minDelayMs: 10, maxDelayMs: 100 } });
  const seen = await syncedSource(t, source);
  t.equal(source.snapshot().services.size, fixtureItems('services.json').length, 'listed over HTTPS with the cluster CA and the token');

  // The kubelet rotates the token: the file changes, the old token stops working.
  api.token = 'rotated-token';
  writeFileSync(join(sa, 'token'), 'rotated-token\n');
  api.dropWatches();
  const from = api.requests.length;
  await api.waitForWatches('services');
  await api.waitForWatches('endpointslices');
  api.upsert({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'after-rotation', namespace: 'default' },
    spec: { clusterIP: '10.96.9.9', ports: [{ port: 80, protocol: 'TCP' }] },
  });
  await seen.until(() => source.snapshot().services.has('default/after-rotation'));
  t.ok(api.requests.length > from, 'reconnected with the new token');

  await t.rejects(
    new KubeSource({ serviceAccountDir: join(p.dir, 'nowhere') }).start(),
    { message: /kubeconfig: none found/ },
    'no token there: not in a pod',
  );
});

t.test('HTTPS with a CA file, and with a client certificate instead of a token', async (t) => {
  const p = await pki(t);
  const api = await httpsApi(t, p, true);
  const config = join(p.dir, 'kubeconfig');
  const write = (user: string) =>
    writeFileSync(
      config,
      [
        'apiVersion: v1',
        'kind: Config',
        'current-context: c',
        'contexts:',
        '- name: c',
        '  context: {cluster: k, user: u}',
        'clusters:',
        '- name: k',
        '  cluster:',
        `    server: ${api.url}`,
        '    certificate-authority: ca.crt',
        'users:',
        '- name: u',
        `  user: ${user}`,
        '',
      ].join('\n'),
    );
  write(`{token: ${api.token}}`);
  await syncedSource(t, new KubeSource({ kubeconfig: config, namespace: 'shop' }));
  write(`{client-certificate: ${p.client.cert}, client-key: agent.key}`);
  const certified = new KubeSource({ kubeconfig: config, namespace: 'shop' });
  await syncedSource(t, certified);
  t.same([...certified.snapshot().services.keys()], ['shop/cart'], 'authenticated by its client certificate');

  // A server certificate the CA did not sign is refused, and retried.
  const other = await pki(t);
  writeFileSync(join(p.dir, 'ca.crt'), readFileSync(other.ca));
  const untrusting = new KubeSource({ kubeconfig: config, backoff: { minDelayMs: 10, maxDelayMs: 50 } });
  const seen = new Recorder(untrusting);
  t.teardown(() => untrusting.stop());
  await untrusting.start();
  await seen.until(() => seen.errors.length > 0);
  t.match(seen.errors[0], {
    name: 'SourceError',
    message: /^kube: (services|endpointslices): list failed: .*(certificate|self.signed|unable to verify).*; retrying in \d+ ms$/,
  });
  t.equal(seen.syncs, 0);
});

t.test('RBAC missing: one line naming the resource and the verb, retried with backoff', async (t) => {
  const api = await FakeApiServer.start();
  t.teardown(() => api.close());
  for (const obj of OBJECTS) api.upsert(obj);
  const dir = mkdtempSync(join(tmpdir(), 'ofwire-rbac-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  api.reject('endpointslices', 403);
  const source = new KubeSource({ kubeconfig: api.writeKubeconfig(dir), backoff: { minDelayMs: 10, maxDelayMs: 40 } });
  const seen = new Recorder(source);
  t.teardown(() => source.stop());
  await source.start();
  await seen.until(() => seen.errors.length >= 3);
  for (const err of seen.errors) {
    t.type(err, SourceError);
    t.match(
      err.message,
      /^kube: endpointslices: list failed: HTTP 403: .* \(the agent's account needs RBAC permission to list endpointslices\); retrying in \d+ ms$/,
    );
    t.notOk(err.message.includes('\n'), 'one line');
  }
  t.equal(seen.syncs, 0, 'not synced without the slices');
  api.reject('endpointslices', undefined);
  await seen.until(() => seen.syncs > 0);
  t.pass('synced once the permission is granted');
});
