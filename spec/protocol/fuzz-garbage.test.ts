/**
 * Property tests on bad input: random bytes, random bodies behind valid headers, and mutated real
 * messages never raise anything but ProtocolError, never allocate more than the input's size, and
 * whatever does decode re-encodes to exactly the input.
 */
import fc from 'fast-check';
import t, { type Test } from 'tap';
import { Framer, ProtocolError, decodeMessage, decodeMessages, encodeMessage } from '../../protocol/index.js';
import { messageVectors } from '../helpers/vectors.js';

const vectors = messageVectors()
  .map((v) => Buffer.from(v.hex, 'hex'))
  .filter((b) => b.length < 4000);

/** Largest allocation requested while `fn` runs. */
function largestAllocation(fn: () => void): number {
  let largest = 0;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be put back on Buffer
  const saved = { alloc: Buffer.alloc, allocUnsafe: Buffer.allocUnsafe, allocUnsafeSlow: Buffer.allocUnsafeSlow };
  const spy = <F extends (size: number, ...rest: never[]) => Buffer>(f: F): F =>
    ((size: number, ...rest: never[]) => {
      largest = Math.max(largest, size);
      return f(size, ...rest);
    }) as F;
  Buffer.alloc = spy(saved.alloc);
  Buffer.allocUnsafe = spy(saved.allocUnsafe);
  Buffer.allocUnsafeSlow = spy(saved.allocUnsafeSlow);
  try {
    fn();
  } finally {
    Object.assign(Buffer, saved);
  }
  return largest;
}

interface Outcome {
  ok: boolean;
  problem?: string;
}

/** Decodes `input`; fine if it throws ProtocolError, or decodes and re-encodes to the same bytes. */
function check(input: Buffer): Outcome {
  let problem: string | undefined;
  const largest = largestAllocation(() => {
    try {
      const msgs = decodeMessages(input);
      const again = Buffer.concat(msgs.map((m) => encodeMessage(m)));
      if (!again.equals(input)) problem = `decoded but re-encoded differently: ${input.toString('hex')} → ${again.toString('hex')}`;
    } catch (err) {
      if (!(err instanceof ProtocolError)) problem = `${(err as Error).name}: ${(err as Error).message} for ${input.toString('hex')}`;
    }
  });
  // Encoding may use its own buffer; decoding alone must stay within the input's size.
  const decodeOnly = largestAllocation(() => {
    try {
      decodeMessages(input);
    } catch {
      // checked above
    }
  });
  if (!problem && decodeOnly > input.length) problem = `decoding allocated ${decodeOnly} bytes for a ${input.length}-byte input`;
  void largest;
  return problem ? { ok: false, problem } : { ok: true };
}

function run(t: Test, name: string, arb: fc.Arbitrary<Buffer>, numRuns: number): void {
  const problems = new Set<string>();
  fc.assert(
    fc.property(arb, (input) => {
      const r = check(input);
      if (!r.ok) problems.add(r.problem!);
      return true;
    }),
    { numRuns, seed: SEED },
  );
  t.same([...problems].slice(0, 10), [], `${name}: only ProtocolError, exact re-encoding, bounded allocation (${numRuns} inputs)`);
}
/** Fixed so runs are repeatable; set FC_SEED to explore other inputs. */
const SEED = Number(process.env.FC_SEED ?? 20261126);

t.test('random bytes', async (t) => {
  run(
    t,
    'random bytes',
    fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
    2000,
  );
});

t.test('random bodies behind valid OpenFlow 1.3 headers', async (t) => {
  const known = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29];
  const experimenterHead = fc.constantFrom(
    ...[0x4f4e4600, 0x2320].flatMap((exp) =>
      [1870, 1871, 1872, 1911, 2300, 2301, 2350, 16, 20, 27, 28, 29, 30, 32].map((sub) => [exp, sub]),
    ),
  );
  const body = fc.oneof(
    fc.tuple(fc.constantFrom(...known), fc.uint8Array({ maxLength: 160 })).map(([type, b]) => ({ type, b: Buffer.from(b) })),
    fc.tuple(experimenterHead, fc.uint8Array({ maxLength: 120 })).map(([[exp, sub], b]) => {
      const h = Buffer.alloc(8);
      h.writeUInt32BE(exp!, 0);
      h.writeUInt32BE(sub!, 4);
      return { type: 4, b: Buffer.concat([h, Buffer.from(b)]) };
    }),
    fc.tuple(fc.constantFrom(18, 19), fc.integer({ min: 0, max: 15 }), fc.uint8Array({ maxLength: 160 })).map(([type, mp, b]) => {
      const h = Buffer.alloc(8);
      h.writeUInt16BE(mp, 0);
      return { type, b: Buffer.concat([h, Buffer.from(b)]) };
    }),
  );
  const msg = fc.tuple(body, fc.integer({ min: 0, max: 0xffffffff })).map(([{ type, b }, xid]) => {
    const h = Buffer.alloc(8);
    h[0] = 4;
    h[1] = type;
    h.writeUInt16BE(8 + b.length, 2);
    h.writeUInt32BE(xid, 4);
    return Buffer.concat([h, b]);
  });
  run(t, 'random bodies', msg, 4000);
});

t.test('mutated real messages', async (t) => {
  const vector = fc.constantFrom(...vectors);
  const mutated = fc.oneof(
    fc.tuple(vector, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([v, at, byte]) => {
      const b = Buffer.from(v);
      b[at % b.length] = byte;
      return b;
    }),
    fc.tuple(vector, fc.nat(), fc.integer({ min: 0, max: 0xffff })).map(([v, at, len]) => {
      // Rewrite a 16-bit big-endian value at an even offset (where length fields live).
      const b = Buffer.from(v);
      const o = ((at % Math.max(1, b.length - 1)) >> 1) << 1;
      if (o + 2 <= b.length) b.writeUInt16BE(len, o);
      return b;
    }),
    fc.tuple(vector, fc.nat()).map(([v, cut]) => {
      // Truncate, keeping the header's length consistent so the body parsers see the short body.
      const b = Buffer.from(v.subarray(0, Math.max(8, cut % v.length)));
      b.writeUInt16BE(b.length, 2);
      return b;
    }),
  );
  run(t, 'mutations', mutated, 6000);
});

t.test('the framer on garbage: only ProtocolError, never stuck', async (t) => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 10 }), (chunks) => {
      const f = new Framer();
      try {
        for (const c of chunks) for (const m of f.push(Buffer.from(c))) if (m.length < 8) return false;
      } catch (err) {
        return err instanceof ProtocolError;
      }
      return f.buffered < 65536;
    }),
    { numRuns: 1000, seed: SEED },
  );
  t.pass('framer properties hold');
  t.throws(() => decodeMessage(Buffer.alloc(0)), ProtocolError, 'empty input');
});
