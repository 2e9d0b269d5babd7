/**
 * NXAST_LEARN and NXAST_LEARN2. After the fixed part come flow_mod_spec elements, each a u16
 * header (bit 13 source type, bits 11-12 destination type, bits 0-9 n_bits), then the source
 * (a 32-bit field header and u16 offset, or an immediate value in 2 × ceil(n_bits / 16) bytes),
 * then for match and load destinations the destination header and offset. A zero header, or the
 * end of the action, ends the list; what follows must be zero.
 */
import { EncodeError } from '../errors.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import { MAX_ACTION_LEN, nxCodec as nx, registerAction, type ActionCodec } from './codec.js';
import { readFieldRef, readSubField, writeFieldRef } from './field-ref.js';
import { checkArray, put16, put32, put64, put8, putZeros } from './put-strict.js';
import type { Learn2Action, LearnAction, LearnBody, LearnSpec, SubField } from './types.js';
import {
  NX_LEARN_DST_LOAD,
  NX_LEARN_DST_MATCH,
  NX_LEARN_DST_OUTPUT,
  NX_LEARN_F_WRITE_RESULT,
  NX_LEARN_N_BITS_MASK,
  NX_LEARN_SRC_FIELD,
  NX_LEARN_SRC_IMMEDIATE,
} from '../constants/nicira.js';

const SPEC = 'nx_action_learn.spec';
const DST_MASK = 3 << 11;
const RESERVED_BITS = 0xc400;

function immediateWidth(nBits: number): number {
  return 2 * Math.ceil(nBits / 16);
}

function writeFixed(w: Writer, a: LearnBody, path: string): void {
  put16(w, a.idleTimeout, path, 'idleTimeout');
  put16(w, a.hardTimeout, path, 'hardTimeout');
  put16(w, a.priority, path, 'priority');
  put64(w, a.cookie, path, 'cookie');
  put16(w, a.flags, path, 'flags');
  put8(w, a.tableId, path, 'tableId');
  w.u8(0);
  put16(w, a.finIdleTimeout, path, 'finIdleTimeout');
  put16(w, a.finHardTimeout, path, 'finHardTimeout');
}

function checkSubField(sf: SubField, path: string, name: string): void {
  if (sf === null || typeof sf !== 'object') throw new EncodeError('must be a subfield', `${path}.${name}`);
}

/** A spec's field source or destination: 32-bit header, then u16 offset. */
function writeFieldSource(w: Writer, sf: SubField, path: string, name: string): void {
  writeFieldRef(w, sf, false, 'nxm', path, name);
  if (!(sf.ofs >>> 0 === sf.ofs && sf.ofs <= 0xffff)) {
    throw new EncodeError(`offset ${String(sf.ofs)} is not an unsigned 16-bit integer`, `${path}.${name}.ofs`);
  }
  w.u16(sf.ofs);
}

function writeSpec(w: Writer, spec: LearnSpec, path: string): void {
  if (spec === null || typeof spec !== 'object') throw new EncodeError('a learn spec must be an object', path);
  let src: number;
  let dst: number;
  let srcField: SubField | undefined;
  let dstField: SubField | undefined;
  let value: Buffer | undefined;
  switch (spec.kind) {
    case 'match_field':
    case 'load_field':
      src = NX_LEARN_SRC_FIELD;
      dst = spec.kind === 'match_field' ? NX_LEARN_DST_MATCH : NX_LEARN_DST_LOAD;
      srcField = spec.src;
      dstField = spec.dst;
      break;
    case 'match_immediate':
    case 'load_immediate':
      src = NX_LEARN_SRC_IMMEDIATE;
      dst = spec.kind === 'match_immediate' ? NX_LEARN_DST_MATCH : NX_LEARN_DST_LOAD;
      value = spec.value;
      dstField = spec.dst;
      if (!Buffer.isBuffer(value)) throw new EncodeError('an immediate value must be a Buffer', `${path}.value`);
      break;
    case 'output':
      src = NX_LEARN_SRC_FIELD;
      dst = NX_LEARN_DST_OUTPUT;
      srcField = spec.src;
      break;
    default:
      throw new EncodeError(`unknown learn spec kind "${String((spec as { kind: unknown }).kind)}"`, `${path}.kind`);
  }
  if (srcField) checkSubField(srcField, path, 'src');
  if (dstField) checkSubField(dstField, path, 'dst');
  const nBits = (dstField ?? srcField)!.nBits;
  if (!(Number.isInteger(nBits) && nBits >= 0 && nBits <= NX_LEARN_N_BITS_MASK)) {
    throw new EncodeError(`nBits ${String(nBits)} is not in [0, ${NX_LEARN_N_BITS_MASK}]`, `${path}.${dstField ? 'dst' : 'src'}.nBits`);
  }
  if (srcField && dstField && srcField.nBits !== nBits) {
    throw new EncodeError(`source has ${String(srcField.nBits)} bits but destination ${nBits}`, `${path}.src.nBits`);
  }
  const header = src | dst | nBits;
  if (header === 0)
    throw new EncodeError('a 0-bit field match cannot be encoded (its header would end the spec list)', `${path}.dst.nBits`);
  w.u16(header);
  if (srcField) {
    writeFieldSource(w, srcField, path, 'src');
  } else {
    const width = immediateWidth(nBits);
    if (value!.length > width) {
      throw new EncodeError(`${value!.length}-byte value for ${nBits} bits (at most ${width} bytes)`, `${path}.value`);
    }
    putZeros(w, width - value!.length);
    w.bytes(value!);
  }
  if (dstField) writeFieldSource(w, dstField, path, 'dst');
}

