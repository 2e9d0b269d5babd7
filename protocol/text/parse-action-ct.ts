/**
 * `ct(...)` and `nat(...)`: connection tracking with commit/force, table, zone (immediate or
 * `zone=NXM_NX_REG0[0..15]`), alg=ftp|tftp, nat(src|dst=IP[-IP][:PORT[-PORT]],persistent,hash,random)
 * and exec(...) setting ct_mark/ct_label.
 */
import type { Action, NatAction } from '../actions/types.js';
import { formatIpv6, parseIpv6 } from '../fields/values.js';
import type { CheckContext } from './parse-action-check.js';
import { subFieldRef } from './parse-action-fields.js';
import { InstructionSlot, lowerActions, type Ofpact, type ParseScope } from './parse-action-types.js';
import { parseSubfield } from './parse-fields.js';
import { KeyValueReader, valueOf, type Segment } from './lexer.js';
import { parseU16 } from './parse-numbers.js';
import { tableFromString } from './parse-ports.js';
import { failAt, type Located } from './parse-util.js';
import {
  NX_CT_F_COMMIT,
  NX_CT_F_FORCE,
  NX_NAT_F_DST,
  NX_NAT_F_PERSISTENT,
  NX_NAT_F_PROTO_HASH,
  NX_NAT_F_PROTO_RANDOM,
  NX_NAT_F_SRC,
} from '../constants/nicira.js';

export type NestedParser = (seg: Segment, scope: ParseScope) => Ofpact[];

interface NatRange {
  family: 4 | 6 | 0;
  ipMin?: string;
  ipMax?: string;
  portMin?: number;
  portMax?: number;
}

/** Where the last ipv4At() ended. */
let ipv4End = 0;

/**
 * The dotted quad at `at` (its end in ipv4End): its value, -1 when a part is over 255, -2 when
 * there is none.
 */
function ipv4At(s: string, at: number): number {
  // /^(\d+)\.(\d+)\.(\d+)\.(\d+)/ at `at`, by hand: this runs for every nat of a proxy's groups.
  let n = at;
  let value = 0;
  let over = false;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      if (s.charCodeAt(n) !== 0x2e) return -2;
      n++;
    }
    const start = n;
    let p = 0;
    for (let c = s.charCodeAt(n); c >= 0x30 && c <= 0x39; c = s.charCodeAt(++n)) p = p * 10 + (c - 0x30);
    if (n === start) return -2;
    if (p > 255) over = true;
    value = (value << 8) | (p & 0xff);
  }
  ipv4End = n;
  return over ? -1 : value >>> 0;
}

/** The length of the run of decimal digits at `at`. */
function digitsAt(s: string, at: number): number {
  let n = at;
  for (let c = s.charCodeAt(n); c >= 0x30 && c <= 0x39; c = s.charCodeAt(++n));
  return n - at;
}

function ipv6At(s: string, at: number): { bytes: Uint8Array; end: number } | null {
  const bracket = s[at] === '[';
  const start = bracket ? at + 1 : at;
  const m = /^[0-9a-fA-F:.]{1,46}/.exec(s.slice(start));
  if (!m) return null;
  let end = start + m[0].length;
  if (bracket) {
    if (s[end] !== ']') return null;
    end++;
  }
  const bytes = parseIpv6(m[0]);
  return bytes ? { bytes, end } : null;
}

function cmpBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function invalidRange(s: string, loc: Located) {
  return failAt(loc, `invalid nat range "${s}"`);
}

