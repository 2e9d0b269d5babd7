/** Nicira extension actions (NXAST_*) other than ct, nat and learn, which have their own modules. */
import { registerAction, type ActionCodec } from './codec.js';
import type { NiciraAction } from './types.js';

type Of<T extends NiciraAction['type']> = Extract<NiciraAction, { type: T }>;

function resubmitLike<T extends 'resubmit_table' | 'resubmit_table_ct'>(name: T, code: number): ActionCodec<Of<T>> {
  return {
    name,
    code,
    nicira: true,
    encode: (w, a: { inPort: number; tableId: number }) => {
      w.u16(a.inPort);
      w.u8(a.tableId);
      w.zeros(3);
    },
    decode: (r, s) => {
      const inPort = r.u16(s);
      const tableId = r.u8(s);
      r.pad(3, s);
      return { type: name, inPort, tableId } as Of<T>;
    },
  };
}

const resubmit: ActionCodec<Of<'resubmit'>> = {
  name: 'resubmit',
  code: 1,
  nicira: true,
  encode: (w, a) => {
    w.u16(a.inPort);
    w.zeros(4);
  },
  decode: (r, s) => {
    const inPort = r.u16(s);
    r.pad(4, s);
    return { type: 'resubmit', inPort };
  },
};

const ctClear: ActionCodec<Of<'ct_clear'>> = {
  name: 'ct_clear',
  code: 43,
  nicira: true,
  encode: (w) => w.zeros(6),
  decode: (r, s) => {
    r.pad(6, s);
    return { type: 'ct_clear' };
  },
};

for (const c of [resubmit, resubmitLike('resubmit_table', 14), resubmitLike('resubmit_table_ct', 44), ctClear] as ActionCodec[]) {
  registerAction(c);
}
