/** The proxy's configuration: its tables, zones, registers, cookies and group ids. */
import { isIP, isIPv4, isIPv6 } from 'node:net';
import { parseCidr } from './cidr.js';

/** The registers the proxy's pipeline uses, by purpose. */
export interface ProxyRegisters {
  /** Service-port id (32 bits). */
  service: number;
  /** Selected slot (multipath result). */
  slot: number;
  /** Endpoint port in bits 0..15, affinity hit flag in bit 16. */
  aux: number;
  /** Endpoint IPv4 address. */
  ip4: number;
  /** Endpoint IPv6 address: xxreg index (xxreg1 = reg4..reg7). */
  ip6xx: number;
}

/**
 * The proxy pipeline's options: its tables, conntrack zones, registers, cookie, group ids and node
 * addresses.
 */
export interface ProxyOptions {
  /** First of the proxy's six tables (B..B+5). Default 10. */
  tableBase: number;
  /** Table every packet continues to, destination translated. Default 20; must be > tableBase+5. */
  nextTable: number;
  /** Conntrack zone for IPv4 DNAT. Default 65520. */
  ctZone: number;
  /** Conntrack zone for IPv6 DNAT. Default 65521. */
  ctZone6: number;
  /** Conntrack zone for IPv4 hairpin SNAT. Default 65522. */
  hairpinZone: number;
  /** Conntrack zone for IPv6 hairpin SNAT. Default 65523. */
  hairpinZone6: number;
  /** Conntrack zone for the IPv4 SNAT of external connections (externalTrafficPolicy Cluster). Default 65524. */
  snatZone: number;
  /** Conntrack zone for the IPv6 SNAT of external connections. Default 65525. */
  snatZone6: number;
  /** Source address of hairpinned IPv4 connections. Default 169.254.0.253. */
  hairpinIp: string;
  /** Source address of hairpinned IPv6 connections. Default fd00:ffff::253. */
  hairpinIp6: string;
  /** This node's name: needed for internalTrafficPolicy Local; limits hairpin flows to local pods. */
  nodeName?: string;
  /** The node's primary address per family (`--node-ip`): source of SNATed external connections. */
  nodeIPs?: string[];
  /** Addresses that accept NodePort connections (resolved `--nodeport-addresses`). */
  nodePortAddresses?: string[];
  /** The cluster's pod CIDRs: pods reaching an external address of an externalTrafficPolicy Local service use every endpoint. */
  clusterCidrs?: string[];
  /** This node's zone, for topology-aware routing. */
  zone?: string;
  /** Serve only services labelled service.kubernetes.io/service-proxy-name=<proxyName> (kube-proxy rule). */
  proxyName?: string;
  /** High 16 bits of every cookie the proxy writes. Default 0x0f77. */
  cookiePrefix: number;
  /** Group ids the proxy owns: [groupBase, groupBase + 2^24). Default 0x7f000000. */
  groupBase: number;
  registers: ProxyRegisters;
  /**
   * A service port is load-balanced by a select group (selected in the datapath, no upcall per
   * connection) when OVS's 256 hash slots can split it evenly within this ratio (most to least
   * loaded endpoint); otherwise by multipath into per-endpoint flows. Default 1.25.
   */
  maxGroupImbalance: number;
  /** Bytes of a rejected packet sent to the controller (to answer with RST / ICMP). Default 256. */
  rejectMaxLen: number;
}

/** The proxy pipeline's default options. */
export const DEFAULT_OPTIONS: ProxyOptions = {
  tableBase: 10,
  nextTable: 20,
  ctZone: 65520,
  ctZone6: 65521,
  hairpinZone: 65522,
  hairpinZone6: 65523,
  snatZone: 65524,
  snatZone6: 65525,
  hairpinIp: '169.254.0.253',
  hairpinIp6: 'fd00:ffff::253',
  cookiePrefix: 0x0f77,
  groupBase: 0x7f000000,
  registers: { service: 0, slot: 1, aux: 2, ip4: 3, ip6xx: 1 },
  maxGroupImbalance: 1.25,
  rejectMaxLen: 256,
};

