/** NXAST_CT (conntrack) and NXAST_NAT. */
import { EncodeError } from '../errors.js';
import { readFieldHeader, writeFieldHeader } from '../fields/oxm.js';
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from '../fields/values.js';
import { readActions, registerAction, writeActions, type ActionCodec } from './codec.js';
import type { CtAction, NatAction, SubField } from './types.js';

export const NX_CT_F_COMMIT = 1;
export const NX_CT_F_FORCE = 2;
export const NX_CT_RECIRC_NONE = 255;

export const NX_NAT_F_SRC = 1;
export const NX_NAT_F_DST = 2;
export const NX_NAT_F_PERSISTENT = 4;
export const NX_NAT_F_PROTO_HASH = 8;
export const NX_NAT_F_PROTO_RANDOM = 16;

const RANGE_IPV4_MIN = 1;
const RANGE_IPV4_MAX = 2;
const RANGE_IPV6_MIN = 4;
const RANGE_IPV6_MAX = 8;
const RANGE_PROTO_MIN = 16;
const RANGE_PROTO_MAX = 32;

export function encodeOfsNbits(ofs: number, nBits: number): number {
  return (ofs << 6) | (nBits - 1);
}

const ct: ActionCodec<CtAction> = {
  name: 'ct',
  code: 35,
  nicira: true,
  encode: (w, a, path) => {
    w.u16(a.flags);
    if (a.zoneSrc) {
      writeFieldHeader(w, a.zoneSrc, `${path}.zoneSrc`);
      w.u16(encodeOfsNbits(a.zoneSrc.ofs, a.zoneSrc.nBits));
    } else {
      w.u32(0);
      w.u16(a.zone);
    }
    w.u8(a.recircTable);
    w.zeros(3);
    w.u16(a.alg);
    writeActions(w, a.actions, `${path}.actions`);
  },
  decode: (r, s) => {
    const flags = r.u16(s);
    const srcAt = r.pos;
    const zoneSrcHeader = r.u32(s);
    let zoneSrc: SubField | undefined;
    let zone = 0;
    const ofsNbits = r.u16(s);
    if (zoneSrcHeader) {
      const save = r.pos;
      r.pos = srcAt;
      const ref = readFieldHeader(r, `${s}.zone_src`);
      r.pos = save;
      zoneSrc = { ...ref, ofs: ofsNbits >>> 6, nBits: (ofsNbits & 63) + 1 };
      delete (zoneSrc as { bits?: number }).bits;
    } else {
      zone = ofsNbits;
    }
    const recircTable = r.u8(s);
    r.pad(3, s);
    const alg = r.u16(s);
    const actions = readActions(r, `${s}.actions`);
    const out: CtAction = { type: 'ct', flags, zone, recircTable, alg, actions };
    if (zoneSrc) out.zoneSrc = zoneSrc;
    return out;
  },
};

const nat: ActionCodec<NatAction> = {
  name: 'nat',
  code: 36,
  nicira: true,
  encode: (w, a, path) => {
    w.zeros(2);
    w.u16(a.flags);
    const presentAt = w.pos;
    w.u16(0);
    let present = 0;
    const v6 = (a.ipMin ?? a.ipMax ?? '').includes(':');
    if (a.ipMin !== undefined) {
      if (v6) {
        const b = parseIpv6(a.ipMin);
        if (!b) throw new EncodeError(`"${a.ipMin}" is not an IP address`, `${path}.ipMin`);
        w.bytes(b);
        present |= RANGE_IPV6_MIN;
      } else {
        const v = parseIpv4(a.ipMin);
        if (v < 0) throw new EncodeError(`"${a.ipMin}" is not an IP address`, `${path}.ipMin`);
        w.u32(v);
        present |= RANGE_IPV4_MIN;
      }
    }
    if (a.ipMax !== undefined) {
      if (v6) {
        const b = parseIpv6(a.ipMax);
        if (!b) throw new EncodeError(`"${a.ipMax}" is not an IP address`, `${path}.ipMax`);
        w.bytes(b);
        present |= RANGE_IPV6_MAX;
      } else {
        const v = parseIpv4(a.ipMax);
        if (v < 0) throw new EncodeError(`"${a.ipMax}" is not an IP address`, `${path}.ipMax`);
        w.u32(v);
        present |= RANGE_IPV4_MAX;
      }
    }
    if (a.portMin !== undefined) {
      w.u16(a.portMin);
      present |= RANGE_PROTO_MIN;
    }
    if (a.portMax !== undefined) {
      w.u16(a.portMax);
      present |= RANGE_PROTO_MAX;
    }
    w.setU16(presentAt, present);
  },
  decode: (r, s) => {
    r.pad(2, s);
    const flags = r.u16(s);
    const present = r.u16(s);
    const out: NatAction = { type: 'nat', flags };
    if (present & ~63) r.fail(`unknown range_present bits 0x${present.toString(16)}`, s);
    if (present & RANGE_IPV4_MIN) out.ipMin = formatIpv4(r.u32(`${s}.ipv4_min`));
    if (present & RANGE_IPV4_MAX) out.ipMax = formatIpv4(r.u32(`${s}.ipv4_max`));
    if (present & RANGE_IPV6_MIN) out.ipMin = formatIpv6(r.view(16, `${s}.ipv6_min`));
    if (present & RANGE_IPV6_MAX) out.ipMax = formatIpv6(r.view(16, `${s}.ipv6_max`));
    if (present & RANGE_PROTO_MIN) out.portMin = r.u16(`${s}.proto_min`);
    if (present & RANGE_PROTO_MAX) out.portMax = r.u16(`${s}.proto_max`);
    return out;
  },
};

registerAction(ct);
registerAction(nat);
