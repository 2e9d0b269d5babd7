/**
 * ClientIP session affinity through a real ovs-vswitchd: a client stays on one pod (IPv4 and
 * IPv6), the learned flows carry the timeout (capped at 65535 s with a warning), and removing the
 * pod a client is pinned to deletes its learned flows so the client moves.
 */
import t from 'tap';
import { MemorySource } from '../../../lib/sources/index.js';
import { createSandbox, waitFor } from '../../helpers/ovs-sandbox.js';
import { createPod } from '../../helpers/netns.js';
import { flowLines, installForwarding, service, slice, startProxy } from '../../helpers/cluster.js';
import { enableIpv6, serveHttpWho, tally } from '../../helpers/pod-tools.js';

t.test('ClientIP session affinity', async (t) => {
  const sb = await createSandbox({ t });
  const c1 = await createPod(sb, { name: 'c1', index: 2 });
  const c2 = await createPod(sb, { name: 'c2', index: 3 });
  const backends = await Promise.all([11, 12, 13].map((i) => createPod(sb, { name: `pod${i}`, index: i })));
  const [c1v6, , ...backends6] = await Promise.all([c1, c2, ...backends].map((p) => enableIpv6(p)));
  await Promise.all(backends.map((b) => serveHttpWho(sb, b, 8080)));
  await installForwarding(sb, [c1, c2, ...backends]);

  const source = new MemorySource();
  const affinity = (timeoutSeconds: number) => ({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds } } });
  const ports = [{ port: 80, protocol: 'TCP', targetPort: 8080 }];
  source.upsertService(service('sticky', { clusterIP: '10.96.0.30', ports, ...affinity(86400) }));
  const put = (pods: typeof backends) =>
    source.upsertEndpointSlice(
      slice(
        'sticky',
        'sticky-1',
        [{ port: 8080 }],
        pods.map((p) => ({ ip: p.ip })),
      ),
    );
  put(backends);
  source.upsertService(service('sticky6', { clusterIP: 'fd00:10:96::30', ipFamilies: ['IPv6'], ports, ...affinity(600) }));
  source.upsertEndpointSlice(
    slice(
      'sticky6',
      'sticky6-1',
      [{ port: 8080 }],
      backends6.map((ip) => ({ ip })),
      'IPv6',
    ),
  );
  const { proxy, warnings, stop } = await startProxy(t, sb, source);

  const pods = async (from: typeof c1, url: string, count: number) =>
    tally((await from.httpGet(url, count)).map((r) => (r.ok ? r.body!.split(' ')[0]! : `error:${r.error ?? r.status}`)));
  const learned = async () => (await flowLines(sb, 'table=14')).filter((l) => !l.includes('priority=0'));

  await t.test('a timeout above 65535 s is capped, with a warning', async (t) => {
    t.same(warnings, ['default/sticky: sessionAffinity timeout 86400s capped at 65535s (OpenFlow learn timeouts are 16-bit)']);
    const slots = (await flowLines(sb, 'table=12')).filter((l) => l.includes('learn('));
    t.equal(slots.length, 6, 'one learning slot flow per endpoint and family');
    t.equal(slots.filter((l) => l.includes('learn(table=14,idle_timeout=65535,')).length, 3, 'IPv4: idle_timeout=65535');
    t.equal(slots.filter((l) => l.includes('learn(table=14,idle_timeout=600,')).length, 3, 'IPv6: idle_timeout=600');
  });

  let c1Pod = '';
  await t.test('each client stays on one pod', async (t) => {
    const one = await pods(c1, 'http://10.96.0.30/', 20);
    const two = await pods(c2, 'http://10.96.0.30/', 20);
    t.comment(`c1 ${JSON.stringify([...one])}; c2 ${JSON.stringify([...two])}`);
    t.equal(one.size, 1, 'c1: one pod for 20 connections');
    t.equal(two.size, 1, 'c2: one pod for 20 connections');
    t.notOk(
      [...one.keys(), ...two.keys()].some((k) => k.startsWith('error')),
      'all answered',
    );
    c1Pod = [...one.keys()][0]!;
    const flows = await learned();
    t.comment(flows.join('\n'));
    t.equal(flows.length, 2, 'one learned flow per client');
    for (const [client, ip] of [
      ['c1', c1.ip],
      ['c2', c2.ip],
    ]) {
      t.ok(
        flows.some((l) => l.includes(`idle_timeout=65535,`) && l.includes(`nw_src=${ip} `)),
        `${client}'s learned flow, idle_timeout=65535`,
      );
    }
  });

  await t.test('an IPv6 client stays on one pod', async (t) => {
    const six = await pods(c1, 'http://[fd00:10:96::30]/', 15);
    t.comment(JSON.stringify([...six]));
    t.equal(six.size, 1);
    t.ok(
      (await learned()).some((l) => l.includes(`ipv6_src=${c1v6} `) && l.includes('idle_timeout=600,')),
      'learned with the IPv6 source',
    );
  });

  await t.test('removing the pod a client is pinned to moves the client and forgets its learned flow', async (t) => {
    const pinned = backends.find((b) => b.name === c1Pod)!;
    put(backends.filter((b) => b !== pinned));
    await new Promise((r) => setImmediate(r));
    await proxy.whenSynced();
    const c1Learned = await waitFor('the learned flows of the removed endpoint to go', async () => {
      const flows = await learned();
      return flows.some((l) => l.includes(`load:0x${ipHex(pinned.ip)}->NXM_NX_REG3[]`)) ? undefined : flows;
    });
    t.notOk(
      c1Learned.some((l) => l.includes(`nw_src=${c1.ip} `)),
      "c1's learned flow is gone",
    );
    const after = await pods(c1, 'http://10.96.0.30/', 15);
    t.comment(`c1 after removing ${pinned.name}: ${JSON.stringify([...after])}`);
    t.equal(after.size, 1, 'c1 is pinned again, to one pod');
    t.notOk(after.has(pinned.name), `not to ${pinned.name}`);
  });

  await t.test('affinity switched off, its pod removed, affinity back on: the client is still served', async (t) => {
    // c2 is pinned; while affinity is off its pod goes away; the learned flow must not outlive it.
    const pinnedName = [...(await pods(c2, 'http://10.96.0.30/', 3)).keys()][0]!;
    const pinned = backends.find((b) => b.name === pinnedName)!;
    t.ok(
      (await learned()).some((l) => l.includes(`nw_src=${c2.ip} `)),
      'c2 has a learned flow',
    );
    source.upsertService(service('sticky', { clusterIP: '10.96.0.30', ports }));
    await new Promise((r) => setImmediate(r));
    await proxy.whenSynced();
    put(backends.filter((b) => b !== pinned));
    await new Promise((r) => setImmediate(r));
    await proxy.whenSynced();
    source.upsertService(service('sticky', { clusterIP: '10.96.0.30', ports, ...affinity(600) }));
    await new Promise((r) => setImmediate(r));
    await proxy.whenSynced();
    const results = (await c2.httpGet('http://10.96.0.30/', 3, 1500)).map((r) => (r.ok ? r.body!.split(' ')[0]! : `error:${r.error}`));
    t.comment(`c2 after ${pinned.name} went away while affinity was off: ${results.join(',')}`);
    t.notOk(
      results.some((r) => r.startsWith('error')),
      'every connection answered',
    );
    put(backends);
    await new Promise((r) => setImmediate(r));
    await proxy.whenSynced();
  });

  await t.test('an endpoint removed while the agent was down: the restarted agent does not leave clients pinned to it', async (t) => {
    const pinnedName = [...(await pods(c1, 'http://10.96.0.30/', 3)).keys()][0]!;
    const pinned = backends.find((b) => b.name === pinnedName)!;
    t.ok(
      (await learned()).some((l) => l.includes(`nw_src=${c1.ip} `)),
      'c1 has a learned flow',
    );
    await stop();
    const next = new MemorySource();
    next.upsertService(service('sticky', { clusterIP: '10.96.0.30', ports, ...affinity(600) }));
    next.upsertEndpointSlice(
      slice(
        'sticky',
        'sticky-1',
        [{ port: 8080 }],
        backends.filter((b) => b !== pinned).map((p) => ({ ip: p.ip })),
      ),
    );
    next.upsertService(service('sticky6', { clusterIP: 'fd00:10:96::30', ipFamilies: ['IPv6'], ports, ...affinity(600) }));
    next.upsertEndpointSlice(
      slice(
        'sticky6',
        'sticky6-1',
        [{ port: 8080 }],
        backends6.map((ip) => ({ ip })),
        'IPv6',
      ),
    );
    await startProxy(t, sb, next);
    const results = (await c1.httpGet('http://10.96.0.30/', 3, 1500)).map((r) => (r.ok ? r.body!.split(' ')[0]! : `error:${r.error}`));
    t.comment(`c1 after ${pinned.name} went away while the agent was down: ${results.join(',')}`);
    t.notOk(
      results.some((r) => r.startsWith('error')),
      'every connection answered',
    );
    t.notOk(
      (await learned()).some((l) => l.includes(`load:0x${ipHex(pinned.ip)}->NXM_NX_REG3[]`)),
      `no learned flow points at ${pinned.name}`,
    );
  });
});

function ipHex(ip: string): string {
  return ip
    .split('.')
    .map((x) => Number(x).toString(16).padStart(2, '0'))
    .join('')
    .replace(/^0+/, '');
}
