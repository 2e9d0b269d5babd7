/** OFPT_TABLE_MOD (struct ofp11_table_mod). */
import { registerMessage } from '../codec.js';
import type { TableMod } from '../message.js';
import { put32, put8 } from './put-lenient.js';

registerMessage<TableMod>({
  type: 'table_mod',
  name: 'OFPT_TABLE_MOD',
  ofpType: 17,
  encode: (w, m, path) => {
    put8(w, m.tableId, path, 'tableId');
    w.zeros(3);
    put32(w, m.config, path, 'config');
  },
  decode: (r, h, s) => {
    const tableId = r.u8(s);
    r.pad(3, s);
    return { type: 'table_mod', xid: h.xid, tableId, config: r.u32(s) };
  },
});
