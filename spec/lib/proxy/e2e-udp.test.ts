/**
 * UDP services through a real ovs-vswitchd: one client spreads over every endpoint (new source
 * port = new connection), a source port stays on its endpoint, and removing an endpoint moves the
 * UDP flows it had (the proxy flushes exactly that endpoint's conntrack entries of that service
 * port) while the other flows keep their endpoints.
 */
import t from 'tap';
import { MemorySource } from '../../../lib/sources/index.js';
import { CookieKind, cookie } from '../../../lib/proxy/cookies.js';
import { createSandbox, waitFor } from '../../helpers/ovs-sandbox.js';
import { createPod } from '../../helpers/netns.js';
import { installForwarding, service, slice, startProxy } from '../../helpers/cluster.js';
import { serveUdp, streamAnswers, tally, udpRequests, udpStreams } from '../../helpers/pod-tools.js';

const VIP = '10.96.0.10';

t.test('IPv4 UDP services', async (t) => {
  const sb = await createSandbox({ t });
  const client = await createPod(sb, { name: 'client', index: 2 });
  const backends = await Promise.all([11, 12, 13].map((i) => createPod(sb, { name: `pod${i}`, index: i })));
  await Promise.all(backends.map((b) => serveUdp(sb, b, 5353)));
  await installForwarding(sb, [client, ...backends]);

  const source = new MemorySource();
  source.upsertService(service('dns', { clusterIP: VIP, ports: [{ name: 'dns', port: 53, protocol: 'UDP', targetPort: 5353 }] }));
  const put = (pods: typeof backends) =>
    source.upsertEndpointSlice(
      slice(
        'dns',
        'dns-1',
        [{ name: 'dns', port: 5353, protocol: 'UDP' }],
        pods.map((p) => ({ ip: p.ip })),
      ),
    );
  put(backends);
  const { proxy, sw } = await startProxy(t, sb, source);
  const slotFlows = async () => {
    const flows = await sw.dumpFlows({ table: 12, cookie: cookie(0x0f77, CookieKind.Slot, 0), cookieMask: 0xfffff00000000000n });
    return flows.map((f) => Number(f.packetCount));
  };

  await t.test('datagrams from fresh source ports of one client spread over every endpoint', async (t) => {
    // 60 connections: source ports 45000..45059, one datagram each.
    const answers = await udpRequests(client, VIP, 53, { sourcePorts: Array.from({ length: 60 }, (_, i) => 45000 + i) });
    const counts = tally(answers);
    t.comment(`60 requests from 60 source ports: ${JSON.stringify([...counts].sort())}`);
    t.equal((counts.get('pod11') ?? 0) + (counts.get('pod12') ?? 0) + (counts.get('pod13') ?? 0), 60, 'every request answered');
    for (const b of backends) t.ok((counts.get(b.name) ?? 0) > 0, `${b.name} answered some`);
    const packets = await waitFor('slot counters to reach 60', async () => {
      const p = await slotFlows();
      return p.reduce((a, b) => a + b, 0) >= 60 ? p : undefined;
    });
    t.comment(`slot flow n_packets: ${packets.join(' ')}`);
    t.equal(packets.length, 3, 'one slot flow per endpoint');
    t.ok(
      packets.every((n) => n > 0),
      'every slot flow counted new flows',
    );
    t.equal(
      packets.reduce((a, b) => a + b, 0),
      60,
      'one new connection per source port',
    );
  });

  await t.test('datagrams from one source port stay on one endpoint', async (t) => {
    const answers = await udpRequests(client, VIP, 53, { count: 15, samePort: true });
    t.equal(tally(answers).size, 1, `all to ${answers[0]}`);
    t.notOk(answers.includes('timeout'));
  });

  await t.test('removing an endpoint moves its active UDP flows and leaves the others alone', async (t) => {
    const ports = [41001, 41002, 41003, 41004, 41005, 41006, 41007, 41008];
    const streams = await udpStreams(sb, client, VIP, 53, ports, 100);
    t.teardown(() => streams.stop());
    // Each socket settles on one endpoint.
    const before = await waitFor('five answers on every socket', async () => {
      const a = streamAnswers(streams);
      const last = new Map<number, string[]>();
      for (const x of a) last.set(x.sport, [...(last.get(x.sport) ?? []), x.answer]);
      return ports.every((p) => (last.get(p) ?? []).length >= 5) ? last : undefined;
    });
    const home = new Map<number, string>();
    for (const p of ports) {
      const seen = new Set(before.get(p));
      t.equal(seen.size, 1, `source port ${p} answered by one pod (${[...seen].join(',')})`);
      home.set(p, [...seen][0]!);
    }
    t.comment(`before: ${ports.map((p) => `${p}→${home.get(p)}`).join(' ')}`);
    const victim = home.get(ports[0]!)!;
    const moved = ports.filter((p) => home.get(p) === victim);
    const stayed = ports.filter((p) => home.get(p) !== victim);
    t.ok(stayed.length > 0, 'some sockets are on other pods');
    const victimPod = backends.find((b) => b.name === victim)!;
    const mark = streams.lines.length;
    put(backends.filter((b) => b !== victimPod));
    await new Promise((r) => setImmediate(r));
    await proxy.whenSynced();
    // The flush follows the flow change: every flow of the removed endpoint is answered elsewhere.
    const after = await waitFor(
      `flows of ${victim} to move`,
      async () => {
        const a = streamAnswers(streams, mark);
        const ok = moved.every((p) => {
          const mine = a.filter((x) => x.sport === p).map((x) => x.answer);
          return mine.length >= 3 && mine.slice(-3).every((x) => x !== victim && x !== 'timeout');
        });
        return ok ? a : undefined;
      },
      20_000,
    );
    for (const p of moved) {
      const mine = after.filter((x) => x.sport === p).map((x) => x.answer);
      t.comment(`${p} after removal: ${mine.join(',')}`);
      t.equal(new Set(mine.slice(-3)).size, 1, `source port ${p} settled on ${mine.at(-1)}`);
    }
    for (const p of stayed) {
      const mine = after.filter((x) => x.sport === p).map((x) => x.answer);
      t.same([...new Set(mine)], [home.get(p)], `source port ${p} stayed on ${home.get(p)} throughout`);
    }
    const ct = await sb.appctl('dpctl/dump-conntrack', 'zone=65520');
    t.notMatch(ct, new RegExp(`reply=\\(src=${victimPod.ip.replace(/\./g, '\\.')},`), `no conntrack entry of ${victim} is left`);
    await streams.stop();
  });
});
