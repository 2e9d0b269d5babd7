/**
 * Feeding the service proxy from your own code: services come from wherever your agent keeps them
 * (here, a small in-process registry), as Kubernetes-shaped objects.
 *
 *   OFWIRE_BRIDGE=unix:/tmp/sandbox/br0.mgmt npx tsx examples/memory-source.ts
 */
import { MemorySource, ServiceProxy, Switch } from 'ofwire';

const bridge = process.env.OFWIRE_BRIDGE ?? 'unix:/var/run/openvswitch/br-int.mgmt';

/** What your agent knows: a service and the pods behind it. */
interface Backend {
  name: string;
  clusterIP: string;
  port: number;
  targetPort: number;
  pods: string[];
}

function service(b: Backend): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace: 'default', name: b.name },
    spec: { type: 'ClusterIP', clusterIP: b.clusterIP, ports: [{ name: 'http', port: b.port, protocol: 'TCP' }] },
  };
}

function endpoints(b: Backend): unknown {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { namespace: 'default', name: `${b.name}-1`, labels: { 'kubernetes.io/service-name': b.name } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: b.targetPort, protocol: 'TCP' }],
    endpoints: b.pods.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
  };
}

const web: Backend = { name: 'web', clusterIP: '10.96.0.10', port: 80, targetPort: 8080, pods: ['10.244.0.11', '10.244.0.12'] };

const sw = await Switch.connect(bridge, { asyncEvents: true });
const source = new MemorySource();
const proxy = new ServiceProxy(sw, source);
proxy.on('serviceError', (service, err) => console.error(`${service}: ${err.message}`));
await proxy.start();

source.upsertService(service(web));
source.upsertEndpointSlice(endpoints(web));
await proxy.whenSynced();
console.log(`web: ${web.pods.length} endpoints programmed`);

// A pod is added: one group change goes to the switch.
web.pods.push('10.244.0.13');
source.upsertEndpointSlice(endpoints(web));
await proxy.whenSynced();
console.log(`web: ${web.pods.length} endpoints programmed`);

if (process.env.OFWIRE_KEEP !== '1') {
  source.deleteService('default', 'web');
  source.deleteEndpointSlice('default', 'web-1');
  await proxy.whenSynced();
  console.log('web: removed');
}
await proxy.stop();
await sw.close();
