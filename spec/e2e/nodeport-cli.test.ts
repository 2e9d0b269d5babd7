/**
 * `ofwire proxy` with north-south options as a process: node ports on `--node-ip`, the health-check
 * port of a Local load balancer opened and answering, and bad options refused in one line.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { createSandbox, run, waitFor } from '../helpers/ovs-sandbox.js';
import { service, slice } from '../helpers/cluster.js';
import { CLI as cli, freePort, startCli } from '../helpers/cli.js';

t.test('node ports and a health-check port from a manifest', async (t) => {
  const sb = await createSandbox({ t });
  const dir = mkdtempSync(join(tmpdir(), 'ofwire-np-cli-'));
  const hcPort = await freePort();
  const file = join(dir, 'services.json');
  const write = (nodes: string[]) =>
    writeFileSync(
      file,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [
          service('web', {
            type: 'LoadBalancer',
            clusterIP: '10.96.0.10',
            externalTrafficPolicy: 'Local',
            healthCheckNodePort: hcPort,
            ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 30080 }],
          }),
          slice(
            'web',
            'web-1',
            [{ name: 'http', port: 8080 }],
            nodes.map((n, i) => ({ ip: `10.244.0.${11 + i}`, nodeName: n })),
          ),
        ],
      }),
    );
  write(['node-a', 'node-b']);
  const args = [
    'proxy',
    '--bridge',
    sb.mgmt,
    '--source',
    `file:${file}`,
    '--node-name',
    'node-a',
    '--node-ip',
    '192.168.50.1',
    '--cluster-cidr',
    '10.244.0.0/16',
  ];
  const agent = startCli(t, [...args, '--healthz', '', '--health-check-address', '127.0.0.1', '--zone', 'zone-a']);
  await waitFor('the node port on the switch', async () =>
    (await sb.ofctl('dump-flows', sb.bridge, 'table=11')).includes('nw_dst=192.168.50.1,tp_dst=30080'),
  );
  t.match(agent.log(), /"addresses":\["192\.168\.50\.1"\][^\n]*node port addresses/, 'the node port addresses are logged');
  const flows = await sb.ofctl('dump-flows', sb.bridge, 'table=11');
  t.match(flows, /priority=110,ct_state=\+new\+trk,tcp,nw_src=10\.244\.0\.0\/16,nw_dst=192\.168\.50\.1,tp_dst=30080/, "the pods' way in");
  const answer = await waitFor('the health-check port', async () => fetch(`http://127.0.0.1:${hcPort}/`).catch(() => undefined));
  t.equal(answer.status, 200);
  t.same(await answer.json(), { service: { namespace: 'default', name: 'web' }, localEndpoints: 1, serviceProxyHealthy: true });
  write(['node-b']);
  await waitFor('503 once no endpoint is local', async () => (await fetch(`http://127.0.0.1:${hcPort}/`)).status === 503);
  t.pass('503 without a local endpoint');
});

t.test('without a node address, node ports are not served: one warning', async (t) => {
  const sb = await createSandbox({ t });
  const dir = mkdtempSync(join(tmpdir(), 'ofwire-np-cli-'));
  const file = join(dir, 'services.json');
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [service('web', { type: 'NodePort', clusterIP: '10.96.0.10', ports: [{ port: 80, protocol: 'TCP', nodePort: 30080 }] })],
    }),
  );
  const done = spawnSync(
    process.execPath,
    [cli, 'proxy', '--once', '--bridge', sb.mgmt, '--source', `file:${file}`, '--log-level', 'warn'],
    { encoding: 'utf8', timeout: 60_000 },
  );
  t.equal(done.status, 0, 'exits 0');
  const warnings = done.stderr.split('\n').filter((l) => l.includes('node ports are not served'));
  t.equal(warnings.length, 1, 'one warning line');
  t.match(warnings[0], /no node address \(--node-ip/);
  t.notMatch(await sb.ofctl('dump-flows', sb.bridge, 'table=11'), /tp_dst=30080/, 'no node port flow');
});

t.test('bad north-south options are refused in one line', async (t) => {
  const bad = async (args: string[]) => {
    const err = await run(process.execPath, [
      cli,
      'proxy',
      '--bridge',
      'unix:/nonexistent.mgmt',
      '--source',
      'file:/tmp/x.yaml',
      '--once',
      ...args,
    ]).then(
      () => undefined,
      (e: Error & { stderr?: string }) => e,
    );
    t.ok(err, `${args.join(' ')} fails`);
    return ((err as { stderr?: string })?.stderr ?? (err as Error).message)
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('ofwire'))
      .join('\n');
  };
  t.match(await bad(['--nodeport-addresses', '10.0.0.0/8,nope']), /--nodeport-addresses: "nope" is not a CIDR/);
  t.match(await bad(['--node-ip', '10.0.0.300']), /nodeIPs: "10\.0\.0\.300" is not an IP address/);
  t.match(await bad(['--cluster-cidr', '10.0.0.0/99']), /clusterCidrs: "10\.0\.0\.0\/99" is not a CIDR/);
});
