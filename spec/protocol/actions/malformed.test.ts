/**
 * Malformed input: random and mutated bytes only ever raise ProtocolError (or decode to something
 * that re-encodes to the same bytes); lying lengths, truncation and non-zero padding are reported
 * with the offset and structure; values that cannot be encoded raise EncodeError naming the field.
 */
import fc from 'fast-check';
import t, { type Test } from 'tap';
import { EncodeError, ProtocolError } from '../../../protocol/errors.js';
import { MAX_ACTION_NESTING, writeActions, type Action } from '../../../protocol/actions/index.js';
import { Writer } from '../../../protocol/wire/writer.js';
import {
  actionList,
  decodeActions,
  decodeInstructions,
  encodeActions,
  encodeInstructions,
  instructionList,
  protocolErrorOf,
} from './support.js';

/** Decoding either fails with ProtocolError inside the input, or yields a list that re-encodes exactly. */
function checkActions(bytes: Buffer): boolean {
  let list: Action[];
  try {
    list = decodeActions(bytes);
  } catch (err) {
    if (!(err instanceof ProtocolError)) throw err;
    return err.offset >= 0 && err.offset <= bytes.length && err.structure.length > 0;
  }
  return encodeActions(list).equals(bytes);
}

function checkInstructions(bytes: Buffer): boolean {
  try {
    return encodeInstructions(decodeInstructions(bytes)).equals(bytes);
  } catch (err) {
    if (!(err instanceof ProtocolError)) throw err;
    return err.offset >= 0 && err.offset <= bytes.length && err.structure.length > 0;
  }
}

const mutation = fc.record({
  at: fc.nat(),
  value: fc.integer({ min: 0, max: 255 }),
  kind: fc.constantFrom('byte', 'truncate', 'length', 'extend'),
});

function mutate(bytes: Buffer, m: { at: number; value: number; kind: string }): Buffer {
  if (bytes.length === 0) return Buffer.from([m.value]);
  const out = Buffer.from(bytes);
  const at = m.at % bytes.length;
  switch (m.kind) {
    case 'byte':
      out[at] = m.value;
      return out;
    case 'truncate':
      return out.subarray(0, at);
    case 'length': {
      // Rewrite what may be a 16-bit length (every 2-byte-aligned position is tried eventually).
      if (out.length < 2) return out;
      out.writeUInt16BE((m.value << 2) & 0xffff, Math.min(at & ~1, out.length - 2));
      return out;
    }
    default:
      return Buffer.concat([out, Buffer.alloc(8, m.value)]);
  }
}

t.test('mutated action lists raise only ProtocolError', async (t) => {
  fc.assert(
    fc.property(actionList, fc.array(mutation, { minLength: 1, maxLength: 3 }), (actions, ms) => {
      let bytes = encodeActions(actions);
      for (const m of ms) bytes = mutate(bytes, m);
      return checkActions(bytes);
    }),
    { numRuns: 3000 },
  );
  t.pass('no other exception, no hang');
});

t.test('mutated instruction lists raise only ProtocolError', async (t) => {
  fc.assert(
    fc.property(instructionList, fc.array(mutation, { minLength: 1, maxLength: 3 }), (list, ms) => {
      let bytes = encodeInstructions(list);
      for (const m of ms) bytes = mutate(bytes, m);
      return checkInstructions(bytes);
    }),
    { numRuns: 1500 },
  );
  t.pass('no other exception, no hang');
});

t.test('random bytes raise only ProtocolError', async (t) => {
  const nxHeader = fc
    .tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 80 }))
    .map(([len8, subtype, rest]) => {
      const len = len8 * 8;
      const head = Buffer.from([0xff, 0xff, len >> 8, len & 255, 0, 0, 0x23, 0x20, 0, subtype]);
      return Buffer.concat([head, Buffer.from(rest)]);
    });
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 96 }).map((a) => Buffer.from(a)),
      checkActions,
    ),
    { numRuns: 3000 },
  );
  fc.assert(fc.property(nxHeader, checkActions), { numRuns: 5000 });
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 96 }).map((a) => Buffer.from(a)),
      checkInstructions,
    ),
    { numRuns: 2000 },
  );
  t.pass('no other exception, no hang');
});

