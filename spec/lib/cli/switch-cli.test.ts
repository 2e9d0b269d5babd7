/**
 * The switch verbs' command line: TARGET in every notation ovs-ofctl takes (bridge name, socket
 * path, unix:, tcp:, ssl: with key files), -O, help, the other verbs still reachable, and errors:
 * each one line on stderr with exit status 1, naming what is wrong. The CLI runs from dist/
 * (`npm run build`).
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { runCli } from '../../helpers/cli.js';
import { createSandbox, run, waitFor, type Sandbox } from '../../helpers/ovs-sandbox.js';

const ofwire = runCli;

async function out(t: Test, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  const r = await ofwire(args, env ? { env } : {});
  t.equal(r.stderr, '', `ofwire ${args.join(' ')}: nothing on stderr`);
  t.equal(r.code, 0, `ofwire ${args.join(' ')} exits 0`);
  return r.stdout;
}

const noStats = (sb: Sandbox) => sb.ofctl('--no-stats', 'dump-flows', sb.bridge);

t.test('TARGET notations', async (t) => {
  const sb = await createSandbox({ t });
  await sb.ofctl('add-flow', sb.bridge, 'table=3,priority=7,ip,actions=drop');
  const expected = await noStats(sb);
  const mgmtPath = sb.mgmt.slice('unix:'.length);

  t.equal(await out(t, ['--no-stats', 'dump-flows', sb.mgmt]), expected, 'unix:PATH');
  t.equal(await out(t, ['--no-stats', 'dump-flows', sb.bridge], sb.env), expected, 'a bridge name: $OVS_RUNDIR/NAME.mgmt');
  t.equal(await out(t, ['--no-stats', 'dump-flows', mgmtPath]), expected, 'a socket path without unix:');

  const missing = await ofwire(['dump-flows', sb.bridge], { env: { ...process.env, OVS_RUNDIR: join(sb.dir, 'elsewhere') } });
  t.equal(missing.code, 1);
  t.equal(
    missing.stderr,
    `ofwire dump-flows: ${sb.bridge} is not a bridge or a socket (no ${join(sb.dir, 'elsewhere', `${sb.bridge}.mgmt`)})\n`,
  );

  const { switchIp } = await sb.hostLink();

  await t.test('tcp:HOST:PORT', async (t) => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    await sb.vsctl('set-controller', sb.bridge, `ptcp:${port}:${switchIp}`);
    const target = `tcp:${switchIp}:${port}`;
    await waitFor('the bridge to listen', async () => (await ofwire(['show', target])).code === 0);
    t.equal(await out(t, ['dump-flows', '--no-stats', target]), expected);
    t.equal(await out(t, ['show', target]), await sb.ofctl('show', target), 'show over tcp, as ovs-ofctl prints it');
  });

  await t.test('ssl:HOST:PORT with --private-key, --certificate, --ca-cert', async (t) => {
    const openssl = (...args: string[]) => run('openssl', args);
    const file = (n: string) => join(sb.dir, n);
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    await openssl('req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.crt'), '-subj', '/CN=ca', '-days', '2');
    for (const n of ['switch', 'client']) {
      await openssl('req', ...ec, '-keyout', file(`${n}.key`), '-out', file(`${n}.csr`), '-subj', `/CN=${n}`);
      await openssl(
        'x509',
        '-req',
        '-in',
        file(`${n}.csr`),
        '-CA',
        file('ca.crt'),
        '-CAkey',
        file('ca.key'),
        '-CAcreateserial',
        '-out',
        file(`${n}.crt`),
        '-days',
        '2',
      );
    }
    await sb.vsctl('set-ssl', file('switch.key'), file('switch.crt'), file('ca.crt'));
    const port = 20000 + Math.floor(Math.random() * 20000);
    await sb.vsctl('set-controller', sb.bridge, `pssl:${port}:${switchIp}`);
    const target = `ssl:${switchIp}:${port}`;
    const keys = ['-p', file('client.key'), '--certificate', file('client.crt'), `--ca-cert=${file('ca.crt')}`];
    await waitFor('the bridge to listen', async () => (await ofwire(['show', target, ...keys])).code === 0);
    t.equal(await out(t, ['dump-flows', target, '--no-stats', ...keys]), expected);
    t.equal(await out(t, ['add-flow', target, 'priority=9,actions=drop', ...keys]), '');
    t.match(await noStats(sb), / priority=9 actions=drop/);
    const r = await ofwire(['dump-flows', target]);
    t.equal(r.stderr, `ofwire dump-flows: ${target}: needs --private-key, --certificate and --ca-cert\n`);
  });
});

t.test('errors: one line on stderr, exit status 1', async (t) => {
  const sb = await createSandbox({ t });
  // A TCP port with nobody listening, and a server that accepts and then says nothing.
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const closedPort = (closed.address() as AddressInfo).port;
  await new Promise((r) => closed.close(r));
  const sockets: Socket[] = [];
  const silent = createServer((s) => sockets.push(s));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  t.teardown(() => {
    for (const s of sockets) s.destroy();
    silent.close();
  });
  const silentPort = (silent.address() as AddressInfo).port;

  const cases: [string[], RegExp][] = [
    [['frobnicate', sb.mgmt], /^ofwire: unknown verb "frobnicate" \(see ofwire --help\)$/],
    [['--bundle', '-O', 'OpenFlow13', 'frobnicate', sb.mgmt], /^ofwire: unknown verb "frobnicate"/],
    [['dump-flows'], /^ofwire dump-flows: missing TARGET \(usage: dump-flows TARGET \[FLOW\]\)$/],
    [['add-flow', sb.mgmt], /^ofwire add-flow: missing FLOW \(usage: add-flow TARGET FLOW\|-\)$/],
    [['add-flow', sb.mgmt, 'priority=1,', 'actions=drop'], /^ofwire add-flow: too many arguments .*quote the flow/],
    [['add-flow', sb.mgmt, 'priority=1,tp_dst=http,actions=drop'], /^ofwire add-flow: ovs-ofctl syntax: "tp_dst=http" \(column 12\): /],
    [['add-flow', sb.mgmt, 'priority=1,actions=frob:3'], /^ofwire add-flow: ovs-ofctl syntax: .*frob/],
    [
      ['add-flow', sb.mgmt, 'priority=1,actions=group:42'],
      /^ofwire add-flow: switch rejected the flow_mod add: OFPET_BAD_ACTION\/OFPBAC_BAD_OUT_GROUP$/,
    ],
    [
      ['mod-group', sb.mgmt, 'group_id=42,type=all,bucket=actions=output:1'],
      /^ofwire mod-group: switch rejected the group_mod modify: OFPET_GROUP_MOD_FAILED\/OFPGMFC_UNKNOWN_GROUP$/,
    ],
    [['show', 'unix:/nonexistent/br0.mgmt'], /^ofwire show: unix:\/nonexistent\/br0\.mgmt: cannot connect: .*ENOENT/],
    [
      ['show', `tcp:127.0.0.1:${closedPort}`],
      new RegExp(`^ofwire show: tcp:127\\.0\\.0\\.1:${closedPort}: cannot connect: .*ECONNREFUSED`),
    ],
    [['show', 'nosuchbridge0'], /^ofwire show: nosuchbridge0 is not a bridge or a socket \(no \/.*nosuchbridge0\.mgmt\)$/],
    [['show', 'frob:1.2.3.4'], /^ofwire show: target "frob:1\.2\.3\.4": unknown method "frob"/],
    [['-t', '1', 'show', `tcp:127.0.0.1:${silentPort}`], /^ofwire show: timed out after 1 s$/],
    [['-O', 'OpenFlow10', 'show', sb.mgmt], /^ofwire show: -O OpenFlow10: ofwire speaks OpenFlow 1\.3 only; use -O OpenFlow13$/],
    [['show', sb.mgmt, '--protocols=OpenFlow99'], /^ofwire show: --protocols OpenFlow99: unknown OpenFlow version "OpenFlow99"$/],
    [
      ['dump-flows', sb.mgmt, 'ip,', 'tcp'],
      /^ofwire dump-flows: too many arguments \(usage: dump-flows TARGET \[FLOW\]; quote a flow or group that has spaces\)$/,
    ],
    [['show', sb.mgmt, '--frob'], /^ofwire show: unrecognized option '--frob'$/],
    [['show', sb.mgmt, '--no'], /^ofwire show: option '--no' is ambiguous/],
    [['show', sb.mgmt, '-O'], /^ofwire show: option requires an argument -- 'O'$/],
    [['add-flows', sb.mgmt, join(sb.dir, 'missing.flows')], /^ofwire add-flows: \/.*missing\.flows: open failed \(no such file\)$/],
    [
      ['dump-group-stats', sb.mgmt, 'group=1'],
      /^ofwire dump-group-stats: ovs-ofctl syntax: "group=1" \(column 1\): unknown keyword group$/,
    ],
    [['dump-flows', sb.mgmt, 'priority=5'], /^ofwire dump-flows: ovs-ofctl syntax: "priority=5"/],
  ];
  for (const [args, pattern] of cases) {
    const r = await ofwire(args);
    t.equal(r.code, 1, `${args.join(' ')}: exit status 1`);
    t.equal(r.stdout, '', `${args.join(' ')}: nothing on stdout`);
    t.match(r.stderr, /^[^\n]+\n$/, `${args.join(' ')}: one line`);
    t.match(r.stderr.trim(), pattern, args.join(' '));
  }
  t.equal(await noStats(sb), '', 'nothing reached the switch');
});

t.test('help, and the other verbs still there', async (t) => {
  const help = await out(t, ['--help']);
  for (const verb of ['print', 'encode', 'proxy', 'show', 'dump-flows', 'add-flows', 'bundle TARGET FILE', '--bundle', '--no-stats']) {
    t.match(help, verb, `--help mentions ${verb}`);
  }
  t.match(await out(t, ['dump-flows', '--help']), /^Switch verbs/);
  t.equal(
    await out(t, ['print', '--json', '04140008000000070415000800000007']),
    '{"type":"barrier_request","xid":7}\n{"type":"barrier_reply","xid":7}\n',
  );
  t.match(await out(t, ['encode', 'add-flow', 'priority=1,actions=drop']), /^040e[0-9a-f]+\n$/);
  t.match(await out(t, ['proxy', '--help']), /--bridge <target>/);
});
