/**
 * IPv4 TCP services through a real ovs-vswitchd: spread over ready endpoints (select group, and
 * the group's hash slots as OVS deals them), endpoint removal, terminating endpoints, multi-port
 * services, internalTrafficPolicy Local, the service-proxy-name label, SCTP flows, and flows of
 * others on the same tables that every sync must leave alone.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemorySource } from '../../../lib/sources/index.js';
import { dealSlots } from '../../../lib/proxy/weights.js';
import { createSandbox, waitFor } from '../../helpers/ovs-sandbox.js';
import { createPod } from '../../helpers/netns.js';
import { FORWARDING_COOKIE, flowLines, installForwarding, service, slice, startProxy, withoutCounters } from '../../helpers/cluster.js';
import { serveHttpWho, tally, tcpConnects } from '../../helpers/pod-tools.js';

const NODE = 'node-a';

t.test('IPv4 TCP services', async (t) => {
  const sb = await createSandbox({ t });
  const client = await createPod(sb, { name: 'client', index: 2 });
  const [p11, p12, p13] = await Promise.all([11, 12, 13].map((i) => createPod(sb, { name: `pod${i}`, index: i })));
  const backends = [p11!, p12!, p13!];
  await Promise.all(backends.map((b) => b.serveHttp(8080)));
  await Promise.all(backends.map((b) => serveHttpWho(sb, b, 8081)));
  await installForwarding(sb, [client, ...backends]);

  // Flows and a group of another controller, in the proxy's own tables and in the next table.
  const foreign = [
    'cookie=0xbeef,table=11,priority=50,tcp,nw_dst=10.96.99.1,tp_dst=80,actions=drop',
    'cookie=0xbeef,table=12,priority=50,reg0=0x999,actions=drop',
    'cookie=0xbeef,table=15,priority=50,ip,nw_src=10.244.9.9,actions=goto_table:20',
    'cookie=0xbeef,table=20,priority=50,ip,nw_dst=10.244.9.9,actions=group:7',
  ];
  await sb.ofctl('add-group', sb.bridge, 'group_id=7,type=select,bucket=actions=drop');
  for (const f of foreign) await sb.ofctl('add-flow', sb.bridge, f);
  const othersBefore = async () => ({
    flows: (await flowLines(sb))
      .filter((l) => !l.includes('cookie=0xf77'))
      .map(withoutCounters)
      .sort(),
    groups: (await sb.ofctl('dump-groups', sb.bridge)).split('\n').filter((l) => l.includes('group_id=7,')),
  });
  const others = await othersBefore();
  t.equal(others.flows.filter((l) => l.startsWith('cookie=0xbeef')).length, 4, 'foreign flows installed');
  t.equal(others.groups.length, 1, 'foreign group installed');

  // OVS logs how it deals a select group's hash slots to buckets at debug level.
  await sb.appctl('vlog/set', 'ofproto_dpif:file:dbg');

  const source = new MemorySource();
  const web = (ips: string[]) =>
    slice(
      'web',
      'web-1',
      [{ name: 'http', port: 8080 }],
      ips.map((ip) => ({ ip, nodeName: NODE })),
    );
  source.upsertService(
    service('web', {
      clusterIP: '10.96.0.10',
      clusterIPs: ['10.96.0.10'],
      ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }],
    }),
  );
  source.upsertEndpointSlice(web(backends.map((b) => b.ip)));
  const { proxy } = await startProxy(t, sb, source, { nodeName: NODE });
  let syncs = 0;
  proxy.on('synced', () => syncs++);
  await sb.appctl('vlog/set', 'ofproto_dpif:file:info');

  /** Applies a source change and waits until the switch has it. */
  const settle = async () => {
    await new Promise((r) => setImmediate(r));
    await proxy.whenSynced();
  };
  const served = async (url: string, count: number) => {
    const results = await client.httpGet(url, count);
    const bodies = results.map((r) => (r.ok ? r.body!.split(' ')[0]! : `error:${r.error ?? r.status}`));
    return tally(bodies);
  };
  const checkOthers = async (tt: typeof t) => {
    tt.same(await othersBefore(), others, 'flows and groups of others are untouched');
  };

  await t.test('new connections spread over every ready endpoint (select group)', async (t) => {
    const groups = await sb.ofctl('dump-groups', sb.bridge);
    const line = groups.split('\n').find((l) => l.includes('group_id=2130706433'));
    t.ok(line, 'the service port has a select group');
    t.comment(line!);
    const counts = await served('http://10.96.0.10/', 60);
    t.comment(`60 connections: ${JSON.stringify([...counts].sort())}`);
    t.equal((counts.get('pod11') ?? 0) + (counts.get('pod12') ?? 0) + (counts.get('pod13') ?? 0), 60, 'every connection answered');
    for (const b of backends) t.ok((counts.get(b.name) ?? 0) > 0, `${b.name} served some`);
    // One SYN per connection reaches the group: its bucket counters say where they went.
    const stats = await waitFor('group stats to count 60 packets', async () => {
      const out = await sb.ofctl('dump-group-stats', sb.bridge, 'group_id=2130706433');
      const packets = [...out.matchAll(/bucket\d+:packet_count=(\d+)/g)].map((m) => Number(m[1]));
      return packets.reduce((a, b) => a + b, 0) >= 60 ? packets : undefined;
    });
    t.comment(`bucket packet counts: ${stats.join(' ')}`);
    t.equal(stats.length, 4, 'three buckets and the weight-1 bucket that evens the hash slots');
    t.ok(
      stats.slice(0, 3).every((n) => n > 0),
      'every endpoint bucket counted packets',
    );
  });

  await t.test('ovs-vswitchd deals the hash slots exactly as weights.ts computes', async (t) => {
    const log = readFileSync(join(sb.dir, 'ovs-vswitchd.log'), 'utf8');
    const at = log.lastIndexOf('Constructing select group 2130706433');
    t.ok(at >= 0, 'the group construction was logged');
    const tail = log.slice(at);
    const slots = Number(/Using (\d+) hash values/.exec(tail)?.[1]);
    const buckets = [...tail.matchAll(/Bucket \d+: weight=(\d+), target=[0-9.]+ hits=(\d+)/g)].slice(0, 4);
    const weights = buckets.map((m) => Number(m[1]));
    const hits = buckets.map((m) => Number(m[2]));
    t.comment(`OVS: ${slots} slots, weights ${weights.join('/')}, hits ${hits.join('/')}`);
    t.same(dealSlots(weights), { slots, hits }, 'same slot count and same hits per bucket');
    const perEndpoint = [hits[0]! + hits[3]!, hits[1]!, hits[2]!];
    t.ok(Math.max(...perEndpoint) / Math.min(...perEndpoint) < 1.02, `endpoints get ${perEndpoint.join('/')} of ${slots} slots`);
  });

  await t.test('an endpoint removed from the slice gets no new connections', async (t) => {
    source.upsertEndpointSlice(web([p11!.ip, p12!.ip]));
    await settle();
    const group = (await sb.ofctl('dump-groups', sb.bridge)).split('\n').find((l) => l.includes('group_id=2130706433'))!;
    t.notMatch(group, /10\.244\.0\.13/, 'the group no longer has pod13');
    const counts = await served('http://10.96.0.10/', 30);
    t.comment(JSON.stringify([...counts].sort()));
    t.equal(counts.get('pod13'), undefined, 'pod13 gets nothing');
    t.equal((counts.get('pod11') ?? 0) + (counts.get('pod12') ?? 0), 30, 'the others answer everything');
    t.ok(counts.get('pod11') && counts.get('pod12'), 'both remaining pods serve');
    await checkOthers(t);
  });

  await t.test('serving-but-terminating endpoints are used only when none is ready', async (t) => {
    source.upsertService(service('term', { clusterIP: '10.96.0.11', ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }] }));
    const put = (e: { ip: string; ready: boolean; serving: boolean; terminating: boolean }[]) =>
      source.upsertEndpointSlice(
        slice(
          'term',
          'term-1',
          [{ port: 8080 }],
          e.map((x) => ({ ...x, nodeName: NODE })),
        ),
      );
    put([
      { ip: p11!.ip, ready: true, serving: true, terminating: false },
      { ip: p12!.ip, ready: false, serving: true, terminating: true },
      { ip: p13!.ip, ready: false, serving: false, terminating: true },
    ]);
    await settle();
    let counts = await served('http://10.96.0.11/', 10);
    t.same([...counts], [['pod11', 10]], 'only the ready endpoint while there is one');
    put([
      { ip: p11!.ip, ready: false, serving: false, terminating: true },
      { ip: p12!.ip, ready: false, serving: true, terminating: true },
      { ip: p13!.ip, ready: false, serving: true, terminating: true },
    ]);
    await settle();
    counts = await served('http://10.96.0.11/', 20);
    t.comment(JSON.stringify([...counts].sort()));
    t.equal((counts.get('pod12') ?? 0) + (counts.get('pod13') ?? 0), 20, 'the serving terminating endpoints take everything');
    t.ok(counts.get('pod12') && counts.get('pod13'), 'both of them');
    put([
      { ip: p11!.ip, ready: false, serving: false, terminating: true },
      { ip: p12!.ip, ready: false, serving: false, terminating: true },
    ]);
    await settle();
    t.same(await tcpConnects(client, '10.96.0.11', 80), ['ECONNREFUSED'], 'nothing serving: refused');
    await checkOthers(t);
  });

  await t.test('a multi-port service joins each port with the slice port of the same name', async (t) => {
    source.upsertService(
      service('multi', {
        clusterIP: '10.96.0.12',
        ports: [
          { name: 'http', port: 80, protocol: 'TCP', targetPort: 'web' },
          { name: 'who', port: 81, protocol: 'TCP', targetPort: 'who' },
        ],
      }),
    );
    // pod11 and pod12 serve both ports; pod13 only http (its own slice).
    source.upsertEndpointSlice(
      slice(
        'multi',
        'multi-a',
        [
          { name: 'who', port: 8081 },
          { name: 'http', port: 8080 },
        ],
        [{ ip: p11!.ip }, { ip: p12!.ip }],
      ),
    );
    source.upsertEndpointSlice(slice('multi', 'multi-b', [{ name: 'http', port: 8080 }], [{ ip: p13!.ip }]));
    await settle();
    const http = await served('http://10.96.0.12:80/', 30);
    const who = await served('http://10.96.0.12:81/', 20);
    t.comment(`port 80: ${JSON.stringify([...http].sort())}; port 81: ${JSON.stringify([...who].sort())}`);
    t.same([...http.keys()].sort(), ['pod11', 'pod12', 'pod13'], 'port 80 reaches the three pods');
    t.same([...who.keys()].sort(), ['pod11', 'pod12'], 'port 81 reaches only the pods whose slice has it');
    const whoResults = await client.httpGet('http://10.96.0.12:81/', 1);
    t.match(whoResults[0]!.body, /^pod1[12] ::ffff:10\.244\.0\.2$/, 'port 81 lands on 8081 (the server that names the client)');
    await checkOthers(t);
  });

  await t.test("internalTrafficPolicy Local uses only this node's endpoints, and drops without one", async (t) => {
    source.upsertService(
      service('local', {
        clusterIP: '10.96.0.13',
        internalTrafficPolicy: 'Local',
        ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }],
      }),
    );
    source.upsertEndpointSlice(
      slice(
        'local',
        'local-1',
        [{ port: 8080 }],
        [
          { ip: p11!.ip, nodeName: NODE },
          { ip: p12!.ip, nodeName: 'node-b' },
          { ip: p13!.ip, nodeName: 'node-b' },
        ],
      ),
    );
    source.upsertService(
      service('remote', {
        clusterIP: '10.96.0.14',
        internalTrafficPolicy: 'Local',
        ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }],
      }),
    );
    source.upsertEndpointSlice(slice('remote', 'remote-1', [{ port: 8080 }], [{ ip: p12!.ip, nodeName: 'node-b' }]));
    await settle();
    const counts = await served('http://10.96.0.13/', 10);
    t.same([...counts], [['pod11', 10]], 'only the local endpoint');
    const drop = (await flowLines(sb, 'table=11')).find((l) => l.includes('nw_dst=10.96.0.14'));
    t.match(drop, /actions=drop$/, 'no local endpoint: the service flow drops');
    t.same(await tcpConnects(client, '10.96.0.14', 80, 1, 1500), ['timeout'], 'the connection is not answered (not refused)');
    await checkOthers(t);
  });

  await t.test('a Service labelled for another proxy is left alone', async (t) => {
    const other = (labels: Record<string, string>) =>
      service('other', { clusterIP: '10.96.0.15', ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }] }, 'default', labels);
    source.upsertService(other({ 'service.kubernetes.io/service-proxy-name': 'someone-else' }));
    source.upsertEndpointSlice(slice('other', 'other-1', [{ port: 8080 }], [{ ip: p11!.ip }]));
    await settle();
    t.notOk(
      (await flowLines(sb)).some((l) => l.includes('10.96.0.15')),
      'no flow for its cluster IP',
    );
    source.upsertService(other({}));
    await settle();
    t.ok(
      (await flowLines(sb, 'table=11')).some((l) => l.includes('nw_dst=10.96.0.15')),
      'served once the label is gone',
    );
    t.same([...(await served('http://10.96.0.15/', 3))], [['pod11', 3]], 'and answers');
    source.upsertService(other({ 'service.kubernetes.io/service-proxy-name': 'someone-else' }));
    await settle();
    t.notOk(
      (await flowLines(sb)).some((l) => l.includes('10.96.0.15')),
      'removed again when labelled',
    );
    await checkOthers(t);
  });

  await t.test('SCTP service ports are programmed with address-only DNAT (flows and groups)', async (t) => {
    // No SCTP in this kernel: only the switch state is checked. OVS's userspace conntrack keeps no
    // SCTP ports (it tracks SCTP as a generic protocol) and cannot rewrite them, so the DNAT names
    // the endpoint address only and SCTP works only where port == targetPort.
    source.upsertService(
      service('sctp', {
        clusterIP: '10.96.0.16',
        ports: [
          { name: 'a', port: 9, protocol: 'SCTP' },
          { name: 'b', port: 99, protocol: 'SCTP', targetPort: 9999 },
        ],
      }),
    );
    source.upsertEndpointSlice(
      slice(
        'sctp',
        'sctp-1',
        [
          { name: 'a', port: 9, protocol: 'SCTP' },
          { name: 'b', port: 9999, protocol: 'SCTP' },
        ],
        [{ ip: p11!.ip }, { ip: p12!.ip }],
      ),
    );
    await settle();
    const flows = (await flowLines(sb, 'table=11')).filter((l) => l.includes('nw_dst=10.96.0.16'));
    t.equal(flows.length, 2, 'one service flow per port');
    for (const f of flows) t.match(f, /priority=100,ct_state=\+new\+trk,sctp,nw_dst=10\.96\.0\.16,tp_dst=(9|99) actions=group:\d+/);
    const groups = (await sb.ofctl('dump-groups', sb.bridge)).split('\n');
    for (const f of flows) {
      const id = /group:(\d+)/.exec(f)![1];
      const g = groups.find((l) => l.includes(`group_id=${id},`))!;
      t.match(
        g,
        /type=select,bucket=actions=ct\(commit,table=15,zone=65520,nat\(dst=10\.244\.0\.11\)\),bucket=actions=ct\(commit,table=15,zone=65520,nat\(dst=10\.244\.0\.12\)\)$/,
        'address-only DNAT',
      );
    }
    await checkOthers(t);
  });

  await t.test('flows and groups of others survived every sync', async (t) => {
    t.ok(syncs >= 8, `${syncs} syncs ran`);
    await checkOthers(t);
    const fwd = (await flowLines(sb)).filter((l) => l.startsWith(` cookie=${FORWARDING_COOKIE},`));
    t.equal(fwd.length, 2 + 4 * 4, 'the forwarding table is complete');
  });
});
