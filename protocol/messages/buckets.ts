/** struct ofp11_bucket lists, shared by GROUP_MOD and the GROUP_DESC reply. */
import { readActions, writeActions } from '../actions/codec.js';
import type { Bucket } from '../message.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';

export function writeBuckets(w: Writer, buckets: readonly Bucket[], path: string): void {
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i]!;
    const start = w.pos;
    w.u16(0);
    w.u16(b.weight);
    w.u32(b.watchPort);
    w.u32(b.watchGroup);
    w.zeros(4);
    writeActions(w, b.actions, `${path}[${i}].actions`);
    w.fillLength16(start, start, `${path}[${i}]`);
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