/** Expects a ProtocolError at `offset` naming `structure` (a substring) and `reason` (a pattern). */
function rejects(
  t: Test,
  hex: string,
  offset: number | readonly [number, number],
  structure: string,
  reason: RegExp,
  mode: 'actions' | 'instructions' = 'actions',
): void {
  const bytes = Buffer.from(hex.replace(/\s+/g, ''), 'hex');
  const err = protocolErrorOf(() => (mode === 'actions' ? decodeActions(bytes) : decodeInstructions(bytes)));
  if (!err) {
    t.fail(`${hex} decoded`);
    return;
  }
  if (typeof offset === 'number') t.equal(err.offset, offset, `offset (${err.message})`);
  else t.ok(err.offset >= offset[0] && err.offset <= offset[1], `offset in [${offset[0]}, ${offset[1]}] (${err.message})`);
  t.match(err.structure, structure, 'structure');
  t.match(err.reason, reason, 'reason');
}

t.test('action lengths that lie', async (t) => {
  rejects(t, '0000 0000', 0, 'actions', /length 0 is not a positive multiple of 8/);
  rejects(t, '0000 0011 00000001 0000 000000000000 00', 0, 'actions', /length 17/);
  rejects(t, '0000 0018 00000001 0000 000000000000', 0, 'actions', /runs past the end/);
  rejects(t, '0000 0010 00000001 0000 000000000000  0000 0020 00000001', 16, 'actions', /runs past the end/);
  rejects(t, '0000 0018 00000001 0000 000000000000 0000000000000000', 0, 'ofp_action_output', /length 24, expected 16/);
  rejects(t, '0000 0008 00000001', 0, 'ofp_action_output', /length 8, expected 16/);
  rejects(t, 'ffff 0008 00002320', 0, 'actions', /shorter than its 16-byte header/);
  rejects(t, 'ffff 0010 00002320 0007 000000000000', 0, 'nx_action_reg_load', /length 16, expected 24/);
  rejects(t, '0019 0018 80000a02 0800 000000000000 0000000000000000', 0, 'ofp_action_set_field', /length 24, but its content takes 16/);
  rejects(t, '0019 0010 80000a04 0800 000000000000', 4, 'ofp_action_set_field.field', /length 4 is wrong/);
  // (the OXM reader may report the TLV or its payload)
  rejects(t, '0019 0008 80000a08', [4, 8], 'ofp_action_set_field.field', /runs past the end/);
});

