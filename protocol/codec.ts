/**
 * Message dispatch: one codec per message body, registered by the modules in ./messages (all loaded here).
 * `encodeMessage` writes header + body and back-fills the length; `decodeMessage` reads one message.
 */
import { EncodeError } from './errors.js';
import type { OfpMessage } from './message.js';
import { Reader } from './wire/reader.js';
import { Writer } from './wire/writer.js';
import { put32, put8 } from './messages/put-lenient.js';
import { codecByExperimenter, codecByOfpType, messageCodec, type MessageCodec, type MessageHeader } from './message-registry.js';
// After the registry: every message module registers its codecs into it.
import './messages/index.js';
import { OFP13_VERSION, OFPT_EXPERIMENTER, OFP_HEADER_LEN } from './constants/openflow13.js';

export { messageCodec, registerMessage, type MessageCodec, type MessageHeader } from './message-registry.js';

/**
 * encodeMessage writes each message straight into a slab and returns a view of it (as Node's own
 * Buffer pool does for small buffers): no copy per message. A slab with less than SLAB_ROOM bytes
 * left is replaced by a new one; a message that outgrows its slab gets a buffer of its own.
 */
const SLAB_BYTES = 8 * 1024;
const SLAB_ROOM = 1024;
let slab = new Writer(SLAB_BYTES);

/** Appends one encoded message to `w`; `path` prefixes error paths (for nested messages). */
export function writeMessage(w: Writer, m: OfpMessage, path?: string): void {
  if (!m || typeof m !== 'object') throw new EncodeError('a message must be an object', path ?? 'message');
  const where = path ?? String(m.type);
  const codec = messageCodec(m.type);
  if (!codec) throw new EncodeError(`unknown message type "${String(m.type)}"`, `${where}.type`);
  const start = w.pos;
  try {
    // Only HELLO and ERROR carry a version of their own.
    const version = (m as { version?: number }).version;
    put8(w, version === undefined ? OFP13_VERSION : version, where, 'version');
    w.u8(codec.ofpType);
    w.u16(0);
    put32(w, m.xid, where, 'xid');
    if (codec.experimenter !== undefined) {
      w.u32(codec.experimenter);
      w.u32(codec.expType!);
    }
    codec.encode(w, m, where);
    const len = w.pos - start;
    if (len > 0xffff) {
      const what = codec.describe ? `${m.type} (${codec.describe(m)})` : m.type;
      throw new EncodeError(`${what} encodes to ${len} bytes, over the 65535-byte limit of one OpenFlow message`, where);
    }
    w.fillLength16(start, start + 2, where);
  } catch (err) {
    w.pos = start;
    throw err;
  }
}

/** Encodes one message into a new Buffer. */
export function encodeMessage(m: OfpMessage): Buffer {
  let w = slab;
  if (w.buf.length - w.pos < SLAB_ROOM) w = slab = new Writer(SLAB_BYTES);
  const buf = w.buf;
  const start = w.pos;
  writeMessage(w, m);
  if (w.buf !== buf) {
    // The message outgrew the slab: it alone keeps the grown buffer's copy, and a new slab follows.
    const out = w.copyFrom(start);
    slab = new Writer(SLAB_BYTES);
    return out;
  }
  return buf.subarray(start, w.pos);
}

/** Reads the 8-byte header at r.pos without consuming it. */
export function peekHeader(buf: Uint8Array, at = 0): MessageHeader {
  return {
    version: buf[at]!,
    type: buf[at + 1]!,
    length: (buf[at + 2]! << 8) | buf[at + 3]!,
    xid: ((buf[at + 4]! << 24) | (buf[at + 5]! << 16) | (buf[at + 6]! << 8) | buf[at + 7]!) >>> 0,
  };
}

/** Decodes one message occupying the reader's next `length` bytes (the length in its header). */
export function readMessage(r: Reader, structure = 'ofp_header'): OfpMessage {
  const start = r.pos;
  r.need(OFP_HEADER_LEN, structure);
  const h = peekHeader(r.buf, start);
  if (h.length < OFP_HEADER_LEN) r.fail(`message length ${h.length} is shorter than the 8-byte header`, structure);
  const body = r.sub(h.length, structure);
  body.skip(OFP_HEADER_LEN, structure);
  let codec: MessageCodec | undefined;
  if (h.type === OFPT_EXPERIMENTER) {
    if (body.remaining >= 8) {
      const exp = body.buf.readUInt32BE(body.pos);
      const expType = body.buf.readUInt32BE(body.pos + 4);
      codec = codecByExperimenter(exp, expType);
      if (codec) body.skip(8, structure);
    }
    codec ??= codecByOfpType(OFPT_EXPERIMENTER);
  } else {
    codec = codecByOfpType(h.type);
  }
  if (!codec) return r.fail(`unknown message type ${h.type}`, structure, start);
  // HELLO and ERROR (which may answer a failed HELLO) keep whatever version their header carries.
  const versionless = h.type <= 1;
  if (!versionless && h.version !== OFP13_VERSION) {
    r.fail(`OpenFlow version 0x${h.version.toString(16)} is not 1.3 (0x04)`, structure, start);
  }
  const msg = codec.decode(body, h, `${codec.type}`);
  body.done(codec.type);
  return msg;
}

/** Decodes exactly one message from a buffer holding it. */
export function decodeMessage(buf: Uint8Array): OfpMessage {
  const r = new Reader(buf);
  const m = readMessage(r);
  r.done('message');
  return m;
}

/** Decodes every message in a buffer holding one or more whole messages. */
export function decodeMessages(buf: Uint8Array): OfpMessage[] {
  const r = new Reader(buf);
  const out: OfpMessage[] = [];
  while (r.remaining > 0) out.push(readMessage(r));
  return out;
}
