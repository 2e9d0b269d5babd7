/**
 * Restarts. The agent: a new proxy process finds its flows on the switch (service-port ids read
 * back from the cookies) and sends nothing, while established and new traffic keeps flowing. The
 * switch: ovs-vswitchd crashes and comes back empty; the proxy reconnects and programs it again.
 */
import t from 'tap';
import { Switch } from '../../../lib/controller/index.js';
import { ServiceProxy } from '../../../lib/proxy/index.js';
import { MemorySource } from '../../../lib/sources/index.js';
import { createSandbox, waitFor } from '../../helpers/ovs-sandbox.js';
import { createPod } from '../../helpers/netns.js';
import { flowLines, installForwarding, service, slice, startProxy, withoutCounters } from '../../helpers/cluster.js';
import { enableIpv6, serveHttpWho, serveUdp, streamAnswers, tally, udpRequests, udpStreams } from '../../helpers/pod-tools.js';

function fill(source: MemorySource): void {
  source.upsertService(
    service('web', {
      clusterIP: '10.96.0.10',
      clusterIPs: ['10.96.0.10'],
      ports: [
        { name: 'http', port: 80, protocol: 'TCP' },
        { name: 'dns', port: 53, protocol: 'UDP' },
      ],
    }),
  );
  source.upsertEndpointSlice(
    slice(
      'web',
      'web-1',
      [
        { name: 'http', port: 8080 },
        { name: 'dns', port: 5353, protocol: 'UDP' },
      ],
      [{ ip: '10.244.0.11' }, { ip: '10.244.0.12' }],
    ),
  );
  source.upsertService(
    service('aff', {
      clusterIP: '10.96.0.11',
      clusterIPs: ['10.96.0.11'],
      sessionAffinity: 'ClientIP',
      ports: [{ port: 80, protocol: 'TCP' }],
    }),
  );
  source.upsertEndpointSlice(slice('aff', 'aff-1', [{ port: 8080 }], [{ ip: '10.244.0.11' }, { ip: '10.244.0.13' }]));
  source.upsertService(
    service('v6', {
      clusterIP: 'fd00:10:96::a',
      clusterIPs: ['fd00:10:96::a'],
      ipFamilies: ['IPv6'],
      ports: [{ port: 80, protocol: 'TCP' }],
    }),
  );
  source.upsertEndpointSlice(slice('v6', 'v6-1', [{ port: 8080 }], [{ ip: 'fd00:10:244::11' }], 'IPv6'));
  source.upsertService(service('empty', { clusterIP: '10.96.0.12', clusterIPs: ['10.96.0.12'], ports: [{ port: 80, protocol: 'TCP' }] }));
}

/** The proxy's flows (cookie prefix 0x0f77), without counters; learned affinity flows left out. */
async function proxyFlows(sb: Parameters<typeof flowLines>[0]): Promise<string[]> {
  return (await flowLines(sb))
    .filter((l) => l.startsWith(' cookie=0xf77') && !l.startsWith(' cookie=0xf774'))
    .map(withoutCounters)
    .sort();
}

