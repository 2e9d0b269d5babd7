/**
 * Open vSwitch's 65535-byte limit for one action in its memory: the sizes ofwire computes for
 * OVS 3.1's internal actions, the boundaries, and the refusal (OvsLimitError) wherever actions are
 * encoded — typed messages and ovs-ofctl text. The same boundaries against a live ovs-vswitchd are
 * in ovs-limits-switch.test.ts.
 */
import fc from 'fast-check';
import t, { type Test } from 'tap';
import { EncodeError, OvsLimitError, encodeMessage, type Action, type OfpMessage } from '../../../protocol/index.js';
import { OVS_OFPACT_MAX_LEN, ovsActionListSize, ovsActionSize } from '../../../protocol/actions/ovs-limits.js';
import { OVS_CHECK_ABOVE } from '../../../protocol/actions/ovs-limits.js';
import { OfpSyntaxError, parseActions, parseFlow, parseGroup } from '../../../protocol/text/index.js';
import { anyAction, encodeActions, encodeInstructions } from './support.js';
import {
  BOUNDARIES as B,
  applyFlow,
  bundle,
  clone,
  ct,
  ethSrc,
  flowMod,
  groupMod,
  learn,
  nat,
  packetOut,
  regImmediate,
  regLoad,
  regOutput,
  setCtMark,
  setReg0,
  times,
  xxregLoad,
} from './ovs-limits-support.js';

function limitError(t: Test, f: () => unknown): OvsLimitError {
  try {
    f();
  } catch (err) {
    t.type(err, OvsLimitError);
    t.type(err, EncodeError, 'an EncodeError too');
    return err as OvsLimitError;
  }
  t.fail('expected an OvsLimitError');
  throw new Error('unreachable');
}

const encodes = (m: OfpMessage) => encodeMessage(m).length;

t.test('sizes of the actions inside Open vSwitch 3.1 (x86_64)', async (t) => {
  t.equal(OVS_OFPACT_MAX_LEN, 65535);
  t.equal(ovsActionSize(learn([])), 48, 'struct ofpact_learn');
  t.equal(ovsActionSize(learn([ethSrc, regLoad, regOutput])), 48 + 3 * 40, 'one ofpact_learn_spec each');
  t.equal(ovsActionSize(learn([regImmediate(1)])), 48 + 40 + 8, 'an immediate value rounded up to 8');
  t.equal(ovsActionSize(learn([regImmediate(32)])), 48 + 40 + 8);
  t.equal(ovsActionSize(learn([xxregLoad(65)])), 48 + 40 + 16);
  t.equal(ovsActionSize(learn([xxregLoad(128)])), 48 + 40 + 16);
  t.equal(ovsActionSize({ ...learn([ethSrc]), type: 'learn2', limit: 5 }), 88, 'learn2 is the same structure');
  t.equal(ovsActionSize(clone([])), 8, 'struct ofpact_nest');
  t.equal(ovsActionSize(clone([setReg0, { type: 'output', port: 1, maxLen: 0 }])), 8 + 32 + 16);
  t.equal(ovsActionSize(clone([clone([learn([ethSrc])])])), 8 + 8 + 88, 'nested sizes add up');
  t.equal(ovsActionSize(ct([])), 32, 'struct ofpact_conntrack');
  t.equal(ovsActionSize(ct([nat, setCtMark, { type: 'set_field', field: 'ct_label', value: 1n }])), 32 + 48 + 32 + 48);
  t.equal(ovsActionSize(bundle(3)), 56, 'bundle: 40 + 4 per member, padded');
  t.equal(ovsActionSize(bundle(4)), 56);
  t.equal(ovsActionSize({ type: 'set_field', field: 'ipv6_src', value: 'fe80::1' }), 48, 'a 16-byte value and mask');
  t.equal(
    ovsActionSize({ type: 'set_field', field: 'tun_metadata0', value: Buffer.alloc(1) }),
    16 + 2 * 128,
    'tun_metadata: the widest a TLV map makes it',
  );
  t.equal(ovsActionSize({ type: 'reg_load', dst: { field: 'tun_metadata3', ofs: 0, nBits: 8 }, value: 1n }), 272);
  t.equal(
    ovsActionSize({ type: 'reg_load', dst: { field: 'unknown', header: 0x00015603, ofs: 0, nBits: 8 }, value: 1n }),
    272,
    'a known header kept as unknown',
  );
  t.equal(
    ovsActionSize({ type: 'set_field', field: 'unknown', header: 0x7fff0000, value: Buffer.alloc(4) }),
    32,
    'an unknown field: its value',
  );
  t.equal(ovsActionSize({ type: 'reg_load', dst: { field: 'xxreg0', ofs: 0, nBits: 64 }, value: 1n }), 48, 'reg_load: the whole field');
  t.equal(ovsActionSize({ type: 'reg_load2', field: 'reg0', value: 1, mask: 1 }), 32);
  t.equal(ovsActionSize({ type: 'set_field', field: 'tp_src', value: 80 }), 32, 'a name without an encoding of its own');
  t.equal(ovsActionSize({ type: 'set_field', field: 'no_such_field', value: 1 }), 32, 'a field nobody knows');
  t.equal(ovsActionSize({ type: 'note', note: Buffer.alloc(3) }), 24, 'note: its wire length plus 8');
  t.equal(ovsActionSize({ type: 'note', note: Buffer.alloc(17) }), 40);
  t.equal(ovsActionSize({ type: 'controller2', userdata: Buffer.alloc(3) }), 32);
  t.equal(ovsActionSize({ type: 'controller2', pause: true }), 24);
  t.equal(ovsActionSize({ type: 'dec_ttl_cnt_ids', controllerIds: [1, 2, 3] }), 16);
  t.equal(ovsActionSize({ type: 'dec_nw_ttl' }), 16, 'one controller id');
  t.equal(
    ovsActionSize({
      type: 'encap',
      hdrSize: 0,
      packetType: 0x1894f,
      properties: [
        { type: 'nsh_md_type', mdType: 2 },
        { type: 'nsh_tlv', tlvClass: 0x1000, tlvType: 10, value: Buffer.alloc(4) },
        { type: 'unknown', propClass: 9, propType: 1, data: Buffer.alloc(4) },
      ],
    }),
    16 + 8 + 16 + 8,
  );
  t.equal(ovsActionSize({ type: 'unknown', actionType: 0x1234, data: Buffer.alloc(12) }), 16, 'an unknown action: its wire length');
  t.equal(ovsActionSize({ type: 'copy_ttl_out' }), 8, 'an action OVS does not take');
  t.equal(ovsActionSize({ type: 'nat', flags: 1, ipMin: '10.0.0.1' }), 48, 'nat: always room for IPv6');
  t.equal(ovsActionListSize([setReg0, nat, { type: 'exit' }]), 32 + 48 + 8);
});

