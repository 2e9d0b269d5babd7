/** The service model: which endpoints each service port uses, by kube-proxy's rules. */
import t from 'tap';
import { serviceFromObject, sliceFromObject } from '../../../lib/sources/index.js';
import type { EndpointSlice, Service } from '../../../lib/sources/index.js';
import { MAX_AFFINITY_SECONDS, ServiceModel, portKey, type ModelOptions } from '../../../lib/proxy/model.js';
import { service, slice, type SliceEndpoint } from '../../helpers/cluster.js';

const svc = (name: string, spec: Record<string, unknown>, labels: Record<string, string> = {}): Service =>
  serviceFromObject(service(name, spec, 'default', labels));
const sl = (...args: Parameters<typeof slice>): EndpointSlice => sliceFromObject(slice(...args));
const tcp80 = { clusterIP: '10.96.0.10', ports: [{ port: 80, protocol: 'TCP' }] };

function model(services: Service[], slices: EndpointSlice[], opts: ModelOptions = {}): ServiceModel {
  const m = new ServiceModel(opts);
  m.reset(services, slices);
  return m;
}

const ips = (m: ServiceModel, key = 'default/web') => m.portsOf(key).map((p) => p.endpoints.map((e) => `${e.ip}:${e.port}`));

t.test("a source's snapshot maps are taken with their keys, as lists are keyed", async (t) => {
  const services = [svc('web', tcp80)];
  const slices = [sl('web', 'web-1', [{ port: 8080 }], [{ ip: '10.244.0.11' }])];
  const fromLists = model(services, slices);
  const fromMaps = new ServiceModel();
  const touched = fromMaps.reset(new Map([['default/web', services[0]!]]), new Map([['default/web-1', slices[0]!]]));
  t.same([...touched], ['default/web']);
  t.same(fromMaps.portsOf('default/web'), fromLists.portsOf('default/web'));
  t.same(ips(fromMaps), [['10.244.0.11:8080']]);
});

t.test('ready endpoints, else serving terminating ones, else reject', async (t) => {
  const run = (eps: SliceEndpoint[]) => model([svc('web', tcp80)], [sl('web', 'web-1', [{ port: 8080 }], eps)]).portsOf('default/web')[0]!;
  let p = run([
    { ip: '10.244.0.13', ready: true },
    { ip: '10.244.0.12', ready: false, serving: true, terminating: true },
    { ip: '10.244.0.11', ready: true },
    { ip: '10.244.0.14', ready: false, serving: false },
  ]);
  t.equal(p.mode, 'serve');
  t.same(
    p.endpoints,
    [
      { ip: '10.244.0.11', port: 8080, local: false },
      { ip: '10.244.0.13', port: 8080, local: false },
    ],
    'only the ready ones, sorted by address',
  );
  p = run([
    { ip: '10.244.0.12', ready: false, serving: true, terminating: true },
    { ip: '10.244.0.11', ready: false, serving: true, terminating: true },
    { ip: '10.244.0.13', ready: false, serving: false, terminating: true },
    { ip: '10.244.0.14', ready: false, serving: true, terminating: false },
  ]);
  t.same(
    p.endpoints.map((e) => e.ip),
    ['10.244.0.11', '10.244.0.12'],
    'no ready endpoint: the serving terminating ones',
  );
  p = run([{ ip: '10.244.0.13', ready: false, serving: false, terminating: true }]);
  t.equal(p.mode, 'reject', 'nothing usable: reject');
  t.same(p.endpoints, []);
  p = run([]);
  t.equal(p.mode, 'reject', 'no endpoint at all: reject');
  t.same(model([svc('web', tcp80)], []).portsOf('default/web')[0]!.mode, 'reject', 'no slice: reject');
});

t.test('service ports join slice ports by name and protocol', async (t) => {
  const m = model(
    [
      svc('web', {
        clusterIP: '10.96.0.10',
        ports: [
          { name: 'http', port: 80, protocol: 'TCP' },
          { name: 'dns', port: 53, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, protocol: 'TCP' },
          { name: 'metrics', port: 9090, protocol: 'TCP' },
        ],
      }),
    ],
    [
      sl(
        'web',
        'web-1',
        [
          { name: 'dns', port: 5353, protocol: 'UDP' },
          { name: 'http', port: 8080 },
          { name: 'dns-tcp', port: 5354 },
        ],
        [{ ip: '10.244.0.11' }],
      ),
      // A port of the same name but another protocol does not join.
      sl(
        'web',
        'web-2',
        [
          { name: 'http', port: 8081, protocol: 'UDP' },
          { name: 'metrics', port: 9091 },
        ],
        [{ ip: '10.244.0.12' }],
      ),
    ],
  );
  const ports = m.portsOf('default/web');
  t.same(
    ports.map((p) => [p.key, p.portName, p.endpoints.map((e) => `${e.ip}:${e.port}`)]),
    [
      ['IPv4|TCP|10.96.0.10|80', 'http', ['10.244.0.11:8080']],
      ['IPv4|UDP|10.96.0.10|53', 'dns', ['10.244.0.11:5353']],
      ['IPv4|TCP|10.96.0.10|53', 'dns-tcp', ['10.244.0.11:5354']],
      ['IPv4|TCP|10.96.0.10|9090', 'metrics', ['10.244.0.12:9091']],
    ],
  );
  t.equal(portKey('IPv6', 'SCTP', '::1', 9), 'IPv6|SCTP|::1|9');
});

