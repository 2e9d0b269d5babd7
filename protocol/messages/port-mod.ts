/** OFPT_PORT_MOD (struct ofp11_port_mod). */
import { registerMessage } from '../codec.js';
import { readMac, writeMac } from '../fields/values.js';
import type { PortMod } from '../message.js';
import { put32 } from './put-lenient.js';

registerMessage<PortMod>({
  type: 'port_mod',
  name: 'OFPT_PORT_MOD',
  ofpType: 16,
  encode: (w, m, path) => {
    put32(w, m.portNo, path, 'portNo');
    w.zeros(4);
    writeMac(w, m.hwAddr, `${path}.hwAddr`);
    w.zeros(2);
    put32(w, m.config, path, 'config');
    put32(w, m.mask, path, 'mask');
    put32(w, m.advertise, path, 'advertise');
    w.zeros(4);
  },
  decode: (r, h, s) => {
    const portNo = r.u32(s);
    r.pad(4, s);
    const hwAddr = readMac(r, s);
    r.pad(2, s);
    const config = r.u32(s);
    const mask = r.u32(s);
    const advertise = r.u32(s);
    r.pad(4, s);
    return { type: 'port_mod', xid: h.xid, portNo, hwAddr, config, mask, advertise };
  },
});
