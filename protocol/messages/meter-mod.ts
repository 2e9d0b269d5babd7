/** OFPT_METER_MOD (struct ofp13_meter_mod, then bands). */
import { registerMessage } from '../codec.js';
import type { MeterMod } from '../message.js';
import { readBands, writeBands } from './meter-bands.js';
import { put16, put32 } from './put-lenient.js';
import { OFPMF_KBPS, OFPMF_PKTPS } from '../constants/openflow13.js';

registerMessage<MeterMod>({
  type: 'meter_mod',
  name: 'OFPT_METER_MOD',
  ofpType: 29,
  encode: (w, m, path) => {
    put16(w, m.command, path, 'command');
    put16(w, m.flags, path, 'flags');
    put32(w, m.meterId, path, 'meterId');
    writeBands(w, m.bands, `${path}.bands`);
  },
  decode: (r, h, s) => {
    const start = r.pos;
    const command = r.u16(s);
    const flags = r.u16(s);
    const meterId = r.u32(s);
    // Open vSwitch refuses these too (OFPMMFC_BAD_COMMAND, OFPMMFC_BAD_FLAGS).
    if (command > 2) r.fail(`unknown meter command ${command}`, s, start);
    if (flags & OFPMF_KBPS && flags & OFPMF_PKTPS) r.fail('meter flags set both kbps and pktps', s, start + 2);
    return { type: 'meter_mod', xid: h.xid, command, flags, meterId, bands: readBands(r, `${s}.bands`) };
  },
});