t.test('inner counts and lengths that lie', async (t) => {
  // bundle claiming 9 members in room for 3
  rejects(
    t,
    'ffff 0028 00002320 000c 0001 0000 0000 00000002 0009 0000 00000000 00000000 0001 0002 0003 0000',
    32,
    'nx_action_bundle',
    /9 members need 18 bytes/,
  );
  // dec_ttl_cnt_ids claiming 65535 ids
  rejects(t, 'ffff 0018 00002320 0015 ffff 00000000 0001 0002 0003 0000', 16, 'nx_action_cnt_ids', /65535 controller ids/);
  // controller2 property running past the action
  rejects(t, 'ffff 0018 00002320 0025 000000000000 0003 0040 01020304', 16, 'nx_action_controller2.property', /runs past the end/);
  rejects(
    t,
    'ffff 0018 00002320 0025 000000000000 0003 0002 00000000',
    16,
    'nx_action_controller2.property',
    /shorter than its 4-byte header/,
  );
  rejects(
    t,
    'ffff 0018 00002320 0025 000000000000 0000 0006 0064 0000',
    16,
    'nx_action_controller2.property',
    /max_len property length 6, expected 8/,
  );
  rejects(t, 'ffff 0018 00002320 0025 000000000000 0009 0008 00000000', 16, 'nx_action_controller2.property', /unknown property type 9/);
  rejects(
    t,
    'ffff 0020 00002320 0025 000000000000 0004 0004 00000000 0004 0004 00000000',
    24,
    'nx_action_controller2.property',
    /duplicate pause/,
  );
  // encap property longer than the action
  rejects(t, 'ffff 0018 00002320 002e 0000 0001894f 0004 01 20 01000000', 16, 'ofp_ed_prop', /runs past the end/);
  rejects(t, 'ffff 0018 00002320 002e 0000 0001894f 0004 01 02 00000000', 16, 'ofp_ed_prop', /shorter than its 4-byte header/);
  // nat whose range_present asks for two IPv6 addresses in 8 bytes
  rejects(t, 'ffff 0018 00002320 0024 0000 0001 000c 0a000001 0a000002', 16, 'nx_action_nat.ipv6_min', /needs 16 bytes/);
  rejects(t, 'ffff 0018 00002320 0024 0000 0001 0005 0a000001 0a000002', 14, 'nx_action_nat', /mixes IPv4 and IPv6/);
  rejects(t, 'ffff 0010 00002320 0024 0000 0001 0040', 14, 'nx_action_nat', /unknown bits 0x40/);
  // learn spec with a 1023-bit immediate in a short action
  rejects(
    t,
    'ffff 0028 00002320 0010 0000 0000 0000 0000000000000000 0000 01 00 0000 0000  23ff 0000 00000000',
    34,
    'nx_action_learn.spec',
    /needs 128 bytes/,
  );
  rejects(
    t,
    'ffff 0028 00002320 0010 0000 0000 0000 0000000000000000 0000 01 00 0000 0000  1810 0000 00000000',
    32,
    'nx_action_learn.spec',
    /reserved destination type/,
  );
  rejects(
    t,
    'ffff 0028 00002320 0010 0000 0000 0000 0000000000000000 0000 01 00 0000 0000  3010 0000 00000000',
    32,
    'nx_action_learn.spec',
    /needs a field source/,
  );
  rejects(
    t,
    'ffff 0028 00002320 0010 0000 0000 0000 0000000000000000 0000 01 00 0000 0000  4010 0000 00000000',
    32,
    'nx_action_learn.spec',
    /reserved bits/,
  );
  // reg_move whose second header does not fit
  rejects(t, 'ffff 0018 00002320 0006 0010 0000 0000 ffff0a08 00000001', 24, 'nx_action_reg_move.dst', /needs 4 bytes/);
  // learn2 result offset without the write-result flag
  rejects(
    t,
    'ffff 0028 00002320 002d 0000 0000 0000 0000000000000000 0000 01 00 0000 0000 00000000 0005 0000',
    36,
    'nx_action_learn2',
    /without NX_LEARN_F_WRITE_RESULT/,
  );
  // bundle (not bundle_load) with a destination
  rejects(t, 'ffff 0020 00002320 000c 0001 0000 0000 00000002 0000 001f 00010004 00000000', 22, 'nx_action_bundle', /only bundle_load/);
  // a masked OXM in set_field
  rejects(t, '0019 0010 80000b04 0a000001 00000000', 4, 'ofp_action_set_field', /cannot be masked/);
  // nested: the inner action of a ct is truncated; the offset is absolute
  rejects(
    t,
    'ffff 0028 00002320 0023 0001 00000000 0000 ff 000000 0000  0000 0018 00000001 0000 000000000000',
    24,
    'nx_action_conntrack.actions',
    /runs past the end/,
  );
  rejects(
    t,
    'ffff 0020 00002320 002a 000000000000  0001 0008 0005 0000 0000 0008 000a 0000',
    24,
    'ofp_action_output',
    /length 8, expected 16/,
  );
});

t.test('non-zero padding', async (t) => {
  rejects(t, '0000 0010 00000001 0000 000000000001', 15, 'ofp_action_output', /non-zero padding/);
  rejects(t, '0011 0008 8100 0100', 6, 'ofp_action_push', /non-zero padding/);
  rejects(t, 'ffff 0010 00002320 0011 000000000100', 14, 'nx_action_header', /non-zero padding/);
  rejects(t, 'ffff 0010 00002320 000e 0001 05 000100', 14, 'nx_action_resubmit', /non-zero padding/);
  rejects(t, 'ffff 0018 00002320 0023 0001 00000000 0000 ff 000100 0000', 20, 'nx_action_conntrack', /non-zero padding/);
  rejects(t, 'ffff 0018 00002320 0025 000000000100 0004 0004 00000000', 14, 'nx_action_controller2', /non-zero padding/);
  rejects(t, 'ffff 0018 00002320 0025 000000000000 0004 0004 00000001', 23, 'nx_action_controller2.property.pad', /non-zero padding/);
  rejects(
    t,
    'ffff 0028 00002320 0010 0000 0000 0000 0000000000000000 0000 01 00 0000 0000 0000 0000 0000 0001',
    39,
    'nx_action_learn.pad',
    /non-zero padding/,
  );
  rejects(
    t,
    'ffff 0028 00002320 0010 0000 0000 0000 0000000000000000 0000 01 00 0000 0000 0000 0000 0000 0000',
    0,
    'nx_action_learn',
    /length 40, but its content takes 32/,
  );
  rejects(t, 'ffff 0018 00002320 0032 00010004 00000000 00000001 0000', 21, 'nx_action_delete_field.pad', /non-zero padding/);
  rejects(t, '0001 0008 01000001', 7, 'ofp_instruction_goto_table.pad', /non-zero padding/, 'instructions');
  rejects(t, '0004 0008 00000001', 7, 'ofp_instruction_actions.pad', /non-zero padding/, 'instructions');
});

