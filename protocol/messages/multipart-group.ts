/** OFPMP_GROUP, OFPMP_GROUP_DESC and OFPMP_GROUP_FEATURES. */
import { readBuckets, writeBuckets, checkGroupLength } from './buckets.js';
import { emptyBody, readFixed, readRecords, registerMultipart } from './multipart.js';
import type { GroupFeatures } from './multipart-types.js';
import { put32, put64, put8 } from './put-lenient.js';

registerMultipart({
  kind: 'group',
  name: 'OFPST_GROUP',
  mpType: 6,
  encodeRequest: (w, b, path) => {
    put32(w, b.groupId, path, 'groupId');
    w.zeros(4);
  },
  decodeRequest: (r, s) => {
    const groupId = r.u32(s);
    r.pad(4, s);
    return { kind: 'group', groupId };
  },
  encodeReply: (w, b, path) => {
    b.groups.forEach((g, i) => {
      const p = `${path}.groups[${i}]`;
      const start = w.pos;
      w.u16(0);
      w.zeros(2);
      put32(w, g.groupId, p, 'groupId');
      put32(w, g.refCount, p, 'refCount');
      w.zeros(4);
      put64(w, g.packetCount, p, 'packetCount');
      put64(w, g.byteCount, p, 'byteCount');
      put32(w, g.durationSec, p, 'durationSec');
      put32(w, g.durationNsec, p, 'durationNsec');
      g.buckets.forEach((c, j) => {
        put64(w, c.packetCount, `${p}.buckets[${j}]`, 'packetCount');
        put64(w, c.byteCount, `${p}.buckets[${j}]`, 'byteCount');
      });
      w.fillLength16(start, start, p);
    });
  },
  decodeReply: (r, s) => ({
    kind: 'group',
    groups: readRecords(r, `${s}.groups`, 40, 0, (g, s) => {
      g.skip(2, s);
      g.pad(2, s);
      const groupId = g.u32(s);
      const refCount = g.u32(s);
      g.pad(4, s);
      const packetCount = g.u64(s);
      const byteCount = g.u64(s);
      const durationSec = g.u32(s);
      const durationNsec = g.u32(s);
      const buckets = readFixed(g, `${s}.bucket_stats`, 16, (c, s) => ({ packetCount: c.u64(s), byteCount: c.u64(s) }));
      return { groupId, refCount, packetCount, byteCount, durationSec, durationNsec, buckets };
    }),
  }),
});

const groupDesc = emptyBody('group_desc');
registerMultipart({
  kind: 'group_desc',
  name: 'OFPST_GROUP_DESC',
  mpType: 7,
  encodeRequest: groupDesc.encode,
  decodeRequest: groupDesc.decode,
  encodeReply: (w, b, path) => {
    b.groups.forEach((g, i) => {
      const p = `${path}.groups[${i}]`;
      const start = w.pos;
      w.u16(0);
      put8(w, g.groupType, p, 'groupType');
      w.zeros(1);
      put32(w, g.groupId, p, 'groupId');
      writeBuckets(w, g.buckets, `${p}.buckets`);
      checkGroupLength(w.pos - start, 8, g, p);
      w.fillLength16(start, start, p);
    });
  },
  decodeReply: (r, s) => ({
    kind: 'group_desc',
    groups: readRecords(r, `${s}.groups`, 8, 0, (g, s) => {
      g.skip(2, s);
      const groupType = g.u8(s);
      g.pad(1, s);
      const groupId = g.u32(s);
      return { groupType, groupId, buckets: readBuckets(g, `${s}.buckets`) };
    }),
  }),
});

const groupFeatures = emptyBody('group_features');
registerMultipart({
  kind: 'group_features',
  name: 'OFPST_GROUP_FEATURES',
  mpType: 8,
  encodeRequest: groupFeatures.encode,
  decodeRequest: groupFeatures.decode,
  encodeReply: (w, b, path) => {
    put32(w, b.types, path, 'types');
    put32(w, b.capabilities, path, 'capabilities');
    for (let i = 0; i < 4; i++) put32(w, b.maxGroups[i]!, path, `maxGroups[${i}]`);
    for (let i = 0; i < 4; i++) put32(w, b.actions[i]!, path, `actions[${i}]`);
  },
  decodeReply: (r, s) => {
    const types = r.u32(s);
    const capabilities = r.u32(s);
    const four = (): GroupFeatures['maxGroups'] => [r.u32(s), r.u32(s), r.u32(s), r.u32(s)];
    const maxGroups = four();
    return { kind: 'group_features', types, capabilities, maxGroups, actions: four() };
  },
});
