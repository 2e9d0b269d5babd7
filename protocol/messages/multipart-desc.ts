/** OFPMP_DESC (struct ofp_desc_stats) and OFPMP_TABLE (struct ofp13_table_stats). */
import { readName, writeName } from './names.js';
import { emptyBody, readFixed, registerMultipart } from './multipart.js';
import { put32, put64, put8 } from './put-lenient.js';
import { DESC_STR_LEN, SERIAL_NUM_LEN } from '../constants/openflow13.js';

const desc = emptyBody('desc');
registerMultipart({
  kind: 'desc',
  name: 'OFPST_DESC',
  mpType: 0,
  encodeRequest: desc.encode,
  decodeRequest: desc.decode,
  encodeReply: (w, b, path) => {
    writeName(w, b.mfrDesc, DESC_STR_LEN, `${path}.mfrDesc`);
    writeName(w, b.hwDesc, DESC_STR_LEN, `${path}.hwDesc`);
    writeName(w, b.swDesc, DESC_STR_LEN, `${path}.swDesc`);
    writeName(w, b.serialNum, SERIAL_NUM_LEN, `${path}.serialNum`);
    writeName(w, b.dpDesc, DESC_STR_LEN, `${path}.dpDesc`);
  },
  decodeReply: (r, s) => ({
    kind: 'desc',
    mfrDesc: readName(r, DESC_STR_LEN, `${s}.mfr_desc`),
    hwDesc: readName(r, DESC_STR_LEN, `${s}.hw_desc`),
    swDesc: readName(r, DESC_STR_LEN, `${s}.sw_desc`),
    serialNum: readName(r, SERIAL_NUM_LEN, `${s}.serial_num`),
    dpDesc: readName(r, DESC_STR_LEN, `${s}.dp_desc`),
  }),
});

const table = emptyBody('table');
registerMultipart({
  kind: 'table',
  name: 'OFPST_TABLE',
  mpType: 3,
  encodeRequest: table.encode,
  decodeRequest: table.decode,
  encodeReply: (w, b, path) => {
    b.tables.forEach((t, i) => {
      const p = `${path}.tables[${i}]`;
      put8(w, t.tableId, p, 'tableId');
      w.zeros(3);
      put32(w, t.activeCount, p, 'activeCount');
      put64(w, t.lookupCount, p, 'lookupCount');
      put64(w, t.matchedCount, p, 'matchedCount');
    });
  },
  decodeReply: (r, s) => ({
    kind: 'table',
    tables: readFixed(r, s, 24, (t, s) => {
      const tableId = t.u8(s);
      t.pad(3, s);
      return { tableId, activeCount: t.u32(s), lookupCount: t.u64(s), matchedCount: t.u64(s) };
    }),
  }),
});
