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
}

const SEPARATORS = ', \t\r\n';
const KEY_END = ':=(, \t\r\n';

export function segment(text: string, at = 0): Segment {
  return { text, at };
}

/** Length of a value that ends at one of `delims`, skipping over balanced parentheses. */
function valueLength(s: string, from: number, delims: string): number {
  let n = from;
  while (n < s.length && !delims.includes(s[n]!)) {
    if (s[n] === '(') {
      let level = 0;
      do {
        const c = s[n];
        if (c === undefined) return n - from;
        if (c === '(') level++;
        else if (c === ')') level--;
        n++;
      } while (level > 0);
    } else {
      n++;
    }
  }
  return n - from;
}

/** Reads the items of a segment one by one, as ovs-ofctl's ofputil_parse_key_value() does. */
export class KeyValueReader {
  private pos = 0;
  constructor(private readonly seg: Segment) {}

  next(): KeyValue | null {
    const s = this.seg.text;
    while (this.pos < s.length && SEPARATORS.includes(s[this.pos]!)) this.pos++;
    if (this.pos >= s.length) return null;
    const keyStart = this.pos;
    let keyEnd = keyStart;
    while (keyEnd < s.length && !KEY_END.includes(s[keyEnd]!)) keyEnd++;
    const key = s.slice(keyStart, keyEnd);
    const delimChar = s[keyEnd] ?? '';
    this.pos = keyEnd + (delimChar ? 1 : 0);
    let delims: string;
    if (delimChar === ':' || delimChar === '=') delims = SEPARATORS;
    else if (delimChar === '(') delims = ')';
    else {
      return {
        key,
        value: '',
        keyAt: this.seg.at + keyStart,
        valueAt: this.seg.at + keyEnd,
        delim: '',
        raw: key,
        rawAt: this.seg.at + keyStart,
      };
    }
    const valueStart = this.pos;
    let len = valueLength(s, valueStart, delims);
    // `(x)->y`: check_pkt_larger(1500)->reg0[0] keeps the `->y` in its value.
    if (delimChar === '(' && s[valueStart + len] === ')' && s[valueStart + len + 1] === '-' && s[valueStart + len + 2] === '>') {
      len += valueLength(s, valueStart + len, SEPARATORS);
    }
    const value = s.slice(valueStart, valueStart + len);
    const endDelim = s[valueStart + len];
    this.pos = valueStart + len + (endDelim !== undefined ? 1 : 0);
    const rawEnd = Math.min(s.length, valueStart + len + (delimChar === '(' && endDelim === ')' ? 1 : 0));
    return {
      key,
      value,
      keyAt: this.seg.at + keyStart,
      valueAt: this.seg.at + valueStart,
      delim: delimChar,
      raw: s.slice(keyStart, rawEnd),
      rawAt: this.seg.at + keyStart,
    };
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
