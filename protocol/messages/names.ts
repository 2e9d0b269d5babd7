/** Fixed-width, NUL-padded character arrays (port, table and description names). */
import { EncodeError } from '../errors.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';

/** Reads a name; bytes after the terminating NUL must be zero (so the name re-encodes exactly). */
export function readName(r: Reader, width: number, structure: string): string {
  const start = r.pos;
  const v = r.view(width, structure);
  let n = v.indexOf(0);
  if (n < 0) n = width;
  for (let i = n; i < width; i++) {
    if (v[i] !== 0) r.fail('non-zero bytes after the end of a NUL-terminated name', structure, start + i);
  }
  return v.toString('latin1', 0, n);
}

/** Writes a name of at most `width` one-byte characters, NUL-padded. */
export function writeName(w: Writer, s: string, width: number, path: string): void {
  if (typeof s !== 'string') throw new EncodeError(`${String(s)} is not a string`, path);
  if (s.length > width) throw new EncodeError(`"${s}" is longer than ${width} characters`, path);
  // eslint-disable-next-line no-control-regex -- the range starts after NUL on purpose
  if (/[^\x01-\xff]/.test(s)) throw new EncodeError(`"${s}" has a NUL or a character outside Latin-1`, path);
  w.ensure(width);
  const n = w.buf.write(s, w.pos, width, 'latin1');
  w.buf.fill(0, w.pos + n, w.pos + width);
  w.pos += width;
}
