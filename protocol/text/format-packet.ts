/**
 * Packets inside packet-ins and packet-outs, and the packet-in messages themselves, as ovs-ofctl
 * prints them. The packet summary line is what Open vSwitch gets by extracting the packet's
 * headers (Ethernet, VLAN, MPLS, ARP, IPv4, IPv6, TCP, UDP, SCTP, ICMP, ICMPv6 ND, IGMP) and
 * printing them as a match: `tcp,vlan_tci=0x0000,dl_src=…,tcp_flags=syn tcp_csum:1f2e`.
 */
import { FlowMatch } from '../fields/flow.js';
import type { NxPacketIn2, NxResume, PacketIn } from '../message.js';
import { readActions } from '../actions/codec.js';
import { Reader } from '../wire/reader.js';
import { formatActions } from './format-actions.js';
import { formatFlowMatch, formatMatch } from './format-match.js';
import { checkAction } from './format-checks.js';
import { OvsDecodeError, hexBytes, hexDotted, hexDump, packetInReason } from './format-util.js';
import {
  NXCPT_ACTIONS,
  NXCPT_ACTION_SET,
  NXCPT_BRIDGE,
  NXCPT_CONNTRACKED,
  NXCPT_COOKIE,
  NXCPT_MIRRORS,
  NXCPT_ODP_PORT,
  NXCPT_STACK,
  NXCPT_TABLE_ID,
} from '../constants/nicira.js';
import { IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_IGMP, IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP } from '../constants/packet.js';

const ALL = (bits: number) => (1n << BigInt(bits)) - 1n;

interface Extracted {
  flow: FlowMatch;
  /** Protocol and bytes from the transport header on (for the checksum), when there is an L3 header. */
  l4?: { proto: number; data: Buffer };
}

function big(b: Buffer, at: number, n: number): bigint {
  let v = 0n;
  for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(b[at + i] ?? 0);
  return v;
}

function isVlanTpid(t: number): boolean {
  return t === 0x8100 || t === 0x88a8;
}

/** The Ethertype after the VLAN tags (LLC/SNAP decoded; 0x05ff when there is none). */
function parseEthertype(b: Buffer, at: number): { type: number; at: number } {
  if (at + 2 > b.length) return { type: 0, at };
  const t = b.readUInt16BE(at);
  at += 2;
  if (t >= 0x600) return { type: t, at };
  if (at + 8 > b.length) return { type: 0x05ff, at };
  if (b[at] !== 0xaa || b[at + 1] !== 0xaa || b[at + 2] !== 0x03 || b[at + 3] || b[at + 4] || b[at + 5]) {
    return { type: 0x05ff, at };
  }
  const snap = b.readUInt16BE(at + 6);
  return snap >= 0x600 ? { type: snap, at: at + 8 } : { type: 0x05ff, at: at + 8 };
}

function extractIpv4(b: Buffer, at: number, f: FlowMatch): Extracted['l4'] | null {
  const size = b.length - at;
  if (size < 20) return null;
  const ipLen = (b[at]! & 0x0f) * 4;
  if (ipLen < 20 || size < ipLen) return null;
  const totLen = b.readUInt16BE(at + 2);
  if (totLen > size || ipLen > totLen) return null;
  f.put('nw_src', big(b, at + 12, 4), ALL(32));
  f.put('nw_dst', big(b, at + 16, 4), ALL(32));
  const fragOff = b.readUInt16BE(at + 6);
  let frag = 0;
  if (fragOff & 0x3fff) {
    frag = 1;
    if (fragOff & 0x1fff) frag |= 2;
  }
  setIpCommon(f, b[at + 1]!, b[at + 8]!, b[at + 9]!, frag);
  return { proto: b[at + 9]!, data: b.subarray(at + ipLen, at + totLen) };
}

function setIpCommon(f: FlowMatch, tos: number, ttl: number, proto: number, frag: number): void {
  f.put('nw_tos', BigInt(tos), 0xffn);
  f.put('nw_ttl', BigInt(ttl), 0xffn);
  f.put('nw_proto', BigInt(proto), 0xffn);
  f.slots.set('nw_frag', { v: BigInt(frag), m: 3n });
}

const IPV6_EXT = new Set([0, 43, 60, 51, 44]);

