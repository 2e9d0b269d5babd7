/**
 * JSON manifests without the YAML parser, and a List without its whole parsed tree: the text is
 * scanned for the List's fields and the bounds of its items, then each item is parsed, converted
 * and dropped before the next, so that only one item's raw objects are alive at a time. Lines of
 * fields are found by scanning the text again, only when there is a problem to report.
 */
import type { FieldPath } from './errors.js';
import { ManifestReader, isListKind, itemKindOf, type Manifest, type ManifestDocument } from './manifest-reader.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isJsonSpace(text.charCodeAt(i))) i++;
  return i;
}

/** The end of the string starting at `i` (just past its closing quote), or -1. */
function skipString(text: string, i: number): number {
  let from = i + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/**
 * The end of the value starting at `i`, or -1. Only its extent is found (brackets balanced outside
 * strings); JSON.parse of the slice checks the rest.
 */
function skipValue(text: string, i: number): number {
  const first = text.charCodeAt(i);
  if (first === QUOTE) return skipString(text, i);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === QUOTE) {
        j = skipString(text, j) - 1;
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
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isJsonSpace(c)) break;
    j++;
  }
  return j > i ? j : -1;
}

function parsePart(text: string, start: number, end: number): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text.slice(start, end)) };
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
function scanArray(text: string, i: number, bounds: number[]): number {
  i = skipSpace(text, i + 1);
  if (text.charCodeAt(i) === CLOSE_BRACKET) return i + 1;
  for (;;) {
    const end = skipValue(text, i);
    if (end < 0) return -1;
    bounds.push(i, end);
    i = skipSpace(text, end);
    const c = text.charCodeAt(i);
    if (c === CLOSE_BRACKET) return i + 1;
    if (c !== COMMA) return -1;
    i = skipSpace(text, i + 1);
  }
}

/** The text as one JSON object with its items located, or undefined when it is not that shape. */
function scanObject(text: string): ScannedObject | undefined {
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== OPEN_BRACE) return undefined;
  const scanned: ScannedObject = { fields: {}, items: undefined };
  i = skipSpace(text, i + 1);
  if (text.charCodeAt(i) === CLOSE_BRACE) return skipSpace(text, i + 1) === text.length ? scanned : undefined;
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return undefined;
    const keyEnd = skipString(text, i);
    const key = keyEnd < 0 ? undefined : parsePart(text, i, keyEnd);
    if (key === undefined || key.value === '__proto__') return undefined;
    i = skipSpace(text, keyEnd);
    if (text.charCodeAt(i) !== COLON) return undefined;
    i = skipSpace(text, i + 1);
    const name = key.value as string;
    let end: number;
    if (name === 'items' && text.charCodeAt(i) === OPEN_BRACKET) {
      scanned.items = [];
      delete scanned.fields.items;
      end = scanArray(text, i, scanned.items);
      if (end < 0) return undefined;
    } else {
      end = skipValue(text, i);
      const value = end < 0 ? undefined : parsePart(text, i, end);
      if (value === undefined) return undefined;
      scanned.fields[name] = value.value;
      if (name === 'items') scanned.items = undefined;
    }
    i = skipSpace(text, end);
    const c = text.charCodeAt(i);
    if (c === CLOSE_BRACE) return skipSpace(text, i + 1) === text.length ? scanned : undefined;
    if (c !== COMMA) return undefined;
    i = skipSpace(text, i + 1);
  }
}

/** Where the member `key` of the object at `i` is: the key's and the value's offsets. */
function findMember(text: string, i: number, key: string): { key: number; value: number } | undefined {
  i = skipSpace(text, i + 1);
  while (text.charCodeAt(i) === QUOTE) {
    const keyEnd = skipString(text, i);
    const value = skipSpace(text, skipSpace(text, keyEnd) + 1);
    if (JSON.parse(text.slice(i, keyEnd)) === key) return { key: i, value };
    i = skipSpace(text, skipValue(text, value));
    if (text.charCodeAt(i) !== COMMA) return undefined;
    i = skipSpace(text, i + 1);
  }
  return undefined;
}

/** The offset of element `index` of the array at `i`. */
function findElement(text: string, i: number, index: number): number | undefined {
  i = skipSpace(text, i + 1);
  for (let n = 0; n < index; n++) {
    i = skipSpace(text, skipValue(text, i));
    if (text.charCodeAt(i) !== COMMA) return undefined;
    i = skipSpace(text, i + 1);
  }
  return text.charCodeAt(i) === CLOSE_BRACKET ? undefined : i;
}

/**
 * The line of the deepest field on `path` that exists in valid JSON `text` (the key's line for an
 * object's member), as the YAML parser reports lines.
 */
export function jsonLineOf(text: string, path: FieldPath): number {
  let at = skipSpace(text, 0);
  let anchor = at;
  for (const part of path) {
    const c = text.charCodeAt(at);
    if (typeof part === 'string') {
      const member = c === OPEN_BRACE ? findMember(text, at, part) : undefined;
      if (!member) break;
      anchor = member.key;
      at = member.value;
    } else {
      const element = c === OPEN_BRACKET ? findElement(text, at, part) : undefined;
      if (element === undefined) break;
      anchor = at = element;
    }
  }
  let line = 1;
  for (let nl = text.indexOf('\n'); nl >= 0 && nl < anchor; nl = text.indexOf('\n', nl + 1)) line++;
  return line;
}

/** Whether every item from the `from`-th on is valid JSON. */
function itemsParse(text: string, bounds: number[], from: number): boolean {
  for (let k = from * 2; k < bounds.length; k += 2) if (!parsePart(text, bounds[k]!, bounds[k + 1]!)) return false;
  return true;
}

/**
 * Reads a JSON manifest (one object or a List); undefined when the text is not JSON (it may still
 * be YAML). Throws a SourceError `file:line: what: problem` for the first problem found.
 */
export function readJsonManifest(text: string, file: string): Manifest | undefined {
  if (!/^\s*[{[]/.test(text)) return undefined;
  const reader = new ManifestReader(file);
  const lineOf = (path: FieldPath) => jsonLineOf(text, path);
  const scanned = scanObject(text);
  if (!scanned) {
    let value: unknown;
    try {
      value = JSON.parse(text);
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
        const item = parsePart(text, items[k]!, items[k + 1]!);
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
    const item = parsePart(text, items[k]!, items[k + 1]!);
    if (!item) return undefined;
    try {
      reader.readObject(document, item.value, ['items', k / 2], itemKind);
    } catch (err) {
      // Text that is not JSON after all is read as YAML, which reports its own problem.
      if (!itemsParse(text, items, k / 2 + 1)) return undefined;
      throw err;
    }
  }
  return reader.manifest;
}
