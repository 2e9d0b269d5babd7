/**
 * External frontends: the service ports the model makes of NodePorts, external IPs and
 * load-balancer IPs (by traffic policy), their compiled flows as ovs-ofctl prints them, the CIDR
 * and node-address helpers, and the health checks the model reports.
 */
import t from 'tap';
import { serviceFromObject, sliceFromObject, type EndpointSlice, type Service } from '../../../lib/sources/index.js';
import { compilePort } from '../../../lib/proxy/compile.js';
import { keyed } from '../../../lib/proxy/entries.js';
import { hex, sameAsOvs } from '../../helpers/compiled-entries.js';
import { ServiceModel, type ModelOptions, type ServicePortState } from '../../../lib/proxy/model.js';
import { resolveOptions } from '../../../lib/proxy/options.js';
import { compilePortKeyed } from '../../../lib/proxy/wire.js';
import { cidrContains, parseCidr } from '../../../lib/proxy/cidr.js';
import { hostAddresses, nodePortAddresses, parseNodePortAddresses, primaryPerFamily } from '../../../lib/proxy/node-addresses.js';
import { service, slice } from '../../helpers/cluster.js';

const O = resolveOptions();
const NODE = 'node-a';
const NODE_IP = '192.168.50.1';

const svc = (name: string, spec: Record<string, unknown>, status?: Record<string, unknown>): Service =>
  serviceFromObject({ ...(service(name, spec) as object), ...(status ? { status } : {}) });
const eps = (name: string, list: { ip: string; node: string }[]): EndpointSlice =>
  sliceFromObject(
    slice(
      name,
      `${name}-1`,
      [{ port: 8080 }],
      list.map((e) => ({ ip: e.ip, nodeName: e.node })),
    ),
  );

function ports(services: Service[], slices: EndpointSlice[], opts: ModelOptions = {}): ServicePortState[] {
  const m = new ServiceModel({ nodeName: NODE, nodeIPs: [NODE_IP], nodePortAddresses: [NODE_IP], ...opts });
  m.reset(services, slices);
  return services.flatMap((s) => m.portsOf(`default/${s.name}`));
}

const summary = (p: ServicePortState) =>
  `${p.frontend ?? 'clusterIP'} ${p.key} ${p.mode} [${p.endpoints.map((e) => e.ip).join(' ')}]${p.snat ? ` snat=${p.snat}` : ''}${p.fromCidrs ? ` from=${p.fromCidrs.join(',')}` : ''}${p.sourceRanges ? ` ranges=${p.sourceRanges.join(',')}` : ''}`;

const two = [
  { ip: '10.244.0.11', node: NODE },
  { ip: '10.244.0.12', node: 'node-b' },
];
const np = { type: 'NodePort', clusterIP: '10.96.0.10', ports: [{ port: 80, protocol: 'TCP', targetPort: 8080, nodePort: 30080 }] };

t.test('NodePort, externalTrafficPolicy Cluster: every node address, every endpoint, SNAT to the address', async (t) => {
  t.same(ports([svc('web', np)], [eps('web', two)]).map(summary), [
    'clusterIP IPv4|TCP|10.96.0.10|80 serve [10.244.0.11 10.244.0.12]',
    'nodePort IPv4|TCP|192.168.50.1|30080 serve [10.244.0.11 10.244.0.12] snat=192.168.50.1',
  ]);
  const multi = ports([svc('web', np)], [eps('web', two)], { nodePortAddresses: [NODE_IP, '192.168.51.1'] });
  t.same(
    multi.map((p) => p.snat),
    [undefined, NODE_IP, '192.168.51.1'],
    'each node address SNATs to itself',
  );
});

