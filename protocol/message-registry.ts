/**
 * The message codecs by name, by OFPT_* value and by experimenter id and type. Each module in
 * ./messages registers its codecs when loaded; ./messages/index.ts loads them all.
 */
import type { MessageType, OfpMessage } from './message.js';
import type { Reader } from './wire/reader.js';
import type { Writer } from './wire/writer.js';

/** The fixed header of an OpenFlow message. */
export interface MessageHeader {
  version: number;
  type: number;
  length: number;
  xid: number;
}

export interface MessageCodec<T extends OfpMessage = OfpMessage> {
  type: T['type'];
  /** The name ovs-ofctl gives the message (`OFPT_FLOW_MOD`); none for experimenter messages kept raw. */
  name?: string;
  /** The message type that answers this request; none when nothing does (a barrier confirms it). */
  reply?: MessageType;
  /** OFPT_* value (4 for experimenter messages). */
  ofpType: number;
  /** For experimenter messages: experimenter id and exp_type/subtype. */
  experimenter?: number;
  expType?: number;
  /** A few words naming the message in errors (e.g. `group 5`), when its type alone is not enough. */
  describe?(m: T): string;
  /** Writes the body after the 8-byte header (and after experimenter id + type for experimenter messages). */
  encode(w: Writer, m: T, path: string): void;
  /** Reads the body from a reader bounded to the message, positioned after the header(s). */
  decode(r: Reader, h: MessageHeader, structure: string): T;
}

const byName = new Map<string, MessageCodec>();
const byOfpType = new Map<number, MessageCodec>();
const byExperimenter = new Map<string, MessageCodec>();

export function registerMessage<T extends OfpMessage>(codec: MessageCodec<T>): void {
  const c = codec as unknown as MessageCodec;
  if (byName.has(c.type)) throw new Error(`duplicate message codec ${c.type}`);
  byName.set(c.type, c);
  if (c.experimenter !== undefined) byExperimenter.set(`${c.experimenter}:${c.expType}`, c);
  else byOfpType.set(c.ofpType, c);
}

/** The codec of a message type, or undefined when there is none. */
export function messageCodec(type: MessageType): MessageCodec | undefined {
  return byName.get(type);
}

/** The message type that answers a request of this type, if any. */
export function replyType(type: MessageType): MessageType | undefined {
  return byName.get(type)?.reply;
}

export function codecByOfpType(ofpType: number): MessageCodec | undefined {
  return byOfpType.get(ofpType);
}

export function codecByExperimenter(experimenter: number, expType: number): MessageCodec | undefined {
  return byExperimenter.get(`${experimenter}:${expType}`);
}
