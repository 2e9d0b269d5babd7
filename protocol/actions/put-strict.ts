/**
 * Strict range-checked writers for action fields: a value that does not fit its wire field raises
 * EncodeError naming the field instead of being truncated, a 64-bit value must be a bigint and bytes
 * a Buffer (unlike ../messages/put-lenient.ts). The path is only built on failure.
 */
import { EncodeError } from '../errors.js';
import type { Writer } from '../wire/writer.js';

function bad(v: unknown, what: string, path: string, name: string): never {
  const shown = typeof v === 'bigint' ? `${v}n` : (JSON.stringify(v) ?? String(v));
  throw new EncodeError(`${shown} is not ${what}`, `${path}.${name}`);
}

export function put8(w: Writer, v: number, path: string, name: string): void {
  if (!(v >>> 0 === v && v <= 0xff)) bad(v, 'an unsigned 8-bit integer', path, name);
  w.u8(v);
}

export function put16(w: Writer, v: number, path: string, name: string): void {
  if (!(v >>> 0 === v && v <= 0xffff)) bad(v, 'an unsigned 16-bit integer', path, name);
  w.u16(v);
}

export function put32(w: Writer, v: number, path: string, name: string): void {
  if (!(v >>> 0 === v)) bad(v, 'an unsigned 32-bit integer', path, name);
  w.u32(v);
}

export function put64(w: Writer, v: bigint, path: string, name: string): void {
  if (typeof v !== 'bigint' || v < 0n || v > 0xffffffffffffffffn) bad(v, 'an unsigned 64-bit bigint', path, name);
  w.u64(v);
}

export function putBuffer(w: Writer, v: Buffer, path: string, name: string): void {
  if (!Buffer.isBuffer(v)) bad(v, 'a Buffer', path, name);
  w.bytes(v);
}

export function checkArray<T>(v: readonly T[], path: string, name: string): readonly T[] {
  const value: unknown = v; // tested as unknown: Array.isArray would make v any[]
  if (!Array.isArray(value)) bad(v, 'an array', path, name);
  return v;
}

/** A boolean flag must really be boolean (or absent). */
export function checkFlag(v: unknown, path: string, name: string): boolean {
  if (v !== undefined && typeof v !== 'boolean') bad(v, 'a boolean', path, name);
  return v === true;
}

/** Writes n zero bytes (a byte loop: cheaper than Buffer.fill for the few bytes actions pad with). */
export function putZeros(w: Writer, n: number): void {
  w.ensure(n);
  const b = w.buf;
  let p = w.pos;
  for (const end = p + n; p < end; p++) b[p] = 0;
  w.pos = p;
}
