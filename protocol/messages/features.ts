/** OFPT_FEATURES_REQUEST / OFPT_FEATURES_REPLY (OpenFlow 1.3: no port list). */
import { registerMessage } from '../codec.js';
import type { FeaturesReply, FeaturesRequest } from '../message.js';

registerMessage<FeaturesRequest>({
  type: 'features_request',
  ofpType: 5,
  encode: () => {},
  decode: (_r, h) => ({ type: 'features_request', xid: h.xid }),
});

registerMessage<FeaturesReply>({
  type: 'features_reply',
  ofpType: 6,
  encode: (w, m) => {
    w.u64(m.datapathId);
    w.u32(m.nBuffers);
    w.u8(m.nTables);
    w.u8(m.auxiliaryId);
    w.zeros(2);
    w.u32(m.capabilities);
    w.u32(m.reserved);
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
