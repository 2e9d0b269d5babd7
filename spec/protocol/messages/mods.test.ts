/** Controller commands: FLOW_MOD, GROUP_MOD, METER_MOD, PACKET_OUT, bundles. */
import t from 'tap';
import { EncodeError, encodeMessage, type Bucket, type OfpMessage } from '../../../protocol/index.js';
import { decodeExact, golden, goldenOne, roundTrip } from './roundtrip.js';

const ANY = 0xffffffff;

t.test('FLOW_MOD as ovs-ofctl encodes it', async (t) => {
  for (const v of golden(/^flow_mod |^add-flow|^mod-flows|^del-flows/)) {
    const m = decodeExact(t, v.hex, v.name);
    if (v.text.startsWith('OFPT_FLOW_MOD')) t.equal(m.type, 'flow_mod');
  }
  const m = decodeExact(t, goldenOne(/cookie=0x1234567890abcdef/).hex);
  t.match(m, {
    type: 'flow_mod',
    cookie: 0x1234567890abcdefn,
    tableId: 3,
    priority: 7,
    idleTimeout: 30,
    hardTimeout: 60,
    // send_flow_rem 1, check_overlap 2, reset_counts 4, no_packet_counts 8, no_byte_counts 16
    flags: 0x1f,
    instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: 1 }] }],
  });
  const del = decodeExact(t, goldenOne(/^del-flows cookie/).hex);
  t.match(del, { command: 3, tableId: 0xff, cookie: 0x1234n, cookieMask: 0xffffffffffffffffn, outPort: 3, outGroup: ANY });
  const ins = decodeExact(t, goldenOne(/udp_dst=53/).hex);
  t.match(ins, {
    instructions: [
      { type: 'meter', meterId: 1 },
      { type: 'clear_actions' },
      { type: 'write_actions', actions: [{ type: 'output', port: 2 }] },
      { type: 'write_metadata', metadata: 0x12n, metadataMask: 0xffn },
      { type: 'goto_table', tableId: 1 },
    ],
  });
});

t.test('GROUP_MOD: all four types, weight, watch_port, watch_group', async (t) => {
  const groups = golden(/^group_mod /).map((v) => decodeExact(t, v.hex, v.name));
  const byId = new Map(groups.map((g) => [g.type === 'group_mod' ? g.groupId : -1, g]));
  t.match(byId.get(1), { groupType: 0, buckets: [{ weight: 0, watchPort: ANY, watchGroup: ANY }, {}] }, 'all');
  t.match(
    byId.get(2),
    { groupType: 1, buckets: [{ weight: 100, actions: [{ type: 'ct', flags: 1, zone: 65520, recircTable: 20 }] }, { weight: 50 }] },
    'select with ct/nat buckets',
  );
  t.match(byId.get(3), { groupType: 2, buckets: [{ actions: [{ type: 'set_field', field: 'reg0', value: 1 }, {}] }] }, 'indirect');
  t.match(
    byId.get(4),
    {
      groupType: 3,
      buckets: [
        { watchPort: 1, watchGroup: ANY },
        { watchPort: 2, watchGroup: 9 },
      ],
    },
    'fast failover',
  );
  roundTrip(
    t,
    { type: 'group_mod', xid: 2, command: 2, groupType: 0, groupId: 0xfffffffc, buckets: [] },
    '040f00100000000200020000fffffffc',
    'delete all groups',
  );
});

function ctNatBucket(i: number): Bucket {
  return {
    weight: 1,
    watchPort: ANY,
    watchGroup: ANY,
    actions: [
      {
        type: 'ct',
        flags: 1,
        zone: 65520,
        recircTable: 20,
        alg: 0,
        actions: [{ type: 'nat', flags: 2, ipMin: `10.${(i >> 8) & 255}.${i & 255}.1`, portMin: 8080 }],
      },
    ],
  };
}