function extractIpv6(b: Buffer, at: number, f: FlowMatch): Extracted['l4'] | null {
  const size = b.length - at;
  if (size < 40) return null;
  const plen = b.readUInt16BE(at + 4);
  if (plen + 40 > size) return null;
  f.put('ipv6_src', big(b, at + 8, 16), ALL(128));
  f.put('ipv6_dst', big(b, at + 24, 16), ALL(128));
  const flow = b.readUInt32BE(at);
  let proto = b[at + 6]!;
  const ttl = b[at + 7]!;
  let frag = 0;
  let p = at + 40;
  const end = at + 40 + plen;
  while (IPV6_EXT.has(proto)) {
    if (end - p < 8) return null;
    if (proto === 44) {
      const offlg = b.readUInt16BE(p + 2);
      proto = b[p]!;
      p += 8;
      if (offlg !== 0) {
        frag = 1;
        if (offlg & 0xfff8) {
          frag |= 2;
          proto = 44;
          break;
        }
      }
    } else {
      const next = b[p]!;
      const len = proto === 51 ? (b[p + 1]! + 2) * 4 : (b[p + 1]! + 1) * 8;
      if (end - p < len) return null;
      proto = next;
      p += len;
    }
  }
  f.put('ipv6_label', BigInt(flow & 0xfffff), 0xffffffffn);
  setIpCommon(f, (flow >>> 20) & 0xff, ttl, proto, frag);
  return { proto, data: b.subarray(p, end) };
}

function extractArp(b: Buffer, at: number, f: FlowMatch): void {
  f.put('nw_src', 0n, ALL(32));
  f.put('nw_dst', 0n, ALL(32));
  f.put('nw_proto', 0n, 0xffn);
  f.put('arp_sha', 0n, ALL(48));
  f.put('arp_tha', 0n, ALL(48));
  if (b.length - at < 28) return;
  if (b.readUInt16BE(at) !== 1 || b.readUInt16BE(at + 2) !== 0x0800 || b[at + 4] !== 6 || b[at + 5] !== 4) return;
  const op = b.readUInt16BE(at + 6);
  f.put('nw_src', big(b, at + 14, 4), ALL(32));
  f.put('nw_dst', big(b, at + 24, 4), ALL(32));
  if (op <= 0xff) f.put('nw_proto', BigInt(op), 0xffn);
  f.put('arp_sha', big(b, at + 8, 6), ALL(48));
  f.put('arp_tha', big(b, at + 18, 6), ALL(48));
}

function extractTransport(l4: NonNullable<Extracted['l4']>, f: FlowMatch, isV6: boolean, frag: number): void {
  const { proto, data } = l4;
  const tp = (src: number, dst: number) => {
    f.put('tp_src', BigInt(src), 0xffffn);
    f.put('tp_dst', BigInt(dst), 0xffffn);
  };
  if (frag & 2 || ![IPPROTO_ICMP, IPPROTO_IGMP, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMPV6, IPPROTO_SCTP].includes(proto)) return;
  tp(0, 0);
  if (proto === IPPROTO_TCP) {
    f.put('tcp_flags', 0n, 0xffffn);
    if (data.length >= 20) {
      const off = (data[12]! >> 4) * 4;
      if (off >= 20 && data.length >= off) {
        f.put('tcp_flags', BigInt(data.readUInt16BE(12) & 0x0fff), 0xffffn);
        tp(data.readUInt16BE(0), data.readUInt16BE(2));
      }
    }
  } else if (proto === IPPROTO_UDP || proto === IPPROTO_SCTP) {
    if (data.length >= (proto === IPPROTO_UDP ? 8 : 12)) tp(data.readUInt16BE(0), data.readUInt16BE(2));
  } else if (proto === IPPROTO_ICMP || proto === IPPROTO_IGMP) {
    if (data.length >= 8) tp(data[0]!, data[1]!);
  } else if (proto === IPPROTO_ICMPV6 && isV6) {
    if (data.length >= 8) {
      tp(data[0]!, data[1]!);
      extractNd(data, f);
    }
  }
}

