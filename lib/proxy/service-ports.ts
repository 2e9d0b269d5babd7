/**
 * The proxy's one table of service ports: per service-port key, one record holding its id (the
 * number that names it on the switch: its cookies, its group id, its register value), the Service
 * that owns it, the Services waiting to take it over and the state it was last compiled from.
 * Records are found by key (a map) and by id (an array indexed by id).
 *
 * Ids must survive an agent restart, or every flow would change: on start the proxy reads them
 * back from the service flows it finds installed (a record with an id and no owner yet).
 */
import type { FlowStats } from '../../protocol/index.js';
import { CookieKind, cookieId, cookieKind } from './cookies.js';
import type { DumpedFlow } from './entries.js';
import { keyOfServiceFlow, keyOfServiceMatch } from './ids.js';
import type { ServicePortState } from './model.js';

/** Service-port ids live in 24 bits (they are part of group ids and learned-flow cookies). */
export const MAX_SERVICE_PORT_ID = 0xffffff;

export interface ServicePort {
  readonly key: string;
  readonly id: number;
  /** The Service whose flows it has: the first to claim the key (undefined: recovered, not claimed yet). */
  owner: string | undefined;
  /** Other Services claiming the key, recompiled when the owner lets go. */
  waiting: Set<string> | undefined;
  /** The state its desired entries were compiled from (undefined: not compiled). */
  compiled: ServicePortState | undefined;
  /** The last round of compiling its owner in which it was claimed (see ServiceProxy.recompute). */
  round: number;
}

export class ServicePortTable {
  private readonly byKey = new Map<string, ServicePort>();
  private readonly byId: (ServicePort | undefined)[] = [];
  private next = 1;

  get size(): number {
    return this.byKey.size;
  }

  /** The id of `key`, if it has one. */
  get(key: string): number | undefined {
    return this.byKey.get(key)?.id;
  }

  port(key: string): ServicePort | undefined {
    return this.byKey.get(key);
  }

  at(id: number): ServicePort | undefined {
    return this.byId[id];
  }

  values(): IterableIterator<ServicePort> {
    return this.byKey.values();
  }

  /** The record of `key`, with an id allocated if it has none. */
  acquirePort(key: string): ServicePort {
    const have = this.byKey.get(key);
    if (have) return have;
    let id = this.next;
    for (let tries = 0; this.byId[id] !== undefined; tries++) {
      if (tries > MAX_SERVICE_PORT_ID) throw new Error('no free service-port id (16M service ports in use)');
      id = id >= MAX_SERVICE_PORT_ID ? 1 : id + 1;
    }
    this.next = id >= MAX_SERVICE_PORT_ID ? 1 : id + 1;
    return this.add(key, id);
  }

  /** The id of `key`, allocating one if needed. */
  acquire(key: string): number {
    return this.acquirePort(key).id;
  }

  /** Forgets `key` and frees its id; returns the record as it was. */
  release(key: string): ServicePort | undefined {
    const sp = this.byKey.get(key);
    if (!sp) return undefined;
    this.byKey.delete(key);
    this.byId[sp.id] = undefined;
    return sp;
  }

  /** Re-binds keys to the ids found on the switch; returns how many were recovered. */
  recover(flows: Iterable<FlowStats>, serviceTable: number): number {
    let n = 0;
    for (const f of flows) {
      if (f.tableId !== serviceTable || cookieKind(f.cookie) !== CookieKind.Service) continue;
      if (this.bind(keyOfServiceMatch(f.match), cookieId(f.cookie))) n++;
    }
    return n;
  }

  /** recover() for flows read from a raw dump: the service-port key is read from the match bytes. */
  recoverDumped(flows: Iterable<DumpedFlow>, serviceTable: number): number {
    let n = 0;
    for (const f of flows) {
      if (f.tableId !== serviceTable || cookieKind(f.cookie) !== CookieKind.Service) continue;
      if (this.bind(keyOfServiceFlow(f), cookieId(f.cookie))) n++;
    }
    return n;
  }

  private bind(key: string | undefined, id: number): boolean {
    if (!key || id < 1 || id > MAX_SERVICE_PORT_ID || this.byId[id] !== undefined || this.byKey.has(key)) return false;
    this.add(key, id);
    if (id >= this.next) this.next = id + 1 > MAX_SERVICE_PORT_ID ? 1 : id + 1;
    return true;
  }

  private add(key: string, id: number): ServicePort {
    const sp: ServicePort = { key, id, owner: undefined, waiting: undefined, compiled: undefined, round: 0 };
    this.byKey.set(key, sp);
    this.byId[id] = sp;
    return sp;
  }
}
