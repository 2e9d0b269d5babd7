/**
 * The service set every contender programs, generated once per size and compiled with ofwire's own
 * pipeline compiler, so that the floor, ovs-ofctl and os-ken send exactly the groups and flows the
 * proxy installs.
 *
 * Mix: N ClusterIP services in namespace `bench`, each one TCP port 80 → 8080 with E ready
 * endpoints (distinct pod IPs) in one EndpointSlice. Every 100th endpoint is on this node
 * (`bench-node`), so hairpin flows exist for 1 % of the endpoints. TCP with 5 endpoints takes
 * the select-group shape: one group (5 buckets, plus a weight-1 bucket that evens OVS's hash
 * split) and one service flow per service.
 */
import type { OfpMessage } from '../../protocol/index.js';
import { baseEntries, compilePort, resolveOptions, ServiceModel, type ProxyOptions, type ServicePortState } from '../../lib/proxy/index.js';
import type { Entry, FlowEntry, GroupEntry } from '../../lib/proxy/entries.js';
import { keyed } from '../../lib/proxy/entries.js';
import { ServicePortIds } from '../../lib/proxy/ids.js';
import { serviceFromObject, sliceFromObject } from '../../lib/sources/convert.js';

export const NAMESPACE = 'bench';
export const NODE_NAME = 'bench-node';
export const SERVICE_PORT = 80;
export const TARGET_PORT = 8080;
/** One endpoint in LOCAL_EVERY is on this node (hairpin flows). */
export const LOCAL_EVERY = 100;

export interface ServiceSet {
  services: number;
  endpointsPerService: number;
  /**
   * North-south mix: every `externalEvery`-th service (i % externalEvery === 0) is a NodePort
   * (even i) or a LoadBalancer with one ingress IP (odd i): 3 makes a third of them external.
   * Their node ports need the node address NODE_IP (see proxyOptions). Unset: ClusterIP only.
   */
  externalEvery?: number;
}

/** The node address of the north-south mix (its NodePorts, and the SNAT source). */
export const NODE_IP = '192.168.0.1';
const NODE_PORT_BASE = 30000;
const LB_IP_BASE = (198 << 24) | (18 << 16); // 198.18.0.0/15: load-balancer ingress IPs

function ipv4(base: number, offset: number): string {
  const v = (base + offset) >>> 0;
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

const CLUSTER_IP_BASE = (10 << 24) | (96 << 16); // 10.96.0.0/12
const POD_IP_BASE = (10 << 24) | (128 << 16); // 10.128.0.0/10
const CHURN_IP_BASE = (10 << 24) | (64 << 16); // 10.64.0.0/10: replacement endpoints

export function serviceName(i: number): string {
  return `svc-${String(i).padStart(6, '0')}`;
}

export function clusterIp(i: number): string {
  return ipv4(CLUSTER_IP_BASE, i + 1);
}

/** Global endpoint index of endpoint k of service i. */
function endpointIndex(set: ServiceSet, i: number, k: number): number {
  return i * set.endpointsPerService + k;
}

export function podIp(set: ServiceSet, i: number, k: number): string {
  return ipv4(POD_IP_BASE, endpointIndex(set, i, k) + 2);
}

export function isLocal(set: ServiceSet, i: number, k: number): boolean {
  return endpointIndex(set, i, k) % LOCAL_EVERY === 0;
}

function nodeOf(set: ServiceSet, i: number, k: number): string {
  const j = endpointIndex(set, i, k);
  return j % LOCAL_EVERY === 0 ? NODE_NAME : `node-${j % 97}`;
}

export function serviceObject(i: number, set?: Partial<ServiceSet>): Record<string, unknown> {
  const every = set?.externalEvery;
  const external = every !== undefined && i % every === 0;
  const loadBalancer = external && Math.floor(i / every) % 2 === 1;
  const port: Record<string, unknown> = { name: 'http', port: SERVICE_PORT, protocol: 'TCP', targetPort: TARGET_PORT };
  // Load balancers without node ports (allocateLoadBalancerNodePorts: false), so that the node
  // ports of 10k services fit the API server's default range 30000-32767.
  if (external && !loadBalancer) port.nodePort = NODE_PORT_BASE + (Math.floor(i / every / 2) % 2768);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: serviceName(i), namespace: NAMESPACE },
    spec: {
      type: loadBalancer ? 'LoadBalancer' : external ? 'NodePort' : 'ClusterIP',
      clusterIP: clusterIp(i),
      clusterIPs: [clusterIp(i)],
      ports: [port],
      ...(loadBalancer ? { allocateLoadBalancerNodePorts: false } : {}),
    },
    ...(loadBalancer ? { status: { loadBalancer: { ingress: [{ ip: ipv4(LB_IP_BASE, i + 1) }] } } } : {}),
  };
}

