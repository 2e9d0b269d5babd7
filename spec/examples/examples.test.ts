/**
 * Every example runs against a real sandboxed ovs-vswitchd (and the Kubernetes one against the
 * fake API server), so none of them rots.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { createSandbox, run, waitFor, resources } from '../helpers/ovs-sandbox.js';
import { createPod } from '../helpers/netns.js';
import { FakeApiServer } from '../helpers/fake-apiserver.js';

const root = join(import.meta.dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');

/** Runs an example to completion; resolves with its stdout. */
async function runExample(file: string, env: Record<string, string>): Promise<string> {
  return run(tsx, [join(root, 'examples', file)], { env: { ...process.env, ...env }, timeoutMs: 120_000 });
}

/** Starts a long-running example; resolves with a handle once `ready` appears on its stdout. */
function startExample(cmd: string, args: string[], env: Record<string, string>, ready: RegExp) {
  // A process group of its own: tsx runs the example in a child process, and both must go.
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  const release = resources.add(() => signalGroup('SIGKILL'));
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (ready.test(out)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}): ${err.trim()}`)));
  });
  started.catch(() => undefined);
  return {
    started,
    output: () => out,
    /** SIGTERM, as an operator would stop it; SIGKILL to the group if it has not exited in 10 s. */
    stop: async () => {
      signalGroup('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000).unref())]);
      release();
    },
  };
}

const groupBuckets = (dump: string) => dump.split('bucket=').length - 1;

t.test('arp-responder.ts: the switch answers ARP for the gateway and holds the select group', async (t) => {
  const sb = await createSandbox({ t });
  const pod = await createPod(sb, { name: 'client', index: 2 });
  const out = await runExample('arp-responder.ts', { OFWIRE_BRIDGE: sb.mgmt });
  t.match(out, /group 100: 2 buckets/);
  // Without its static neighbour entry the pod must ask; a raw ARP request gets the gateway's MAC.
  const probe = `
import socket, struct, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0806)); s.bind(('eth0', 0)); s.settimeout(5)
mac = bytes.fromhex('${pod.mac.replace(/:/g, '')}'); spa = socket.inet_aton('${pod.ip}'); tpa = socket.inet_aton('10.244.0.1')
s.send(b'\\xff'*6 + mac + b'\\x08\\x06' + struct.pack('!HHBBH', 1, 0x0800, 6, 4, 1) + mac + spa + b'\\x00'*6 + tpa)
while True:
    f = s.recv(100)
    if f[12:14] == b'\\x08\\x06' and struct.unpack('!H', f[20:22])[0] == 2 and f[28:32] == tpa:
        print(':'.join('%02x' % b for b in f[22:28])); break`;
  const reply = await pod.exec('python3', '-c', probe);
  t.equal(reply.trim(), '0a:58:0a:f4:00:01', 'ARP reply carries the gateway MAC');
});

t.test('memory-source.ts: services from the embedding program reach the switch', async (t) => {
  const sb = await createSandbox({ t });
  const out = await runExample('memory-source.ts', { OFWIRE_BRIDGE: sb.mgmt, OFWIRE_KEEP: '1' });
  t.match(out, /web: 2 endpoints programmed\nweb: 3 endpoints programmed/);
  t.equal(groupBuckets(await sb.ofctl('dump-groups', sb.bridge)) >= 3, true, 'the group has the three endpoints');
  const removed = await runExample('memory-source.ts', { OFWIRE_BRIDGE: sb.mgmt });
  t.match(removed, /web: removed/);
  t.notMatch(await sb.ofctl('dump-groups', sb.bridge), /group_id/, 'and it is gone again');
});

async function kubeFixture(t: Test) {
  const api = await FakeApiServer.start();
  t.teardown(() => api.close());
  api.upsert({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace: 'default', name: 'web' },
    spec: { type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
  });
  const slice = (ips: string[]) => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { namespace: 'default', name: 'web-x1', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
  });
  api.upsert(slice(['10.244.0.11', '10.244.0.12']));
  const kubeconfig = api.writeKubeconfig(mkdtempSync(join(tmpdir(), 'ofwire-kubeconfig-')));
  return { api, slice, kubeconfig };
}

t.test('kube-node-agent.ts: a watch event changes the group on the switch', async (t) => {
  const sb = await createSandbox({ t });
  const { api, slice, kubeconfig } = await kubeFixture(t);
  const agent = startExample(
    tsx,
    [join(root, 'examples/kube-node-agent.ts')],
    { OFWIRE_BRIDGE: sb.mgmt, KUBECONFIG: kubeconfig, NODE_NAME: 'n1' },
    /ready/,
  );
  t.teardown(agent.stop);
  await agent.started;
  t.match(agent.output(), /ready: 1 service ports/);
  t.equal(groupBuckets(await sb.ofctl('dump-groups', sb.bridge)) >= 2, true, 'the group holds both endpoints');
  t.match(await sb.ofctl('dump-flows', sb.bridge, 'table=0'), /cookie=0xa1.*goto_table:10/, "the agent's own flow is there");
  api.upsert(slice(['10.244.0.11', '10.244.0.12', '10.244.0.13']));
  const t0 = performance.now();
  await waitFor('the new endpoint in the group', async () => (await sb.ofctl('dump-groups', sb.bridge)).includes('10.244.0.13'));
  t.comment(`watch event → group changed, seen by polling ovs-ofctl: ${(performance.now() - t0).toFixed(0)} ms`);
});

t.test('ofwire proxy --source kube programs the switch from the API server', async (t) => {
  const sb = await createSandbox({ t });
  const { api, slice, kubeconfig } = await kubeFixture(t);
  const cli = join(root, 'dist/bin/main.js');
  const once = await run(
    process.execPath,
    [cli, 'proxy', '--once', '--bridge', sb.mgmt, '--source', 'kube', '--kubeconfig', kubeconfig, '--log-level', 'warn'],
    {
      timeoutMs: 60_000,
    },
  );
  t.equal(once, '', '--once exits quietly after the sync');
  t.match(await sb.ofctl('dump-groups', sb.bridge), /nat\(dst=10\.244\.0\.12:8080\)/, '--once left the service programmed');
  const proxy = startExample(
    process.execPath,
    [cli, 'proxy', '--bridge', sb.mgmt, '--source', 'kube', '--kubeconfig', kubeconfig, '--log-level', 'info'],
    {},
    /./,
  );
  t.teardown(proxy.stop);
  await waitFor('the proxy to watch', async () => api.watchCount('endpointslices') > 0);
  api.upsert(slice(['10.244.0.12']));
  await waitFor('the removed endpoint to leave the group', async () => !(await sb.ofctl('dump-groups', sb.bridge)).includes('10.244.0.11'));
  t.pass('a watch event removed the endpoint from the group');
});
