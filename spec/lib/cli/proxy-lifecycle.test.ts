/**
 * `ofwire proxy` as a node agent's container runs it: every exit path ends in time with the right
 * status and one line; /healthz and /readyz follow the switch and the first sync; SIGTERM leaves
 * the flows installed for the next agent, which adopts them without re-adding anything.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { ProxyHealth } from '../../../lib/cli/health.js';
import { service, slice } from '../../helpers/cluster.js';
import { CLI } from '../../helpers/cli.js';
import { createSandbox, resources, waitFor } from '../../helpers/ovs-sandbox.js';
import { FakeApiServer } from '../../helpers/fake-apiserver.js';

function scratch(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'ofwire-lifecycle-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function manifest(dir: string, endpoints: string[], port = 80): string {
  const file = join(dir, 'services.json');
  const items = [
    service('web', { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ name: 'http', port, protocol: 'TCP' }] }),
    slice(
      'web',
      'web-1',
      [{ name: 'http', port: 8080 }],
      endpoints.map((ip) => ({ ip })),
    ),
  ];
  writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
  return file;
}

interface Agent {
  child: ChildProcessWithoutNullStreams;
  log: () => string;
  exited: Promise<{ code: number | null }>;
}

function startAgent(t: Test, args: string[]): Agent {
  const child = spawn(process.execPath, [CLI, 'proxy', ...args]);
  const release = resources.add(() => child.kill('SIGKILL'));
  let log = '';
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<{ code: number | null }>((resolve) =>
    child.on('close', (code) => {
      release();
      resolve({ code });
    }),
  );
  t.teardown(() => {
    child.kill('SIGKILL');
  });
  return { child, log: () => log, exited };
}

/** The lines that are not JSON log records: what a person reads. */
function plainLines(text: string): string[] {
  return text.split('\n').filter((l) => l && !l.startsWith('{'));
}

async function portFromLog(agent: Agent, what: string): Promise<number> {
  return waitFor(`the ${what} port in the log`, async () => {
    const m = new RegExp(`"port":(\\d+)[^\\n]*serving ${what}`).exec(agent.log());
    return m ? Number(m[1]) : undefined;
  });
}

