/**
 * IPv6 and dual-stack services, and hairpin (a pod reaching itself through its service, answered,
 * seen by the server as coming from the hairpin address) through a real ovs-vswitchd.
 */
import t from 'tap';
import { MemorySource } from '../../../lib/sources/index.js';
import { createSandbox } from '../../helpers/ovs-sandbox.js';
import { createPod } from '../../helpers/netns.js';
import { flowLines, installForwarding, service, slice, startProxy } from '../../helpers/cluster.js';
import { enableIpv6, serveHttpWho, serveUdp, tally, udpRequests } from '../../helpers/pod-tools.js';

t.test('IPv6, dual stack and hairpin', async (t) => {
  const sb = await createSandbox({ t });
  const client = await createPod(sb, { name: 'client', index: 2 });
  const backends = await Promise.all([11, 12, 13].map((i) => createPod(sb, { name: `pod${i}`, index: i })));
  const [client6, ...backends6] = await Promise.all([client, ...backends].map((p) => enableIpv6(p)));
  await Promise.all(backends.flatMap((b) => [serveHttpWho(sb, b, 8080), serveUdp(sb, b, 5353)]));
  await installForwarding(sb, [client, ...backends]);
  const [p11] = backends;

  const source = new MemorySource();
  const ports = [
    { name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 },
    { name: 'dns', port: 53, protocol: 'UDP', targetPort: 5353 },
  ];
  const slicePorts = [
    { name: 'http', port: 8080 },
    { name: 'dns', port: 5353, protocol: 'UDP' },
  ];
  source.upsertService(service('web6', { clusterIP: 'fd00:10:96::10', ipFamilies: ['IPv6'], ports }));
  source.upsertEndpointSlice(
    slice(
      'web6',
      'web6-1',
      slicePorts,
      backends6.map((ip) => ({ ip })),
      'IPv6',
    ),
  );
  source.upsertService(
    service('dual', {
      clusterIPs: ['10.96.0.40', 'fd00:10:96::40'],
      ipFamilies: ['IPv4', 'IPv6'],
      ipFamilyPolicy: 'RequireDualStack',
      ports,
    }),
  );
  source.upsertEndpointSlice(
    slice(
      'dual',
      'dual-v4',
      slicePorts,
      backends.slice(0, 2).map((b) => ({ ip: b.ip })),
    ),
  );
  source.upsertEndpointSlice(
    slice(
      'dual',
      'dual-v6',
      slicePorts,
      backends6.slice(1).map((ip) => ({ ip })),
      'IPv6',
    ),
  );
  source.upsertService(service('self', { clusterIPs: ['10.96.0.41', 'fd00:10:96::41'], ipFamilies: ['IPv4', 'IPv6'], ports }));
  source.upsertEndpointSlice(slice('self', 'self-v4', slicePorts, [{ ip: p11!.ip }]));
  source.upsertEndpointSlice(slice('self', 'self-v6', slicePorts, [{ ip: backends6[0]! }], 'IPv6'));
  await startProxy(t, sb, source);

  const who = async (from: typeof client, url: string, count: number) => {
    const results = await from.httpGet(url, count);
    return results.map((r) => (r.ok ? r.body! : `error:${r.error ?? r.status}`));
  };

  await t.test('an IPv6 TCP service spreads over its endpoints', async (t) => {
    const answers = await who(client, 'http://[fd00:10:96::10]/', 30);
    const counts = tally(answers.map((a) => a.split(' ')[0]!));
    t.comment(`30 connections: ${JSON.stringify([...counts].sort())}`);
    t.same([...counts.keys()].sort(), ['pod11', 'pod12', 'pod13'], 'every endpoint answered');
    t.ok(
      answers.every((a) => a.endsWith(` ${client6}`)),
      `servers see the client's own address ${client6}`,
    );
    t.match(
      (await flowLines(sb, 'table=11')).find((l) => l.includes('ipv6_dst=fd00:10:96::10,tp_dst=80')),
      /tcp6.*actions=group:/,
    );
  });

  await t.test('an IPv6 UDP service spreads over its endpoints', async (t) => {
    const counts = tally(await udpRequests(client, 'fd00:10:96::10', 53, { sourcePorts: Array.from({ length: 30 }, (_, i) => 46000 + i) }));
    t.comment(`30 requests from 30 source ports: ${JSON.stringify([...counts].sort())}`);
    t.same([...counts.keys()].sort(), ['pod11', 'pod12', 'pod13']);
  });

  await t.test('a dual-stack service answers on both cluster IPs, each with its own family', async (t) => {
    const v4 = tally((await who(client, 'http://10.96.0.40/', 20)).map((a) => a.split(' ')[0]!));
    const v6 = tally((await who(client, 'http://[fd00:10:96::40]/', 20)).map((a) => a.split(' ')[0]!));
    t.comment(`IPv4 ${JSON.stringify([...v4].sort())}; IPv6 ${JSON.stringify([...v6].sort())}`);
    t.same([...v4.keys()].sort(), ['pod11', 'pod12'], 'the IPv4 cluster IP uses the IPv4 slice');
    t.same([...v6.keys()].sort(), ['pod12', 'pod13'], 'the IPv6 cluster IP uses the IPv6 slice');
    const udp4 = tally(await udpRequests(client, '10.96.0.40', 53, { count: 12 }));
    const udp6 = tally(await udpRequests(client, 'fd00:10:96::40', 53, { count: 12 }));
    t.notOk(udp4.has('pod13') || udp4.has('timeout'), `UDP over IPv4: ${JSON.stringify([...udp4])}`);
    t.notOk(udp6.has('pod11') || udp6.has('timeout'), `UDP over IPv6: ${JSON.stringify([...udp6])}`);
  });

  await t.test('hairpin: a pod reaching itself through its service is answered, from the hairpin address', async (t) => {
    t.same(await who(p11!, 'http://10.96.0.41/', 3), new Array(3).fill('pod11 ::ffff:169.254.0.253'), 'IPv4');
    t.same(await who(p11!, 'http://[fd00:10:96::41]/', 3), new Array(3).fill('pod11 fd00:ffff::253'), 'IPv6');
    t.same(await udpRequests(p11!, '10.96.0.41', 53, { count: 3 }), ['pod11', 'pod11', 'pod11'], 'UDP over IPv4');
    t.same(await udpRequests(p11!, 'fd00:10:96::41', 53, { count: 3 }), ['pod11', 'pod11', 'pod11'], 'UDP over IPv6');
  });

  await t.test("hairpin in a service with other endpoints: only the pod's own connections are SNATed", async (t) => {
    const answers = await who(p11!, 'http://[fd00:10:96::10]/', 30);
    const counts = tally(answers);
    t.comment(JSON.stringify([...counts].sort()));
    for (const [answer] of counts) {
      if (answer.startsWith('pod11 ')) t.equal(answer, 'pod11 fd00:ffff::253', 'to itself: from the hairpin address');
      else t.match(answer, /^pod1[23] fd00:10:244::11$/, 'to another pod: its own address');
    }
    t.ok(
      [...counts.keys()].some((a) => a.startsWith('pod11 ')),
      'some connections came back to pod11',
    );
  });
});
