/** OFPT_FEATURES_REQUEST / OFPT_FEATURES_REPLY (OpenFlow 1.3: no port list). */
import { registerMessage } from '../codec.js';
import type { FeaturesReply, FeaturesRequest } from '../message.js';
import { put32, put64, put8 } from './put-lenient.js';

registerMessage<FeaturesRequest>({
  type: 'features_request',
  name: 'OFPT_FEATURES_REQUEST',
  reply: 'features_reply',
  ofpType: 5,
  encode: () => {},
  decode: (_r, h) => ({ type: 'features_request', xid: h.xid }),
});

registerMessage<FeaturesReply>({
  type: 'features_reply',
  name: 'OFPT_FEATURES_REPLY',
  ofpType: 6,
  encode: (w, m, path) => {
    put64(w, m.datapathId, path, 'datapathId');
    put32(w, m.nBuffers, path, 'nBuffers');
    put8(w, m.nTables, path, 'nTables');
    put8(w, m.auxiliaryId, path, 'auxiliaryId');
    w.zeros(2);
    put32(w, m.capabilities, path, 'capabilities');
    put32(w, m.reserved, path, 'reserved');
  },
  decode: (r, h, s) => {
    const datapathId = r.u64(s);
    const nBuffers = r.u32(s);
    const nTables = r.u8(s);
    const auxiliaryId = r.u8(s);
    r.pad(2, s);
    const capabilities = r.u32(s);
    const reserved = r.u32(s);
    return { type: 'features_reply', xid: h.xid, datapathId, nBuffers, nTables, auxiliaryId, capabilities, reserved };
  },
});
