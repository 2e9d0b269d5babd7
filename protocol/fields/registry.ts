/**
 * The field table: one row per match field, driving OXM/NXM encode and decode (and, in
 * protocol/text, parsing and printing). Adding a field is adding a row in ./table.ts.
 */

/** How a field's value is represented (see ./types.ts) and printed. */
export type ValueKind = 'uint' | 'mac' | 'ipv4' | 'ipv6';

export const OXM_CLASS_NXM0 = 0x0000;
export const OXM_CLASS_NXM1 = 0x0001;
export const OXM_CLASS_OPENFLOW_BASIC = 0x8000;
export const OXM_CLASS_EXPERIMENTER = 0xffff;

export const EXPERIMENTER_NICIRA = 0x00002320;
export const EXPERIMENTER_ONF = 0x4f4e4600;

/** One wire encoding of a field: its header (without hasmask and length) and width. */
export interface FieldEncoding {
  /** `class << 16 | field << 9`. */
  header: number;
  /** For the experimenter class (0xffff): the experimenter id that follows the header. */
  experimenter?: number;
  /** Value width on the wire, in bytes. */
  bytes: number;
  /** The name OVS gives this header (`NXM_OF_IP_DST`, `OXM_OF_IPV4_DST`, `ONFOXM_ET_TCP_FLAGS`). */
  wireName: string;
}

export interface FieldDef {
  /** Open vSwitch's name for the field (`ipv4_dst`). */
  name: string;
  /** Other names ovs-ofctl accepts (`nw_dst`, `ip_dst`). */
  aliases: readonly string[];
  kind: ValueKind;
  /** Significant bits (e.g. 12+1 for vlan_vid, 6 for ip_dscp); ≤ bytes*8. */
  bits: number;
  maskable: boolean;
  /** The encoding OVS 3.1 writes for OpenFlow 1.3 first, then any other it accepts. */
  encodings: readonly FieldEncoding[];
  /** Prerequisites in ovs-ofctl terms, e.g. `ip`, `tcp`, `ipv6`, `icmp`, `arp`, `vlan`. */
  prereq?: string;
}

export function oxmHeader(cls: number, field: number): number {
  return ((cls << 16) | (field << 9)) >>> 0;
}

const byName = new Map<string, FieldDef>();
/** Key: header (class|field, no mask/len) for non-experimenter; `header:experimenter` for experimenter. */
const byHeader = new Map<string, { def: FieldDef; enc: FieldEncoding }>();
const byHeaderNum = new Map<number, { def: FieldDef; enc: FieldEncoding }>();

export function registerFields(defs: readonly FieldDef[]): void {
  for (const def of defs) {
    for (const n of [def.name, ...def.aliases]) {
      if (byName.has(n)) throw new Error(`duplicate field name ${n}`);
      byName.set(n, def);
    }
    for (const enc of def.encodings) {
      const entry = { def, enc };
      if (enc.experimenter === undefined) {
        if (byHeaderNum.has(enc.header)) throw new Error(`duplicate field header ${enc.wireName}`);
        byHeaderNum.set(enc.header, entry);
      } else {
        byHeader.set(`${enc.header}:${enc.experimenter}`, entry);
      }
      if (!byName.has(enc.wireName)) byName.set(enc.wireName, def);
    }
  }
}

export function fieldByName(name: string): FieldDef | undefined {
  return byName.get(name);
}

/** Looks a header up (hasmask and length bits ignored). */
export function fieldByHeader(
  header: number,
  experimenter?: number,
): { def: FieldDef; enc: FieldEncoding } | undefined {
  const h = (header & 0xfffffe00) >>> 0;
  return experimenter === undefined ? byHeaderNum.get(h) : byHeader.get(`${h}:${experimenter}`);
}

export function allFields(): IterableIterator<FieldDef> {
  return new Set(byName.values()).values();
}