t.test('dual-stack NodePort: one frontend per family and node address, SNAT within the family', async (t) => {
  const spec = { ...np, clusterIPs: ['10.96.0.10', 'fd00:96::10'], ipFamilies: ['IPv4', 'IPv6'] };
  const v6 = sliceFromObject(slice('web', 'web-6', [{ port: 8080 }], [{ ip: 'fd00:10:244::11', nodeName: NODE }], 'IPv6'));
  t.same(
    ports([svc('web', spec)], [eps('web', two), v6], { nodeIPs: [NODE_IP, 'fd00:50::1'], nodePortAddresses: [NODE_IP, 'fd00:50::1'] }).map(
      summary,
    ),
    [
      'clusterIP IPv4|TCP|10.96.0.10|80 serve [10.244.0.11 10.244.0.12]',
      'nodePort IPv4|TCP|192.168.50.1|30080 serve [10.244.0.11 10.244.0.12] snat=192.168.50.1',
      'clusterIP IPv6|TCP|fd00:96::10|80 serve [fd00:10:244::11]',
      'nodePort IPv6|TCP|fd00:50::1|30080 serve [fd00:10:244::11] snat=fd00:50::1',
    ],
  );
  const p6 = ports([svc('web', spec)], [v6], { nodeIPs: ['fd00:50::1'], nodePortAddresses: ['fd00:50::1'] }).find(
    (p) => p.frontend === 'nodePort',
  )!;
  const c = compilePort(O, p6, 3);
  sameAsOvs(
    t,
    c.own.filter((e) => e.kind === 'flow' && e.table === 15),
    [
      'cookie=0x0f77600000000003,table=15,priority=150,ct_state=-rpl-inv+trk,ct_ipv6_dst=fd00:50::1,ct_nw_proto=6,ct_tp_dst=30080,ipv6,actions=ct(commit,table=20,zone=65525,nat(src=fd00:50::1))',
    ],
  );
  sameAsOvs(
    t,
    c.shared.filter((e) => e.table === 10),
    ['cookie=0x0f77000000000000,table=10,priority=110,ct_state=-trk,ipv6,ipv6_dst=fd00:50::1,actions=ct(table=10,zone=65525,nat)'],
  );
});

t.test('externalTrafficPolicy Local: local endpoints; drop without one; reject without any; pods use every endpoint', async (t) => {
  const spec = {
    ...np,
    type: 'LoadBalancer',
    externalTrafficPolicy: 'Local',
    healthCheckNodePort: 32000,
    externalIPs: ['192.168.60.10'],
  };
  const status = {
    loadBalancer: { ingress: [{ ip: '192.168.60.20' }, { ip: '192.168.60.30', ipMode: 'Proxy' }, { hostname: 'lb.example' }] },
  };
  t.same(ports([svc('web', spec, status)], [eps('web', two)], { clusterCidrs: ['10.244.0.0/16', 'fd00:10:244::/64'] }).map(summary), [
    'clusterIP IPv4|TCP|10.96.0.10|80 serve [10.244.0.11 10.244.0.12]',
    'nodePort IPv4|TCP|192.168.50.1|30080 serve [10.244.0.11]',
    'nodePort IPv4|TCP|192.168.50.1|30080|pods serve [10.244.0.11 10.244.0.12] from=10.244.0.0/16',
    'externalIP IPv4|TCP|192.168.60.10|80 serve [10.244.0.11]',
    'externalIP IPv4|TCP|192.168.60.10|80|pods serve [10.244.0.11 10.244.0.12] from=10.244.0.0/16',
    'loadBalancer IPv4|TCP|192.168.60.20|80 serve [10.244.0.11]',
    'loadBalancer IPv4|TCP|192.168.60.20|80|pods serve [10.244.0.11 10.244.0.12] from=10.244.0.0/16',
  ]);
  const remote = ports([svc('web', spec, status)], [eps('web', [two[1]!])]);
  t.same(
    remote.filter((p) => p.frontend).map((p) => p.mode),
    ['drop', 'drop', 'drop'],
    'endpoints elsewhere only: dropped',
  );
  const none = ports([svc('web', spec, status)], []);
  t.same(
    none.map((p) => p.mode),
    ['reject', 'reject', 'reject', 'reject'],
    'no endpoint anywhere: refused',
  );
});

