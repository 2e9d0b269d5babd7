/** `ofwire proxy` as a process: a manifest file in, the switch programmed, metrics served, bad options refused. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { createSandbox, run, waitFor } from '../../helpers/ovs-sandbox.js';
import { service, slice } from '../../helpers/cluster.js';
import { CLI as cli, startCli } from '../../helpers/cli.js';

function manifest(dir: string, endpoints: string[]): string {
  const file = join(dir, 'services.json');
  const list = {
    apiVersion: 'v1',
    kind: 'List',
    items: [
      service('web', { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }),
      slice(
        'web',
        'web-1',
        [{ name: 'http', port: 8080 }],
        endpoints.map((ip) => ({ ip })),
      ),
    ],
  };
  writeFileSync(file, JSON.stringify(list));
  return file;
}

t.test('ofwire proxy --once programs the switch from a manifest and exits', async (t) => {
  const sb = await createSandbox({ t });
  const file = manifest(mkdtempSync(join(tmpdir(), 'ofwire-cli-')), ['10.244.0.11', '10.244.0.12']);
  const out = await run(process.execPath, [cli, 'proxy', '--once', '--bridge', sb.mgmt, '--source', `file:${file}`, '--log-level', 'warn']);
  t.equal(out, '', 'nothing on stdout');
  const groups = await sb.ofctl('dump-groups', sb.bridge);
  t.match(groups, /nat\(dst=10\.244\.0\.11:8080\)/);
  t.match(groups, /nat\(dst=10\.244\.0\.12:8080\)/);
  t.match(await sb.ofctl('dump-flows', sb.bridge, 'table=11'), /tcp,nw_dst=10\.96\.0\.10,tp_dst=80 actions=group:/);
  const again = await run(process.execPath, [
    cli,
    'proxy',
    '--once',
    '--bridge',
    sb.mgmt,
    '--source',
    `file:${file}`,
    '--log-level',
    'info',
  ]).catch((e: Error) => e.message);
  t.equal(again, '', 'a second --once changes nothing and succeeds');
});

t.test('ofwire proxy serves Prometheus metrics and follows the manifest', async (t) => {
  const sb = await createSandbox({ t });
  const dir = mkdtempSync(join(tmpdir(), 'ofwire-cli-'));
  const file = manifest(dir, ['10.244.0.11']);
  const agent = startCli(t, ['proxy', '--bridge', sb.mgmt, '--source', `file:${file}`, '--metrics', '127.0.0.1:0']);
  const port = await waitFor('the metrics port in the log', async () => {
    const m = /"port":(\d+)[^\n]*serving metrics/.exec(agent.log());
    return m ? Number(m[1]) : undefined;
  });
  await waitFor('the service on the switch', async () => (await sb.ofctl('dump-groups', sb.bridge)).includes('10.244.0.11'));
  manifest(dir, ['10.244.0.11', '10.244.0.12']);
  await waitFor('the edited manifest on the switch', async () => (await sb.ofctl('dump-groups', sb.bridge)).includes('10.244.0.12'));
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  t.match(text, /ofwire_proxy_sync_duration_seconds_count [1-9]/, 'sync durations recorded');
  t.match(text, /ofwire_proxy_programming_latency_seconds_count [1-9]/, 'programming latency recorded');
  t.match(text, /ofwire_proxy_flows [1-9]/, 'flows owned');
  t.match(text, /ofwire_proxy_groups 1\b/, 'groups owned');
  t.match(text, /ofwire_proxy_service_ports 1\b/, 'service ports');
  t.equal((await fetch(`http://127.0.0.1:${port}/`)).status, 404, 'only /metrics is served');
});

t.test('bad options are refused in one line', async (t) => {
  const bad = async (args: string[]) => {
    const err = await run(process.execPath, [cli, 'proxy', ...args]).then(
      () => undefined,
      (e: Error & { stderr?: string }) => e,
    );
    t.ok(err, `${args.join(' ')} fails`);
    const text = ((err as { stderr?: string })?.stderr ?? (err as Error).message).trim();
    return text
      .split('\n')
      .filter((l) => l.startsWith('ofwire'))
      .join('\n');
  };
  t.match(
    await bad(['--bridge', 'unix:/nonexistent.mgmt', '--source', 'file:/tmp/x.yaml', '--table-base', 'ten', '--once']),
    /--table-base: "ten" is not a number/,
  );
  t.match(
    await bad(['--bridge', 'unix:/nonexistent.mgmt', '--source', 'file:/tmp/x.yaml', '--table-base', '10', '--next-table', '12', '--once']),
    /nextTable: 12 must be above/,
  );
  t.match(await bad(['--bridge', 'unix:/nonexistent.mgmt', '--source', 'etcd', '--once']), /--source "etcd": use kube or file:PATH/);
});