/** Neighbor discovery target and link-layer address options (solicit 135 / advert 136, code 0). */
function extractNd(data: Buffer, f: FlowMatch): void {
  const type = data[0]!;
  if (data[1] !== 0 || (type !== 135 && type !== 136)) return;
  f.put('nd_target', 0n, ALL(128));
  f.put('arp_sha', 0n, ALL(48));
  f.put('arp_tha', 0n, ALL(48));
  if (data.length < 24) return;
  let sll = 0n;
  let tll = 0n;
  let p = 24;
  while (data.length - p >= 8) {
    const optLen = data[p + 1]! * 8;
    if (!optLen || optLen > data.length - p) break;
    const optType = data[p]!;
    if ((optType === 1 || optType === 2) && optLen === 8) {
      const mac = big(data, p + 2, 6);
      if (optType === 1) {
        if (sll) return void f.put('nd_target', 0n, ALL(128));
        sll = mac;
      } else {
        if (tll) return void f.put('nd_target', 0n, ALL(128));
        tll = mac;
      }
    }
    p += optLen;
  }
  f.put('nd_target', big(data, 8, 16), ALL(128));
  f.put('arp_sha', sll, ALL(48));
  f.put('arp_tha', tll, ALL(48));
}

/** The packet's headers as the match OVS prints for it (flow_extract + flow_format). */
function extract(b: Buffer, packetType: number): Extracted {
  const f = new FlowMatch();
  f.put('packet_type', BigInt(packetType >>> 0), 0xffffffffn);
  let dlType: number;
  let at = 0;
  if (packetType === 0) {
    if (b.length < 14) {
      f.put('dl_dst', 0n, ALL(48));
      f.put('dl_src', 0n, ALL(48));
      f.put('dl_type', 0n, 0xffffn);
      f.slots.set('vlan_tci', { v: 0n, m: 0xffffn });
      return { flow: f };
    }
    f.put('dl_dst', big(b, 0, 6), ALL(48));
    f.put('dl_src', big(b, 6, 6), ALL(48));
    at = 12;
    const tcis: number[] = [];
    while (tcis.length < 2 && at + 2 <= b.length && isVlanTpid(b.readUInt16BE(at)) && b.length - at >= 6) {
      tcis.push(b.readUInt16BE(at + 2) | 0x1000);
      at += 4;
    }
    const et = parseEthertype(b, at);
    dlType = et.type;
    at = et.at;
    f.put('dl_type', BigInt(dlType), 0xffffn);
    f.slots.set('vlan_tci', { v: BigInt(tcis[0] ?? 0), m: 0xffffn });
    if (tcis[0]) f.slots.set('vlan_tci1', { v: BigInt(tcis[1] ?? 0), m: 0xffffn });
  } else {
    dlType = packetType & 0xffff;
    f.put('dl_type', BigInt(dlType), 0xffffn);
  }

  if (dlType === 0x8847 || dlType === 0x8848) {
    const lses: number[] = [];
    while (at + 4 <= b.length) {
      const lse = b.readUInt32BE(at);
      at += 4;
      lses.push(lse);
      if (lse & 0x100) break;
    }
    for (let i = 0; i < 3; i++) {
      const v = BigInt(lses[i] ?? 0);
      if (i === 0) f.slots.set('mpls_lse', { v, m: 0xffffffffn });
      else f.slots.set(`mpls_lse${i}`, { v, m: 0xffffffffn });
      if (Number(v) & 0x100) break;
    }
    return { flow: f };
  }

  if (dlType === 0x0800) {
    f.put('nw_src', 0n, ALL(32));
    f.put('nw_dst', 0n, ALL(32));
    setIpCommon(f, 0, 0, 0, 0);
    const l4 = extractIpv4(b, at, f);
    if (l4) extractTransport(l4, f, false, Number(f.val('nw_frag')));
    return l4 ? { flow: f, l4 } : { flow: f };
  }
  if (dlType === 0x86dd) {
    f.put('ipv6_src', 0n, ALL(128));
    f.put('ipv6_dst', 0n, ALL(128));
    f.put('ipv6_label', 0n, 0xffffffffn);
    setIpCommon(f, 0, 0, 0, 0);
    const l4 = extractIpv6(b, at, f);
    if (l4) extractTransport(l4, f, true, Number(f.val('nw_frag')));
    return l4 ? { flow: f, l4 } : { flow: f };
  }
  if (dlType === 0x0806 || dlType === 0x8035) extractArp(b, at, f);
  return { flow: f };
}