t.test('dual stack: each cluster IP takes the endpoints of its own family', async (t) => {
  const m = model(
    [
      svc('web', {
        clusterIPs: ['10.96.0.10', 'fd00:10:96::a'],
        ipFamilies: ['IPv4', 'IPv6'],
        ipFamilyPolicy: 'RequireDualStack',
        ports: [{ port: 80, protocol: 'TCP' }],
      }),
    ],
    [
      sl('web', 'web-v4', [{ port: 8080 }], [{ ip: '10.244.0.11' }]),
      sl('web', 'web-v6', [{ port: 8080 }], [{ ip: 'fd00:10:244::11' }, { ip: 'fd00:10:244::12' }], 'IPv6'),
      sliceFromObject({
        kind: 'EndpointSlice',
        metadata: { name: 'web-fqdn', labels: { 'kubernetes.io/service-name': 'web' } },
        addressType: 'FQDN',
        ports: [{ port: 8080 }],
        endpoints: [{ addresses: ['example.com'] }],
      }),
    ],
  );
  const ports = m.portsOf('default/web');
  t.same(
    ports.map((p) => [p.family, p.vip, p.endpoints.map((e) => e.ip)]),
    [
      ['IPv4', '10.96.0.10', ['10.244.0.11']],
      ['IPv6', 'fd00:10:96::a', ['fd00:10:244::11', 'fd00:10:244::12']],
    ],
  );
  t.same(
    ports.map((p) => p.key),
    ['IPv4|TCP|10.96.0.10|80', 'IPv6|TCP|fd00:10:96::a|80'],
  );
});

t.test('internalTrafficPolicy Local', async (t) => {
  const local = { ...tcp80, internalTrafficPolicy: 'Local' };
  const eps: SliceEndpoint[] = [
    { ip: '10.244.0.11', nodeName: 'a' },
    { ip: '10.244.0.12', nodeName: 'b' },
    { ip: '10.244.0.13', nodeName: 'a', ready: false, serving: true, terminating: true },
  ];
  let m = model([svc('web', local)], [sl('web', 'w', [{ port: 80 }], eps)], { nodeName: 'a' });
  let p = m.portsOf('default/web')[0]!;
  t.same(p.endpoints, [{ ip: '10.244.0.11', port: 80, local: true }], 'only the ready local endpoint');

  m = model([svc('web', local)], [sl('web', 'w', [{ port: 80 }], [eps[1]!, eps[2]!, { ip: '10.244.0.14', nodeName: 'b' }])], {
    nodeName: 'a',
  });
  t.same(
    m.portsOf('default/web')[0]!.endpoints.map((e) => e.ip),
    ['10.244.0.13'],
    'no ready local endpoint: the local serving terminating one',
  );

  m = model([svc('web', local)], [sl('web', 'w', [{ port: 80 }], [eps[1]!])], { nodeName: 'a' });
  p = m.portsOf('default/web')[0]!;
  t.equal(p.mode, 'drop', 'endpoints elsewhere only: drop');
  t.same(p.endpoints, []);

  m = model([svc('web', local)], [], { nodeName: 'a' });
  t.equal(m.portsOf('default/web')[0]!.mode, 'reject', 'no endpoints anywhere: reject');

  m = model([svc('web', tcp80)], [sl('web', 'w', [{ port: 80 }], eps)], { nodeName: 'a' });
  t.same(
    m.portsOf('default/web')[0]!.endpoints.map((e) => [e.ip, e.local]),
    [
      ['10.244.0.11', true],
      ['10.244.0.12', false],
    ],
    'Cluster policy: all, marked local or not',
  );

  const warnings: string[] = [];
  m = model([svc('web', local)], [sl('web', 'w', [{ port: 80 }], eps)], { warn: (s, msg) => warnings.push(`${s} ${msg}`) });
  t.same(ips(m), [['10.244.0.11:80', '10.244.0.12:80']], 'without a node name: served as Cluster');
  m.portsOf('default/web');
  t.same(warnings, ['default/web internalTrafficPolicy Local needs the node name; serving it as Cluster'], 'and said once');
});

