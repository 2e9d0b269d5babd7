/**
 * The pipeline as a pure function: proxy options and one service port in, the flows and groups that
 * implement it out. No I/O; the reconciler decides what actually goes to the switch.
 *
 * Tables (B = tableBase, N = nextTable):
 *   B+0  conntrack: un-SNAT hairpin replies (hairpin zone) and replies to SNATed external
 *        connections (SNAT zone), then ct(nat) in the DNAT zone → B+1; load-balancer source ranges
 *   B+1  one flow per service port for new connections: group, multipath, reject or drop; else → B+5
 *   B+2  per-endpoint slot flows of multipath service ports; affinity hits → B+3
 *   B+3  DNAT from registers, for affinity hits (one flow per endpoint of an affinity service)
 *   B+4  learned ClientIP affinity flows
 *   B+5  SNAT of external connections (externalTrafficPolicy Cluster) to the node address, in the
 *        SNAT zone; hairpin SNAT (source = destination = a pod) → N
 */
import type { Action, Bucket, Instruction, Match, OxmField } from '../../protocol/index.js';
import { parseIpv4, parseIpv6 } from '../../protocol/fields/values.js';
import type { ServicePortState } from './model.js';
import { CookieKind, cookie, learnedCookie } from './cookies.js';
import type { Entry, FlowEntry, GroupEntry } from './entries.js';
import { parseCidr } from './cidr.js';
import { tablesOf, type ProxyOptions } from './options.js';
import { groupWeights } from './weights.js';
import { OFPGT_SELECT, OFPG_ANY, OFPP16_IN_PORT, OFPP_ANY, OFPP_CONTROLLER } from '../../protocol/constants/openflow13.js';
import {
  NX_CT_F_COMMIT,
  NX_HASH_FIELDS_SYMMETRIC_L3L4_UDP,
  NX_MP_ALG_MODULO_N,
  NX_NAT_F_DST,
  NX_NAT_F_SRC,
} from '../../protocol/constants/nicira.js';
import { ETH_TYPE_IP, ETH_TYPE_IPV6, IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP } from '../../protocol/constants/packet.js';

const PROTO_NUMBER = { TCP: IPPROTO_TCP, UDP: IPPROTO_UDP, SCTP: IPPROTO_SCTP } as const;
const L4_DST = { TCP: 'tcp_dst', UDP: 'udp_dst', SCTP: 'sctp_dst' } as const;
const CT_NEW = 0x01;
const CT_RPL = 0x08;
const CT_INV = 0x10;
const CT_TRK = 0x20;
const AFFINITY_HIT_BIT = 16;

/** Priorities inside the proxy's tables. */
export const PRIORITY = {
  hairpinReply: 110,
  track: 100,
  sourceAllowed: 105,
  sourceDenied: 104,
  service: 100,
  podsService: 110,
  affinityHit: 200,
  slot: 100,
  dnat: 100,
  snat: 150,
  hairpin: 100,
  miss: 0,
} as const;

/** Everything one service port needs: entries it owns, and entries it shares with others. */
export interface CompiledPort {
  own: Entry[];
  shared: FlowEntry[];
  /** `group` when selected by a select group, `slots` when by multipath, else how it refuses. */
  shape: 'group' | 'slots' | 'reject' | 'drop';
}

function reg(n: number, value: number, mask?: number): OxmField {
  return mask === undefined ? { field: `reg${n}`, value } : { field: `reg${n}`, value, mask };
}

function regsSorted(list: OxmField[]): OxmField[] {
  return list.sort((a, b) => Number(a.field.slice(3)) - Number(b.field.slice(3)));
}

function goto(table: number): Instruction {
  return { type: 'goto_table', tableId: table };
}

function apply(actions: Action[]): Instruction[] {
  return actions.length ? [{ type: 'apply_actions', actions }] : [];
}

function ipField(family: ServicePortState['family'], which: 'src' | 'dst'): string {
  return family === 'IPv4' ? `ipv4_${which}` : `ipv6_${which}`;
}

function ethType(family: ServicePortState['family']): number {
  return family === 'IPv4' ? ETH_TYPE_IP : ETH_TYPE_IPV6;
}

function dnatZone(o: ProxyOptions, family: ServicePortState['family']): number {
  return family === 'IPv4' ? o.ctZone : o.ctZone6;
}

function snatZone(o: ProxyOptions, family: ServicePortState['family']): number {
  return family === 'IPv4' ? o.snatZone : o.snatZone6;
}

