/**
 * The match part of a flow (`tcp,nw_dst=10.96.0.10,tp_dst=80`, `reg0[0..3]=5`) into the OpenFlow 1.3
 * match Open vSwitch sends: shorthands set eth_type and ip_proto, every field lands in the packet
 * slot OVS keeps it in (tp_dst is tcp_dst or udp_dst by ip_proto, xreg0 is reg0 and reg1, nw_tos is
 * ip_dscp), and the result comes out in OVS's order. Fields the OpenFlow 1.3 encoding leaves out
 * because their prerequisites are missing are dropped, as ovs-ofctl drops them, with a warning.
 */
import { emitOf13 } from '../fields/canonical.js';
import { fromBig, ones, smallBig } from '../fields/convert.js';
import { FlowMatch, applyField, applyValue, flowOf, hasSlot, slotsOf, type Slot } from '../fields/flow.js';
import { fieldByName, type FieldDef } from '../fields/registry.js';
import { checkPrerequisitesInto, copiesMeetPrerequisites } from '../fields/prereq.js';
import { parseFieldValue } from '../fields/text.js';
import type { Match, OxmField } from '../fields/types.js';
import { parseIpv4 } from '../fields/values.js';
import { OfpSyntaxError, type ParseWarning } from './errors.js';
import type { KeyValue } from './lexer.js';
import { parseSubfield, type OvsField } from './parse-fields.js';
import { parseIntString } from './parse-numbers.js';
import { nameTable, type Fail } from './parse-util.js';

/** ovs-ofctl's protocol shorthands: eth_type and, for some, ip_proto. */
export const SHORTHANDS: Readonly<Record<string, readonly [number, number]>> = nameTable({
  ip: [0x0800, 0],
  ipv4: [0x0800, 0],
  ip4: [0x0800, 0],
  arp: [0x0806, 0],
  icmp: [0x0800, 1],
  tcp: [0x0800, 6],
  udp: [0x0800, 17],
  sctp: [0x0800, 132],
  ipv6: [0x86dd, 0],
  ip6: [0x86dd, 0],
  icmp6: [0x86dd, 58],
  tcp6: [0x86dd, 6],
  udp6: [0x86dd, 17],
  sctp6: [0x86dd, 132],
  rarp: [0x8035, 0],
  mpls: [0x8847, 0],
  mplsm: [0x8848, 0],
});

/** A match under construction: OVS's flow/wildcards model plus the tun_metadata entries it keeps aside. */
export class MatchBuilder {
  readonly flow = new FlowMatch();
  /** tun_metadata index → what OVS keeps of it without a TLV map (see tunMetadataSet). */
  private tunMetadata: Map<number, TunMetadataMatch> | undefined;

  setDefaultPacketType(): void {
    if (!this.flow.mask('packet_type')) this.flow.put('packet_type', 0n, 0xffffffffn);
  }

  shorthand(name: string): boolean {
    const p = SHORTHANDS[name];
    if (!p) return false;
    this.flow.put('dl_type', smallBig(p[0]), 0xffffn);
    if (p[1]) this.flow.put('nw_proto', smallBig(p[1]), 0xffn);
    this.setDefaultPacketType();
    return true;
  }

  /** `eth`: Ethernet packets only. */
  ethernet(): void {
    this.flow.put('packet_type', 0n, 0xffffffffn);
  }

  /**
   * `FIELD=VALUE`. A field named without a value is read as `0/0`, as ovs-ofctl reads it: a match
   * on the field's prerequisites alone where the field takes a mask, an error for addresses, ports
   * and the like (never a match on everything).
   */
  field(def: FieldDef, kv: KeyValue, f: Fail, ports?: ReadonlyMap<string, number>): void {
    const text = kv.value === '' ? '0/0' : kv.value;
    if (def.variable) return this.tunField(def, text, kv, f);
    const plain = plainValue(def, text);
    if (plain !== null) {
      try {
        applyValue(this.flow, def, plain, null, def.name);
      } catch (err) {
        throw f(kv.raw, kv.rawAt, (err as Error).message);
      }
      if (def.prereq) this.setDefaultPacketType();
      return;
    }
    let entry: OxmField;
    try {
      const parsed = parseFieldValue(def, text, ports ? { ports } : {});
      entry = { field: def.name, value: parsed.value };
      if (parsed.mask !== undefined) entry.mask = parsed.mask;
    } catch (err) {
      throw f(kv.raw, kv.rawAt, kv.value === '' ? `${kv.key}: missing value` : (err as Error).message);
    }
    this.apply(entry, kv, f);
    if (def.prereq) this.setDefaultPacketType();
  }

  private apply(entry: OxmField, kv: KeyValue, f: Fail): void {
    try {
      applyField(this.flow, entry);
    } catch (err) {
      throw f(kv.raw, kv.rawAt, (err as Error).message);
    }
  }

