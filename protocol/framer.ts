/**
 * Splits a byte stream into whole OpenFlow messages. Chunks may split a message anywhere or carry
 * many; the framer keeps the remainder between pushes and never copies a message it can hand out
 * as a view of the current chunk.
 */
import { ProtocolError } from './errors.js';
import { OFP_HEADER_LEN } from './codec.js';

export class Framer {
  private pending: Buffer | null = null;
  /** Bytes consumed from the stream so far (for error offsets). */
  private consumed = 0;

  /** Feeds a chunk; returns the whole messages it completes (views valid until the next push). */
  push(chunk: Buffer): Buffer[] {
    let buf = chunk;
    if (this.pending) {
      buf = Buffer.concat([this.pending, chunk]);
      this.pending = null;
    }
    const out: Buffer[] = [];
    let pos = 0;
    while (buf.length - pos >= OFP_HEADER_LEN) {
      const len = (buf[pos + 2]! << 8) | buf[pos + 3]!;
      if (len < OFP_HEADER_LEN) {
        throw new ProtocolError(`message length ${len} is shorter than the 8-byte header`, this.consumed + pos, 'ofp_header');
      }
      if (buf.length - pos < len) break;
      out.push(buf.subarray(pos, pos + len));
      pos += len;
    }
    if (pos < buf.length) this.pending = Buffer.from(buf.subarray(pos));
    this.consumed += pos;
    return out;
  }

  /** Bytes held back waiting for the rest of a message. */
  get buffered(): number {
    return this.pending ? this.pending.length : 0;
  }
}
