/**
 * JSON manifests without the YAML parser, and a List without its whole parsed tree: the bytes are
 * scanned for the List's fields and the bounds of its items, then each item is parsed, converted
 * and dropped before the next, so that only one item's raw objects are alive at a time. Lines of
 * fields are found by scanning the bytes again, only when there is a problem to report. Scanning
 * bytes is exact for UTF-8: every byte of a multi-byte character is above 0x7f, so none is taken
 * for a quote, bracket or comma.
 */
import type { FieldPath } from './errors.js';
import { ManifestReader, isListKind, itemKindOf, type Manifest, type ManifestDocument } from './manifest-reader.js';

export const QUOTE = 0x22;
const BACKSLASH = 0x5c;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
const NEWLINE = 0x0a;

function isJsonSpace(c: number | undefined): boolean {
  return c === 0x20 || c === NEWLINE || c === 0x0d || c === 0x09;
}

export function skipSpace(bytes: Buffer, i: number): number {
  while (i < bytes.length && isJsonSpace(bytes[i])) i++;
  return i;
}

/** The end of the string starting at `i` (just past its closing quote), or -1. */
export function skipString(bytes: Buffer, i: number): number {
  let from = i + 1;
  for (;;) {
    const quote = bytes.indexOf(QUOTE, from);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (bytes[quote - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/**
 * The end of the value starting at `i`, or -1. Only its extent is found (brackets balanced outside
 * strings); JSON.parse of the slice checks the rest. A number, `true`, `false` or `null` ends at
 * the first byte that cannot continue it, or at the end of the bytes.
 */
export function skipValue(bytes: Buffer, i: number): number {
  const first = bytes[i];
  if (first === QUOTE) return skipString(bytes, i);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    for (let j = i; j < bytes.length; j++) {
      const c = bytes[j];
      if (c === QUOTE) {
        j = skipString(bytes, j) - 1;
        if (j < 0) return -1;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        depth++;
      } else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) {
        return j + 1;
      }
    }
    return -1;
  }
  let j = i;
  while (j < bytes.length) {
    const c = bytes[j];
    if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isJsonSpace(c)) break;
    j++;
  }
  return j > i ? j : -1;
}

/** The JSON value between `start` and `end`, or undefined when it is not JSON. */
export function parsePart(bytes: Buffer, start: number, end: number): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(bytes.toString('utf8', start, end)) };
  } catch {
    return undefined;
  }
}

/** A top-level object: its fields but `items`, and where each item of an `items` array is. */
interface ScannedObject {
  fields: Record<string, unknown>;
  /** Start and end of each item, in pairs; undefined when there is no `items` array. */
  items: number[] | undefined;
}

/** Start and end of each element of the array at `i`, in pairs; returns the end of the array, or -1. */
function scanArray(bytes: Buffer, i: number, bounds: number[]): number {
  i = skipSpace(bytes, i + 1);
  if (bytes[i] === CLOSE_BRACKET) return i + 1;
  for (;;) {
    const end = skipValue(bytes, i);
    if (end < 0) return -1;
    bounds.push(i, end);
    i = skipSpace(bytes, end);
    const c = bytes[i];
    if (c === CLOSE_BRACKET) return i + 1;
    if (c !== COMMA) return -1;
    i = skipSpace(bytes, i + 1);
  }
}

/** The bytes as one JSON object with its items located, or undefined when it is not that shape. */
function scanObject(bytes: Buffer): ScannedObject | undefined {
  let i = skipSpace(bytes, 0);
  if (bytes[i] !== OPEN_BRACE) return undefined;
  const scanned: ScannedObject = { fields: {}, items: undefined };
  i = skipSpace(bytes, i + 1);
  if (bytes[i] === CLOSE_BRACE) return skipSpace(bytes, i + 1) === bytes.length ? scanned : undefined;
  for (;;) {
    if (bytes[i] !== QUOTE) return undefined;
    const keyEnd = skipString(bytes, i);
    const key = keyEnd < 0 ? undefined : parsePart(bytes, i, keyEnd);
    if (key === undefined || key.value === '__proto__') return undefined;
    i = skipSpace(bytes, keyEnd);
    if (bytes[i] !== COLON) return undefined;
    i = skipSpace(bytes, i + 1);
    const name = key.value as string;
    let end: number;
    if (name === 'items' && bytes[i] === OPEN_BRACKET) {
      scanned.items = [];
      delete scanned.fields.items;
      end = scanArray(bytes, i, scanned.items);
      if (end < 0) return undefined;
    } else {
      end = skipValue(bytes, i);
      const value = end < 0 ? undefined : parsePart(bytes, i, end);
      if (value === undefined) return undefined;
      scanned.fields[name] = value.value;
      if (name === 'items') scanned.items = undefined;
    }
    i = skipSpace(bytes, end);
    const c = bytes[i];
    if (c === CLOSE_BRACE) return skipSpace(bytes, i + 1) === bytes.length ? scanned : undefined;
    if (c !== COMMA) return undefined;
    i = skipSpace(bytes, i + 1);
  }
}

