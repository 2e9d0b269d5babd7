/** Conversions between a field's natural value (see ./types.ts) and its wire bytes. */
import { EncodeError } from '../errors.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import type { ValueKind } from './registry.js';
import type { FieldValue } from './types.js';

export function writeMac(w: Writer, mac: string, path: string): void {
  const parts = mac.split(':');
  if (parts.length !== 6) throw new EncodeError(`"${mac}" is not an Ethernet address`, path);
  w.ensure(6);
  for (const p of parts) {
    const v = parseInt(p, 16);
    if (!(p.length >= 1 && p.length <= 2) || Number.isNaN(v) || !/^[0-9a-fA-F]+$/.test(p)) {
      throw new EncodeError(`"${mac}" is not an Ethernet address`, path);
    }
    w.buf[w.pos++] = v;
  }
}

export function readMac(r: Reader, structure: string): string {
  const v = r.view(6, structure);
  let s = '';
  for (let i = 0; i < 6; i++) {
    if (i) s += ':';
    const b = v[i]!;
    s += (b < 16 ? '0' : '') + b.toString(16);
  }
  return s;
}

/** Parses dotted-quad IPv4 into a u32, or returns -1. */
export function parseIpv4(s: string): number {
  let acc = 0;
  let octet = -1;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (octet < 0 || dots === 3) return -1;
      acc = acc * 256 + octet;
      octet = -1;
      dots++;
    } else if (c >= 48 && c <= 57) {
      octet = octet < 0 ? c - 48 : octet * 10 + (c - 48);
      if (octet > 255) return -1;
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

/** Parses IPv6 text (with `::` and an optional dotted-quad tail) into 16 bytes, or null. */
export function parseIpv6(s: string): Uint8Array | null {
  const out = new Uint8Array(16);
  const dbl = s.indexOf('::');
  if (dbl !== s.lastIndexOf('::')) return null;
  const head = dbl >= 0 ? s.slice(0, dbl) : s;
  const tail = dbl >= 0 ? s.slice(dbl + 2) : '';
  const groups = (part: string): number[] | null => {
    if (part === '') return [];
    const res: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const p = pieces[i]!;
      if (i === pieces.length - 1 && p.includes('.')) {
        const v4 = parseIpv4(p);
        if (v4 < 0) return null;
        res.push(v4 >>> 16, v4 & 0xffff);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return null;
        res.push(parseInt(p, 16));
      }
    }
    return res;
  };
  const h = groups(head);
  const t = groups(tail);
  if (!h || !t) return null;
  if (dbl < 0 ? h.length !== 8 : h.length + t.length > 7) return null;
  const all = dbl < 0 ? h : [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  for (let i = 0; i < 8; i++) {
    out[2 * i] = all[i]! >>> 8;
    out[2 * i + 1] = all[i]! & 255;
  }
  return out;
}

/** RFC 5952 text, as inet_ntop prints it (IPv4-mapped and -compatible forms included). */
export function formatIpv6(b: Uint8Array): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((b[2 * i]! << 8) | b[2 * i + 1]!);
  // inet_ntop prints ::ffff:a.b.c.d and ::a.b.c.d (the latter only when not ::/::1-like).
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && (g[5] === 0xffff || (g[5] === 0 && g[6] !== 0))) {
    const v4 = `${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
    return g[5] === 0xffff ? `::ffff:${v4}` : `::${v4}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
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
  const hex = (a: number[]) => a.map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return hex(g);
  return `${hex(g.slice(0, bestStart))}::${hex(g.slice(bestStart + bestLen))}`;
}

export function writeIpv6(w: Writer, ip: string, path: string): void {
  const b = typeof ip === 'string' ? parseIpv6(ip) : null;
  if (!b) throw new EncodeError(`"${String(ip)}" is not an IPv6 address`, path);
  w.bytes(b);
}

export function readIpv6(r: Reader, structure: string): string {
  return formatIpv6(r.view(16, structure));
}

function toBigInt(v: FieldValue, path: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'string' && /^(0x[0-9a-fA-F]+|[0-9]+)$/.test(v)) return BigInt(v);
  throw new EncodeError(`${String(v)} is not an unsigned integer`, path);
}

/** Writes an unsigned integer of `bytes` width; numbers, bigints and "0x…"/decimal strings accepted. */
export function writeUint(w: Writer, v: FieldValue, bytes: number, path: string): void {
  if (typeof v === 'number' && bytes <= 4) {
    if (!Number.isInteger(v) || v < 0 || v >= 2 ** (bytes * 8)) {
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
  if (big >> BigInt(bytes * 8) !== 0n) throw new EncodeError(`${String(v)} does not fit in ${bytes * 8} bits`, path);
  w.ensure(bytes);
  for (let i = bytes - 1; i >= 0; i--) {
    w.buf[w.pos + i] = Number(big >> BigInt((bytes - 1 - i) * 8) & 0xffn);
  }
  w.pos += bytes;
}

/** Reads an unsigned integer: number up to 4 bytes, bigint beyond. */
export function readUint(r: Reader, bytes: number, structure: string): number | bigint {
  switch (bytes) {
    case 1:
      return r.u8(structure);
    case 2:
      return r.u16(structure);
    case 4:
      return r.u32(structure);
    case 3: {
      const hi = r.u8(structure);
      return hi * 65536 + r.u16(structure);
    }
    case 8:
      return r.u64(structure);
    default: {
      const v = r.view(bytes, structure);
      let acc = 0n;
      for (const b of v) acc = (acc << 8n) | BigInt(b);
      return acc;
    }
  }
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
  }
  if (Buffer.isBuffer(v) && v.length === bytes) return w.bytes(v);
  throw new EncodeError(`${String(v)} is not a valid ${kind} value`, path);
}

export function readValue(r: Reader, kind: ValueKind, bytes: number, structure: string): FieldValue {
  switch (kind) {
    case 'uint':
      return readUint(r, bytes, structure);
    case 'ipv4':
      return readIpv4(r, structure);
    case 'mac':
      return readMac(r, structure);
    case 'ipv6':
      return readIpv6(r, structure);
  }
}