t.test('no action grows more than 34× inside OVS, so lists of at most OVS_CHECK_ABOVE bytes are skipped', async (t) => {
  t.equal(OVS_CHECK_ABOVE, 1927);
  let worst = 0;
  const actions = fc.sample(anyAction, { numRuns: 3000, seed: 1637 });
  const widest: Action[] = [
    learn([regOutput]),
    learn(times(50, regImmediate(0))),
    ct(times(20, nat)),
    { type: 'set_field', field: 'tun_metadata0', value: Buffer.alloc(1) },
    { type: 'reg_load2', field: 'tun_metadata0', value: Buffer.alloc(1) },
    { type: 'set_field', field: 'tun_metadata0', value: Buffer.alloc(0) },
  ];
  for (const a of [...actions, ...widest]) {
    let wire: number;
    try {
      wire = encodeActions([a]).length;
    } catch {
      continue; // not every generated action encodes (e.g. learn specs of mismatched widths)
    }
    worst = Math.max(worst, ovsActionSize(a) / wire);
  }
  t.equal(worst, 34, 'an empty set_field of tun_metadata grows the most (8 → 272 bytes)');
});

t.test('learn: the largest that fits, and the message for one spec more', async (t) => {
  t.ok(encodes(applyFlow([learn(times(B.learnFieldSpecs, ethSrc))])) > 20_000, `${B.learnFieldSpecs} specs encode`);
  t.equal(ovsActionSize(learn(times(B.learnFieldSpecs, ethSrc))), 65528);
  const e = limitError(t, () => encodeMessage(applyFlow([learn(times(1700, ethSrc))])));
  t.equal(
    e.message,
    'flow_mod.instructions[0].actions[0]: learn with 1700 specs takes 68048 bytes inside Open vSwitch, over its 65535-byte limit for one action; the first 1637 specs fit',
  );
  t.match(e, { name: 'OvsLimitError', action: 'learn', size: 68048, limit: 65535, path: 'flow_mod.instructions[0].actions[0]' });
  limitError(t, () => encodeMessage(applyFlow([learn(times(B.learnFieldSpecs + 1, ethSrc))])));
  limitError(t, () => encodeMessage(applyFlow([learn(times(B.learnFieldSpecs + 1, regOutput))])));

  encodeMessage(applyFlow([learn(times(B.learnImmediate16, regImmediate(16)))]));
  const imm = limitError(t, () => encodeMessage(applyFlow([learn(times(B.learnImmediate16 + 1, regImmediate(16)))])));
  t.match(imm.reason, /^learn with 1365 specs takes 65568 bytes .*; the first 1364 specs fit$/);
  encodeMessage(applyFlow([learn(times(B.learnImmediate128, xxregLoad(128)))]));
  limitError(t, () => encodeMessage(applyFlow([learn(times(B.learnImmediate128 + 1, xxregLoad(128)))])));

  const two = limitError(t, () => encodeMessage(applyFlow([{ ...learn(times(1638, ethSrc)), type: 'learn2', limit: 0 }])));
  t.equal(
    two.reason,
    'learn2 with 1638 specs takes 65568 bytes inside Open vSwitch, over its 65535-byte limit for one action; the first 1637 specs fit',
  );
  const mixed = [...times(1000, ethSrc), ...times(700, xxregLoad(100))];
  const m = limitError(t, () => encodeMessage(applyFlow([learn(mixed)])));
  t.equal(
    m.reason,
    `learn with 1700 specs takes ${48 + 1000 * 40 + 700 * 56} bytes inside Open vSwitch, over its 65535-byte limit for one action; the first ${1000 + Math.floor((65535 - 48 - 40000) / 56)} specs fit`,
  );
});

