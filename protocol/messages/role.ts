/** OFPT_ROLE_REQUEST / OFPT_ROLE_REPLY (struct ofp12_role_request). */
import { registerMessage } from '../codec.js';
import type { RoleReply, RoleRequest } from '../message.js';
import { put32, put64 } from './put-lenient.js';

for (const [type, ofpType, name, reply] of [
  ['role_request', 24, 'OFPT_ROLE_REQUEST', 'role_reply'],
  ['role_reply', 25, 'OFPT_ROLE_REPLY', undefined],
] as const) {
  registerMessage<RoleRequest | RoleReply>({
    type,
    ofpType,
    name,
    reply,
    encode: (w, m, path) => {
      put32(w, m.role, path, 'role');
      w.zeros(4);
      put64(w, m.generationId, path, 'generationId');
    },
    decode: (r, h, s) => {
      const role = r.u32(s);
      r.pad(4, s);
      return { type, xid: h.xid, role, generationId: r.u64(s) };
    },
  });
}
