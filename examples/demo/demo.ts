/**
 * `npm run demo`: a Kubernetes-style NodePort service on a real Open vSwitch, programmed by
 * `ofwire proxy` from a manifest file.
 *
 * It starts a private ovs-vswitchd (userspace datapath, its own network namespace), a client pod and
 * three backend pods (network namespaces with HTTP servers), a minimal CNI forwarding table, and the
 * proxy; sends 300 requests to the ClusterIP and prints where they went; then edits the manifest
 * (one pod gone, later back) and shows the traffic move; finally a client outside the cluster (a
 * namespace on the node's uplink) reaches the node port on the node address. Everything is removed
 * at the end.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { createSandbox, waitFor, resources } from '../../spec/helpers/ovs-sandbox.js';
import { createPod, type Pod } from '../../spec/helpers/netns.js';
import { installForwarding, service, slice } from '../../spec/helpers/cluster.js';
import { NODE_IP, createOutsideClient } from '../../spec/helpers/outside.js';

const VIP = '10.96.0.10';
const NODE_PORT = 30080;
const REQUESTS = 300;
const cli = join(import.meta.dirname, '../../dist/bin/main.js');

function say(text = ''): void {
  process.stdout.write(`${text}\n`);
}

function manifest(pods: Pod[]): string {
  const objects = [
    service('web', {
      type: 'NodePort',
      clusterIP: VIP,
      clusterIPs: [VIP],
      ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080, nodePort: NODE_PORT }],
    }),
    slice(
      'web',
      'web-abc12',
      [{ name: 'http', port: 8080 }],
      pods.map((p) => ({ ip: p.ip, nodeName: 'demo-node' })),
    ),
  ];
  return objects.map((o) => stringify(o)).join('---\n');
}

async function distribution(client: Pod, pods: Pod[], url = `http://${VIP}/`): Promise<void> {
  const results = await client.httpGet(url, REQUESTS, 3000);
  const counts = new Map<string, number>(pods.map((p) => [p.name, 0]));
  let failed = 0;
  for (const r of results) {
    if (r.ok && r.body) counts.set(r.body, (counts.get(r.body) ?? 0) + 1);
    else failed++;
  }
  for (const [name, n] of counts) say(`    ${name.padEnd(6)} ${String(n).padStart(4)}  ${'#'.repeat(Math.round(n / 5))}`);
  if (failed) say(`    failed ${failed}`);
}

async function main(): Promise<void> {
  say('ofwire demo: ClusterIP load balancing on Open vSwitch, programmed over OpenFlow 1.3\n');
  const sb = await createSandbox();
  const dir = mkdtempSync(join(tmpdir(), 'ofwire-demo-'));
  resources.add(() => rmSync(dir, { recursive: true, force: true }));
  try {
    say(`• ovs-vswitchd running in network namespace ${sb.netns}, bridge ${sb.bridge}`);
    const client = await createPod(sb, { name: 'client', index: 2 });
    const pods = await Promise.all(['web-a', 'web-b', 'web-c'].map((n, i) => createPod(sb, { name: n.replace('-', ''), index: 11 + i })));
    for (const p of pods) await p.serveHttp(8080);
    say(`• pods: client ${client.ip}; ${pods.map((p) => `${p.name} ${p.ip}`).join(', ')} (HTTP on 8080)`);
    const outside = await createOutsideClient(sb, { name: 'outside', index: 30, ip: '192.168.50.2' });
    say(`• outside the cluster: ${outside.ip} on the node's uplink; the node address is ${NODE_IP}`);
    await installForwarding(sb, [client, ...pods, outside]);
    say('• CNI flows: table 0 → proxy tables 10–15 → table 20 delivers by destination (pods, the uplink)');

    const file = join(dir, 'services.yaml');
    writeFileSync(file, manifest(pods));
    const proxy = spawn(
      process.execPath,
      [
        cli,
        'proxy',
        '--bridge',
        sb.mgmt,
        '--source',
        `file:${file}`,
        '--node-name',
        'demo-node',
        '--node-ip',
        NODE_IP,
        '--healthz',
        '',
        '--log-level',
        'warn',
      ],
      {
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    resources.add(() => proxy.kill('SIGKILL'));
    say(`• ofwire proxy --bridge ${sb.mgmt} --source file:${file} --node-ip ${NODE_IP}\n`);

    const groupHas = (n: number) =>
      waitFor(
        `the group to have ${n} endpoints`,
        async () => (await sb.ofctl('dump-groups', sb.bridge)).split('bucket=').length - 1 >= n && true,
        30_000,
      );
    await groupHas(3);
    say('What ofwire installed (ovs-ofctl dump-groups):');
    say(
      (await sb.ofctl('dump-groups', sb.bridge))
        .trim()
        .split('\n')
        .slice(1)
        .join('\n')
        .replace(/,bucket=/g, ',\n    bucket='),
    );
    say(`\n${REQUESTS} requests to http://${VIP}/ from the client pod:`);
    await distribution(client, pods);

    say(`\nScaling down: ${pods[2]!.name} leaves the EndpointSlice (manifest edited)`);
    writeFileSync(file, manifest(pods.slice(0, 2)));
    await waitFor('the group to drop an endpoint', async () => !(await sb.ofctl('dump-groups', sb.bridge)).includes(pods[2]!.ip), 30_000);
    await distribution(client, pods);

    say(`\nScaling up: ${pods[2]!.name} is back`);
    writeFileSync(file, manifest(pods));
    await waitFor('the group to regain the endpoint', async () => (await sb.ofctl('dump-groups', sb.bridge)).includes(pods[2]!.ip), 30_000);
    await distribution(client, pods);

    say(`\nFrom outside the cluster: ${REQUESTS} requests to the node port http://${NODE_IP}:${NODE_PORT}/`);
    say('(externalTrafficPolicy Cluster: any pod serves, the connection SNATed to the node address)');
    await distribution(outside, pods, `http://${NODE_IP}:${NODE_PORT}/`);

    // The agent stops first (leaving its flows), so the switch going away is not news to it.
    const exited = new Promise((resolve) => proxy.once('exit', resolve));
    if (proxy.exitCode === null && proxy.signalCode === null && proxy.kill('SIGTERM')) await exited;
    say('\nDone; removing the pods, the switch and its namespace.');
  } finally {
    await sb.close();
    resources.releaseAll();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`demo failed: ${err.message}\n`);
  resources.releaseAll();
  process.exitCode = 1;
});
