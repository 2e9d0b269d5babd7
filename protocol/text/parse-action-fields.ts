/**
 * Actions that write or read fields: set_field, load, move, push/pop, output to a register. For
 * OpenFlow 1.3 Open vSwitch sends `set_field:V->F` as OFPAT_SET_FIELD when it sets the whole field
 * and as NXAST_REG_LOAD (one per run of mask bits, at most 64 bits each) otherwise; `load:` always
 * as NXAST_REG_LOAD; both as NXAST_REG_LOAD2 when the field has only an experimenter OXM header or a
 * variable length (tun_metadata).
 */
import type { Action, FieldAssignment, SubField } from '../actions/types.js';
import { fromBig, ones, toBig } from '../fields/convert.js';
import type { FieldEncoding } from '../fields/registry.js';
import { parseFieldValue } from '../fields/text.js';
import type { FieldValue } from '../fields/types.js';
import type { CheckContext } from './parse-action-check.js';
import { InstructionSlot, simple, type Ofpact } from './parse-action-types.js';
import { ovsField, parseSubfield, parseSubfieldPrefix, type OvsField, type ParsedSubfield } from './parse-fields.js';
import { bigToBuffer, significantBytes } from './parse-match.js';
import { parseIntString } from './parse-numbers.js';
import { failAt, type Located } from './parse-util.js';

// ---- field references ---------------------------------------------------------------------------

function codecChoice(field: OvsField, ctx: 'nxm' | 'oxm'): FieldEncoding {
  const encs = field.def.encodings;
  if (ctx === 'nxm') for (const e of encs) if (e.header >>> 16 <= 1) return e;
  return encs[0]!;
}

function rawHeader(enc: FieldEncoding): number {
  return (enc.header | (enc.bytes + (enc.experimenter === undefined ? 0 : 4))) >>> 0;
}

/** A SubField for the codec, with the header OVS writes in Nicira actions. */
export function subFieldRef(sf: { field: OvsField; ofs: number; nBits: number }): SubField {
  const out: SubField = { field: sf.field.def.name, ofs: sf.ofs, nBits: sf.nBits };
  if (sf.field.nxm !== codecChoice(sf.field, 'nxm')) {
    out.header = rawHeader(sf.field.nxm);
    if (sf.field.nxm.experimenter !== undefined) out.experimenter = sf.field.nxm.experimenter;
  }
  return out;
}

function assignment(field: OvsField, value: FieldValue, ctx: 'nxm' | 'oxm'): FieldAssignment {
  const out: FieldAssignment = { field: field.def.name, value };
  const enc = ctx === 'nxm' ? field.nxm : field.oxm;
  if (enc !== codecChoice(field, ctx)) {
    out.header = enc.header;
    if (enc.experimenter !== undefined) out.experimenter = enc.experimenter;
  }
  return out;
}

/** The whole field, as `FIELD[]`. */
export function wholeField(field: OvsField): { field: OvsField; ofs: number; nBits: number } {
  return { field, ofs: 0, nBits: field.nBits };
}

export function subfieldOrFail(text: string, loc: Located): ParsedSubfield {
  const sf = parseSubfield(text);
  if (typeof sf === 'string') throw failAt(loc, sf);
  return sf;
}

// ---- set_field and load -------------------------------------------------------------------------

/** A write of value/mask (as unsigned integers over the field's bytes) into a field. */
export interface FieldWrite {
  field: OvsField;
  value: bigint;
  mask: bigint;
  /** How it was written: `set_field:` or `load:` (which OVS keeps as a register load). */
  raw: 'set_field' | 'reg_load';
}

function widthBits(field: OvsField): number {
  return field.nBytes * 8;
}

/** next_load_segment(): the runs of 1-bits in the mask, at most 64 bits each. */
function loadSegments(w: FieldWrite): { ofs: number; nBits: number }[] {
  const out: { ofs: number; nBits: number }[] = [];
  const n = w.field.nBits;
  let start = 0;
  while (start < n) {
    let ofs = start;
    while (ofs < n && !((w.mask >> BigInt(ofs)) & 1n)) ofs++;
    if (ofs >= n) break;
    const limit = Math.min(ofs + 64, n);
    let end = ofs + 1;
    while (end < limit && (w.mask >> BigInt(end)) & 1n) end++;
    out.push({ ofs, nBits: end - ofs });
    start = end;
  }
  return out;
}

function variableValue(v: bigint, n: number): Buffer {
  return bigToBuffer(v, n);
}

