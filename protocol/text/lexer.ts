/**
 * The tokenizer every part of ovs-ofctl's syntax shares: a list of `key`, `key=value`, `key:value`
 * and `key(value)` items separated by commas or white space, where a value may hold parenthesized
 * text with commas in it (`ct(commit,nat(dst=10.0.0.1))`). Every piece keeps its column in the
 * original text so that errors can point at it.
 */

/** A piece of the original text and the column where it starts. */
export interface Segment {
  text: string;
  at: number;
}

export interface KeyValue {
  key: string;
  /** The value ('' when there is none). */
  value: string;
  keyAt: number;
  valueAt: number;
  /** The character that ended the key: ':', '=', '(' or '' (none: a bare key). */
  delim: string;
  /** The whole item as written (key, delimiter and value). */
  raw: string;
  rawAt: number;
  /** The same as raw and rawAt: an item is where errors about it point. */
  readonly text: string;
  readonly at: number;
}

const SEPARATORS = ', \t\r\n';

// Character classes by char code (the text is ASCII where it matters; anything else is a key or value character).
const SEPARATOR = 1;
const KEY_END = 2;
const CLASS = new Uint8Array(128);
for (const c of SEPARATORS) CLASS[c.charCodeAt(0)] = SEPARATOR | KEY_END;
for (const c of ':=(') CLASS[c.charCodeAt(0)] = KEY_END;
const OPEN = 0x28;
const CLOSE = 0x29;

function isSeparator(code: number): boolean {
  return code < 128 && (CLASS[code]! & SEPARATOR) !== 0;
}

/** The index after the run of separators other than `,` (white space) that starts at `from`. */
export function skipSpace(s: string, from = 0): number {
  let n = from;
  for (let c = s.charCodeAt(n); c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a; c = s.charCodeAt(++n));
  return n;
}

/** The index of the first separator (`,` or white space) at or after `from`, or the length. */
export function wordEnd(s: string, from = 0): number {
  let n = from;
  while (n < s.length && !isSeparator(s.charCodeAt(n))) n++;
  return n;
}

/** s.toLowerCase(), without a copy when there is nothing to lower (the usual key). */
export function lowerCase(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80 || (c >= 0x41 && c <= 0x5a)) return s.toLowerCase();
  }
  return s;
}

export function segment(text: string, at = 0): Segment {
  return { text, at };
}

/**
 * Length of a value that ends at a separator (or at `)` when `toClose`), skipping over balanced
 * parentheses.
 */
function valueLength(s: string, from: number, toClose: boolean): number {
  const end = s.length;
  let n = from;
  while (n < end) {
    const c = s.charCodeAt(n);
    if (toClose ? c === CLOSE : isSeparator(c)) break;
    if (c === OPEN) {
      let level = 0;
      do {
        if (n >= end) return n - from;
        const d = s.charCodeAt(n);
        if (d === OPEN) level++;
        else if (d === CLOSE) level--;
        n++;
      } while (level > 0);
    } else {
      n++;
    }
  }
  return n - from;
}

/** An item whose `raw` text is cut from the segment only when something asks for it (errors, warnings). */
class Item implements KeyValue {
  private rawText: string | undefined;
  readonly rawAt: number;
  constructor(
    readonly key: string,
    readonly value: string,
    readonly keyAt: number,
    readonly valueAt: number,
    readonly delim: string,
    private readonly source: string,
    private readonly rawStart: number,
    private readonly rawEnd: number,
    segmentAt: number,
  ) {
    this.rawAt = segmentAt + rawStart;
  }

  get raw(): string {
    return (this.rawText ??= this.source.slice(this.rawStart, this.rawEnd));
  }

  get text(): string {
    return this.raw;
  }

  get at(): number {
    return this.rawAt;
  }
}

/** Reads the items of a segment one by one, as ovs-ofctl's ofputil_parse_key_value() does. */
export class KeyValueReader {
  private pos = 0;
  constructor(private readonly seg: Segment) {}

  next(): KeyValue | null {
    const s = this.seg.text;
    const end = s.length;
    let pos = this.pos;
    while (pos < end && isSeparator(s.charCodeAt(pos))) pos++;
    if (pos >= end) {
      this.pos = pos;
      return null;
    }
    const keyStart = pos;
    let keyEnd = keyStart;
    for (; keyEnd < end; keyEnd++) {
      const c = s.charCodeAt(keyEnd);
      if (c < 128 && CLASS[c]! & KEY_END) break;
    }
    const key = s.slice(keyStart, keyEnd);
    const at = this.seg.at;
    const delimChar = keyEnd < end ? s[keyEnd]! : '';
    if (delimChar !== ':' && delimChar !== '=' && delimChar !== '(') {
      this.pos = keyEnd + (delimChar ? 1 : 0);
      return new Item(key, '', at + keyStart, at + keyEnd, '', s, keyStart, keyEnd, at);
    }
    const toClose = delimChar === '(';
    const valueStart = keyEnd + 1;
    let len = valueLength(s, valueStart, toClose);
    // `(x)->y`: check_pkt_larger(1500)->reg0[0] keeps the `->y` in its value.
    if (
      toClose &&
      s.charCodeAt(valueStart + len) === CLOSE &&
      s.charCodeAt(valueStart + len + 1) === 0x2d &&
      s.charCodeAt(valueStart + len + 2) === 0x3e
    ) {
      len += valueLength(s, valueStart + len, false);
    }
    const valueEnd = valueStart + len;
    const value = s.slice(valueStart, valueEnd);
    const hasEndDelim = valueEnd < end;
    this.pos = valueEnd + (hasEndDelim ? 1 : 0);
    const rawEnd = toClose && hasEndDelim && s.charCodeAt(valueEnd) === CLOSE ? valueEnd + 1 : valueEnd;
    return new Item(key, value, at + keyStart, at + valueStart, delimChar, s, keyStart, rawEnd, at);
  }

  /** Every remaining item. */
  all(): KeyValue[] {
    const out: KeyValue[] = [];
    for (let kv = this.next(); kv; kv = this.next()) out.push(kv);
    return out;
  }
}

export function keyValues(seg: Segment): KeyValue[] {
  return new KeyValueReader(seg).all();
}

/** The value of an item as a segment of the original text. */
export function valueOf(kv: KeyValue): Segment {
  return { text: kv.value, at: kv.valueAt };
}

/** C's strtok_r over a segment: the non-empty runs of characters not in `delims`. */
export function tokens(seg: Segment, delims: string): Segment[] {
  const out: Segment[] = [];
  let i = 0;
  const s = seg.text;
  while (i < s.length) {
    while (i < s.length && delims.includes(s[i]!)) i++;
    if (i >= s.length) break;
    const start = i;
    while (i < s.length && !delims.includes(s[i]!)) i++;
    out.push({ text: s.slice(start, i), at: seg.at + start });
  }
  return out;
}