/** A source-address match (network and mask) for a CIDR, or for a bare address. */
function sourceField(family: ServicePortState['family'], cidr: string): OxmField {
  const c = parseCidr(cidr);
  if (!c || c.family !== family) throw new Error(`${cidr} is not an ${family} CIDR`);
  const f: OxmField = { field: ipField(family, 'src'), value: c.network };
  if (c.mask !== undefined) f.mask = c.mask;
  return f;
}

/** ct(commit,table=B+5,zone=Z,nat(dst=IP[:PORT])). SCTP gets no port: OVS's userspace conntrack cannot translate SCTP ports. */
export function dnatAction(o: ProxyOptions, sp: Pick<ServicePortState, 'family' | 'protocol'>, ip: string, port: number): Action {
  const nat: Action =
    sp.protocol === 'SCTP'
      ? { type: 'nat', flags: NX_NAT_F_DST, ipMin: ip }
      : { type: 'nat', flags: NX_NAT_F_DST, ipMin: ip, portMin: port };
  return { type: 'ct', flags: NX_CT_F_COMMIT, zone: dnatZone(o, sp.family), recircTable: tablesOf(o).hairpin, alg: 0, actions: [nat] };
}

/** The fixed flows of the pipeline. */
export function baseEntries(o: ProxyOptions): FlowEntry[] {
  const t = tablesOf(o);
  const c = cookie(o.cookiePrefix, CookieKind.Base);
  const flow = (table: number, priority: number, match: Match, instructions: Instruction[]): FlowEntry => ({
    kind: 'flow',
    table,
    priority,
    match,
    instructions,
    cookie: c,
  });
  const ct = (zone: number, table: number): Action => ({
    type: 'ct',
    flags: 0,
    zone,
    recircTable: table,
    alg: 0,
    actions: [{ type: 'nat', flags: 0 }],
  });
  const untracked: OxmField = { field: 'ct_state', value: 0, mask: CT_TRK };
  return [
    flow(
      t.conntrack,
      PRIORITY.hairpinReply,
      [{ field: 'eth_type', value: ETH_TYPE_IP }, { field: 'ipv4_dst', value: o.hairpinIp }, untracked],
      apply([ct(o.hairpinZone, t.conntrack)]),
    ),
    flow(
      t.conntrack,
      PRIORITY.hairpinReply,
      [{ field: 'eth_type', value: ETH_TYPE_IPV6 }, { field: 'ipv6_dst', value: o.hairpinIp6 }, untracked],
      apply([ct(o.hairpinZone6, t.conntrack)]),
    ),
    flow(t.conntrack, PRIORITY.track, [{ field: 'eth_type', value: ETH_TYPE_IP }], apply([ct(o.ctZone, t.service)])),
    flow(t.conntrack, PRIORITY.track, [{ field: 'eth_type', value: ETH_TYPE_IPV6 }], apply([ct(o.ctZone6, t.service)])),
    flow(t.conntrack, PRIORITY.miss, [], [goto(t.next)]),
    flow(t.service, PRIORITY.miss, [], [goto(t.hairpin)]),
    flow(t.slot, PRIORITY.affinityHit, [reg(o.registers.aux, 1 << AFFINITY_HIT_BIT, 1 << AFFINITY_HIT_BIT)], [goto(t.dnat)]),
    flow(t.slot, PRIORITY.miss, [], []),
    flow(t.dnat, PRIORITY.miss, [], []),
    flow(t.affinity, PRIORITY.miss, [], []),
    flow(t.hairpin, PRIORITY.miss, [], [goto(t.next)]),
  ];
}

/** The B+1 match of a service port: new tracked connections to its cluster IP and port (from `from`, a CIDR). */
export function serviceMatch(sp: Pick<ServicePortState, 'family' | 'protocol' | 'vip' | 'port'>, from?: string): Match {
  return [
    { field: 'eth_type', value: ethType(sp.family) },
    ...(from === undefined ? [] : [sourceField(sp.family, from)]),
    { field: ipField(sp.family, 'dst'), value: sp.vip },
    { field: 'ip_proto', value: PROTO_NUMBER[sp.protocol] },
    { field: L4_DST[sp.protocol], value: sp.port },
    { field: 'ct_state', value: CT_NEW | CT_TRK, mask: CT_NEW | CT_TRK },
  ];
}

