/** OXM/NXM TLVs and struct ofp_match (OFPMT_OXM). */
import { EncodeError } from '../errors.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import { OXM_CLASS_EXPERIMENTER, fieldByHeader, fieldByName, type FieldDef, type FieldEncoding } from './registry.js';
import type { Match, OxmField } from './types.js';
import { readValue, writeValue } from './values.js';

const OFPMT_OXM = 1;

/** Resolves the definition and wire encoding an entry will be written with. */
export function encodingFor(entry: { field: string; header?: number; experimenter?: number }, path: string): { def: FieldDef; enc: FieldEncoding } {
  if (entry.header !== undefined) {
    const found = fieldByHeader(entry.header, entry.experimenter);
    if (found && (entry.field === found.def.name || fieldByName(entry.field) === found.def)) return found;
    throw new EncodeError(`header 0x${entry.header.toString(16)} does not belong to field "${entry.field}"`, path);
  }
  const def = fieldByName(entry.field);
  if (!def) throw new EncodeError(`unknown field "${entry.field}"`, path);
  return { def, enc: def.encodings[0]! };
}

/** Writes one OXM TLV (header, optional experimenter id, value, optional mask). */
export function writeOxm(w: Writer, entry: OxmField, path: string): void {
  if (entry.field === 'unknown') return writeUnknownOxm(w, entry, path);
  const { def, enc } = encodingFor(entry, path);
  const hasMask = entry.mask !== undefined;
  if (hasMask && !def.maskable) throw new EncodeError(`field "${def.name}" cannot be masked`, path);
  const expLen = enc.experimenter === undefined ? 0 : 4;
  const len = expLen + (hasMask ? enc.bytes * 2 : enc.bytes);
  w.u32((enc.header | (hasMask ? 0x100 : 0) | len) >>> 0);
  if (enc.experimenter !== undefined) w.u32(enc.experimenter);
  writeValue(w, def.kind, enc.bytes, entry.value, path);
  if (hasMask) writeValue(w, def.kind, enc.bytes, entry.mask!, `${path}.mask`);
}

function writeUnknownOxm(w: Writer, entry: OxmField, path: string): void {
  if (entry.header === undefined || !Buffer.isBuffer(entry.value)) {
    throw new EncodeError('an unknown field needs a header and a Buffer value', path);
  }
  const mask = entry.mask;
  if (mask !== undefined && (!Buffer.isBuffer(mask) || mask.length !== entry.value.length)) {
    throw new EncodeError('an unknown field mask must be a Buffer as long as the value', path);
  }
  const expLen = entry.experimenter === undefined ? 0 : 4;
  const len = expLen + entry.value.length * (mask ? 2 : 1);
  if (len > 255) throw new EncodeError('OXM payload longer than 255 bytes', path);
  w.u32(((entry.header & 0xfffffe00) | (mask ? 0x100 : 0) | len) >>> 0);
  if (entry.experimenter !== undefined) w.u32(entry.experimenter);
  w.bytes(entry.value);
  if (mask) w.bytes(mask);
}

/** Reads one OXM TLV. */
export function readOxm(r: Reader, structure = 'oxm'): OxmField {
  const start = r.pos;
  const header = r.u32(structure);
  const hasMask = (header & 0x100) !== 0;
  const len = header & 0xff;
  const body = r.sub(len, structure);
  let experimenter: number | undefined;
  if (header >>> 16 === OXM_CLASS_EXPERIMENTER) {
    experimenter = body.u32(`${structure}.experimenter`);
  }
  const payload = body.remaining;
  const found = fieldByHeader(header, experimenter);
  if (!found || payload !== (hasMask ? 2 : 1) * found.enc.bytes || (hasMask && !found.def.maskable)) {
    if (found && payload !== (hasMask ? 2 : 1) * found.enc.bytes) {
      r.fail(`length ${len} is wrong for ${found.enc.wireName}${hasMask ? ' (masked)' : ''}`, structure, start);
    }
    if (found && hasMask) r.fail(`${found.enc.wireName} cannot be masked`, structure, start);
    if (hasMask && payload % 2) r.fail(`masked OXM with odd payload length ${payload}`, structure, start);
    const n = hasMask ? payload / 2 : payload;
    const out: OxmField = { field: 'unknown', header: (header & 0xfffffe00) >>> 0, value: body.bytes(n, structure) };
    if (hasMask) out.mask = body.bytes(n, structure);
    if (experimenter !== undefined) out.experimenter = experimenter;
    return out;
  }
  const { def, enc } = found;
  const out: OxmField = { field: def.name, value: readValue(body, def.kind, enc.bytes, structure) };
  if (hasMask) out.mask = readValue(body, def.kind, enc.bytes, structure);
  if (enc !== def.encodings[0]) {
    out.header = enc.header;
    if (experimenter !== undefined) out.experimenter = experimenter;
  }
  return out;
}

