/** OFPT_FLOW_REMOVED (struct ofp11_flow_removed, then the match). */
import { registerMessage } from '../codec.js';
import { readMatch, writeMatch } from '../fields/oxm.js';
import type { FlowRemoved } from '../message.js';
import { put16, put32, put64, put8 } from './put-lenient.js';

registerMessage<FlowRemoved>({
  type: 'flow_removed',
  name: 'OFPT_FLOW_REMOVED',
  ofpType: 11,
  encode: (w, m, path) => {
    put64(w, m.cookie, path, 'cookie');
    put16(w, m.priority, path, 'priority');
    put8(w, m.reason, path, 'reason');
    put8(w, m.tableId, path, 'tableId');
    put32(w, m.durationSec, path, 'durationSec');
    put32(w, m.durationNsec, path, 'durationNsec');
    put16(w, m.idleTimeout, path, 'idleTimeout');
    put16(w, m.hardTimeout, path, 'hardTimeout');
    put64(w, m.packetCount, path, 'packetCount');
    put64(w, m.byteCount, path, 'byteCount');
    writeMatch(w, m.match, `${path}.match`);
  },
  decode: (r, h, s) => {
    const cookie = r.u64(s);
    const priority = r.u16(s);
    const reason = r.u8(s);
    const tableId = r.u8(s);
    const durationSec = r.u32(s);
    const durationNsec = r.u32(s);
    const idleTimeout = r.u16(s);
    const hardTimeout = r.u16(s);
    const packetCount = r.u64(s);
    const byteCount = r.u64(s);
    const match = readMatch(r, `${s}.match`);
    return {
      type: 'flow_removed',
      xid: h.xid,
      cookie,
      priority,
      reason,
      tableId,
      durationSec,
      durationNsec,
      idleTimeout,
      hardTimeout,
      packetCount,
      byteCount,
      match,
    };
  },
});
