/**
 * The field table: one row per match field, driving OXM/NXM encode and decode, prerequisites,
 * the OpenFlow 1.3 canonical form (./canonical.ts) and the ovs-ofctl value syntax (./text.ts).
 * Adding a field is adding a row in ./table.ts.
 */
import { OFPXMC_NXM_0, OFPXMC_NXM_1, OFPXMC_OPENFLOW_BASIC } from '../constants/openflow13.js';

/**
 * How a field's value is represented (see ./types.ts): `uint` → number (≤ 32 bits) or bigint,
 * `mac`/`ipv4`/`ipv6` → text, `bytes` → Buffer (variable-length fields such as tun_metadata0).
 */
export type ValueKind = 'uint' | 'mac' | 'ipv4' | 'ipv6' | 'bytes';

/** How ovs-ofctl reads and prints the value (meta-flow's "Formatting"). */
export type FieldFormat =
  | 'decimal'
  | 'hex'
  | 'ethernet'
  | 'ipv4'
  | 'ipv6'
  /** OpenFlow port: reserved names (LOCAL, CONTROLLER…) or a decimal number. */
  | 'port'
  /** ip_frag: no, first, later, yes, not_later. */
  | 'frag'
  | 'tun_flags'
  | 'tcp_flags'
  | 'ct_state'
  /** packet_type: `(ns,ns_type)`. */
  | 'packet_type';

/**
 * A field's prerequisites, as Open vSwitch checks them (meta-flow's "Prerequisites"):
 * `eth` Ethernet packet_type; `arp` eth_type 0x0806 or 0x8035; `vlan` a VLAN header present
 * (vlan_vid with OFPVID_PRESENT); `ip` 0x0800; `ipv6` 0x86dd; `ip_any` either; `mpls` 0x8847 or
 * 0x8848; `tcp`/`udp`/`sctp` ip_any and that ip_proto; `icmp` ip and ip_proto 1; `icmp6` ipv6 and
 * ip_proto 58; `nd` icmp6 with type 135/136 and code 0; `nd_solicit`/`nd_advert` type 135/136;
 * `ct` a ct_state match implying a valid connection; `nsh` eth_type 0x894f; `l4` any of tcp, udp,
 * sctp, icmp, icmp6 (the protocol-dependent tp_src/tp_dst); `in_port` an in_port match (for
 * in_phy_port); `pbb` eth_type 0x88e7.
 */
export type Prerequisite =
  | 'eth'
  | 'arp'
  | 'vlan'
  | 'ip'
  | 'ipv6'
  | 'ip_any'
  | 'mpls'
  | 'tcp'
  | 'udp'
  | 'sctp'
  | 'icmp'
  | 'icmp6'
  | 'nd'
  | 'nd_solicit'
  | 'nd_advert'
  | 'ct'
  | 'nsh'
  | 'l4'
  | 'in_port'
  | 'pbb';

/** One wire encoding of a field: its header (without hasmask and length) and width. */
export interface FieldEncoding {
  /** `class << 16 | field << 9`. */
  header: number;
  /** For the experimenter class (0xffff): the experimenter id that follows the header. */
  experimenter?: number;
  /** Value width on the wire, in bytes (the maximum, for variable-length fields). */
  bytes: number;
  /** The name OVS gives this header (`NXM_OF_IP_DST`, `OXM_OF_IPV4_DST`, `ONFOXM_ET_TCP_FLAGS`). */
  wireName: string;
  /**
   * The wire carries an OpenFlow 1.0 16-bit port (NXM_OF_IN_PORT): values are converted to and from
   * the OpenFlow 1.1+ 32-bit numbering the field uses (0xff00–0xffff ↔ 0xffffff00–0xffffffff).
   */
  port16?: true;
}

/** One match field: its names, width, maskability, prerequisites, wire headers and text format. */
export interface FieldDef {
  /** Open vSwitch's name for the field (`ipv4_dst`). */
  name: string;
  /** Other names ovs-ofctl accepts (`nw_dst`, `ip_dst`). */
  aliases: readonly string[];
  kind: ValueKind;
  /** Significant bits (e.g. 12+1 for vlan_vid, 6 for ip_dscp); ≤ bytes*8. */
  bits: number;
  maskable: boolean;
  /**
   * The encoding OVS 3.1 writes for OpenFlow 1.3 first, then any other it accepts. Empty for
   * ovs-ofctl names that have no encoding of their own (tp_src, dl_vlan…: see ./canonical.ts).
   */
  encodings: readonly FieldEncoding[];
  /** Prerequisites (see Prerequisite). */
  prereq?: Prerequisite;
  /** How ovs-ofctl reads and prints the value. */
  format: FieldFormat;
  /** Variable-length field (tun_metadata): any width from 1 to encodings[0].bytes. */
  variable?: true;
  /** One line on what the field is and, where it applies, how OpenFlow 1.3 carries it. */
  doc?: string;
}