t.test('the service-proxy-name label and services a ClusterIP proxy does not serve', async (t) => {
  const label = { 'service.kubernetes.io/service-proxy-name': 'ofwire' };
  const all = [
    svc('plain', tcp80),
    svc('mine', { ...tcp80, clusterIP: '10.96.0.11' }, label),
    svc('theirs', { ...tcp80, clusterIP: '10.96.0.12' }, { 'service.kubernetes.io/service-proxy-name': 'other' }),
    svc('headless', { clusterIP: 'None', ports: [{ port: 80 }] }),
    svc('ext', { type: 'ExternalName', externalName: 'example.com', ports: [{ port: 80 }] }),
    svc('noip', { ports: [{ port: 80 }] }),
  ];
  const served = (opts: ModelOptions) => {
    const m = model(all, [], opts);
    return [...m.serviceKeys()].filter((k) => m.portsOf(k).length > 0);
  };
  t.same(served({}), ['default/plain'], 'default proxy: unlabelled services only');
  t.same(served({ proxyName: 'ofwire' }), ['default/mine'], 'named proxy: only services labelled with its name');
  t.same(model([svc('np', { ...tcp80, type: 'NodePort' })], []).portsOf('default/np').length, 1, 'NodePort services have a cluster IP too');
  t.same(model([], []).portsOf('default/none'), [], 'unknown service');
});

t.test('the same endpoint in two slices counts once, in its most usable state', async (t) => {
  const a = sl(
    'web',
    'web-a',
    [{ port: 8080 }],
    [{ ip: '10.244.0.11', ready: false, serving: true, terminating: true }, { ip: '10.244.0.12' }],
  );
  const b = sl(
    'web',
    'web-b',
    [{ port: 8080 }],
    [
      { ip: '10.244.0.11', ready: true },
      { ip: '10.244.0.12', ready: false, serving: false },
    ],
  );
  for (const order of [
    [a, b],
    [b, a],
  ]) {
    const m = model([svc('web', tcp80)], order);
    t.same(ips(m), [['10.244.0.11:8080', '10.244.0.12:8080']], `order ${order.map((s) => s.name).join(',')}`);
  }
  const c = sl('web', 'web-c', [{ port: 8081 }], [{ ip: '10.244.0.11' }]);
  t.same(
    ips(model([svc('web', tcp80)], [a, c])),
    [['10.244.0.11:8081', '10.244.0.12:8080']],
    'another port is another endpoint; the ready one wins over the terminating',
  );
});

t.test('ClientIP affinity timeout, capped at 65535 s with a warning', async (t) => {
  const warnings: string[] = [];
  const aff = (timeoutSeconds?: number) =>
    svc('web', {
      ...tcp80,
      sessionAffinity: 'ClientIP',
      ...(timeoutSeconds ? { sessionAffinityConfig: { clientIP: { timeoutSeconds } } } : {}),
    });
  const m = new ServiceModel({ warn: (s, msg) => warnings.push(`${s}: ${msg}`) });
  m.reset([aff(86400)], []);
  t.equal(m.portsOf('default/web')[0]!.affinitySeconds, MAX_AFFINITY_SECONDS);
  m.portsOf('default/web');
  t.same(warnings, ['default/web: sessionAffinity timeout 86400s capped at 65535s (OpenFlow learn timeouts are 16-bit)'], 'warned once');
  m.reset([aff(65535)], []);
  t.equal(m.portsOf('default/web')[0]!.affinitySeconds, 65535, 'the largest exact timeout');
  m.reset([aff(30)], []);
  t.equal(m.portsOf('default/web')[0]!.affinitySeconds, 30);
  m.reset([aff()], []);
  t.equal(m.portsOf('default/web')[0]!.affinitySeconds, 10800, 'Kubernetes default');
  m.reset([svc('web', tcp80)], []);
  t.equal(m.portsOf('default/web')[0]!.affinitySeconds, 0, 'no affinity');
  t.equal(warnings.length, 1);
});

t.test('incremental changes report the services they touch', async (t) => {
  const m = new ServiceModel();
  t.same([...m.reset([svc('a', tcp80)], [])], ['default/a']);
  const web = sl('web', 'web-1', [{ port: 80 }], [{ ip: '10.244.0.11' }]);
  let touched = m.apply([
    { kind: 'service', key: 'default/web', service: svc('web', { ...tcp80, clusterIP: '10.96.0.11' }) },
    { kind: 'slice', key: 'default/web-1', slice: web },
  ]);
  t.same([...touched].sort(), ['default/web']);
  t.same(ips(m), [['10.244.0.11:80']]);
  // The slice is relabelled to another service: both are touched.
  const moved = { ...web, serviceName: 'a' };
  touched = m.apply([{ kind: 'slice', key: 'default/web-1', slice: moved }]);
  t.same([...touched].sort(), ['default/a', 'default/web']);
  t.same(ips(m), [[]], 'web lost it');
  t.same(ips(m, 'default/a'), [['10.244.0.11:80']], 'a got it');
  touched = m.apply([{ kind: 'slice', key: 'default/web-1', slice: null }]);
  t.same([...touched], ['default/a'], 'deleting a slice touches its service');
  touched = m.apply([{ kind: 'slice', key: 'default/ghost', slice: null }]);
  t.same([...touched], [], 'deleting an unknown slice touches nothing');
  touched = m.apply([{ kind: 'service', key: 'default/a', service: null }]);
  t.same([...touched], ['default/a']);
  t.same(m.portsOf('default/a'), []);
  t.same([...m.reset([], [])].sort(), ['default/web'], 'reset reports the services known before');
});
