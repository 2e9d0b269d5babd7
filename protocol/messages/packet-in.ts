/** OFPT_PACKET_IN (struct ofp12_packet_in plus the OpenFlow 1.3 cookie, match, 2 pad bytes, frame). */
import { registerMessage } from '../codec.js';
import { readMatch, writeMatch } from '../fields/oxm.js';
import type { PacketIn } from '../message.js';
import { put16, put32, put64, put8, putBytes } from './put-lenient.js';

registerMessage<PacketIn>({
  type: 'packet_in',
  name: 'OFPT_PACKET_IN',
  ofpType: 10,
  encode: (w, m, path) => {
    put32(w, m.bufferId, path, 'bufferId');
    put16(w, m.totalLen, path, 'totalLen');
    put8(w, m.reason, path, 'reason');
    put8(w, m.tableId, path, 'tableId');
    put64(w, m.cookie, path, 'cookie');
    writeMatch(w, m.match, `${path}.match`);
    // Two pad bytes put the frame's IP header on a 32-bit boundary.
    w.zeros(2);
    putBytes(w, m.data, path, 'data');
  },
  decode: (r, h, s) => {
    const bufferId = r.u32(s);
    const totalLen = r.u16(s);
    const reason = r.u8(s);
    const tableId = r.u8(s);
    const cookie = r.u64(s);
    const match = readMatch(r, `${s}.match`);
    r.pad(2, `${s}.pad`);
    const data = r.bytes(r.remaining, `${s}.data`);
    return { type: 'packet_in', xid: h.xid, bufferId, totalLen, reason, tableId, cookie, match, data };
  },
});
