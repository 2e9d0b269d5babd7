/** OXM/NXM TLVs and struct ofp_match (OFPMT_OXM). */
import { EncodeError } from '../errors.js';
import { renameStructure, type Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import { defaultEncodingByName, fieldByHeader, fieldByName, type FieldDef, type FieldLookup } from './registry.js';
import type { FieldValue, Match, OxmField } from './types.js';
import { parseIpv4, u32At, valueAt, writeValue } from './values.js';
import { OFPMT_OXM, OFPP11_OFFSET, OFPP16_MAX, OFPXMC_EXPERIMENTER } from '../constants/openflow13.js';

/** Refuses a header or experimenter id given with an entry that is not a 32-bit value. */
function checkRawHeader(entry: { header?: number; experimenter?: number }, path: string): void {
  const { header, experimenter } = entry;
  // Signed values (from `&`, `|` on headers) are taken as their 32 bits.
  if (header !== undefined && !(Number.isInteger(header) && header >= -0x80000000 && header <= 0xffffffff)) {
    throw new EncodeError(`${String(header)} is not a 32-bit header`, `${path}.header`);
  }
  if (experimenter !== undefined && experimenter >>> 0 !== experimenter) {
    throw new EncodeError(`${String(experimenter)} is not a 32-bit experimenter id`, `${path}.experimenter`);
  }
}

/** Resolves the definition and wire encoding an entry will be written with. */
export function encodingFor(entry: { field: string; header?: number; experimenter?: number }, path: string): FieldLookup {
  if (entry.header !== undefined) {
    checkRawHeader(entry, path);
    const found = fieldByHeader(entry.header, entry.experimenter);
    if (found && (entry.field === found.def.name || fieldByName(entry.field) === found.def)) return found;
    throw new EncodeError(`header 0x${(entry.header >>> 0).toString(16)} does not belong to field "${entry.field}"`, path);
  }
  const found = defaultEncodingByName(entry.field);
  if (found) return found;
  const def = fieldByName(entry.field);
  if (!def) throw new EncodeError(`unknown field "${entry.field}"`, path);
  throw new EncodeError(
    `"${def.name}" has no OXM/NXM encoding of its own; canonicalMatch() turns it into the fields OpenFlow 1.3 carries`,
    path,
  );
}

function portToWire16(v: FieldValue, path: string): number {
  if (typeof v === 'number' && Number.isInteger(v)) {
    if (v >= 0 && v < OFPP16_MAX) return v;
    if (v >= 0xffffff00 && v <= 0xffffffff) return v - OFPP11_OFFSET;
  }
  throw new EncodeError(`port ${String(v)} has no OpenFlow 1.0 (16-bit) form`, path);
}

/** Writes one OXM TLV (header, optional experimenter id, value, optional mask). */
export function writeOxm(w: Writer, entry: OxmField, path: string): void {
  if (entry.field === 'unknown') return writeUnknownOxm(w, entry, path);
  writeFoundOxm(w, entry, encodingFor(entry, path), path);
}

/** writeOxm, the entry's encoding looked up. */
function writeFoundOxm(w: Writer, entry: OxmField, found: FieldLookup, path: string): void {
  const def = found.def;
  const enc = found.enc;
  const value = entry.value;
  const mask = entry.mask;
  const hasMask = mask !== undefined;
  if (hasMask && !def.maskable) throw new EncodeError(`field "${def.name}" cannot be masked`, path);
  if (def.variable) return writeVariableOxm(w, found, entry, path);
  if (enc.experimenter === undefined && enc.port16 === undefined) {
    // The common case, written in place: a basic or NXM header from the table, then the value.
    const bytes = enc.bytes;
    const kind = def.kind;
    if (kind === 'uint' && bytes <= 4 && bytes > 0 && typeof value === 'number' && (!hasMask || typeof mask === 'number')) {
      const max = UINT_MAX[bytes]!;
      if (value >>> 0 === value && value <= max && (!hasMask || (mask >>> 0 === mask && mask <= max))) {
        w.ensure(12);
        const b = w.buf;
        let p = putHeader(b, w.pos, hasMask ? found.maskedHeader : found.plainHeader);
        p = putUint(b, p, bytes, value);
        if (hasMask) p = putUint(b, p, bytes, mask);
        w.pos = p;
        return;
      }
    } else if (kind === 'ipv4' && typeof value === 'string' && (!hasMask || typeof mask === 'string')) {
      const v = parseIpv4(value);
      const m = hasMask ? parseIpv4(mask) : 0;
      if (v >= 0 && m >= 0) {
        w.ensure(12);
        const b = w.buf;
        let p = putHeader(b, w.pos, hasMask ? found.maskedHeader : found.plainHeader);
        p = putUint(b, p, 4, v);
        if (hasMask) p = putUint(b, p, 4, m);
        w.pos = p;
        return;
      }
    }
  }
  // Everything else (and every value to refuse, with its message) goes the general way.
  w.u32(hasMask ? found.maskedHeader : found.plainHeader);
  if (enc.experimenter !== undefined) w.u32(enc.experimenter);
  if (enc.port16) {
    w.u16(portToWire16(value, path));
    if (hasMask) w.u16(portToWire16(mask, `${path}.mask`));
    return;
  }
  writeValue(w, def.kind, enc.bytes, value, path);
  if (hasMask) writeValue(w, def.kind, enc.bytes, mask, `${path}.mask`);
}

/** The largest unsigned integer of 0 to 4 bytes. */
const UINT_MAX = [0, 0xff, 0xffff, 0xffffff, 0xffffffff];

function putHeader(b: Buffer, p: number, header: number): number {
  b[p] = header >>> 24;
  b[p + 1] = header >>> 16;
  b[p + 2] = header >>> 8;
  b[p + 3] = header;
  return p + 4;
}

/** Writes the low `bytes` (1 to 4) bytes of v big-endian at b[p]; returns the offset past them. */
function putUint(b: Buffer, p: number, bytes: number, v: number): number {
  if (bytes === 4) b[p++] = v >>> 24;
  if (bytes >= 3) b[p++] = v >>> 16;
  if (bytes >= 2) b[p++] = v >>> 8;
  b[p] = v;
  return p + 1;
}

/** A variable-length field (tun_metadata): its width is the value's, from 0 to the encoding's. */
function writeVariableOxm(w: Writer, found: FieldLookup, entry: OxmField, path: string): void {
  const { def, enc } = found;
  const mask = entry.mask;
  const hasMask = mask !== undefined;
  // Open vSwitch sends a tun_metadata match of 0 bytes for `tun_metadataN=0` and `tun_metadataN=*`.
  if (!Buffer.isBuffer(entry.value) || entry.value.length > enc.bytes) {
    throw new EncodeError(`"${def.name}" needs a Buffer of 0 to ${enc.bytes} bytes`, path);
  }
  const bytes = entry.value.length;
  if (hasMask && (!Buffer.isBuffer(mask) || mask.length !== bytes)) {
    throw new EncodeError(`"${def.name}" mask must be a Buffer as long as the value`, path);
  }
  const expLen = enc.experimenter === undefined ? 0 : 4;
  w.u32((enc.header | (hasMask ? 0x100 : 0) | (expLen + (hasMask ? bytes * 2 : bytes))) >>> 0);
  if (enc.experimenter !== undefined) w.u32(enc.experimenter);
  w.bytes(entry.value);
  if (hasMask) w.bytes(mask);
}

function writeUnknownOxm(w: Writer, entry: OxmField, path: string): void {
  if (entry.header === undefined || !Buffer.isBuffer(entry.value)) {
    throw new EncodeError('an unknown field needs a header and a Buffer value', path);
  }
  checkRawHeader(entry, path);
  const mask = entry.mask;
  if (mask !== undefined && (!Buffer.isBuffer(mask) || mask.length !== entry.value.length)) {
    throw new EncodeError('an unknown field mask must be a Buffer as long as the value', path);
  }
  const isExp = entry.header >>> 16 === OFPXMC_EXPERIMENTER;
  if (isExp !== (entry.experimenter !== undefined)) {
    throw new EncodeError('an experimenter-class (0xffff) header needs an experimenter id, and only it', path);
  }
  const expLen = isExp ? 4 : 0;
  const len = expLen + entry.value.length * (mask ? 2 : 1);
  if (len > 255) throw new EncodeError(`OXM payload of ${len} bytes exceeds the 255-byte length field`, path);
  w.u32(((entry.header & 0xfffffe00) | (mask ? 0x100 : 0) | len) >>> 0);
  if (entry.experimenter !== undefined) w.u32(entry.experimenter);
  w.bytes(entry.value);
  if (mask) w.bytes(mask);
}

/** Reads one OXM TLV. Unknown headers become `unknown` entries; malformed TLVs raise ProtocolError. */
export function readOxm(r: Reader, structure = 'oxm'): OxmField {
  return readOxmBefore(r, r.end, structure);
}

/** readOxm, for a TLV that must end by `limit` (≤ r.end). */
function readOxmBefore(r: Reader, limit: number, structure: string): OxmField {
  const start = r.pos;
  const buf = r.buf;
  if (limit - start < 4) r.fail(`needs 4 bytes, only ${limit - start} left`, structure);
  const header = ((buf[start]! << 24) | (buf[start + 1]! << 16) | (buf[start + 2]! << 8) | buf[start + 3]!) >>> 0;
  if (header >>> 16 !== OFPXMC_EXPERIMENTER) {
    // The common case first: a known field whose whole header (mask bit and length included) is
    // the one its table row precomputes, read in place. Anything else is checked the general way.
    const found = fieldByHeader(header);
    if (found !== undefined && found.enc.port16 === undefined) {
      const def = found.def;
      const bytes = found.enc.bytes;
      if (header === found.plainHeader && def.variable === undefined) {
        const end = start + 4 + bytes;
        if (end <= limit) {
          r.pos = end;
          const out: OxmField = { field: def.name, value: valueAt(buf, start + 4, def.kind, bytes) };
          if (found.enc !== def.encodings[0]) out.header = found.enc.header;
          return out;
        }
      } else if (header === found.maskedHeader && def.maskable && def.variable === undefined) {
        const end = start + 4 + 2 * bytes;
        if (end <= limit) {
          r.pos = end;
          const value = valueAt(buf, start + 4, def.kind, bytes);
          const out: OxmField = { field: def.name, value, mask: valueAt(buf, start + 4 + bytes, def.kind, bytes) };
          if (found.enc !== def.encodings[0]) out.header = found.enc.header;
          return out;
        }
      }
    }
  }
  const hasMask = (header & 0x100) !== 0;
  const len = header & 0xff;
  let p = start + 4;
  const end = p + len;
  if (end > limit) r.fail(`OXM length ${len} runs past the end (${limit - p} bytes left)`, structure, p);
  let experimenter: number | undefined;
  if (header >>> 16 === OFPXMC_EXPERIMENTER) {
    if (len < 4) r.fail(`experimenter OXM length ${len} is shorter than its 4-byte experimenter id`, structure, start);
    experimenter = u32At(buf, p);
    p += 4;
  }
  const payload = end - p;
  const found = fieldByHeader(header, experimenter);
  if (found === undefined) {
    if (hasMask && payload % 2) r.fail(`masked OXM with odd payload length ${payload}`, structure, start);
    const n = hasMask ? payload / 2 : payload;
    const out: OxmField = { field: 'unknown', header: (header & 0xfffffe00) >>> 0, value: Buffer.from(buf.subarray(p, p + n)) };
    if (hasMask) out.mask = Buffer.from(buf.subarray(p + n, end));
    if (experimenter !== undefined) out.experimenter = experimenter;
    r.pos = end;
    return out;
  }
  const { def, enc } = found;
  if (hasMask && !def.maskable) r.fail(`${enc.wireName} cannot be masked`, structure, start);
  let bytes = enc.bytes;
  if (def.variable) {
    bytes = hasMask ? payload / 2 : payload;
    if (bytes > enc.bytes || (hasMask && payload % 2)) {
      r.fail(`length ${len} is wrong for ${enc.wireName}${hasMask ? ' (masked)' : ''}`, structure, start);
    }
  } else if (payload !== (hasMask ? 2 * bytes : bytes)) {
    const expected = (experimenter === undefined ? 0 : 4) + (hasMask ? 2 * bytes : bytes);
    r.fail(`length ${len} is wrong for ${enc.wireName}${hasMask ? ' (masked)' : ''}: expected ${expected}`, structure, start);
  }
  let value = valueAt(buf, p, def.kind, bytes);
  let mask: FieldValue | undefined;
  if (hasMask) mask = valueAt(buf, p + bytes, def.kind, bytes);
  if (enc.port16) {
    if ((value as number) >= OFPP16_MAX) value = ((value as number) + OFPP11_OFFSET) >>> 0;
    if (mask !== undefined && (mask as number) >= OFPP16_MAX) mask = ((mask as number) + OFPP11_OFFSET) >>> 0;
  }
  r.pos = end;
  const out: OxmField = mask === undefined ? { field: def.name, value } : { field: def.name, value, mask };
  if (enc !== def.encodings[0]) {
    out.header = enc.header;
    if (experimenter !== undefined) out.experimenter = experimenter;
  }
  return out;
}

/** Positions of a match whose last field name writeMatch keeps, with that field's encoding. */
const RECENT = 16;
const recentFields: string[] = new Array<string>(RECENT).fill('');
const recentEncodings: (FieldLookup | undefined)[] = new Array<FieldLookup | undefined>(RECENT).fill(undefined);

/** Writes struct ofp_match with OXM fields, padded to 8 bytes. */
export function writeMatch(w: Writer, match: Match, path = 'match'): void {
  const start = w.pos;
  w.u16(OFPMT_OXM);
  w.u16(0);
  let i = 0;
  try {
    for (; i < match.length; i++) {
      const entry = match[i]!;
      const field = entry.field;
      // Matches written one after another mostly list the same fields in the same order: the
      // field named at each position last time is compared first (a pointer compare for names
      // written as literals), before the lookup by name.
      if (i < RECENT && field === recentFields[i] && entry.header === undefined) {
        writeFoundOxm(w, entry, recentEncodings[i]!, path);
      } else if (field !== 'unknown' && entry.header === undefined) {
        const found = encodingFor(entry, path);
        if (i < RECENT) {
          recentFields[i] = field;
          recentEncodings[i] = found;
        }
        writeFoundOxm(w, entry, found, path);
      } else {
        writeOxm(w, entry, path);
      }
    }
  } catch (err) {
    // Paths are built only on failure: the per-entry `match[3]` string would cost more than the entry.
    if (err instanceof EncodeError) throw new EncodeError(err.reason, `${path}[${i}]${err.path.slice(path.length)}`);
    throw err;
  }
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
  const end = r.limit(length - 4, structure);
  const match: Match = [];
  // The TLVs and the padding are read under `structure`; their own names are built only on failure.
  let part = '.oxm_fields';
  try {
    while (r.pos < end) match.push(readOxmBefore(r, end, structure));
    part = '.pad';
    r.pad((8 - (length % 8)) % 8, structure);
  } catch (err) {
    throw renameStructure(err, structure, structure + part);
  }
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
    checkRawHeader(ref, path);
    if ((ref.header >>> 16 === OFPXMC_EXPERIMENTER) !== (ref.experimenter !== undefined)) {
      throw new EncodeError('an experimenter-class (0xffff) header needs an experimenter id, and only it', path);
    }
    w.u32(ref.header);
    if (ref.experimenter !== undefined) w.u32(ref.experimenter);
    return;
  }
  const { enc } = encodingFor(ref, path);
  if (ref.header !== undefined && (ref.header & 0x1ff) !== 0) {
    // A header as read (readFieldHeader): keep its own length and mask bits (a variable-length
    // field's width lives there). A header with those bits clear just picks the encoding.
    w.u32(ref.header >>> 0);
  } else {
    const expLen = enc.experimenter === undefined ? 0 : 4;
    w.u32((enc.header | (enc.bytes + expLen)) >>> 0);
  }
  if (enc.experimenter !== undefined) w.u32(enc.experimenter);
}

/** Reads a bare field header; unknown headers are kept (field `unknown`, raw header). */
export function readFieldHeader(r: Reader, structure: string): FieldHeaderRef & { bits: number } {
  const header = r.u32(structure);
  let experimenter: number | undefined;
  if (header >>> 16 === OFPXMC_EXPERIMENTER) experimenter = r.u32(structure);
  const expLen = experimenter === undefined ? 0 : 4;
  const found = fieldByHeader(header, experimenter);
  if (!found) {
    const out: FieldHeaderRef & { bits: number } = {
      field: 'unknown',
      header: header >>> 0,
      bits: Math.max(0, (header & 0xff) - expLen) * 8,
    };
    if (experimenter !== undefined) out.experimenter = experimenter;
    return out;
  }
  const { def, enc } = found;
  const bits = def.variable ? Math.max(0, (header & 0xff) - expLen) * 8 : enc.bytes * 8;
  const out: FieldHeaderRef & { bits: number } = { field: def.name, bits };
  if (enc !== def.encodings[0] || (header & 0x1ff) !== enc.bytes + expLen) {
    out.header = header >>> 0;
    if (experimenter !== undefined) out.experimenter = experimenter;
  }
  return out;
}

export type { FieldDef };
