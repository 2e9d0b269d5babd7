/** Conversions between a field's natural value (see ./types.ts) and its wire bytes. */
import { EncodeError } from '../errors.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import type { ValueKind } from './registry.js';
import type { FieldValue } from './types.js';

const HEX2: string[] = Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16));

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Parses `aa:bb:cc:dd:ee:ff` (1 or 2 hex digits per byte) into 6 bytes, or null. */
export function parseMac(s: string): Uint8Array | null {
  const out = new Uint8Array(6);
  let i = 0;
  for (let k = 0; k < 6; k++) {
    if (k) {
      if (s.charCodeAt(i) !== 58) return null;
      i++;
    }
    const a = hexDigit(s.charCodeAt(i));
    if (a < 0) return null;
    const b = hexDigit(s.charCodeAt(i + 1));
    if (b < 0) {
      out[k] = a;
      i += 1;
    } else {
      out[k] = a * 16 + b;
      i += 2;
    }
  }
  return i === s.length ? out : null;
}

/** `aa:bb:cc:dd:ee:ff` from 6 bytes at `at`. */
export function formatMac(b: Uint8Array, at = 0): string {
  return `${HEX2[b[at]!]}:${HEX2[b[at + 1]!]}:${HEX2[b[at + 2]!]}:${HEX2[b[at + 3]!]}:${HEX2[b[at + 4]!]}:${HEX2[b[at + 5]!]}`;
}

export function writeMac(w: Writer, mac: string, path: string): void {
  w.ensure(6);
  const buf = w.buf;
  const at = w.pos;
  // Fast path: the canonical aa:bb:cc:dd:ee:ff, straight into the buffer.
  if (typeof mac === 'string' && mac.length === 17) {
    let ok = true;
    for (let k = 0; k < 6 && ok; k++) {
      const i = k * 3;
      const a = hexDigit(mac.charCodeAt(i));
      const b = hexDigit(mac.charCodeAt(i + 1));
      if (a < 0 || b < 0 || (k < 5 && mac.charCodeAt(i + 2) !== 58)) ok = false;
      else buf[at + k] = a * 16 + b;
    }
    if (ok) {
      w.pos = at + 6;
      return;
    }
  }
  const b = typeof mac === 'string' ? parseMac(mac) : null;
  if (!b) throw new EncodeError(`"${String(mac)}" is not an Ethernet address`, path);
  w.bytes(b);
}

export function readMac(r: Reader, structure: string): string {
  r.need(6, structure);
  const s = formatMac(r.buf, r.pos);
  r.pos += 6;
  return s;
}

/** Parses dotted-quad IPv4 into a u32, or returns -1. */
export function parseIpv4(s: string): number {
  let acc = 0;
  let octet = -1;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (octet < 0 || dots === 3) return -1;
      acc = acc * 256 + octet;
      octet = -1;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      octet = octet < 0 ? c - 48 : octet * 10 + (c - 48);
      if (octet > 255 || ++digits > 3) return -1;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || octet < 0) return -1;
  return acc * 256 + octet;
}