function checksumText(l4: Extracted['l4'], nwProto: number): string {
  if (!l4) return '';
  const d = l4.data;
  if (nwProto === 6 && d.length >= 20) return ` tcp_csum:${d.readUInt16BE(16).toString(16)}`;
  if (nwProto === 17 && d.length >= 8) return ` udp_csum:${d.readUInt16BE(6).toString(16)}`;
  if (nwProto === 132 && d.length >= 12) return ` sctp_csum:${d.readUInt32BE(8).toString(16)}`;
  if (nwProto === 1 && d.length >= 8) return ` icmp_csum:${d.readUInt16BE(2).toString(16)}`;
  if (nwProto === 58 && d.length >= 4) return ` icmp6_csum:${d.readUInt16BE(2).toString(16)}`;
  return '';
}

/**
 * The summary line ovs-ofctl prints for a packet (`ofp_packet_to_string`): its headers as a
 * match, then the transport checksum, then a newline.
 */
export function formatPacketSummary(data: Buffer, packetType = 0): string {
  const { flow, l4 } = extract(data, packetType);
  return `${formatFlowMatch(flow)}${checksumText(l4, Number(flow.val('nw_proto')))}\n`;
}

// ---- packet-in -------------------------------------------------------------------------------------

interface PacketInView {
  tableId: number;
  cookie: bigint;
  totalLen: number;
  metadata: string;
  reason: number;
  packet: Buffer;
  bufferId: number;
  userdata?: Buffer | undefined;
  continuation?: Buffer | undefined;
  packetType: number;
}

function formatPacketInView(p: PacketInView, verbosity: number): string {
  // Open vSwitch decodes the whole continuation before printing anything.
  const continuation = p.continuation?.length ? formatContinuation(p.continuation) : '';
  let s = '';
  if (p.tableId) s += ` table_id=${p.tableId}`;
  if (p.cookie !== 0xffffffffffffffffn) s += ` cookie=0x${p.cookie.toString(16)}`;
  s += ` total_len=${p.totalLen} ${p.metadata} (via ${packetInReason(p.reason)}) data_len=${p.packet.length}`;
  if (p.bufferId >>> 0 === 0xffffffff) {
    s += ' (unbuffered)';
    if (p.totalLen !== p.packet.length) s += ' (***total_len != data_len***)';
  } else {
    s += ` buffer=0x${(p.bufferId >>> 0).toString(16).padStart(8, '0')}`;
    if (p.totalLen < p.packet.length) s += ' (***total_len < data_len***)';
  }
  s += '\n';
  if (p.userdata?.length) s += ` userdata=${hexDotted(p.userdata)}\n`;
  s += continuation;
  if (verbosity > 0) s += formatPacketSummary(p.packet, p.packetType);
  if (verbosity > 2) s += hexDump(p.packet, false);
  return s;
}

/** The packet_type a packet-in's metadata names (Ethernet when it names none). */
function packetTypeOf(metadata: PacketIn['match']): number {
  const e = metadata.find((x) => x.field === 'packet_type');
  return e && typeof e.value === 'number' ? e.value : 0;
}

export function formatPacketIn(m: PacketIn, verbosity: number): string {
  return formatPacketInView(
    {
      tableId: m.tableId,
      cookie: m.cookie,
      totalLen: m.totalLen,
      metadata: formatMatch(m.match),
      reason: m.reason,
      packet: m.data,
      bufferId: m.bufferId,
      packetType: packetTypeOf(m.match),
    },
    verbosity,
  );
}

export function formatPacketIn2(m: NxPacketIn2 | NxResume, verbosity: number): string {
  const packet = m.packet ?? Buffer.alloc(0);
  return formatPacketInView(
    {
      tableId: m.tableId ?? 0,
      cookie: m.cookie ?? 0xffffffffffffffffn,
      totalLen: m.fullLen || packet.length,
      metadata: formatMatch(m.metadata ?? []),
      reason: m.reason ?? 0,
      packet,
      bufferId: m.bufferId ?? 0xffffffff,
      userdata: m.userdata,
      continuation: m.continuation,
      packetType: packetTypeOf(m.metadata ?? []),
    },
    verbosity,
  );
}

