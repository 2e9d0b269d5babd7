/** The six OpenFlow 1.3 instructions and the experimenter instruction: bytes, decode, errors. */
import t from 'tap';
import { EncodeError } from '../../../protocol/errors.js';
import type { Instruction } from '../../../protocol/actions/index.js';
import { decodeInstructions, encodeInstructions, protocolErrorOf } from './support.js';

const cases: { name: string; ins: Instruction; hex: string }[] = [
  { name: 'goto_table', ins: { type: 'goto_table', tableId: 9 }, hex: '0001000809000000' },
  {
    name: 'write_metadata',
    ins: { type: 'write_metadata', metadata: 0xfedcba9876543210n, metadataMask: 0xff00ff00ff00ff00n },
    hex: '0002001800000000fedcba9876543210ff00ff00ff00ff00',
  },
  {
    name: 'write_actions',
    ins: {
      type: 'write_actions',
      actions: [
        { type: 'output', port: 1, maxLen: 0 },
        { type: 'group', groupId: 2 },
      ],
    },
    hex: '0003002000000000' + '00000010000000010000000000000000' + '0016000800000002',
  },
  {
    name: 'apply_actions',
    ins: { type: 'apply_actions', actions: [{ type: 'ct_clear' }] },
    hex: '0004001800000000ffff001000002320002b000000000000',
  },
  { name: 'apply_actions (empty)', ins: { type: 'apply_actions', actions: [] }, hex: '0004000800000000' },
  { name: 'clear_actions', ins: { type: 'clear_actions' }, hex: '0005000800000000' },
  { name: 'meter', ins: { type: 'meter', meterId: 0x01020304 }, hex: '0006000801020304' },
  {
    name: 'experimenter',
    ins: { type: 'experimenter', experimenter: 0x00002320, data: Buffer.from('0102030405060708', 'hex') },
    hex: 'ffff0010000023200102030405060708',
  },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    t.equal(encodeInstructions([c.ins]).toString('hex'), c.hex, 'encodes');
    t.strictSame(decodeInstructions(Buffer.from(c.hex, 'hex')), [c.ins], 'decodes');
  });
}

t.test('a list keeps order and repetition', async (t) => {
  const list: Instruction[] = [
    { type: 'goto_table', tableId: 1 },
    { type: 'apply_actions', actions: [] },
    { type: 'apply_actions', actions: [{ type: 'exit' }] },
    { type: 'meter', meterId: 1 },
  ];
  const bytes = encodeInstructions(list);
  t.strictSame(decodeInstructions(bytes), list);
});

t.test('an unknown instruction type is rejected', async (t) => {
  const err = protocolErrorOf(() => decodeInstructions(Buffer.from('00010008010000000007000800000000', 'hex')));
  t.equal(err?.offset, 8);
  t.equal(err?.structure, 'instructions');
  t.match(err?.reason, /unknown instruction type 7/);
});

t.test('instructions that cannot be encoded', async (t) => {
  const bad: [unknown, string, RegExp][] = [
    [{ type: 'goto_table', tableId: 256 }, 'i[0].tableId', /8-bit/],
    [{ type: 'meter', meterId: -1 }, 'i[0].meterId', /32-bit/],
    [{ type: 'write_metadata', metadata: 1, metadataMask: 1n }, 'i[0].metadata', /64-bit bigint/],
    [{ type: 'experimenter', experimenter: 1, data: Buffer.alloc(3) }, 'i[0].data', /multiple of 8/],
    [{ type: 'apply_actions', actions: [{ type: 'group', groupId: 1.5 }] }, 'i[0].actions[0].groupId', /32-bit/],
    [{ type: 'goto' }, 'i[0]', /unknown instruction type "goto"/],
  ];
  for (const [ins, path, reason] of bad) {
    try {
      encodeInstructions([ins as Instruction]);
      t.fail(`encoded ${JSON.stringify(ins, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}` : v))}`);
    } catch (err) {
      t.ok(err instanceof EncodeError, 'EncodeError');
      t.equal((err as EncodeError).path, path.replace(/^i/, 'instructions'));
      t.match((err as EncodeError).reason, reason);
    }
  }
});
