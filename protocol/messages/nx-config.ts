/** Nicira connection settings: NXT_SET_PACKET_IN_FORMAT, NXT_SET_CONTROLLER_ID, NXT_SET_ASYNC_CONFIG2. */
import { registerMessage } from '../codec.js';
import type { AsyncConfigProperty, NxSetAsyncConfig2, NxSetControllerId, NxSetPacketInFormat } from '../message.js';
import { propU32, readProperties, writePropU32, checkUint } from './properties.js';
import { put16, put32 } from './put-lenient.js';
import { NX_VENDOR_ID } from '../constants/nicira.js';

registerMessage<NxSetPacketInFormat>({
  type: 'nx_set_packet_in_format',
  name: 'NXT_SET_PACKET_IN_FORMAT',
  ofpType: 4,
  experimenter: NX_VENDOR_ID,
  expType: 16,
  encode: (w, m, path) => put32(w, m.format, path, 'format'),
  decode: (r, h, s) => ({ type: 'nx_set_packet_in_format', xid: h.xid, format: r.u32(s) }),
});

registerMessage<NxSetControllerId>({
  type: 'nx_set_controller_id',
  name: 'NXT_SET_CONTROLLER_ID',
  ofpType: 4,
  experimenter: NX_VENDOR_ID,
  expType: 20,
  encode: (w, m, path) => {
    w.zeros(6);
    put16(w, m.controllerId, path, 'controllerId');
  },
  decode: (r, h, s) => {
    r.pad(6, s);
    return { type: 'nx_set_controller_id', xid: h.xid, controllerId: r.u16(s) };
  },
});

registerMessage<NxSetAsyncConfig2>({
  type: 'nx_set_async_config2',
  name: 'NXT_SET_ASYNC_CONFIG2',
  ofpType: 4,
  experimenter: NX_VENDOR_ID,
  expType: 27,
  encode: (w, m, path) =>
    m.properties.forEach((p, i) => {
      const pp = `${path}.properties[${i}]`;
      writePropU32(w, checkUint(p.propType, 16, `${pp}.propType`), p.mask, `${pp}.mask`);
    }),
  decode: (r, h, s) => {
    const properties: AsyncConfigProperty[] = [];
    readProperties(r, `${s}.properties`, (p) => properties.push({ propType: p.type, mask: propU32(p, `${s}.properties`) }));
    return { type: 'nx_set_async_config2', xid: h.xid, properties };
  },
});
