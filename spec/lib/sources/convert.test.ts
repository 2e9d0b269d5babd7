import t from 'tap';
import {
  ObjectError,
  isProxyableService,
  sameContent,
  serviceFromObject,
  serviceKey,
  sliceFromObject,
  sliceKey,
  sliceServiceKey,
} from '../../../lib/sources/index.js';
import { fixtureItems } from './fixtures.js';

const servicesList = { items: fixtureItems('services.json') };
const slicesList = { items: fixtureItems('endpointslices.json') };
const serviceObject = (namespace: string, name: string): Record<string, any> =>
  structuredClone(servicesList.items.find((s) => s.metadata.namespace === namespace && s.metadata.name === name)!);
const sliceObject = (name: string): Record<string, any> => structuredClone(slicesList.items.find((s) => s.metadata.name === name)!);

t.test('every fixture Service and EndpointSlice converts', async (t) => {
  for (const obj of servicesList.items) t.doesNotThrow(() => serviceFromObject(obj), obj.metadata.name);
  for (const obj of slicesList.items) t.doesNotThrow(() => sliceFromObject(obj), obj.metadata.name);
});

t.test('Service conversion keeps what the proxy needs', async (t) => {
  t.same(serviceFromObject(serviceObject('kube-system', 'kube-dns')), {
    namespace: 'kube-system',
    name: 'kube-dns',
    type: 'ClusterIP',
    clusterIPs: ['10.96.0.10'],
    ipFamilies: ['IPv4'],
    ports: [
      { name: 'dns', protocol: 'UDP', port: 53, targetPort: 53 },
      { name: 'dns-tcp', protocol: 'TCP', port: 53, targetPort: 53 },
      { name: 'metrics', protocol: 'TCP', port: 9153, targetPort: 9153 },
    ],
    sessionAffinity: 'None',
    affinityTimeoutSeconds: 10800,
    internalTrafficPolicy: 'Cluster',
    labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
    resourceVersion: '234',
  });
  const cart = serviceFromObject(serviceObject('shop', 'cart'));
  t.equal(cart.sessionAffinity, 'ClientIP');
  t.equal(cart.affinityTimeoutSeconds, 600);
  t.equal(cart.internalTrafficPolicy, 'Local');
  t.same(serviceFromObject(serviceObject('default', 'web')).ports, [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' }]);
  const dual = serviceFromObject(serviceObject('default', 'api'));
  t.same(dual.clusterIPs, ['10.96.33.7', 'fd00:10:96::7a1c']);
  t.same(dual.ipFamilies, ['IPv4', 'IPv6']);
  t.same(serviceFromObject(serviceObject('default', 'db-headless')).clusterIPs, ['None']);
  const external = serviceFromObject(serviceObject('default', 'docs'));
  t.equal(external.type, 'ExternalName');
  t.same(external.clusterIPs, []);
  t.same(external.ports, []);
});

t.test('Service defaults for a minimal manifest', async (t) => {
  const service = serviceFromObject({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'min' },
    spec: { clusterIP: '10.0.0.1', ports: [{ port: 80 }] },
  });
  t.same(service, {
    namespace: 'default',
    name: 'min',
    type: 'ClusterIP',
    clusterIPs: ['10.0.0.1'],
    ipFamilies: ['IPv4'],
    ports: [{ name: '', protocol: 'TCP', port: 80 }],
    sessionAffinity: 'None',
    affinityTimeoutSeconds: 10800,
    internalTrafficPolicy: 'Cluster',
    labels: {},
  });
});

t.test('EndpointSlice conversion', async (t) => {
  const web = sliceFromObject(sliceObject('web-7x2kq'));
  t.equal(web.serviceName, 'web');
  t.equal(web.addressType, 'IPv4');
  t.same(web.ports, [{ name: 'http', protocol: 'TCP', port: 8080 }]);
  t.same(web.endpoints[2], {
    addresses: ['10.244.2.6'],
    ready: false,
    serving: true,
    terminating: true,
    nodeName: 'kind-worker2',
  });
  const apiserver = sliceFromObject(sliceObject('kubernetes'));
  t.same(apiserver.endpoints, [{ addresses: ['172.18.0.3'], ready: true, serving: true, terminating: false }]);
  t.equal(sliceFromObject(sliceObject('cart-p9wz2')).endpoints[0]!.zone, 'zone-a');
  t.same(sliceFromObject(sliceObject('echo-zt6ck')).ports, [{ name: '', protocol: 'TCP', port: 5678 }]);
  const v6 = sliceFromObject(sliceObject('api-v6cz7'));
  t.equal(v6.addressType, 'IPv6');
  t.same(v6.endpoints[0]!.addresses, ['fd00:10:244:1::10']);
  t.equal(sliceServiceKey(v6), 'default/api');
  t.equal(sliceKey(v6), 'default/api-v6cz7');

  const allPorts = sliceObject('kubernetes');
  allPorts.ports.push({ name: 'all', protocol: 'TCP', port: null });
  t.same(sliceFromObject(allPorts).ports, [{ name: 'https', protocol: 'TCP', port: 6443 }], 'a port without number is left out');
  const noReady = sliceObject('kubernetes');
  noReady.endpoints[0].conditions = { ready: false };
  t.match(sliceFromObject(noReady).endpoints[0], { ready: false, serving: false, terminating: false });
});

t.test('isProxyableService on the fixture objects', async (t) => {
  const verdicts = Object.fromEntries(
    servicesList.items.map((obj) => {
      const service = serviceFromObject(obj);
      return [serviceKey(service), [isProxyableService(service), isProxyableService(service, { proxyName: 'mesh-proxy' })]];
    }),
  );
  t.same(verdicts, {
    'default/kubernetes': [true, false],
    'kube-system/kube-dns': [true, false],
    'default/web': [true, false],
    'shop/cart': [true, false],
    'default/db-headless': [false, false],
    'default/docs': [false, false],
    'default/echo': [true, false],
    'default/mesh-gw': [false, true],
    'default/api': [true, false],
  });
  const noIP = serviceObject('default', 'web');
  delete noIP.spec.clusterIP;
  delete noIP.spec.clusterIPs;
  t.equal(isProxyableService(serviceFromObject(noIP)), false, 'a Service without cluster IP');
});

t.test('invalid objects: one-line errors naming object and field', async (t) => {
  const cases: Array<[string, (obj: Record<string, any>) => void, string]> = [
    ['port out of range', (o) => (o.spec.ports[1].port = 70000), 'Service kube-system/kube-dns: spec.ports[1].port: must be 1-65535'],
    [
      'bad protocol',
      (o) => (o.spec.ports[0].protocol = 'ICMP'),
      'Service kube-system/kube-dns: spec.ports[0].protocol: must be one of TCP, UDP, SCTP',
    ],
    [
      'bad cluster IP',
      (o) => (o.spec.clusterIPs = ['10.96.0.300']),
      'Service kube-system/kube-dns: spec.clusterIPs[0]: must be an IP address or None',
    ],
    [
      'unnamed second port',
      (o) => delete o.spec.ports[1].name,
      'Service kube-system/kube-dns: spec.ports[1].name: required when a Service has more than one port',
    ],
    [
      'duplicate port name',
      (o) => (o.spec.ports[2].name = 'dns'),
      'Service kube-system/kube-dns: spec.ports[2].name: duplicate port name "dns"',
    ],
    [
      'bad type',
      (o) => (o.spec.type = 'Magic'),
      'Service kube-system/kube-dns: spec.type: must be one of ClusterIP, NodePort, LoadBalancer, ExternalName',
    ],
    [
      'bad affinity timeout',
      (o) => (o.spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 0 } }),
      'Service kube-system/kube-dns: spec.sessionAffinityConfig.clientIP.timeoutSeconds: must be 1-86400',
    ],
    [
      'bad targetPort',
      (o) => (o.spec.ports[0].targetPort = true),
      'Service kube-system/kube-dns: spec.ports[0].targetPort: must be a port number or a port name',
    ],
    ['no name', (o) => delete o.metadata.name, 'Service (unnamed): metadata.name: required'],
    ['wrong kind', (o) => (o.kind = 'Pod'), 'Service (unnamed): kind: must be Service'],
    [
      'label not a string',
      (o) => (o.metadata.labels['k8s-app'] = 7),
      'Service kube-system/kube-dns: metadata.labels.k8s-app: must be a string',
    ],
  ];
  for (const [name, mutate, message] of cases) {
    const obj = serviceObject('kube-system', 'kube-dns');
    mutate(obj);
    t.throws(() => serviceFromObject(obj), { name: 'ObjectError', message }, name);
  }
  t.throws(() => serviceFromObject('nope'), { message: 'Service (unnamed): must be an object' });

  const sliceCases: Array<[string, (obj: Record<string, any>) => void, string]> = [
    [
      'v6 address in v4 slice',
      (o) => (o.endpoints[1].addresses = ['fd00::1']),
      'EndpointSlice default/web-7x2kq: endpoints[1].addresses[0]: must be an IPv4 address',
    ],
    [
      'no addresses',
      (o) => (o.endpoints[0].addresses = []),
      'EndpointSlice default/web-7x2kq: endpoints[0].addresses: must list at least one address',
    ],
    [
      'bad ready',
      (o) => (o.endpoints[0].conditions.ready = 'yes'),
      'EndpointSlice default/web-7x2kq: endpoints[0].conditions.ready: must be true or false',
    ],
    ['missing addressType', (o) => delete o.addressType, 'EndpointSlice default/web-7x2kq: addressType: must be one of IPv4, IPv6, FQDN'],
    ['port zero', (o) => (o.ports[0].port = 0), 'EndpointSlice default/web-7x2kq: ports[0].port: must be 1-65535'],
  ];
  for (const [name, mutate, message] of sliceCases) {
    const obj = sliceObject('web-7x2kq');
    mutate(obj);
    t.throws(() => sliceFromObject(obj), { name: 'ObjectError', message }, name);
  }
  const err = ((): ObjectError | undefined => {
    const obj = sliceObject('web-7x2kq');
    obj.ports[0].port = 0;
    try {
      sliceFromObject(obj);
    } catch (e) {
      return e instanceof ObjectError ? e : undefined;
    }
    return undefined;
  })();
  t.same(
    [err?.objectKind, err?.objectRef, err?.path, err?.field],
    ['EndpointSlice', 'default/web-7x2kq', ['ports', 0, 'port'], 'ports[0].port'],
  );
});

