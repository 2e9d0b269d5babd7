/** OFPT_PACKET_OUT (struct ofp11_packet_out, actions, then the frame). */
import { readActions, writeActions } from '../actions/codec.js';
import { registerMessage } from '../codec.js';
import type { PacketOut } from '../message.js';
import { put32, putBytes } from './put-lenient.js';

registerMessage<PacketOut>({
  type: 'packet_out',
  name: 'OFPT_PACKET_OUT',
  ofpType: 13,
  encode: (w, m, path) => {
    put32(w, m.bufferId, path, 'bufferId');
    put32(w, m.inPort, path, 'inPort');
    const lenAt = w.pos;
    w.u16(0);
    w.zeros(6);
    const actionsStart = w.pos;
    writeActions(w, m.actions, `${path}.actions`);
    w.fillLength16(actionsStart, lenAt, `${path}.actions`);
    putBytes(w, m.data, path, 'data');
  },
  decode: (r, h, s) => {
    const bufferId = r.u32(s);
    const inPort = r.u32(s);
    const actionsLen = r.u16(s);
    r.pad(6, s);
    const actions = readActions(r.sub(actionsLen, `${s}.actions_len`), `${s}.actions`);
    const data = r.bytes(r.remaining, `${s}.data`);
    return { type: 'packet_out', xid: h.xid, bufferId, inPort, actions, data };
  },
});