/** str_to_nat_range(). */
function parseNatRange(s: string, loc: Located): NatRange {
  const r: NatRange = { family: 0 };
  let n = 0;
  const min4 = ipv4At(s, 0);
  if (min4 !== -2) {
    if (min4 < 0)
      throw failAt(loc, `invalid nat range "${s}": ${s.slice(0, ipv4End)} is not an IPv4 address (ovs-ofctl would truncate it)`);
    r.family = 4;
    n = ipv4End;
    if (min4) r.ipMin = ipText(min4);
    if (s.charCodeAt(n) === 0x2d) {
      const max4 = ipv4At(s, n + 1);
      if (max4 < 0 || max4 < min4) throw invalidRange(s, loc);
      n = ipv4End;
      if (max4) r.ipMax = ipText(max4);
    }
  } else {
    const v6 = ipv6At(s, 0);
    if (v6) {
      r.family = 6;
      n = v6.end;
      if (v6.bytes.some((b) => b)) r.ipMin = formatIpv6(v6.bytes);
      if (s[n] === '-') {
        const max = ipv6At(s, n + 1);
        if (!max || cmpBytes(max.bytes, v6.bytes) < 0) throw invalidRange(s, loc);
        n = max.end;
        if (max.bytes.some((b) => b)) r.ipMax = formatIpv6(max.bytes);
      }
    }
  }
  if (r.family && s.charCodeAt(n) === 0x3a) {
    const len = digitsAt(s, n + 1);
    if (!len) throw invalidRange(s, loc);
    const text = s.slice(n + 1, n + 1 + len);
    const min = Number(text);
    if (min > 0xffff) throw failAt(loc, `invalid nat range "${s}": port ${text} is over 65535 (ovs-ofctl would truncate it)`);
    n += 1 + len;
    if (min) r.portMin = min;
    if (s.charCodeAt(n) === 0x2d) {
      const maxLen = digitsAt(s, n + 1);
      if (!maxLen) throw invalidRange(s, loc);
      const maxText = s.slice(n + 1, n + 1 + maxLen);
      const max = Number(maxText);
      if (max > 0xffff) throw failAt(loc, `invalid nat range "${s}": port ${maxText} is over 65535 (ovs-ofctl would truncate it)`);
      if (max < min) throw invalidRange(s, loc);
      n += 1 + maxLen;
      if (max) r.portMax = max;
    }
  }
  if (n !== s.length) throw failAt(loc, `garbage (${s.slice(n)}) after nat range "${s}" (pos: ${n})`);
  return r;
}