/** Proxy options that cannot be used together or are out of range. */
export class ProxyConfigError extends Error {
  override readonly name = 'ProxyConfigError';
}

function int(name: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new ProxyConfigError(`${name}: ${v} is not an integer in ${min}..${max}`);
  }
}

/** Fills defaults and validates; throws ProxyConfigError naming the bad option. */
export function resolveOptions(partial: Partial<ProxyOptions> = {}): ProxyOptions {
  const o: ProxyOptions = {
    ...DEFAULT_OPTIONS,
    ...Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)),
    registers: { ...DEFAULT_OPTIONS.registers, ...(partial.registers ?? {}) },
  };
  int('tableBase', o.tableBase, 0, 248);
  int('nextTable', o.nextTable, 0, 254);
  if (o.nextTable <= o.tableBase + 5) {
    throw new ProxyConfigError(`nextTable: ${o.nextTable} must be above the proxy's tables ${o.tableBase}..${o.tableBase + 5}`);
  }
  const zones = ['ctZone', 'ctZone6', 'hairpinZone', 'hairpinZone6', 'snatZone', 'snatZone6'] as const;
  for (const k of zones) int(k, o[k], 0, 65535);
  if (new Set(zones.map((k) => o[k])).size !== zones.length) {
    throw new ProxyConfigError(`${zones.join(', ')} must all differ`);
  }
  for (const k of ['nodeIPs', 'nodePortAddresses'] as const) {
    for (const ip of o[k] ?? []) if (!isIP(ip)) throw new ProxyConfigError(`${k}: "${ip}" is not an IP address`);
  }
  for (const cidr of o.clusterCidrs ?? []) {
    if (!parseCidr(cidr)) throw new ProxyConfigError(`clusterCidrs: "${cidr}" is not a CIDR (e.g. 10.244.0.0/16)`);
  }
  if (!isIPv4(o.hairpinIp)) throw new ProxyConfigError(`hairpinIp: "${o.hairpinIp}" is not an IPv4 address`);
  if (!isIPv6(o.hairpinIp6)) throw new ProxyConfigError(`hairpinIp6: "${o.hairpinIp6}" is not an IPv6 address`);
  int('cookiePrefix', o.cookiePrefix, 1, 0xffff);
  int('groupBase', o.groupBase, 1, 0xff000000);
  if (o.groupBase % 0x1000000) throw new ProxyConfigError(`groupBase: 0x${o.groupBase.toString(16)} must be a multiple of 0x1000000`);
  const r = o.registers;
  for (const k of ['service', 'slot', 'aux', 'ip4'] as const) int(`registers.${k}`, r[k], 0, 15);
  int('registers.ip6xx', r.ip6xx, 0, 3);
  const used = [r.service, r.slot, r.aux, r.ip4];
  if (new Set(used).size !== 4) throw new ProxyConfigError('registers: service, slot, aux and ip4 must be different registers');
  const xx = [4 * r.ip6xx, 4 * r.ip6xx + 1, 4 * r.ip6xx + 2, 4 * r.ip6xx + 3];
  if (xx.some((x) => used.includes(x))) {
    throw new ProxyConfigError(`registers.ip6xx: xxreg${r.ip6xx} (reg${xx[0]}..reg${xx[3]}) overlaps another proxy register`);
  }
  if (!(o.maxGroupImbalance >= 1)) throw new ProxyConfigError(`maxGroupImbalance: ${o.maxGroupImbalance} must be ≥ 1`);
  int('rejectMaxLen', o.rejectMaxLen, 64, 0xffe5);
  return o;
}

/** The proxy's tables by role. */
export function tablesOf(o: ProxyOptions) {
  const b = o.tableBase;
  return {
    conntrack: b,
    service: b + 1,
    slot: b + 2,
    dnat: b + 3,
    affinity: b + 4,
    hairpin: b + 5,
    next: o.nextTable,
  };
}
