/** struct ofp11_bucket lists, shared by GROUP_MOD and the GROUP_DESC reply. */
import { readActions, writeActions } from '../actions/codec.js';
import { EncodeError } from '../errors.js';
import type { Bucket } from '../message.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import { put16, put32 } from './put-lenient.js';

const GROUP_TYPES = ['all', 'select', 'indirect', 'ff'];
const MAX_LENGTH = 0xffff;

export function writeBuckets(w: Writer, buckets: readonly Bucket[], path: string): void {
  const value: unknown = buckets; // tested as unknown: Array.isArray would make buckets any[]
  if (!Array.isArray(value)) throw new EncodeError('buckets must be an array', path);
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i]!;
    const p = `${path}[${i}]`;
    const start = w.pos;
    w.u16(0);
    put16(w, b.weight, p, 'weight');
    put32(w, b.watchPort, p, 'watchPort');
    put32(w, b.watchGroup, p, 'watchGroup');
    w.zeros(4);
    writeActions(w, b.actions, `${p}.actions`);
    w.fillLength16(start, start, p);
  }
}

export function readBuckets(r: Reader, structure: string): Bucket[] {
  const out: Bucket[] = [];
  while (r.remaining > 0) {
    const start = r.pos;
    const len = r.u16(structure);
    if (len < 16 || len % 8) r.fail(`bucket length ${len} is not a multiple of 8 of at least 16`, structure, start);
    r.pos = start;
    const b = r.sub(len, structure);
    b.skip(2, structure);
    const weight = b.u16(structure);
    const watchPort = b.u32(structure);
    const watchGroup = b.u32(structure);
    b.pad(4, structure);
    out.push({ weight, watchPort, watchGroup, actions: readActions(b, `${structure}.actions`) });
  }
  return out;
}

/**
 * Refuses a group whose encoding (`len` bytes, `fixed` of them before the buckets) overflows a
 * 16-bit length, with a message that names the group, its bucket count and how many would fit.
 */
export function checkGroupLength(
  len: number,
  fixed: number,
  g: { groupId: number; groupType: number; buckets: readonly Bucket[] },
  path: string,
): void {
  if (len <= MAX_LENGTH) return;
  const type = GROUP_TYPES[g.groupType] ?? `type ${g.groupType}`;
  const n = g.buckets.length;
  const per = n ? Math.ceil((len - fixed) / n) : len;
  throw new EncodeError(
    `group ${g.groupId} (${type}) has ${n} buckets and encodes to ${len} bytes, over the ` +
      `${MAX_LENGTH}-byte limit of one OpenFlow message; at about ${per} bytes per bucket at most ` +
      `${Math.floor((MAX_LENGTH - fixed) / per)} buckets fit`,
    path,
  );
}
