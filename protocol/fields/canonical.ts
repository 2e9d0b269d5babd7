/**
 * The OpenFlow 1.3 form of a match, as Open vSwitch 3.1 writes it (nx_put_raw): which fields,
 * which header for each, masked or not, and in what order. ovs-ofctl-level names are turned into
 * what OpenFlow 1.3 carries (xreg → regs, nw_tos → ip_dscp, dl_vlan → vlan_vid, tp_dst → tcp_dst…).
 */
import { EncodeError } from '../errors.js';
import { fromBig, ones, smallBig } from './convert.js';
import { FlowMatch, applyField, flowOf, hasSlot, restoresSlot, type Slot } from './flow.js';
import { prereqMet, prereqText } from './prereq.js';
import { fieldByName, fieldBytes, type FieldDef } from './registry.js';
import type { Match, OxmField } from './types.js';

function def(name: string): FieldDef {
  return fieldByName(name)!;
}

class Emitter {
  readonly out: OxmField[] = [];
  impliedEthernet = false;
  /**
   * When given, each entry's value and mask (null when exact) as integers, alongside `out`; and
   * with `copied`, the slot each entry stands for as it is (see restoresSlot), null for the others.
   */
  constructor(
    readonly f: FlowMatch,
    readonly integers?: EntryIntegers[],
    readonly copied?: (string | null)[],
  ) {}

  /**
   * Adds `name` with value/mask: nothing when the mask is 0, unmasked when it is all ones. `from`
   * is the slot the value and mask were read from unchanged, if they were, and `fromSlot` what it holds.
   */
  put(name: string, v: bigint, m: bigint, from?: string, fromSlot?: Slot): void {
    if (m === 0n) return;
    const d = def(name);
    const full = ones(fieldBytes(d) * 8);
    // Every BigInt operation allocates: mask only what needs masking (comparisons allocate nothing).
    if (m < 0n || m > full) m &= full;
    if (m === 0n) return;
    const value = m === full && v >= 0n && v <= full ? v : v & m;
    const entry: OxmField = { field: d.name, value: fromBig(d, value) };
    if (m !== full) entry.mask = fromBig(d, m);
    this.out.push(entry);
    this.integers?.push({ v: value, m: m === full ? null : m });
    if (this.copied) {
      const s = from === undefined ? undefined : (fromSlot ?? this.f.get(from));
      this.copied.push(s !== undefined && s.v === value && s.m === m && restoresSlot(d, from!, value, m) ? from! : null);
    }
    if (d.prereq) this.impliedEthernet = true;
  }
  exact(name: string, v: bigint, from?: string): void {
    this.put(name, v, ones(fieldBytes(def(name)) * 8), from);
  }
  slot(name: string, f: FlowMatch, slot: string): void {
    const s = f.get(slot);
    this.put(name, s.v, s.m, slot, s);
  }
}

