/**
 * The proxy's hot path to bytes: a service port's entries written as keys and bodies (see
 * entries.ts) straight from byte templates, without building match and action objects.
 *
 * The templates are not written by hand: each is the object compiler's own encoding (compile.ts)
 * of a sample, and the places of its variable parts (addresses, ports, weights, group ids) are
 * found by encoding it again with one value changed. So the bytes are the codec's, for whatever
 * options, registers or zones the proxy runs with; compile.ts stays the reference (and the test
 * oracle), and service ports of the multipath shape, which are rare, still go through it.
 */
import { Writer } from '../../protocol/wire/writer.js';
import { writeInstructions } from '../../protocol/actions/instructions.js';
import { writeMatch } from '../../protocol/fields/oxm.js';
import { parseIpv4, parseIpv6 } from '../../protocol/fields/values.js';
import { writeBuckets } from '../../protocol/messages/buckets.js';
import type { IPFamily, Protocol } from '../sources/types.js';
import { CookieKind, cookie } from './cookies.js';
import {
  PRIORITY,
  compilePort,
  groupBucket,
  groupIdOf,
  hairpinEntry,
  serviceMatch,
  toController,
  toGroup,
  usesGroup,
  type CompiledPort,
} from './compile.js';
import { WireKeyed, groupKey, keyed, type Keyed } from './entries.js';
import type { ServicePortState } from './model.js';
import { tablesOf, type ProxyOptions } from './options.js';
import { groupWeights } from './weights.js';
import { OFPGT_SELECT } from '../../protocol/constants/openflow13.js';

/** A service port's entries, keyed: what DesiredState holds. */
export interface KeyedPort {
  own: Keyed[];
  shared: Keyed[];
  shape: CompiledPort['shape'];
}

type Value = string | number;

/** Encoded bytes with the offsets of each variable part (a part may occur more than once). */
interface Template {
  bytes: Buffer;
  /** Per variable: its width in bytes and where it occurs. */
  slots: { width: number; at: number[] }[];
}

const scratch = new Writer(1 << 12);

function encoded(write: (w: Writer) => void): Buffer {
  scratch.reset();
  write(scratch);
  return scratch.buf.subarray(0, scratch.pos);
}

function width(v: Value): number {
  return typeof v === 'number' ? (v > 0xffff ? 4 : 2) : v.includes(':') ? 16 : 4;
}

/**
 * Encodes `base`, then `base` with each value in turn replaced by its `alt` (every byte of which
 * differs), and records where the bytes changed.
 */
function derive(encode: (values: readonly Value[]) => Buffer, base: readonly Value[], alt: readonly Value[]): Template {
  const bytes = Buffer.from(encode(base));
  const slots = base.map((b, k) => {
    const varied = encode(base.map((v, j) => (j === k ? alt[k]! : v)));
    const w = width(b);
    const at: number[] = [];
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] === varied[i]) continue;
      at.push(i);
      i += w - 1;
    }
    // A layout that depends on the values cannot be a template (none of the proxy's does).
    if (varied.length !== bytes.length || !at.length) throw new Error('template: the layout depends on a value');
    return { width: w, at };
  });
  return { bytes, slots };
}

function putValue(buf: Buffer, at: number, w: number, v: Value): void {
  if (typeof v === 'number') {
    if (w === 2) buf.writeUInt16BE(v, at);
    else buf.writeUInt32BE(v >>> 0, at);
  } else if (w === 4) {
    buf.writeUInt32BE(parseIpv4(v) >>> 0, at);
  } else {
    buf.set(parseIpv6(v)!, at);
  }
}

/** Appends a template with its values (as many as it has, at most three) filled in to `out`. */
function fill(out: Writer, t: Template, v0: Value, v1?: Value, v2?: Value): void {
  const start = out.pos;
  out.bytes(t.bytes);
  const slots = t.slots;
  for (let k = 0; k < slots.length; k++) {
    const s = slots[k]!;
    const v = k === 0 ? v0 : k === 1 ? v1! : v2!;
    for (let i = 0; i < s.at.length; i++) putValue(out.buf, start + s.at[i]!, s.width, v);
  }
}