  /** `FIELD[a..b]=VALUE`: sets only those bits of the field. */
  subfield(kv: KeyValue, f: Fail): void {
    const sf = parseSubfield(kv.key);
    if (typeof sf === 'string') throw f(kv.raw, kv.rawAt, sf);
    const width = sf.field.nBytes;
    const val = parseIntString(kv.value, width);
    if (typeof val === 'string') throw f(kv.raw, kv.rawAt, `${kv.key}: cannot parse integer value: ${kv.value}`);
    if (val >> BigInt(sf.nBits)) throw f(kv.raw, kv.rawAt, `${kv.key}: value ${kv.value} does not fit into ${sf.nBits} bits`);
    const bits = ones(sf.nBits) << BigInt(sf.ofs);
    const def = sf.field.def;
    if (def.variable) {
      this.tunMetadataSet(def, val << BigInt(sf.ofs), bits, kv, f);
      return;
    }
    const cur = this.current(sf.field, kv, f);
    const value = (cur.v & ~bits) | (val << BigInt(sf.ofs));
    const mask = cur.m | bits;
    this.apply({ field: def.name, value: fromBig(def, value & mask), mask: fromBig(def, mask) }, kv, f);
    if (def.prereq) this.setDefaultPacketType();
  }

  /** The field's current value and mask (for fields kept whole in one slot or in registers). */
  private current(field: OvsField, kv: KeyValue, f: Fail): { v: bigint; m: bigint } {
    const slots = slotsOf(field.def);
    if (slots.every((s) => !this.flow.mask(s))) return { v: 0n, m: 0n };
    if (slots.length > 1 && slots.every((s) => s.startsWith('reg'))) {
      let v = 0n;
      let m = 0n;
      for (const s of slots) {
        v = (v << 32n) | this.flow.val(s);
        m = (m << 32n) | this.flow.mask(s);
      }
      return { v, m };
    }
    if (slots.length === 1 && !['nw_tos', 'mpls_lse', 'vlan_tci', 'nw_frag', 'tcp_flags'].includes(slots[0]!)) {
      const s = this.flow.get(slots[0]!);
      return { v: s.v, m: s.m };
    }
    throw f(kv.raw, kv.rawAt, `${kv.key}: a bit range of ${field.name} cannot be combined with another match on it`);
  }

  private tunField(def: FieldDef, text: string, kv: KeyValue, f: Fail): void {
    if (text === '*') return this.tunMetadataSet(def, 0n, 0n, kv, f);
    const slash = text.indexOf('/');
    const vs = slash < 0 ? text : text.slice(0, slash);
    const value = parseIntString(vs, TUN_METADATA_BYTES);
    if (typeof value === 'string') throw f(kv.raw, kv.rawAt, `${vs}: bad syntax for ${def.name} value`);
    if (slash < 0) return this.tunMetadataSet(def, value, null, kv, f);
    const mask = parseIntString(text.slice(slash + 1), TUN_METADATA_BYTES);
    if (typeof mask === 'string') throw f(kv.raw, kv.rawAt, `${text.slice(slash + 1)}: bad syntax for ${def.name} mask`);
    this.tunMetadataSet(def, value, mask, kv, f);
  }

  /**
   * tun_metadata_set_match() without a TLV map: the field is as long as its value needs (0 bytes
   * for 0), or its mask when masked; it may be set once per flow, and all of them share 256 bytes.
   */
  private tunMetadataSet(def: FieldDef, value: bigint, mask: bigint | null, kv: KeyValue, f: Fail): void {
    const idx = tunIndex(def);
    const tunMetadata = (this.tunMetadata ??= new Map<number, TunMetadataMatch>());
    if (tunMetadata.has(idx)) throw f(kv.raw, kv.rawAt, `field ${def.name} set multiple times`);
    const masked = mask !== null && mask !== ones(TUN_METADATA_BYTES * 8);
    const len = Math.max(valueBytes(value), masked ? valueBytes(mask) : 0);
    let used = len;
    for (const t of tunMetadata.values()) used += t.len;
    if (used > TUN_METADATA_BYTES_MAX) {
      throw f(kv.raw, kv.rawAt, `field ${def.name} exceeds maximum size for tunnel metadata (used ${used}, max ${TUN_METADATA_BYTES_MAX})`);
    }
    const lenMask = ones(len * 8);
    tunMetadata.set(idx, { value: value & (masked ? mask : lenMask) & lenMask, mask: masked ? mask & lenMask : null, len });
  }

