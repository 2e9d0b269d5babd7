/**
 * Nicira extension actions (NXAST_*) with plain bodies. Actions that name fields are in
 * ./registers.ts; controller, learn, ct/nat and encap/decap have their own modules, registered
 * through this one so that importing it brings in the whole Nicira set.
 */
import { MAX_ACTION_LEN, nxCodec as nx, readNestedActions, registerAction, writeNestedActions, type ActionCodec } from './codec.js';
import { checkArray, put16, put32, put64, put8, putBuffer, putZeros } from './put-strict.js';
import type { ActionOf, NiciraAction } from './types.js';
import './registers.js';
import './controller.js';
import './learn.js';
import './ct.js';
import './encap.js';

type Of<T extends NiciraAction['type']> = ActionOf<T>;

/** Header only: 6 bytes of zero padding after the subtype. */
function empty<T extends NiciraAction['type']>(type: T, subtype: number): ActionCodec<Of<T>> {
  return nx(
    type,
    subtype,
    'nx_action_header',
    16,
    () => {},
    () => ({ type }) as Of<T>,
  );
}

function resubmitTable<T extends 'resubmit_table' | 'resubmit_table_ct'>(type: T, subtype: number): ActionCodec<Of<T>> {
  return nx(
    type,
    subtype,
    'nx_action_resubmit',
    16,
    (w, x, path) => {
      const a = x as ActionOf<'resubmit_table'>;
      put16(w, a.inPort, path, 'inPort');
      put8(w, a.tableId, path, 'tableId');
    },
    (r, s) => {
      const inPort = r.u16(s);
      return { type, inPort, tableId: r.u8(s) } as Of<T>;
    },
  );
}

const resubmit = nx(
  'resubmit',
  1,
  'nx_action_resubmit',
  16,
  (w, a, path) => put16(w, a.inPort, path, 'inPort'),
  (r, s) => ({ type: 'resubmit', inPort: r.u16(s) }),
);

const setTunnel = nx(
  'set_tunnel',
  2,
  'nx_action_set_tunnel',
  16,
  (w, a, path) => {
    putZeros(w, 2);
    put32(w, a.tunId, path, 'tunId');
  },
  (r, s) => {
    r.pad(2, s);
    return { type: 'set_tunnel', tunId: r.u32(s) };
  },
);

const setTunnel64 = nx(
  'set_tunnel64',
  9,
  'nx_action_set_tunnel64',
  24,
  (w, a, path) => {
    putZeros(w, 6);
    put64(w, a.tunId, path, 'tunId');
  },
  (r, s) => {
    r.pad(6, s);
    return { type: 'set_tunnel64', tunId: r.u64(s) };
  },
);

const note = nx(
  'note',
  8,
  'nx_action_note',
  16,
  (w, a, path) => putBuffer(w, a.note, path, 'note'),
  (r, s) => ({ type: 'note', note: r.bytes(r.remaining, s) }),
  MAX_ACTION_LEN,
);

const finTimeout = nx(
  'fin_timeout',
  19,
  'nx_action_fin_timeout',
  16,
  (w, a, path) => {
    put16(w, a.finIdleTimeout, path, 'finIdleTimeout');
    put16(w, a.finHardTimeout, path, 'finHardTimeout');
  },
  (r, s) => {
    const finIdleTimeout = r.u16(s);
    return { type: 'fin_timeout', finIdleTimeout, finHardTimeout: r.u16(s) };
  },
);

const decTtlCntIds = nx(
  'dec_ttl_cnt_ids',
  21,
  'nx_action_cnt_ids',
  16,
  (w, a, path) => {
    const ids = checkArray(a.controllerIds, path, 'controllerIds');
    put16(w, ids.length, path, 'controllerIds.length');
    putZeros(w, 4);
    for (let i = 0; i < ids.length; i++) put16(w, ids[i]!, path, `controllerIds[${i}]`);
  },
  (r, s) => {
    const n = r.u16(s);
    r.pad(4, s);
    if (n * 2 > r.remaining) r.fail(`${n} controller ids need ${n * 2} bytes, only ${r.remaining} left`, s);
    const controllerIds: number[] = [];
    for (let i = 0; i < n; i++) controllerIds.push(r.u16(s));
    return { type: 'dec_ttl_cnt_ids', controllerIds };
  },
  MAX_ACTION_LEN,
);