/** encode_SET_FIELD for OpenFlow 1.3. */
export function lowerFieldWrite(w: FieldWrite): Action[] {
  const all = ones(widthBits(w.field));
  const def = w.field.def;
  if (w.raw === 'set_field' && w.mask === all) {
    let v = w.value;
    // in_port holds an OpenFlow 1.0 port; the codec takes the OpenFlow 1.1+ number.
    if (w.field.name === 'in_port' && v >= 0xff00n) v += 0xffff0000n;
    const value = w.field.variable ? variableValue(v, significantBytes(v)) : fromBig(def, v);
    return [{ type: 'set_field', ...assignment(w.field, value, 'oxm') }];
  }
  if (w.field.experimenter || w.field.variable) {
    const masked = w.mask !== all;
    if (w.field.variable) {
      const n = Math.max(significantBytes(w.value), masked ? significantBytes(w.mask) : 0);
      const a: Action = { type: 'reg_load2', ...assignment(w.field, variableValue(w.value, n), 'nxm') };
      if (masked) a.mask = variableValue(w.mask, n);
      return [a];
    }
    const a: Action = { type: 'reg_load2', ...assignment(w.field, fromBig(def, w.value), 'nxm') };
    if (masked) a.mask = fromBig(def, w.mask);
    return [a];
  }
  return loadSegments(w).map((seg) => ({
    type: 'reg_load' as const,
    dst: subFieldRef({ field: w.field, ofs: seg.ofs, nBits: seg.nBits }),
    value: (w.value >> BigInt(seg.ofs)) & ones(seg.nBits),
  }));
}

/** check_SET_FIELD. */
export function checkFieldWrite(cx: CheckContext, token: Located, w: FieldWrite): void {
  const f = w.field;
  if (!cx.flow.prereqOk(f.def.prereq) || (f.def.name === 'vlan_vid' && !cx.flow.hasVlan())) {
    throw cx.error(token, 'OFPBAC_MATCH_INCONSISTENT', `set_field ${f.name} lacks correct prerequisites`);
  }
  if (f.def.name === 'vlan_tci') cx.flow.vlans[0] = Number(w.value & 0xffffn);
}

function fieldWriteAction(name: string, token: Located, w: FieldWrite): Ofpact {
  return {
    name,
    token,
    slot: InstructionSlot.Apply,
    dst: w.field,
    check: (cx) => checkFieldWrite(cx, token, w),
    lower: () => lowerFieldWrite(w),
  };
}

/** Splits `VALUE->FIELD`. */
function splitArrow(arg: Located): { value: string; key: string; keyAt: number } {
  const i = arg.text.indexOf('->');
  if (i < 0) throw failAt(arg, `${arg.text}: missing \`->'`);
  const key = arg.text.slice(i + 2);
  if (!key) throw failAt(arg, `${arg.text}: missing field name following \`->'`);
  return { value: arg.text.slice(0, i), key, keyAt: arg.at + i + 2 };
}

/** A tun_metadata value: hex of up to 124 bytes, optionally /mask. */
function parseTunValue(text: string, loc: Located): { value: bigint; mask: bigint } {
  const slash = text.indexOf('/');
  const vs = slash < 0 ? text : text.slice(0, slash);
  const value = parseIntString(vs, 124);
  if (typeof value === 'string') throw failAt(loc, `${vs}: bad syntax for tun_metadata value`);
  if (slash < 0) return { value, mask: ones(124 * 8) };
  const mask = parseIntString(text.slice(slash + 1), 124);
  if (typeof mask === 'string') throw failAt(loc, `${text.slice(slash + 1)}: bad syntax for tun_metadata mask`);
  return { value: value & mask, mask };
}

