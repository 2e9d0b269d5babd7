/**
 * The JSON form of messages: the typed message with
 *   - every bigint (64-bit counters, cookies, datapath ids, 64-bit field values) as a "0x…" hex
 *     string (lower case; on input a decimal string or a safe integer number is accepted too);
 *   - every Buffer (payloads, unknown elements, opaque continuations) as a plain hex string, no prefix;
 *   - everything else as it is (numbers, text addresses, names), absent optional members omitted.
 * The conversion back is driven by member names, not by message type: the few names that hold a
 * bigint or a Buffer are listed below, and match fields (objects with `field` and `value`) take the
 * width and kind of their value from the field table.
 */
import { EncodeError } from './errors.js';
import { fieldByHeader, fieldByName } from './fields/registry.js';
import type { OfpMessage } from './message.js';
import { PORT_COUNTERS } from './messages/multipart-types.js';

/** A value that JSON can represent. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Members whose string value is a 64-bit integer. */
const BIGINT_MEMBERS = new Set([
  'cookie',
  'cookieMask',
  'datapathId',
  'generationId',
  'packetCount',
  'byteCount',
  'lookupCount',
  'matchedCount',
  'metadataMatch',
  'metadataWrite',
  'metadata',
  'metadataMask',
  'mask',
  'tunId',
  ...PORT_COUNTERS,
  'packetInCount',
  'byteInCount',
  'packetBandCount',
  'byteBandCount',
  // reg_load's value; match-field and learn-immediate values are handled by their object's shape.
  'value',
]);

/** Members whose string value is a byte string. */
const BUFFER_MEMBERS = new Set(['data', 'packet', 'userdata', 'continuation', 'note']);

/** Learn specs whose `value` is an immediate byte string. */
const IMMEDIATE_KINDS = new Set(['match_immediate', 'load_immediate']);

/** A plain JSON-safe object for a message (see the conventions above). */
export function messageToJSON(m: OfpMessage): { [key: string]: JsonValue } {
  return toJSON(m) as { [key: string]: JsonValue };
}

function toJSON(v: unknown): JsonValue | undefined {
  switch (typeof v) {
    case 'bigint':
      return `0x${v.toString(16)}`;
    case 'number':
    case 'string':
    case 'boolean':
      return v;
    case 'undefined':
      return undefined;
    case 'object': {
      if (v === null) return null;
      if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
      if (Array.isArray(v)) return v.map((x) => toJSON(x) ?? null);
      const out: { [key: string]: JsonValue } = {};
      for (const [k, x] of Object.entries(v)) {
        const j = toJSON(x);
        if (j !== undefined) out[k] = j;
      }
      return out;
    }
    default:
      throw new EncodeError(`a ${typeof v} has no JSON form`, '');
  }
}

/** The typed message for a JSON object produced by messageToJSON (or written by hand). */
export function messageFromJSON(obj: unknown): OfpMessage {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new EncodeError('a message must be a JSON object', 'message');
  const type = (obj as { type?: unknown }).type;
  if (typeof type !== 'string') throw new EncodeError('a message needs a string "type"', 'message');
  return fromJSON(obj, type) as OfpMessage;
}

function fromJSON(v: unknown, path: string): unknown {
  if (Array.isArray(v)) return v.map((x, i) => fromJSON(x, `${path}[${i}]`));
  if (!v || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const isField = typeof o.field === 'string' && 'value' in o;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) {
    const p = `${path}.${k}`;
    if (typeof x !== 'string') {
      out[k] = fromJSON(x, p);
    } else if (isField && (k === 'value' || k === 'mask')) {
      out[k] = fieldValue(o, x, p);
    } else if (k === 'value' && IMMEDIATE_KINDS.has(o.kind as string)) {
      out[k] = hexToBuffer(x, p);
    } else if (BUFFER_MEMBERS.has(k)) {
      out[k] = hexToBuffer(x, p);
    } else if (BIGINT_MEMBERS.has(k)) {
      out[k] = toBigInt(x, p);
    } else {
      out[k] = x;
    }
  }
  return out;
}

/** A match-field value or mask: its form follows the field's kind and width. */
function fieldValue(entry: Record<string, unknown>, v: string, path: string): unknown {
  if (entry.field === 'unknown') return hexToBuffer(v, path);
  const found =
    typeof entry.header === 'number'
      ? fieldByHeader(entry.header, typeof entry.experimenter === 'number' ? entry.experimenter : undefined)
      : undefined;
  const def = found?.def ?? fieldByName(entry.field as string);
  if (!def || def.kind !== 'uint') return v;
  const bytes = found?.enc.bytes ?? def.encodings[0]!.bytes;
  const big = toBigInt(v, path);
  return bytes > 4 ? big : Number(big);
}

function toBigInt(s: string, path: string): bigint {
  if (!/^(0x[0-9a-fA-F]+|[0-9]+)$/.test(s)) throw new EncodeError(`"${s}" is not a "0x…" hex or decimal integer`, path);
  return BigInt(s);
}

function hexToBuffer(s: string, path: string): Buffer {
  if (!/^([0-9a-fA-F]{2})*$/.test(s)) throw new EncodeError(`"${s.length > 40 ? `${s.slice(0, 40)}…` : s}" is not a hex byte string`, path);
  return Buffer.from(s, 'hex');
}