function ipText(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 0xff}.${(v >>> 8) & 0xff}.${v & 0xff}`;
}

/** `nat(...)` (inside ct). */
export function parseNat(arg: Segment, token: Located): Ofpact {
  let flags = 0;
  let range: NatRange = { family: 0 };
  const reader = new KeyValueReader(arg);
  for (let kv = reader.next(); kv; kv = reader.next()) {
    const loc: Located = kv;
    if (kv.key === 'src' || kv.key === 'dst') {
      flags |= kv.key === 'src' ? NX_NAT_F_SRC : NX_NAT_F_DST;
      range = parseNatRange(kv.value, loc);
    } else if (kv.key === 'persistent') flags |= NX_NAT_F_PERSISTENT;
    else if (kv.key === 'hash') flags |= NX_NAT_F_PROTO_HASH;
    else if (kv.key === 'random') flags |= NX_NAT_F_PROTO_RANDOM;
    else throw failAt(loc, `invalid key "${kv.key}" in "nat" argument`);
  }
  if (flags & NX_NAT_F_SRC && flags & NX_NAT_F_DST) throw failAt(token, 'May only specify one of "src" or "dst".');
  if (!(flags & (NX_NAT_F_SRC | NX_NAT_F_DST))) {
    if (flags) throw failAt(token, 'Flags allowed only with "src" or "dst".');
    if (range.family) throw failAt(token, 'Range allowed only with "src" or "dst".');
  }
  if (flags & NX_NAT_F_PROTO_HASH && flags & NX_NAT_F_PROTO_RANDOM) throw failAt(token, 'Both "hash" and "random" are not allowed.');
  const action: NatAction = { type: 'nat', flags };
  if (range.ipMin !== undefined) action.ipMin = range.ipMin;
  if (range.ipMax !== undefined) action.ipMax = range.ipMax;
  if (range.family) {
    if (range.portMin !== undefined) action.portMin = range.portMin;
    if (range.portMax !== undefined) action.portMax = range.portMax;
  }
  const bare = flags === 0 && range.family === 0;
  return {
    name: 'nat',
    token,
    slot: InstructionSlot.Apply,
    check: (cx: CheckContext) => {
      const t = cx.flow.etherType;
      if ((t !== 0x0800 && t !== 0x86dd) || (range.family === 4 && t !== 0x0800) || (range.family === 6 && t !== 0x86dd)) {
        throw cx.error(
          token,
          'OFPBAC_MATCH_INCONSISTENT',
          `nat${range.family ? ` with an IPv${range.family} range` : ''} needs an ${range.family === 6 ? 'ipv6' : range.family === 4 ? 'ip' : 'ip or ipv6'} match`,
        );
      }
    },
    lower: () => [{ ...action }],
    bareNat: bare,
    encodes: true,
  };
}

/** `ct(...)`. */
export function parseCt(arg: Segment, token: Located, scope: ParseScope, nested: NestedParser): Ofpact {
  let flags = 0;
  let recircTable = 255;
  let zone = 0;
  let zoneSrc: ReturnType<typeof parseSubfield> | null = null;
  let alg = 0;
  const inner: Ofpact[] = [];
  const reader = new KeyValueReader(arg);
  for (let kv = reader.next(); kv; kv = reader.next()) {
    const loc: Located = kv;
    switch (kv.key) {
      case 'commit':
        flags |= NX_CT_F_COMMIT;
        break;
      case 'force':
        flags |= NX_CT_F_FORCE;
        break;
      case 'table': {
        const t = tableFromString(kv.value);
        if (t === null) throw failAt(loc, `unknown table ${kv.value}`);
        if (t === 255) throw failAt(loc, 'invalid table 0xff');
        recircTable = t;
        break;
      }
      case 'zone': {
        const z = parseU16(kv.value, 'zone');
        if (typeof z === 'number') {
          zone = z;
          zoneSrc = null;
        } else {
          const sf = parseSubfield(kv.value);
          if (typeof sf === 'string') throw failAt(loc, sf);
          if (sf.nBits !== 16)
            throw failAt(loc, `zone ${kv.value} is ${sf.nBits} bits wide, not 16 (ovs-ofctl sends it but the switch refuses it)`);
          zoneSrc = sf;
        }
        break;
      }
      case 'alg':
        if (kv.value === 'ftp') alg = 21;
        else if (kv.value === 'tftp') alg = 69;
        else throw failAt(loc, `invalid conntrack helper "${kv.value}"`);
        break;
      case 'nat':
        inner.push(parseNat(valueOf(kv), loc));
        break;
      case 'exec':
        inner.push(...nested(valueOf(kv), { ...scope, allowInstructions: false, outer: 'ct', depth: scope.depth + 1 }));
        break;
      default:
        throw failAt(loc, `invalid argument to "ct" action: \`${kv.key}'`);
    }
  }
  if (flags & NX_CT_F_FORCE && !(flags & NX_CT_F_COMMIT)) throw failAt(token, '"force" flag requires "commit" flag.');
  if (!(flags & NX_CT_F_COMMIT)) {
    const other = inner.find((a) => !a.bareNat);
    if (other) {
      throw failAt(
        token,
        `ct needs "commit" when it ${other.name === 'nat' ? 'has nat with arguments' : `runs ${other.name}`} (ovs-ofctl sends it but the switch refuses it)`,
      );
    }
  }
  const src = zoneSrc;
  return {
    name: 'ct',
    // Immediate zone and at most one nat: every value was checked above, the size is fixed and small.
    encodes: src === null && inner.length <= 1 && inner.every((a) => a.name === 'nat'),
    token,
    slot: InstructionSlot.Apply,
    check: (cx) => {
      const f = cx.flow;
      if (!f.isIpAny()) throw cx.error(token, 'OFPBAC_MATCH_INCONSISTENT', 'ct needs an ip or ipv6 match');
      if (f.ctState & 0x10 && flags & NX_CT_F_COMMIT) {
        throw cx.error(token, 'OFPBAC_MATCH_INCONSISTENT', 'ct cannot commit a packet matched as ct_state=+inv');
      }
      if (alg === 21 && f.nwProto !== 6) throw cx.error(token, 'OFPBAC_MATCH_INCONSISTENT', 'alg=ftp needs a tcp match');
      if (alg === 69 && f.nwProto !== 17) throw cx.error(token, 'OFPBAC_MATCH_INCONSISTENT', 'alg=tftp needs a udp match');
      if (src) {
        cx.checkField(token, src.field, false);
        return;
      }
      cx.nested(() => {
        for (const a of inner) a.check(cx);
      });
    },
    lower: (): Action[] => {
      const actions: Action[] = lowerActions(inner);
      const ct: Action = { type: 'ct', flags, zone: src ? 0 : zone, recircTable, alg, actions };
      if (src) ct.zoneSrc = subFieldRef(src);
      return [ct];
    },
  };
}
