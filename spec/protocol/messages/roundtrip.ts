/** Test helper: a typed message ⇄ bytes ⇄ JSON, all three directions checked. */
import type { Test } from 'tap';
import { decodeMessage, encodeMessage, messageFromJSON, messageToJSON, type OfpMessage } from '../../../protocol/index.js';
import { messageVectors, type MessageVector } from '../../helpers/vectors.js';

/**
 * Checks that `msg` encodes to `hex` (when given), that the bytes decode back to `msg`, and that
 * its JSON form (through JSON.stringify) comes back as the same message and the same bytes.
 */
export function roundTrip(t: Test, msg: OfpMessage, hex?: string, name: string = msg.type): Buffer {
  const bytes = encodeMessage(msg);
  if (hex !== undefined) t.equal(bytes.toString('hex'), hex, `${name}: encodes to the expected bytes`);
  t.same(decodeMessage(bytes), msg, `${name}: decodes back to the same message`);
  const json = JSON.parse(JSON.stringify(messageToJSON(msg))) as unknown;
  const back = messageFromJSON(json);
  t.same(back, msg, `${name}: JSON form converts back to the same message`);
  t.equal(encodeMessage(back).toString('hex'), bytes.toString('hex'), `${name}: JSON form encodes to the same bytes`);
  return bytes;
}

/** Decodes hex and checks the message re-encodes to it. */
export function decodeExact(t: Test, hex: string, name?: string): OfpMessage {
  const m = decodeMessage(Buffer.from(hex, 'hex'));
  t.equal(encodeMessage(m).toString('hex'), hex, `${name ?? m.type}: re-encodes byte-exact`);
  return m;
}

/** ofwire's committed vectors (spec/vectors/messages/{ofctl,live}.jsonl) whose name matches. */
export function golden(match: RegExp): MessageVector[] {
  const found = messageVectors().filter((v) => match.test(v.name));
  if (!found.length) throw new Error(`no golden vector matches ${match}`);
  return found;
}

/** The first golden vector whose name matches and whose ofp-print text matches `text`. */
export function goldenOne(match: RegExp, text: RegExp = /./): MessageVector {
  const v = golden(match).find((g) => text.test(g.text));
  if (!v) throw new Error(`no golden vector matches ${match} with text ${text}`);
  return v;
}
