/**
 * Actions that name fields: reg_move and ONF copy_field, reg_load and reg_load2, output_reg(2),
 * multipath, bundle(_load), stack push/pop, check_pkt_larger, delete_field.
 */
import { EncodeError } from '../errors.js';
import { fieldByName } from '../fields/registry.js';
import { readOxm, writeOxm } from '../fields/oxm.js';
import type { OxmField } from '../fields/types.js';
import { MAX_ACTION_LEN, nxCodec as nx, registerAction, type ActionCodec } from './codec.js';
import { contextEncoding, nBitsOf, ofsOf, putOfsNbits, readFieldRef, readSubField, writeFieldRef } from './field-ref.js';
import { checkArray, put16, put32, put64, putZeros } from './put-strict.js';
import type { ActionOf, SubField } from './types.js';
import { ONF_VENDOR_ID } from '../constants/onf.js';

function sameWidth(src: SubField, dst: SubField, path: string): number {
  if (src === null || typeof src !== 'object') throw new EncodeError('src must be a subfield', `${path}.src`);
  if (dst === null || typeof dst !== 'object') throw new EncodeError('dst must be a subfield', `${path}.dst`);
  if (src.nBits !== dst.nBits) {
    throw new EncodeError(`source has ${String(src.nBits)} bits but destination ${String(dst.nBits)}`, `${path}.src.nBits`);
  }
  return dst.nBits;
}

/** NXAST_REG_MOVE: n_bits, src_ofs, dst_ofs, then the two headers. */
const regMove = nx(
  'reg_move',
  6,
  'nx_action_reg_move',
  16,
  (w, a, path) => {
    put16(w, sameWidth(a.src, a.dst, path), path, 'dst.nBits');
    put16(w, a.src.ofs, path, 'src.ofs');
    put16(w, a.dst.ofs, path, 'dst.ofs');
    writeFieldRef(w, a.src, true, 'nxm', path, 'src');
    writeFieldRef(w, a.dst, true, 'nxm', path, 'dst');
  },
  (r, s) => {
    const nBits = r.u16(s);
    const srcOfs = r.u16(s);
    const dstOfs = r.u16(s);
    const src = readSubField(r, true, 'nxm', srcOfs, nBits, 'nx_action_reg_move.src');
    return { type: 'reg_move', src, dst: readSubField(r, true, 'nxm', dstOfs, nBits, 'nx_action_reg_move.dst') };
  },
  MAX_ACTION_LEN,
);

/** ONFACT_COPY_FIELD: the OpenFlow 1.5 copy-field layout behind an ONF experimenter header. */
const copyField: ActionCodec<ActionOf<'copy_field'>> = {
  type: 'copy_field',
  code: 3200,
  experimenter: ONF_VENDOR_ID,
  struct: 'onf_action_copy_field',
  minLen: 24,
  maxLen: MAX_ACTION_LEN,
  encode: (w, a, path) => {
    putZeros(w, 2);
    put16(w, sameWidth(a.src, a.dst, path), path, 'dst.nBits');
    put16(w, a.src.ofs, path, 'src.ofs');
    put16(w, a.dst.ofs, path, 'dst.ofs');
    putZeros(w, 2);
    writeFieldRef(w, a.src, true, 'oxm', path, 'src');
    writeFieldRef(w, a.dst, true, 'oxm', path, 'dst');
  },
  decode: (r, s) => {
    r.pad(2, s);
    const nBits = r.u16(s);
    const srcOfs = r.u16(s);
    const dstOfs = r.u16(s);
    r.pad(2, s);
    const src = readSubField(r, true, 'oxm', srcOfs, nBits, 'onf_action_copy_field.src');
    return { type: 'copy_field', src, dst: readSubField(r, true, 'oxm', dstOfs, nBits, 'onf_action_copy_field.dst') };
  },
};

/** NXAST_REG_LOAD: ofs_nbits, a 32-bit header, a 64-bit value. */
const regLoad = nx(
  'reg_load',
  7,
  'nx_action_reg_load',
  24,
  (w, a, path) => {
    putOfsNbits(w, a.dst, path, 'dst');
    writeFieldRef(w, a.dst, false, 'nxm', path, 'dst');
    put64(w, a.value, path, 'value');
  },
  (r, s) => {
    const ofsNbits = r.u16(s);
    const dst = readSubField(r, false, 'nxm', ofsOf(ofsNbits), nBitsOf(ofsNbits), 'nx_action_reg_load.dst');
    return { type: 'reg_load', dst, value: r.u64(s) };
  },
);

/**
 * NXAST_REG_LOAD2: an OXM/NXM entry (masked or not) right after the subtype. Without `header`, the
 * field is written with the header OVS uses in Nicira actions (NXM when the field has one).
 */
