/** NXAST_CT (conntrack, with its nested actions) and NXAST_NAT. */
import { EncodeError } from '../errors.js';
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from '../fields/values.js';
import type { Writer } from '../wire/writer.js';
import { MAX_ACTION_LEN, nxCodec as nx, readNestedActions, registerAction, writeNestedActions, type ActionCodec } from './codec.js';
import { nBitsOf, ofsOf, putOfsNbits, readFieldRef, writeFieldRef } from './field-ref.js';
import { put16, put8, putZeros } from './put-strict.js';
import type { CtAction, NatAction, SubField } from './types.js';
import {
  NX_NAT_RANGE_IPV4_MAX,
  NX_NAT_RANGE_IPV4_MIN,
  NX_NAT_RANGE_IPV6_MAX,
  NX_NAT_RANGE_IPV6_MIN,
  NX_NAT_RANGE_PROTO_MAX,
  NX_NAT_RANGE_PROTO_MIN,
} from '../constants/nicira.js';

const ct: ActionCodec<CtAction> = nx(
  'ct',
  35,
  'nx_action_conntrack',
  24,
  (w, a, path) => {
    put16(w, a.flags, path, 'flags');
    if (a.zoneSrc !== undefined) {
      if (a.zoneSrc === null || typeof a.zoneSrc !== 'object') throw new EncodeError('zoneSrc must be a subfield', `${path}.zoneSrc`);
      if (a.zoneSrc.header === 0) throw new EncodeError('a zero zone_src header means an immediate zone', `${path}.zoneSrc.header`);
      writeFieldRef(w, a.zoneSrc, false, 'nxm', path, 'zoneSrc');
      putOfsNbits(w, a.zoneSrc, path, 'zoneSrc');
    } else {
      w.u32(0);
      put16(w, a.zone, path, 'zone');
    }
    put8(w, a.recircTable, path, 'recircTable');
    putZeros(w, 3);
    put16(w, a.alg, path, 'alg');
    writeNestedActions(w, a.actions, path);
  },
  (r, s) => {
    const flags = r.u16(s);
    let zoneSrc: SubField | undefined;
    let zone = 0;
    const b = r.buf;
    const p = r.pos;
    if (r.remaining >= 4 && (b[p]! | b[p + 1]! | b[p + 2]! | b[p + 3]!) !== 0) {
      zoneSrc = readFieldRef(r, false, 'nxm', 'nx_action_conntrack.zone_src') as SubField;
      const ofsNbits = r.u16(s);
      zoneSrc.ofs = ofsOf(ofsNbits);
      zoneSrc.nBits = nBitsOf(ofsNbits);
    } else {
      r.skip(4, s);
      zone = r.u16(s);
    }
    const recircTable = r.u8(s);
    r.pad(3, s);
    const alg = r.u16(s);
    const actions = readNestedActions(r, 'nx_action_conntrack.actions');
    const out: CtAction = { type: 'ct', flags, zone, recircTable, alg, actions };
    if (zoneSrc) out.zoneSrc = zoneSrc;
    return out;
  },
  MAX_ACTION_LEN,
);

function isIpv6Text(ip: unknown): boolean {
  return typeof ip === 'string' && ip.includes(':');
}

function writeAddress(w: Writer, ip: string, v6: boolean, path: string, name: string): void {
  if (v6) {
    const b = typeof ip === 'string' ? parseIpv6(ip) : null;
    if (!b) throw new EncodeError(`${JSON.stringify(ip)} is not an IPv6 address`, `${path}.${name}`);
    w.bytes(b);
  } else {
    const v = typeof ip === 'string' ? parseIpv4(ip) : -1;
    if (v < 0) throw new EncodeError(`${JSON.stringify(ip)} is not an IPv4 address`, `${path}.${name}`);
    w.u32(v);
  }
}

const nat: ActionCodec<NatAction> = nx(
  'nat',
  36,
  'nx_action_nat',
  16,
  (w, a, path) => {
    putZeros(w, 2);
    put16(w, a.flags, path, 'flags');
    const presentAt = w.pos;
    w.u16(0);
    let present = 0;
    const v6 = isIpv6Text(a.ipMin ?? a.ipMax);
    if (a.ipMin !== undefined && a.ipMax !== undefined && isIpv6Text(a.ipMax) !== v6) {
      throw new EncodeError('ipMin and ipMax must be of the same address family', `${path}.ipMax`);
    }
    if (a.ipMin !== undefined) {
      writeAddress(w, a.ipMin, v6, path, 'ipMin');
      present |= v6 ? NX_NAT_RANGE_IPV6_MIN : NX_NAT_RANGE_IPV4_MIN;
    }
    if (a.ipMax !== undefined) {
      writeAddress(w, a.ipMax, v6, path, 'ipMax');
      present |= v6 ? NX_NAT_RANGE_IPV6_MAX : NX_NAT_RANGE_IPV4_MAX;
    }
    if (a.portMin !== undefined) {
      put16(w, a.portMin, path, 'portMin');
      present |= NX_NAT_RANGE_PROTO_MIN;
    }
    if (a.portMax !== undefined) {
      put16(w, a.portMax, path, 'portMax');
      present |= NX_NAT_RANGE_PROTO_MAX;
    }
    w.setU16(presentAt, present);
  },
  (r, s) => {
    r.pad(2, s);
    const flags = r.u16(s);
    const presentAt = r.pos;
    const present = r.u16(s);
    if (present & ~63) r.fail(`range_present has unknown bits 0x${(present & ~63).toString(16)}`, s, presentAt);
    const v4 = present & (NX_NAT_RANGE_IPV4_MIN | NX_NAT_RANGE_IPV4_MAX);
    const v6 = present & (NX_NAT_RANGE_IPV6_MIN | NX_NAT_RANGE_IPV6_MAX);
    if (v4 && v6) r.fail('range_present mixes IPv4 and IPv6 bounds', s, presentAt);
    const out: NatAction = { type: 'nat', flags };
    if (present & NX_NAT_RANGE_IPV4_MIN) out.ipMin = formatIpv4(r.u32('nx_action_nat.ipv4_min'));
    if (present & NX_NAT_RANGE_IPV4_MAX) out.ipMax = formatIpv4(r.u32('nx_action_nat.ipv4_max'));
    if (present & NX_NAT_RANGE_IPV6_MIN) out.ipMin = formatIpv6(r.view(16, 'nx_action_nat.ipv6_min'));
    if (present & NX_NAT_RANGE_IPV6_MAX) out.ipMax = formatIpv6(r.view(16, 'nx_action_nat.ipv6_max'));
    if (present & NX_NAT_RANGE_PROTO_MIN) out.portMin = r.u16('nx_action_nat.proto_min');
    if (present & NX_NAT_RANGE_PROTO_MAX) out.portMax = r.u16('nx_action_nat.proto_max');
    return out;
  },
  MAX_ACTION_LEN,
);

registerAction(ct);
registerAction(nat);