function putIp(e: Emitter, f: FlowMatch): void {
  if (f.isIp()) {
    e.slot('ipv4_src', f, 'nw_src');
    e.slot('ipv4_dst', f, 'nw_dst');
  } else {
    e.slot('ipv6_src', f, 'ipv6_src');
    e.slot('ipv6_dst', f, 'ipv6_dst');
  }
  const frag = f.get('nw_frag');
  const fragMask = frag.m & 3n;
  e.put('ip_frag', frag.v & 3n, fragMask === 3n ? 0xffn : fragMask);
  const tos = f.get('nw_tos');
  if (tos.m & 0xfcn) e.exact('ip_dscp', tos.v >> 2n);
  if (tos.m & 0x03n) e.exact('ip_ecn', tos.v & 3n);
  if (f.mask('nw_ttl')) e.exact('nw_ttl', f.val('nw_ttl'), 'nw_ttl');
  e.slot('ipv6_label', f, 'ipv6_label');
  if (!f.mask('nw_proto')) return;
  const proto = f.nwProto();
  e.exact('ip_proto', smallBig(proto), 'nw_proto');
  const l4 = proto === 6 ? 'tcp' : proto === 17 ? 'udp' : proto === 132 ? 'sctp' : null;
  if (l4) {
    e.slot(`${l4}_src`, f, 'tp_src');
    e.slot(`${l4}_dst`, f, 'tp_dst');
    if (l4 === 'tcp') e.slot('tcp_flags', f, 'tcp_flags');
  } else if (f.isIcmpv4() || f.isIcmpv6()) {
    const [type, code] = f.isIcmpv4() ? ['icmp_type', 'icmp_code'] : ['icmpv6_type', 'icmpv6_code'];
    if (f.mask('tp_src')) e.exact(type, f.val('tp_src') & 0xffn);
    if (f.mask('tp_dst')) e.exact(code, f.val('tp_dst') & 0xffn);
    if (f.isIcmpv6() && f.isNd()) {
      if (f.mask('nd_reserved')) e.exact('nd_reserved', f.val('nd_reserved'), 'nd_reserved');
      e.slot('nd_target', f, 'nd_target');
      if (f.mask('tcp_flags')) e.exact('nd_options_type', f.val('tcp_flags') & 0xffn);
      if (f.val('tp_src') === 135n) e.slot('nd_sll', f, 'arp_sha');
      if (f.val('tp_src') === 136n) e.slot('nd_tll', f, 'arp_tha');
    }
  }
}

const METADATA_SLOTS = ['recirc_id', 'conj_id', 'in_port', 'actset_output'];
const TUNNEL_SLOTS = ['tun_id', 'tun_flags', 'tun_src', 'tun_dst', 'tun_ipv6_src', 'tun_ipv6_dst', 'tun_gbp_id', 'tun_gbp_flags'];
const TUNNEL_SLOTS_AFTER_METADATA = [
  'tun_erspan_idx',
  'tun_erspan_ver',
  'tun_erspan_dir',
  'tun_erspan_hwid',
  'tun_gtpu_flags',
  'tun_gtpu_msgtype',
];
const NSH_SLOTS = ['nsh_flags', 'nsh_ttl', 'nsh_mdtype', 'nsh_np'];
const NSH_SLOTS_AFTER_SPI = ['nsh_si', 'nsh_c1', 'nsh_c2', 'nsh_c3', 'nsh_c4'];
const REG_SLOTS = Array.from({ length: 16 }, (_, i) => `reg${i}`);
const CONNTRACK_SLOTS = ['pkt_mark', 'ct_state', 'ct_zone', 'ct_mark', 'ct_label', 'ct_nw_src', 'ct_ipv6_src', 'ct_nw_dst', 'ct_ipv6_dst'];
const CONNTRACK_L4_SLOTS = ['ct_nw_proto', 'ct_tp_src', 'ct_tp_dst'];

/** Slot families emitOf13 can skip whole when the flow sets none of their slots. */
const TUNNEL_FAMILY = 1;
const NSH_FAMILY = 2;
const REGS_FAMILY = 4;
const METADATA_FAMILY = 8;
const CONNTRACK_FAMILY = 16;
const FAMILY = new Map<string, number>([
  ...[...TUNNEL_SLOTS, ...TUNNEL_SLOTS_AFTER_METADATA].map((n) => [n, TUNNEL_FAMILY] as const),
  ...[...NSH_SLOTS, 'nsh_spi', ...NSH_SLOTS_AFTER_SPI].map((n) => [n, NSH_FAMILY] as const),
  ...REG_SLOTS.map((n) => [n, REGS_FAMILY] as const),
  ...METADATA_SLOTS.map((n) => [n, METADATA_FAMILY] as const),
  ...[...CONNTRACK_SLOTS, ...CONNTRACK_L4_SLOTS].map((n) => [n, CONNTRACK_FAMILY] as const),
]);

