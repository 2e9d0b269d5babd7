/** OFPT_GROUP_MOD (struct ofp11_group_mod, then buckets). */
import { registerMessage } from '../codec.js';
import type { GroupMod } from '../message.js';
import { readBuckets, writeBuckets } from './buckets.js';

registerMessage<GroupMod>({
  type: 'group_mod',
  ofpType: 15,
  encode: (w, m, path) => {
    w.u16(m.command);
    w.u8(m.groupType);
    w.zeros(1);
    w.u32(m.groupId);
    writeBuckets(w, m.buckets, `${path}.buckets`);
  },
  decode: (r, h, s) => {
    const command = r.u16(s);
    const groupType = r.u8(s);
    r.pad(1, s);
    const groupId = r.u32(s);
    return { type: 'group_mod', xid: h.xid, command, groupType, groupId, buckets: readBuckets(r, `${s}.buckets`) };
  },
});