t.test('sameContent ignores resourceVersion only', async (t) => {
  const a = serviceFromObject(serviceObject('default', 'web'));
  const bumped = serviceObject('default', 'web');
  bumped.metadata.resourceVersion = '99999';
  bumped.metadata.annotations = { note: 'changed' };
  t.ok(sameContent(a, serviceFromObject(bumped)));
  const changed = serviceObject('default', 'web');
  changed.spec.ports[0].port = 81;
  t.notOk(sameContent(a, serviceFromObject(changed)));
  const external = serviceFromObject({
    ...serviceObject('default', 'web'),
    spec: { ...serviceObject('default', 'web').spec, externalIPs: ['192.0.2.1'] },
  });
  const ranged = serviceFromObject({
    ...serviceObject('default', 'web'),
    spec: { ...serviceObject('default', 'web').spec, loadBalancerSourceRanges: ['192.0.2.0/24'] },
  });
  t.notOk(sameContent(external, ranged), 'one optional field for another');
  t.notOk(sameContent(a, external), 'an optional field added');
  t.notOk(sameContent(external, a), 'an optional field removed');
  t.ok(
    sameContent(
      external,
      serviceFromObject({
        ...serviceObject('default', 'web'),
        spec: { ...serviceObject('default', 'web').spec, externalIPs: ['192.0.2.1'] },
      }),
    ),
  );
});