t.test('allocateLoadBalancerNodePorts false, types without node ports, ClusterIP with external IPs', async (t) => {
  const noNodePort = {
    type: 'LoadBalancer',
    clusterIP: '10.96.0.10',
    allocateLoadBalancerNodePorts: false,
    ports: [{ port: 80, protocol: 'TCP' }],
  };
  t.same(
    ports([svc('web', noNodePort, { loadBalancer: { ingress: [{ ip: '192.168.60.20' }] } })], [eps('web', two)]).map(
      (p) => p.frontend ?? 'clusterIP',
    ),
    ['clusterIP', 'loadBalancer'],
  );
  const clusterIP = { clusterIP: '10.96.0.10', externalIPs: ['192.168.60.10'], ports: [{ port: 80, protocol: 'TCP', nodePort: 30080 }] };
  t.same(
    ports([svc('web', clusterIP, { loadBalancer: { ingress: [{ ip: '192.168.60.20' }] } })], [eps('web', two)]).map(
      (p) => `${p.frontend ?? 'clusterIP'} ${p.vip}:${p.port}`,
    ),
    ['clusterIP 10.96.0.10:80', 'externalIP 192.168.60.10:80'],
    'a ClusterIP service: no node port, no load-balancer address, but its external IPs',
  );
});

t.test('warnings: no node address; no address to SNAT to; Local without the node name', async (t) => {
  const warnings: string[] = [];
  const warn = (s: string, m: string) => warnings.push(`${s}: ${m}`);
  const m = new ServiceModel({ warn });
  m.reset([svc('web', { ...np, externalIPs: ['192.168.60.10'], externalTrafficPolicy: 'Local' })], [eps('web', two)]);
  const p = m.portsOf('default/web');
  t.same(
    p.map((x) => x.frontend ?? 'clusterIP'),
    ['clusterIP'],
    'nothing external can be served',
  );
  t.same(warnings, [
    ': no node address (--node-ip, --nodeport-addresses or the Node object): node ports are not served',
    'default/web: externalTrafficPolicy Local needs the node name; serving it as Cluster',
    'default/web: no IPv4 node address to SNAT external connections to (--node-ip); its external IPv4 addresses are not served',
  ]);
});

t.test('source ranges per family; topology from the zone; setNode', async (t) => {
  const spec = { ...np, type: 'LoadBalancer', loadBalancerSourceRanges: ['192.168.50.2/32', ' 10.0.0.0/8 ', '2001:db8::/32'] };
  const status = { loadBalancer: { ingress: [{ ip: '192.168.60.20' }] } };
  const lb = ports([svc('web', spec, status)], [eps('web', two)]).find((p) => p.frontend === 'loadBalancer')!;
  t.same(lb.sourceRanges, ['192.168.50.2/32', '10.0.0.0/8']);
  const v6only = ports([svc('web', { ...spec, loadBalancerSourceRanges: ['2001:db8::/32'] }, status)], [eps('web', two)]).find(
    (p) => p.frontend === 'loadBalancer',
  )!;
  t.same(v6only.sourceRanges, [], 'ranges of the other family only: nobody of this family');

  const hinted = sliceFromObject({
    ...(slice('web', 'web-1', [{ port: 8080 }], []) as object),
    endpoints: [
      { addresses: ['10.244.0.11'], nodeName: NODE, hints: { forZones: [{ name: 'zone-a' }] } },
      { addresses: ['10.244.0.12'], nodeName: 'node-b', hints: { forZones: [{ name: 'zone-b' }] } },
    ],
  });
  const m = new ServiceModel({ nodeName: NODE });
  m.reset([svc('web', { clusterIP: '10.96.0.10', trafficDistribution: 'PreferClose', ports: [{ port: 80, protocol: 'TCP' }] })], [hinted]);
  t.same(
    m.portsOf('default/web')[0]!.endpoints.map((e) => e.ip),
    ['10.244.0.11', '10.244.0.12'],
    'no zone known: every endpoint',
  );
  m.setNode({ zone: 'zone-b', nodeIPs: [NODE_IP] });
  t.same(
    m.portsOf('default/web')[0]!.endpoints.map((e) => e.ip),
    ['10.244.0.12'],
    "the zone's endpoints once the zone is known",
  );
  m.setNode({});
  t.same(m.portsOf('default/web')[0]!.endpoints.length, 2, 'and all again without it');
});

