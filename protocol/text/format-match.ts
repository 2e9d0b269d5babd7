/**
 * A match as ovs-ofctl prints it (OVS's match_format): not the entries as they arrived but the
 * packet-header slots they set, in Open vSwitch's fixed order, with its shorthands (`tcp`, `ip`,
 * `arp`), its names (`nw_src`, `tp_dst`, `dl_vlan`) and its number styles. So an `xreg0=5` entry
 * reads back as `reg0=0,reg1=0x5`, and `ip_dscp=8` as `nw_tos=32`.
 */
import { flowOf, type FlowMatch } from '../fields/flow.js';
import { fieldByName } from '../fields/registry.js';
import type { Match, OxmField } from '../fields/types.js';
import { formatIpv4, formatIpv6 } from '../fields/values.js';
import { OvsDecodeError, flagNames, flagsMasked, formatPort, hexAlt, hexOfWidth, hexPad } from './format-util.js';
import { OFP_DEFAULT_PRIORITY } from '../constants/openflow13.js';
import {
  ETH_TYPE_ARP,
  ETH_TYPE_IP,
  ETH_TYPE_IPV6,
  ETH_TYPE_MPLS,
  ETH_TYPE_MPLS_MCAST,
  ETH_TYPE_NSH,
  ETH_TYPE_RARP,
} from '../constants/packet.js';
import { IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP } from '../constants/packet.js';

const CT_STATE_NAMES = ['new', 'est', 'rel', 'rpl', 'inv', 'trk', 'snat', 'dnat'];
const TCP_FLAG_NAMES = ['fin', 'syn', 'rst', 'psh', 'ack', 'urg', 'ece', 'cwr', 'ns', '[200]', '[400]', '[800]'];
const TUN_FLAG_NAMES = new Map([
  [1, 'oam'],
  [2, 'df'],
  [4, 'csum'],
  [8, 'key'],
]);

export function ctStateName(bit: number): string | undefined {
  return CT_STATE_NAMES[Math.log2(bit)];
}

export function tcpFlagName(bit: number): string | undefined {
  return TCP_FLAG_NAMES[Math.log2(bit)];
}

function tunFlagName(bit: number): string | undefined {
  return TUN_FLAG_NAMES.get(bit);
}

const ALL32 = 0xffffffffn;

function ones(bits: number): bigint {
  return (1n << BigInt(bits)) - 1n;
}

function macText(v: bigint): string {
  return Array.from({ length: 6 }, (_, i) =>
    Number((v >> BigInt(8 * (5 - i))) & 0xffn)
      .toString(16)
      .padStart(2, '0'),
  ).join(':');
}