t.test('clone and ct: the nested actions add up', async (t) => {
  encodeMessage(applyFlow([clone(times(B.cloneSetFields, setReg0))]));
  const c = limitError(t, () => encodeMessage(applyFlow([clone(times(B.cloneSetFields + 1, setReg0))])));
  t.equal(
    c.message,
    'flow_mod.instructions[0].actions[0]: clone with 2048 nested actions takes 65544 bytes inside Open vSwitch, over its 65535-byte limit for one action',
  );
  t.match(c, { action: 'clone', size: 65544 });

  encodeMessage(applyFlow([ct(times(B.ctNats, nat))], { match: [{ field: 'eth_type', value: 0x800 }] }));
  const n = limitError(t, () => encodeMessage(applyFlow([ct(times(B.ctNats + 1, nat))])));
  t.equal(n.reason, 'ct with 1365 nested actions takes 65552 bytes inside Open vSwitch, over its 65535-byte limit for one action');
  encodeMessage(applyFlow([ct(times(B.ctSetFields, setCtMark))]));
  limitError(t, () => encodeMessage(applyFlow([ct(times(B.ctSetFields + 1, setCtMark))])));

  // A clone inside a clone: the inner one is refused first, and named.
  const inner = clone([learn(times(1636, ethSrc))]);
  t.equal(ovsActionSize(clone([inner])), 8 + 8 + 48 + 1636 * 40);
  encodeMessage(applyFlow([clone([inner])]));
  const deep = limitError(t, () => encodeMessage(applyFlow([clone([clone([learn(times(1637, ethSrc))])])])));
  t.equal(deep.path, 'flow_mod.instructions[0].actions[0].actions[0]');
  t.match(deep.reason, /^clone with 1 nested action takes 65536 bytes/);
  const outer = limitError(t, () => encodeMessage(applyFlow([clone([clone(times(2047, setReg0)), setReg0])])));
  t.equal(outer.path, 'flow_mod.instructions[0].actions[0]');
  t.match(outer.reason, /^clone with 2 nested actions takes 65552 bytes/);
  // tun_metadata counts as the 124 bytes a TLV map may give it: 241 empty set_fields are 1944 bytes.
  const tun: Action = { type: 'set_field', field: 'tun_metadata0', value: Buffer.alloc(0) };
  encodeMessage(applyFlow([clone(times(240, tun))]));
  t.match(
    limitError(t, () => encodeMessage(applyFlow([clone(times(241, tun))]))),
    { action: 'clone', size: 8 + 241 * 272 },
  );
});

t.test('bundle and bundle_load: 4 bytes per member inside', async (t) => {
  encodeMessage(applyFlow([bundle(B.bundleMembers)]));
  const e = limitError(t, () => encodeMessage(applyFlow([bundle(B.bundleMembers + 1)])));
  t.equal(
    e.reason,
    'bundle with 16374 members takes 65536 bytes inside Open vSwitch, over its 65535-byte limit for one action (and it accepts at most 2048 members)',
  );
  const load: Action = {
    ...(bundle(20_000) as Extract<Action, { type: 'bundle' }>),
    type: 'bundle_load',
    dst: { field: 'reg0', ofs: 0, nBits: 16 },
  };
  t.match(
    limitError(t, () => encodeMessage(applyFlow([load]))),
    { action: 'bundle_load', size: 80040 },
  );
});