/** Where the member `key` of the object at `i` is: the key's and the value's offsets. */
function findMember(bytes: Buffer, i: number, key: string): { key: number; value: number } | undefined {
  i = skipSpace(bytes, i + 1);
  while (bytes[i] === QUOTE) {
    const keyEnd = skipString(bytes, i);
    const value = skipSpace(bytes, skipSpace(bytes, keyEnd) + 1);
    if (parsePart(bytes, i, keyEnd)?.value === key) return { key: i, value };
    i = skipSpace(bytes, skipValue(bytes, value));
    if (bytes[i] !== COMMA) return undefined;
    i = skipSpace(bytes, i + 1);
  }
  return undefined;
}

/** The offset of element `index` of the array at `i`. */
function findElement(bytes: Buffer, i: number, index: number): number | undefined {
  i = skipSpace(bytes, i + 1);
  for (let n = 0; n < index; n++) {
    i = skipSpace(bytes, skipValue(bytes, i));
    if (bytes[i] !== COMMA) return undefined;
    i = skipSpace(bytes, i + 1);
  }
  return bytes[i] === CLOSE_BRACKET ? undefined : i;
}

/**
 * The line of the deepest field on `path` that exists in valid JSON `input` (the key's line for an
 * object's member), as the YAML parser reports lines.
 */
export function jsonLineOf(input: string | Buffer, path: FieldPath): number {
  const bytes = typeof input === 'string' ? Buffer.from(input) : input;
  let at = skipSpace(bytes, 0);
  let anchor = at;
  for (const part of path) {
    const c = bytes[at];
    if (typeof part === 'string') {
      const member = c === OPEN_BRACE ? findMember(bytes, at, part) : undefined;
      if (!member) break;
      anchor = member.key;
      at = member.value;
    } else {
      const element = c === OPEN_BRACKET ? findElement(bytes, at, part) : undefined;
      if (element === undefined) break;
      anchor = at = element;
    }
  }
  let line = 1;
  for (let nl = bytes.indexOf(NEWLINE); nl >= 0 && nl < anchor; nl = bytes.indexOf(NEWLINE, nl + 1)) line++;
  return line;
}

/** Whether every item from the `from`-th on is valid JSON. */
function itemsParse(bytes: Buffer, bounds: number[], from: number): boolean {
  for (let k = from * 2; k < bounds.length; k += 2) if (!parsePart(bytes, bounds[k]!, bounds[k + 1]!)) return false;
  return true;
}

/**
 * Reads a JSON manifest (one object or a List), as text or as the file's UTF-8 bytes; undefined
 * when it is not JSON (it may still be YAML). Throws a SourceError `file:line: what: problem` for
 * the first problem found.
 */
export function readJsonManifest(input: string | Buffer, file: string): Manifest | undefined {
  const bytes = typeof input === 'string' ? Buffer.from(input) : input;
  const first = bytes[skipSpace(bytes, 0)];
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) return undefined;
  const reader = new ManifestReader(file);
  const lineOf = (path: FieldPath) => jsonLineOf(bytes, path);
  const scanned = scanObject(bytes);
  if (!scanned) {
    let value: unknown;
    try {
      value = JSON.parse(typeof input === 'string' ? input : bytes.toString('utf8'));
    } catch {
      return undefined;
    }
    reader.readDocument({ value, lineOf });
    return reader.manifest;
  }
  const { fields, items } = scanned;
  if (items === undefined || !isListKind(fields.kind)) {
    if (items !== undefined) {
      const values: unknown[] = [];
      for (let k = 0; k < items.length; k += 2) {
        const item = parsePart(bytes, items[k]!, items[k + 1]!);
        if (!item) return undefined;
        values.push(item.value);
      }
      fields.items = values;
    }
    reader.readDocument({ value: fields, lineOf });
    return reader.manifest;
  }
  const document: ManifestDocument = { value: fields, lineOf };
  const itemKind = itemKindOf(fields.kind as string);
  for (let k = 0; k < items.length; k += 2) {
    const item = parsePart(bytes, items[k]!, items[k + 1]!);
    if (!item) return undefined;
    try {
      reader.readObject(document, item.value, ['items', k / 2], itemKind);
    } catch (err) {
      // Text that is not JSON after all is read as YAML, which reports its own problem.
      if (!itemsParse(bytes, items, k / 2 + 1)) return undefined;
      throw err;
    }
  }
  return reader.manifest;
}