t.test('envelope and optional fields', async (t) => {
  const bare = serviceFromObject({ metadata: { name: 'bare', namespace: '', labels: null } });
  t.same(bare, {
    namespace: 'default',
    name: 'bare',
    type: 'ClusterIP',
    clusterIPs: [],
    ipFamilies: [],
    ports: [],
    sessionAffinity: 'None',
    affinityTimeoutSeconds: 10800,
    internalTrafficPolicy: 'Cluster',
    labels: {},
  });
  t.equal(isProxyableService(bare), false, 'no cluster IP, not served');
  const single = serviceFromObject({
    metadata: { name: 's' },
    spec: { clusterIP: 'fd00::1', sessionAffinity: '', sessionAffinityConfig: {}, ports: [{ port: 80, targetPort: null }] },
  });
  t.same([single.clusterIPs, single.ipFamilies, single.affinityTimeoutSeconds], [['fd00::1'], ['IPv6'], 10800]);
  t.same(single.ports, [{ name: '', protocol: 'TCP', port: 80 }]);

  const slice = sliceFromObject({
    metadata: { name: 'names' },
    addressType: 'FQDN',
    ports: [{ port: 5432 }],
    endpoints: [{ addresses: ['db-0.example.com'], conditions: { ready: true, serving: false }, nodeName: '', zone: '' }],
  });
  t.same(slice, {
    namespace: 'default',
    name: 'names',
    serviceName: '',
    addressType: 'FQDN',
    ports: [{ name: '', protocol: 'TCP', port: 5432 }],
    endpoints: [{ addresses: ['db-0.example.com'], ready: true, serving: false, terminating: false }],
  });
  t.same(sliceFromObject({ metadata: { name: 'empty' }, addressType: 'IPv4', ports: null, endpoints: null }), {
    namespace: 'default',
    name: 'empty',
    serviceName: '',
    addressType: 'IPv4',
    ports: [],
    endpoints: [],
  });
});