t.test('health checks: Local load balancers with a health-check node port', async (t) => {
  const m = new ServiceModel({ nodeName: NODE });
  const spec = { ...np, type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 32000 };
  m.reset(
    [svc('web', spec), svc('cluster', { ...spec, externalTrafficPolicy: 'Cluster' }), svc('other', spec)],
    [eps('web', [...two, { ip: '10.244.0.13', node: NODE }])],
  );
  t.same(m.healthCheckOf('default/web'), { port: 32000, namespace: 'default', name: 'web', localEndpoints: 2 });
  t.same(m.healthCheckOf('default/other'), { port: 32000, namespace: 'default', name: 'other', localEndpoints: 0 });
  t.equal(m.healthCheckOf('default/cluster'), undefined, 'Cluster policy: none');
  t.equal(m.healthCheckOf('default/gone'), undefined);
  const labelled = new ServiceModel({ nodeName: NODE, proxyName: 'mine' });
  labelled.reset([svc('web', spec)], []);
  t.equal(labelled.healthCheckOf('default/web'), undefined, 'a service another proxy serves: none');
});

t.test('compiled flows of external frontends, as ovs-vswitchd prints them back', async (t) => {
  const spec = {
    ...np,
    type: 'LoadBalancer',
    loadBalancerSourceRanges: ['192.168.50.2/32', '10.244.0.0/16'],
    externalTrafficPolicy: 'Local',
  };
  const status = { loadBalancer: { ingress: [{ ip: '192.168.60.20' }] } };
  const all = ports([svc('web', { ...spec, externalTrafficPolicy: 'Cluster' }, status)], [eps('web', two)]);
  const node = all.find((p) => p.frontend === 'nodePort')!;
  const c = compilePort(O, node, 7);
  t.equal(c.shape, 'group');
  sameAsOvs(
    t,
    c.own.filter((e) => e.kind === 'flow'),
    [
      'cookie=0x0f77100000000007,table=11,priority=100,ct_state=+new+trk,tcp,nw_dst=192.168.50.1,tp_dst=30080,actions=group:2130706439',
      'cookie=0x0f77600000000007,table=15,priority=150,ct_state=-rpl-inv+trk,ct_nw_dst=192.168.50.1,ct_nw_proto=6,ct_tp_dst=30080,ip,actions=ct(commit,table=20,zone=65524,nat(src=192.168.50.1))',
    ],
  );
  sameAsOvs(
    t,
    c.shared.filter((e) => e.table === 10),
    ['cookie=0x0f77000000000000,table=10,priority=110,ct_state=-trk,ip,nw_dst=192.168.50.1,actions=ct(table=10,zone=65524,nat)'],
  );
  const lb = all.find((p) => p.frontend === 'loadBalancer')!;
  sameAsOvs(
    t,
    compilePort(O, lb, 8).own.filter((e) => e.kind === 'flow' && e.table === 10),
    [
      'cookie=0x0f77600000000008,table=10,priority=105,tcp,nw_src=192.168.50.2,nw_dst=192.168.60.20,tp_dst=80,actions=ct(table=11,zone=65520,nat)',
      'cookie=0x0f77600000000008,table=10,priority=105,tcp,nw_src=10.244.0.0/16,nw_dst=192.168.60.20,tp_dst=80,actions=ct(table=11,zone=65520,nat)',
      'cookie=0x0f77600000000008,table=10,priority=104,tcp,nw_dst=192.168.60.20,tp_dst=80,actions=drop',
    ],
  );
  const local = ports([svc('web', spec, status)], [eps('web', two)], { clusterCidrs: ['10.244.0.0/16'] });
  const pods = local.find((p) => p.fromCidrs && p.frontend === 'nodePort')!;
  sameAsOvs(
    t,
    compilePort(O, pods, 9).own.filter((e) => e.kind === 'flow'),
    [
      'cookie=0x0f77100000000009,table=11,priority=110,ct_state=+new+trk,tcp,nw_src=10.244.0.0/16,nw_dst=192.168.50.1,tp_dst=30080,actions=group:2130706441',
    ],
  );
  const dropped = { ...local.find((p) => p.frontend === 'loadBalancer' && !p.fromCidrs)!, mode: 'drop' as const, endpoints: [] };
  t.equal(compilePort(O, dropped, 10).own.length, 4, 'a dropping load-balancer frontend keeps its source ranges');
  for (const p of [...all, ...local]) {
    const objects = compilePort(O, p, 11);
    const bytes = compilePortKeyed(O, p, 11);
    t.same(
      bytes.own.map((k) => hex(k.key + k.body)),
      objects.own.map(keyed).map((k) => hex(k.key + k.body)),
      `${p.key}: the byte path gives the object compiler's bytes`,
    );
  }
});