/** One select-group bucket: DNAT to one endpoint. */
export function groupBucket(
  o: ProxyOptions,
  sp: Pick<ServicePortState, 'family' | 'protocol'>,
  weight: number,
  ip: string,
  port: number,
): Bucket {
  return { weight, watchPort: OFPP_ANY, watchGroup: OFPG_ANY, actions: [dnatAction(o, sp, ip, port)] };
}

/** The instructions of a service flow that hands new connections to its group. */
export function toGroup(groupId: number): Instruction[] {
  return apply([{ type: 'group', groupId }]);
}

/** The instructions of a service flow without endpoints: the packet goes up to be answered. */
export function toController(o: ProxyOptions): Instruction[] {
  return apply([{ type: 'output', port: OFPP_CONTROLLER, maxLen: o.rejectMaxLen }]);
}

/** Whether a service port is load-balanced by a select group (else by multipath slots). */
export function usesGroup(o: ProxyOptions, sp: ServicePortState): boolean {
  if (sp.mode !== 'serve' || sp.protocol === 'UDP' || sp.affinitySeconds > 0) return false;
  const w = groupWeights(sp.endpoints.length);
  return w !== null && w.imbalance <= o.maxGroupImbalance;
}

export function groupIdOf(o: ProxyOptions, servicePortId: number): number {
  return o.groupBase + servicePortId;
}

function ipBytes(ip: string): Buffer {
  if (ip.includes(':')) return Buffer.from(parseIpv6(ip)!);
  const b = Buffer.alloc(4);
  b.writeUInt32BE(parseIpv4(ip));
  return b;
}

function u16Bytes(v: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(v);
  return b;
}

function learnAction(o: ProxyOptions, sp: ServicePortState, id: number, ip: string, port: number): Action {
  const r = o.registers;
  const t = tablesOf(o);
  const v6 = sp.family === 'IPv6';
  const whole = (field: string, nBits: number) => ({ field, ofs: 0, nBits });
  return {
    type: 'learn',
    idleTimeout: sp.affinitySeconds,
    hardTimeout: 0,
    priority: 100,
    cookie: learnedCookie(o.cookiePrefix, id, ip, port),
    flags: 0,
    tableId: t.affinity,
    finIdleTimeout: 0,
    finHardTimeout: 0,
    specs: [
      { kind: 'match_immediate', value: u16Bytes(ethType(sp.family)), dst: whole('eth_type', 16) },
      { kind: 'match_field', src: whole(ipField(sp.family, 'src'), v6 ? 128 : 32), dst: whole(ipField(sp.family, 'src'), v6 ? 128 : 32) },
      { kind: 'match_field', src: whole(`reg${r.service}`, 32), dst: whole(`reg${r.service}`, 32) },
      v6
        ? { kind: 'load_immediate', value: ipBytes(ip), dst: whole(`xxreg${r.ip6xx}`, 128) }
        : { kind: 'load_immediate', value: ipBytes(ip), dst: whole(`reg${r.ip4}`, 32) },
      { kind: 'load_immediate', value: u16Bytes(port), dst: { field: `reg${r.aux}`, ofs: 0, nBits: 16 } },
      { kind: 'load_immediate', value: u16Bytes(1), dst: { field: `reg${r.aux}`, ofs: AFFINITY_HIT_BIT, nBits: 1 } },
    ],
  };
}

/** The B+3 flow that DNATs an affinity hit from the endpoint loaded into registers. */
function dnatFromRegisters(o: ProxyOptions, sp: ServicePortState, ip: string, port: number): FlowEntry {
  const r = o.registers;
  const regs: OxmField[] = [reg(r.aux, port, 0xffff)];
  if (sp.family === 'IPv4') {
    regs.push(reg(r.ip4, parseIpv4(ip)));
  } else {
    const b = parseIpv6(ip)!;
    for (let i = 0; i < 4; i++) regs.push(reg(4 * r.ip6xx + i, Buffer.from(b).readUInt32BE(4 * i)));
  }
  return {
    kind: 'flow',
    table: tablesOf(o).dnat,
    priority: PRIORITY.dnat,
    match: [{ field: 'eth_type', value: ethType(sp.family) }, { field: 'ip_proto', value: PROTO_NUMBER[sp.protocol] }, ...regsSorted(regs)],
    instructions: apply([dnatAction(o, sp, ip, port)]),
    cookie: cookie(o.cookiePrefix, CookieKind.Dnat),
  };
}

