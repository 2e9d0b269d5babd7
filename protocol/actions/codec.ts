/**
 * The action table: one codec per wire action (OFPAT_*, ONF or Nicira NXAST_*), and the list
 * encoders. A codec writes and reads only the action's body; the header, the length, the checks
 * on it and the zero padding are handled here, the same way for every action:
 *   length = max(minLen, body rounded up to 8), every byte after the body zero.
 */
import { EncodeError } from '../errors.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import type { Action, ActionOf, ActionType, UnknownAction } from './types.js';
import { OVS_CHECK_ABOVE, checkOvsAction } from './ovs-limits.js';
import { putZeros } from './put-strict.js';
import { OFPAT_EXPERIMENTER } from '../constants/openflow13.js';
import { NX_VENDOR_ID } from '../constants/nicira.js';
import { ONF_VENDOR_ID } from '../constants/onf.js';

/** The encoder and decoder of one action's wire encoding. */
export interface ActionCodec<T extends Action = Action> {
  /** The `type` of the Action variant this codec handles. */
  type: ActionType;
  /** OFPAT_* for standard actions; the subtype (exp_type) for experimenter actions. */
  code: number;
  /** NX_VENDOR_ID or ONF_VENDOR_ID; absent for standard actions. */
  experimenter?: number;
  /** The OpenFlow/OVS structure name, used in error messages (`nx_action_conntrack`). */
  struct: string;
  /** Smallest and largest whole length (header included) the action may have. */
  minLen: number;
  maxLen: number;
  /** Writes the body: after the 4-byte header, or the 10-byte experimenter header. */
  encode(w: Writer, a: T, path: string): void;
  /** Reads the body from a reader bounded to the action, positioned after the header. */
  decode(r: Reader, structure: string): T;
}

/** The largest length a 16-bit, 8-byte-aligned action length can hold. */
export const MAX_ACTION_LEN = 65528;

/** A registered codec, with the structure name of its padding built once. */
interface Entry extends ActionCodec {
  padStruct: string;
}

const byType = new Map<string, Entry>();
const standardByCode: (Entry | undefined)[] = [];
const niciraBySubtype: (Entry | undefined)[] = [];
const onfByType = new Map<number, Entry>();

export function registerAction<T extends Action>(codec: ActionCodec<T>): void {
  const c: Entry = { ...(codec as unknown as ActionCodec), padStruct: `${codec.struct}.pad` };
  if (byType.has(c.type)) throw new Error(`duplicate action codec ${c.type}`);
  if (c.minLen % 8 || c.maxLen % 8 || c.minLen > c.maxLen) throw new Error(`bad length bounds for ${c.type}`);
  byType.set(c.type, c);
  if (c.experimenter === undefined) standardByCode[c.code] = c;
  else if (c.experimenter === NX_VENDOR_ID) niciraBySubtype[c.code] = c;
  else if (c.experimenter === ONF_VENDOR_ID) onfByType.set(c.code, c);
  else throw new Error(`unsupported experimenter for ${c.type}`);
}

/** A Nicira codec; `maxLen` defaults to `minLen` (a fixed-size structure). */
export function nxCodec<T extends ActionType>(
  type: T,
  subtype: number,
  struct: string,
  minLen: number,
  encode: ActionCodec<ActionOf<T>>['encode'],
  decode: ActionCodec<ActionOf<T>>['decode'],
  maxLen = minLen,
): ActionCodec<ActionOf<T>> {
  return { type, code: subtype, experimenter: NX_VENDOR_ID, struct, minLen, maxLen, encode, decode };
}

/** The codec of an action type, or undefined when there is none. */
export function actionCodec(type: string): ActionCodec | undefined {
  return byType.get(type);
}

/** Every registered action codec (for tests and documentation). */
export function actionCodecs(): IterableIterator<ActionCodec> {
  return byType.values();
}

function encodeAction(w: Writer, a: Action, path: string): void {
  if (a === null || typeof a !== 'object') throw new EncodeError('an action must be an object', path);
  const start = w.pos;
  if (a.type === 'unknown') return encodeUnknown(w, a, path);
  const codec = byType.get(a.type);
  if (!codec) throw new EncodeError(`unknown action type "${String(a.type)}"`, path);
  if (codec.experimenter === undefined) {
    w.u16(codec.code);
    w.u16(0);
  } else {
    w.u16(OFPAT_EXPERIMENTER);
    w.u16(0);
    w.u32(codec.experimenter);
    w.u16(codec.code);
  }
  codec.encode(w, a, path);
  const body = w.pos - start;
  const len = body < codec.minLen ? codec.minLen : (body + 7) & ~7;
  putZeros(w, len - body);
  if (len > codec.maxLen) {
    throw new EncodeError(`encodes to ${len} bytes, more than the ${codec.maxLen} ${codec.struct} allows`, path);
  }
  if (len > OVS_CHECK_ABOVE) checkOvsAction(a, path);
  w.setU16(start + 2, len);
}

