/** OpenFlow 1.3 standard actions (OFPAT_*). */
import { readOxm, writeOxm } from '../fields/oxm.js';
import { registerAction, type ActionCodec } from './codec.js';
import type { StandardAction } from './types.js';

type Of<T extends StandardAction['type']> = Extract<StandardAction, { type: T }>;

function empty<T extends StandardAction['type']>(name: T, code: number): ActionCodec<Of<T>> {
  return {
    name,
    code,
    nicira: false,
    encode: (w) => w.zeros(4),
    decode: (r, s) => {
      r.pad(4, s);
      return { type: name } as Of<T>;
    },
  };
}

/** Actions whose body is a u16 ethertype then 2 pad bytes. */
function ethertype<T extends 'push_vlan' | 'push_mpls' | 'pop_mpls' | 'push_pbb'>(name: T, code: number): ActionCodec<Of<T>> {
  return {
    name,
    code,
    nicira: false,
    encode: (w, a: { ethertype: number }) => {
      w.u16(a.ethertype);
      w.zeros(2);
    },
    decode: (r, s) => {
      const ethertype = r.u16(s);
      r.pad(2, s);
      return { type: name, ethertype } as Of<T>;
    },
  };
}

/** Actions whose body is a u8 ttl then 3 pad bytes. */
function ttl<T extends 'set_mpls_ttl' | 'set_nw_ttl'>(name: T, code: number): ActionCodec<Of<T>> {
  return {
    name,
    code,
    nicira: false,
    encode: (w, a: { ttl: number }) => {
      w.u8(a.ttl);
      w.zeros(3);
    },
    decode: (r, s) => {
      const ttl = r.u8(s);
      r.pad(3, s);
      return { type: name, ttl } as Of<T>;
    },
  };
}

const output: ActionCodec<Of<'output'>> = {
  name: 'output',
  code: 0,
  nicira: false,
  encode: (w, a) => {
    w.u32(a.port);
    w.u16(a.maxLen);
    w.zeros(6);
  },
  decode: (r, s) => {
    const port = r.u32(s);
    const maxLen = r.u16(s);
    r.pad(6, s);
    return { type: 'output', port, maxLen };
  },
};

const setQueue: ActionCodec<Of<'set_queue'>> = {
  name: 'set_queue',
  code: 21,
  nicira: false,
  encode: (w, a) => w.u32(a.queueId),
  decode: (r, s) => ({ type: 'set_queue', queueId: r.u32(s) }),
};

const group: ActionCodec<Of<'group'>> = {
  name: 'group',
  code: 22,
  nicira: false,
  encode: (w, a) => w.u32(a.groupId),
  decode: (r, s) => ({ type: 'group', groupId: r.u32(s) }),
};

const setField: ActionCodec<Of<'set_field'>> = {
  name: 'set_field',
  code: 25,
  nicira: false,
  encode: (w, a, path) => {
    const { type: _t, ...oxm } = a;
    writeOxm(w, oxm, path);
  },
  decode: (r, s) => {
    const oxm = readOxm(r, s);
    return { type: 'set_field', ...oxm };
  },
};

for (const c of [
  output,
  empty('copy_ttl_out', 11),
  empty('copy_ttl_in', 12),
  ttl('set_mpls_ttl', 15),
  empty('dec_mpls_ttl', 16),
  ethertype('push_vlan', 17),
  empty('pop_vlan', 18),
  ethertype('push_mpls', 19),
  ethertype('pop_mpls', 20),
  setQueue,
  group,
  ttl('set_nw_ttl', 23),
  empty('dec_nw_ttl', 24),
  setField,
  ethertype('push_pbb', 26),
  empty('pop_pbb', 27),
] as ActionCodec[]) {
  registerAction(c);
}