t.test('write_actions: one 16-bit length for the whole action set', async (t) => {
  encodeMessage(flowMod([{ type: 'write_actions', actions: times(B.writeActionsSetFields, setReg0) }]));
  const e = limitError(t, () => encodeMessage(flowMod([{ type: 'write_actions', actions: times(B.writeActionsSetFields + 1, setReg0) }])));
  t.equal(
    e.message,
    'flow_mod.instructions[0]: write_actions with 2048 actions takes 65544 bytes inside Open vSwitch, over its 65535-byte limit for one instruction',
  );
  t.match(e, { action: 'write_actions', size: 65544 });
  t.ok(encodeInstructions([{ type: 'apply_actions', actions: times(3000, setReg0) }]).length > 48_000, 'apply_actions has no such limit');
  t.equal(encodeActions([{ type: 'note', note: Buffer.alloc(60_000) }]).length, 60_016, 'nor a long note (its wire length plus 8 inside)');
  encodeInstructions([{ type: 'write_actions', actions: times(3000, { type: 'group', groupId: 1 }) }]);
});

t.test('every message that carries actions is refused, before any byte is returned', async (t) => {
  const big = learn(times(1638, ethSrc));
  t.equal(limitError(t, () => encodeMessage(groupMod(1, [big]))).path, 'group_mod.buckets[0].actions[0]');
  t.equal(limitError(t, () => encodeMessage(packetOut([clone([big])]))).path, 'packet_out.actions[0].actions[0]');
  const inBundle = limitError(t, () =>
    encodeMessage({ type: 'bundle_add', xid: 1, bundleId: 3, flags: 1, message: applyFlow([big]), properties: [] }),
  );
  t.equal(inBundle.path, 'bundle_add.message.instructions[0].actions[0]');
  t.equal(
    limitError(t, () =>
      encodeMessage(
        flowMod([
          { type: 'write_actions', actions: times(2048, setReg0) },
          { type: 'goto_table', tableId: 2 },
        ]),
      ),
    ).path,
    'flow_mod.instructions[0]',
  );
  // The shared writer is left clean: the next message encodes as usual.
  t.equal(encodeMessage({ type: 'barrier_request', xid: 7 }).toString('hex'), '0414000800000007');
});

t.test('ovs-ofctl text: the action is quoted with the same reason', async (t) => {
  const text = (n: number) => `table=5,actions=learn(table=1,${times(n, 'NXM_OF_ETH_SRC[]').join(',')})`;
  t.equal(
    encodes({ ...parseFlow(text(B.learnFieldSpecs)), xid: 1 }),
    encodes({ ...applyFlow([learn(times(B.learnFieldSpecs, ethSrc))], { tableId: 5 }), xid: 1 }),
  );
  const err = t.throws(() => parseFlow(text(1700))) as OfpSyntaxError;
  t.type(err, OfpSyntaxError);
  t.equal(
    err.reason,
    'learn with 1700 specs takes 68048 bytes inside Open vSwitch, over its 65535-byte limit for one action; the first 1637 specs fit',
  );
  t.match(err.token, /^learn\(table=1,NXM_OF_ETH_SRC\[\],/);
  t.equal(err.column, 16);
  const g = t.throws(() =>
    parseGroup(`group_id=1,type=all,bucket=actions=clone(${times(2048, 'set_field:1->reg0').join(',')})`),
  ) as OfpSyntaxError;
  t.equal(g.reason, 'clone with 2048 nested actions takes 65544 bytes inside Open vSwitch, over its 65535-byte limit for one action');
  t.throws(() => parseActions(`ct(commit,${times(1365, 'nat').join(',')})`), {
    name: 'OfpSyntaxError',
    reason: /^ct with 1365 nested actions takes 65552 bytes/,
  });
  // write_actions is checked as a whole when the message is encoded.
  const wa = (n: number) => ({ ...parseFlow(`actions=write_actions(${times(n, 'set_field:1->reg0').join(',')})`), xid: 1 });
  encodeMessage(wa(2047));
  t.match(
    limitError(t, () => encodeMessage(wa(2048))),
    { action: 'write_actions', path: 'flow_mod.instructions[0]' },
  );
});

t.test('EncodeError.at keeps the class and renames the path', async (t) => {
  const plain = new EncodeError('bad', 'x').at('y.x');
  t.equal(plain.constructor, EncodeError);
  t.equal(plain.message, 'y.x: bad');
  const limit = new OvsLimitError('too big', 'a', 'clone', 70000, 65535).at('b.a');
  t.match(limit, { name: 'OvsLimitError', message: 'b.a: too big', action: 'clone', size: 70000, limit: 65535 });
});