t.test('instructions that lie', async (t) => {
  rejects(t, '0004 0009 01000000 00', 0, 'instructions', /length 9/, 'instructions');
  rejects(t, '0004 0018 00000000 0000001000000001', 0, 'instructions', /runs past the end/, 'instructions');
  rejects(t, '0001 0010 01000000 0000000000000000', 0, 'ofp_instruction_goto_table', /length 16, expected 8/, 'instructions');
  rejects(t, '0002 0010 00000000 fedcba9876543210', 0, 'ofp_instruction_write_metadata', /length 16, expected 24/, 'instructions');
  rejects(t, '0005 0010 00000000 0000000000000000', 0, 'ofp_instruction_actions', /length 16, expected 8/, 'instructions');
  rejects(t, '0006 0010 00000001 0000000000000000', 0, 'ofp_instruction_meter', /length 16, expected 8/, 'instructions');
  rejects(t, '0007 0008 00000000', 0, 'instructions', /unknown instruction type 7/, 'instructions');
  rejects(
    t,
    '0004 0018 00000000 0000 0018 00000001 0000 000000000000',
    8,
    'ofp_instruction_actions.actions',
    /runs past the end/,
    'instructions',
  );
});

/** Expects writeActions to raise EncodeError with this path and reason. */
function refuses(t: Test, actions: unknown[], path: string, reason: RegExp): void {
  const w = new Writer(64);
  try {
    writeActions(w, actions as Action[], 'flow_mod.instructions[0].actions');
    t.fail(`encoded ${JSON.stringify(actions, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}` : v))}`);
  } catch (err) {
    if (!(err instanceof EncodeError)) throw err;
    t.equal(err.path, path, `path (${err.message})`);
    t.match(err.reason, reason, 'reason');
  }
}

t.test('values that cannot be encoded', async (t) => {
  const p = 'flow_mod.instructions[0].actions';
  refuses(
    t,
    [
      { type: 'output', port: 1, maxLen: 0 },
      { type: 'output', port: -1, maxLen: 0 },
    ],
    `${p}[1].port`,
    /not an unsigned 32-bit integer/,
  );
  refuses(t, [{ type: 'output', port: 1, maxLen: 65536 }], `${p}[0].maxLen`, /not an unsigned 16-bit integer/);
  refuses(t, [{ type: 'bogus' }], `${p}[0]`, /unknown action type "bogus"/);
  refuses(t, [null], `${p}[0]`, /must be an object/);
  refuses(t, [{ type: 'set_field', field: 'ipv4_dst', value: '10.0.0.1', mask: '255.0.0.0' }], `${p}[0].mask`, /cannot carry a mask/);
  refuses(t, [{ type: 'set_field', field: 'no_such_field', value: 1 }], `${p}[0]`, /unknown field "no_such_field"/);
  refuses(
    t,
    [{ type: 'reg_move', src: { field: 'reg0', ofs: 0, nBits: 16 }, dst: { field: 'reg1', ofs: 0, nBits: 8 } }],
    `${p}[0].src.nBits`,
    /source has 16 bits but destination 8/,
  );
  refuses(t, [{ type: 'reg_load', dst: { field: 'reg0', ofs: 0, nBits: 65 }, value: 1n }], `${p}[0].dst.nBits`, /not in \[1, 64\]/);
  refuses(t, [{ type: 'reg_load', dst: { field: 'reg0', ofs: 1024, nBits: 1 }, value: 1n }], `${p}[0].dst.ofs`, /not in \[0, 1023\]/);
  refuses(t, [{ type: 'reg_load', dst: { field: 'reg0', ofs: 0, nBits: 8 }, value: -1n }], `${p}[0].value`, /64-bit/);
  refuses(t, [{ type: 'reg_load', dst: { field: 'nsh_c1', ofs: 0, nBits: 8 }, value: 1n }], `${p}[0].dst`, /32-bit header slot/);
  refuses(
    t,
    [{ type: 'reg_load', dst: { field: 'reg0', header: 0x00010204, ofs: 0, nBits: 8 }, value: 1n }],
    `${p}[0].dst.header`,
    /does not belong to field "reg0"/,
  );
  refuses(t, [{ type: 'ct', flags: 1, zone: 70000, recircTable: 255, alg: 0, actions: [] }], `${p}[0].zone`, /16-bit/);
  refuses(
    t,
    [
      {
        type: 'ct',
        flags: 1,
        zone: 0,
        recircTable: 255,
        alg: 0,
        actions: [{ type: 'nat', flags: 1, ipMin: '10.0.0.1', ipMax: 'fd00::1' }],
      },
    ],
    `${p}[0].actions[0].ipMax`,
    /same address family/,
  );
  refuses(
    t,
    [
      {
        type: 'clone',
        actions: [
          { type: 'output', port: 1, maxLen: 0 },
          { type: 'nat', flags: 1, ipMin: '10.0.0.300' },
        ],
      },
    ],
    `${p}[0].actions[1].ipMin`,
    /not an IPv4 address/,
  );
  refuses(t, [{ type: 'check_pkt_larger', pktLen: 1, dst: { field: 'reg0', ofs: 0, nBits: 2 } }], `${p}[0].dst.nBits`, /1 bit/);
  refuses(
    t,
    [
      {
        type: 'learn2',
        idleTimeout: 0,
        hardTimeout: 0,
        priority: 0,
        cookie: 0n,
        flags: 4,
        tableId: 1,
        finIdleTimeout: 0,
        finHardTimeout: 0,
        limit: 0,
        specs: [],
      },
    ],
    `${p}[0].resultDst`,
    /NX_LEARN_F_WRITE_RESULT/,
  );
  refuses(
    t,
    [
      {
        type: 'learn',
        idleTimeout: 0,
        hardTimeout: 0,
        priority: 0,
        cookie: 0n,
        flags: 0,
        tableId: 1,
        finIdleTimeout: 0,
        finHardTimeout: 0,
        specs: [{ kind: 'load_immediate', value: Buffer.alloc(3), dst: { field: 'reg0', ofs: 0, nBits: 16 } }],
      },
    ],
    `${p}[0].specs[0].value`,
    /3-byte value for 16 bits/,
  );
  refuses(
    t,
    [{ type: 'controller2', maxLen: 5, propertyOrder: ['max_len', 'pause'] }],
    `${p}[0].propertyOrder`,
    /"pause" is listed but has no value/,
  );
  refuses(
    t,
    [{ type: 'controller2', maxLen: 5, reason: 1, propertyOrder: ['max_len'] }],
    `${p}[0].propertyOrder`,
    /"reason" has a value but is missing/,
  );
  refuses(t, [{ type: 'unknown', actionType: 0xffff, data: Buffer.alloc(5) }], `${p}[0].data`, /multiple of 8/);
  refuses(t, [{ type: 'note', note: Buffer.alloc(70000) }], `${p}[0]`, /more than the 65528 nx_action_note allows/);
});

t.test('a decoded action survives its input buffer being reused', async (t) => {
  const bytes = Buffer.from('ffff001000002320000811e99aad67f3', 'hex');
  const [note] = decodeActions(bytes);
  bytes.fill(0);
  t.strictSame(note, { type: 'note', note: Buffer.from('11e99aad67f3', 'hex') });
});

t.test('errors are ProtocolError instances with the reason and structure in the message', async (t) => {
  const err = protocolErrorOf(() => decodeActions(Buffer.from('ffff001000002320000e000105000100', 'hex')));
  t.ok(err instanceof ProtocolError);
  t.equal(err?.message, 'nx_action_resubmit.pad at offset 14: non-zero padding');
});

/** `depth` clone actions, each holding the next. */
function nestedClones(depth: number): Buffer {
  const buf = Buffer.alloc(depth * 16);
  for (let i = 0; i < depth; i++) {
    const o = i * 16;
    buf.writeUInt16BE(0xffff, o);
    buf.writeUInt16BE(buf.length - o, o + 2);
    buf.writeUInt32BE(0x00002320, o + 4);
    buf.writeUInt16BE(42, o + 8);
  }
  return buf;
}

t.test('nesting is bounded', async (t) => {
  const ok = nestedClones(MAX_ACTION_NESTING);
  t.equal(encodeActions(decodeActions(ok)).toString('hex'), ok.toString('hex'), `${MAX_ACTION_NESTING} nested lists decode`);
  const deep = nestedClones(4000);
  const err = protocolErrorOf(() => decodeActions(deep));
  t.match(err?.reason, /nested more than 100 deep/);
  t.equal(err?.offset, (MAX_ACTION_NESTING + 1) * 16);

  const cyclic: Action = { type: 'clone', actions: [] };
  (cyclic as { actions: Action[] }).actions.push(cyclic);
  const w = new Writer(64);
  t.throws(() => writeActions(w, [cyclic], 'a'), EncodeError, 'a cyclic list is refused');
});
