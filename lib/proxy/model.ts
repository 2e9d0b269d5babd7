/**
 * The service model: Services and EndpointSlices reduced to service ports, each with the endpoints
 * kube-proxy would use. Kept incrementally: a change to one Service or slice recomputes that
 * Service only.
 */
import { isProxyableService, objectKey, sliceServiceKey, type ProxyableOptions } from '../sources/convert.js';
import type { EndpointSlice, IPFamily, Protocol, Service, Snapshot, SourceChange } from '../sources/types.js';
import { categorizeEndpoints, type TopologyService } from './topology.js';

/** Longest learn timeout OpenFlow can carry (16 bits); longer affinity timeouts are capped. */
export const MAX_AFFINITY_SECONDS = 65535;

export interface EndpointTarget {
  ip: string;
  port: number;
  /** On this node (nodeName equals the proxy's), when the proxy knows its node. */
  local: boolean;
}

export type PortMode =
  /** Load-balance new connections over `endpoints`. */
  | 'serve'
  /** No usable endpoint anywhere: refuse new connections (TCP RST / ICMP unreachable). */
  | 'reject'
  /** internalTrafficPolicy Local and no local endpoint: drop, as kube-proxy does. */
  | 'drop';

/**
 * Where a service port is reached: its cluster IP, a node address with the node port, an external
 * IP or a load-balancer ingress IP (the last three are its external frontends).
 */
export type Frontend = 'clusterIP' | 'nodePort' | 'externalIP' | 'loadBalancer';

export interface ServicePortState {
  /**
   * `IPv4|TCP|10.96.0.10|80`: what the switch's flows identify a service port by; with `|pods`
   * for the pods' way into an external frontend of an externalTrafficPolicy Local service.
   */
  key: string;
  service: string;
  portName: string;
  family: IPFamily;
  protocol: Protocol;
  vip: string;
  port: number;
  mode: PortMode;
  /** Sorted by address then port; empty unless mode is `serve`. */
  endpoints: EndpointTarget[];
  /** ClientIP affinity timeout in seconds (capped at 65535), 0 without affinity. */
  affinitySeconds: number;
  /** Absent = clusterIP. */
  frontend?: Frontend;
  /** externalTrafficPolicy Cluster: new connections leave with this source address (a node address). */
  snat?: string;
  /** Only connections from these CIDRs (the cluster's pods) take this service port. */
  fromCidrs?: string[];
  /** loadBalancerSourceRanges of a load-balancer IP: clients outside them are dropped. */
  sourceRanges?: string[];
}

/** The key of the pods' way into an external frontend (see `ServicePortState.fromCidrs`). */
export function podsPortKey(key: string): string {
  return `${key}|pods`;
}

/** What the proxy knows of its node: addresses and zone (from flags or the Node object). */
export interface NodeInfo {
  /** The node's primary address per family: source of SNATed external connections. */
  nodeIPs?: string[];
  /** Addresses that accept NodePort connections (`--nodeport-addresses`). */
  nodePortAddresses?: string[];
  /** `topology.kubernetes.io/zone` of this node. */
  zone?: string;
}

/** What a health-check server answers for a service (externalTrafficPolicy Local load balancers). */
export interface HealthCheck {
  port: number;
  namespace: string;
  name: string;
  /** Ready endpoints on this node (distinct addresses). */
  localEndpoints: number;
}

export interface ModelOptions extends NodeInfo {
  nodeName?: string;
  proxyName?: string;
  /** The cluster's pod CIDRs: pods reaching an external frontend of a Local service use every endpoint. */
  clusterCidrs?: string[];
  /** Called once per service whose settings cannot be honoured exactly (the reason in one line). */
  warn?: (service: string, message: string) => void;
}

export function familyOf(ip: string): IPFamily {
  return ip.includes(':') ? 'IPv6' : 'IPv4';
}

export function portKey(family: IPFamily, protocol: Protocol, vip: string, port: number): string {
  return `${family}|${protocol}|${vip}|${port}`;
}

export class ServiceModel {
  private readonly services = new Map<string, Service>();
  private readonly slices = new Map<string, EndpointSlice>();
  /** service key → slice keys (a service has a few: a list, not a set per service) */
  private readonly slicesOf = new Map<string, string[]>();
  private readonly warned = new Set<string>();
  private readonly proxyable: ProxyableOptions;

  constructor(private readonly opts: ModelOptions = {}) {
    this.proxyable = opts.proxyName === undefined ? {} : { proxyName: opts.proxyName };
  }