t.test('every exit path ends in time, with its status and one line on stderr', async (t) => {
  const sb = await createSandbox({ t });
  const dir = scratch(t);
  const good = manifest(dir, ['10.244.0.11']);
  const badPort = join(dir, 'bad-port.json');
  writeFileSync(
    badPort,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        service('web', { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ name: 'http', port: 70000, protocol: 'TCP' }] }),
      ],
    }),
  );
  const api = await FakeApiServer.start();
  t.teardown(() => api.close());
  const lost = api.writeKubeconfig(dir, 'lost-cluster');
  writeFileSync(lost, [`apiVersion: v1`, `kind: Config`, `current-context: elsewhere`, `contexts: []`, `clusters: []`].join('\n'));
  const exec = join(dir, 'exec-user');
  writeFileSync(
    exec,
    `apiVersion: v1\nkind: Config\ncurrent-context: c\ncontexts:\n- name: c\n  context: {cluster: k, user: u}\nclusters:\n- name: k\n  cluster: {server: ${api.url}}\nusers:\n- name: u\n  user: {exec: {command: aws}}\n`,
  );
  const wrongToken = api.writeKubeconfig(dir, 'wrong-token');
  writeFileSync(wrongToken, readFileSync(wrongToken, 'utf8').replace(/token: .*/, 'token: wrong'));

  // The last number bounds how long each may take before it counts as hanging: generous, since
  // this is a loaded 2-core machine; what matters is that none of them waits forever.
  const cases: [string, string[], number, RegExp, number][] = [
    ['a bad flag', ['--bridge', sb.mgmt, '--source', `file:${good}`, '--ct-zone', 'x'], 1, /--ct-zone: "x" is not a number/, 20_000],
    [
      'a bad --healthz',
      ['--bridge', sb.mgmt, '--source', `file:${good}`, '--healthz', 'here'],
      1,
      /--healthz "here": expected HOST:PORT or PORT/,
      20_000,
    ],
    [
      'a missing kubeconfig',
      ['--bridge', sb.mgmt, '--source', 'kube', '--kubeconfig', '/nonexistent/kubeconfig'],
      1,
      /kubeconfig \/nonexistent\/kubeconfig: ENOENT/,
      20_000,
    ],
    [
      'a kubeconfig without a usable cluster',
      ['--bridge', sb.mgmt, '--source', 'kube', '--kubeconfig', lost],
      1,
      /current context "elsewhere" names no known cluster/,
      20_000,
    ],
    [
      'a kubeconfig with an exec plugin',
      ['--bridge', sb.mgmt, '--source', 'kube', '--kubeconfig', exec],
      1,
      /exec credential plugins are not supported/,
      20_000,
    ],
    [
      '--once, the switch unreachable',
      ['--once', '--timeout', '1', '--bridge', 'unix:/nonexistent/br.mgmt', '--source', `file:${good}`],
      1,
      /not synced within --timeout 1 s: the switch unix:\/nonexistent\/br\.mgmt was not reachable/,
      30_000,
    ],
    [
      '--once, the manifest missing',
      ['--once', '--timeout', '1', '--bridge', sb.mgmt, '--source', `file:${dir}/missing.yaml`],
      1,
      /not synced within --timeout 1 s: the source file:.*missing\.yaml was not readable \(.*no such file/,
      30_000,
    ],
    [
      'the manifest directory missing',
      ['--bridge', sb.mgmt, '--source', 'file:/nonexistent/services.yaml'],
      1,
      /file:\/nonexistent\/services\.yaml: cannot watch \/nonexistent: ENOENT/,
      20_000,
    ],
    [
      '--once, a manifest with a bad port',
      ['--once', '--timeout', '1', '--bridge', sb.mgmt, '--source', `file:${badPort}`],
      1,
      /not synced within --timeout 1 s: the source .* was not readable \(.*bad-port\.json:1: Service default\/web: spec\.ports\[0\]\.port: must be 1-65535\)/,
      30_000,
    ],
    [
      '--once, the API server refusing the token',
      ['--once', '--timeout', '1', '--bridge', sb.mgmt, '--source', 'kube', '--kubeconfig', wrongToken],
      1,
      /not synced within --timeout 1 s: the source kube was not readable \(kube: (services|endpointslices): list failed: HTTP 401.*not accepted\)/,
      30_000,
    ],
    ['--once, all well', ['--once', '--bridge', sb.mgmt, '--source', `file:${good}`], 0, /^$/, 40_000],
  ];

  for (const [name, args, status, line, hangMs] of cases) {
    const agent = startAgent(t, [...args, '--log-level', 'warn']);
    const hang = setTimeout(() => agent.child.kill('SIGKILL'), hangMs);
    const { code } = await agent.exited;
    clearTimeout(hang);
    t.not(agent.child.signalCode, 'SIGKILL', `${name}: ended by itself (no hang)`);
    t.equal(code, status, `${name}: exit status ${status}`);
    const lines = plainLines(agent.log());
    if (status === 0) {
      t.same(lines, [], `${name}: nothing but log records`);
      t.notMatch(agent.log(), /"level":40/, `${name}: no warning (closing the switch once synced is not one)`);
    } else {
      t.equal(lines.length, 1, `${name}: one line on stderr`);
      t.match(lines[0] ?? '', line, `${name}: ${lines[0]}`);
    }
    t.notMatch(agent.log(), /"stack"|\n\s+at /, `${name}: no stack trace`);
  }
});

