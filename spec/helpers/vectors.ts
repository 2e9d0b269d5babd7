/**
 * Test vectors in JSON-lines form: ofwire's own, committed under spec/vectors, and Open vSwitch's
 * (../shared/vectors), which may be absent: tests skip with `sharedMissing` as the reason.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const VECTORS = resolve(import.meta.dirname, '../vectors');
export const SHARED_VECTORS = resolve(import.meta.dirname, '../../../shared/vectors');

/** Open vSwitch's message vectors in ../shared/vectors. */
export const SHARED_MESSAGE_FILES = ['ovs-of13.jsonl', 'ovs-of13-derived.jsonl', 'ovs-of13-generated.jsonl'] as const;

/** Every record of a JSON-lines file, blank lines skipped. */
export function readJsonLines<T = Record<string, unknown>>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      try {
        return JSON.parse(l) as T;
      } catch (err) {
        throw new Error(`${path}: record ${i + 1}: ${(err as Error).message}`, { cause: err });
      }
    });
}

/** A committed vector file, by its path under spec/vectors (e.g. 'messages/live.jsonl'). */
export function ownVectors<T = Record<string, unknown>>(file: string): T[] {
  return readJsonLines<T>(resolve(VECTORS, file));
}

/** A file of ../shared/vectors; empty when it is not there (tests skip with `sharedMissing`). */
export function sharedVectors<T = Record<string, unknown>>(file: string): T[] {
  const path = resolve(SHARED_VECTORS, file);
  return existsSync(path) ? readJsonLines<T>(path) : [];
}

/** Why a test of the given ../shared/vectors files cannot run, or false when all of them are there. */
export function sharedMissing(...files: string[]): string | false {
  if (!existsSync(SHARED_VECTORS)) return '../shared/vectors is not present';
  const missing = files.filter((f) => !existsSync(resolve(SHARED_VECTORS, f)));
  return missing.length ? `../shared/vectors has no ${missing.join(', ')}` : false;
}

/**
 * A message of ofwire's golden vectors (spec/vectors/messages): its bytes, what `ovs-ofctl
 * ofp-print` prints for them, and the JSON form of the message they decode to.
 */
export interface MessageVector {
  name: string;
  source?: string;
  hex: string;
  text: string;
  message: unknown;
}

let golden: MessageVector[] | undefined;

/** ofctl.jsonl (what ovs-ofctl sends) then live.jsonl (what ovs-vswitchd sends). */
export function messageVectors(): MessageVector[] {
  golden ??= ['messages/ofctl.jsonl', 'messages/live.jsonl'].flatMap((f) => ownVectors<MessageVector>(f));
  return golden;
}