const regLoad2 = nx(
  'reg_load2',
  33,
  'nx_action_reg_load2',
  16,
  (w, a, path) => {
    if (a.header !== undefined || a.field === 'unknown') return writeOxm(w, a, path);
    const def = fieldByName(a.field);
    if (!def) throw new EncodeError(`unknown field "${a.field}"`, `${path}.field`);
    const enc = contextEncoding(def, 'nxm');
    const entry: OxmField = { field: a.field, value: a.value, header: enc.header };
    if (a.mask !== undefined) entry.mask = a.mask;
    if (enc.experimenter !== undefined) entry.experimenter = enc.experimenter;
    writeOxm(w, entry, path);
  },
  (r) => {
    const oxm = readOxm(r, 'nx_action_reg_load2.field');
    const out: ActionOf<'reg_load2'> = { type: 'reg_load2', field: oxm.field, value: oxm.value };
    if (oxm.mask !== undefined) out.mask = oxm.mask;
    const def = oxm.field === 'unknown' ? undefined : fieldByName(oxm.field);
    if (!def) {
      if (oxm.header !== undefined) out.header = oxm.header;
      if (oxm.experimenter !== undefined) out.experimenter = oxm.experimenter;
      return out;
    }
    // readOxm reports the header relative to the OpenFlow 1.3 default; re-base it on the NXM one.
    const nxm = contextEncoding(def, 'nxm');
    const header = oxm.header ?? def.encodings[0]!.header;
    const experimenter = oxm.header === undefined ? def.encodings[0]!.experimenter : oxm.experimenter;
    if (header !== nxm.header || experimenter !== nxm.experimenter) {
      out.header = header;
      if (experimenter !== undefined) out.experimenter = experimenter;
    }
    return out;
  },
  MAX_ACTION_LEN,
);

/** NXAST_OUTPUT_REG: ofs_nbits, a 32-bit header, max_len, 6 zero bytes. */
const outputReg = nx(
  'output_reg',
  15,
  'nx_action_output_reg',
  24,
  (w, a, path) => {
    putOfsNbits(w, a.src, path, 'src');
    writeFieldRef(w, a.src, false, 'nxm', path, 'src');
    put16(w, a.maxLen, path, 'maxLen');
  },
  (r, s) => {
    const ofsNbits = r.u16(s);
    const src = readSubField(r, false, 'nxm', ofsOf(ofsNbits), nBitsOf(ofsNbits), 'nx_action_output_reg.src');
    return { type: 'output_reg', src, maxLen: r.u16(s) };
  },
);

/** NXAST_OUTPUT_REG2: ofs_nbits, max_len, then an OXM header of 4 or 8 bytes. */
const outputReg2 = nx(
  'output_reg2',
  32,
  'nx_action_output_reg2',
  24,
  (w, a, path) => {
    putOfsNbits(w, a.src, path, 'src');
    put16(w, a.maxLen, path, 'maxLen');
    writeFieldRef(w, a.src, true, 'nxm', path, 'src');
  },
  (r, s) => {
    const ofsNbits = r.u16(s);
    const maxLen = r.u16(s);
    return {
      type: 'output_reg2',
      src: readSubField(r, true, 'nxm', ofsOf(ofsNbits), nBitsOf(ofsNbits), 'nx_action_output_reg2.src'),
      maxLen,
    };
  },
);

const multipath = nx(
  'multipath',
  10,
  'nx_action_multipath',
  32,
  (w, a, path) => {
    put16(w, a.fields, path, 'fields');
    put16(w, a.basis, path, 'basis');
    putZeros(w, 2);
    put16(w, a.algorithm, path, 'algorithm');
    put16(w, a.maxLink, path, 'maxLink');
    put32(w, a.arg, path, 'arg');
    putZeros(w, 2);
    putOfsNbits(w, a.dst, path, 'dst');
    writeFieldRef(w, a.dst, false, 'nxm', path, 'dst');
  },
  (r, s) => {
    const fields = r.u16(s);
    const basis = r.u16(s);
    r.pad(2, s);
    const algorithm = r.u16(s);
    const maxLink = r.u16(s);
    const arg = r.u32(s);
    r.pad(2, s);
    const ofsNbits = r.u16(s);
    const dst = readSubField(r, false, 'nxm', ofsOf(ofsNbits), nBitsOf(ofsNbits), 'nx_action_multipath.dst');
    return { type: 'multipath', fields, basis, algorithm, maxLink, arg, dst };
  },
);