t.test('/healthz and /readyz follow the switch and the first sync', async (t) => {
  const sb = await createSandbox({ t });
  const file = manifest(scratch(t), ['10.244.0.11']);
  const agent = startAgent(t, ['--bridge', sb.mgmt, '--source', `file:${file}`, '--healthz', '127.0.0.1:0', '--log-level', 'info']);
  const port = await portFromLog(agent, 'healthz');
  const get = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`);
    return { status: res.status, body: await res.text() };
  };
  await waitFor('ready', async () => (await get('/readyz')).status === 200);
  const healthy = await get('/healthz');
  t.equal(healthy.status, 200, '/healthz 200 while the switch is connected');
  const body = JSON.parse(healthy.body) as { lastUpdated: string; currentTime: string };
  t.ok(Date.parse(body.lastUpdated) <= Date.parse(body.currentTime), `lastUpdated ${body.lastUpdated}, currentTime ${body.currentTime}`);
  t.equal((await get('/')).status, 404);

  await sb.kill();
  await waitFor('/healthz 503 with the switch gone', async () => (await get('/healthz')).status === 503);
  t.equal((await get('/readyz')).status, 200, 'still ready: it did sync');
  const warnings = agent
    .log()
    .split('\n')
    .filter((l) => l.includes('"level":40'));
  await sb.start();
  await waitFor('/healthz 200 again', async () => (await get('/healthz')).status === 200);
  t.ok(warnings.length <= 3, `${warnings.length} warning lines for one outage`);
  t.match(agent.log(), /switch connected/);

  agent.child.kill('SIGTERM');
  const { code } = await agent.exited;
  t.equal(code, 0, 'SIGTERM: exit 0');
});

t.test('not ready before the first sync; unhealthy without a switch', async (t) => {
  const file = manifest(scratch(t), ['10.244.0.11']);
  const agent = startAgent(t, ['--bridge', 'unix:/nonexistent/br.mgmt', '--source', `file:${file}`, '--healthz', '127.0.0.1:0']);
  const port = await portFromLog(agent, 'healthz');
  t.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 503);
  t.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 503);
  await waitFor('the switch warning', async () => agent.log().includes('cannot connect'));
  // Reconnect attempts keep failing the same way: one warning, not one per attempt.
  await new Promise((r) => setTimeout(r, 1500));
  t.equal(
    agent
      .log()
      .split('\n')
      .filter((l) => l.includes('cannot connect')).length,
    1,
    'one warning line while the state stays the same',
  );
  agent.child.kill('SIGINT');
  t.equal((await agent.exited).code, 0, 'SIGINT: exit 0');
});

t.test('SIGTERM leaves every flow and group; the next agent adopts them without re-adding', async (t) => {
  const sb = await createSandbox({ t });
  const file = manifest(scratch(t), ['10.244.0.11', '10.244.0.12']);
  const args = ['--bridge', sb.mgmt, '--source', `file:${file}`, '--healthz', '127.0.0.1:0', '--log-level', 'info'];
  const first = startAgent(t, args);
  const port = await portFromLog(first, 'healthz');
  await waitFor('ready', async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200);
  const flows = (await sb.ofctl('dump-flows', sb.bridge, '--no-stats')).trim();
  const groups = (await sb.ofctl('dump-groups', sb.bridge)).trim();
  first.child.kill('SIGTERM');
  const { code } = await first.exited;
  t.equal(code, 0, 'SIGTERM: exit 0');
  t.notMatch(first.log(), /reconnecting/, 'closing the switch on the way out is not warned about');
  t.match(first.log(), /stopping; flows and groups stay installed/);
  t.equal((await sb.ofctl('dump-flows', sb.bridge, '--no-stats')).trim(), flows, 'every flow left in place');
  t.equal((await sb.ofctl('dump-groups', sb.bridge)).trim(), groups, 'every group left in place');
  const before = await durations(sb.ofctl.bind(sb), sb.bridge);

  const second = startAgent(t, args);
  const port2 = await portFromLog(second, 'healthz');
  await waitFor('ready', async () => (await fetch(`http://127.0.0.1:${port2}/readyz`)).status === 200);
  const after = await durations(sb.ofctl.bind(sb), sb.bridge);
  t.ok(before.length > 0, `${before.length} flows`);
  t.ok(
    after.every((d, i) => d >= before[i]!),
    'no flow was re-added: every duration kept running',
  );
  t.match(second.log(), /"msg":"read the switch"/);
  second.child.kill('SIGTERM');
  const stop = await second.exited;
  t.equal(stop.code, 0);
});

async function durations(ofctl: (...a: string[]) => Promise<string>, bridge: string): Promise<number[]> {
  const out = await ofctl('dump-flows', bridge);
  return [...out.matchAll(/duration=([\d.]+)s/g)].map((m) => Number(m[1]));
}

t.test('ProxyHealth: a change waiting past the grace period fails /healthz', async (t) => {
  let now = 1000;
  const h = new ProxyHealth(500, () => now);
  t.notOk(h.healthy, 'not connected yet');
  t.notOk(h.isReady);
  h.switchConnected(true);
  t.ok(h.healthy);
  h.changeQueued();
  now += 400;
  t.ok(h.healthy, 'within the grace period');
  h.changeQueued();
  now += 200;
  t.notOk(h.healthy, 'the oldest change waited 600 ms');
  h.synced(false);
  t.ok(h.isReady, 'ready after a sync');
  t.notOk(h.healthy, 'a sync that does not hold every change does not clear the wait');
  h.synced(true);
  t.ok(h.healthy);
  t.same(JSON.parse(h.body()), { lastUpdated: new Date(1600).toISOString(), currentTime: new Date(1600).toISOString() });
  h.switchConnected(false);
  t.notOk(h.healthy);
});
