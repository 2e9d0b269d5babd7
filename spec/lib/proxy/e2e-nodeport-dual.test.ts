/**
 * Dual-stack NodePort through a real ovs-vswitchd: a client outside the cluster reaches the node's
 * IPv4 and IPv6 addresses on the same node port; each family is served by that family's endpoints,
 * SNATed to the node address of that family.
 */
import t from 'tap';
import { MemorySource } from '../../../lib/sources/index.js';
import { createSandbox } from '../../helpers/ovs-sandbox.js';
import { createPod } from '../../helpers/netns.js';
import { installForwarding, service, slice, startProxy } from '../../helpers/cluster.js';
import { NODE_IP, createOutsideClient } from '../../helpers/outside.js';
import { enableIpv6, serveHttpWho, tally } from '../../helpers/pod-tools.js';

const NODE_IP6 = 'fd00:50::1';

t.test('dual-stack NodePort from outside', async (t) => {
  const sb = await createSandbox({ t });
  const backends = await Promise.all([11, 12, 13].map((i) => createPod(sb, { name: `pod${i}`, index: i })));
  const outside = await createOutsideClient(sb, { name: 'outside', index: 30, ip: '192.168.50.2' });
  const [outside6, ...backends6] = await Promise.all([outside, ...backends].map((p) => enableIpv6(p)));
  await Promise.all(backends.map((b) => serveHttpWho(sb, b, 8081)));
  await installForwarding(sb, [...backends, outside]);

  const source = new MemorySource();
  source.upsertService(
    service('dual', {
      type: 'NodePort',
      clusterIPs: ['10.96.2.10', 'fd00:10:96::210'],
      ipFamilies: ['IPv4', 'IPv6'],
      ipFamilyPolicy: 'RequireDualStack',
      ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8081, nodePort: 30200 }],
    }),
  );
  source.upsertEndpointSlice(
    slice(
      'dual',
      'dual-v4',
      [{ name: 'http', port: 8081 }],
      backends.slice(0, 2).map((b) => ({ ip: b.ip })),
    ),
  );
  source.upsertEndpointSlice(
    slice(
      'dual',
      'dual-v6',
      [{ name: 'http', port: 8081 }],
      backends6.slice(1).map((ip) => ({ ip })),
      'IPv6',
    ),
  );
  await startProxy(t, sb, source, { nodeIPs: [NODE_IP, NODE_IP6], nodePortAddresses: [NODE_IP, NODE_IP6] });

  const who = async (url: string, count: number) =>
    tally((await outside.httpGet(url, count)).map((r) => (r.ok ? r.body!.replace('::ffff:', '') : `error:${r.error ?? r.status}`)));

  const v4 = await who(`http://${NODE_IP}:30200/`, 20);
  t.comment(JSON.stringify([...v4].sort()));
  t.same([...v4.keys()].sort(), [`pod11 ${NODE_IP}`, `pod12 ${NODE_IP}`], 'IPv4: the IPv4 endpoints, which see the IPv4 node address');
  const v6 = await who(`http://[${NODE_IP6}]:30200/`, 20);
  t.comment(JSON.stringify([...v6].sort()));
  t.same([...v6.keys()].sort(), [`pod12 ${NODE_IP6}`, `pod13 ${NODE_IP6}`], 'IPv6: the IPv6 endpoints, which see the IPv6 node address');
  t.ok(outside6, 'the outside client has an IPv6 address');
});
