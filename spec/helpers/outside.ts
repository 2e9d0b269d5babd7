/**
 * A client outside the cluster for north-south tests: a namespace attached to the bridge like a
 * pod (the node's uplink port), with an address of the outside network instead of a pod address.
 * It reaches the node address (and external and load-balancer IPs) through the gateway MAC, as a
 * router in front of the node would deliver them.
 */
import type { Sandbox } from './ovs-sandbox.js';
import { GATEWAY_IP, GATEWAY_MAC, createPod, type Pod } from './netns.js';

/** The outside network: the node's address on it is NODE_IP; clients are 192.168.50.N. */
export const NODE_IP = '192.168.50.1';

export async function createOutsideClient(sb: Sandbox, opts: { name: string; index: number; ip: string }): Promise<Pod> {
  const pod = await createPod(sb, { name: opts.name, index: opts.index });
  await pod.exec(
    'sh',
    '-c',
    [
      'set -e',
      `ip addr del ${pod.ip}/32 dev eth0`,
      `ip addr add ${opts.ip}/32 dev eth0`,
      `ip route replace ${GATEWAY_IP}/32 dev eth0 scope link`,
      `ip route replace default via ${GATEWAY_IP} dev eth0 src ${opts.ip}`,
      // Removing the pod address flushed the gateway's permanent neighbour entry.
      `ip neigh replace ${GATEWAY_IP} lladdr ${GATEWAY_MAC} dev eth0 nud permanent`,
    ].join('\n'),
  );
  return { ...pod, ip: opts.ip };
}
