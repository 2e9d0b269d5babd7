/** OFPT_FLOW_MOD (struct ofp11_flow_mod, then match and instructions). */
import { readInstructions, writeInstructions } from '../actions/instructions.js';
import { registerMessage } from '../codec.js';
import { readMatch, writeMatch } from '../fields/oxm.js';
import type { FlowMod } from '../message.js';
import { put16, put32, put64, put8 } from './put.js';

registerMessage<FlowMod>({
  type: 'flow_mod',
  ofpType: 14,
  encode: (w, m, path) => {
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
