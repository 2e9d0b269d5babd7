/** Shared by the text-format tests: checking one printed message against ovs-ofctl's text. */
import type { Test } from 'tap';
import { ProtocolError, decodeMessage } from '../../../protocol/index.js';
import { formatMessage } from '../../../protocol/text/index.js';

export type Outcome =
  /** ofwire printed exactly what ovs-ofctl printed. */
  | { kind: 'same'; got: string }
  /** ovs-ofctl printed a decode error and ofwire refused the bytes with ProtocolError. */
  | { kind: 'both-refuse'; error: string }
  | { kind: 'differs'; got: string }
  | { kind: 'refused'; error: string };

/** Decodes `hex` and prints it as ofp-print would at `verbosity`, compared with `expected`. */
export function printOutcome(hex: string, expected: string, verbosity = 2): Outcome {
  let m;
  try {
    m = decodeMessage(Buffer.from(hex, 'hex'));
  } catch (err) {
    if (err instanceof ProtocolError && expected.includes('***decode error')) return { kind: 'both-refuse', error: err.message };
    return { kind: 'refused', error: (err as Error).message };
  }
  const got = formatMessage(m, { verbosity });
  return got === expected ? { kind: 'same', got } : { kind: 'differs', got };
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
  if (o.kind === 'same') {
    if (counts) counts.same++;
    t.equal(o.got, expected, label);
  } else if (o.kind === 'both-refuse') {
    if (counts) counts.refused++;
    t.match(expected, '***decode error', `${label}: refused by both (${o.error})`);
  } else if (o.kind === 'differs') {
    t.equal(o.got, expected, label);
  } else {
    t.fail(`${label}: ofwire refuses the bytes (${o.error}) but ovs-ofctl prints them`, { expected });
  }
}
