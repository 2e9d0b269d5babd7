/**
 * ONFT_BUNDLE_CONTROL (2300) and ONFT_BUNDLE_ADD_MESSAGE (2301), the OpenFlow 1.3 form of OpenFlow
 * 1.4 bundles (struct ofp14_bundle_ctrl_msg).
 */
import { readMessage, registerMessage, writeMessage } from '../codec.js';
import type { BundleAdd, BundleControl } from '../message.js';
import { readRawProperties, writeRawProperties } from './properties.js';
import { put16, put32 } from './put-lenient.js';
import { ONF_VENDOR_ID } from '../constants/onf.js';

registerMessage<BundleControl>({
  type: 'bundle_control',
  name: 'ONFT_BUNDLE_CONTROL',
  reply: 'bundle_control',
  ofpType: 4,
  experimenter: ONF_VENDOR_ID,
  expType: 2300,
  encode: (w, m, path) => {
    put32(w, m.bundleId, path, 'bundleId');
    put16(w, m.ctrlType, path, 'ctrlType');
    put16(w, m.flags, path, 'flags');
    writeRawProperties(w, m.properties, `${path}.properties`);
  },
  decode: (r, h, s) => {
    const bundleId = r.u32(s);
    const ctrlType = r.u16(s);
    const flags = r.u16(s);
    return { type: 'bundle_control', xid: h.xid, bundleId, ctrlType, flags, properties: readRawProperties(r, `${s}.properties`) };
  },
});

registerMessage<BundleAdd>({
  type: 'bundle_add',
  name: 'ONFT_BUNDLE_ADD_MESSAGE',
  ofpType: 4,
  experimenter: ONF_VENDOR_ID,
  expType: 2301,
  describe: (m) => `bundle ${m.bundleId} carrying ${m.message?.type}`,
  encode: (w, m, path) => {
    const start = w.pos - 16;
    put32(w, m.bundleId, path, 'bundleId');
    w.zeros(2);
    put16(w, m.flags, path, 'flags');
    writeMessage(w, m.message, `${path}.message`);
    // Padding to 8 bytes comes before properties, and only when there are some.
    if (m.properties.length) {
      w.padFrom(start, 8);
      writeRawProperties(w, m.properties, `${path}.properties`);
    }
  },
  decode: (r, h, s) => {
    const start = r.pos - 16;
    const bundleId = r.u32(s);
    r.pad(2, s);
    const flags = r.u16(s);
    const message = readMessage(r, `${s}.message`);
    let properties: BundleAdd['properties'] = [];
    if (r.remaining > 0) {
      r.pad((8 - ((r.pos - start) % 8)) % 8, `${s}.pad`);
      if (r.remaining === 0) r.fail('padding after the inner message but no properties', s);
      properties = readRawProperties(r, `${s}.properties`);
    }
    return { type: 'bundle_add', xid: h.xid, bundleId, flags, message, properties };
  },
});