function familiesOf(f: FlowMatch): number {
  let families = 0;
  for (const slot of f.slots.keys()) families |= FAMILY.get(slot) ?? 0;
  return families;
}

function putEach(e: Emitter, f: FlowMatch, slots: readonly string[]): void {
  for (let i = 0; i < slots.length; i++) e.slot(slots[i]!, f, slots[i]!);
}

/** An emitted entry's value and mask (null when exact) as unsigned integers. */
export interface EntryIntegers {
  v: bigint;
  m: bigint | null;
}

/**
 * The entries OVS 3.1 writes for this flow model in OpenFlow 1.3, in its order; with `integers`,
 * their values and masks as integers too, in the same order (what checkPrerequisitesInto can apply
 * without reading the entries' values again); with `copied`, for each entry the slot of `f` it
 * restores as it is when read back (see restoresSlot), or null.
 */
export function emitOf13(f: FlowMatch, integers?: EntryIntegers[], copied?: (string | null)[]): Match {
  const e = new Emitter(f, integers, copied);
  const families = familiesOf(f);
  if (f.mask('packet_type') && !f.hasDefaultPacketType()) e.slot('packet_type', f, 'packet_type');
  e.slot('dp_hash', f, 'dp_hash');
  if (families & METADATA_FAMILY) for (const n of METADATA_SLOTS) if (f.mask(n)) e.exact(n, f.val(n), n);
  e.slot('eth_src', f, 'dl_src');
  e.slot('eth_dst', f, 'dl_dst');
  e.slot('eth_type', f, 'dl_type');

  const tci = f.get('vlan_tci');
  const vid = tci.v & 0x1fffn;
  const vidMask = tci.m & 0x1fffn;
  if (vidMask === 0x1fffn) e.exact('vlan_vid', vid);
  else if (vidMask) e.put('vlan_vid', vid, vidMask);
  if (vid && (tci.m >> 13n) & 7n) e.exact('vlan_pcp', (tci.v >> 13n) & 7n);

  if (f.isMpls()) {
    const lse = f.get('mpls_lse');
    if (lse.m & 0xe00n) e.exact('mpls_tc', (lse.v >> 9n) & 7n);
    if (lse.m & 0x100n) e.exact('mpls_bos', (lse.v >> 8n) & 1n);
    if (lse.m & 0xffn) e.exact('mpls_ttl', lse.v & 0xffn);
    if (lse.m & 0xfffff000n) e.exact('mpls_label', lse.v >> 12n);
  }

  if (f.isIpAny()) {
    putIp(e, f);
  } else if (f.isArp()) {
    if (f.mask('nw_proto')) e.exact('arp_op', f.val('nw_proto'));
    e.slot('arp_spa', f, 'nw_src');
    e.slot('arp_tpa', f, 'nw_dst');
    e.slot('arp_sha', f, 'arp_sha');
    e.slot('arp_tha', f, 'arp_tha');
  }

  if (families & TUNNEL_FAMILY) {
    putEach(e, f, TUNNEL_SLOTS);
    putEach(e, f, TUNNEL_SLOTS_AFTER_METADATA);
  }
  if (families & NSH_FAMILY) {
    putEach(e, f, NSH_SLOTS);
    const spi = f.get('nsh_spi');
    e.put('nsh_spi', spi.v, spi.m === 0xffffffn ? 0xffffffffn : spi.m);
    putEach(e, f, NSH_SLOTS_AFTER_SPI);
  }
  if (families & REGS_FAMILY) putEach(e, f, REG_SLOTS);
  if (families & CONNTRACK_FAMILY) {
    putEach(e, f, CONNTRACK_SLOTS);
    if (f.val('ct_nw_proto')) putEach(e, f, CONNTRACK_L4_SLOTS);
  }
  e.slot('metadata', f, 'metadata');
  if (f.hasDefaultPacketType() && !e.impliedEthernet) {
    e.out.unshift({ field: 'packet_type', value: 0 });
    integers?.unshift({ v: 0n, m: null });
    copied?.unshift('packet_type');
  }
  return e.out;
}

