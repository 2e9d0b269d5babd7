/**
 * Service-port ids: the number that names a service port on the switch (its cookies, its group id,
 * its register value). They must survive an agent restart, or every flow would change: on start the
 * proxy reads them back from the service flows it finds installed.
 */
import type { FlowStats, Match } from '../../protocol/index.js';
import { CookieKind, cookieId, cookieKind } from './cookies.js';
import { portKey } from './model.js';
import type { Protocol } from '../sources/types.js';

/** Service-port ids live in 24 bits (they are part of group ids and learned-flow cookies). */
export const MAX_SERVICE_PORT_ID = 0xffffff;

export class ServicePortIds {
  private readonly byKey = new Map<string, number>();
  private readonly used = new Set<number>();
  private next = 1;

  get(key: string): number | undefined {
    return this.byKey.get(key);
  }

  /** The id of `key`, allocating one if needed. */
  acquire(key: string): number {
    const have = this.byKey.get(key);
    if (have !== undefined) return have;
    let id = this.next;
    for (let tries = 0; this.used.has(id); tries++) {
      if (tries > MAX_SERVICE_PORT_ID) throw new Error('no free service-port id (16M service ports in use)');
      id = id >= MAX_SERVICE_PORT_ID ? 1 : id + 1;
    }
    this.next = id >= MAX_SERVICE_PORT_ID ? 1 : id + 1;
    this.byKey.set(key, id);
    this.used.add(id);
    return id;
  }

  release(key: string): void {
    const id = this.byKey.get(key);
    if (id === undefined) return;
    this.byKey.delete(key);
    this.used.delete(id);
  }

  /** Re-binds keys to the ids found on the switch; returns how many were recovered. */
  recover(flows: Iterable<FlowStats>, serviceTable: number): number {
    let n = 0;
    for (const f of flows) {
      if (f.tableId !== serviceTable || cookieKind(f.cookie) !== CookieKind.Service) continue;
      const key = keyOfServiceMatch(f.match);
      const id = cookieId(f.cookie);
      if (!key || id < 1 || id > MAX_SERVICE_PORT_ID || this.used.has(id) || this.byKey.has(key)) continue;
      this.byKey.set(key, id);
      this.used.add(id);
      if (id >= this.next) this.next = id + 1 > MAX_SERVICE_PORT_ID ? 1 : id + 1;
      n++;
    }
    return n;
  }
}

const PROTOCOLS: Record<number, Protocol> = { 6: 'TCP', 17: 'UDP', 132: 'SCTP' };

/** The service-port key a service flow's match stands for, or undefined. */
export function keyOfServiceMatch(match: Match): string | undefined {
  let family: 'IPv4' | 'IPv6' | undefined;
  let vip: string | undefined;
  let proto: Protocol | undefined;
  let port: number | undefined;
  for (const m of match) {
    switch (m.field) {
      case 'eth_type':
        family = m.value === 0x0800 ? 'IPv4' : m.value === 0x86dd ? 'IPv6' : undefined;
        break;
      case 'ipv4_dst':
      case 'ipv6_dst':
        if (m.mask === undefined) vip = String(m.value);
        break;
      case 'ip_proto':
        proto = PROTOCOLS[Number(m.value)];
        break;
      case 'tcp_dst':
      case 'udp_dst':
      case 'sctp_dst':
        if (m.mask === undefined) port = Number(m.value);
        break;
    }
  }
  return family && vip && proto && port !== undefined ? portKey(family, proto, vip, port) : undefined;
}
