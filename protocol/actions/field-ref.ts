/**
 * Fields named by bare header inside actions (reg_move, reg_load, output_reg, learn, multipath…),
 * and the (ofs, n_bits) encodings that go with them.
 *
 * Two things vary between actions:
 *   - the header slot: some structures hold a 32-bit header only (reg_load, output_reg, multipath,
 *     bundle_load, ct's zone, learn specs), others an OXM header of 4 or 8 bytes (reg_move,
 *     output_reg2, stack, check_pkt_larger, delete_field, learn2's result, copy_field);
 *   - the header OVS writes: in Nicira actions the field's NXM header when it has one ('nxm'),
 *     in copy_field and set_field its OpenFlow 1.3 OXM header ('oxm').
 * A FieldRef carries `header` only when the wire header is not the one OVS writes there. Given
 * with its hasmask and length bits clear, `header` only chooses the encoding (the length is that
 * encoding's); a known field read under such a header is kept as `unknown`, so it re-encodes as is.
 */
import { EncodeError } from '../errors.js';
import { fieldByHeader, fieldByName, type FieldDef, type FieldEncoding } from '../fields/registry.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import type { FieldRef, SubField } from './types.js';
import { OFPXMC_EXPERIMENTER } from '../constants/openflow13.js';

export type HeaderContext = 'nxm' | 'oxm';

/** The encoding OVS writes for a field in a given context. */
export function contextEncoding(def: FieldDef, ctx: HeaderContext): FieldEncoding {
  const encs = def.encodings;
  if (ctx === 'nxm') {
    for (let i = 0; i < encs.length; i++) {
      if (encs[i]!.header >>> 16 <= 1) return encs[i]!;
    }
  }
  return encs[0]!;
}

function canonicalHeader(enc: FieldEncoding): number {
  return (enc.header | (enc.bytes + (enc.experimenter === undefined ? 0 : 4))) >>> 0;
}

/**
 * Reads a bare field header. `wide`: the slot may hold an 8-byte experimenter header; in a 32-bit
 * slot an experimenter-class header is read as 4 bytes and kept as an unknown field.
 */
export function readFieldRef(r: Reader, wide: boolean, ctx: HeaderContext, structure: string): FieldRef {
  const header = r.u32(structure);
  let experimenter: number | undefined;
  if (wide && header >>> 16 === OFPXMC_EXPERIMENTER) experimenter = r.u32(structure);
  const found = fieldByHeader(header, experimenter);
  // A known field under a header with no length bits is kept as unknown: written back verbatim,
  // while a FieldRef with such a header only selects an encoding (see writeRawHeader).
  if (found && (header & 0x1ff) !== 0) {
    const def = found.def;
    if (found.enc === contextEncoding(def, ctx) && header === canonicalHeader(found.enc)) return { field: def.name };
    const ref: FieldRef = { field: def.name, header };
    if (experimenter !== undefined) ref.experimenter = experimenter;
    return ref;
  }
  const ref: FieldRef = { field: 'unknown', header };
  if (experimenter !== undefined) ref.experimenter = experimenter;
  return ref;
}

/** Reads a header and makes it a SubField with the given bit range. */
export function readSubField(r: Reader, wide: boolean, ctx: HeaderContext, ofs: number, nBits: number, structure: string): SubField {
  const sf = readFieldRef(r, wide, ctx, structure) as SubField;
  sf.ofs = ofs;
  sf.nBits = nBits;
  return sf;
}

/**
 * Writes a bare field header (and experimenter id). Errors name `${path}.${name}` (or `path` when
 * `name` is empty); the string is only built on failure.
 */
export function writeFieldRef(w: Writer, ref: FieldRef, wide: boolean, ctx: HeaderContext, path: string, name: string): void {
  if (ref === null || typeof ref !== 'object') throw new EncodeError('a field reference must be an object', at(path, name));
  if (ref.header !== undefined) return writeRawHeader(w, ref, wide, at(path, name));
  if (ref.field === 'unknown') throw new EncodeError('an unknown field needs a header', at(path, name));
  const def = fieldByName(ref.field);
  if (!def) throw new EncodeError(`unknown field "${ref.field}"`, at(path, name));
  const enc = contextEncoding(def, ctx);
  if (enc.experimenter !== undefined) {
    if (!wide) {
      throw new EncodeError(`field "${def.name}" has an experimenter header, which does not fit this 32-bit header slot`, at(path, name));
    }
    w.u32(canonicalHeader(enc));
    w.u32(enc.experimenter);
    return;
  }
  w.u32(canonicalHeader(enc));
}

function writeRawHeader(w: Writer, ref: FieldRef, wide: boolean, path: string): void {
  const given = ref.header!;
  // Signed values (from `&`, `|` on headers) are taken as their 32 bits.
  if (!(Number.isInteger(given) && given >= -0x80000000 && given <= 0xffffffff)) {
    throw new EncodeError(`${String(given)} is not a 32-bit header`, `${path}.header`);
  }
  const header = given >>> 0;
  const isExperimenter = header >>> 16 === OFPXMC_EXPERIMENTER;
  const exp = ref.experimenter;
  if (exp !== undefined && !(isExperimenter && wide)) {
    throw new EncodeError('an experimenter id goes only with an experimenter-class header in an OXM header slot', `${path}.experimenter`);
  }
  if (isExperimenter && wide && exp === undefined) {
    throw new EncodeError('an experimenter-class header needs its experimenter id', `${path}.experimenter`);
  }
  if (exp !== undefined && !(Number.isInteger(exp) && exp >= 0 && exp <= 0xffffffff)) {
    throw new EncodeError(`${String(exp)} is not a 32-bit experimenter id`, `${path}.experimenter`);
  }
  let wire = header;
  if (ref.field !== 'unknown') {
    const found = fieldByHeader(header, exp);
    if (!found || (found.def.name !== ref.field && fieldByName(ref.field) !== found.def)) {
      throw new EncodeError(`header 0x${header.toString(16)} does not belong to field "${ref.field}"`, `${path}.header`);
    }
    if ((header & 0x1ff) === 0) wire = canonicalHeader(found.enc);
  }
  w.u32(wire);
  if (exp !== undefined) w.u32(exp);
}

function at(path: string, name: string): string {
  return name ? `${path}.${name}` : path;
}

/** (ofs << 6) | (nBits - 1), as NXM actions pack a bit range into 16 bits. */
export function putOfsNbits(w: Writer, sf: SubField, path: string, name: string): void {
  if (sf === null || typeof sf !== 'object') throw new EncodeError('must be a subfield', at(path, name));
  const { ofs, nBits } = sf;
  if (!(ofs >>> 0 === ofs && ofs <= 1023)) throw new EncodeError(`offset ${String(ofs)} is not in [0, 1023]`, `${at(path, name)}.ofs`);
  if (!(nBits >>> 0 === nBits && nBits >= 1 && nBits <= 64)) {
    const range =
      typeof sf.field === 'string' && Number.isInteger(nBits) && nBits > 64
        ? `${sf.field}[${ofs}..${ofs + nBits - 1}] is ${nBits} bits wide: `
        : '';
    throw new EncodeError(
      `${range}nBits ${String(nBits)} is not in [1, 64] (this action packs a bit range into 16 bits)`,
      `${at(path, name)}.nBits`,
    );
  }
  w.u16((ofs << 6) | (nBits - 1));
}

export function ofsOf(ofsNbits: number): number {
  return ofsNbits >>> 6;
}

export function nBitsOf(ofsNbits: number): number {
  return (ofsNbits & 63) + 1;
}
