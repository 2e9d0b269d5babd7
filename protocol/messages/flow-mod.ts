/** OFPT_FLOW_MOD (struct ofp11_flow_mod, then match and instructions). */
import { readInstructions, writeInstructions } from '../actions/instructions.js';
import { registerMessage } from '../codec.js';
import { readMatch, writeMatch } from '../fields/oxm.js';
import type { FlowMod } from '../message.js';

registerMessage<FlowMod>({
  type: 'flow_mod',
  ofpType: 14,
  encode: (w, m, path) => {
    w.u64(m.cookie);
    w.u64(m.cookieMask);
    w.u8(m.tableId);
    w.u8(m.command);
    w.u16(m.idleTimeout);
    w.u16(m.hardTimeout);
    w.u16(m.priority);
    w.u32(m.bufferId);
    w.u32(m.outPort);
    w.u32(m.outGroup);
    w.u16(m.flags);
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
