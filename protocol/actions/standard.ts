/**
 * OpenFlow standard actions (OFPAT_*): the OpenFlow 1.3 set, and the OpenFlow 1.1 "set" actions
 * (types 1-10, 13, 14) that Open vSwitch still accepts in 1.3.
 */
import { EncodeError } from '../errors.js';
import { readOxm, writeOxm } from '../fields/oxm.js';
import { formatIpv4, parseIpv4, readMac, writeMac } from '../fields/values.js';
import { MAX_ACTION_LEN, registerAction, type ActionCodec } from './codec.js';
import { put16, put32, put8 } from './put-strict.js';
import type { ActionOf, StandardAction } from './types.js';

type Of<T extends StandardAction['type']> = ActionOf<T>;

function codec<T extends StandardAction['type']>(
  type: T,
  code: number,
  struct: string,
  len: number,
  encode: ActionCodec<Of<T>>['encode'],
  decode: ActionCodec<Of<T>>['decode'],
): ActionCodec<Of<T>> {
  return { type, code, struct, minLen: len, maxLen: len, encode, decode };
}

/** Header only (ofp_action_header). */
function empty<T extends StandardAction['type']>(type: T, code: number): ActionCodec<Of<T>> {
  const a = { type } as Of<T>;
  return codec(
    type,
    code,
    'ofp_action_header',
    8,
    () => {},
    () => ({ ...a }),
  );
}

/** One unsigned integer right after the 4-byte header, then padding to 8 bytes. */
function scalar<T extends StandardAction['type'], K extends string>(
  type: T,
  code: number,
  struct: string,
  key: K,
  bits: 8 | 16 | 32,
): ActionCodec<Of<T>> {
  return codec(
    type,
    code,
    struct,
    8,
    (w, a, path) => {
      const v = (a as unknown as Record<K, number>)[key];
      if (bits === 8) put8(w, v, path, key);
      else if (bits === 16) put16(w, v, path, key);
      else put32(w, v, path, key);
    },
    (r, s) => {
      const v = bits === 8 ? r.u8(s) : bits === 16 ? r.u16(s) : r.u32(s);
      return { type, [key]: v } as unknown as Of<T>;
    },
  );
}

function ipv4<T extends 'set_nw_src' | 'set_nw_dst'>(type: T, code: number): ActionCodec<Of<T>> {
  return codec(
    type,
    code,
    'ofp_action_nw_addr',
    8,
    (w, x, path) => {
      const a = x as ActionOf<'set_nw_src' | 'set_nw_dst'>;
      const v = typeof a.ip === 'string' ? parseIpv4(a.ip) : -1;
      if (v < 0) throw new EncodeError(`${JSON.stringify(a.ip)} is not an IPv4 address`, `${path}.ip`);
      w.u32(v);
    },
    (r, s) => ({ type, ip: formatIpv4(r.u32(s)) }) as Of<T>,
  );
}

function dlAddr<T extends 'set_dl_src' | 'set_dl_dst'>(type: T, code: number): ActionCodec<Of<T>> {
  return codec(
    type,
    code,
    'ofp_action_dl_addr',
    16,
    (w, x, path) => {
      const a = x as ActionOf<'set_dl_src' | 'set_dl_dst'>;
      try {
        if (typeof a.mac !== 'string') throw new EncodeError(`${String(a.mac)} is not an Ethernet address`, '');
        writeMac(w, a.mac, '');
      } catch (err) {
        if (err instanceof EncodeError) throw new EncodeError(err.reason, `${path}.mac`);
        throw err;
      }
    },
    (r, s) => ({ type, mac: readMac(r, s) }) as Of<T>,
  );
}

const output = codec(
  'output',
  0,
  'ofp_action_output',
  16,
  (w, a, path) => {
    put32(w, a.port, path, 'port');
    put16(w, a.maxLen, path, 'maxLen');
  },
  (r, s) => {
    const port = r.u32(s);
    return { type: 'output', port, maxLen: r.u16(s) };
  },
);

/** OFPAT_SET_FIELD: an unmasked OXM right after the 4-byte header. */
const setField: ActionCodec<Of<'set_field'>> = {
  type: 'set_field',
  code: 25,
  struct: 'ofp_action_set_field',
  minLen: 8,
  maxLen: MAX_ACTION_LEN,
  encode: (w, a, path) => {
    if ((a as { mask?: unknown }).mask !== undefined) {
      throw new EncodeError('an OpenFlow 1.3 set_field cannot carry a mask (use reg_load or reg_load2)', `${path}.mask`);
    }
    writeOxm(w, a, path);
  },
  decode: (r, s) => {
    if (r.remaining >= 4 && r.buf[r.pos + 2]! & 1) r.fail('an OpenFlow 1.3 set_field OXM cannot be masked', s);
    const oxm = readOxm(r, 'ofp_action_set_field.field');
    const out: Of<'set_field'> = { type: 'set_field', field: oxm.field, value: oxm.value };
    if (oxm.header !== undefined) out.header = oxm.header;
    if (oxm.experimenter !== undefined) out.experimenter = oxm.experimenter;
    return out;
  },
};

for (const c of [
  output,
  scalar('set_vlan_vid', 1, 'ofp_action_vlan_vid', 'vlanVid', 16),
  scalar('set_vlan_pcp', 2, 'ofp_action_vlan_pcp', 'vlanPcp', 8),
  dlAddr('set_dl_src', 3),
  dlAddr('set_dl_dst', 4),
  ipv4('set_nw_src', 5),
  ipv4('set_nw_dst', 6),
  scalar('set_nw_tos', 7, 'ofp_action_nw_tos', 'tos', 8),
  scalar('set_nw_ecn', 8, 'ofp_action_nw_ecn', 'ecn', 8),
  scalar('set_tp_src', 9, 'ofp_action_tp_port', 'port', 16),
  scalar('set_tp_dst', 10, 'ofp_action_tp_port', 'port', 16),
  empty('copy_ttl_out', 11),
  empty('copy_ttl_in', 12),
  scalar('set_mpls_label', 13, 'ofp_action_mpls_label', 'label', 32),
  scalar('set_mpls_tc', 14, 'ofp_action_mpls_tc', 'tc', 8),
  scalar('set_mpls_ttl', 15, 'ofp_action_mpls_ttl', 'ttl', 8),
  empty('dec_mpls_ttl', 16),
  scalar('push_vlan', 17, 'ofp_action_push', 'ethertype', 16),
  empty('pop_vlan', 18),
  scalar('push_mpls', 19, 'ofp_action_push', 'ethertype', 16),
  scalar('pop_mpls', 20, 'ofp_action_pop_mpls', 'ethertype', 16),
  scalar('set_queue', 21, 'ofp_action_set_queue', 'queueId', 32),
  scalar('group', 22, 'ofp_action_group', 'groupId', 32),
  scalar('set_nw_ttl', 23, 'ofp_action_nw_ttl', 'ttl', 8),
  empty('dec_nw_ttl', 24),
  setField,
  scalar('push_pbb', 26, 'ofp_action_push', 'ethertype', 16),
  empty('pop_pbb', 27),
] as ActionCodec[]) {
  registerAction(c);
}