const out = new Writer(1 << 12);

/** A select group's body starts with its type. */
const GROUP_BODY_PREFIX = `${OFPGT_SELECT}/`;

/** Appends an ASCII string. */
function ascii(w: Writer, s: string): void {
  w.ensure(s.length);
  w.pos += w.buf.write(s, w.pos, 'latin1');
}

/**
 * `fill` as a latin1 string (one character per byte), behind `prefix`: made in one piece, as a
 * concatenation would leave a string that every map lookup first has to flatten.
 */
function filled(prefix: string, t: Template, v0: Value, v1?: Value): string {
  out.reset();
  ascii(out, prefix);
  fill(out, t, v0, v1);
  return taken();
}

/** What `out` holds, as a latin1 string. */
function taken(): string {
  return out.buf.toString('latin1', 0, out.pos);
}

const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
/** Hex digits of a service port's id in a cookie as bodies carry it (see cookies.ts). */
const ID_HEX_DIGITS = 11;

/** Starts `out` with the cookie of a service port's entries in hex and the `/` behind it, as bodies carry it. */
function startBody(ot: OptionTemplates, kind: CookieKind, id: number): void {
  out.reset();
  ascii(out, ot.cookiePrefix);
  out.ensure(ID_HEX_DIGITS + 2);
  const buf = out.buf;
  let at = out.pos;
  buf[at++] = HEX_DIGITS[kind]!;
  for (let i = ID_HEX_DIGITS - 1, v = id; i >= 0; i--, v = Math.floor(v / 16)) buf[at + i] = HEX_DIGITS[v % 16]!;
  at += ID_HEX_DIGITS;
  buf[at++] = 0x2f; // '/'
  out.pos = at;
}

function latin1(b: Buffer): string {
  return b.toString('latin1');
}

const SAMPLE = {
  IPv4: ['1.2.3.4', '101.102.103.104'],
  IPv6: ['1:203:405:607:809:a0b:c0d:e0f', '8081:8283:8485:8687:8889:8a8b:8c8d:8e8f'],
  port: [0x0102, 0x0304],
  weight: [0x0102, 0x0304],
  groupId: [0x01020304, 0x05060708],
} as const;

interface PortTemplates {
  /** Service flow match: vip, port. */
  match: Template;
  /** One bucket: weight, endpoint address (and port, except SCTP). */
  bucket: Template;
}

interface OptionTemplates {
  ports: Map<string, PortTemplates>;
  /** Hairpin flow key by family: endpoint address. */
  hairpinKey: Record<IPFamily, Template>;
  hairpinBody: Record<IPFamily, string>;
  /** Service flow instructions to a group: group id. */
  toGroup: Template;
  toController: string;
  serviceKeyPrefix: string;
  hairpinKeyPrefix: string;
  cookiePrefix: string;
}

const templates = new WeakMap<ProxyOptions, OptionTemplates>();

function optionTemplates(o: ProxyOptions): OptionTemplates {
  let t = templates.get(o);
  if (t) return t;
  const tables = tablesOf(o);
  const hairpin = (family: IPFamily) => {
    const [a, b] = SAMPLE[family];
    const key = derive((v) => encoded((w) => writeMatch(w, hairpinEntry(o, v[0] as string).match)), [a], [b]);
    return { key, body: keyed(hairpinEntry(o, a)).body };
  };
  const v4 = hairpin('IPv4');
  const v6 = hairpin('IPv6');
  t = {
    ports: new Map(),
    hairpinKey: { IPv4: v4.key, IPv6: v6.key },
    hairpinBody: { IPv4: v4.body, IPv6: v6.body },
    toGroup: derive(
      (v) => encoded((w) => writeInstructions(w, toGroup(v[0] as number), 'instructions')),
      [SAMPLE.groupId[0]],
      [SAMPLE.groupId[1]],
    ),
    toController: latin1(encoded((w) => writeInstructions(w, toController(o), 'instructions'))),
    serviceKeyPrefix: `f${tables.service}/${PRIORITY.service}/`,
    hairpinKeyPrefix: `f${tables.hairpin}/${PRIORITY.hairpin}/`,
    cookiePrefix: cookie(o.cookiePrefix, CookieKind.Base).toString(16).slice(0, -12),
  };
  templates.set(o, t);
  return t;
}

