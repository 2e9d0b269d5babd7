/** OFPT_EXPERIMENTER messages ofwire does not model, kept whole. */
import { registerMessage } from '../codec.js';
import type { Experimenter } from '../message.js';
import { put32, putBytes } from './put-lenient.js';

registerMessage<Experimenter>({
  type: 'experimenter',
  ofpType: 4,
  encode: (w, m, path) => {
    put32(w, m.experimenter, path, 'experimenter');
    put32(w, m.expType, path, 'expType');
    putBytes(w, m.data, path, 'data');
  },
  decode: (r, h, s) => {
    const experimenter = r.u32(s);
    const expType = r.u32(s);
    return { type: 'experimenter', xid: h.xid, experimenter, expType, data: r.bytes(r.remaining, s) };
  },
});
