/**
 * FLOW_MOD and GROUP_MOD frames written straight from a keyed entry's key and body (entries.ts),
 * the same bytes the codec writes for the typed message: the match, instructions and buckets are
 * already encoded in the key and body, so a change to the switch is a header and a copy.
 */
import type { Writer } from '../../protocol/wire/writer.js';
import { OFP13_VERSION, OFPG_ANY, OFPP_ANY, OFPT_FLOW_MOD, OFPT_GROUP_MOD, OFP_NO_BUFFER } from '../../protocol/constants/openflow13.js';
import { isFlowKey } from './entries.js';

/** The first two header bytes: version and message type. */
const HEAD = { flow_mod: (OFP13_VERSION << 8) | OFPT_FLOW_MOD, group_mod: (OFP13_VERSION << 8) | OFPT_GROUP_MOD } as const;

function latin1(w: Writer, s: string, from: number): void {
  const n = s.length - from;
  w.ensure(n);
  w.buf.write(s.slice(from), w.pos, n, 'latin1');
  w.pos += n;
}

/** The number written in decimal at `s[from, to)`. */
function decimalAt(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + (s.charCodeAt(i) - 0x30);
  return n;
}

function hexDigit(c: number): number {
  return c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57;
}

/** The number written in hex at `s[from, to)` (at most 8 digits). */
function hexAt(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 16 + hexDigit(s.charCodeAt(i));
  return n;
}

function header(w: Writer, type: 'flow_mod' | 'group_mod', xid: number): number {
  const start = w.pos;
  w.u16(HEAD[type]);
  w.u16(0);
  w.u32(xid);
  return start;
}

function finish(w: Writer, start: number): void {
  const length = w.pos - start;
  if (length > 0xffff) throw new RangeError(`a ${length}-byte message does not fit OpenFlow's 16-bit length`);
  w.buf.writeUInt16BE(length, start + 2);
}

/**
 * struct ofp11_flow_mod for a flow entry: `command` with the entry's cookie (cookie mask all ones
 * unless adding), its instructions (none for a delete).
 */
export function writeFlowMod(w: Writer, key: string, body: string, command: number, withInstructions: boolean, xid: number): void {
  const start = header(w, 'flow_mod', xid);
  const a = key.indexOf('/');
  const b = key.indexOf('/', a + 1);
  const slash = body.indexOf('/');
  // The cookie in hex without leading zeros: its last 8 digits are the low word.
  const low = Math.max(0, slash - 8);
  w.u32(hexAt(body, 0, low));
  w.u32(hexAt(body, low, slash));
  const mask = command === 0 ? 0 : 0xffffffff;
  w.u32(mask);
  w.u32(mask);
  w.u8(decimalAt(key, 1, a));
  w.u8(command);
  w.u16(0); // idle timeout
  w.u16(0); // hard timeout
  w.u16(decimalAt(key, a + 1, b));
  w.u32(OFP_NO_BUFFER);
  w.u32(OFPP_ANY);
  w.u32(OFPG_ANY);
  w.u16(0); // flags
  w.u16(0); // pad
  latin1(w, key, b + 1);
  if (withInstructions) latin1(w, body, slash + 1);
  finish(w, start);
}

/** struct ofp11_group_mod for a group entry: `command`, its buckets (none for a delete). */
export function writeGroupMod(w: Writer, key: string, body: string, command: number, withBuckets: boolean, xid: number): void {
  const start = header(w, 'group_mod', xid);
  const slash = body.indexOf('/');
  w.u16(command);
  w.u8(decimalAt(body, 0, slash));
  w.u8(0); // pad
  w.u32(decimalAt(key, 1, key.length));
  if (withBuckets) latin1(w, body, slash + 1);
  finish(w, start);
}

/** A FLOW_MOD or GROUP_MOD for a keyed entry. */
export function writeEntryMod(w: Writer, key: string, body: string, command: number, withBody: boolean, xid: number): void {
  if (isFlowKey(key)) writeFlowMod(w, key, body, command, withBody, xid);
  else writeGroupMod(w, key, body, command, withBody, xid);
}
