/**
 * A node agent in a few lines: Kubernetes Services and EndpointSlices → ClusterIP load balancing on
 * this node's Open vSwitch bridge, next to the agent's own CNI flows.
 *
 *   OFWIRE_BRIDGE=unix:/var/run/openvswitch/br-int.mgmt NODE_NAME=node-1 npx tsx examples/kube-node-agent.ts
 *
 * The kubeconfig comes from $KUBECONFIG, ~/.kube/config, or the pod's service account.
 */
import { ServiceProxy, Switch } from 'ofwire';
import { KubeSource } from 'ofwire/kube';

const bridge = process.env.OFWIRE_BRIDGE ?? 'unix:/var/run/openvswitch/br-int.mgmt';
const nodeName = process.env.NODE_NAME;

// One connection to the bridge; it reconnects by itself. Packet-ins are needed to refuse
// connections to services without endpoints.
const sw = new Switch(bridge, { asyncEvents: true });

// The agent's own flows, replayed whenever the switch (re)connects: IP goes to the proxy's
// tables (10–15); table 20 is the agent's forwarding table, which gets every packet with its
// destination already translated.
sw.on('connected', () => {
  sw.addFlow('cookie=0xa1,table=0,priority=0,actions=goto_table:10').catch((err: Error) => console.error(err.message));
});
sw.on('error', (err) => console.error(`switch: ${err.message}`));

const source = new KubeSource({ kubeconfig: process.env.KUBECONFIG });
const proxy = new ServiceProxy(sw, source, { tableBase: 10, nextTable: 20, ...(nodeName ? { nodeName } : {}) });

proxy.on('synced', ({ messages, durationMs, full }) => {
  if (messages || full) console.log(`synced: ${messages} flow/group changes in ${durationMs.toFixed(1)} ms`);
});
proxy.on('serviceError', (service, err) => console.error(`${service}: ${err.message}`));
proxy.on('warning', (service, message) => console.warn(`${service}: ${message}`));
proxy.on('error', (err) => console.error(err.message));

sw.start();
await proxy.start();
await proxy.whenSynced({ allowFailures: true });
console.log(`ready: ${proxy.servicePortCount} service ports on ${bridge}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void proxy
      .stop()
      .then(() => sw.close())
      .then(() => process.exit(0));
  });
}
