/**
 * Splits a byte stream into whole OpenFlow messages. Chunks may split a message anywhere (even
 * inside its header) or carry many messages. A message that lies within one chunk is handed out as
 * a view of that chunk; one that spans chunks is assembled once, when its last byte arrives, so a
 * large message fed in small pieces costs time linear in its size.
 */
import { ProtocolError } from './errors.js';
import { OFP_HEADER_LEN } from './constants/openflow13.js';

/** Cuts a byte stream into whole OpenFlow messages, by the length in each header. */
export class Framer {
  /** Pieces of an incomplete message, in order (views of the chunks they came from). */
  private pieces: Buffer[] = [];
  private pending = 0;
  /** Length of the incomplete message once its header is complete, else 0. */
  private needed = 0;
  /** Stream offset of the first byte not yet handed out (for error offsets). */
  private consumed = 0;
  private failure: ProtocolError | null = null;

  /**
   * Feeds a chunk; returns the whole messages it completes. Returned buffers are views of the
   * chunks passed in (or fresh buffers for messages that spanned chunks): do not reuse a chunk's
   * memory while its messages are still in use. Throws ProtocolError (and stays failed) when a
   * header's length is shorter than the header itself.
   */
  push(chunk: Uint8Array): Buffer[] {
    if (this.failure) throw this.failure;
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const out: Buffer[] = [];
    let pos = 0;
    if (this.pending > 0) {
      pos = this.continuePending(buf, out);
      if (this.pending > 0) return out;
    }
    while (buf.length - pos >= OFP_HEADER_LEN) {
      const len = (buf[pos + 2]! << 8) | buf[pos + 3]!;
      this.checkLength(len);
      if (buf.length - pos < len) break;
      out.push(buf.subarray(pos, pos + len));
      pos += len;
      this.consumed += len;
    }
    if (pos < buf.length) {
      this.pieces.push(buf.subarray(pos));
      this.pending = buf.length - pos;
      if (this.pending >= OFP_HEADER_LEN) this.needed = (buf[pos + 2]! << 8) | buf[pos + 3]!;
    }
    return out;
  }

  /** Bytes held back waiting for the rest of a message. */
  get buffered(): number {
    return this.pending;
  }

  /** Adds bytes from `buf` to the incomplete message; returns how many bytes of `buf` it took. */
  private continuePending(buf: Buffer, out: Buffer[]): number {
    let pos = 0;
    if (this.needed === 0) {
      // The header itself is still incomplete: take just enough to finish it.
      const take = Math.min(OFP_HEADER_LEN - this.pending, buf.length);
      this.pieces.push(buf.subarray(0, take));
      this.pending += take;
      pos = take;
      if (this.pending < OFP_HEADER_LEN) return pos;
      const head = Buffer.concat(this.pieces, OFP_HEADER_LEN);
      this.pieces = [head];
      this.needed = (head[2]! << 8) | head[3]!;
      this.checkLength(this.needed);
    }
    const take = Math.min(this.needed - this.pending, buf.length - pos);
    if (take > 0) this.pieces.push(buf.subarray(pos, pos + take));
    this.pending += take;
    pos += take;
    if (this.pending === this.needed) {
      out.push(this.pieces.length === 1 ? this.pieces[0]! : Buffer.concat(this.pieces, this.needed));
      this.consumed += this.needed;
      this.pieces = [];
      this.pending = 0;
      this.needed = 0;
    }
    return pos;
  }

  private checkLength(len: number): void {
    if (len < OFP_HEADER_LEN) {
      this.failure = new ProtocolError(`message length ${len} is shorter than the 8-byte header`, this.consumed, 'ofp_header');
      throw this.failure;
    }
  }
}
