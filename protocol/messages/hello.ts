/** OFPT_HELLO with its elements (OFPHET_VERSIONBITMAP). */
import { registerMessage } from '../codec.js';
import type { Hello, HelloElement } from '../message.js';
import { put16, put32, putBytes } from './put-lenient.js';
import { OFPHET_VERSIONBITMAP } from '../constants/openflow13.js';

registerMessage<Hello>({
  type: 'hello',
  name: 'OFPT_HELLO',
  ofpType: 0,
  encode: (w, m, path) => {
    m.elements.forEach((e, i) => {
      const p = `${path}.elements[${i}]`;
      const start = w.pos;
      if (e.type === 'versionbitmap') {
        w.u16(OFPHET_VERSIONBITMAP);
        w.u16(0);
        e.bitmaps.forEach((b, j) => put32(w, b, p, `bitmaps[${j}]`));
      } else {
        put16(w, e.elementType, p, 'elementType');
        w.u16(0);
        putBytes(w, e.data, p, 'data');
      }
      w.fillLength16(start, start + 2, p);
      w.padFrom(start, 8);
    });
  },
  decode: (r, h, s) => {
    const elements: HelloElement[] = [];
    while (r.remaining > 0) {
      const start = r.pos;
      const type = r.u16(s);
      const len = r.u16(s);
      if (len < 4) r.fail(`hello element length ${len} is shorter than its header`, s, start);
      r.pos = start;
      const e = r.sub(len, s);
      e.skip(4, s);
      if (type === OFPHET_VERSIONBITMAP) {
        if ((len - 4) % 4) r.fail(`version bitmap length ${len - 4} is not a multiple of 4`, s, start);
        const bitmaps: number[] = [];
        while (e.remaining) bitmaps.push(e.u32(s));
        elements.push({ type: 'versionbitmap', bitmaps });
      } else {
        elements.push({ type: 'unknown', elementType: type, data: e.bytes(e.remaining, s) });
      }
      r.pad(Math.min((8 - (len % 8)) % 8, r.remaining), `${s}.pad`);
    }
    return { type: 'hello', version: h.version, xid: h.xid, elements };
  },
});

/** Versions (wire numbers) set in a hello's version bitmaps. */
export function helloVersions(m: Hello): number[] {
  const out: number[] = [];
  for (const e of m.elements) {
    if (e.type !== 'versionbitmap') continue;
    e.bitmaps.forEach((word, i) => {
      for (let b = 0; b < 32; b++) if (word & (1 << b)) out.push(i * 32 + b);
    });
  }
  return out;
}

/** Bitmaps announcing the given wire versions. */
export function versionBitmaps(versions: readonly number[]): number[] {
  const words: number[] = [];
  for (const v of versions) {
    const i = v >>> 5;
    while (words.length <= i) words.push(0);
    words[i] = (words[i]! | (1 << (v & 31))) >>> 0;
  }
  return words;
}