/** Endpoint slots replaced by churn: slot → its new address (never on this node). */
export type Overrides = ReadonlyMap<number, string>;

export function sliceObject(set: ServiceSet, i: number, overrides?: Overrides): Record<string, unknown> {
  const endpoints = [];
  for (let k = 0; k < set.endpointsPerService; k++) {
    const replaced = overrides?.get(k);
    endpoints.push({
      addresses: [replaced ?? podIp(set, i, k)],
      conditions: { ready: true, serving: true, terminating: false },
      nodeName: replaced ? 'node-churn' : nodeOf(set, i, k),
    });
  }
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${serviceName(i)}-a`, namespace: NAMESPACE, labels: { 'kubernetes.io/service-name': serviceName(i) } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: TARGET_PORT, protocol: 'TCP' }],
    endpoints,
  };
}

/** The whole set as one Kubernetes `List` (what `kubectl get svc,endpointslices -o json` prints). */
export function manifestJson(set: ServiceSet): string {
  const parts: string[] = [];
  for (let i = 0; i < set.services; i++) {
    parts.push(JSON.stringify(serviceObject(i, set)), JSON.stringify(sliceObject(set, i)));
  }
  return `{"apiVersion":"v1","kind":"List","items":[\n${parts.join(',\n')}\n]}\n`;
}

/**
 * What every ofwire contender is configured with: this node's name and, for the north-south mix,
 * its address (the node ports' address and the SNAT source). `ofwire proxy` gets the same as
 * flags (proxyFlags).
 */
export function proxyConfig(set?: Partial<ServiceSet>): { nodeName: string; nodeIPs?: string[]; nodePortAddresses?: string[] } {
  if (set?.externalEvery === undefined) return { nodeName: NODE_NAME };
  return { nodeName: NODE_NAME, nodeIPs: [NODE_IP], nodePortAddresses: [NODE_IP] };
}

/** proxyConfig as `ofwire proxy` flags. */
export function proxyFlags(set?: Partial<ServiceSet>): string[] {
  const c = proxyConfig(set);
  const flags = ['--node-name', c.nodeName];
  if (c.nodeIPs) flags.push('--node-ip', c.nodeIPs.join(','), '--nodeport-addresses', 'primary');
  return flags;
}

/** The proxy options every ofwire contender uses (proxyConfig resolved: the defaults for the rest). */
export function proxyOptions(set?: Partial<ServiceSet>): ProxyOptions {
  return resolveOptions(proxyConfig(set));
}

/** The service model as a proxy configured with proxyConfig(set) builds it. */
function modelOf(set: Partial<ServiceSet>): ServiceModel {
  const { nodeName, nodeIPs, nodePortAddresses } = proxyConfig(set);
  return new ServiceModel({ nodeName, ...(nodeIPs ? { nodeIPs, nodePortAddresses } : {}) });
}

export interface CompiledSet {
  options: ProxyOptions;
  groups: GroupEntry[];
  /** Base flows first, then per service its service flow and hairpin flows (shared ones once). */
  flows: FlowEntry[];
  /**
   * Service-port ids of service i (as the proxy allocates them on an empty switch): one for a
   * ClusterIP service, two for an external one (its cluster IP and its node port or load-balancer IP).
   */
  ids: number[][];
  states: ServicePortState[];
}

/**
 * Compiles the set exactly as a ServiceProxy starting on an empty switch does: services in source
 * order, service-port ids allocated from 1 in that order.
 */
export function compileSet(set: ServiceSet): CompiledSet {
  const options = proxyOptions(set);
  const model = modelOf(set);
  const services = [];
  const slices = [];
  const indexOf = new Map<string, number>();
  for (let i = 0; i < set.services; i++) {
    services.push(serviceFromObject(serviceObject(i, set)));
    slices.push(sliceFromObject(sliceObject(set, i)));
    indexOf.set(`${NAMESPACE}/${serviceName(i)}`, i);
  }
  model.reset(services, slices);
  const ids = new ServicePortIds();
  const groups: GroupEntry[] = [];
  const flows: FlowEntry[] = [...baseEntries(options)];
  const sharedSeen = new Set<string>();
  const idLists: number[][] = [];
  const states: ServicePortState[] = [];
  let next = 1;
  for (const key of model.serviceKeys()) {
    const own: number[] = (idLists[indexOf.get(key)!] = []);
    for (const state of model.portsOf(key)) {
      const id = ids.acquire(state.key);
      if (id !== next) throw new Error(`service port ${state.key} got id ${id}, expected ${next}`);
      next++;
      own.push(id);
      states.push(state);
      const c = compilePort(options, state, id);
      if (c.shape !== 'group') throw new Error(`service port ${state.key} compiled to ${c.shape}, expected a select group`);
      for (const e of c.own) (e.kind === 'group' ? groups : flows).push(e as never);
      for (const e of c.shared) {
        const k = keyed(e).key;
        if (sharedSeen.has(k)) continue;
        sharedSeen.add(k);
        flows.push(e);
      }
    }
  }
  return { options, groups, flows, ids: idLists, states };
}

/**
 * The groups of service i with these endpoint slots replaced, one per service port, with the ids
 * the proxy gave them on a switch it programmed from empty (compiled.ids).
 */
export function changedGroups(
  set: ServiceSet,
  compiled: Pick<CompiledSet, 'options' | 'ids'>,
  i: number,
  overrides: Overrides,
): GroupEntry[] {
  const model = modelOf(set);
  model.reset([serviceFromObject(serviceObject(i, set))], [sliceFromObject(sliceObject(set, i, overrides))]);
  const ids = compiled.ids[i]!;
  return model.portsOf(`${NAMESPACE}/${serviceName(i)}`).map((state, p) => {
    const c = compilePort(compiled.options, state, ids[p]!);
    return c.own.find((e): e is GroupEntry => e.kind === 'group')!;
  });
}

/**
 * Endpoint churn: each step replaces the address of one endpoint of one service (every other
 * endpoint keeps its current address). Services are visited in a scattered order; slots whose
 * endpoint is on this node are never picked, so every step is exactly one group modification per
 * service port (no hairpin flow comes or goes): one for a ClusterIP service, two for an external one. `stream` separates the address pools of independent runs.
 */
export class Churn {
  private readonly current = new Map<number, Map<number, string>>();
  private k = 0;

  constructor(
    private readonly set: ServiceSet,
    private readonly stream: number,
  ) {
    if (!(Number.isInteger(stream) && stream >= 0 && stream < 63)) throw new Error(`churn stream ${stream} is not in 0..62`);
  }

  next(): { service: number; slot: number; overrides: Overrides } {
    const k = this.k++;
    if (k >= 65_536) throw new Error('a churn stream has at most 65536 changes');
    const set = this.set;
    const service = Number((BigInt(k) * 7919n + BigInt(this.stream) * 104729n) % BigInt(set.services));
    let slot = k % set.endpointsPerService;
    for (let tries = 0; isLocal(set, service, slot); tries++) {
      if (tries >= set.endpointsPerService) throw new Error(`service ${service} has only local endpoints`);
      slot = (slot + 1) % set.endpointsPerService;
    }
    const ip = ipv4(CHURN_IP_BASE, this.stream * 65_536 + k + 1);
    let m = this.current.get(service);
    if (!m) this.current.set(service, (m = new Map<number, string>()));
    m.set(slot, ip);
    return { service, slot, overrides: m };
  }
}

export function flowMod(e: FlowEntry, command = 0): OfpMessage {
  return {
    type: 'flow_mod',
    xid: 0,
    cookie: e.cookie,
    cookieMask: 0n,
    tableId: e.table,
    command,
    idleTimeout: 0,
    hardTimeout: 0,
    priority: e.priority,
    bufferId: 0xffffffff,
    outPort: 0xffffffff,
    outGroup: 0xffffffff,
    flags: 0,
    match: e.match,
    instructions: e.instructions,
  };
}

export function groupMod(e: GroupEntry, command = 0): OfpMessage {
  return { type: 'group_mod', xid: 0, command, groupType: e.groupType, groupId: e.groupId, buckets: e.buckets };
}

/** Every entry, groups first (flows refer to them), as the proxy orders its first bundle. */
export function entriesInOrder(c: CompiledSet): Entry[] {
  return [...c.groups, ...c.flows];
}