export function oxmHeader(cls: number, field: number): number {
  return ((cls << 16) | (field << 9)) >>> 0;
}

/** A match field found by name or header, with the encoding it was found by. */
export interface FieldLookup {
  def: FieldDef;
  enc: FieldEncoding;
  /**
   * The whole 32-bit TLV header of a value of the encoding's full width, unmasked and masked
   * (hasmask bit and length included, the experimenter id's 4 bytes counted): written as they are.
   */
  plainHeader: number;
  maskedHeader: number;
}

/** The lookup entry of one encoding of a field, with its TLV headers computed. */
function lookupEntry(def: FieldDef, enc: FieldEncoding): FieldLookup {
  const expLen = enc.experimenter === undefined ? 0 : 4;
  return {
    def,
    enc,
    plainHeader: (enc.header | (expLen + enc.bytes)) >>> 0,
    maskedHeader: (enc.header | 0x100 | (expLen + 2 * enc.bytes)) >>> 0,
  };
}

const byName = new Map<string, FieldDef>();
/** Name, alias or wire name → the entry of the field's first encoding (fields that have one). */
const defaultByName = new Map<string, FieldLookup>();
/**
 * Non-experimenter headers by class, then by field number (`header >>> 9 & 0x7f`): an array index
 * for the classes in use, no hashing on the decode path.
 */
const byClass = new Map<number, (FieldLookup | undefined)[]>();
const OPENFLOW_BASIC: (FieldLookup | undefined)[] = [];
const NXM0: (FieldLookup | undefined)[] = [];
const NXM1: (FieldLookup | undefined)[] = [];
byClass.set(OFPXMC_OPENFLOW_BASIC, OPENFLOW_BASIC);
byClass.set(OFPXMC_NXM_0, NXM0);
byClass.set(OFPXMC_NXM_1, NXM1);
/** Experimenter headers: header key (`header >>> 9`) → experimenter id → entry. */
const byExperimenter = new Map<number, Map<number, FieldLookup>>();
const defs: FieldDef[] = [];

export function registerFields(list: readonly FieldDef[]): void {
  for (const def of list) {
    for (const n of [def.name, ...def.aliases]) {
      if (byName.has(n)) throw new Error(`duplicate field name ${n}`);
      byName.set(n, def);
    }
    defs.push(def);
    for (const enc of def.encodings) {
      const entry = lookupEntry(def, enc);
      if (enc.experimenter === undefined) {
        const cls = enc.header >>> 16;
        let table = byClass.get(cls);
        if (!table) byClass.set(cls, (table = []));
        const field = (enc.header >>> 9) & 0x7f;
        if (table[field]) throw new Error(`duplicate field header ${enc.wireName}`);
        table[field] = entry;
      } else {
        const key = enc.header >>> 9;
        let inner = byExperimenter.get(key);
        if (!inner) byExperimenter.set(key, (inner = new Map<number, FieldLookup>()));
        if (inner.has(enc.experimenter)) throw new Error(`duplicate field header ${enc.wireName}`);
        inner.set(enc.experimenter, entry);
      }
      if (!byName.has(enc.wireName)) byName.set(enc.wireName, def);
    }
    const first = def.encodings[0];
    if (first) {
      const entry = fieldByHeader(first.header, first.experimenter)!;
      for (const n of [def.name, ...def.aliases]) defaultByName.set(n, entry);
    }
  }
  for (const [n, def] of byName) {
    const first = def.encodings[0];
    if (first && !defaultByName.has(n)) defaultByName.set(n, fieldByHeader(first.header, first.experimenter)!);
  }
}

/** Looks a field up by its OVS name, an alias ovs-ofctl accepts, or a wire name (`NXM_NX_REG0`). */
export function fieldByName(name: string): FieldDef | undefined {
  return byName.get(name);
}

/** Looks a header up (hasmask and length bits ignored). */
export function fieldByHeader(header: number, experimenter?: number): FieldLookup | undefined {
  if (experimenter === undefined) {
    const cls = header >>> 16;
    const table =
      cls === OFPXMC_OPENFLOW_BASIC ? OPENFLOW_BASIC : cls === OFPXMC_NXM_1 ? NXM1 : cls === OFPXMC_NXM_0 ? NXM0 : byClass.get(cls);
    return table === undefined ? undefined : table[(header >>> 9) & 0x7f];
  }
  return byExperimenter.get(header >>> 9)?.get(experimenter >>> 0);
}

/** The entry of a field's first (OpenFlow 1.3) encoding, by name, alias or wire name; undefined for none. */
export function defaultEncodingByName(name: string): FieldLookup | undefined {
  return defaultByName.get(name);
}

/** Every field, in table order. */
export function allFields(): IterableIterator<FieldDef> {
  return defs.values();
}

/** The field's value width in bytes: its canonical encoding's, or enough for its bits. */
export function fieldBytes(def: FieldDef): number {
  return def.encodings[0]?.bytes ?? Math.ceil(def.bits / 8);
}
