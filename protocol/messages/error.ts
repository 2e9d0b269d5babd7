/** OFPT_ERROR, including experimenter errors (OFPET_EXPERIMENTER). */
import { registerMessage } from '../codec.js';
import type { ErrorMsg } from '../message.js';
import { put16, put32, putBytes } from './put-lenient.js';
import { OFPET_EXPERIMENTER } from '../constants/openflow13.js';

registerMessage<ErrorMsg>({
  type: 'error',
  name: 'OFPT_ERROR',
  ofpType: 1,
  encode: (w, m, path) => {
    put16(w, m.errType, path, 'errType');
    put16(w, m.code, path, 'code');
    if (m.errType === OFPET_EXPERIMENTER) put32(w, m.experimenter ?? 0, path, 'experimenter');
    putBytes(w, m.data, path, 'data');
  },
  decode: (r, h, s) => {
    const errType = r.u16(s);
    const code = r.u16(s);
    const m: ErrorMsg = { type: 'error', xid: h.xid, errType, code, data: Buffer.alloc(0) };
    if (h.version !== 4) m.version = h.version;
    if (errType === OFPET_EXPERIMENTER) m.experimenter = r.u32(s);
    m.data = r.bytes(r.remaining, s);
    return m;
  },
});
