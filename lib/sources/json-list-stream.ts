/**
 * A JSON List manifest read from its file a chunk at a time: each item is parsed, converted and
 * dropped as soon as its last byte has arrived, so neither the file's bytes nor its text are ever
 * held whole (a List of 10k Services and their slices is 11 MB of each, which would stay in the
 * heap until the next full collection). It reads only what it can read alone: a List whose items
 * all convert. Anything else (YAML, one object, a duplicate key, an item without `kind` before the
 * List's kind is known, a problem to report with its line) gives undefined, and the caller reads
 * the file whole, which reports the problem as usual.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import {
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  parsePart,
  skipSpace,
  skipString,
  skipValue,
} from './json-manifest.js';
import { ManifestReader, isListKind, isRecord, itemKindOf, type Manifest, type ManifestDocument } from './manifest-reader.js';

/** Bytes read at a time; a value longer than this grows the buffer. */
const CHUNK_BYTES = 256 << 10;

/** Where the scanner is in `{"key": value, "items": [item, …], …}`. */
const enum At {
  Start,
  FirstKey,
  Key,
  Colon,
  Value,
  ItemsOpen,
  FirstItem,
  Item,
  AfterItem,
  AfterValue,
  End,
}

const GIVE_UP = -1;

/** The List's scanner: fed the file's bytes in order, it reads each item as soon as it is complete. */
export class JsonListScanner {
  private at = At.Start;
  private key = '';
  private readonly fields: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  private items = 0;
  private readonly reader: ManifestReader;
  private readonly document: ManifestDocument;

  constructor(file: string) {
    this.reader = new ManifestReader(file);
    this.document = {
      value: this.fields,
      // A problem to report: the whole-file reader reports it, with its line.
      lineOf: () => {
        throw new Error('read the file whole');
      },
    };
  }

  /**
   * Reads what `bytes` completes (with `final`, they are the last bytes of the file); returns how
   * many bytes were used (the rest must come again, at the start of the next call), or -1 when
   * the file must be read whole.
   */
  scan(bytes: Buffer, final: boolean): number {
    let i = 0;
    for (;;) {
      i = skipSpace(bytes, i);
      if (i >= bytes.length) return i;
      const c = bytes[i]!;
      switch (this.at) {
        case At.Start:
          if (c !== OPEN_BRACE) return GIVE_UP;
          this.at = At.FirstKey;
          i++;
          break;
        case At.FirstKey:
          if (c === CLOSE_BRACE) {
            this.at = At.End;
            i++;
          } else this.at = At.Key;
          break;
        case At.Key: {
          if (c !== QUOTE) return GIVE_UP;
          const end = skipString(bytes, i);
          if (end < 0) return final ? GIVE_UP : i;
          const key = parsePart(bytes, i, end)?.value;
          if (typeof key !== 'string' || key in this.fields) return GIVE_UP;
          this.key = key;
          this.at = At.Colon;
          i = end;
          break;
        }
        case At.Colon:
          if (c !== COLON) return GIVE_UP;
          this.at = this.key === 'items' ? At.ItemsOpen : At.Value;
          i++;
          break;
        case At.ItemsOpen:
          if (c !== OPEN_BRACKET) return GIVE_UP;
          this.fields.items = undefined; // a second `items` is a duplicate key
          this.at = At.FirstItem;
          i++;
          break;
        case At.FirstItem:
          if (c === CLOSE_BRACKET) {
            this.at = At.AfterValue;
            i++;
          } else this.at = At.Item;
          break;
        case At.Item:
        case At.Value: {
          const end = skipValue(bytes, i);
          // A number at the end of the bytes may go on in the next chunk.
          if (end < 0 || (end === bytes.length && !final)) return final ? GIVE_UP : i;
          const parsed = parsePart(bytes, i, end);
          if (!parsed) return GIVE_UP;
          if (this.at === At.Value) {
            this.fields[this.key] = parsed.value;
            this.at = At.AfterValue;
          } else {
            if (!this.readItem(parsed.value)) return GIVE_UP;
            this.at = At.AfterItem;
          }
          i = end;
          break;
        }
        case At.AfterItem:
          if (c === COMMA) this.at = At.Item;
          else if (c === CLOSE_BRACKET) this.at = At.AfterValue;
          else return GIVE_UP;
          i++;
          break;
        case At.AfterValue:
          if (c === COMMA) this.at = At.Key;
          else if (c === CLOSE_BRACE) this.at = At.End;
          else return GIVE_UP;
          i++;
          break;
        case At.End:
          return GIVE_UP;
      }
    }
  }

  /** The manifest, once every byte was scanned; undefined when the file must be read whole. */
  finish(): Manifest | undefined {
    if (this.at !== At.End || !isListKind(this.fields.kind)) return undefined;
    return this.reader.manifest;
  }

  private readItem(item: unknown): boolean {
    const kind = this.fields.kind;
    // Until the List's kind is known, an item's kind must be its own.
    if (kind === undefined ? !isRecord(item) || item.kind === undefined : !isListKind(kind)) return false;
    try {
      this.reader.readObject(this.document, item, ['items', this.items++], kind === undefined ? undefined : itemKindOf(kind as string));
      return true;
    } catch {
      return false;
    }
  }
}

/** A manifest read from a file and the SHA-256 of the file's bytes (base64). */
export interface StreamedManifest {
  manifest: Manifest;
  digest: string;
}

/**
 * Reads a JSON List file chunk by chunk; undefined when it must be read whole (see above). File
 * errors are thrown as they come.
 */
export async function readJsonListFile(path: string, file: string): Promise<StreamedManifest | undefined> {
  const handle = await open(path, 'r');
  try {
    const scanner = new JsonListScanner(file);
    const hash = createHash('sha256');
    let buf = Buffer.allocUnsafeSlow(CHUNK_BYTES);
    let kept = 0;
    for (;;) {
      if (kept === buf.length) {
        const bigger = Buffer.allocUnsafeSlow(buf.length * 2);
        buf.copy(bigger, 0, 0, kept);
        buf = bigger;
      }
      const { bytesRead } = await handle.read(buf, kept, buf.length - kept, null);
      hash.update(buf.subarray(kept, kept + bytesRead));
      const filled = kept + bytesRead;
      const used = scanner.scan(buf.subarray(0, filled), bytesRead === 0);
      if (used < 0) return undefined;
      if (bytesRead === 0) break;
      buf.copy(buf, 0, used, filled);
      kept = filled - used;
    }
    const manifest = scanner.finish();
    return manifest && { manifest, digest: hash.digest('base64') };
  } finally {
    await handle.close();
  }
}