t.test('more invalid objects', async (t) => {
  const services: Array<[unknown, string]> = [
    [{ spec: {} }, 'Service (unnamed): metadata: required'],
    [{ metadata: 'web' }, 'Service (unnamed): metadata: must be an object'],
    [{ metadata: { name: 7 } }, 'Service (unnamed): metadata.name: must be a string'],
    [{ metadata: { name: 'a', resourceVersion: 5 } }, 'Service default/a: metadata.resourceVersion: must be a string'],
    [{ metadata: { name: 'a' }, spec: { ports: {} } }, 'Service default/a: spec.ports: must be a list'],
    [{ metadata: { name: 'a' }, spec: { ports: [null] } }, 'Service default/a: spec.ports[0]: must be an object'],
    [
      { metadata: { name: 'a' }, spec: { ports: [{ port: 1, targetPort: '' }] } },
      'Service default/a: spec.ports[0].targetPort: must be a port number or a port name',
    ],
    [
      { metadata: { name: 'a' }, spec: { ports: [{ port: 1, targetPort: 0 }] } },
      'Service default/a: spec.ports[0].targetPort: must be 1-65535',
    ],
    [{ metadata: { name: 'a' }, spec: { ports: [{ port: 1.5 }] } }, 'Service default/a: spec.ports[0].port: must be 1-65535'],
    [{ metadata: { name: 'a' }, spec: { clusterIPs: [7] } }, 'Service default/a: spec.clusterIPs[0]: must be an IP address or None'],
    [{ metadata: { name: 'a' }, spec: { clusterIP: 'ten' } }, 'Service default/a: spec.clusterIP: must be an IP address or None'],
    [{ metadata: { name: 'a' }, spec: { ipFamilies: ['IPv5'] } }, 'Service default/a: spec.ipFamilies[0]: must be one of IPv4, IPv6'],
    [{ metadata: { name: 'a' }, spec: 'x' }, 'Service default/a: spec: must be an object'],
    [
      { metadata: { name: 'a' }, spec: { sessionAffinityConfig: { clientIP: { timeoutSeconds: 'long' } } } },
      'Service default/a: spec.sessionAffinityConfig.clientIP.timeoutSeconds: must be 1-86400',
    ],
    [
      { metadata: { name: 'a' }, spec: { sessionAffinityConfig: { clientIP: { timeoutSeconds: 1.5 } } } },
      'Service default/a: spec.sessionAffinityConfig.clientIP.timeoutSeconds: must be 1-86400',
    ],
    [
      { metadata: { name: 'a' }, spec: { sessionAffinityConfig: { clientIP: { timeoutSeconds: 86401 } } } },
      'Service default/a: spec.sessionAffinityConfig.clientIP.timeoutSeconds: must be 1-86400',
    ],
  ];
  for (const [obj, message] of services) t.throws(() => serviceFromObject(obj), { message }, message);

  const slices: Array<[unknown, string]> = [
    [{ metadata: { name: 's' }, addressType: 'IPv4', ports: [null] }, 'EndpointSlice default/s: ports[0]: must be an object'],
    [{ metadata: { name: 's' }, addressType: 'IPv4', endpoints: ['10.0.0.1'] }, 'EndpointSlice default/s: endpoints[0]: must be an object'],
    [
      { metadata: { name: 's' }, addressType: 'IPv4', endpoints: [{ addresses: [7] }] },
      'EndpointSlice default/s: endpoints[0].addresses[0]: must be a non-empty string',
    ],
    [
      { metadata: { name: 's' }, addressType: 'FQDN', endpoints: [{ addresses: [''] }] },
      'EndpointSlice default/s: endpoints[0].addresses[0]: must be a non-empty string',
    ],
    [
      { metadata: { name: 's' }, addressType: 'IPv6', endpoints: [{ addresses: ['10.0.0.1'] }] },
      'EndpointSlice default/s: endpoints[0].addresses[0]: must be an IPv6 address',
    ],
    [
      { metadata: { name: 's' }, addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'], nodeName: 3 }] },
      'EndpointSlice default/s: endpoints[0].nodeName: must be a string',
    ],
  ];
  for (const [obj, message] of slices) t.throws(() => sliceFromObject(obj), { message }, message);
});

t.test('sameContent compares nested values', async (t) => {
  const web = (): Record<string, any> => serviceObject('default', 'web');
  const base = serviceFromObject(web());
  const extraLabel = web();
  extraLabel.metadata.labels.tier = 'front';
  t.notOk(sameContent(base, serviceFromObject(extraLabel)), 'one more label');
  const slice = sliceFromObject(sliceObject('web-7x2kq'));
  const fewer = sliceObject('web-7x2kq');
  fewer.endpoints.pop();
  t.notOk(sameContent(slice, sliceFromObject(fewer)), 'one endpoint less');
  t.ok(sameContent(slice, sliceFromObject(sliceObject('web-7x2kq'))));
});