/** The B+5 flow that SNATs a pod's connection to itself through a service (hairpin). */
export function hairpinEntry(o: ProxyOptions, ip: string): FlowEntry {
  const v6 = ip.includes(':');
  const family = v6 ? 'IPv6' : 'IPv4';
  return {
    kind: 'flow',
    table: tablesOf(o).hairpin,
    priority: PRIORITY.hairpin,
    match: [
      { field: 'eth_type', value: v6 ? ETH_TYPE_IPV6 : ETH_TYPE_IP },
      { field: ipField(family, 'src'), value: ip },
      { field: ipField(family, 'dst'), value: ip },
    ],
    instructions: apply([
      {
        type: 'ct',
        flags: NX_CT_F_COMMIT,
        zone: v6 ? o.hairpinZone6 : o.hairpinZone,
        recircTable: o.nextTable,
        alg: 0,
        actions: [{ type: 'nat', flags: NX_NAT_F_SRC, ipMin: v6 ? o.hairpinIp6 : o.hairpinIp }],
      },
    ]),
    cookie: cookie(o.cookiePrefix, CookieKind.Hairpin),
  };
}

/** Compiles one service port (identified on the switch by `id`). */
export function compilePort(o: ProxyOptions, sp: ServicePortState, id: number): CompiledPort {
  const t = tablesOf(o);
  const r = o.registers;
  const serviceFlows = (instructions: Instruction[]): FlowEntry[] =>
    (sp.fromCidrs ?? [undefined]).map((from) => ({
      kind: 'flow',
      table: t.service,
      priority: from === undefined ? PRIORITY.service : PRIORITY.podsService,
      match: serviceMatch(sp, from),
      instructions,
      cookie: cookie(o.cookiePrefix, CookieKind.Service, id),
    }));
  const ranges = sourceRangeEntries(o, sp, id);
  if (sp.mode === 'reject') {
    return { own: [...serviceFlows(toController(o)), ...ranges], shared: [], shape: 'reject' };
  }
  if (sp.mode === 'drop') return { own: [...serviceFlows([]), ...ranges], shared: [], shape: 'drop' };

  const shared: FlowEntry[] = [];
  if (sp.snat !== undefined) shared.push(unsnatEntry(o, sp.snat));
  const external = [...ranges, ...(sp.snat === undefined ? [] : [snatEntry(o, sp, id, sp.snat)])];
  for (const ep of sp.endpoints) {
    if (o.nodeName === undefined || ep.local) shared.push(hairpinEntry(o, ep.ip));
  }

  if (usesGroup(o, sp)) {
    const w = groupWeights(sp.endpoints.length)!;
    const bucket = (weight: number, ep: { ip: string; port: number }) => groupBucket(o, sp, weight, ep.ip, ep.port);
    const buckets = sp.endpoints.map((ep, i) => bucket(w.weights[i]!, ep));
    if (w.extra) buckets.push(bucket(w.extra, sp.endpoints[0]!));
    const groupId = groupIdOf(o, id);
    const group: GroupEntry = { kind: 'group', groupId, groupType: OFPGT_SELECT, buckets };
    return { own: [group, ...serviceFlows(toGroup(groupId)), ...external], shared, shape: 'group' };
  }

  const affinity = sp.affinitySeconds > 0;
  const actions: Action[] = [{ type: 'set_field', field: `reg${r.service}`, value: id }];
  if (affinity) actions.push({ type: 'resubmit_table', inPort: OFPP16_IN_PORT, tableId: t.affinity });
  actions.push({
    type: 'multipath',
    fields: NX_HASH_FIELDS_SYMMETRIC_L3L4_UDP,
    basis: 0,
    algorithm: NX_MP_ALG_MODULO_N,
    maxLink: sp.endpoints.length - 1,
    arg: 0,
    dst: { field: `reg${r.slot}`, ofs: 0, nBits: 32 },
  });
  const own: Entry[] = [...serviceFlows([...apply(actions), goto(t.slot)]), ...external];
  sp.endpoints.forEach((ep, slot) => {
    const slotActions: Action[] = [];
    if (affinity) slotActions.push(learnAction(o, sp, id, ep.ip, ep.port));
    slotActions.push(dnatAction(o, sp, ep.ip, ep.port));
    own.push({
      kind: 'flow',
      table: t.slot,
      priority: PRIORITY.slot,
      match: [
        { field: 'eth_type', value: ethType(sp.family) },
        { field: 'ip_proto', value: PROTO_NUMBER[sp.protocol] },
        ...regsSorted([reg(r.service, id), reg(r.slot, slot)]),
      ],
      instructions: apply(slotActions),
      cookie: cookie(o.cookiePrefix, CookieKind.Slot, id),
    });
    if (affinity) shared.push(dnatFromRegisters(o, sp, ep.ip, ep.port));
  });
  return { own, shared, shape: 'slots' };
}