export function formatIpv4(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

export function writeIpv4(w: Writer, ip: string | number, path: string): void {
  const v = typeof ip === 'number' ? ip : parseIpv4(ip);
  if (v < 0 || v > 0xffffffff || !Number.isInteger(v)) {
    throw new EncodeError(`"${ip}" is not an IPv4 address`, path);
  }
  w.u32(v);
}

export function readIpv4(r: Reader, structure: string): string {
  return formatIpv4(r.u32(structure));
}

function parseHexGroup(s: string, from: number, to: number): number {
  if (to <= from || to - from > 4) return -1;
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = hexDigit(s.charCodeAt(i));
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/** Parses IPv6 text (with `::` and an optional dotted-quad tail), as inet_pton does, into 16 bytes, or null. */
export function parseIpv6(s: string): Uint8Array | null {
  if (typeof s !== 'string' || s.length < 2 || s.length > 45) return null;
  const groups: number[] = [];
  let gap = -1;
  let i = 0;
  if (s.startsWith('::')) {
    gap = 0;
    i = 2;
    if (i === s.length) return new Uint8Array(16);
  } else if (s.charCodeAt(0) === 58) {
    return null;
  }
  while (i < s.length) {
    let j = i;
    while (j < s.length && s.charCodeAt(j) !== 58) j++;
    const piece = s.slice(i, j);
    if (j === s.length && piece.includes('.')) {
      const v4 = parseIpv4(piece);
      if (v4 < 0 || groups.length > 6) return null;
      groups.push(v4 >>> 16, v4 & 0xffff);
      break;
    }
    const g = parseHexGroup(s, i, j);
    if (g < 0) return null;
    groups.push(g);
    if (j === s.length) break;
    // j points at ':'
    if (s.charCodeAt(j + 1) === 58) {
      if (gap >= 0) return null;
      gap = groups.length;
      i = j + 2;
      if (i === s.length) break;
    } else {
      i = j + 1;
      if (i === s.length) return null;
    }
  }
  if (groups.length > 8 || (gap < 0 && groups.length !== 8) || (gap >= 0 && groups.length > 7)) return null;
  const out = new Uint8Array(16);
  const tailStart = gap < 0 ? 8 : 8 - (groups.length - gap);
  for (let k = 0; k < groups.length; k++) {
    const slot = gap >= 0 && k >= gap ? tailStart + (k - gap) : k;
    out[2 * slot] = groups[k]! >>> 8;
    out[2 * slot + 1] = groups[k]! & 255;
  }
  return out;
}

/** RFC 5952 text, as inet_ntop prints it (IPv4-mapped and -compatible forms included). */
export function formatIpv6(b: Uint8Array, at = 0): string {
  const g0 = (b[at]! << 8) | b[at + 1]!;
  const g = new Array<number>(8);
  g[0] = g0;
  for (let i = 1; i < 8; i++) g[i] = (b[at + 2 * i]! << 8) | b[at + 2 * i + 1]!;
  // inet_ntop prints ::ffff:a.b.c.d and ::a.b.c.d (the latter only when not ::/::1-like).
  if (g0 === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && (g[5] === 0xffff || (g[5] === 0 && g[6] !== 0))) {
    const v4 = `${b[at + 12]}.${b[at + 13]}.${b[at + 14]}.${b[at + 15]}`;
    return g[5] === 0xffff ? `::ffff:${v4}` : `::${v4}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      s += '::';
      i += bestLen - 1;
      continue;
    }
    if (s.length && !s.endsWith(':')) s += ':';
    s += g[i]!.toString(16);
  }
  return s;
}

export function writeIpv6(w: Writer, ip: string, path: string): void {
  const b = typeof ip === 'string' ? parseIpv6(ip) : null;
  if (!b) throw new EncodeError(`"${String(ip)}" is not an IPv6 address`, path);
  w.bytes(b);
}

export function readIpv6(r: Reader, structure: string): string {
  r.need(16, structure);
  const s = formatIpv6(r.buf, r.pos);
  r.pos += 16;
  return s;
}

function toBigInt(v: FieldValue, path: string): bigint {
  if (typeof v === 'bigint' && v >= 0n) return v;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'string' && /^(0x[0-9a-fA-F]+|[0-9]+)$/.test(v)) return BigInt(v);
  throw new EncodeError(`${String(v)} is not an unsigned integer`, path);
}

/** The largest unsigned integer of 0 to 4 bytes (a table: `2 ** (bytes * 8)` would call Math.pow). */
const UINT_MAX = [0, 0xff, 0xffff, 0xffffff, 0xffffffff];

/** Writes an unsigned integer of `bytes` width; numbers, bigints and "0x…"/decimal strings accepted. */
export function writeUint(w: Writer, v: FieldValue, bytes: number, path: string): void {
  if (typeof v === 'number' && bytes <= 4) {
    if (!Number.isInteger(v) || v < 0 || v > UINT_MAX[bytes]!) {
      throw new EncodeError(`${v} does not fit in ${bytes * 8} bits`, path);
    }
    if (bytes === 4) w.u32(v);
    else if (bytes === 2) w.u16(v);
    else if (bytes === 1) w.u8(v);
    else {
      w.u8(v >>> 16);
      w.u16(v & 0xffff);
    }
    return;
  }
  if (Buffer.isBuffer(v)) {
    if (v.length !== bytes) throw new EncodeError(`${v.length}-byte value for a ${bytes}-byte field`, path);
    w.bytes(v);
    return;
  }
  const big = toBigInt(v, path);
  if (bytes === 8) {
    if (big > 0xffffffffffffffffn) throw new EncodeError(`${String(v)} does not fit in 64 bits`, path);
    w.ensure(8);
    w.buf.writeBigUInt64BE(big, w.pos);
    w.pos += 8;
    return;
  }
  if (big >> BigInt(bytes * 8) !== 0n) throw new EncodeError(`${String(v)} does not fit in ${bytes * 8} bits`, path);
  w.ensure(bytes);
  if (bytes === 16) {
    w.buf.writeBigUInt64BE(big >> 64n, w.pos);
    w.buf.writeBigUInt64BE(big & 0xffffffffffffffffn, w.pos + 8);
  } else {
    let x = big;
    for (let i = bytes - 1; i >= 0; i--) {
      w.buf[w.pos + i] = Number(x & 0xffn);
      x >>= 8n;
    }
  }
  w.pos += bytes;
}

/** The u32 at `buf[at]`, which must be in bounds (no call into Buffer's checked readers). */
export function u32At(buf: Uint8Array, at: number): number {
  return ((buf[at]! << 24) | (buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!) >>> 0;
}

/** The unsigned integer of `bytes` width at `buf[at]`: number up to 4 bytes, bigint beyond. */
export function uintAt(buf: Buffer, at: number, bytes: number): number | bigint {
  switch (bytes) {
    case 1:
      return buf[at]!;
    case 2:
      return (buf[at]! << 8) | buf[at + 1]!;
    case 3:
      return (buf[at]! << 16) | (buf[at + 1]! << 8) | buf[at + 2]!;
    case 4:
      return u32At(buf, at);
    case 8:
      return buf.readBigUInt64BE(at);
    case 16:
      return (buf.readBigUInt64BE(at) << 64n) | buf.readBigUInt64BE(at + 8);
    default: {
      let acc = 0n;
      for (let i = 0; i < bytes; i++) acc = (acc << 8n) | BigInt(buf[at + i]!);
      return acc;
    }
  }
}

/** Reads an unsigned integer: number up to 4 bytes, bigint beyond. */
export function readUint(r: Reader, bytes: number, structure: string): number | bigint {
  r.need(bytes, structure);
  const v = uintAt(r.buf, r.pos, bytes);
  r.pos += bytes;
  return v;
}

export function writeValue(w: Writer, kind: ValueKind, bytes: number, v: FieldValue, path: string): void {
  switch (kind) {
    case 'uint':
      return writeUint(w, v, bytes, path);
    case 'ipv4':
      if (typeof v === 'string' || typeof v === 'number') return writeIpv4(w, v, path);
      break;
    case 'mac':
      if (typeof v === 'string') return writeMac(w, v, path);
      break;
    case 'ipv6':
      if (typeof v === 'string') return writeIpv6(w, v, path);
      break;
    case 'bytes':
      if (Buffer.isBuffer(v) && v.length <= bytes) return w.bytes(v);
      throw new EncodeError(`a Buffer of at most ${bytes} bytes is required`, path);
  }
  if (Buffer.isBuffer(v) && v.length === bytes) return w.bytes(v);
  throw new EncodeError(`${String(v)} is not a valid ${kind} value`, path);
}

/** The value of `kind` in `bytes` bytes at `buf[at]`. */
export function valueAt(buf: Buffer, at: number, kind: ValueKind, bytes: number): FieldValue {
  switch (kind) {
    case 'uint':
      return uintAt(buf, at, bytes);
    case 'ipv4':
      return formatIpv4(u32At(buf, at));
    case 'mac':
      return formatMac(buf, at);
    case 'ipv6':
      return formatIpv6(buf, at);
    case 'bytes':
      return Buffer.from(buf.subarray(at, at + bytes));
  }
}

export function readValue(r: Reader, kind: ValueKind, bytes: number, structure: string): FieldValue {
  r.need(bytes, structure);
  const v = valueAt(r.buf, r.pos, kind, bytes);
  r.pos += bytes;
  return v;
}