  /** Changes what the model knows of the node; every service must be recomputed after it. */
  setNode(node: NodeInfo): void {
    for (const k of ['nodeIPs', 'nodePortAddresses', 'zone'] as const) {
      if (node[k] === undefined) delete this.opts[k];
      else (this.opts as Record<string, unknown>)[k] = node[k];
    }
  }

  /** The health check a Service needs (LoadBalancer, externalTrafficPolicy Local), or undefined. */
  healthCheckOf(serviceKey: string): HealthCheck | undefined {
    const svc = this.services.get(serviceKey);
    if (!svc?.healthCheckNodePort || svc.externalTrafficPolicy !== 'Local' || svc.type !== 'LoadBalancer') return undefined;
    if (!isProxyableService(svc, this.proxyable)) return undefined;
    const local = new Set<string>();
    for (const k of this.slicesOf.get(serviceKey) ?? []) {
      for (const e of this.slices.get(k)!.endpoints) {
        if (e.ready && this.opts.nodeName !== undefined && e.nodeName === this.opts.nodeName) local.add(e.addresses[0]!);
      }
    }
    return { port: svc.healthCheckNodePort, namespace: svc.namespace, name: svc.name, localEndpoints: local.size };
  }

  /**
   * Replaces everything; returns every service key known before or after. A source's snapshot (maps
   * keyed by `namespace/name`) is taken with its keys as they are.
   */
  reset(services: Iterable<Service> | Snapshot['services'], slices: Iterable<EndpointSlice> | Snapshot['slices']): Set<string> {
    const touched = new Set(this.services.keys());
    this.services.clear();
    this.slices.clear();
    this.slicesOf.clear();
    for (const [key, s] of keyedBy(services)) {
      this.services.set(key, s);
      touched.add(key);
    }
    for (const [key, sl] of keyedBy(slices)) this.putSlice(key, sl);
    return touched;
  }

  /** Applies source changes; returns the keys of the services whose ports may have changed. */
  apply(changes: readonly SourceChange[]): Set<string> {
    const touched = new Set<string>();
    for (const c of changes) {
      if (c.kind === 'service') {
        if (c.service) this.services.set(c.key, c.service);
        else this.services.delete(c.key);
        touched.add(c.key);
      } else {
        const old = this.slices.get(c.key);
        if (old) {
          const owner = sliceServiceKey(old);
          const keys = this.slicesOf.get(owner);
          const at = keys ? keys.indexOf(c.key) : -1;
          if (at >= 0) keys!.splice(at, 1);
          touched.add(owner);
          this.slices.delete(c.key);
        }
        if (c.slice) touched.add(this.putSlice(c.key, c.slice));
      }
    }
    return touched;
  }

  private putSlice(key: string, slice: EndpointSlice): string {
    this.slices.set(key, slice);
    const owner = sliceServiceKey(slice);
    const keys = this.slicesOf.get(owner);
    if (!keys) this.slicesOf.set(owner, [key]);
    else if (!keys.includes(key)) keys.push(key);
    return owner;
  }

  serviceKeys(): IterableIterator<string> {
    return this.services.keys();
  }

