/**
 * Kubernetes objects and a CNI-like forwarding table for proxy tests: what a node agent would
 * install around the proxy's tables.
 */
import { run, type Sandbox } from './ovs-sandbox.js';
import { GATEWAY_MAC, type Pod } from './netns.js';

export function service(name: string, spec: Record<string, unknown>, namespace = 'default', labels: Record<string, string> = {}): unknown {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, labels }, spec: { type: 'ClusterIP', ...spec } };
}

export interface SliceEndpoint {
  ip: string;
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
  nodeName?: string;
}

export function slice(
  serviceName: string,
  name: string,
  ports: { name?: string; port: number; protocol?: string }[],
  endpoints: SliceEndpoint[],
  addressType = 'IPv4',
  namespace = 'default',
): unknown {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace, labels: { 'kubernetes.io/service-name': serviceName } },
    addressType,
    ports: ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
    endpoints: endpoints.map((e) => ({
      addresses: [e.ip],
      conditions: { ready: e.ready ?? true, serving: e.serving ?? e.ready ?? true, terminating: e.terminating ?? false },
      ...(e.nodeName ? { nodeName: e.nodeName } : {}),
    })),
  };
}

/**
 * Table 0 hands IP to the proxy (tableBase 10); table 20 delivers by destination address, back out
 * of the ingress port when the destination is the sender (hairpin). Installed with ovs-ofctl and a
 * cookie of its own, as a CNI would: the proxy must leave these alone.
 */
export async function installForwarding(sb: Sandbox, pods: Pod[], opts: { tableBase?: number; next?: number } = {}): Promise<void> {
  const base = opts.tableBase ?? 10;
  const next = opts.next ?? 20;
  const flows = [`cookie=0xc0,table=0,priority=0,actions=goto_table:${base}`, `cookie=0xc0,table=${next},priority=0,actions=drop`];
  for (const p of pods) {
    const rewrite = `set_field:${GATEWAY_MAC}->eth_src,set_field:${p.mac}->eth_dst`;
    flows.push(`cookie=0xc0,table=${next},priority=200,ip,in_port=${p.ofport},nw_dst=${p.ip},actions=${rewrite},IN_PORT`);
    flows.push(`cookie=0xc0,table=${next},priority=100,ip,nw_dst=${p.ip},actions=${rewrite},output:${p.ofport}`);
  }
  await run('ovs-ofctl', ['-O', 'OpenFlow13', 'add-flows', sb.bridge, '-'], { env: sb.env, input: flows.join('\n') });
}
