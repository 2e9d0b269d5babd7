/** ONFT_ROLE_STATUS (OpenFlow 1.3 extension 1911; struct ofp14_role_status then properties). */
import { registerMessage } from '../codec.js';
import type { RoleStatus } from '../message.js';
import { readRawProperties, writeRawProperties } from './properties.js';
import { put32, put64, put8 } from './put-lenient.js';
import { ONF_VENDOR_ID } from '../constants/onf.js';

registerMessage<RoleStatus>({
  type: 'role_status',
  name: 'ONFT_ROLE_STATUS',
  ofpType: 4,
  experimenter: ONF_VENDOR_ID,
  expType: 1911,
  encode: (w, m, path) => {
    put32(w, m.role, path, 'role');
    put8(w, m.reason, path, 'reason');
    w.zeros(3);
    put64(w, m.generationId, path, 'generationId');
    writeRawProperties(w, m.properties, `${path}.properties`);
  },
  decode: (r, h, s) => {
    const role = r.u32(s);
    const reason = r.u8(s);
    r.pad(3, s);
    const generationId = r.u64(s);
    return { type: 'role_status', xid: h.xid, role, reason, generationId, properties: readRawProperties(r, `${s}.properties`) };
  },
});