  /**
   * The OpenFlow 1.3 match, in OVS's order. Fields the encoding cannot carry (a missing
   * prerequisite) are left out with a warning, as ovs-ofctl leaves them out.
   */
  finish(warnings: ParseWarning[] | undefined, text: string, at = 0): Match {
    const copied: (string | null)[] = [];
    const out = emitOf13(this.flow, undefined, copied);
    // The match read back; null when it is this.flow on the copied slots and empty elsewhere.
    let checked: FlowMatch | null = null;
    if (!copiesMeetPrerequisites(this.flow, out, copied)) {
      // What OVS would send but a switch refuses (ct_nw_src without a ct_state that implies a
      // connection, for one) is refused here.
      checked = new FlowMatch();
      const problem = checkPrerequisitesInto(out, checked);
      if (problem) throw new OfpSyntaxError(`${problem} (ovs-ofctl sends this match but the switch refuses it)`, text.trim(), at);
    }
    if (warnings) {
      const back = checked === null || out.every((e) => e.field !== 'unknown' && hasSlot(fieldByName(e.field)!)) ? checked : flowOf(out);
      const dropped: string[] = [];
      for (const [slot, names] of this.flow.setBy) {
        const a = this.flow.get(slot);
        const b = back ? back.get(slot) : copied.includes(slot) ? a : EMPTY_SLOT;
        if (a.v === b.v && a.m === b.m) continue;
        if (slot === 'vlan_tci' && untagged(a) && untagged(b)) continue;
        if (slot === 'packet_type') continue;
        for (const n of names) if (!dropped.includes(n)) dropped.push(n);
      }
      if (dropped.length) {
        warnings.push({
          message: `${dropped.join(', ')} dropped from the match: OpenFlow 1.3 cannot carry ${dropped.length > 1 ? 'them' : 'it'} without ${dropped.length > 1 ? 'their' : 'its'} prerequisites (as ovs-ofctl does)`,
          token: text,
          column: -1,
        });
      }
    }
    if (!this.tunMetadata?.size) return out;
    const tun: OxmField[] = [...this.tunMetadata.entries()].sort((a, b) => a[0] - b[0]).map(([i, t]) => tunEntry(i, t));
    let pos = out.findIndex((e) => AFTER_TUN_METADATA.has(e.field));
    if (pos < 0) pos = out.length;
    return [...out.slice(0, pos), ...tun, ...out.slice(pos)];
  }
}

/**
 * The value of the two most common spellings, read straight into an integer: an IPv4 address
 * without a mask, and a plain decimal that fits the field. null for anything else (masks, hex,
 * names, values out of range), which parseFieldValue reads and explains.
 */
function plainValue(def: FieldDef, text: string): bigint | null {
  if (def.format === 'ipv4') {
    const v = parseIpv4(text);
    return v < 0 ? null : BigInt(v);
  }
  if ((def.format !== 'decimal' && def.format !== 'hex') || def.kind !== 'uint' || def.name === 'nw_tos') return null;
  const n = text.length;
  if (n === 0 || n > 9 || (n > 1 && text.charCodeAt(0) === 0x30)) return null;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return null;
    v = v * 10 + d;
  }
  return def.bits < 31 && v >= 1 << def.bits ? null : smallBig(v);
}

const EMPTY_SLOT: Slot = { v: 0n, m: 0n };

function untagged(s: { v: bigint; m: bigint }): boolean {
  return (s.m & 0x1000n) !== 0n && s.v === 0n;
}

// prettier-ignore
const AFTER_TUN_METADATA = new Set([
  'tun_erspan_idx', 'tun_erspan_ver', 'tun_erspan_dir', 'tun_erspan_hwid', 'tun_gtpu_flags', 'tun_gtpu_msgtype',
  'nsh_flags', 'nsh_ttl', 'nsh_mdtype', 'nsh_np', 'nsh_spi', 'nsh_si', 'nsh_c1', 'nsh_c2', 'nsh_c3', 'nsh_c4',
  ...Array.from({ length: 16 }, (_, i) => `reg${i}`),
  'pkt_mark', 'ct_state', 'ct_zone', 'ct_mark', 'ct_label', 'ct_nw_src', 'ct_ipv6_src', 'ct_nw_dst', 'ct_ipv6_dst',
  'ct_nw_proto', 'ct_tp_src', 'ct_tp_dst', 'metadata',
]);

export function tunIndex(def: FieldDef): number {
  return Number(def.name.slice('tun_metadata'.length));
}

/** A tun_metadata match as OVS keeps it: `len` bytes of value, and of mask unless exact. */
interface TunMetadataMatch {
  value: bigint;
  mask: bigint | null;
  len: number;
}

/** tun_metadata values are parsed as 124-byte fields; a flow's fields share 256 bytes of options. */
const TUN_METADATA_BYTES = 124;
const TUN_METADATA_BYTES_MAX = 256;

/** Bytes needed for a value (0 for 0), as OVS sizes variable-length fields (field_len()). */
function valueBytes(v: bigint): number {
  let n = 0;
  while (v >> BigInt(n * 8)) n++;
  return n;
}

/** Bytes needed for a value, at least 1 (how set_field sizes a tun_metadata value). */
export function significantBytes(v: bigint): number {
  return Math.max(1, valueBytes(v));
}

export function bigToBuffer(v: bigint, n: number): Buffer {
  const out = Buffer.alloc(n);
  for (let i = n - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

function tunEntry(i: number, { value, mask, len }: TunMetadataMatch): OxmField {
  const entry: OxmField = { field: `tun_metadata${i}`, value: bigToBuffer(value, len) };
  if (mask !== null) entry.mask = bigToBuffer(mask, len);
  return entry;
}
