/** The streaming framer: any split of a byte stream yields the same messages. */
import t from 'tap';
import { Framer, ProtocolError, decodeMessage, encodeMessage, type OfpMessage } from '../../protocol/index.js';

const messages: OfpMessage[] = [
  { type: 'hello', version: 4, xid: 1, elements: [{ type: 'versionbitmap', bitmaps: [0x10] }] },
  { type: 'barrier_request', xid: 2 },
  { type: 'echo_request', xid: 3, data: Buffer.from('0123456789abcdef0123', 'hex') },
  {
    type: 'packet_out',
    xid: 4,
    bufferId: 0xffffffff,
    inPort: 1,
    actions: [{ type: 'output', port: 2, maxLen: 0 }],
    data: Buffer.alloc(35, 7),
  },
  { type: 'features_request', xid: 5 },
];
const stream = Buffer.concat(messages.map((m) => encodeMessage(m)));
const expected = messages.map((m) => encodeMessage(m).toString('hex'));

function feed(chunks: Buffer[]): string[] {
  const f = new Framer();
  const out: string[] = [];
  for (const c of chunks) for (const m of f.push(c)) out.push(Buffer.from(m).toString('hex'));
  if (f.buffered !== 0) out.push(`(${f.buffered} bytes left over)`);
  return out;
}

t.test('the whole stream in one chunk', async (t) => {
  t.same(feed([stream]), expected);
});

t.test('split once at every offset', async (t) => {
  for (let i = 0; i <= stream.length; i++) {
    t.same(feed([stream.subarray(0, i), stream.subarray(i)]), expected, `split at ${i}`);
  }
});

t.test('split twice at every pair of offsets', async (t) => {
  let bad = 0;
  for (let i = 0; i <= stream.length; i++) {
    for (let j = i; j <= stream.length; j++) {
      const got = feed([stream.subarray(0, i), stream.subarray(i, j), stream.subarray(j)]);
      if (JSON.stringify(got) !== JSON.stringify(expected)) {
        bad++;
        t.fail(`split at ${i} and ${j}`);
      }
    }
  }
  t.equal(bad, 0, 'every pair of split points');
});

t.test('one byte at a time, and empty chunks', async (t) => {
  const bytes = [...stream].map((b) => Buffer.from([b]));
  t.same(feed(bytes), expected);
  t.same(feed([Buffer.alloc(0), stream.subarray(0, 3), Buffer.alloc(0), stream.subarray(3)]), expected);
});

t.test('a 64 KiB message arriving in small chunks is assembled once', async (t) => {
  const big = encodeMessage({ type: 'echo_reply', xid: 9, data: Buffer.alloc(65535 - 8, 0xab) });
  const f = new Framer();
  const out: Buffer[] = [];
  let concats = 0;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called as Buffer.concat and put back
  const real = Buffer.concat;
  Buffer.concat = (list: readonly Uint8Array[], len?: number) => {
    concats++;
    return real(list, len);
  };
  try {
    for (let i = 0; i < big.length; i += 7) out.push(...f.push(big.subarray(i, i + 7)));
  } finally {
    Buffer.concat = real;
  }
  t.equal(out.length, 1);
  t.ok(out[0]!.equals(big), 'byte-exact');
  t.ok(concats <= 2, `assembled with ${concats} concatenations (header, then body), not one per chunk`);
  t.same(decodeMessage(out[0]!), { type: 'echo_reply', xid: 9, data: Buffer.alloc(65535 - 8, 0xab) });
});

t.test('a length shorter than the header is an error with the stream offset, and stays one', async (t) => {
  const f = new Framer();
  t.same(
    f.push(stream.subarray(0, 16)),
    [expected[0]].map((h) => Buffer.from(h!, 'hex')),
  );
  const err = t.throws(() => f.push(Buffer.from('0414000400000001', 'hex'))) as ProtocolError;
  t.type(err, ProtocolError);
  t.equal(err.offset, 16);
  t.equal(err.structure, 'ofp_header');
  t.throws(() => f.push(stream), ProtocolError, 'later pushes fail too');
  const split = new Framer();
  split.push(Buffer.from('0414', 'hex'));
  t.throws(
    () => split.push(Buffer.from('000000000001', 'hex')),
    { message: /length 0 is shorter/ },
    'also when the header arrives in pieces',
  );
});
