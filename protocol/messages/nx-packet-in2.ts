/**
 * NXT_PACKET_IN2 (30) and NXT_RESUME (28): Nicira packet-ins as NXPINT_* properties, and the message
 * that hands a paused packet (its continuation) back to the switch.
 */
import { registerMessage } from '../codec.js';
import { EncodeError } from '../errors.js';
import { readOxm, writeOxm } from '../fields/oxm.js';
import type { NxPacketIn2, NxResume, PacketIn2Fields, RawProperty } from '../message.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import {
  checkUint,
  nestedBody,
  once,
  orderIfUnusual,
  propU32,
  propU64,
  propU8,
  readProperties,
  writeNested,
  writeProperty,
  writePropU32,
  writePropU64,
  writePropU8,
} from './properties.js';
import { putBytes } from './put-lenient.js';
import { NX_VENDOR_ID } from '../constants/nicira.js';

const PACKET = 0;
const FULL_LEN = 1;
const BUFFER_ID = 2;
const TABLE_ID = 3;
const COOKIE = 4;
const REASON = 5;
const METADATA = 6;
const USERDATA = 7;
const CONTINUATION = 8;

/** NXPINT_* → member, listed in the order Open vSwitch writes them. */
const MEMBERS: readonly [number, keyof PacketIn2Fields][] = [
  [PACKET, 'packet'],
  [FULL_LEN, 'fullLen'],
  [BUFFER_ID, 'bufferId'],
  [TABLE_ID, 'tableId'],
  [COOKIE, 'cookie'],
  [REASON, 'reason'],
  [METADATA, 'metadata'],
  [CONTINUATION, 'continuation'],
  [USERDATA, 'userdata'],
];
const memberOf = new Map(MEMBERS);

function writeMember(w: Writer, m: PacketIn2Fields, type: number, path: string): void {
  const p = `${path}.${memberOf.get(type)}`;
  switch (type) {
    case PACKET:
      return writeProperty(w, type, p, () => putBytes(w, m.packet!, path, 'packet'));
    case USERDATA:
      return writeProperty(w, type, p, () => putBytes(w, m.userdata!, path, 'userdata'));
    case FULL_LEN:
      return writePropU32(w, type, m.fullLen!, p);
    case BUFFER_ID:
      return writePropU32(w, type, m.bufferId!, p);
    case TABLE_ID:
      return writePropU8(w, type, m.tableId!, p);
    case REASON:
      return writePropU8(w, type, m.reason!, p);
    case COOKIE:
      return writePropU64(w, type, m.cookie!, p);
    case METADATA:
      return writeProperty(w, type, p, () => m.metadata!.forEach((f, i) => writeOxm(w, f, `${p}[${i}]`)));
    case CONTINUATION:
      return writeNested(w, type, p, () => putBytes(w, m.continuation!, path, 'continuation'));
  }
}

function writeFields(w: Writer, m: PacketIn2Fields, path: string): void {
  const present = MEMBERS.filter(([, k]) => m[k] !== undefined).map(([t]) => t);
  const unknown = new Map<number, RawProperty[]>();
  for (const u of m.unknown ?? []) {
    checkUint(u.type, 16, `${path}.unknown.type`);
    if (memberOf.has(u.type)) throw new EncodeError(`property type ${u.type} is not unknown`, `${path}.unknown`);
    unknown.set(u.type, [...(unknown.get(u.type) ?? []), u]);
  }
  const writeUnknown = (u: RawProperty) => writeProperty(w, u.type, `${path}.unknown`, () => putBytes(w, u.data, path, 'unknown.data'));
  const done = new Set<number>();
  for (const t of m.order ?? []) {
    if (memberOf.has(t)) {
      if (!present.includes(t) || done.has(t)) {
        throw new EncodeError(`order lists property ${t} (${memberOf.get(t)}) that is absent or repeated`, `${path}.order`);
      }
      writeMember(w, m, t, path);
      done.add(t);
    } else {
      const u = unknown.get(t)?.shift();
      if (!u) throw new EncodeError(`order lists property ${t} but no unknown property of that type is left`, `${path}.order`);
      writeUnknown(u);
    }
  }
  for (const t of present) if (!done.has(t)) writeMember(w, m, t, path);
  for (const list of unknown.values()) list.forEach(writeUnknown);
}

function readFields(r: Reader, s: string): PacketIn2Fields {
  const out: PacketIn2Fields = {};
  const seen: number[] = [];
  const known: number[] = [];
  const unknown: RawProperty[] = [];
  readProperties(r, `${s}.properties`, (p) => {
    const name = memberOf.get(p.type);
    const ps = `${s}.${name ?? `property ${p.type}`}`;
    if (!name) {
      seen.push(p.type);
      unknown.push({ type: p.type, data: p.body.bytes(p.body.remaining, ps) });
      return;
    }
    once(known, p, s);
    seen.push(p.type);
    switch (p.type) {
      case PACKET:
        out.packet = p.body.bytes(p.body.remaining, ps);
        break;
      case USERDATA:
        out.userdata = p.body.bytes(p.body.remaining, ps);
        break;
      case FULL_LEN:
        out.fullLen = propU32(p, ps);
        break;
      case BUFFER_ID:
        out.bufferId = propU32(p, ps);
        break;
      case TABLE_ID:
        out.tableId = propU8(p, ps);
        break;
      case REASON:
        out.reason = propU8(p, ps);
        break;
      case COOKIE:
        out.cookie = propU64(p, ps);
        break;
      case METADATA: {
        const fields = [];
        while (p.body.remaining > 0) fields.push(readOxm(p.body, ps));
        out.metadata = fields;
        break;
      }
      case CONTINUATION: {
        const b = nestedBody(p, ps);
        out.continuation = b.bytes(b.remaining, ps);
        break;
      }
    }
  });
  const canonical = [...MEMBERS.map(([t]) => t).filter((t) => known.includes(t)), ...unknown.map((u) => u.type)];
  const order = orderIfUnusual(seen, canonical);
  if (order) out.order = order;
  if (unknown.length) out.unknown = unknown;
  return out;
}

registerMessage<NxPacketIn2>({
  type: 'nx_packet_in2',
  name: 'NXT_PACKET_IN2',
  ofpType: 4,
  experimenter: NX_VENDOR_ID,
  expType: 30,
  encode: (w, m, path) => writeFields(w, m, path),
  decode: (r, h, s) => ({ type: 'nx_packet_in2', xid: h.xid, ...readFields(r, s) }),
});

registerMessage<NxResume>({
  type: 'nx_resume',
  name: 'NXT_RESUME',
  ofpType: 4,
  experimenter: NX_VENDOR_ID,
  expType: 28,
  encode: (w, m, path) => writeFields(w, m, path),
  decode: (r, h, s) => ({ type: 'nx_resume', xid: h.xid, ...readFields(r, s) }),
});