/** Writes struct ofp_match with OXM fields, padded to 8 bytes. */
export function writeMatch(w: Writer, match: Match, path = 'match'): void {
  const start = w.pos;
  w.u16(OFPMT_OXM);
  w.u16(0);
  for (let i = 0; i < match.length; i++) writeOxm(w, match[i]!, `${path}[${i}]`);
  w.fillLength16(start, start + 2, path);
  w.padFrom(start, 8);
}

/** Reads struct ofp_match (type OXM), consuming its padding. */
export function readMatch(r: Reader, structure = 'ofp_match'): Match {
  const start = r.pos;
  const type = r.u16(structure);
  const length = r.u16(structure);
  if (type !== OFPMT_OXM) r.fail(`match type ${type} is not OFPMT_OXM (1)`, structure, start);
  if (length < 4) r.fail(`match length ${length} is shorter than its header`, structure, start);
  const body = r.sub(length - 4, structure);
  const match: Match = [];
  while (body.remaining > 0) match.push(readOxm(body, `${structure}.oxm_fields`));
  r.pad((8 - (length % 8)) % 8, `${structure}.pad`);
  return match;
}

/** A reference to a field by its bare header, as NXM actions (move, load, learn…) write it. */
export interface FieldHeaderRef {
  field: string;
  header?: number;
  experimenter?: number;
}

/** Writes a field's header (hasmask 0, length = value width) and, for experimenter OXMs, the id. */
export function writeFieldHeader(w: Writer, ref: FieldHeaderRef, path: string): void {
  if (ref.field === 'unknown') {
    if (ref.header === undefined) throw new EncodeError('an unknown field needs a header', path);
    w.u32(ref.header);
    if (ref.experimenter !== undefined) w.u32(ref.experimenter);
    return;
  }
  const { enc } = encodingFor(ref, path);
  const expLen = enc.experimenter === undefined ? 0 : 4;
  w.u32((enc.header | (enc.bytes + expLen)) >>> 0);
  if (enc.experimenter !== undefined) w.u32(enc.experimenter);
}

/** Reads a bare field header; unknown headers are kept (field `unknown`, raw header). */
export function readFieldHeader(r: Reader, structure: string): FieldHeaderRef & { bits: number } {
  const header = r.u32(structure);
  let experimenter: number | undefined;
  if (header >>> 16 === OXM_CLASS_EXPERIMENTER) experimenter = r.u32(structure);
  const found = fieldByHeader(header, experimenter);
  if (!found) {
    const out: FieldHeaderRef & { bits: number } = { field: 'unknown', header: header >>> 0, bits: (header & 0xff) * 8 };
    if (experimenter !== undefined) out.experimenter = experimenter;
    return out;
  }
  const out: FieldHeaderRef & { bits: number } = { field: found.def.name, bits: found.enc.bytes * 8 };
  if (found.enc !== found.def.encodings[0] || (header & 0x1ff) !== found.enc.bytes + (experimenter === undefined ? 0 : 4)) {
    out.header = header >>> 0;
    if (experimenter !== undefined) out.experimenter = experimenter;
  }
  return out;
}