/** `set_field:VALUE[/MASK]->FIELD`. */
export function parseSetField(arg: Located, token: Located): Ofpact {
  const { value, key } = splitArrow(arg);
  if (key === 'dl_vlan' || key === 'dl_vlan_pcp') {
    throw failAt(
      token,
      `${key} has no OpenFlow field to set (ovs-ofctl sends set_field on in_port for it); use ${key === 'dl_vlan' ? 'vlan_vid' : 'vlan_pcp'}`,
    );
  }
  const field = ovsField(key);
  if (!field) throw failAt(token, `${key} is not a valid OXM field name`);
  if (!field.writable) throw failAt(token, `${key} is read-only`);
  let w: FieldWrite;
  if (field.variable) {
    const p = parseTunValue(value, token);
    w = { field, value: p.value, mask: p.mask, raw: 'set_field' };
  } else {
    let parsed;
    try {
      parsed = parseFieldValue(field.def, value);
    } catch (err) {
      throw failAt(token, (err as Error).message);
    }
    const all = ones(widthBits(field));
    const v = toBig(field.def, parsed.value);
    const m = parsed.mask === undefined ? all : toBig(field.def, parsed.mask);
    w = { field, value: v & m & all, mask: m & all, raw: 'set_field' };
    if (field.name === 'in_port') {
      // MFF_IN_PORT is a 16-bit field holding an OpenFlow 1.0 port.
      w.mask = ones(16);
      w.value = v >= 0xffffff00n ? v - 0xffff0000n : v;
      if (w.value > 0xffffn) throw failAt(token, `${value} is not a valid value for field ${key}`);
    }
  }
  return fieldWriteAction('set_field', token, w);
}

/** `load:VALUE->DST[a..b]`. */
export function parseLoad(arg: Located, token: Located): Ofpact {
  const { value, key } = splitArrow(arg);
  const sf = subfieldOrFail(key, token);
  const v = parseIntString(value, sf.field.nBytes);
  if (typeof v === 'string') throw failAt(token, `${arg.text}: cannot parse integer value`);
  if (v >> BigInt(sf.nBits)) throw failAt(token, `${arg.text}: value ${value} does not fit into ${sf.nBits} bits`);
  if (!sf.field.writable) throw failAt(token, `${sf.field.name} is read-only (ovs-ofctl sends this load but the switch refuses it)`);
  const w: FieldWrite = {
    field: sf.field,
    value: v << BigInt(sf.ofs),
    mask: ones(sf.nBits) << BigInt(sf.ofs),
    raw: 'reg_load',
  };
  return fieldWriteAction('set_field', token, w);
}

/** A write of a whole field, for the mod_* actions (mod_dl_src → set_field eth_src…). */
export function setWholeField(name: string, token: Located, fieldName: string, value: bigint, check?: (cx: CheckContext) => void): Ofpact {
  const field = ovsField(fieldName)!;
  const w: FieldWrite = { field, value, mask: ones(widthBits(field)), raw: 'set_field' };
  return {
    name,
    token,
    slot: InstructionSlot.Apply,
    check: check ?? (() => undefined),
    lower: () => lowerFieldWrite(w),
  };
}

// ---- move, push, pop, output to a field ---------------------------------------------------------

/** `move:SRC[a..b]->DST[c..d]`. */
export function parseMove(arg: Located, token: Located): Ofpact {
  const s = arg.text;
  const src = parseSubfieldPrefix(s);
  if (typeof src === 'string') throw failAt(token, src);
  if (s.slice(src.length, src.length + 2) !== '->') throw failAt(token, `${s}: missing \`->' following source`);
  const dst = subfieldOrFail(s.slice(src.length + 2), token);
  if (src.nBits !== dst.nBits) {
    throw failAt(token, `${s}: source field is ${src.nBits} bits wide but destination is ${dst.nBits} bits wide`);
  }
  return {
    name: 'move',
    token,
    slot: InstructionSlot.Apply,
    dst: dst.field,
    check: (cx) => {
      cx.checkField(token, src.field, false);
      cx.checkField(token, dst.field, true);
    },
    lower: () => [{ type: 'reg_move', src: subFieldRef(src), dst: subFieldRef(dst) }],
  };
}

/** `push:SRC[a..b]` / `pop:DST[a..b]`. */
export function parseStack(name: 'push' | 'pop', arg: Located, token: Located): Ofpact {
  const sf = parseSubfieldPrefix(arg.text);
  if (typeof sf === 'string') throw failAt(token, sf);
  if (sf.length !== arg.text.length) throw failAt(token, `${arg.text.slice(sf.length)}: trailing garbage following push or pop`);
  return simple(
    name,
    token,
    () => [{ type: name === 'push' ? 'stack_push' : 'stack_pop', field: subFieldRef(sf) }],
    (cx) => cx.checkField(token, sf.field, name === 'pop'),
  );
}

/** `output:FIELD[a..b]`. */
export function outputToField(sf: ParsedSubfield, token: Located): Ofpact {
  return simple(
    'output_reg',
    token,
    () => [{ type: sf.field.experimenter ? 'output_reg2' : 'output_reg', src: subFieldRef(sf), maxLen: 0xffff }],
    (cx) => cx.checkField(token, sf.field, false),
  );
}
