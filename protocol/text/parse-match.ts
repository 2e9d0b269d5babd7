/**
 * The match part of a flow (`tcp,nw_dst=10.96.0.10,tp_dst=80`, `reg0[0..3]=5`) into the OpenFlow 1.3
 * match Open vSwitch sends: shorthands set eth_type and ip_proto, every field lands in the packet
 * slot OVS keeps it in (tp_dst is tcp_dst or udp_dst by ip_proto, xreg0 is reg0 and reg1, nw_tos is
 * ip_dscp), and the result comes out in OVS's order. Fields the OpenFlow 1.3 encoding leaves out
 * because their prerequisites are missing are dropped, as ovs-ofctl drops them, with a warning.
 */
import { emitOf13 } from '../fields/canonical.js';
import { fromBig, ones } from '../fields/convert.js';
import { FlowMatch, applyField, flowOf, hasSlot, slotsOf } from '../fields/flow.js';
import { fieldByName, type FieldDef } from '../fields/registry.js';
import { checkPrerequisitesInto } from '../fields/prereq.js';
import { parseFieldValue } from '../fields/text.js';
import type { Match, OxmField } from '../fields/types.js';
import { OfpSyntaxError, type ParseWarning } from './errors.js';
import type { KeyValue } from './lexer.js';
import { parseSubfield, type OvsField } from './parse-fields.js';
import { parseIntString } from './parse-numbers.js';
import type { Fail } from './parse-util.js';

/** ovs-ofctl's protocol shorthands: eth_type and, for some, ip_proto. */
export const SHORTHANDS: Readonly<Record<string, readonly [number, number]>> = {
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
};

/** A match under construction: OVS's flow/wildcards model plus the tun_metadata entries it keeps aside. */
export class MatchBuilder {
  readonly flow = new FlowMatch();
  /** tun_metadata index → value and mask (bytes as wide as they need to be). */
  readonly tunMetadata = new Map<number, { value: bigint; mask: bigint | null }>();

  setDefaultPacketType(): void {
    if (!this.flow.mask('packet_type')) this.flow.put('packet_type', 0n, 0xffffffffn);
  }

  shorthand(name: string): boolean {
    const p = SHORTHANDS[name];
    if (!p) return false;
    this.flow.put('dl_type', BigInt(p[0]), 0xffffn);
    if (p[1]) this.flow.put('nw_proto', BigInt(p[1]), 0xffn);
    this.setDefaultPacketType();
    return true;
  }

  /** `eth`: Ethernet packets only. */
  ethernet(): void {
    this.flow.put('packet_type', 0n, 0xffffffffn);
  }

  /** `FIELD=VALUE` (an empty value matches anything). */
  field(def: FieldDef, kv: KeyValue, f: Fail, ports?: ReadonlyMap<string, number>): void {
    if (def.variable) return this.tunField(def, kv.value, kv, f);
    let entry: OxmField;
    if (kv.value === '') {
      this.clear(def, f, kv);
      return;
    }
    try {
      const parsed = parseFieldValue(def, kv.value, ports ? { ports } : {});
      entry = { field: def.name, value: parsed.value };
      if (parsed.mask !== undefined) entry.mask = parsed.mask;
    } catch (err) {
      throw f(kv.raw, kv.rawAt, (err as Error).message);
    }
    this.apply(entry, kv, f);
    if (def.prereq) this.setDefaultPacketType();
  }

  private clear(def: FieldDef, f: Fail, kv: KeyValue): void {
    const zero = fromBig(def, 0n);
    this.apply({ field: def.name, value: zero, mask: zero }, kv, f);
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
      const idx = tunIndex(def);
      const cur = this.tunMetadata.get(idx) ?? { value: 0n, mask: 0n };
      const curMask = cur.mask ?? ones(significantBytes(cur.value) * 8);
      this.tunMetadata.set(idx, { value: (cur.value & ~bits) | (val << BigInt(sf.ofs)), mask: curMask | bits });
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
    const idx = tunIndex(def);
    if (text === '' || text === '*') {
      this.tunMetadata.delete(idx);
      return;
    }
    const slash = text.indexOf('/');
    const vs = slash < 0 ? text : text.slice(0, slash);
    const value = parseIntString(vs, 124);
    if (typeof value === 'string') throw f(kv.raw, kv.rawAt, `${vs}: bad syntax for ${def.name} value`);
    if (slash < 0) {
      this.tunMetadata.set(idx, { value, mask: null });
      return;
    }
    const mask = parseIntString(text.slice(slash + 1), 124);
    if (typeof mask === 'string') throw f(kv.raw, kv.rawAt, `${text.slice(slash + 1)}: bad syntax for ${def.name} mask`);
    if (mask === 0n) this.tunMetadata.delete(idx);
    else this.tunMetadata.set(idx, { value: value & mask, mask });
  }

  /**
   * The OpenFlow 1.3 match, in OVS's order. Fields the encoding cannot carry (a missing
   * prerequisite) are left out with a warning, as ovs-ofctl leaves them out.
   */
  finish(warnings: ParseWarning[] | undefined, text: string, at = 0): Match {
    const out = emitOf13(this.flow);
    // What OVS would send but a switch refuses (ct_nw_src without a ct_state that implies a
    // connection, for one) is refused here.
    const checked = new FlowMatch();
    const problem = checkPrerequisitesInto(out, checked);
    if (problem) throw new OfpSyntaxError(`${problem} (ovs-ofctl sends this match but the switch refuses it)`, text.trim(), at);
    if (warnings) {
      const back = out.every((e) => e.field !== 'unknown' && hasSlot(fieldByName(e.field)!)) ? checked : flowOf(out);
      const dropped: string[] = [];
      for (const [slot, names] of this.flow.setBy) {
        const a = this.flow.get(slot);
        const b = back.get(slot);
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
    if (!this.tunMetadata.size) return out;
    const tun: OxmField[] = [...this.tunMetadata.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([i, { value, mask }]) => tunEntry(i, value, mask));
    let pos = out.findIndex((e) => AFTER_TUN_METADATA.has(e.field));
    if (pos < 0) pos = out.length;
    return [...out.slice(0, pos), ...tun, ...out.slice(pos)];
  }
}

function untagged(s: { v: bigint; m: bigint }): boolean {
  return (s.m & 0x1000n) !== 0n && s.v === 0n;
}

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

/** Bytes needed for a value (at least 1), as OVS sizes variable-length fields. */
export function significantBytes(v: bigint): number {
  let n = 1;
  while (v >> BigInt(n * 8)) n++;
  return n;
}

export function bigToBuffer(v: bigint, n: number): Buffer {
  const out = Buffer.alloc(n);
  for (let i = n - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

function tunEntry(i: number, value: bigint, mask: bigint | null): OxmField {
  const n = Math.max(significantBytes(value), mask === null ? 1 : significantBytes(mask));
  const entry: OxmField = { field: `tun_metadata${i}`, value: bigToBuffer(value, n) };
  if (mask !== null) entry.mask = bigToBuffer(mask, n);
  return entry;
}
