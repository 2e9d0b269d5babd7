/** OFPT_EXPERIMENTER messages ofwire does not model, kept whole. */
import { registerMessage } from '../codec.js';
import type { Experimenter } from '../message.js';

registerMessage<Experimenter>({
  type: 'experimenter',
  ofpType: 4,
  encode: (w, m) => {
    w.u32(m.experimenter);
    w.u32(m.expType);
    w.bytes(m.data);
  },
  decode: (r, h, s) => {
    const experimenter = r.u32(s);
    const expType = r.u32(s);
    return { type: 'experimenter', xid: h.xid, experimenter, expType, data: r.bytes(r.remaining, s) };
  },
});
