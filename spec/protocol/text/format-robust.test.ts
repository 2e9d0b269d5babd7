/**
 * Whatever ofwire decodes, the printer prints: bytes of the vector messages with a few random
 * bytes changed are decoded, and every message that decodes prints (as text, or as Open vSwitch's
 * decode-error report) without throwing.
 */
import { resolve } from 'node:path';
import t from 'tap';
import { decodeMessage } from '../../../protocol/index.js';
import { formatMessage } from '../../../protocol/text/index.js';
import { VECTORS, readJsonLines } from '../../helpers/vectors.js';

const hexes = [
  ...readJsonLines<{ hex: string }>(resolve(VECTORS, 'print/messages.jsonl')).map((r) => r.hex),
  ...readJsonLines<{ hex: string }>(resolve(VECTORS, 'messages/live.jsonl')).map((r) => r.hex),
];

t.test('mutated messages print without throwing', async (t) => {
  let seed = 0x5eed;
  const rand = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  let decoded = 0;
  const failures: string[] = [];
  for (let i = 0; i < 6000; i++) {
    const b = Buffer.from(hexes[rand(hexes.length)]!, 'hex');
    for (let k = 1 + rand(3); k > 0; k--) {
      const at = 8 + rand(Math.max(1, b.length - 8));
      if (at < b.length) b[at] = rand(4) === 0 ? 0xff : rand(256);
    }
    let m;
    try {
      m = decodeMessage(b);
    } catch {
      continue;
    }
    decoded++;
    for (const verbosity of [1, 2, 3]) {
      try {
        const text = formatMessage(m, { verbosity });
        if (!text.endsWith('\n')) failures.push(`${b.toString('hex')}: no final newline`);
      } catch (err) {
        failures.push(`${b.toString('hex')}: ${(err as Error).message}`);
      }
    }
  }
  t.ok(decoded > 500, `${decoded} mutated messages decoded`);
  t.same(failures.slice(0, 5), [], 'every decoded message prints');
});