/** The element path is only built when a spec fails to encode. */
function writeSpecs(w: Writer, specs: readonly LearnSpec[], path: string): void {
  checkArray(specs, path, 'specs');
  let i = 0;
  try {
    for (; i < specs.length; i++) writeSpec(w, specs[i]!, '');
  } catch (err) {
    if (err instanceof EncodeError) throw new EncodeError(err.reason, `${path}.specs[${i}]${err.path}`);
    throw err;
  }
}

function readFieldSource(r: Reader, nBits: number): SubField {
  const sf = readFieldRef(r, false, 'nxm', SPEC) as SubField;
  sf.ofs = r.u16(SPEC);
  sf.nBits = nBits;
  return sf;
}

function readSpecs(r: Reader): LearnSpec[] {
  const specs: LearnSpec[] = [];
  while (r.remaining >= 2) {
    const at = r.pos;
    const header = r.u16(SPEC);
    if (header === 0) {
      r.pos = at;
      break;
    }
    if (header & RESERVED_BITS) r.fail(`spec header 0x${header.toString(16)} has reserved bits set`, SPEC, at);
    const nBits = header & NX_LEARN_N_BITS_MASK;
    const immediate = (header & NX_LEARN_SRC_IMMEDIATE) !== 0;
    const dst = header & DST_MASK;
    if (dst === DST_MASK) r.fail('spec has the reserved destination type 3', SPEC, at);
    if (dst === NX_LEARN_DST_OUTPUT && immediate) r.fail('an output spec needs a field source, not an immediate', SPEC, at);
    if (dst === NX_LEARN_DST_OUTPUT) {
      specs.push({ kind: 'output', src: readFieldSource(r, nBits) });
      continue;
    }
    const match = dst === NX_LEARN_DST_MATCH;
    if (immediate) {
      const value = r.bytes(immediateWidth(nBits), SPEC);
      const dstField = readFieldSource(r, nBits);
      specs.push(match ? { kind: 'match_immediate', value, dst: dstField } : { kind: 'load_immediate', value, dst: dstField });
    } else {
      const srcField = readFieldSource(r, nBits);
      const dstField = readFieldSource(r, nBits);
      specs.push(match ? { kind: 'match_field', src: srcField, dst: dstField } : { kind: 'load_field', src: srcField, dst: dstField });
    }
  }
  return specs;
}

function readFixed(r: Reader, s: string): Omit<LearnBody, 'specs'> {
  const idleTimeout = r.u16(s);
  const hardTimeout = r.u16(s);
  const priority = r.u16(s);
  const cookie = r.u64(s);
  const flags = r.u16(s);
  const tableId = r.u8(s);
  r.pad(1, s);
  const finIdleTimeout = r.u16(s);
  const finHardTimeout = r.u16(s);
  return { idleTimeout, hardTimeout, priority, cookie, flags, tableId, finIdleTimeout, finHardTimeout };
}

const learn: ActionCodec<LearnAction> = nx(
  'learn',
  16,
  'nx_action_learn',
  32,
  (w, a, path) => {
    writeFixed(w, a, path);
    writeSpecs(w, a.specs, path);
  },
  (r, s) => {
    const fixed = readFixed(r, s);
    return { type: 'learn', ...fixed, specs: readSpecs(r) };
  },
  MAX_ACTION_LEN,
);

const learn2: ActionCodec<Learn2Action> = nx(
  'learn2',
  45,
  'nx_action_learn2',
  40,
  (w, a, path) => {
    writeFixed(w, a, path);
    put32(w, a.limit, path, 'limit');
    const writesResult = (a.flags & NX_LEARN_F_WRITE_RESULT) !== 0;
    if (writesResult !== (a.resultDst !== undefined)) {
      throw new EncodeError('resultDst must be given exactly when flags has NX_LEARN_F_WRITE_RESULT', `${path}.resultDst`);
    }
    if (a.resultDst) {
      checkSubField(a.resultDst, path, 'resultDst');
      if (a.resultDst.nBits !== 1)
        throw new EncodeError(`the result is 1 bit, not ${String(a.resultDst.nBits)}`, `${path}.resultDst.nBits`);
      put16(w, a.resultDst.ofs, path, 'resultDst.ofs');
      putZeros(w, 2);
      writeFieldRef(w, a.resultDst, true, 'nxm', path, 'resultDst');
    } else {
      putZeros(w, 4);
    }
    writeSpecs(w, a.specs, path);
  },
  (r, s) => {
    const fixed = readFixed(r, s);
    const limit = r.u32(s);
    const ofsAt = r.pos;
    const resultOfs = r.u16(s);
    r.pad(2, s);
    let resultDst: SubField | undefined;
    if (fixed.flags & NX_LEARN_F_WRITE_RESULT) {
      resultDst = readSubField(r, true, 'nxm', resultOfs, 1, 'nx_action_learn2.result_dst');
    } else if (resultOfs !== 0) {
      r.fail('result_dst_ofs is set without NX_LEARN_F_WRITE_RESULT', s, ofsAt);
    }
    const out: Learn2Action = { type: 'learn2', ...fixed, limit, specs: readSpecs(r) };
    if (resultDst) out.resultDst = resultDst;
    return out;
  },
  MAX_ACTION_LEN,
);

registerAction(learn);
registerAction(learn2);
