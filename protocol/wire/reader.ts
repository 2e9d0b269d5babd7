import { ProtocolError } from '../errors.js';

const EMPTY = Buffer.alloc(0);

/** A DataView over the buffer u64At last read (u64 fields come in runs over one message). */
let viewed: Buffer | undefined;
let view: DataView | undefined;

/** The u64 at `buf[at]`, which must be in bounds. */
export function u64At(buf: Buffer, at: number): bigint {
  if (buf !== viewed) {
    view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    viewed = buf;
  }
  // DataView builds the bigint in one step: about half the cost of readBigUInt64BE.
  return view!.getBigUint64(at);
}

/**
 * `err` renamed, when it is a ProtocolError raised under the structure name `from` (or a name
 * beginning `from.` or `from[`), to begin with `to` instead; any other error as it is. Hot loops read
 * under a fixed name and build the precise one (`flows[12].match`) only when something fails.
 */
export function renameStructure(err: unknown, from: string, to: string): unknown {
  if (!(err instanceof ProtocolError)) return err;
  const s = err.structure;
  if (!s.startsWith(from)) return err;
  const next = s.charCodeAt(from.length);
  if (s.length !== from.length && next !== 46 /* . */ && next !== 91 /* [ */) return err;
  return new ProtocolError(err.reason, err.offset, to + s.slice(from.length));
}

/**
 * A bounded big-endian cursor. Every read checks the bound and raises ProtocolError with the absolute
 * offset and the structure being read; nothing reads past `end`.
 */
export class Reader {
  readonly buf: Buffer;
  pos: number;
  /**
   * Nothing is read at or past it. Hot loops narrow it to one record, action or instruction, read it
   * in place and put the outer end back (a `sub` reader each would cost an allocation).
   */
  end: number;
  /** Absolute offset of `buf[0]` in the outermost input, for error messages. */
  readonly base: number;

  constructor(buf: Uint8Array, start = 0, end = buf.length, base = 0) {
    this.buf = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
    this.end = end;
    this.base = base;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** Absolute offset of the cursor. */
  get offset(): number {
    return this.base + this.pos;
  }

  fail(reason: string, structure: string, at = this.pos): never {
    throw new ProtocolError(reason, this.base + at, structure);
  }

  need(n: number, structure: string): void {
    if (this.end - this.pos < n) {
      this.fail(`needs ${n} bytes, only ${this.end - this.pos} left`, structure);
    }
  }

  u8(structure: string): number {
    if (this.pos + 1 > this.end) this.need(1, structure);
    return this.buf[this.pos++]!;
  }

  u16(structure: string): number {
    if (this.pos + 2 > this.end) this.need(2, structure);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 2;
    return (b[p]! << 8) | b[p + 1]!;
  }

  u32(structure: string): number {
    if (this.pos + 4 > this.end) this.need(4, structure);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 4;
    return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
  }

  u64(structure: string): bigint {
    if (this.pos + 8 > this.end) this.need(8, structure);
    const v = u64At(this.buf, this.pos);
    this.pos += 8;
    return v;
  }

  /** A view (not a copy) of the next n bytes. */
  view(n: number, structure: string): Buffer {
    if (n < 0 || this.pos + n > this.end) this.need(n, structure);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** A copy of the next n bytes (safe to keep after the input buffer is reused). */
  bytes(n: number, structure: string): Buffer {
    if (n === 0) return EMPTY;
    return Buffer.from(this.view(n, structure));
  }

  skip(n: number, structure: string): void {
    if (n < 0 || this.pos + n > this.end) this.need(n, structure);
    this.pos += n;
  }

  /** Skips padding that must be zero. */
  pad(n: number, structure: string): void {
    if (this.pos + n > this.end) this.need(n, structure);
    for (let i = this.pos; i < this.pos + n; i++) {
      if (this.buf[i] !== 0) this.fail('non-zero padding', structure, i);
    }
    this.pos += n;
  }

  /** The offset just past the next n bytes, checked as `sub` checks it (to read them in place). */
  limit(n: number, structure: string): number {
    if (n < 0 || this.pos + n > this.end) {
      this.fail(`length ${n} runs past the end (${this.end - this.pos} bytes left)`, structure);
    }
    return this.pos + n;
  }

  /** A bounded reader over the next n bytes; this reader moves past them. */
  sub(n: number, structure: string): Reader {
    const end = this.limit(n, structure);
    const r = new Reader(this.buf, this.pos, end, this.base);
    this.pos = end;
    return r;
  }

  /** Raises unless every byte was consumed. */
  done(structure: string): void {
    if (this.pos !== this.end) this.fail(`${this.end - this.pos} unexpected trailing bytes`, structure);
  }
}
