/**
 * North-south services through a real ovs-vswitchd: clients outside the cluster (namespaces on the
 * node's uplink, 192.168.50.N) reaching NodePorts on the node address, external IPs and
 * load-balancer IPs; externalTrafficPolicy Cluster (SNAT to the node address) and Local (client
 * address kept, only this node's endpoints, health-check port), source ranges, the pods' way into
 * a Local service's external address, and UDP.
 */
import t from 'tap';
import { MemorySource } from '../../../lib/sources/index.js';
import { HealthCheckServer } from '../../../lib/proxy/health-check-server.js';
import { createSandbox } from '../../helpers/ovs-sandbox.js';
import { createPod, type Pod } from '../../helpers/netns.js';
import { flowLines, installForwarding, service, slice, startProxy } from '../../helpers/cluster.js';
import { NODE_IP, createOutsideClient } from '../../helpers/outside.js';
import { serveHttpWho, serveUdp, tally, udpRequests } from '../../helpers/pod-tools.js';

const NODE = 'node-a';
const HC_PORT = 32111;

t.test('NodePort, external and load-balancer addresses', async (t) => {
  const sb = await createSandbox({ t });
  const client = await createPod(sb, { name: 'client', index: 2 });
  const [p11, p12, p13] = await Promise.all([11, 12, 13].map((i) => createPod(sb, { name: `pod${i}`, index: i })));
  const outside = await createOutsideClient(sb, { name: 'outside', index: 30, ip: '192.168.50.2' });
  const stranger = await createOutsideClient(sb, { name: 'stranger', index: 31, ip: '192.168.50.3' });
  const backends = [p11!, p12!, p13!];
  await Promise.all(backends.map((b) => serveHttpWho(sb, b, 8081)));
  await Promise.all(backends.map((b) => serveUdp(sb, b, 5353)));
  await installForwarding(sb, [client, ...backends, outside, stranger]);

  const source = new MemorySource();
  const running = await startProxy(t, sb, source, {
    nodeName: NODE,
    nodeIPs: [NODE_IP],
    nodePortAddresses: [NODE_IP],
    clusterCidrs: ['10.244.0.0/16'],
  });
  const { proxy } = running;
  const health = new HealthCheckServer({ hosts: ['127.0.0.1'] });
  t.teardown(() => health.close());
  const healthUpdates: Promise<void>[] = [];
  proxy.on('healthCheck', (key, hc) => healthUpdates.push(health.update(key, hc)));
  const settle = async () => {
    await new Promise((r) => setImmediate(r));
    await proxy.whenSynced();
    await Promise.all(healthUpdates.splice(0));
  };
  /** `pod name → client address as the pod saw it` of `count` connections from `from`. */
  const who = async (from: Pod, url: string, count: number, timeoutMs = 3000) => {
    const results = await from.httpGet(url, count, timeoutMs);
    return tally(results.map((r) => (r.ok ? r.body!.replace('::ffff:', '') : `error:${r.error ?? r.status}`)));
  };
  const endpoints = (name: string, eps: { pod: Pod; node: string }[]) =>
    slice(
      name,
      `${name}-1`,
      [
        { name: 'http', port: 8081 },
        { name: 'dns', port: 5353, protocol: 'UDP' },
      ],
      eps.map((e) => ({ ip: e.pod.ip, nodeName: e.node })),
    );
  const ports = (nodePort: number) => [
    { name: 'http', port: 80, protocol: 'TCP', targetPort: 8081, nodePort },
    { name: 'dns', port: 53, protocol: 'UDP', targetPort: 5353, nodePort: nodePort + 1 },
  ];

  await t.test('NodePort, externalTrafficPolicy Cluster: any endpoint, SNATed to the node address', async (t) => {
    source.upsertService(service('np', { type: 'NodePort', clusterIP: '10.96.1.10', ports: ports(30080) }));
    source.upsertEndpointSlice(
      endpoints('np', [
        { pod: p11!, node: NODE },
        { pod: p12!, node: NODE },
        { pod: p13!, node: 'node-b' },
      ]),
    );
    await settle();
    const counts = await who(outside, `http://${NODE_IP}:30080/`, 30);
    t.comment(JSON.stringify([...counts].sort()));
    t.same(
      [...counts.keys()].sort(),
      [`pod11 ${NODE_IP}`, `pod12 ${NODE_IP}`, `pod13 ${NODE_IP}`],
      'every endpoint serves, and sees the node address',
    );
    const fromPod = await who(client, `http://${NODE_IP}:30080/`, 6);
    t.ok(
      [...fromPod.keys()].every((k) => k.endsWith(NODE_IP)),
      'from a pod too',
    );
  });

  await t.test('UDP NodePort: spread per flow; an endpoint removed loses its conntrack entries', async (t) => {
    const answers = await udpRequests(outside, NODE_IP, 30081, { sourcePorts: Array.from({ length: 30 }, (_, i) => 46000 + i) });
    const counts = tally(answers);
    t.comment(JSON.stringify([...counts].sort()));
    t.same([...counts.keys()].sort(), ['pod11', 'pod12', 'pod13'], 'datagrams of different flows reach every endpoint');
    const sticky = await udpRequests(outside, NODE_IP, 30081, { count: 5, samePort: true });
    t.equal(new Set(sticky).size, 1, 'one flow stays on one endpoint');
    const held = sticky[0]!;
    const rest = backends.filter((b) => b.name !== held);
    source.upsertEndpointSlice(
      endpoints(
        'np',
        rest.map((pod) => ({ pod, node: NODE })),
      ),
    );
    await settle();
    const after = tally(await udpRequests(outside, NODE_IP, 30081, { count: 10, samePort: true }));
    t.equal(after.get(held), undefined, `${held} (removed) answers no more`);
    t.notOk(after.has('timeout'), 'every datagram answered');
    source.upsertEndpointSlice(
      endpoints('np', [
        { pod: p11!, node: NODE },
        { pod: p12!, node: NODE },
        { pod: p13!, node: 'node-b' },
      ]),
    );
    await settle();
  });

  await t.test('NodePort, externalTrafficPolicy Local: only local endpoints, client address kept; health check', async (t) => {
    source.upsertService(
      service('npl', {
        type: 'LoadBalancer',
        clusterIP: '10.96.1.11',
        externalTrafficPolicy: 'Local',
        healthCheckNodePort: HC_PORT,
        ports: ports(30090),
      }),
    );
    source.upsertEndpointSlice(
      endpoints('npl', [
        { pod: p11!, node: NODE },
        { pod: p13!, node: 'node-b' },
      ]),
    );
    await settle();
    const counts = await who(outside, `http://${NODE_IP}:30090/`, 10);
    t.same([...counts], [['pod11 192.168.50.2', 10]], 'only the local endpoint, which sees the client');
    let res = await fetch(`http://127.0.0.1:${HC_PORT}/`);
    t.equal(res.status, 200, 'health check: 200 with a local endpoint');
    t.equal(res.headers.get('x-content-type-options'), 'nosniff');
    t.same(JSON.parse(await res.text()), { service: { namespace: 'default', name: 'npl' }, localEndpoints: 1, serviceProxyHealthy: true });

    source.upsertEndpointSlice(
      endpoints('npl', [
        { pod: p11!, node: NODE },
        { pod: p12!, node: NODE },
        { pod: p13!, node: 'node-b' },
      ]),
    );
    await settle();
    res = await fetch(`http://127.0.0.1:${HC_PORT}/`);
    t.equal((JSON.parse(await res.text()) as { localEndpoints: number }).localEndpoints, 2, 'the count follows the endpoints');

    source.upsertEndpointSlice(endpoints('npl', [{ pod: p13!, node: 'node-b' }]));
    await settle();
    t.same(await who(outside, `http://${NODE_IP}:30090/`, 1, 1500), new Map([['error:timed out', 1]]), 'no local endpoint: no answer');
    res = await fetch(`http://127.0.0.1:${HC_PORT}/`);
    t.equal(res.status, 503, 'health check: 503 without one');
    t.same(JSON.parse(await res.text()), { service: { namespace: 'default', name: 'npl' }, localEndpoints: 0, serviceProxyHealthy: true });

    source.deleteService('default', 'npl');
    await settle();
    await t.rejects(fetch(`http://127.0.0.1:${HC_PORT}/`), 'the health-check port closes with the service');
  });

  await t.test('external IP and load-balancer IP, source ranges, ipMode Proxy', async (t) => {
    source.upsertService({
      ...(service('lb', {
        type: 'LoadBalancer',
        clusterIP: '10.96.1.12',
        externalIPs: ['192.168.60.10'],
        loadBalancerSourceRanges: ['192.168.50.2/32', '10.244.0.0/16'],
        ports: ports(30100),
      }) as object),
      status: { loadBalancer: { ingress: [{ ip: '192.168.60.20' }, { ip: '192.168.60.30', ipMode: 'Proxy' }] } },
    });
    source.upsertEndpointSlice(
      endpoints('lb', [
        { pod: p11!, node: NODE },
        { pod: p12!, node: 'node-b' },
      ]),
    );
    await settle();
    for (const [name, from] of [
      ['outside', outside],
      ['stranger', stranger],
      ['a pod', client],
    ] as const) {
      const counts = await who(from, 'http://192.168.60.10/', 10);
      t.same([...counts.keys()].sort(), [`pod11 ${NODE_IP}`, `pod12 ${NODE_IP}`], `external IP from ${name}: served, SNATed`);
    }
    const inRange = await who(outside, 'http://192.168.60.20/', 10);
    t.same([...inRange.keys()].sort(), [`pod11 ${NODE_IP}`, `pod12 ${NODE_IP}`], 'load-balancer IP: a client in the ranges is served');
    const podInRange = await who(client, 'http://192.168.60.20/', 4);
    t.ok(
      [...podInRange.keys()].every((k) => k.startsWith('pod1')),
      'and a pod in the ranges',
    );
    t.same(
      await who(stranger, 'http://192.168.60.20/', 1, 1500),
      new Map([['error:timed out', 1]]),
      'a client outside the ranges gets no answer',
    );
    t.notOk(
      (await flowLines(sb)).some((l) => l.includes('192.168.60.30')),
      'the ipMode Proxy address is not captured',
    );
  });

  await t.test('Local service: pods reaching its load-balancer IP use every endpoint', async (t) => {
    source.upsertService({
      ...(service('lbl', {
        type: 'LoadBalancer',
        clusterIP: '10.96.1.13',
        externalTrafficPolicy: 'Local',
        healthCheckNodePort: HC_PORT + 1,
        ports: ports(30110),
      }) as object),
      status: { loadBalancer: { ingress: [{ ip: '192.168.60.40' }] } },
    });
    source.upsertEndpointSlice(
      endpoints('lbl', [
        { pod: p11!, node: NODE },
        { pod: p12!, node: 'node-b' },
      ]),
    );
    await settle();
    const fromOutside = await who(outside, 'http://192.168.60.40/', 10);
    t.same([...fromOutside], [['pod11 192.168.50.2', 10]], 'from outside: the local endpoint, client address kept');
    const fromPod = await who(client, 'http://192.168.60.40/', 20);
    t.same([...fromPod.keys()].sort(), ['pod11 10.244.0.2', 'pod12 10.244.0.2'], 'from a pod: every endpoint, no SNAT');
  });

  await t.test("PreferClose with hints: only the zone's endpoints; a hint missing on one endpoint: all", async (t) => {
    proxy.setNode({ nodeIPs: [NODE_IP], nodePortAddresses: [NODE_IP], zone: 'zone-a' });
    const hinted = (hints: (string | undefined)[]) =>
      source.upsertEndpointSlice({
        ...(slice('near', 'near-1', [{ name: 'http', port: 8081 }], []) as object),
        endpoints: backends.map((b, i) => ({
          addresses: [b.ip],
          nodeName: NODE,
          ...(hints[i] ? { hints: { forZones: [{ name: hints[i] }] } } : {}),
        })),
      });
    source.upsertService(
      service('near', { type: 'NodePort', clusterIP: '10.96.1.14', trafficDistribution: 'PreferClose', ports: [ports(30120)[0]] }),
    );
    hinted(['zone-a', 'zone-b', 'zone-a']);
    await settle();
    const near = await who(outside, `http://${NODE_IP}:30120/`, 20);
    t.same([...near.keys()].sort(), [`pod11 ${NODE_IP}`, `pod13 ${NODE_IP}`], 'node port: the endpoints hinted for zone-a');
    const nearFromPod = await who(client, 'http://10.96.1.14/', 20);
    t.same([...nearFromPod.keys()].map((k) => k.split(' ')[0]).sort(), ['pod11', 'pod13'], 'cluster IP: the same');
    hinted(['zone-a', 'zone-b', undefined]);
    await settle();
    const all = await who(client, 'http://10.96.1.14/', 30);
    t.same([...all.keys()].map((k) => k.split(' ')[0]).sort(), ['pod11', 'pod12', 'pod13'], 'one endpoint without a hint: every endpoint');
  });

  await t.test('edited source ranges and traffic policy are applied though the endpoints stay the same', async (t) => {
    source.upsertService({
      ...(service('lb', {
        type: 'LoadBalancer',
        clusterIP: '10.96.1.12',
        externalIPs: ['192.168.60.10'],
        loadBalancerSourceRanges: ['192.168.50.3/32'],
        ports: ports(30100),
      }) as object),
      status: { loadBalancer: { ingress: [{ ip: '192.168.60.20' }] } },
    });
    await settle();
    t.same(
      await who(outside, 'http://192.168.60.20/', 1, 1500),
      new Map([['error:timed out', 1]]),
      'the client no longer in the ranges gets no answer',
    );
    t.ok(
      [...(await who(stranger, 'http://192.168.60.20/', 4)).keys()].every((k) => k.startsWith('pod1')),
      'the one now in them is served',
    );
    const spec = (policy: string) =>
      service('all-here', { type: 'NodePort', clusterIP: '10.96.1.15', externalTrafficPolicy: policy, ports: ports(30130) });
    source.upsertService(spec('Cluster'));
    source.upsertEndpointSlice(
      endpoints('all-here', [
        { pod: p11!, node: NODE },
        { pod: p12!, node: NODE },
      ]),
    );
    await settle();
    t.ok(
      [...(await who(outside, `http://${NODE_IP}:30130/`, 4)).keys()].every((k) => k.endsWith(NODE_IP)),
      'Cluster: SNATed',
    );
    source.upsertService(spec('Local'));
    await settle();
    t.ok(
      [...(await who(outside, `http://${NODE_IP}:30130/`, 4)).keys()].every((k) => k.endsWith('192.168.50.2')),
      'Local, same endpoints: the client address kept',
    );
  });

  await t.test('a restarted proxy reads the north-south flows back and sends nothing', async (t) => {
    await running.stop();
    const again = await startProxy(t, sb, source, {
      nodeName: NODE,
      nodeIPs: [NODE_IP],
      nodePortAddresses: [NODE_IP],
      clusterCidrs: ['10.244.0.0/16'],
      zone: 'zone-a',
    });
    t.comment(JSON.stringify(again.syncs));
    t.equal(
      again.syncs.reduce((n, s) => n + s.messages, 0),
      0,
      'no flow or group rewritten',
    );
    const counts = await who(outside, `http://${NODE_IP}:30080/`, 6);
    t.ok(
      [...counts.keys()].every((k) => k.endsWith(NODE_IP)),
      'and node ports still serve',
    );
  });
});
