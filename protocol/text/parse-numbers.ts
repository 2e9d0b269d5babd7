/**
 * Numbers as ovs-ofctl reads them: C's strtol/strtoull with base 0 (0x hex, 0 octal, decimal),
 * the whole text consumed. Where ovs-ofctl silently truncates a value to its field's width, these
 * refuse it instead.
 */

const U64 = (1n << 64n) - 1n;

/**
 * The digits of `s` under base 0 (or 10), as strtoull reads them (leading C white space and a sign
 * allowed); null when it is not a number.
 */
export function parseCInteger(s: string, base: 0 | 10 = 0): bigint | null {
  const fast = plainInteger(s, base);
  if (fast !== null) return fast;
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|[0-9]+)$/.exec(s);
  if (!m) return null;
  const neg = m[1] === '-';
  const digits = m[2]!;
  let v: bigint;
  if (base === 10) {
    if (!/^[0-9]+$/.test(digits)) return null;
    v = BigInt(digits);
  } else if (/^0[xX]/.test(digits)) {
    v = BigInt(`0x${digits.slice(2)}`);
  } else if (digits.length > 1 && digits.startsWith('0')) {
    if (!/^[0-7]+$/.test(digits)) return null;
    v = BigInt(`0o${digits.slice(1)}`);
  } else {
    v = BigInt(digits);
  }
  return neg ? -v : v;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  return l >= 97 && l <= 102 ? l - 87 : -1;
}

/**
 * The common spellings (`0x` and hex digits, or decimal without a leading zero), read without a
 * regular expression; null for anything else, left to parseCInteger's general reading.
 */
function plainInteger(s: string, base: 0 | 10): bigint | null {
  const n = s.length;
  if (n === 0) return null;
  if (base === 0 && n > 2 && s.charCodeAt(0) === 0x30 && (s.charCodeAt(1) | 0x20) === 0x78) {
    let v = 0;
    for (let i = 2; i < n; i++) {
      const d = hexValue(s.charCodeAt(i));
      if (d < 0) return null;
      v = v * 16 + d;
    }
    // Up to 13 digits (52 bits) the number is exact; longer ones BigInt reads from the text.
    return n - 2 <= 13 ? BigInt(v) : BigInt(s);
  }
  if (n > 1 && s.charCodeAt(0) === 0x30) return null;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = s.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return null;
    v = v * 10 + d;
  }
  return n <= 15 ? BigInt(v) : BigInt(s);
}

/**
 * The value of a plain decimal of 1 to 9 digits without a leading zero (or `0`), the common case
 * every reading below tries first; -1 for anything else (octal, hex, signs, spaces: left to
 * parseCInteger).
 */
function plainDecimal(s: string): number {
  const n = s.length;
  if (n === 0 || n > 9 || (n > 1 && s.charCodeAt(0) === 0x30)) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = s.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** str_to_u8/str_to_u16: a signed int in range; `error` is ovs-ofctl's message. */
export function parseSmall(s: string, max: number, name: string): number | string {
  const fast = plainDecimal(s);
  if (fast >= 0) return fast > max ? `invalid ${name} "${s}"` : fast;
  const v = parseCInteger(s);
  if (v === null || v < 0n || v > BigInt(max)) return `invalid ${name} "${s}"`;
  return Number(v);
}

export function parseU8(s: string, name: string): number | string {
  return parseSmall(s, 0xff, name);
}

export function parseU16(s: string, name: string): number | string {
  return parseSmall(s, 0xffff, name);
}

/**
 * str_to_u32: strtoul, so `-1` wraps to 0xffffffff as in ovs-ofctl; a value over 32 bits is
 * refused (ovs-ofctl keeps only its low 32 bits).
 */
export function parseU32(s: string): number | string {
  if (!s) return 'missing required numeric argument';
  const fast = plainDecimal(s);
  if (fast >= 0) return fast;
  const v = parseCInteger(s);
  if (v === null) return `invalid numeric format ${s}`;
  if (v > U64 || v < -U64) return `invalid numeric format ${s}`;
  const w = v < 0n ? (1n << 64n) + v : v;
  if (v < 0n) {
    if (-v > 0xffffffffn) return `value ${s} does not fit in 32 bits`;
    return Number(w & 0xffffffffn);
  }
  if (w > 0xffffffffn) return `value ${s} does not fit in 32 bits`;
  return Number(w);
}

/** str_to_u64: strtoull, so `-1` is all ones. */
export function parseU64(s: string): bigint | string {
  if (!s) return 'missing required numeric argument';
  const v = parseCInteger(s);
  if (v === null || v > U64 || v < -U64) return `invalid numeric format ${s}`;
  return v < 0n ? (1n << 64n) + v : v;
}

/** str_to_uint(s, 10): a non-negative decimal that fits 32 bits, or null. */
export function parseDecimalU32(s: string): number | null {
  const fast = plainDecimal(s);
  if (fast >= 0) return fast;
  const v = parseCInteger(s, 10);
  if (v === null || v < 0n || v > 0xffffffffn) return null;
  return Number(v);
}

/**
 * A decimal where ovs-ofctl uses atoi() (learn's timeouts and priority, multipath/bundle basis):
 * refused unless it is a plain number within `max`, where atoi would have read 0 or truncated.
 */
export function parseAtoi(s: string, max: number, name: string): number | string {
  const v = parseCInteger(s, 10);
  if (v === null || v < 0n || v > BigInt(max)) return `invalid ${name} "${s}" (expected 0 to ${max})`;
  return Number(v);
}

/**
 * parse_int_string: `0x` hex of any length (leading zeros ignored) or a base-0 integer of at most
 * 64 bits, which must fit `width` bytes. Returns the value or an error message.
 */
export function parseIntString(s: string, width: number): bigint | string {
  if (/^0[xX]/.test(s)) {
    const hex = s.slice(2);
    if (!/^[0-9a-fA-F]+$/.test(hex)) return `${s}: cannot parse integer value`;
    const v = BigInt(`0x${hex}`);
    if (v >> BigInt(width * 8)) return `${s}: value too large for ${width}-byte field`;
    return v;
  }
  const v = parseCInteger(s);
  if (v === null) return `${s}: cannot parse integer value`;
  if (v > U64 || v < -U64) return `${s}: value too large`;
  const w = v < 0n ? (1n << 64n) + v : v;
  if (w >> BigInt(width * 8)) return `${s}: value too large for ${width}-byte field`;
  return w;
}

/** ofpbuf_put_hex: pairs of hex digits, optionally separated by dots or white space. */
export function parseHexBytes(s: string): Buffer | null {
  const out: number[] = [];
  let i = 0;
  for (;;) {
    while (i < s.length && ' .\t\r\n'.includes(s[i]!)) i++;
    if (i >= s.length) break;
    const pair = s.slice(i, i + 2);
    if (!/^[0-9a-fA-F]{2}$/.test(pair)) return null;
    out.push(parseInt(pair, 16));
    i += 2;
  }
  return Buffer.from(out);
}