/** An untagged-packet match: CFI matched as 0 and every matched bit 0 (the TCI of such a packet is 0). */
function untagged(s: { v: bigint; m: bigint }): boolean {
  return (s.m & 0x1000n) !== 0n && s.v === 0n;
}

function slotsEqual(a: FlowMatch, b: FlowMatch, slot: string): boolean {
  const x = a.get(slot);
  const y = b.get(slot);
  if (slot === 'vlan_tci' && untagged(x) && untagged(y)) return true;
  return x.v === y.v && x.m === y.m;
}

/**
 * Turns a list of fields in any order, with ovs-ofctl-level names (xreg0, nw_tos, dl_vlan,
 * vlan_tci, tp_dst, in_port…), into the OpenFlow 1.3 match OVS 3.1 would send for the same
 * ovs-ofctl text: OVS's headers, masks and order. Later entries override earlier ones on the
 * same packet field, as in ovs-ofctl.
 *
 * Throws EncodeError when a field's prerequisites are not met (OVS would drop the field) or
 * when a value does not fit its field. Entries OVS has no place for (`unknown` ones, tun_metadata,
 * which needs the switch's TLV map, and the OpenFlow 1.3 fields OVS does not implement:
 * in_phy_port, pbb_isid, ipv6_exthdr) are kept as they are, after the rest.
 */
export function canonicalMatch(fields: readonly OxmField[], path = 'match'): Match {
  const f = new FlowMatch();
  const passThrough: OxmField[] = [];
  for (let i = 0; i < fields.length; i++) {
    const e = fields[i]!;
    const d = e.field === 'unknown' ? undefined : fieldByName(e.field);
    if (!d || !hasSlot(d)) {
      if (!d && e.field !== 'unknown') throw new EncodeError(`unknown field "${e.field}"`, `${path}[${i}]`);
      passThrough.push(e);
      continue;
    }
    try {
      applyField(f, e);
    } catch (err) {
      throw new EncodeError((err as Error).message, `${path}[${i}]`);
    }
  }
  for (const e of passThrough) {
    const d = e.field === 'unknown' ? undefined : fieldByName(e.field);
    if (d?.prereq && !prereqMet(f, d.prereq)) throw new EncodeError(`${e.field} requires ${prereqText(f, d.prereq)}`, path);
  }
  const out = emitOf13(f);
  // Anything the encoding left out (a field whose prerequisites are missing) is an error, not a
  // silent drop: compare what the output sets with what was asked for.
  const back = flowOf(out);
  for (const [slot, names] of f.setBy) {
    if (slotsEqual(f, back, slot)) continue;
    const name = names[names.length - 1]!;
    const d = fieldByName(name)!;
    const reason = d.prereq && !prereqMet(f, d.prereq) ? `requires ${prereqText(f, d.prereq)}` : explainDrop(d, f);
    throw new EncodeError(`${name} ${reason}`, path);
  }
  return passThrough.length ? [...out, ...passThrough] : out;
}

function explainDrop(d: FieldDef, f: FlowMatch): string {
  if (d.name === 'ct_tp_src' || d.name === 'ct_tp_dst')
    return 'requires a non-zero ct_nw_proto (Open vSwitch does not encode it otherwise)';
  if (d.name === 'vlan_pcp' || d.name === 'dl_vlan_pcp') return 'requires a VLAN tag (Open vSwitch does not encode it otherwise)';
  if (d.name === 'nd_sll' || d.name === 'nd_tll' || d.name === 'nd_options_type' || d.name === 'nd_reserved') {
    return 'requires icmp6 neighbor discovery (icmpv6_type=135 or 136, icmpv6_code=0)';
  }
  if (f.isIpAny() || f.isArp()) return 'is not encoded by Open vSwitch for this eth_type/ip_proto';
  return 'cannot be combined with the rest of this match in OpenFlow 1.3';
}
