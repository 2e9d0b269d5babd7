/** OFPT_GROUP_MOD (struct ofp11_group_mod, then buckets). */
import { registerMessage } from '../codec.js';
import type { GroupMod } from '../message.js';
import { checkGroupLength, readBuckets, writeBuckets } from './buckets.js';
import { put16, put32, put8 } from './put-lenient.js';

registerMessage<GroupMod>({
  type: 'group_mod',
  name: 'OFPT_GROUP_MOD',
  ofpType: 15,
  describe: (m) => `group ${m.groupId}`,
  encode: (w, m, path) => {
    const start = w.pos - 8;
    put16(w, m.command, path, 'command');
    put8(w, m.groupType, path, 'groupType');
    w.zeros(1);
    put32(w, m.groupId, path, 'groupId');
    writeBuckets(w, m.buckets, `${path}.buckets`);
    checkGroupLength(w.pos - start, 16, m, path);
  },
  decode: (r, h, s) => {
    const command = r.u16(s);
    const groupType = r.u8(s);
    r.pad(1, s);
    const groupId = r.u32(s);
    return { type: 'group_mod', xid: h.xid, command, groupType, groupId, buckets: readBuckets(r, `${s}.buckets`) };
  },
});
