/** Shared by the text-format tests: reading JSON-lines vectors and checking one printed message. */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Test } from 'tap';
import { ProtocolError, decodeMessage } from '../../protocol/index.js';
import { formatMessage } from '../../protocol/text/index.js';

export const VECTORS = resolve(import.meta.dirname, '../vectors');
export const SHARED = resolve(import.meta.dirname, '../../../shared/vectors');

export function readJsonLines<T = Record<string, unknown>>(path: string): T[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

export type Outcome =
  /** ofwire printed exactly what ovs-ofctl printed. */
  | { kind: 'same' }
  /** ovs-ofctl printed a decode error and ofwire refused the bytes with ProtocolError. */
  | { kind: 'both-refuse' }
  | { kind: 'differs'; got: string }
  | { kind: 'refused'; error: string };

/** Decodes `hex` and prints it as ofp-print would at `verbosity`, compared with `expected`. */
export function printOutcome(hex: string, expected: string, verbosity = 2): Outcome {
  let m;
  try {
    m = decodeMessage(Buffer.from(hex, 'hex'));
  } catch (err) {
    if (err instanceof ProtocolError && expected.includes('***decode error')) return { kind: 'both-refuse' };
    return { kind: 'refused', error: (err as Error).message };
  }
  const got = formatMessage(m, { verbosity });
  return got === expected ? { kind: 'same' } : { kind: 'differs', got };
}

/** One assertion per vector, with the difference spelled out when there is one. */
export function assertPrinted(
  t: Test,
  label: string,
  hex: string,
  expected: string,
  verbosity = 2,
  counts?: { same: number; refused: number },
): void {
  const o = printOutcome(hex, expected, verbosity);
  if (o.kind === 'same' || o.kind === 'both-refuse') {
    if (counts) o.kind === 'same' ? counts.same++ : counts.refused++;
    t.pass(label);
  } else if (o.kind === 'differs') {
    t.equal(o.got, expected, label);
  } else {
    t.fail(`${label}: ofwire refuses the bytes (${o.error}) but ovs-ofctl prints them`, { expected });
  }
}
