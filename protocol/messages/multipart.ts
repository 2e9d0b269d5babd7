/**
 * OFPT_MULTIPART_REQUEST / OFPT_MULTIPART_REPLY: the 8-byte multipart header, then a body chosen by
 * OFPMP_* type (and, for OFPMP_EXPERIMENTER, by experimenter id and exp_type). Body codecs are
 * registered per `kind` by the multipart-*.ts modules; an experimenter body nobody registered is kept
 * whole as kind `experimenter`, and an unknown OFPMP_* type is refused.
 */
import { registerMessage } from '../message-registry.js';
import { EncodeError } from '../errors.js';
import type { MultipartReply, MultipartRequest } from '../message.js';
import { renameStructure, type Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import type { MultipartReplyBody, MultipartRequestBody } from './multipart-types.js';
import { put16, put32, putBytes } from './put-lenient.js';
import { OFPMP_EXPERIMENTER } from '../constants/openflow13.js';

type Kind = MultipartRequestBody['kind'];
type ReqOf<K extends Kind> = Extract<MultipartRequestBody, { kind: K }>;
type RepOf<K extends Kind> = Extract<MultipartReplyBody, { kind: K }>;

export interface MultipartBodyCodec<K extends Kind = Kind> {
  kind: K;
  /** The name ovs-ofctl gives the body (`OFPST_FLOW`). */
  name: string;
  /** OFPMP_* (OFPMP_EXPERIMENTER for experimenter bodies). */
  mpType: number;
  experimenter?: number;
  expType?: number;
  /** Write/read the body after the multipart (and experimenter) header. */
  encodeRequest(w: Writer, b: ReqOf<K>, path: string): void;
  decodeRequest(r: Reader, s: string): ReqOf<K>;
  encodeReply(w: Writer, b: RepOf<K>, path: string): void;
  decodeReply(r: Reader, s: string): RepOf<K>;
}

const byKind = new Map<string, MultipartBodyCodec>();
const byMpType = new Map<number, MultipartBodyCodec>();
const byExperimenter = new Map<string, MultipartBodyCodec>();

export function registerMultipart<K extends Kind>(codec: MultipartBodyCodec<K>): void {
  const c = codec as unknown as MultipartBodyCodec;
  if (byKind.has(c.kind)) throw new Error(`duplicate multipart body codec ${c.kind}`);
  byKind.set(c.kind, c);
  if (c.experimenter !== undefined) byExperimenter.set(`${c.experimenter}:${c.expType}`, c);
  else byMpType.set(c.mpType, c);
}

/** The codec of a multipart body kind. */
export function multipartCodec(kind: string): MultipartBodyCodec | undefined {
  return byKind.get(kind);
}

/** The codec of a standard (non-experimenter) multipart body by OFPMP_* type. */
export function multipartCodecByMpType(mpType: number): MultipartBodyCodec | undefined {
  return byMpType.get(mpType);
}

/** A body with nothing after the multipart header. */
export function emptyBody<K extends Kind>(kind: K): { encode: () => void; decode: () => { kind: K } } {
  return { encode: () => {}, decode: () => ({ kind }) };
}

/**
 * Reads records that each start with their own u16 length (at `lenAt` bytes into the record).
 * Records are read under the list's name; the record's own (`flows[12]`) is built only on failure.
 */
export function readRecords<T>(r: Reader, s: string, min: number, lenAt: number, read: (rec: Reader, s: string) => T): T[] {
  const out: T[] = [];
  const outerEnd = r.end;
  let i = 0;
  try {
    for (; r.pos < outerEnd; i++) {
      const start = r.pos;
      if (outerEnd - start < lenAt + 2) r.need(lenAt + 2, s);
      const b = r.buf;
      const len = (b[start + lenAt]! << 8) | b[start + lenAt + 1]!;
      if (len < min) r.fail(`record length ${len} is shorter than ${min}`, s, start);
      // Each record is read in place, the reader's end narrowed to it.
      r.end = r.limit(len, s);
      out.push(read(r, s));
      r.done(s);
      r.end = outerEnd;
    }
  } catch (err) {
    r.end = outerEnd;
    throw renameStructure(err, s, `${s}[${i}]`);
  }
  return out;
}

/** Reads fixed-size records until the end (record names built only on failure, as in readRecords). */
export function readFixed<T>(r: Reader, s: string, size: number, read: (rec: Reader, s: string) => T): T[] {
  if (r.remaining % size) r.fail(`${r.remaining} bytes is not a whole number of ${size}-byte records`, s);
  const out: T[] = [];
  for (let i = 0; r.remaining > 0; i++) {
    try {
      out.push(read(r, s));
    } catch (err) {
      throw renameStructure(err, s, `${s}[${i}]`);
    }
  }
  return out;
}

function writeHeader(w: Writer, body: { kind: string }, flags: number, path: string): MultipartBodyCodec | null {
  if (!body || typeof body !== 'object') throw new EncodeError('missing multipart body', `${path}.body`);
  put16(w, 0, path, 'type');
  put16(w, flags, path, 'flags');
  w.zeros(4);
  if (body.kind === 'experimenter') {
    const b = body as unknown as { experimenter: number; expType: number; data: Buffer };
    w.setU16(w.pos - 8, OFPMP_EXPERIMENTER);
    put32(w, b.experimenter, `${path}.body`, 'experimenter');
    put32(w, b.expType, `${path}.body`, 'expType');
    putBytes(w, b.data, `${path}.body`, 'data');
    return null;
  }
  const codec = byKind.get(body.kind);
  if (!codec) throw new EncodeError(`unknown multipart body kind "${body.kind}"`, `${path}.body.kind`);
  w.setU16(w.pos - 8, codec.mpType);
  if (codec.experimenter !== undefined) {
    w.u32(codec.experimenter);
    w.u32(codec.expType!);
  }
  return codec;
}

function readHeader(r: Reader, s: string): { flags: number; codec: MultipartBodyCodec | null; exp?: [number, number] } {
  const start = r.pos;
  const mpType = r.u16(s);
  const flags = r.u16(s);
  r.pad(4, s);
  if (mpType === OFPMP_EXPERIMENTER) {
    const experimenter = r.u32(s);
    const expType = r.u32(s);
    return { flags, codec: byExperimenter.get(`${experimenter}:${expType}`) ?? null, exp: [experimenter, expType] };
  }
  const codec = byMpType.get(mpType);
  if (!codec) return r.fail(`unknown multipart type ${mpType}`, s, start);
  return { flags, codec };
}

registerMessage<MultipartRequest>({
  type: 'multipart_request',
  name: 'OFPT_MULTIPART_REQUEST',
  reply: 'multipart_reply',
  ofpType: 18,
  encode: (w, m, path) => {
    const codec = writeHeader(w, m.body, m.flags, path);
    codec?.encodeRequest(w, m.body, `${path}.body`);
  },
  decode: (r, h, s) => {
    const { flags, codec, exp } = readHeader(r, s);
    const body: MultipartRequestBody = codec
      ? codec.decodeRequest(r, `${s}.${codec.kind}`)
      : { kind: 'experimenter', experimenter: exp![0], expType: exp![1], data: r.bytes(r.remaining, s) };
    return { type: 'multipart_request', xid: h.xid, flags, body };
  },
});

registerMessage<MultipartReply>({
  type: 'multipart_reply',
  name: 'OFPT_MULTIPART_REPLY',
  ofpType: 19,
  encode: (w, m, path) => {
    const codec = writeHeader(w, m.body, m.flags, path);
    codec?.encodeReply(w, m.body, `${path}.body`);
  },
  decode: (r, h, s) => {
    const { flags, codec, exp } = readHeader(r, s);
    const body: MultipartReplyBody = codec
      ? codec.decodeReply(r, `${s}.${codec.kind}`)
      : { kind: 'experimenter', experimenter: exp![0], expType: exp![1], data: r.bytes(r.remaining, s) };
    return { type: 'multipart_reply', xid: h.xid, flags, body };
  },
});