/**
 * The B+0 flow that un-SNATs replies to external connections SNATed to `address` (SNAT zone),
 * before the DNAT zone restores the frontend's address. Shared by every frontend SNATing to it.
 */
export function unsnatEntry(o: ProxyOptions, address: string): FlowEntry {
  const family = address.includes(':') ? 'IPv6' : 'IPv4';
  const t = tablesOf(o);
  return {
    kind: 'flow',
    table: t.conntrack,
    priority: PRIORITY.hairpinReply,
    match: [
      { field: 'eth_type', value: ethType(family) },
      { field: ipField(family, 'dst'), value: address },
      { field: 'ct_state', value: 0, mask: CT_TRK },
    ],
    instructions: apply([
      { type: 'ct', flags: 0, zone: snatZone(o, family), recircTable: t.conntrack, alg: 0, actions: [{ type: 'nat', flags: 0 }] },
    ]),
    cookie: cookie(o.cookiePrefix, CookieKind.Base),
  };
}

/**
 * The B+5 flow that SNATs an external frontend's connections (original direction, as the DNAT
 * zone's entry names them) to the node address `address`, in the SNAT zone, then → N.
 */
export function snatEntry(o: ProxyOptions, sp: ServicePortState, id: number, address: string): FlowEntry {
  const v6 = sp.family === 'IPv6';
  return {
    kind: 'flow',
    table: tablesOf(o).hairpin,
    priority: PRIORITY.snat,
    match: [
      { field: 'eth_type', value: ethType(sp.family) },
      // OVS takes the ct_* tuple fields only with a valid entry: +trk-inv says so.
      { field: 'ct_state', value: CT_TRK, mask: CT_TRK | CT_INV | CT_RPL },
      // In the order OVS reads them back.
      { field: v6 ? 'ct_ipv6_dst' : 'ct_nw_dst', value: sp.vip },
      { field: 'ct_nw_proto', value: PROTO_NUMBER[sp.protocol] },
      { field: 'ct_tp_dst', value: sp.port },
    ],
    instructions: apply([
      {
        type: 'ct',
        flags: NX_CT_F_COMMIT,
        zone: snatZone(o, sp.family),
        recircTable: o.nextTable,
        alg: 0,
        actions: [{ type: 'nat', flags: NX_NAT_F_SRC, ipMin: address }],
      },
    ]),
    cookie: cookie(o.cookiePrefix, CookieKind.External, id),
  };
}

/**
 * loadBalancerSourceRanges of a load-balancer frontend, in B+0: packets to its address and port
 * from each range continue as the track flow sends them; the rest are dropped. None without ranges.
 */
export function sourceRangeEntries(o: ProxyOptions, sp: ServicePortState, id: number): FlowEntry[] {
  if (sp.sourceRanges === undefined || sp.fromCidrs !== undefined) return [];
  const t = tablesOf(o);
  const c = cookie(o.cookiePrefix, CookieKind.External, id);
  const to: Match = [
    { field: ipField(sp.family, 'dst'), value: sp.vip },
    { field: 'ip_proto', value: PROTO_NUMBER[sp.protocol] },
    { field: L4_DST[sp.protocol], value: sp.port },
  ];
  const track = apply([
    { type: 'ct', flags: 0, zone: dnatZone(o, sp.family), recircTable: t.service, alg: 0, actions: [{ type: 'nat', flags: 0 }] },
  ]);
  const out: FlowEntry[] = sp.sourceRanges.map((range) => ({
    kind: 'flow',
    table: t.conntrack,
    priority: PRIORITY.sourceAllowed,
    match: [{ field: 'eth_type', value: ethType(sp.family) }, sourceField(sp.family, range), ...to],
    instructions: track,
    cookie: c,
  }));
  out.push({
    kind: 'flow',
    table: t.conntrack,
    priority: PRIORITY.sourceDenied,
    match: [{ field: 'eth_type', value: ethType(sp.family) }, ...to],
    instructions: [],
    cookie: c,
  });
  return out;
}