  /** The service ports of one Service (none when it is not served by this proxy). */
  portsOf(serviceKey: string): ServicePortState[] {
    const svc = this.services.get(serviceKey);
    if (!svc || !isProxyableService(svc, this.proxyable)) return [];
    const out: ServicePortState[] = [];
    const sliceList: EndpointSlice[] = [];
    for (const k of this.slicesOf.get(serviceKey) ?? NO_KEYS) sliceList.push(this.slices.get(k)!);
    let affinitySeconds = 0;
    if (svc.sessionAffinity === 'ClientIP') {
      affinitySeconds = Math.min(Math.max(1, svc.affinityTimeoutSeconds), MAX_AFFINITY_SECONDS);
      if (svc.affinityTimeoutSeconds > MAX_AFFINITY_SECONDS) {
        this.warnOnce(
          serviceKey,
          'affinity',
          `sessionAffinity timeout ${svc.affinityTimeoutSeconds}s capped at ${MAX_AFFINITY_SECONDS}s (OpenFlow learn timeouts are 16-bit)`,
        );
      }
    }
    let internalLocal = svc.internalTrafficPolicy === 'Local';
    if (internalLocal && this.opts.nodeName === undefined) {
      this.warnOnce(serviceKey, 'local', 'internalTrafficPolicy Local needs the node name; serving it as Cluster');
      internalLocal = false;
    }
    let externalLocal = svc.externalTrafficPolicy === 'Local';
    const external = this.externalAddresses(svc);
    if (externalLocal && external.length && this.opts.nodeName === undefined) {
      this.warnOnce(serviceKey, 'external-local', 'externalTrafficPolicy Local needs the node name; serving it as Cluster');
      externalLocal = false;
    }
    const push = (
      sp: Service['ports'][number],
      family: IPFamily,
      vip: string,
      port: number,
      state: Partial<ServicePortState>,
      endpoints: EndpointTarget[],
      mode: PortMode,
    ) => {
      out.push(Object.assign(portState(serviceKey, affinitySeconds, sp, family, vip, port, endpoints, mode), state));
    };
    const topology: TopologyService = {
      trafficDistribution: svc.trafficDistribution,
      topologyMode: svc.topologyMode,
      usesCluster: !internalLocal || (external.length > 0 && !externalLocal),
      usesLocal: internalLocal || (external.length > 0 && externalLocal),
    };
    for (const vip of svc.clusterIPs) {
      if (!vip || vip === 'None') continue;
      const family = familyOf(vip);
      for (const sp of svc.ports) {
        const all = this.endpointsFor(sliceList, family, sp.name, sp.protocol);
        const c = categorizeEndpoints(all, topology, this.opts.zone);
        const cluster = c.cluster.map(target);
        const local = c.local.length ? c.local.map(target) : [];
        const mode = internalLocal ? (!c.hasAny ? 'reject' : local.length ? 'serve' : 'drop') : cluster.length ? 'serve' : 'reject';
        out.push(portState(serviceKey, affinitySeconds, sp, family, vip, sp.port, internalLocal ? local : cluster, mode));
        if (sp.protocol === 'SCTP' && [...cluster, ...local].some((e) => e.port !== sp.port)) {
          this.warnOnce(
            serviceKey,
            `sctp-${sp.port}`,
            `SCTP port ${sp.port}: Open vSwitch's userspace conntrack cannot translate SCTP ports; traffic reaches the endpoints on port ${sp.port}`,
          );
        }
        for (const ext of external) {
          if (familyOf(ext.ip) !== family) continue;
          const port = ext.frontend === 'nodePort' ? sp.nodePort : sp.port;
          if (port === undefined) continue;
          const state: Partial<ServicePortState> = { frontend: ext.frontend };
          if (ext.frontend === 'loadBalancer' && svc.loadBalancerSourceRanges?.length) {
            const ranges = svc.loadBalancerSourceRanges.filter((r) => familyOf(r) === family);
            // Ranges of the other family only: no client of this family is allowed.
            state.sourceRanges = ranges.length ? ranges : [];
          }
          if (externalLocal) {
            push(sp, family, ext.ip, port, state, local, !c.hasAny ? 'reject' : local.length ? 'serve' : 'drop');
            const pods = (this.opts.clusterCidrs ?? []).filter((r) => familyOf(r) === family);
            if (pods.length) {
              push(sp, family, ext.ip, port, { ...state, fromCidrs: pods }, cluster, cluster.length ? 'serve' : 'reject');
              const last = out[out.length - 1]!;
              last.key = podsPortKey(last.key);
            }
            continue;
          }
          const snat = ext.frontend === 'nodePort' ? ext.ip : this.primaryIP(family);
          if (snat === undefined) {
            this.warnOnce(
              serviceKey,
              `snat-${family}`,
              `no ${family} node address to SNAT external connections to (--node-ip); its external ${family} addresses are not served`,
            );
            continue;
          }
          push(sp, family, ext.ip, port, { ...state, snat }, cluster, cluster.length ? 'serve' : 'reject');
        }
      }
    }
    return out;
  }

  /** The node's address of a family that SNATed external connections leave with. */
  private primaryIP(family: IPFamily): string | undefined {
    return (
      (this.opts.nodeIPs ?? []).find((ip) => familyOf(ip) === family) ??
      (this.opts.nodePortAddresses ?? []).find((ip) => familyOf(ip) === family)
    );
  }