const writeMetadata = nx(
  'write_metadata',
  22,
  'nx_action_write_metadata',
  32,
  (w, a, path) => {
    putZeros(w, 6);
    put64(w, a.metadata, path, 'metadata');
    put64(w, a.mask, path, 'mask');
  },
  (r, s) => {
    r.pad(6, s);
    const metadata = r.u64(s);
    return { type: 'write_metadata', metadata, mask: r.u64(s) };
  },
);

const sample = nx(
  'sample',
  29,
  'nx_action_sample',
  24,
  (w, a, path) => {
    put16(w, a.probability, path, 'probability');
    put32(w, a.collectorSetId, path, 'collectorSetId');
    put32(w, a.obsDomainId, path, 'obsDomainId');
    put32(w, a.obsPointId, path, 'obsPointId');
  },
  (r, s) => {
    const probability = r.u16(s);
    const collectorSetId = r.u32(s);
    const obsDomainId = r.u32(s);
    return { type: 'sample', probability, collectorSetId, obsDomainId, obsPointId: r.u32(s) };
  },
);

/** NXAST_SAMPLE2 and NXAST_SAMPLE3 share struct nx_action_sample2; only sample3 uses `direction`. */
function sample2<T extends 'sample2' | 'sample3'>(type: T, subtype: number): ActionCodec<Of<T>> {
  return nx(
    type,
    subtype,
    'nx_action_sample2',
    32,
    (w, x, path) => {
      const a = x as ActionOf<'sample2' | 'sample3'>;
      put16(w, a.probability, path, 'probability');
      put32(w, a.collectorSetId, path, 'collectorSetId');
      put32(w, a.obsDomainId, path, 'obsDomainId');
      put32(w, a.obsPointId, path, 'obsPointId');
      put16(w, a.samplingPort, path, 'samplingPort');
      if (a.type === 'sample3') put8(w, a.direction, path, 'direction');
    },
    (r, s) => {
      const probability = r.u16(s);
      const collectorSetId = r.u32(s);
      const obsDomainId = r.u32(s);
      const obsPointId = r.u32(s);
      const samplingPort = r.u16(s);
      if (type === 'sample2') return { type, probability, collectorSetId, obsDomainId, obsPointId, samplingPort } as Of<T>;
      const direction = r.u8(s);
      return { type, probability, collectorSetId, obsDomainId, obsPointId, samplingPort, direction } as Of<T>;
    },
  );
}

const conjunction = nx(
  'conjunction',
  34,
  'nx_action_conjunction',
  16,
  (w, a, path) => {
    put8(w, a.clause, path, 'clause');
    put8(w, a.nClauses, path, 'nClauses');
    put32(w, a.id, path, 'id');
  },
  (r, s) => {
    const clause = r.u8(s);
    const nClauses = r.u8(s);
    return { type: 'conjunction', id: r.u32(s), clause, nClauses };
  },
);

const outputTrunc = nx(
  'output_trunc',
  39,
  'nx_action_output_trunc',
  16,
  (w, a, path) => {
    put16(w, a.port, path, 'port');
    put32(w, a.maxLen, path, 'maxLen');
  },
  (r, s) => {
    const port = r.u16(s);
    return { type: 'output_trunc', port, maxLen: r.u32(s) };
  },
);

const clone = nx(
  'clone',
  42,
  'nx_action_clone',
  16,
  (w, a, path) => {
    putZeros(w, 6);
    writeNestedActions(w, a.actions, path);
  },
  (r, s) => {
    r.pad(6, s);
    return { type: 'clone', actions: readNestedActions(r, 'nx_action_clone.actions') };
  },
  MAX_ACTION_LEN,
);

for (const c of [
  resubmit,
  setTunnel,
  empty('pop_queue', 5),
  note,
  setTunnel64,
  resubmitTable('resubmit_table', 14),
  empty('exit', 17),
  finTimeout,
  decTtlCntIds,
  writeMetadata,
  sample,
  conjunction,
  sample2('sample2', 38),
  outputTrunc,
  sample2('sample3', 41),
  clone,
  empty('ct_clear', 43),
  resubmitTable('resubmit_table_ct', 44),
  empty('dec_nsh_ttl', 48),
  empty('debug_slow', 254),
  empty('debug_recirc', 255),
] as ActionCodec[]) {
  registerAction(c);
}