function ipv6Bytes(v: bigint): Uint8Array {
  const b = new Uint8Array(16);
  for (let i = 15; i >= 0; i--) {
    b[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return b;
}

/** Leading ones followed only by zeros. */
function isCidr(mask: bigint, bits: number): boolean {
  const inv = ~mask & ones(bits);
  return (inv & (inv + 1n)) === 0n;
}

function cidrLen(mask: bigint, bits: number): number {
  let n = 0;
  for (let i = bits - 1; i >= 0 && (mask >> BigInt(i)) & 1n; i--) n++;
  return n;
}

/** Collects `name=value,` pieces and strips the last comma at the end. */
class Out {
  s = '';
  put(text: string): void {
    this.s += text;
  }
  field(name: string, text: string): void {
    this.s += `${name}=${text},`;
  }
}

// ---- the value styles of match.c ----------------------------------------------------------------

function ethMasked(o: Out, name: string, v: bigint, m: bigint): void {
  if (!m) return;
  o.field(name, m === ones(48) ? macText(v) : `${macText(v)}/${macText(m)}`);
}

function ipMasked(o: Out, name: string, v: bigint, m: bigint): void {
  if (!m) return;
  let t = formatIpv4(Number(v));
  if (m !== ALL32) t += isCidr(m, 32) ? `/${cidrLen(m, 32)}` : `/${formatIpv4(Number(m))}`;
  o.field(name, t);
}

function ipv6Masked(o: Out, name: string, v: bigint, m: bigint): void {
  if (!m) return;
  let t = formatIpv6(ipv6Bytes(v));
  if (m !== ones(128)) t += isCidr(m, 128) ? `/${cidrLen(m, 128)}` : `/${formatIpv6(ipv6Bytes(m))}`;
  o.field(name, t);
}

/** format_uint32_masked / format_be64_masked: `%#x`, mask `/%#x` unless exact. */
function hexMasked(o: Out, name: string, v: bigint, m: bigint, bits: number): void {
  if (!m) return;
  o.field(name, m === ones(bits) ? hexAlt(v) : `${hexAlt(v)}/${hexAlt(m)}`);
}

/** format_be16_masked / format_uint16_masked / format_uint8_masked: decimal, or `0x%x/0x%x`. */
function decMasked(o: Out, name: string, v: bigint, m: bigint, bits: number): void {
  if (!m) return;
  o.field(name, m === ones(bits) ? String(v) : `${hexPad(v)}/${hexPad(m)}`);
}

/** format_uint8_masked: decimal, or `0x%02x/0x%02x`. */
function u8Masked(o: Out, name: string, v: bigint, m: bigint): void {
  if (!m) return;
  o.field(name, m === 0xffn ? String(v) : `${hexPad(v, 2)}/${hexPad(m, 2)}`);
}

/** format_be32_masked: decimal, or `0x%08x/0x%08x`. */
function be32Masked(o: Out, name: string, v: bigint, m: bigint): void {
  if (!m) return;
  o.field(name, m === ALL32 ? String(v) : `${hexPad(v, 8)}/${hexPad(m, 8)}`);
}

/** format_be32_masked_hex: `0x%x`, mask `/0x%x` unless exact. */
function be32MaskedHex(o: Out, name: string, v: bigint, m: bigint): void {
  if (!m) return;
  o.field(name, m === ALL32 ? hexPad(v) : `${hexPad(v)}/${hexPad(m)}`);
}

/** put_u16_masked inside packet_type=(ns,type). */
function u16MaskedShort(v: number, m: number): string {
  if (!m) return '*';
  let s = v > 9 ? hexPad(v) : String(v);
  if (m !== 0xffff) s += `/${hexPad(m)}`;
  return s;
}

// ---- sections ------------------------------------------------------------------------------------

function formatConntrack(o: Out, f: FlowMatch): void {
  const st = f.get('ct_state');
  if (st.m) {
    const text =
      st.m === 0xffn
        ? st.v
          ? flagNames(Number(st.v), ctStateName, '|')
          : '0'
        : flagsMasked(Number(st.v), Number(st.m), 0xff, ctStateName);
    o.field('ct_state', text);
  }
  const zone = f.get('ct_zone');
  if (zone.m) decMasked(o, 'ct_zone', zone.v, zone.m, 16);
  const mark = f.get('ct_mark');
  if (mark.m) hexMasked(o, 'ct_mark', mark.v, mark.m, 32);
  const label = f.get('ct_label');
  if (label.m) {
    let t = hexOfWidth(label.v, 16);
    if (label.m !== ones(128)) t += `/${hexOfWidth(label.m, 16)}`;
    o.field('ct_label', t);
  }
  ipMasked(o, 'ct_nw_src', f.val('ct_nw_src'), f.mask('ct_nw_src'));
  ipv6Masked(o, 'ct_ipv6_src', f.val('ct_ipv6_src'), f.mask('ct_ipv6_src'));
  ipMasked(o, 'ct_nw_dst', f.val('ct_nw_dst'), f.mask('ct_nw_dst'));
  ipv6Masked(o, 'ct_ipv6_dst', f.val('ct_ipv6_dst'), f.mask('ct_ipv6_dst'));
  if (f.mask('ct_nw_proto')) {
    o.field('ct_nw_proto', String(f.val('ct_nw_proto')));
    decMasked(o, 'ct_tp_src', f.val('ct_tp_src'), f.mask('ct_tp_src'), 16);
    decMasked(o, 'ct_tp_dst', f.val('ct_tp_dst'), f.mask('ct_tp_dst'), 16);
  }
}

/** ovs-ofctl's shorthands for IPv4 and IPv6 with an IP protocol. */
const IPV4_SHORTHANDS: Record<number, string> = {
  [IPPROTO_ICMP]: 'icmp',
  [IPPROTO_TCP]: 'tcp',
  [IPPROTO_UDP]: 'udp',
  [IPPROTO_SCTP]: 'sctp',
};
const IPV6_SHORTHANDS: Record<number, string> = {
  [IPPROTO_ICMPV6]: 'icmp6',
  [IPPROTO_TCP]: 'tcp6',
  [IPPROTO_UDP]: 'udp6',
  [IPPROTO_SCTP]: 'sctp6',
};

/** Writes the protocol shorthand (`tcp`, `ipv6`, `arp`…) and says what it stands for. */
function formatShorthand(o: Out, f: FlowMatch, dlType: number): { skipType: boolean; skipProto: boolean } {
  if (!f.mask('dl_type')) return { skipType: false, skipProto: false };
  const protoMasked = f.mask('nw_proto') !== 0n;
  const proto = Number(f.val('nw_proto'));
  if (dlType === ETH_TYPE_IP) {
    const name = protoMasked ? IPV4_SHORTHANDS[proto] : undefined;
    o.put(`${name ?? 'ip'},`);
    return { skipType: true, skipProto: name !== undefined };
  }
  if (dlType === ETH_TYPE_IPV6) {
    const name = protoMasked ? IPV6_SHORTHANDS[proto] : undefined;
    o.put(`${name ?? 'ipv6'},`);
    return { skipType: true, skipProto: name !== undefined };
  }
  const other = (
    {
      [ETH_TYPE_ARP]: 'arp',
      [ETH_TYPE_RARP]: 'rarp',
      [ETH_TYPE_MPLS]: 'mpls',
      [ETH_TYPE_MPLS_MCAST]: 'mplsm',
    } as Record<number, string>
  )[dlType];
  if (other === undefined) return { skipType: false, skipProto: false };
  o.put(`${other},`);
  return { skipType: true, skipProto: false };
}

function formatTunnel(o: Out, f: FlowMatch, tunMetadata: OxmField[]): void {
  hexMasked(o, 'tun_id', f.val('tun_id'), f.mask('tun_id'), 64);
  ipMasked(o, 'tun_src', f.val('tun_src'), f.mask('tun_src'));
  ipMasked(o, 'tun_dst', f.val('tun_dst'), f.mask('tun_dst'));
  ipv6Masked(o, 'tun_ipv6_src', f.val('tun_ipv6_src'), f.mask('tun_ipv6_src'));
  ipv6Masked(o, 'tun_ipv6_dst', f.val('tun_ipv6_dst'), f.mask('tun_ipv6_dst'));
  if (f.mask('tun_gbp_id')) decMasked(o, 'tun_gbp_id', f.val('tun_gbp_id'), f.mask('tun_gbp_id'), 16);
  if (f.mask('tun_gbp_flags')) o.field('tun_gbp_flags', hexAlt(f.val('tun_gbp_flags')));
  const ver = f.val('tun_erspan_ver');
  if (f.mask('tun_erspan_ver')) o.field('tun_erspan_ver', String(ver));
  if (f.mask('tun_erspan_idx') && ver === 1n) o.field('tun_erspan_idx', hexAlt(f.val('tun_erspan_idx')));
  if (f.mask('tun_erspan_dir') && ver === 2n) o.field('tun_erspan_dir', String(f.val('tun_erspan_dir')));
  if (f.mask('tun_erspan_hwid') && ver === 2n) o.field('tun_erspan_hwid', hexAlt(f.val('tun_erspan_hwid')));
  if (f.mask('tun_gtpu_flags')) o.field('gtpu_flags', hexAlt(f.val('tun_gtpu_flags')));
  if (f.mask('tun_gtpu_msgtype')) o.field('gtpu_msgtype', String(f.val('tun_gtpu_msgtype')));
  const flagsMask = Number(f.mask('tun_flags') & 0xfn);
  if (flagsMask) o.field('tun_flags', flagsMasked(Number(f.val('tun_flags') & 0xfn), flagsMask, 0xf, tunFlagName));
  for (const e of tunMetadata) {
    const value = Buffer.isBuffer(e.value) ? e.value : Buffer.alloc(0);
    const mask = Buffer.isBuffer(e.mask) ? e.mask : undefined;
    const name = e.field;
    if (mask && mask.every((x) => x === 0)) {
      o.put(`${name},`);
      continue;
    }
    let t = hexBytesOf(value, mask);
    if (mask && !mask.every((x) => x === 0xff)) t += `/${hexBytesOf(mask)}`;
    o.field(name, t);
  }
}

function hexBytesOf(b: Buffer, mask?: Buffer): string {
  const v = mask ? Buffer.from(b.map((x, i) => x & (mask[i] ?? 0))) : b;
  return hexOfWidth(v.length ? BigInt(`0x${v.toString('hex')}`) : 0n, v.length || 1);
}

function formatVlan(o: Out, f: FlowMatch): void {
  // A packet's second VLAN tag (only packets have one) is the slot `vlan_tci1`.
  for (const [slot, suffix] of [
    ['vlan_tci', ''],
    ['vlan_tci1', '1'],
  ] as const) {
    const { v: tci, m } = f.get(slot);
    if (!m) return;
    const vidMask = m & 0x0fffn;
    const pcpMask = m & 0xe000n;
    const cfi = m & 0x1000n;
    if (cfi && tci & 0x1000n && (!vidMask || vidMask === 0x0fffn) && (!pcpMask || pcpMask === 0xe000n) && (vidMask || pcpMask)) {
      if (vidMask) o.field(`dl_vlan${suffix}`, String(tci & 0x0fffn));
      if (pcpMask) o.field(`dl_vlan_pcp${suffix}`, String(tci >> 13n));
    } else if (m === 0xffffn) {
      o.field(`vlan_tci${suffix}`, hexPad(tci, 4));
    } else {
      o.field(`vlan_tci${suffix}`, `${hexPad(tci, 4)}/${hexPad(m, 4)}`);
    }
  }
}

function formatNsh(o: Out, f: FlowMatch): void {
  u8Masked(o, 'nsh_flags', f.val('nsh_flags'), f.mask('nsh_flags'));
  u8Masked(o, 'nsh_ttl', f.val('nsh_ttl'), f.mask('nsh_ttl'));
  u8Masked(o, 'nsh_mdtype', f.val('nsh_mdtype'), f.mask('nsh_mdtype'));
  u8Masked(o, 'nsh_np', f.val('nsh_np'), f.mask('nsh_np'));
  let spiMask = f.mask('nsh_spi');
  if (spiMask === 0xffffffn) spiMask = ALL32;
  be32MaskedHex(o, 'nsh_spi', f.val('nsh_spi'), spiMask);
  u8Masked(o, 'nsh_si', f.val('nsh_si'), f.mask('nsh_si'));
  if (f.mask('nsh_mdtype') === 0xffn && f.val('nsh_mdtype') === 1n) {
    for (const c of ['nsh_c1', 'nsh_c2', 'nsh_c3', 'nsh_c4']) be32MaskedHex(o, c, f.val(c), f.mask(c));
  }
}

function formatMpls(o: Out, f: FlowMatch): void {
  const { v, m } = f.get('mpls_lse');
  if (m & 0xfffff000n) o.field('mpls_label', String(v >> 12n));
  if (m & 0x00000e00n) o.field('mpls_tc', String((v >> 9n) & 7n));
  if (m & 0x000000ffn) o.field('mpls_ttl', String(v & 0xffn));
  if (m & 0x00000100n) o.field('mpls_bos', String((v >> 8n) & 1n));
  // Further label stack entries (only a packet has them) are the slots `mpls_lse1`, `mpls_lse2`.
  for (const slot of ['mpls_lse1', 'mpls_lse2']) be32Masked(o, slot, f.val(slot), f.mask(slot));
}

function formatFrag(o: Out, f: FlowMatch): void {
  const v = f.val('nw_frag');
  const any = (v & 1n) !== 0n;
  const later = (v & 2n) !== 0n;
  switch (Number(f.mask('nw_frag') & 3n)) {
    case 3:
      o.field('nw_frag', any ? (later ? 'later' : 'first') : later ? '<error>' : 'no');
      break;
    case 1:
      o.field('nw_frag', any ? 'yes' : 'no');
      break;
    case 2:
      o.field('nw_frag', later ? 'later' : 'not_later');
      break;
  }
}

function formatTransport(o: Out, f: FlowMatch, dlType: number): void {
  const proto = Number(f.val('nw_proto'));
  const tpSrc = f.get('tp_src');
  const tpDst = f.get('tp_dst');
  if (dlType === ETH_TYPE_IP && proto === IPPROTO_ICMP) {
    decMasked(o, 'icmp_type', tpSrc.v, tpSrc.m, 16);
    decMasked(o, 'icmp_code', tpDst.v, tpDst.m, 16);
  } else if (dlType === ETH_TYPE_IPV6 && proto === IPPROTO_ICMPV6) {
    decMasked(o, 'icmp_type', tpSrc.v, tpSrc.m, 16);
    decMasked(o, 'icmp_code', tpDst.v, tpDst.m, 16);
    ipv6Masked(o, 'nd_target', f.val('nd_target'), f.mask('nd_target'));
    ethMasked(o, 'nd_sll', f.val('arp_sha'), f.mask('arp_sha'));
    ethMasked(o, 'nd_tll', f.val('arp_tha'), f.mask('arp_tha'));
    if (f.mask('nd_reserved')) be32Masked(o, 'nd_reserved', f.val('nd_reserved'), f.mask('nd_reserved'));
    if (f.mask('tcp_flags')) decMasked(o, 'nd_options_type', f.val('tcp_flags'), f.mask('tcp_flags'), 16);
  } else {
    decMasked(o, 'tp_src', tpSrc.v, tpSrc.m, 16);
    decMasked(o, 'tp_dst', tpDst.v, tpDst.m, 16);
  }
  const isIpAny = dlType === ETH_TYPE_IP || dlType === ETH_TYPE_IPV6;
  const flagsMask = Number(f.mask('tcp_flags') & 0x0fffn);
  if (isIpAny && proto === IPPROTO_TCP && f.mask('tcp_flags')) {
    o.field('tcp_flags', flagsMasked(Number(f.val('tcp_flags')), flagsMask, 0x0fff, tcpFlagName));
  }
}

/**
 * The match as ovs-ofctl prints it, priority first when it is not the default 32768. Empty
 * string for a catch-all match at the default priority.
 */
export function formatMatch(match: Match, priority = OFP_DEFAULT_PRIORITY): string {
  const tunMetadata = match
    .filter((e) => e.field.startsWith('tun_metadata'))
    .sort((a, b) => Number(a.field.slice(12)) - Number(b.field.slice(12)));
  let f: FlowMatch;
  try {
    f = flowOf(tunMetadata.length ? match.filter((e) => !e.field.startsWith('tun_metadata')) : match);
  } catch {
    // A value the field cannot hold (in_port 0x10000, ct_state bits OVS does not know).
    throw new OvsDecodeError('OFPBMC_BAD_VALUE');
  }
  // Matching any packet field (one with prerequisites) implies Ethernet unless packet_type says otherwise.
  if (!f.mask('packet_type') && match.some((e) => fieldByName(e.field)?.prereq)) f.put('packet_type', 0n, ALL32);
  return formatFlowMatch(f, priority, tunMetadata);
}

/** formatMatch for a match already turned into its flow model. */
export function formatFlowMatch(f: FlowMatch, priority = OFP_DEFAULT_PRIORITY, tunMetadata: OxmField[] = []): string {
  const o = new Out();
  if (priority !== OFP_DEFAULT_PRIORITY) o.field('priority', String(priority));

  hexMasked(o, 'pkt_mark', f.val('pkt_mark'), f.mask('pkt_mark'), 32);
  const recirc = f.get('recirc_id');
  if (recirc.m) hexMasked(o, 'recirc_id', recirc.v, recirc.m, 32);
  const isMegaflow = recirc.m !== 0n;
  const dpHash = f.get('dp_hash');
  if (dpHash.m) hexMasked(o, 'dp_hash', dpHash.v, dpHash.m, 32);
  if (f.mask('conj_id')) o.field('conj_id', String(f.val('conj_id')));
  if (f.mask('actset_output')) o.field('actset_output', formatPort(Number(f.val('actset_output'))));

  formatConntrack(o, f);

  let dlType = Number(f.val('dl_type'));
  const pt = f.get('packet_type');
  if (pt.m && (!f.hasDefaultPacketType() || isMegaflow)) {
    if (pt.v === 0n && pt.m === ALL32) o.put('eth,');
    else {
      const ns = u16MaskedShort(Number(pt.v >> 16n), Number(pt.m >> 16n));
      const nsType = u16MaskedShort(Number(pt.v & 0xffffn), Number(pt.m & 0xffffn));
      o.put(`packet_type=(${ns},${nsType}),`);
    }
    if (pt.v >> 16n === 1n) dlType = Number(pt.v & 0xffffn);
  }

  const { skipType, skipProto } = formatShorthand(o, f, dlType);

  for (let i = 0; i < 16; i++) hexMasked(o, `reg${i}`, f.val(`reg${i}`), f.mask(`reg${i}`), 32);

  formatTunnel(o, f, tunMetadata);

  hexMasked(o, 'metadata', f.val('metadata'), f.mask('metadata'), 64);
  if (f.mask('in_port')) o.field('in_port', formatPort(Number(f.val('in_port'))));

  formatVlan(o, f);

  ethMasked(o, 'dl_src', f.val('dl_src'), f.mask('dl_src'));
  ethMasked(o, 'dl_dst', f.val('dl_dst'), f.mask('dl_dst'));

  if (!skipType && f.mask('dl_type')) o.field('dl_type', hexPad(dlType, 4));

  const isArp = dlType === ETH_TYPE_ARP || dlType === ETH_TYPE_RARP;
  if (dlType === ETH_TYPE_IPV6) {
    ipv6Masked(o, 'ipv6_src', f.val('ipv6_src'), f.mask('ipv6_src'));
    ipv6Masked(o, 'ipv6_dst', f.val('ipv6_dst'), f.mask('ipv6_dst'));
    const label = f.get('ipv6_label');
    if (label.m) {
      o.field('ipv6_label', label.m === ALL32 ? hexPad(label.v, 5) : `${hexPad(label.v, 5)}/${hexPad(label.m, 5)}`);
    }
  } else if (isArp) {
    ipMasked(o, 'arp_spa', f.val('nw_src'), f.mask('nw_src'));
    ipMasked(o, 'arp_tpa', f.val('nw_dst'), f.mask('nw_dst'));
  } else if (dlType === ETH_TYPE_NSH) {
    formatNsh(o, f);
  } else {
    ipMasked(o, 'nw_src', f.val('nw_src'), f.mask('nw_src'));
    ipMasked(o, 'nw_dst', f.val('nw_dst'), f.mask('nw_dst'));
  }
  if (!skipProto && f.mask('nw_proto')) o.field(isArp ? 'arp_op' : 'nw_proto', String(f.val('nw_proto')));
  if (isArp) {
    ethMasked(o, 'arp_sha', f.val('arp_sha'), f.mask('arp_sha'));
    ethMasked(o, 'arp_tha', f.val('arp_tha'), f.mask('arp_tha'));
  }
  const tos = f.get('nw_tos');
  if (tos.m & 0xfcn) o.field('nw_tos', String(tos.v & 0xfcn));
  if (tos.m & 0x03n) o.field('nw_ecn', String(tos.v & 0x03n));
  if (f.mask('nw_ttl')) o.field('nw_ttl', String(f.val('nw_ttl')));
  formatMpls(o, f);
  formatFrag(o, f);
  formatTransport(o, f, dlType);

  return o.s.endsWith(',') ? o.s.slice(0, -1) : o.s;
}
