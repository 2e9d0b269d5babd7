/**
 * The action table: one codec per wire action (OFPAT_* or Nicira NXAST_*), and the list encoders.
 * Each codec writes/reads only the action's body; headers, padding and lengths are handled here.
 */
import { EncodeError } from '../errors.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import type { Action, UnknownAction } from './types.js';

export const OFPAT_EXPERIMENTER = 0xffff;
export const NX_VENDOR_ID = 0x00002320;

export interface ActionCodec<T extends Action = Action> {
  /** The `type` of the Action variant this codec handles. */
  name: string;
  /** OFPAT_* for standard actions; for Nicira actions the NXAST_* subtype. */
  code: number;
  nicira: boolean;
  /** Writes the body (after the 4-byte header, or after the 10-byte Nicira header). */
  encode(w: Writer, a: T, path: string): void;
  /** Reads the body from a reader bounded to the action (padding included). */
  decode(r: Reader, structure: string): T;
}

const byName = new Map<string, ActionCodec>();
const standardByCode = new Map<number, ActionCodec>();
const niciraBySubtype = new Map<number, ActionCodec>();

export function registerAction<T extends Action>(codec: ActionCodec<T>): void {
  const c = codec as unknown as ActionCodec;
  if (byName.has(c.name)) throw new Error(`duplicate action codec ${c.name}`);
  byName.set(c.name, c);
  (c.nicira ? niciraBySubtype : standardByCode).set(c.code, c);
}

export function actionCodec(name: string): ActionCodec | undefined {
  return byName.get(name);
}

export function writeAction(w: Writer, a: Action, path: string): void {
  const start = w.pos;
  if (a.type === 'unknown') {
    w.u16(a.actionType);
    w.u16(0);
    w.bytes(a.data);
    if ((w.pos - start) % 8) throw new EncodeError('unknown action length is not a multiple of 8', path);
    w.fillLength16(start, start + 2, path);
    return;
  }
  const codec = byName.get(a.type);
  if (!codec) throw new EncodeError(`unknown action type "${a.type}"`, path);
  if (codec.nicira) {
    w.u16(OFPAT_EXPERIMENTER);
    w.u16(0);
    w.u32(NX_VENDOR_ID);
    w.u16(codec.code);
  } else {
    w.u16(codec.code);
    w.u16(0);
  }
  codec.encode(w, a, path);
  w.padFrom(start, 8);
  w.fillLength16(start, start + 2, path);
}

export function writeActions(w: Writer, actions: readonly Action[], path: string): void {
  for (let i = 0; i < actions.length; i++) writeAction(w, actions[i]!, `${path}[${i}]`);
}

export function readAction(r: Reader, structure: string): Action {
  const start = r.pos;
  const type = r.u16(structure);
  const len = r.u16(structure);
  if (len < 8 || len % 8) r.fail(`action length ${len} is not a positive multiple of 8`, structure, start);
  r.pos = start;
  const whole = r.sub(len, structure);
  whole.skip(4, structure);
  if (type === OFPAT_EXPERIMENTER) {
    const vendor = whole.u32(structure);
    if (vendor === NX_VENDOR_ID && len >= 16) {
      const subtype = whole.u16(structure);
      const codec = niciraBySubtype.get(subtype);
      if (codec) return finish(whole, codec.decode(whole, `${structure}(${codec.name})`), structure);
    }
    whole.pos = start + 4;
  } else {
    const codec = standardByCode.get(type);
    if (codec) return finish(whole, codec.decode(whole, `${structure}(${codec.name})`), structure);
  }
  const unknown: UnknownAction = { type: 'unknown', actionType: type, data: whole.bytes(len - 4, structure) };
  return unknown;
}

/** Trailing bytes after a decoded body may only be zero padding to the 8-byte boundary. */
function finish(r: Reader, a: Action, structure: string): Action {
  if (r.remaining >= 8) r.fail(`${r.remaining} unexpected trailing bytes`, structure);
  r.pad(r.remaining, `${structure}.pad`);
  return a;
}

/** Reads actions until the reader's end. */
export function readActions(r: Reader, structure: string): Action[] {
  const out: Action[] = [];
  while (r.remaining > 0) out.push(readAction(r, structure));
  return out;
}