t.test('a group too large for one message is refused with a clear error', async (t) => {
  const group = (n: number): OfpMessage => ({
    type: 'group_mod',
    xid: 1,
    command: 0,
    groupType: 1,
    groupId: 7,
    buckets: Array.from({ length: n }, (_, i) => ctNatBucket(i)),
  });
  const per = encodeMessage(group(2)).length - encodeMessage(group(1)).length;
  const fit = Math.floor((65535 - 16) / per);
  t.equal(encodeMessage(group(fit)).length, 16 + fit * per, `${fit} buckets of ${per} bytes fit`);
  const err = t.throws(() => encodeMessage(group(1200))) as EncodeError;
  t.type(err, EncodeError);
  t.equal(
    err.message,
    `group_mod: group 7 (select) has 1200 buckets and encodes to ${16 + 1200 * per} bytes, over the 65535-byte limit ` +
      `of one OpenFlow message; at about ${per} bytes per bucket at most ${fit} buckets fit`,
  );
  t.throws(() => encodeMessage(group(fit + 1)), { message: new RegExp(`has ${fit + 1} buckets`) }, 'one bucket too many');
  const echo = { type: 'echo_request' as const, xid: 1, data: Buffer.alloc(65535 - 8) };
  t.equal(encodeMessage(echo).length, 65535, 'a message of exactly 65535 bytes is fine');
  const inBundle = t.throws(() =>
    encodeMessage({ type: 'bundle_add', xid: 1, bundleId: 3, flags: 1, message: echo, properties: [] }),
  ) as EncodeError;
  t.equal(
    inBundle.message,
    'bundle_add: bundle_add (bundle 3 carrying echo_request) encodes to 65559 bytes, over the 65535-byte limit of one OpenFlow message',
  );
  const desc = t.throws(() =>
    encodeMessage({
      type: 'multipart_reply',
      xid: 1,
      flags: 0,
      body: { kind: 'group_desc', groups: [{ groupType: 1, groupId: 9, buckets: (group(1200) as { buckets: Bucket[] }).buckets }] },
    }),
  ) as EncodeError;
  t.match(desc.message, /^multipart_reply\.body\.groups\[0\]: group 9 \(select\) has 1200 buckets/);
});

t.test('METER_MOD', async (t) => {
  for (const v of golden(/meter$|meter dscp|del-meters/)) decodeExact(t, v.hex, v.name);
  roundTrip(
    t,
    { type: 'meter_mod', xid: 2, command: 0, flags: 0xd, meterId: 5, bands: [{ type: 'drop', rate: 1024, burstSize: 128 }] },
    '041d0020000000020000000d00000005' + '00010010000004000000008000000000',
  );
  roundTrip(t, {
    type: 'meter_mod',
    xid: 2,
    command: 1,
    flags: 2,
    meterId: 6,
    bands: [
      { type: 'dscp_remark', rate: 100, burstSize: 0, precLevel: 1 },
      { type: 'experimenter', rate: 1, burstSize: 2, experimenter: 0x2320, data: Buffer.from('0102030405060708', 'hex') },
    ],
  });
  t.throws(() => decodeExact(t, '041d0020000000020000000100000001' + '00050010000000020000000200000000'), {
    name: 'ProtocolError',
    message: /unknown meter band type 5/,
  });
});

t.test('PACKET_OUT', async (t) => {
  const v = goldenOne(/^packet-out/);
  const m = decodeExact(t, v.hex);
  t.match(m, { type: 'packet_out', bufferId: ANY, inPort: 1, actions: [{ type: 'ct' }, { type: 'output', port: 2 }] });
  t.equal(m.type === 'packet_out' && m.data.length, 42);
  roundTrip(
    t,
    { type: 'packet_out', xid: 9, bufferId: ANY, inPort: 0xfffffffd, actions: [], data: Buffer.from('00', 'hex') },
    '040d00190000000' + '9fffffffffffffffd0000000000000000' + '00',
  );
});

t.test('ONF bundles: control and add (with the inner message decoded)', async (t) => {
  const [open, add, commit] = golden(/^bundle add-flow/)
    .filter((v) => v.hex.startsWith('0404'))
    .map((v) => decodeExact(t, v.hex));
  t.same(open, { type: 'bundle_control', xid: 3, bundleId: 0, ctrlType: 0, flags: 3, properties: [] });
  t.match(add, { type: 'bundle_add', xid: 2, bundleId: 0, flags: 3, message: { type: 'flow_mod', xid: 2, priority: 1 }, properties: [] });
  t.match(commit, { type: 'bundle_control', ctrlType: 4 });
  const po = decodeExact(t, goldenOne(/^packet-out \(odd length\)/).hex);
  t.equal(encodeMessage(po).length % 8, 3, 'a 75-byte PACKET_OUT');
  // Without properties the inner message is not padded.
  roundTrip(
    t,
    { type: 'bundle_add', xid: po.xid, bundleId: 2, flags: 2, message: po, properties: [] },
    '04040063000000024f4e4600000008fd0000000200000002' + goldenOne(/^packet-out \(odd length\)/).hex,
  );
  // With properties, the inner message is padded to 8 bytes first.
  roundTrip(
    t,
    {
      type: 'bundle_add',
      xid: 5,
      bundleId: 1,
      flags: 1,
      message: { type: 'echo_request', xid: 5, data: Buffer.from('ab', 'hex') },
      properties: [{ type: 0xffff, data: Buffer.from('4f4e460000000001', 'hex') }],
    },
    '04040038000000054f4e4600000008fd' +
      '0000000100000001' +
      '040200090000000' +
      '5ab' +
      '00000000000000' +
      'ffff000c4f4e46000000000100000000',
  );
  roundTrip(t, {
    type: 'bundle_control',
    xid: 1,
    bundleId: 1,
    ctrlType: 1,
    flags: 2,
    properties: [{ type: 7, data: Buffer.from('01', 'hex') }],
  });
});
