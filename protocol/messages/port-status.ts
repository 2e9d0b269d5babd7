/** OFPT_PORT_STATUS (reason, 7 pad bytes, struct ofp11_port). */
import { registerMessage } from '../codec.js';
import type { PortStatus } from '../message.js';
import { readPort, writePort } from './port.js';
import { put8 } from './put-lenient.js';

registerMessage<PortStatus>({
  type: 'port_status',
  name: 'OFPT_PORT_STATUS',
  ofpType: 12,
  encode: (w, m, path) => {
    put8(w, m.reason, path, 'reason');
    w.zeros(7);
    writePort(w, m.desc, `${path}.desc`);
  },
  decode: (r, h, s) => {
    const reason = r.u8(s);
    r.pad(7, s);
    return { type: 'port_status', xid: h.xid, reason, desc: readPort(r, `${s}.desc`) };
  },
});
