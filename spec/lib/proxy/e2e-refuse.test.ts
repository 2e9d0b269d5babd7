/**
 * A service without endpoints refuses new connections at once, as kube-proxy's REJECT does: the
 * switch hands the packet to the proxy, which answers with a TCP RST or an ICMP(v6) port
 * unreachable. Measured as the client sees it: connect() and a connected UDP socket fail with
 * ECONNREFUSED (no timing is asserted).
 */
import t from 'tap';
import { MemorySource } from '../../../lib/sources/index.js';
import { createSandbox } from '../../helpers/ovs-sandbox.js';
import { createPod } from '../../helpers/netns.js';
import { flowLines, installForwarding, service, slice, startProxy } from '../../helpers/cluster.js';
import { enableIpv6, serveHttpWho, serveUdp, tcpConnects, udpRequests } from '../../helpers/pod-tools.js';

t.test('services without endpoints', async (t) => {
  const sb = await createSandbox({ t });
  const client = await createPod(sb, { name: 'client', index: 2 });
  const backend = await createPod(sb, { name: 'pod11', index: 11 });
  const [, backend6] = await Promise.all([enableIpv6(client), enableIpv6(backend)]);
  await serveHttpWho(sb, backend, 8080);
  await serveUdp(sb, backend, 5353);
  await installForwarding(sb, [client, backend]);

  const ports = [
    { name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 },
    { name: 'dns', port: 53, protocol: 'UDP', targetPort: 5353 },
  ];
  const source = new MemorySource();
  source.upsertService(service('empty', { clusterIP: '10.96.0.20', ports }));
  source.upsertService(service('empty6', { clusterIP: 'fd00:10:96::20', ipFamilies: ['IPv6'], ports }));
  const { proxy } = await startProxy(t, sb, source);
  const rejects = async () => proxy.metrics.rejects.get().values[0]?.value ?? 0;

  await t.test('the service flows send new connections to the proxy', async (t) => {
    const flows = (await flowLines(sb, 'table=11')).filter((l) => /10\.96\.0\.20|fd00:10:96::20/.test(l));
    t.equal(flows.length, 4);
    for (const f of flows) t.match(f, /actions=CONTROLLER:256$/);
  });

  await t.test('IPv4 TCP: connect() is refused', async (t) => {
    t.same(await tcpConnects(client, '10.96.0.20', 80, 3), ['ECONNREFUSED', 'ECONNREFUSED', 'ECONNREFUSED']);
  });

  await t.test('IPv4 UDP: a connected socket gets ECONNREFUSED (ICMP port unreachable)', async (t) => {
    t.same(await udpRequests(client, '10.96.0.20', 53, { count: 3 }), ['ECONNREFUSED', 'ECONNREFUSED', 'ECONNREFUSED']);
  });

  await t.test('IPv6 TCP: connect() is refused', async (t) => {
    t.same(await tcpConnects(client, 'fd00:10:96::20', 80, 3), ['ECONNREFUSED', 'ECONNREFUSED', 'ECONNREFUSED']);
  });

  await t.test('IPv6 UDP: a connected socket gets ECONNREFUSED (ICMPv6 port unreachable)', async (t) => {
    t.same(await udpRequests(client, 'fd00:10:96::20', 53, { count: 3 }), ['ECONNREFUSED', 'ECONNREFUSED', 'ECONNREFUSED']);
  });

  await t.test('every refusal is counted', async (t) => {
    t.equal(await rejects(), 12);
  });

  await t.test('an endpoint ends the refusals; losing it brings them back', async (t) => {
    const eps = (on: boolean) => {
      source.upsertEndpointSlice(
        slice(
          'empty',
          'empty-1',
          [
            { name: 'http', port: 8080 },
            { name: 'dns', port: 5353, protocol: 'UDP' },
          ],
          on ? [{ ip: backend.ip }] : [],
        ),
      );
      source.upsertEndpointSlice(
        slice(
          'empty6',
          'empty6-1',
          [
            { name: 'http', port: 8080 },
            { name: 'dns', port: 5353, protocol: 'UDP' },
          ],
          on ? [{ ip: backend6 }] : [],
          'IPv6',
        ),
      );
    };
    eps(true);
    await new Promise((r) => setImmediate(r));
    await proxy.whenSynced();
    t.same(await tcpConnects(client, '10.96.0.20', 80), ['connected']);
    t.same(await tcpConnects(client, 'fd00:10:96::20', 80), ['connected']);
    t.same(await udpRequests(client, '10.96.0.20', 53), ['pod11']);
    t.same(await udpRequests(client, 'fd00:10:96::20', 53), ['pod11']);
    eps(false);
    await new Promise((r) => setImmediate(r));
    await proxy.whenSynced();
    t.same(await tcpConnects(client, '10.96.0.20', 80), ['ECONNREFUSED']);
    t.same(await udpRequests(client, 'fd00:10:96::20', 53), ['ECONNREFUSED']);
  });
});
