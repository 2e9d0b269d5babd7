/**
 * OpenFlow TLV properties (struct ofp_prop_header): u16 type, u16 length (header included, padding
 * excluded), the body, then zero padding to an 8-byte boundary that the length does not count.
 */
import { EncodeError } from '../errors.js';
import type { RawProperty } from '../message.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import { putBytes } from './put-lenient.js';

export interface PropertyView {
  type: number;
  /** Reader bounded to the body (after the 4-byte header, before the padding). */
  body: Reader;
  /** Offset of the property header in the reader's buffer. */
  start: number;
}

/** Reads one property and its padding; `r` moves past both. */
export function readProperty(r: Reader, structure: string): PropertyView {
  const start = r.pos;
  const type = r.u16(structure);
  const len = r.u16(structure);
  if (len < 4) r.fail(`property length ${len} is shorter than its 4-byte header`, structure, start);
  const body = r.sub(len - 4, structure);
  const pad = (8 - (len % 8)) % 8;
  if (r.remaining < pad) r.fail(`property of length ${len} lacks its ${pad} bytes of padding`, structure, start);
  r.pad(pad, `${structure}.pad`);
  return { type, body, start };
}

/** Calls `each` for every property until the reader's end. */
export function readProperties(r: Reader, structure: string, each: (p: PropertyView) => void): void {
  while (r.remaining > 0) each(readProperty(r, structure));
}

/** Writes one property: header, `body()`, the length, then padding. */
export function writeProperty(w: Writer, type: number, path: string, body: () => void): void {
  const start = w.pos;
  w.u16(type);
  w.u16(0);
  body();
  w.fillLength16(start, start + 2, path);
  w.padFrom(start, 8);
}

export function readRawProperties(r: Reader, structure: string): RawProperty[] {
  const out: RawProperty[] = [];
  readProperties(r, structure, (p) => out.push({ type: p.type, data: p.body.bytes(p.body.remaining, structure) }));
  return out;
}

export function writeRawProperties(w: Writer, props: readonly RawProperty[], path: string): void {
  props.forEach((p, i) => {
    const at = `${path}[${i}]`;
    checkUint(p.type, 16, `${at}.type`);
    writeProperty(w, p.type, at, () => putBytes(w, p.data, at, 'data'));
  });
}

/** A property holding nested properties: 4 bytes of zero padding come first. */
export function nestedBody(p: PropertyView, structure: string): Reader {
  p.body.pad(4, `${structure}.pad`);
  return p.body;
}

export function writeNested(w: Writer, type: number, path: string, body: () => void): void {
  writeProperty(w, type, path, () => {
    w.zeros(4);
    body();
  });
}

/** Body readers for the fixed-size property values Open vSwitch writes. */
export function propU8(p: PropertyView, s: string): number {
  expectLen(p, 1, s);
  return p.body.u8(s);
}

/** A 16-bit value: OpenFlow gives these properties 2 bytes of padding inside the length. */
export function propU16(p: PropertyView, s: string): number {
  expectLen(p, 4, s);
  const v = p.body.u16(s);
  p.body.pad(2, s);
  return v;
}

export function propU32(p: PropertyView, s: string): number {
  expectLen(p, 4, s);
  return p.body.u32(s);
}

/** A 64-bit value: 4 bytes of padding align it inside the property. */
export function propU64(p: PropertyView, s: string): bigint {
  expectLen(p, 12, s);
  p.body.pad(4, s);
  return p.body.u64(s);
}

function expectLen(p: PropertyView, n: number, s: string): void {
  if (p.body.remaining !== n) {
    p.body.fail(`property type ${p.type} has a ${p.body.remaining}-byte value, expected ${n}`, s, p.start);
  }
}

export function writePropU8(w: Writer, type: number, v: number, path: string): void {
  writeProperty(w, type, path, () => w.u8(checkUint(v, 8, path)));
}

export function writePropU16(w: Writer, type: number, v: number, path: string): void {
  writeProperty(w, type, path, () => {
    w.u16(checkUint(v, 16, path));
    w.zeros(2);
  });
}

export function writePropU32(w: Writer, type: number, v: number, path: string): void {
  writeProperty(w, type, path, () => w.u32(checkUint(v, 32, path)));
}

export function writePropU64(w: Writer, type: number, v: bigint, path: string): void {
  if (!(typeof v === 'bigint' && v >= 0n && v <= 0xffffffffffffffffn)) {
    throw new EncodeError(`${String(v)} is not an unsigned 64-bit bigint`, path);
  }
  writeProperty(w, type, path, () => {
    w.zeros(4);
    w.u64(v);
  });
}

export function checkUint(v: number, bits: number, path: string): number {
  if (!Number.isInteger(v) || v < 0 || v >= 2 ** bits) {
    throw new EncodeError(`${String(v)} is not an unsigned ${bits}-bit integer`, path);
  }
  return v;
}

/**
 * Property order: decoders note the order properties arrived in, and keep it on the message only
 * when it differs from the order the encoder would use, so re-encoding is byte-exact either way.
 */
export function orderIfUnusual(seen: readonly number[], canonical: readonly number[]): number[] | undefined {
  if (seen.length === canonical.length && seen.every((t, i) => t === canonical[i])) return undefined;
  return [...seen];
}

/** Rejects a property type seen twice where the message can hold it only once. */
export function once(seen: number[], p: PropertyView, s: string): void {
  if (seen.includes(p.type)) p.body.fail(`property type ${p.type} appears twice`, s, p.start);
  seen.push(p.type);
}
