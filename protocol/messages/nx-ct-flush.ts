/** NXT_CT_FLUSH_ZONE (struct nx_zone_id) and NXT_CT_FLUSH (struct nx_ct_flush + TLVs, Open vSwitch 3.1). */
import { registerMessage } from '../codec.js';
import { EncodeError } from '../errors.js';
import { formatIpv6, parseIpv4, parseIpv6 } from '../fields/values.js';
import type { CtTuple, NxCtFlush, NxCtFlushZone } from '../message.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import {
  nestedBody,
  once,
  orderIfUnusual,
  propU16,
  propU8,
  readProperties,
  writeNested,
  writeProperty,
  writePropU16,
  writePropU8,
  type PropertyView,
} from './properties.js';
import { put16, put8 } from './put-lenient.js';
import { NXT_CT_ORIG_TUPLE, NXT_CT_REPLY_TUPLE, NXT_CT_ZONE_ID, NX_VENDOR_ID } from '../constants/nicira.js';

/** NXT_CT_TUPLE_* numbers, in the order Open vSwitch writes them. */
const TUPLE_MEMBERS = ['src', 'dst', 'srcPort', 'dstPort', 'icmpId', 'icmpType', 'icmpCode'] as const;
type TupleMember = (typeof TUPLE_MEMBERS)[number];

registerMessage<NxCtFlushZone>({
  type: 'nx_ct_flush_zone',
  name: 'NXT_CT_FLUSH_ZONE',
  ofpType: 4,
  experimenter: NX_VENDOR_ID,
  expType: 29,
  encode: (w, m, path) => {
    w.zeros(6);
    put16(w, m.zoneId, path, 'zoneId');
  },
  decode: (r, h, s) => {
    r.pad(6, s);
    return { type: 'nx_ct_flush_zone', xid: h.xid, zoneId: r.u16(s) };
  },
});

// ---- addresses: IPv6, or IPv4 sent as an IPv4-mapped IPv6 address --------------------------------

function writeAddress(w: Writer, ip: string, path: string): void {
  if (typeof ip === 'string' && !ip.includes(':')) {
    const v4 = parseIpv4(ip);
    if (v4 < 0) throw new EncodeError(`"${ip}" is not an IPv4 or IPv6 address`, path);
    w.zeros(10);
    w.u16(0xffff);
    w.u32(v4);
    return;
  }
  const b = typeof ip === 'string' ? parseIpv6(ip) : null;
  if (!b) throw new EncodeError(`"${String(ip)}" is not an IPv4 or IPv6 address`, path);
  w.bytes(b);
}

function readAddress(p: PropertyView, s: string): string {
  if (p.body.remaining !== 16) p.body.fail(`address property has ${p.body.remaining} bytes, expected 16`, s, p.start);
  const b = p.body.view(16, s);
  const mapped = b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
  return mapped ? `${b[12]}.${b[13]}.${b[14]}.${b[15]}` : formatIpv6(b);
}

// ---- tuples -------------------------------------------------------------------------------------

function readTuple(r: Reader, s: string): CtTuple {
  const t: CtTuple = {};
  const seen: number[] = [];
  readProperties(r, s, (p) => {
    once(seen, p, s);
    const member: TupleMember | undefined = TUPLE_MEMBERS[p.type];
    switch (member) {
      case 'src':
      case 'dst':
        t[member] = readAddress(p, `${s}.${member}`);
        break;
      case 'srcPort':
      case 'dstPort':
      case 'icmpId':
        t[member] = propU16(p, `${s}.${member}`);
        break;
      case 'icmpType':
      case 'icmpCode':
        t[member] = propU8(p, `${s}.${member}`);
        break;
      default:
        r.fail(`unknown conntrack tuple property ${p.type}`, s, p.start);
    }
  });
  const order = orderIfUnusual(
    seen,
    [...seen].sort((a, b) => a - b),
  );
  if (order) t.order = order;
  return t;
}

function writeTuple(w: Writer, t: CtTuple, path: string): void {
  for (const type of memberOrder(t, TUPLE_MEMBERS, path)) {
    const member = TUPLE_MEMBERS[type]!;
    const p = `${path}.${member}`;
    const v = t[member]!;
    if (member === 'src' || member === 'dst') writeProperty(w, type, p, () => writeAddress(w, v as string, p));
    else if (member === 'icmpType' || member === 'icmpCode') writePropU8(w, type, v as number, p);
    else writePropU16(w, type, v as number, p);
  }
}

/** The property types to write: `order` first (when given), then any other present member. */
function memberOrder<K extends string>(
  obj: Partial<Record<K, unknown>> & { order?: number[] },
  members: readonly K[],
  path: string,
): number[] {
  const present = members.map((m, i) => (obj[m] !== undefined ? i : -1)).filter((i) => i >= 0);
  if (!obj.order) return present;
  for (const t of obj.order) {
    if (!present.includes(t)) throw new EncodeError(`order lists property ${t} but ${members[t] ?? 'it'} is absent`, `${path}.order`);
  }
  return [...obj.order, ...present.filter((t) => !obj.order!.includes(t))];
}

// ---- the message --------------------------------------------------------------------------------

const FLUSH_MEMBERS = ['orig', 'reply', 'zoneId'] as const;

registerMessage<NxCtFlush>({
  type: 'nx_ct_flush',
  name: 'NXT_CT_FLUSH',
  ofpType: 4,
  experimenter: NX_VENDOR_ID,
  expType: 32,
  encode: (w, m, path) => {
    put8(w, m.ipProto, path, 'ipProto');
    w.zeros(7);
    for (const type of memberOrder(m, FLUSH_MEMBERS, path)) {
      if (type === NXT_CT_ZONE_ID) writePropU16(w, type, m.zoneId!, `${path}.zoneId`);
      else {
        const key = type === NXT_CT_ORIG_TUPLE ? 'orig' : 'reply';
        writeNested(w, type, `${path}.${key}`, () => writeTuple(w, m[key]!, `${path}.${key}`));
      }
    }
  },
  decode: (r, h, s) => {
    const ipProto = r.u8(s);
    r.pad(7, s);
    const m: NxCtFlush = { type: 'nx_ct_flush', xid: h.xid, ipProto };
    const seen: number[] = [];
    readProperties(r, s, (p) => {
      once(seen, p, s);
      if (p.type === NXT_CT_ZONE_ID) m.zoneId = propU16(p, `${s}.zone_id`);
      else if (p.type === NXT_CT_ORIG_TUPLE) m.orig = readTuple(nestedBody(p, `${s}.orig`), `${s}.orig`);
      else if (p.type === NXT_CT_REPLY_TUPLE) m.reply = readTuple(nestedBody(p, `${s}.reply`), `${s}.reply`);
      else r.fail(`unknown conntrack flush property ${p.type}`, s, p.start);
    });
    const order = orderIfUnusual(
      seen,
      [...seen].sort((a, b) => a - b),
    );
    if (order) m.order = order;
    return m;
  },
});
