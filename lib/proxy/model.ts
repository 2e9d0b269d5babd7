/**
 * The service model: Services and EndpointSlices reduced to service ports, each with the endpoints
 * kube-proxy would use. Kept incrementally: a change to one Service or slice recomputes that
 * Service only.
 */
import { isProxyableService, objectKey, sliceServiceKey } from '../sources/model.js';
import type { EndpointSlice, IPFamily, Protocol, Service, SourceChange } from '../sources/types.js';

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

export interface ServicePortState {
  /** `IPv4|TCP|10.96.0.10|80`: what the switch's flows identify a service port by. */
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
}

export interface ModelOptions {
  nodeName?: string;
  proxyName?: string;
  /** Called once per service whose settings cannot be honoured exactly (the reason in one line). */
  warn?: (service: string, message: string) => void;
}

function familyOf(ip: string): IPFamily {
  return ip.includes(':') ? 'IPv6' : 'IPv4';
}

export function portKey(family: IPFamily, protocol: Protocol, vip: string, port: number): string {
  return `${family}|${protocol}|${vip}|${port}`;
}

export class ServiceModel {
  private readonly services = new Map<string, Service>();
  private readonly slices = new Map<string, EndpointSlice>();
  /** service key → slice keys */
  private readonly slicesOf = new Map<string, Set<string>>();
  private readonly warned = new Set<string>();

  constructor(private readonly opts: ModelOptions = {}) {}

  /** Replaces everything; returns every service key known before or after. */
  reset(services: Iterable<Service>, slices: Iterable<EndpointSlice>): Set<string> {
    const touched = new Set(this.services.keys());
    this.services.clear();
    this.slices.clear();
    this.slicesOf.clear();
    for (const s of services) {
      const key = objectKey(s.namespace, s.name);
      this.services.set(key, s);
      touched.add(key);
    }
    for (const sl of slices) this.putSlice(objectKey(sl.namespace, sl.name), sl);
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
          this.slicesOf.get(owner)?.delete(c.key);
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
    let set = this.slicesOf.get(owner);
    if (!set) this.slicesOf.set(owner, (set = new Set()));
    set.add(key);
    return owner;
  }

  serviceKeys(): IterableIterator<string> {
    return this.services.keys();
  }

  /** The service ports of one Service (none when it is not served by this proxy). */
  portsOf(serviceKey: string): ServicePortState[] {
    const svc = this.services.get(serviceKey);
    if (!svc || !isProxyableService(svc, this.opts.proxyName === undefined ? {} : { proxyName: this.opts.proxyName })) {
      return [];
    }
    const out: ServicePortState[] = [];
    const sliceList = [...(this.slicesOf.get(serviceKey) ?? [])].map((k) => this.slices.get(k)!);
    let affinitySeconds = 0;
    if (svc.sessionAffinity === 'ClientIP') {
      affinitySeconds = Math.min(Math.max(1, svc.affinityTimeoutSeconds), MAX_AFFINITY_SECONDS);
      if (svc.affinityTimeoutSeconds > MAX_AFFINITY_SECONDS) {
        this.warnOnce(serviceKey, 'affinity', `sessionAffinity timeout ${svc.affinityTimeoutSeconds}s capped at ${MAX_AFFINITY_SECONDS}s (OpenFlow learn timeouts are 16-bit)`);
      }
    }
    let local = svc.internalTrafficPolicy === 'Local';
    if (local && this.opts.nodeName === undefined) {
      this.warnOnce(serviceKey, 'local', 'internalTrafficPolicy Local needs the node name; serving it as Cluster');
      local = false;
    }
    for (const vip of svc.clusterIPs) {
      if (!vip || vip === 'None') continue;
      const family = familyOf(vip);
      for (const sp of svc.ports) {
        const all = this.endpointsFor(sliceList, family, sp.name, sp.protocol);
        const usable = pickUsable(all);
        let endpoints = usable.map((e) => ({ ip: e.ip, port: e.port, local: e.local }));
        let mode: PortMode = endpoints.length ? 'serve' : 'reject';
        if (local && endpoints.length) {
          const mine = pickUsable(all.filter((e) => e.local));
          endpoints = mine.map((e) => ({ ip: e.ip, port: e.port, local: true }));
          if (!endpoints.length) mode = 'drop';
        }
        if (sp.protocol === 'SCTP' && endpoints.some((e) => e.port !== sp.port)) {
          this.warnOnce(
            serviceKey,
            `sctp-${sp.port}`,
            `SCTP port ${sp.port}: Open vSwitch's userspace conntrack cannot translate SCTP ports; traffic reaches the endpoints on port ${sp.port}`,
          );
        }
        out.push({
          key: portKey(family, sp.protocol, vip, sp.port),
          service: serviceKey,
          portName: sp.name,
          family,
          protocol: sp.protocol,
          vip,
          port: sp.port,
          mode,
          endpoints: mode === 'serve' ? endpoints : [],
          affinitySeconds,
        });
      }
    }
    return out;
  }

  private endpointsFor(slices: EndpointSlice[], family: IPFamily, portName: string, protocol: Protocol): Candidate[] {
    const seen = new Map<string, Candidate>();
    for (const slice of slices) {
      if (slice.addressType !== family) continue;
      const p = slice.ports.find((x) => x.name === portName && x.protocol === protocol);
      if (!p) continue;
      for (const e of slice.endpoints) {
        const ip = e.addresses[0];
        if (!ip) continue;
        const key = `${ip}|${p.port}`;
        const c: Candidate = {
          ip,
          port: p.port,
          ready: e.ready,
          serving: e.serving,
          terminating: e.terminating,
          local: this.opts.nodeName !== undefined && e.nodeName === this.opts.nodeName,
        };
        const prev = seen.get(key);
        // The same address in two slices (during a move): the more usable entry wins.
        if (!prev || rank(c) > rank(prev)) seen.set(key, c);
      }
    }
    return [...seen.values()].sort(compareEndpoints);
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
}

function rank(c: Candidate): number {
  return c.ready ? 2 : c.serving && c.terminating ? 1 : 0;
}

/** Ready endpoints; when there are none, the serving-but-terminating ones (kube-proxy's rule). */
function pickUsable(all: Candidate[]): Candidate[] {
  const ready = all.filter((e) => e.ready);
  if (ready.length) return ready;
  return all.filter((e) => e.serving && e.terminating);
}

function compareEndpoints(a: { ip: string; port: number }, b: { ip: string; port: number }): number {
  return a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : a.port - b.port;
}