/** NXAST_BUNDLE and NXAST_BUNDLE_LOAD share struct nx_action_bundle; only bundle_load has a destination. */
function bundle<T extends 'bundle' | 'bundle_load'>(type: T, subtype: number): ActionCodec<ActionOf<T>> {
  return nx(
    type,
    subtype,
    'nx_action_bundle',
    32,
    (w, x, path) => {
      const a = x as ActionOf<'bundle' | 'bundle_load'>;
      const members = checkArray(a.members, path, 'members');
      put16(w, a.algorithm, path, 'algorithm');
      put16(w, a.fields, path, 'fields');
      put16(w, a.basis, path, 'basis');
      put32(w, a.memberType, path, 'memberType');
      put16(w, members.length, path, 'members.length');
      if (a.type === 'bundle_load') {
        putOfsNbits(w, a.dst, path, 'dst');
        writeFieldRef(w, a.dst, false, 'nxm', path, 'dst');
      } else {
        putZeros(w, 6);
      }
      putZeros(w, 4);
      for (let i = 0; i < members.length; i++) put16(w, members[i]!, path, `members[${i}]`);
    },
    (r, s) => {
      const algorithm = r.u16(s);
      const fields = r.u16(s);
      const basis = r.u16(s);
      const memberType = r.u32(s);
      const n = r.u16(s);
      const dstAt = r.pos;
      const ofsNbits = r.u16(s);
      let dst: SubField | undefined;
      if (type === 'bundle_load') {
        dst = readSubField(r, false, 'nxm', ofsOf(ofsNbits), nBitsOf(ofsNbits), 'nx_action_bundle.dst');
      } else if (ofsNbits !== 0 || r.u32(s) !== 0) {
        r.fail('bundle has a destination (ofs_nbits, dst), which only bundle_load may have', s, dstAt);
      }
      r.pad(4, s);
      if (n * 2 > r.remaining) r.fail(`${n} members need ${n * 2} bytes, only ${r.remaining} left`, s);
      const members: number[] = [];
      for (let i = 0; i < n; i++) members.push(r.u16(s));
      if (dst) return { type, algorithm, fields, basis, memberType, members, dst } as ActionOf<T>;
      return { type, algorithm, fields, basis, memberType, members } as ActionOf<T>;
    },
    MAX_ACTION_LEN,
  );
}

/** NXAST_STACK_PUSH/POP: offset, an OXM header, then n_bits. */
function stack<T extends 'stack_push' | 'stack_pop'>(type: T, subtype: number): ActionCodec<ActionOf<T>> {
  return nx(
    type,
    subtype,
    'nx_action_stack',
    24,
    (w, x, path) => {
      const f = (x as ActionOf<'stack_push' | 'stack_pop'>).field;
      if (f === null || typeof f !== 'object') throw new EncodeError('field must be a subfield', `${path}.field`);
      put16(w, f.ofs, path, 'field.ofs');
      writeFieldRef(w, f, true, 'nxm', path, 'field');
      put16(w, f.nBits, path, 'field.nBits');
    },
    (r, s) => {
      const ofs = r.u16(s);
      const field = readFieldRef(r, true, 'nxm', 'nx_action_stack.field') as SubField;
      field.ofs = ofs;
      field.nBits = r.u16(s);
      return { type, field } as ActionOf<T>;
    },
  );
}

/** NXAST_CHECK_PKT_LARGER: pkt_len, the result bit's offset, then an OXM header. */
const checkPktLarger = nx(
  'check_pkt_larger',
  49,
  'nx_action_check_pkt_larger',
  24,
  (w, a, path) => {
    put16(w, a.pktLen, path, 'pktLen');
    if (a.dst === null || typeof a.dst !== 'object') throw new EncodeError('dst must be a subfield', `${path}.dst`);
    if (a.dst.nBits !== 1) throw new EncodeError(`the result is 1 bit, not ${String(a.dst.nBits)}`, `${path}.dst.nBits`);
    put16(w, a.dst.ofs, path, 'dst.ofs');
    writeFieldRef(w, a.dst, true, 'nxm', path, 'dst');
  },
  (r, s) => {
    const pktLen = r.u16(s);
    const ofs = r.u16(s);
    return { type: 'check_pkt_larger', pktLen, dst: readSubField(r, true, 'nxm', ofs, 1, 'nx_action_check_pkt_larger.dst') };
  },
  MAX_ACTION_LEN,
);

const deleteField = nx(
  'delete_field',
  50,
  'nx_action_delete_field',
  24,
  (w, a, path) => writeFieldRef(w, a, true, 'nxm', path, ''),
  (r) => {
    const ref = readFieldRef(r, true, 'nxm', 'nx_action_delete_field.field');
    const out: ActionOf<'delete_field'> = { type: 'delete_field', field: ref.field };
    if (ref.header !== undefined) out.header = ref.header;
    if (ref.experimenter !== undefined) out.experimenter = ref.experimenter;
    return out;
  },
);

for (const c of [
  regMove,
  copyField,
  regLoad,
  regLoad2,
  outputReg,
  outputReg2,
  multipath,
  bundle('bundle', 12),
  bundle('bundle_load', 13),
  stack('stack_push', 27),
  stack('stack_pop', 28),
  checkPktLarger,
  deleteField,
] as ActionCodec[]) {
  registerAction(c);
}
