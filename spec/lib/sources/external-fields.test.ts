/** The north-south fields of Services, zone hints of EndpointSlices, and the Node object. */
import t from 'tap';
import { nodeFromObject, serviceFromObject, sliceFromObject } from '../../../lib/sources/convert.js';

const lb = (spec: Record<string, unknown>, status?: Record<string, unknown>, annotations?: Record<string, string>) => ({
  metadata: { name: 'web', namespace: 'ns', ...(annotations ? { annotations } : {}) },
  spec: { type: 'LoadBalancer', clusterIP: '10.96.0.10', ports: [{ port: 80, nodePort: 30080 }], ...spec },
  ...(status ? { status } : {}),
});

t.test('a LoadBalancer with every north-south field', async (t) => {
  const s = serviceFromObject(
    lb(
      {
        externalIPs: ['192.168.60.10', 'fd00::10'],
        externalTrafficPolicy: 'Local',
        healthCheckNodePort: 32000,
        loadBalancerSourceRanges: ['192.168.50.0/24', ' 10.0.0.0/8'],
        trafficDistribution: 'PreferClose',
      },
      {
        loadBalancer: {
          ingress: [
            { ip: '192.168.60.20' },
            { ip: '192.168.60.30', ipMode: 'Proxy' },
            { hostname: 'lb.example' },
            { ip: '192.168.60.40', ipMode: 'VIP' },
          ],
        },
      },
      { 'service.kubernetes.io/topology-mode': 'Auto' },
    ),
  );
  t.same(s.ports, [{ name: '', protocol: 'TCP', port: 80, nodePort: 30080 }]);
  t.same(s.externalIPs, ['192.168.60.10', 'fd00::10']);
  t.same(s.loadBalancerIPs, ['192.168.60.20', '192.168.60.40'], 'ipMode Proxy and hostnames left out');
  t.equal(s.externalTrafficPolicy, 'Local');
  t.equal(s.healthCheckNodePort, 32000);
  t.same(s.loadBalancerSourceRanges, ['192.168.50.0/24', '10.0.0.0/8']);
  t.equal(s.trafficDistribution, 'PreferClose');
  t.equal(s.topologyMode, 'Auto');
});

t.test('defaults leave the fields out; the older topology annotation; ingress of a non-LoadBalancer', async (t) => {
  const s = serviceFromObject(
    lb({ externalTrafficPolicy: 'Cluster', healthCheckNodePort: 0, ports: [{ port: 80, nodePort: 0 }] }, undefined, {
      'service.kubernetes.io/topology-aware-hints': 'auto',
    }),
  );
  for (const k of [
    'externalIPs',
    'loadBalancerIPs',
    'externalTrafficPolicy',
    'healthCheckNodePort',
    'loadBalancerSourceRanges',
    'trafficDistribution',
  ] as const)
    t.equal(s[k], undefined, k);
  t.equal(s.ports[0]!.nodePort, undefined);
  t.equal(s.topologyMode, 'auto');
  const np = serviceFromObject({ ...lb({ type: 'NodePort' }, { loadBalancer: { ingress: [{ ip: '192.168.60.20' }] } }) });
  t.equal(np.loadBalancerIPs, undefined, 'only LoadBalancer services have load-balancer IPs');
});

t.test('bad north-south fields are named', async (t) => {
  const cases: Array<[unknown, string]> = [
    [lb({ externalIPs: ['x'] }), 'Service ns/web: spec.externalIPs[0]: must be an IP address'],
    [lb({ ports: [{ port: 80, nodePort: 70000 }] }), 'Service ns/web: spec.ports[0].nodePort: must be 1-65535'],
    [lb({ externalTrafficPolicy: 'Nearby' }), 'Service ns/web: spec.externalTrafficPolicy: must be one of Cluster, Local'],
    [lb({ healthCheckNodePort: 'a' }), 'Service ns/web: spec.healthCheckNodePort: must be 1-65535'],
    [
      lb({ loadBalancerSourceRanges: ['10.0.0.0/40'] }),
      'Service ns/web: spec.loadBalancerSourceRanges[0]: must be a CIDR, e.g. 203.0.113.0/24',
    ],
    [lb({ loadBalancerSourceRanges: [7] }), 'Service ns/web: spec.loadBalancerSourceRanges[0]: must be a CIDR, e.g. 203.0.113.0/24'],
    [lb({ loadBalancerSourceRanges: ['x/8'] }), 'Service ns/web: spec.loadBalancerSourceRanges[0]: must be a CIDR, e.g. 203.0.113.0/24'],
    [
      lb({ loadBalancerSourceRanges: ['10.0.0.0/a'] }),
      'Service ns/web: spec.loadBalancerSourceRanges[0]: must be a CIDR, e.g. 203.0.113.0/24',
    ],
    [lb({}, { loadBalancer: { ingress: [{ ip: 'x' }] } }), 'Service ns/web: status.loadBalancer.ingress[0].ip: must be an IP address'],
    [
      lb({}, { loadBalancer: { ingress: [{ ip: '1.1.1.1', ipMode: 'Maybe' }] } }),
      'Service ns/web: status.loadBalancer.ingress[0].ipMode: must be one of VIP, Proxy',
    ],
  ];
  for (const [obj, message] of cases) t.throws(() => serviceFromObject(obj), { message }, message);
  t.same(
    serviceFromObject(lb({ loadBalancerSourceRanges: ['10.1.1.1', 'fd00::/8'] })).loadBalancerSourceRanges,
    ['10.1.1.1', 'fd00::/8'],
    'bare addresses and IPv6 ranges',
  );
});

t.test('zone hints of endpoints', async (t) => {
  const s = sliceFromObject({
    metadata: { name: 's', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    endpoints: [
      { addresses: ['10.0.0.1'], hints: { forZones: [{ name: 'a' }, { name: 'b' }] } },
      { addresses: ['10.0.0.2'], hints: {} },
    ],
  });
  t.same(
    s.endpoints.map((e) => e.zoneHints),
    [['a', 'b'], undefined],
  );
  t.throws(
    () =>
      sliceFromObject({
        metadata: { name: 's' },
        addressType: 'IPv4',
        endpoints: [{ addresses: ['10.0.0.1'], hints: { forZones: [{}] } }],
      }),
    { message: 'EndpointSlice default/s: endpoints[0].hints.forZones[0].name: required' },
  );
});

t.test('the Node object: InternalIPs in order, zone', async (t) => {
  t.same(
    nodeFromObject({
      metadata: { name: 'n1', labels: { 'topology.kubernetes.io/zone': 'zone-a' } },
      status: {
        addresses: [
          { type: 'Hostname', address: 'n1' },
          { type: 'InternalIP', address: '192.168.50.1' },
          { type: 'ExternalIP', address: '203.0.113.1' },
          { type: 'InternalIP', address: 'fd00::1' },
          { type: 'InternalIP', address: 'bad' },
        ],
      },
    }),
    { name: 'n1', internalIPs: ['192.168.50.1', 'fd00::1'], zone: 'zone-a' },
  );
  t.same(nodeFromObject({ metadata: { name: 'n2' } }), { name: 'n2', internalIPs: [] });
  t.throws(() => nodeFromObject('x'), { message: 'Node (unnamed): must be an object' });
  t.throws(() => nodeFromObject({ metadata: {} }), { message: 'Node (unnamed): metadata.name: required' });
  t.throws(() => nodeFromObject({ metadata: { name: 'n' }, status: { addresses: [7] } }), {
    message: 'Node n: status.addresses[0]: must be an object',
  });
});
