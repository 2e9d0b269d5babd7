/** kube-proxy's CategorizeEndpoints cases (pkg/proxy/topology_test.go), on the proxy's pure version. */
import t from 'tap';
import { canUseTopology, categorizeEndpoints, type TopologyEndpoint, type TopologyService } from '../../../lib/proxy/topology.js';

interface Ep extends TopologyEndpoint {
  ip: string;
}

const ep = (ip: string, o: Partial<Ep> = {}): Ep => ({ ip, ready: true, serving: true, terminating: false, local: false, ...o });
const ips = (list: Ep[]) => list.map((e) => e.ip).sort();
const cluster: TopologyService = { usesCluster: true, usesLocal: false };
const auto: TopologyService = { ...cluster, topologyMode: 'Auto' };

const cases: { name: string; svc: TopologyService; zone?: string; eps: Ep[]; cluster?: string[]; local?: string[]; hasAny?: boolean }[] = [
  {
    name: 'hints enabled, hints annotation == auto',
    svc: { ...cluster, topologyMode: 'auto' },
    zone: 'zone-a',
    eps: [
      ep('10.1.2.3', { zoneHints: ['zone-a'] }),
      ep('10.1.2.4', { zoneHints: ['zone-b'] }),
      ep('10.1.2.5', { zoneHints: ['zone-c'] }),
      ep('10.1.2.6', { zoneHints: ['zone-a'] }),
    ],
    cluster: ['10.1.2.3', '10.1.2.6'],
  },
  {
    name: 'hints, hints annotation == disabled, hints ignored',
    svc: { ...cluster, topologyMode: 'disabled' },
    zone: 'zone-a',
    eps: [ep('10.1.2.3', { zoneHints: ['zone-a'] }), ep('10.1.2.4', { zoneHints: ['zone-b'] })],
    cluster: ['10.1.2.3', '10.1.2.4'],
  },
  {
    name: 'hints disabled, hints annotation == aUto (wrong capitalization), hints ignored',
    svc: { ...cluster, topologyMode: 'aUto' },
    zone: 'zone-a',
    eps: [ep('10.1.2.3', { zoneHints: ['zone-a'] }), ep('10.1.2.4', { zoneHints: ['zone-b'] })],
    cluster: ['10.1.2.3', '10.1.2.4'],
  },
  {
    name: 'hints, hints annotation empty, hints ignored',
    svc: cluster,
    zone: 'zone-a',
    eps: [ep('10.1.2.3', { zoneHints: ['zone-a'] }), ep('10.1.2.4', { zoneHints: ['zone-b'] })],
    cluster: ['10.1.2.3', '10.1.2.4'],
  },
  {
    name: 'trafficDistribution PreferClose uses hints without the annotation',
    svc: { ...cluster, trafficDistribution: 'PreferClose' },
    zone: 'zone-a',
    eps: [ep('10.1.2.3', { zoneHints: ['zone-a'] }), ep('10.1.2.4', { zoneHints: ['zone-b'] })],
    cluster: ['10.1.2.3'],
  },
  {
    name: 'trafficDistribution set overrides a Disabled annotation',
    svc: { ...cluster, trafficDistribution: 'PreferClose', topologyMode: 'Disabled' },
    zone: 'zone-a',
    eps: [ep('10.1.2.3', { zoneHints: ['zone-a'] }), ep('10.1.2.4', { zoneHints: ['zone-b'] })],
    cluster: ['10.1.2.3'],
  },
  {
    name: 'node missing zone label, hints ignored',
    svc: auto,
    eps: [ep('10.1.2.3', { zoneHints: ['zone-a'] }), ep('10.1.2.4', { zoneHints: ['zone-b'] })],
    cluster: ['10.1.2.3', '10.1.2.4'],
  },
  {
    name: 'node with an empty zone label, hints ignored',
    svc: auto,
    zone: '',
    eps: [ep('10.1.2.3', { zoneHints: ['zone-a'] }), ep('10.1.2.4', { zoneHints: ['zone-b'] })],
    cluster: ['10.1.2.3', '10.1.2.4'],
  },
  {
    name: 'missing hints, hints ignored',
    svc: auto,
    zone: 'zone-a',
    eps: [
      ep('10.1.2.3', { zoneHints: ['zone-a'] }),
      ep('10.1.2.4', { zoneHints: ['zone-b'] }),
      ep('10.1.2.5'),
      ep('10.1.2.6', { zoneHints: ['zone-a'] }),
    ],
    cluster: ['10.1.2.3', '10.1.2.4', '10.1.2.5', '10.1.2.6'],
  },
  {
    name: 'missing hints on an unready endpoint does not matter',
    svc: auto,
    zone: 'zone-a',
    eps: [
      ep('10.1.2.3', { zoneHints: ['zone-a'] }),
      ep('10.1.2.4', { zoneHints: ['zone-b'] }),
      ep('10.1.2.5', { ready: false, serving: false }),
      ep('10.1.2.6', { zoneHints: ['zone-a'] }),
    ],
    cluster: ['10.1.2.3', '10.1.2.6'],
  },
  {
    name: 'no hints for the node zone: all endpoints',
    svc: auto,
    zone: 'zone-d',
    eps: [ep('10.1.2.3', { zoneHints: ['zone-a'] }), ep('10.1.2.4', { zoneHints: ['zone-b'] })],
    cluster: ['10.1.2.3', '10.1.2.4'],
  },
  {
    name: 'multiple hints per endpoint',
    svc: auto,
    zone: 'zone-c',
    eps: [
      ep('10.1.2.3', { zoneHints: ['zone-a', 'zone-b'] }),
      ep('10.1.2.4', { zoneHints: ['zone-b', 'zone-c'] }),
      ep('10.1.2.5', { zoneHints: ['zone-b', 'zone-d'] }),
      ep('10.1.2.6', { zoneHints: ['zone-c'] }),
    ],
    cluster: ['10.1.2.4', '10.1.2.6'],
  },
  {
    name: 'no ready endpoint: the serving-and-terminating ones (hints given up)',
    svc: auto,
    zone: 'zone-a',
    eps: [
      ep('10.1.2.3', { ready: false, terminating: true, zoneHints: ['zone-b'] }),
      ep('10.1.2.4', { ready: false, serving: false, terminating: true }),
    ],
    cluster: ['10.1.2.3'],
  },
  {
    name: 'Local policy: only local ready endpoints',
    svc: { usesCluster: false, usesLocal: true },
    eps: [
      ep('10.0.0.0', { local: true }),
      ep('10.0.0.1', { local: true }),
      ep('10.0.0.2'),
      ep('10.0.0.3', { local: true, ready: false, serving: false }),
    ],
    cluster: [],
    local: ['10.0.0.0', '10.0.0.1'],
  },
  {
    name: 'Local policy: local serving-and-terminating ones when none is ready here',
    svc: { usesCluster: false, usesLocal: true },
    eps: [
      ep('10.0.0.0', { local: true, ready: false, terminating: true }),
      ep('10.0.0.1', { local: true, ready: false, serving: false, terminating: true }),
      ep('10.0.0.2'),
    ],
    local: ['10.0.0.0'],
  },
  {
    name: 'Local policy, no local endpoint: none, though the service has endpoints',
    svc: { usesCluster: false, usesLocal: true },
    eps: [ep('10.0.0.2'), ep('10.0.0.3')],
    local: [],
    hasAny: true,
  },
  {
    name: 'both policies in use: cluster and local sets',
    svc: { usesCluster: true, usesLocal: true },
    eps: [ep('10.0.0.0', { local: true }), ep('10.0.0.1')],
    cluster: ['10.0.0.0', '10.0.0.1'],
    local: ['10.0.0.0'],
  },
  {
    name: 'no usable endpoint anywhere',
    svc: { usesCluster: true, usesLocal: true },
    eps: [ep('10.0.0.0', { ready: false, serving: false })],
    cluster: [],
    local: [],
    hasAny: false,
  },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    const r = categorizeEndpoints(c.eps, c.svc, c.zone);
    if (c.cluster) t.same(ips(r.cluster), c.cluster, 'cluster endpoints');
    if (c.local) t.same(ips(r.local), c.local, 'local endpoints');
    if (c.hasAny !== undefined) t.equal(r.hasAny, c.hasAny, 'has any endpoint');
  });
}

t.test('canUseTopology needs a hint for this zone on some ready endpoint', async (t) => {
  t.notOk(canUseTopology([], auto, 'zone-a'), 'no endpoints');
  t.ok(canUseTopology([ep('1.1.1.1', { zoneHints: ['zone-a'] })], auto, 'zone-a'));
});
