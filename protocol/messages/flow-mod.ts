/** OFPT_FLOW_MOD (struct ofp11_flow_mod, then match and instructions). */
import { readInstructions, writeInstructions } from '../actions/instructions.js';
import { registerMessage } from '../codec.js';
import { readMatch, writeMatch } from '../fields/oxm.js';
import type { FlowMod } from '../message.js';
import { put16, put32, put64, put8 } from './put-lenient.js';

const isU8 = (v: number): boolean => v >>> 0 === v && v <= 0xff;
const isU16 = (v: number): boolean => v >>> 0 === v && v <= 0xffff;
const isU32 = (v: number): boolean => v >>> 0 === v;
const isU64 = (v: bigint | number): boolean => typeof v === 'bigint' && BigInt.asUintN(64, v) === v;

function set16(b: Buffer, p: number, v: number): void {
  b[p] = v >>> 8;
  b[p + 1] = v;
}

function set32(b: Buffer, p: number, v: number): void {
  b[p] = v >>> 24;
  b[p + 1] = v >>> 16;
  b[p + 2] = v >>> 8;
  b[p + 3] = v;
}

/** Whether every fixed field of the FLOW_MOD is in range, cookies given as bigints. */
function fixedPartValid(m: FlowMod): boolean {
  return (
    isU64(m.cookie) &&
    isU64(m.cookieMask) &&
    isU8(m.tableId) &&
    isU8(m.command) &&
    isU16(m.idleTimeout) &&
    isU16(m.hardTimeout) &&
    isU16(m.priority) &&
    isU32(m.bufferId) &&
    isU32(m.outPort) &&
    isU32(m.outGroup) &&
    isU16(m.flags)
  );
}

registerMessage<FlowMod>({
  type: 'flow_mod',
  name: 'OFPT_FLOW_MOD',
  ofpType: 14,
  encode: (w, m, path) => {
    if (fixedPartValid(m)) {
      // Every field in range (the common case): the 40 fixed bytes written in place.
      w.ensure(40);
      w.u64(m.cookie);
      w.u64(m.cookieMask);
      const b = w.buf;
      const p = w.pos;
      b[p] = m.tableId;
      b[p + 1] = m.command;
      set16(b, p + 2, m.idleTimeout);
      set16(b, p + 4, m.hardTimeout);
      set16(b, p + 6, m.priority);
      set32(b, p + 8, m.bufferId);
      set32(b, p + 12, m.outPort);
      set32(b, p + 16, m.outGroup);
      set16(b, p + 20, m.flags);
      b[p + 22] = 0;
      b[p + 23] = 0;
      w.pos = p + 24;
    } else {
      // Whatever is out of range (or a number cookie) goes through the checked writers, which name it.
      put64(w, m.cookie, path, 'cookie');
      put64(w, m.cookieMask, path, 'cookieMask');
      put8(w, m.tableId, path, 'tableId');
      put8(w, m.command, path, 'command');
      put16(w, m.idleTimeout, path, 'idleTimeout');
      put16(w, m.hardTimeout, path, 'hardTimeout');
      put16(w, m.priority, path, 'priority');
      put32(w, m.bufferId, path, 'bufferId');
      put32(w, m.outPort, path, 'outPort');
      put32(w, m.outGroup, path, 'outGroup');
      put16(w, m.flags, path, 'flags');
      w.zeros(2);
    }
    writeMatch(w, m.match, `${path}.match`);
    writeInstructions(w, m.instructions, `${path}.instructions`);
  },
  decode: (r, h, s) => {
    const cookie = r.u64(s);
    const cookieMask = r.u64(s);
    const tableId = r.u8(s);
    const command = r.u8(s);
    const idleTimeout = r.u16(s);
    const hardTimeout = r.u16(s);
    const priority = r.u16(s);
    const bufferId = r.u32(s);
    const outPort = r.u32(s);
    const outGroup = r.u32(s);
    const flags = r.u16(s);
    r.pad(2, s);
    const match = readMatch(r, `${s}.match`);
    const instructions = readInstructions(r, `${s}.instructions`);
    return {
      type: 'flow_mod',
      xid: h.xid,
      cookie,
      cookieMask,
      tableId,
      command,
      idleTimeout,
      hardTimeout,
      priority,
      bufferId,
      outPort,
      outGroup,
      flags,
      match,
      instructions,
    };
  },
});