// ---- continuation (Open vSwitch's private NXPINT_CONTINUATION properties) ---------------------------

interface Prop {
  type: number;
  body: Buffer;
}

function properties(b: Buffer): Prop[] {
  const out: Prop[] = [];
  for (let p = 0; p + 4 <= b.length;) {
    const type = b.readUInt16BE(p);
    const len = b.readUInt16BE(p + 2);
    if (len < 4 || p + len > b.length) break;
    out.push({ type, body: b.subarray(p + 4, p + len) });
    p += (len + 7) & ~7;
  }
  return out;
}

/** A UUID as Open vSwitch stores it: four 32-bit words in host (little-endian) order. */
function uuidText(b: Buffer): string {
  const w = [0, 4, 8, 12].map((i) => b.readUInt32LE(i));
  const h = (v: number, n: number) => v.toString(16).padStart(n, '0');
  return `${h(w[0]!, 8)}-${h(w[1]! >>> 16, 4)}-${h(w[1]! & 0xffff, 4)}-${h(w[2]! >>> 16, 4)}-${h(w[2]! & 0xffff, 4)}${h(w[3]!, 8)}`;
}

/** Actions in a continuation property: 4 bytes of padding after the header, then OpenFlow actions. */
function continuationActions(body: Buffer): string {
  if (body.length < 4) throw new OvsDecodeError('OFPBPC_BAD_LEN');
  let actions;
  try {
    actions = readActions(new Reader(body.subarray(4)), 'continuation.actions');
  } catch {
    throw new OvsDecodeError('OFPBAC_BAD_LEN');
  }
  actions.forEach(checkAction);
  return formatActions(actions);
}

/** The body of a property holding one value of `size` bytes, aligned to 8 when it is 8 bytes wide. */
function fixed(p: Prop, size: number): Buffer {
  const at = size === 8 ? 4 : 0;
  if (p.body.length !== at + size) throw new OvsDecodeError('OFPBPC_BAD_LEN');
  return p.body.subarray(at);
}

function formatContinuation(cont: Buffer): string {
  const props = properties(cont);
  let bridge: Buffer | undefined;
  const stack: Buffer[] = [];
  let mirrors = 0;
  let conntracked = false;
  let tableId = 0;
  let cookie = 0n;
  const actions: string[] = [];
  let actionSet = '';
  let odpPort = 0;
  for (const p of props) {
    switch (p.type) {
      case NXCPT_BRIDGE:
        bridge = fixed(p, 16);
        break;
      case NXCPT_STACK:
        if (p.body.length > 128) throw new OvsDecodeError('OFPBPC_BAD_LEN');
        stack.push(p.body);
        break;
      case NXCPT_MIRRORS:
        mirrors = fixed(p, 4).readUInt32BE(0);
        break;
      case NXCPT_CONNTRACKED:
        conntracked = true;
        break;
      case NXCPT_TABLE_ID:
        tableId = fixed(p, 1)[0]!;
        break;
      case NXCPT_COOKIE:
        cookie = fixed(p, 8).readBigUInt64BE(0);
        break;
      case NXCPT_ACTIONS: {
        actions.push(`unroll_xlate(table=${tableId}, cookie=${cookie})`);
        const text = continuationActions(p.body);
        if (text !== 'drop') actions.push(text);
        break;
      }
      case NXCPT_ACTION_SET:
        actionSet = continuationActions(p.body);
        break;
      case NXCPT_ODP_PORT:
        odpPort = fixed(p, 4).readUInt32BE(0);
        break;
      default:
        break;
    }
  }
  let s = '';
  if (bridge && bridge.some((x) => x)) s += ` continuation.bridge=${uuidText(bridge)}\n`;
  if (stack.length) s += ` continuation.stack=(top)${stack.map((b) => ` ${hexBytes(b)}`).join('')} (bottom)\n`;
  if (mirrors) s += ` continuation.mirrors=0x${mirrors.toString(16)}\n`;
  if (conntracked) s += ' continuation.conntracked=true\n';
  if (actions.length) s += ` continuation.actions=${actions.join(',')}\n`;
  if (actionSet && actionSet !== 'drop') s += ` continuation.action_set=${actionSet}\n`;
  if (odpPort) s += ` continuation.odp_port=${odpPort}\n`;
  return s;
}
