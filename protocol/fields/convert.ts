/** Field values as unsigned bigints and back (for the text, prerequisite and canonical-form paths). */
import type { FieldDef } from './registry.js';
import { fieldBytes } from './registry.js';
import type { FieldValue } from './types.js';
import { formatIpv4, formatIpv6, formatMac, parseIpv4, parseIpv6, parseMac } from './values.js';

export function bytesToBig(b: Uint8Array): bigint {
  let acc = 0n;
  for (const x of b) acc = (acc << 8n) | BigInt(x);
  return acc;
}

export function bigToBytes(v: bigint, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = n - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

const ONES: bigint[] = [];

/** 2^bits − 1 (remembered: masks are asked for the same few widths over and over). */
export function ones(bits: number): bigint {
  return (ONES[bits] ??= (1n << BigInt(bits)) - 1n);
}

const SMALL: bigint[] = [];

/** BigInt(v), without a new allocation for the small values fields hold again and again (ports, protocols, flags). */
export function smallBig(v: number): bigint {
  return v >= 0 && v < 0x10000 ? (SMALL[v] ??= BigInt(v)) : BigInt(v);
}

/** The value (or mask) of `def` as an unsigned integer; throws a one-line Error when it is not one. */
export function toBig(def: FieldDef, v: FieldValue): bigint {
  const bytes = fieldBytes(def);
  let out: bigint | null = null;
  if (typeof v === 'bigint') out = v;
  else if (typeof v === 'number' && Number.isInteger(v)) out = smallBig(v);
  else if (typeof v === 'string') {
    if (def.kind === 'ipv4') {
      const n = parseIpv4(v);
      if (n >= 0) out = BigInt(n);
    } else if (def.kind === 'mac') {
      const b = parseMac(v);
      if (b) out = bytesToBig(b);
    } else if (def.kind === 'ipv6') {
      const b = parseIpv6(v);
      if (b) out = bytesToBig(b);
    }
  } else if (Buffer.isBuffer(v) && v.length === bytes) out = bytesToBig(v);
  if (out === null || out < 0n || out > ones(bytes * 8)) {
    throw new Error(`${String(v)} is not a valid ${def.name} value`);
  }
  return out;
}

/** The natural value (see ./types.ts) of `def` for an unsigned integer. */
export function fromBig(def: FieldDef, v: bigint): FieldValue {
  const bytes = fieldBytes(def);
  switch (def.kind) {
    case 'ipv4':
      return formatIpv4(Number(v));
    case 'mac':
      return formatMac(bigToBytes(v, 6));
    case 'ipv6':
      return formatIpv6(bigToBytes(v, 16));
    case 'bytes':
      return Buffer.from(bigToBytes(v, bytes));
    case 'uint':
      return bytes <= 4 ? Number(v) : v;
  }
}