t.test('restarts', async (t) => {
  const sb = await createSandbox({ t });
  const client = await createPod(sb, { name: 'client', index: 2 });
  const backends = await Promise.all([11, 12, 13].map((i) => createPod(sb, { name: `pod${i}`, index: i })));
  await Promise.all([client, ...backends].map((p) => enableIpv6(p)));
  await Promise.all(backends.flatMap((b) => [serveHttpWho(sb, b, 8080), serveUdp(sb, b, 5353)]));
  await installForwarding(sb, [client, ...backends]);

  // Another controller's flow in the proxy's service table: no restart may touch it.
  await sb.ofctl('add-flow', sb.bridge, 'cookie=0xbeef,table=11,priority=50,tcp,nw_dst=10.96.99.1,tp_dst=80,actions=drop');
  const foreign = async () =>
    (await flowLines(sb))
      .filter((l) => !l.startsWith(' cookie=0xf77'))
      .map(withoutCounters)
      .sort();
  const foreignBefore = await foreign();

  const startOnce = async () => {
    const source = new MemorySource();
    fill(source);
    return startProxy(t, sb, source);
  };
  const get = async (url: string, count: number) =>
    tally((await client.httpGet(url, count)).map((r) => (r.ok ? r.body!.split(' ')[0]! : `error:${r.error ?? r.status}`)));

  await t.test('an agent restart with unchanged services changes nothing on the switch and drops nothing', async (t) => {
    const first = await startOnce();
    t.ok(first.syncs.reduce((n, s) => n + s.messages, 0) > 10, 'the first agent programs the switch');
    t.same([...(await get('http://10.96.0.11/', 5)).values()], [5], 'affinity service answered from one pod');
    const before = await proxyFlows(sb);
    const learned = async () => (await flowLines(sb, 'table=14')).filter((l) => l.startsWith(' cookie=0xf774')).map(withoutCounters);
    const learnedBefore = await learned();
    t.equal(learnedBefore.length, 1, 'the client has a learned affinity flow');

    // Established UDP flows (fixed source ports) run across the restart.
    const streams = await udpStreams(sb, client, '10.96.0.10', 53, [42001, 42002, 42003, 42004], 100);
    t.teardown(() => streams.stop());
    await waitFor('answers on every socket', async () => new Set(streamAnswers(streams).map((a) => a.sport)).size === 4);
    await first.stop();

    const second = await startOnce();
    t.equal(
      second.syncs.reduce((n, s) => n + s.messages, 0),
      0,
      'a restarted agent sends no flow or group change',
    );
    await second.stop();
    const again = await startOnce();
    const lines = streams.lines.length;
    await waitFor('ten more answers', async () => streams.lines.length >= lines + 10);
    t.same(await proxyFlows(sb), before, 'the same flows');
    t.same(await learned(), learnedBefore, 'the learned affinity flow is still there');
    t.same(await foreign(), foreignBefore, 'flows of others are untouched');
    const answers = streamAnswers(streams);
    t.notOk(
      answers.some((a) => a.answer === 'timeout' || a.answer.startsWith('E')),
      `${answers.length} datagrams across two restarts, none lost`,
    );
    const perSocket = new Map<number, Set<string>>();
    for (const a of answers) perSocket.set(a.sport, (perSocket.get(a.sport) ?? new Set()).add(a.answer));
    t.ok(
      [...perSocket.values()].every((s) => s.size === 1),
      'every UDP flow stayed on its endpoint',
    );
    await streams.stop();
    t.equal(
      again.syncs.reduce((n, s) => n + s.messages, 0),
      0,
      'and again',
    );
    t.same([...(await get('http://10.96.0.11/', 5)).values()], [5], 'affinity still pins the client (learned flows kept)');
    t.equal((await get('http://10.96.0.10/', 30)).size, 2, 'new connections still spread');
    await again.stop();

    // A source that is complete only after the switch was read (a Kubernetes source still listing):
    // nothing may be taken for a leftover before the source has spoken.
    const late = new MemorySource({ manualSync: true });
    const sw = await Switch.connect(sb.mgmt, { asyncEvents: true });
    t.teardown(() => sw.close());
    const proxy = new ServiceProxy(sw, late);
    let messages = 0;
    proxy.on('synced', (s) => (messages += s.messages));
    await proxy.start();
    fill(late);
    await sw.barrier();
    late.markSynced();
    await proxy.whenSynced();
    t.equal(messages, 0, 'a late source changes nothing either');
    t.same(await learned(), learnedBefore, 'and keeps the learned affinity flow');
    await proxy.stop();
    await sw.close();
  });

  await t.test('a UDP endpoint removed while the agent was down: its active flows move once the agent is back', async (t) => {
    const first = await startOnce();
    const streams = await udpStreams(sb, client, '10.96.0.10', 53, [43001, 43002, 43003, 43004, 43005, 43006], 100);
    t.teardown(() => streams.stop());
    const home = await waitFor('answers on every socket', async () => {
      const m = new Map(streamAnswers(streams).map((a) => [a.sport, a.answer]));
      return m.size === 6 ? m : undefined;
    });
    const victim = home.get(43001)!;
    const moving = [...home].filter(([, pod]) => pod === victim).map(([p]) => p);
    await first.stop();
    const next = new MemorySource();
    fill(next);
    const keep = victim === 'pod11' ? '10.244.0.12' : '10.244.0.11';
    next.upsertEndpointSlice(
      slice(
        'web',
        'web-1',
        [
          { name: 'http', port: 8080 },
          { name: 'dns', port: 5353, protocol: 'UDP' },
        ],
        [{ ip: keep }],
      ),
    );
    const mark = streams.lines.length;
    const second = await startProxy(t, sb, next);
    const moved = await waitFor(
      `the flows of ${victim} to move`,
      async () => {
        const a = streamAnswers(streams, mark);
        return moving.every(
          (p) =>
            a
              .filter((x) => x.sport === p)
              .slice(-3)
              .filter((x) => x.answer !== victim && x.answer !== 'timeout').length === 3,
        )
          ? a
          : undefined;
      },
      10_000,
    ).catch(() => undefined);
    const tail = streamAnswers(streams, mark)
      .filter((x) => x.sport === 43001)
      .slice(-5)
      .map((x) => x.answer);
    t.comment(`source port 43001 (was on ${victim}), last answers: ${tail.join(',')}`);
    t.ok(moved, `the UDP flows that were on ${victim} are answered by another pod`);
    await streams.stop();
    await second.stop();
  });

  await t.test('after ovs-vswitchd restarts empty, the proxy programs it again', async (t) => {
    const running = await startOnce();
    const before = await proxyFlows(sb);
    const groupsBefore = (await sb.ofctl('dump-groups', sb.bridge))
      .split('\n')
      .filter((l) => l.includes('group_id='))
      .sort();
    const synced = running.syncs.length;
    await sb.restartVswitchd();
    // The CNI's part: its forwarding flows are gone too.
    await installForwarding(sb, [client, ...backends]);
    const full = await waitFor(
      'a full sync after reconnecting',
      async () => running.syncs.slice(synced).find((s) => s.full && s.messages > 0),
      30_000,
    );
    t.ok(full.messages > 10, `the switch came back empty and was reprogrammed with ${full.messages} messages`);
    await running.proxy.whenSynced();
    t.same(await proxyFlows(sb), before, 'the same flows as before the crash');
    const groupsAfter = (await sb.ofctl('dump-groups', sb.bridge))
      .split('\n')
      .filter((l) => l.includes('group_id='))
      .sort();
    t.same(groupsAfter, groupsBefore, 'the same groups');
    const http = await get('http://10.96.0.10/', 10);
    t.same(
      [...http.keys()].filter((k) => k.startsWith('error')),
      [],
      `TCP answered: ${JSON.stringify([...http])}`,
    );
    t.same(tally(await udpRequests(client, '10.96.0.10', 53, { count: 6 })).has('timeout'), false, 'UDP answered');
    t.same([...(await get('http://[fd00:10:96::a]/', 3)).keys()], ['pod11'], 'IPv6 answered');
    t.match((await client.httpGet('http://10.96.0.12/', 1))[0]!.error, /ECONNREFUSED/, 'an empty service refuses again');
  });
});