t.test('CIDRs and node addresses', async (t) => {
  t.same(parseCidr('10.1.2.3/16'), { family: 'IPv4', network: '10.1.0.0', prefix: 16, mask: '255.255.0.0' });
  t.same(parseCidr('10.1.2.3'), { family: 'IPv4', network: '10.1.2.3', prefix: 32, mask: undefined });
  t.same(parseCidr('0.0.0.0/0'), { family: 'IPv4', network: '0.0.0.0', prefix: 0, mask: '0.0.0.0' });
  t.same(parseCidr('2001:db8:1::5/36'), { family: 'IPv6', network: '2001:db8::', prefix: 36, mask: 'ffff:ffff:f000::' });
  t.same(parseCidr('fd00::1'), { family: 'IPv6', network: 'fd00::1', prefix: 128, mask: undefined });
  t.same(parseCidr('1:2:3:4:5:6:7:8/128')?.network, '1:2:3:4:5:6:7:8');
  for (const bad of ['10.0.0.0/33', 'x/8', '10.0.0.0/a', '::/129']) t.equal(parseCidr(bad), undefined, bad);
  t.ok(cidrContains(parseCidr('192.168.0.0/16')!, '192.168.5.5'));
  t.notOk(cidrContains(parseCidr('192.168.0.0/16')!, '10.0.0.1'));
  t.notOk(cidrContains(parseCidr('192.168.0.0/16')!, 'fd00::1'));

  t.equal(parseNodePortAddresses('primary'), 'primary');
  t.equal(parseNodePortAddresses(''), 'primary');
  t.throws(() => parseNodePortAddresses('10.0.0.0/8,10.1.1.1'), /^--nodeport-addresses: "10.1.1.1" is not a CIDR/);
  const spec = parseNodePortAddresses('192.168.0.0/16, fd00::/8');
  t.same(nodePortAddresses(spec, ['192.168.1.1'], ['10.0.0.1', '192.168.2.2', 'fd00::2', '192.168.1.1']), [
    '192.168.1.1',
    '192.168.2.2',
    'fd00::2',
  ]);
  t.same(nodePortAddresses('primary', ['192.168.1.1', '192.168.1.2', 'fd00::1'], ['10.0.0.1']), ['192.168.1.1', 'fd00::1']);
  t.same(primaryPerFamily(['fd00::1']), ['fd00::1']);
  t.ok(
    hostAddresses().every((a) => a !== '127.0.0.1'),
    'host addresses leave out loopback',
  );
});