  /** The external frontends' addresses of a Service: node addresses (node ports), external and load-balancer IPs. */
  private externalAddresses(svc: Service): { frontend: Frontend; ip: string }[] {
    const out: { frontend: Frontend; ip: string }[] = [];
    if ((svc.type === 'NodePort' || svc.type === 'LoadBalancer') && svc.ports.some((p) => p.nodePort !== undefined)) {
      const addresses = this.opts.nodePortAddresses ?? [];
      if (!addresses.length)
        this.warnOnce(
          '',
          'no-node-address',
          'no node address (--node-ip, --nodeport-addresses or the Node object): node ports are not served',
        );
      for (const ip of addresses) out.push({ frontend: 'nodePort', ip });
    }
    for (const ip of svc.externalIPs ?? NO_ADDRESSES) out.push({ frontend: 'externalIP', ip });
    if (svc.type === 'LoadBalancer') for (const ip of svc.loadBalancerIPs ?? NO_ADDRESSES) out.push({ frontend: 'loadBalancer', ip });
    return out;
  }

  private endpointsFor(slices: EndpointSlice[], family: IPFamily, portName: string, protocol: Protocol): Candidate[] {
    const out: Candidate[] = [];
    /** Address and port → index in `out`, once `out` is too long to search. */
    let index: Map<string, number> | undefined;
    for (const slice of slices) {
      if (slice.addressType !== family) continue;
      let port: number | undefined;
      for (const x of slice.ports) {
        if (x.name === portName && x.protocol === protocol) {
          port = x.port;
          break;
        }
      }
      if (port === undefined) continue;
      for (const e of slice.endpoints) {
        const ip = e.addresses[0];
        if (!ip) continue;
        const c: Candidate = {
          ip,
          port,
          ready: e.ready,
          serving: e.serving,
          terminating: e.terminating,
          local: this.opts.nodeName !== undefined && e.nodeName === this.opts.nodeName,
        };
        if (e.zoneHints) c.zoneHints = e.zoneHints;
        let at = -1;
        if (index === undefined && out.length < SEARCH_UP_TO) {
          for (let i = 0; i < out.length; i++) {
            if (out[i]!.ip === ip && out[i]!.port === port) {
              at = i;
              break;
            }
          }
        } else {
          index ??= new Map(out.map((x, i) => [`${x.ip}|${x.port}`, i]));
          const key = `${ip}|${port}`;
          at = index.get(key) ?? -1;
          if (at < 0) index.set(key, out.length);
        }
        // The same address in two slices (during a move): the more usable entry wins.
        if (at < 0) out.push(c);
        else if (rank(c) > rank(out[at]!)) out[at] = c;
      }
    }
    return sortEndpoints(out);
  }

  private warnOnce(service: string, what: string, message: string): void {
    const k = `${service}|${what}`;
    if (this.warned.has(k)) return;
    this.warned.add(k);
    this.opts.warn?.(service, message);
  }
}

interface Candidate {
  ip: string;
  port: number;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  local: boolean;
  zoneHints?: string[];
}

function target(c: Candidate): EndpointTarget {
  return { ip: c.ip, port: c.port, local: c.local };
}

function portState(
  service: string,
  affinitySeconds: number,
  sp: Service['ports'][number],
  family: IPFamily,
  vip: string,
  port: number,
  endpoints: EndpointTarget[],
  mode: PortMode,
): ServicePortState {
  return {
    key: portKey(family, sp.protocol, vip, port),
    service,
    portName: sp.name,
    family,
    protocol: sp.protocol,
    vip,
    port,
    mode,
    endpoints: mode === 'serve' ? endpoints : [],
    affinitySeconds,
  };
}

const NO_ADDRESSES: readonly string[] = [];

/** Objects with their `namespace/name` keys: a map's own, or made from each object. */
function keyedBy<T extends { namespace: string; name: string }>(objects: Iterable<T> | Map<string, T>): Iterable<[string, T]> {
  if (objects instanceof Map) return objects;
  return (function* () {
    for (const o of objects) yield [objectKey(o.namespace, o.name), o] as [string, T];
  })();
}

function rank(c: Candidate): number {
  return c.ready ? 2 : c.serving && c.terminating ? 1 : 0;
}

function compareEndpoints(a: { ip: string; port: number }, b: { ip: string; port: number }): number {
  return a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : a.port - b.port;
}

/** Endpoints searched one by one below this count, and sorted by insertion (no two are equal). */
const SEARCH_UP_TO = 16;

const NO_KEYS: readonly string[] = [];

function sortEndpoints(list: Candidate[]): Candidate[] {
  if (list.length > SEARCH_UP_TO) return list.sort(compareEndpoints);
  for (let i = 1; i < list.length; i++) {
    const x = list[i]!;
    let j = i - 1;
    for (; j >= 0 && compareEndpoints(list[j]!, x) > 0; j--) list[j + 1] = list[j]!;
    list[j + 1] = x;
  }
  return list;
}