function encodeUnknown(w: Writer, a: UnknownAction, path: string): void {
  const start = w.pos;
  if (!Buffer.isBuffer(a.data)) throw new EncodeError('data must be a Buffer', `${path}.data`);
  if (!(Number.isInteger(a.actionType) && a.actionType >= 0 && a.actionType <= 0xffff)) {
    throw new EncodeError(`${String(a.actionType)} is not an unsigned 16-bit integer`, `${path}.actionType`);
  }
  const len = 4 + a.data.length;
  if (len % 8 || len > MAX_ACTION_LEN) {
    throw new EncodeError(`unknown action of ${len} bytes: the length must be a multiple of 8 up to ${MAX_ACTION_LEN}`, `${path}.data`);
  }
  w.u16(a.actionType);
  w.u16(len);
  w.bytes(a.data);
  if (w.pos - start !== len) throw new EncodeError('internal length mismatch', path);
}

/** Appends one action; errors name `path`. */
export function writeAction(w: Writer, a: Action, path: string): void {
  encodeAction(w, a, path);
}

/** Appends an action list. The element path is only built when an action fails to encode. */
export function writeActions(w: Writer, actions: readonly Action[], path: string): void {
  const value: unknown = actions; // tested as unknown: Array.isArray would make actions any[]
  if (!Array.isArray(value)) throw new EncodeError('actions must be an array', path);
  let i = 0;
  try {
    for (; i < actions.length; i++) encodeAction(w, actions[i]!, '');
  } catch (err) {
    if (err instanceof EncodeError) throw err.at(`${path}[${i}]${err.path}`);
    throw err;
  }
}

/**
 * How deep ct and clone may nest action lists (Open vSwitch parses text to the same depth); it
 * bounds recursion on hostile input and on cyclic objects.
 */
export const MAX_ACTION_NESTING = 100;
let encodeNesting = 0;
let decodeNesting = 0;

/** Writes the action list nested in an action or instruction; errors name `${path}.actions[i]…`. */
export function writeNestedActions(w: Writer, actions: readonly Action[], path: string): void {
  const value: unknown = actions; // tested as unknown: Array.isArray would make actions any[]
  if (!Array.isArray(value)) throw new EncodeError('actions must be an array', `${path}.actions`);
  if (encodeNesting >= MAX_ACTION_NESTING) {
    throw new EncodeError(`actions nested more than ${MAX_ACTION_NESTING} deep`, `${path}.actions`);
  }
  encodeNesting++;
  let i = 0;
  try {
    for (; i < actions.length; i++) encodeAction(w, actions[i]!, '');
  } catch (err) {
    if (err instanceof EncodeError) throw err.at(`${path}.actions[${i}]${err.path}`);
    throw err;
  } finally {
    encodeNesting--;
  }
}

/** Reads the action list nested in ct or clone (to the reader's end). */
export function readNestedActions(r: Reader, structure: string): Action[] {
  if (decodeNesting >= MAX_ACTION_NESTING) r.fail(`actions nested more than ${MAX_ACTION_NESTING} deep`, structure);
  decodeNesting++;
  try {
    return readActions(r, structure);
  } finally {
    decodeNesting--;
  }
}

/** Reads one action; `structure` names the list it is read from. */
export function readAction(r: Reader, structure: string): Action {
  const start = r.pos;
  const type = r.u16(structure);
  const len = r.u16(structure);
  if (len < 8 || len % 8) r.fail(`action length ${len} is not a positive multiple of 8`, structure, start);
  if (len - 4 > r.remaining) {
    r.fail(`action length ${len} runs past the end of the list (${r.remaining + 4} bytes left)`, structure, start);
  }
  // The action is read in place, the reader's end narrowed to it (and put back once it is read).
  const outerEnd = r.end;
  r.end = start + len;
  let codec: Entry | undefined;
  if (type === OFPAT_EXPERIMENTER) {
    const experimenter = r.u32(structure);
    if (experimenter === NX_VENDOR_ID || experimenter === ONF_VENDOR_ID) {
      if (len < 16) r.fail(`experimenter action length ${len} is shorter than its 16-byte header`, structure, start);
      const subtype = r.u16(structure);
      codec = experimenter === NX_VENDOR_ID ? niciraBySubtype[subtype] : onfByType.get(subtype);
    }
  } else {
    codec = standardByCode[type];
  }
  if (!codec) {
    r.pos = start + 4;
    const data = r.bytes(len - 4, structure);
    r.end = outerEnd;
    return { type: 'unknown', actionType: type, data };
  }
  const s = codec.struct;
  if (len < codec.minLen || len > codec.maxLen) {
    r.fail(
      codec.minLen === codec.maxLen
        ? `length ${len}, expected ${codec.minLen}`
        : `length ${len} is outside [${codec.minLen}, ${codec.maxLen}]`,
      s,
      start,
    );
  }
  const action = codec.decode(r, s);
  const used = r.pos - start;
  r.pad(r.end - r.pos, codec.padStruct);
  const expected = used < codec.minLen ? codec.minLen : (used + 7) & ~7;
  if (len !== expected) r.fail(`length ${len}, but its content takes ${expected}`, s, start);
  r.end = outerEnd;
  return action;
}

/** Reads actions until the reader's end. */
export function readActions(r: Reader, structure: string): Action[] {
  if (r.pos >= r.end) return [];
  const first = readAction(r, structure);
  // Most lists hold one action: a one-element array, not one grown by push.
  if (r.pos >= r.end) return [first];
  const out: Action[] = [first];
  while (r.remaining > 0) out.push(readAction(r, structure));
  return out;
}
