/**
 * Lenient range-checked writers for message fields: a value that does not fit its wire field raises
 * EncodeError naming the field (or saying it is missing) instead of being truncated; unlike
 * ../actions/put-strict.ts, a 64-bit value may also be a safe integer number and bytes any Uint8Array.
 */
import { EncodeError } from '../errors.js';
import type { Writer } from '../wire/writer.js';

function bad(v: unknown, what: string, path: string, name: string): never {
  if (v === undefined) throw new EncodeError(`missing (${what})`, `${path}.${name}`);
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- whatever the caller passed, shown as it is
  const shown = typeof v === 'bigint' ? `${v}n` : (JSON.stringify(v) ?? String(v));
  throw new EncodeError(`${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown} is not ${what}`, `${path}.${name}`);
}

export function put8(w: Writer, v: number, path: string, name: string): void {
  if (!(Number.isInteger(v) && v >= 0 && v <= 0xff)) bad(v, 'an unsigned 8-bit integer', path, name);
  w.u8(v);
}

export function put16(w: Writer, v: number, path: string, name: string): void {
  if (!(Number.isInteger(v) && v >= 0 && v <= 0xffff)) bad(v, 'an unsigned 16-bit integer', path, name);
  w.u16(v);
}

export function put32(w: Writer, v: number, path: string, name: string): void {
  if (!(Number.isInteger(v) && v >= 0 && v <= 0xffffffff)) bad(v, 'an unsigned 32-bit integer', path, name);
  w.u32(v);
}

/** A 64-bit field: a bigint, or a safe non-negative integer number. */
export function put64(w: Writer, v: bigint | number, path: string, name: string): void {
  if (typeof v === 'number') {
    if (!(Number.isSafeInteger(v) && v >= 0)) bad(v, 'an unsigned 64-bit integer', path, name);
    v = BigInt(v);
  } else if (typeof v !== 'bigint' || v < 0n || v > 0xffffffffffffffffn) {
    bad(v, 'an unsigned 64-bit integer', path, name);
  }
  w.u64(v);
}

export function putBytes(w: Writer, v: Uint8Array, path: string, name: string): void {
  if (!(v instanceof Uint8Array)) bad(v, 'a Buffer', path, name);
  w.bytes(v);
}

export function checkArray<T>(v: readonly T[], path: string, name: string): readonly T[] {
  const value: unknown = v; // tested as unknown: Array.isArray would make v any[]
  if (!Array.isArray(value)) bad(v, 'an array', path, name);
  return v;
}
