import { EncodeError } from '../errors.js';

/**
 * A growable big-endian byte writer, reused across messages.
 * Structures reserve their length field with `mark()` and back-fill it with `fillLength16()`.
 */
export class Writer {
  buf: Buffer;
  pos = 0;
  /** A DataView over `buf` (made again when `buf` changes), for 64-bit values. */
  private view: DataView | undefined;
  private viewed: Buffer | undefined;

  constructor(initialSize = 4096) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  reset(): this {
    this.pos = 0;
    return this;
  }

  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  u16(v: number): void {
    this.ensure(2);
    const b = this.buf;
    let p = this.pos;
    b[p++] = v >>> 8;
    b[p++] = v;
    this.pos = p;
  }

  u32(v: number): void {
    this.ensure(4);
    const b = this.buf;
    let p = this.pos;
    b[p++] = v >>> 24;
    b[p++] = v >>> 16;
    b[p++] = v >>> 8;
    b[p++] = v;
    this.pos = p;
  }

  /** Writes the low 64 bits of `v`. */
  u64(v: bigint): void {
    this.ensure(8);
    const buf = this.buf;
    if (buf !== this.viewed) {
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      this.viewed = buf;
    }
    // DataView takes the bigint as it is (modulo 2^64): no shifts, masks or Number() conversions.
    this.view!.setBigUint64(this.pos, v);
    this.pos += 8;
  }

  bytes(src: Uint8Array): void {
    this.ensure(src.length);
    this.buf.set(src, this.pos);
    this.pos += src.length;
  }

  zeros(n: number): void {
    this.ensure(n);
    const b = this.buf;
    let p = this.pos;
    if (n <= 16) {
      for (const end = p + n; p < end; p++) b[p] = 0;
    } else {
      b.fill(0, p, p + n);
      p += n;
    }
    this.pos = p;
  }

  /** Pads with zeros so that (pos - start) is a multiple of `align`. */
  padFrom(start: number, align = 8): void {
    const rem = (this.pos - start) % align;
    if (rem) this.zeros(align - rem);
  }

  /** Current offset, to be passed to `fillLength16` once the structure is written. */
  mark(): number {
    return this.pos;
  }

  /** Writes `this.pos - start` as a u16 at `at`; refuses structures longer than 65535 bytes. */
  fillLength16(start: number, at: number, what: string): void {
    const len = this.pos - start;
    if (len > 0xffff) {
      throw new EncodeError(`encoded length ${len} exceeds the 65535-byte limit of its 16-bit length field`, what);
    }
    this.buf[at] = len >>> 8;
    this.buf[at + 1] = len;
  }

  setU16(at: number, v: number): void {
    this.buf[at] = v >>> 8;
    this.buf[at + 1] = v;
  }

  setU32(at: number, v: number): void {
    this.buf.writeUInt32BE(v >>> 0, at);
  }

  /** A copy of bytes [start, pos). */
  copyFrom(start: number): Buffer {
    // allocUnsafe + copy: Buffer.from(subarray) takes a slower, generic path for the same result.
    const out = Buffer.allocUnsafe(this.pos - start);
    this.buf.copy(out, 0, start, this.pos);
    return out;
  }
}