function portTemplates(o: ProxyOptions, ot: OptionTemplates, family: IPFamily, protocol: Protocol): PortTemplates {
  const name = `${family}|${protocol}`;
  let t = ot.ports.get(name);
  if (t) return t;
  const [ipA, ipB] = SAMPLE[family];
  const sp = { family, protocol };
  t = {
    match: derive(
      (v) => encoded((w) => writeMatch(w, serviceMatch({ ...sp, vip: v[0] as string, port: v[1] as number }))),
      [ipA, SAMPLE.port[0]],
      [ipB, SAMPLE.port[1]],
    ),
    bucket: derive(
      (v) =>
        encoded((w) =>
          writeBuckets(w, [groupBucket(o, sp, v[0] as number, v[1] as string, (v[2] as number | undefined) ?? SAMPLE.port[0])], 'buckets'),
        ),
      protocol === 'SCTP' ? [SAMPLE.weight[0], ipA] : [SAMPLE.weight[0], ipA, SAMPLE.port[0]],
      protocol === 'SCTP' ? [SAMPLE.weight[1], ipB] : [SAMPLE.weight[1], ipB, SAMPLE.port[1]],
    ),
  };
  ot.ports.set(name, t);
  return t;
}

/** The hairpin flow of one endpoint address. */
export function hairpinKeyed(o: ProxyOptions, ip: string): Keyed {
  const ot = optionTemplates(o);
  const family: IPFamily = ip.includes(':') ? 'IPv6' : 'IPv4';
  return new WireKeyed(filled(ot.hairpinKeyPrefix, ot.hairpinKey[family], ip), ot.hairpinBody[family]);
}

/**
 * One service port (identified on the switch by `id`) as keyed entries: the same keys and bodies
 * as `compilePort(o, sp, id).own/shared.map(keyed)`, in the same order.
 */
export function compilePortKeyed(o: ProxyOptions, sp: ServicePortState, id: number): KeyedPort {
  // External frontends (SNAT, source ranges, pods' CIDRs) are compiled as objects, as multipath shapes are.
  if ((sp.mode === 'serve' && !usesGroup(o, sp)) || (sp.frontend !== undefined && sp.frontend !== 'clusterIP')) {
    const c = compilePort(o, sp, id);
    return { own: c.own.map(keyed), shared: c.shared.map(keyed), shape: c.shape };
  }
  const ot = optionTemplates(o);
  const pt = portTemplates(o, ot, sp.family, sp.protocol);
  const serviceKey = filled(ot.serviceKeyPrefix, pt.match, sp.vip, sp.port);
  if (sp.mode !== 'serve') {
    startBody(ot, CookieKind.Service, id);
    if (sp.mode === 'reject') {
      ascii(out, ot.toController);
      return { own: [new WireKeyed(serviceKey, taken())], shared: [], shape: 'reject' };
    }
    return { own: [new WireKeyed(serviceKey, taken())], shared: [], shape: 'drop' };
  }

  const shared: Keyed[] = [];
  for (const ep of sp.endpoints) {
    if (o.nodeName === undefined || ep.local) shared.push(hairpinKeyed(o, ep.ip));
  }
  const w = groupWeights(sp.endpoints.length)!;
  // SCTP buckets have no port to fill in (the template has two values, and fill ignores a third).
  out.reset();
  ascii(out, GROUP_BODY_PREFIX);
  const endpoints = sp.endpoints;
  for (let i = 0; i < endpoints.length; i++) fill(out, pt.bucket, w.weights[i]!, endpoints[i]!.ip, endpoints[i]!.port);
  if (w.extra) fill(out, pt.bucket, w.extra, endpoints[0]!.ip, endpoints[0]!.port);
  const groupId = groupIdOf(o, id);
  const group = new WireKeyed(groupKey(groupId), taken());
  startBody(ot, CookieKind.Service, id);
  fill(out, ot.toGroup, groupId);
  const flow = new WireKeyed(serviceKey, taken());
  return { own: [group, flow], shared, shape: 'group' };
}
