/**
 * Malformed input: every lie a length can tell, truncated TLVs, bad padding and unknown types give a
 * ProtocolError that says where (byte offset from the start of the input) and what was being read.
 */
import t, { type Test } from 'tap';
import { ProtocolError, decodeMessage, decodeMessages, encodeMessage, type OfpMessage } from '../../../protocol/index.js';

function refuse(t: Test, hex: string, want: { offset: number; structure: string | RegExp; reason: RegExp }, name: string): void {
  try {
    const m = decodeMessage(Buffer.from(hex, 'hex'));
    t.fail(`${name}: decoded as ${m.type}`);
  } catch (err) {
    t.type(err, ProtocolError, `${name}: ProtocolError`);
    const e = err as ProtocolError;
    t.equal(e.offset, want.offset, `${name}: offset ${want.offset}`);
    if (typeof want.structure === 'string') t.equal(e.structure, want.structure, `${name}: names ${want.structure}`);
    else t.match(e.structure, want.structure, `${name}: names the structure`);
    t.match(e.reason, want.reason, `${name}: ${e.message}`);
  }
}

const flowMod: OfpMessage = {
  type: 'flow_mod',
  xid: 1,
  cookie: 0n,
  cookieMask: 0n,
  tableId: 0,
  command: 0,
  idleTimeout: 0,
  hardTimeout: 0,
  priority: 1,
  bufferId: 0xffffffff,
  outPort: 0xffffffff,
  outGroup: 0xffffffff,
  flags: 0,
  match: [{ field: 'in_port', value: 1 }],
  instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: 2, maxLen: 0 }] }],
};
const FM = encodeMessage(flowMod).toString('hex');
// Offsets in FM: match at 48 (length field at 50), instruction at 64, its action at 72 (length at 74).

function patch(hex: string, at: number, bytes: string): string {
  return hex.slice(0, at * 2) + bytes + hex.slice(at * 2 + bytes.length);
}

t.test('message lengths that lie', async (t) => {
  refuse(
    t,
    '0400000400000001',
    { offset: 0, structure: 'ofp_header', reason: /length 4 is shorter than the 8-byte header/ },
    'shorter than its header',
  );
  refuse(t, '0400001000000001', { offset: 0, structure: 'ofp_header', reason: /runs past the end/ }, 'longer than the bytes at hand');
  refuse(t, '04000008', { offset: 0, structure: 'ofp_header', reason: /needs 8 bytes, only 4 left/ }, 'truncated header');
  refuse(t, '040000080000000100', { offset: 8, structure: 'message', reason: /1 unexpected trailing bytes/ }, 'trailing byte');
  t.same(
    decodeMessages(Buffer.from('04140008000000010415000800000001', 'hex')).map((m) => m.type),
    ['barrier_request', 'barrier_reply'],
    'two messages in one buffer',
  );
  t.throws(() => decodeMessages(Buffer.from('0414000800000001041500', 'hex')), ProtocolError, 'a truncated second message');
});

t.test('structure lengths that lie', async (t) => {
  refuse(
    t,
    patch(FM, 50, '0002'),
    { offset: 48, structure: 'flow_mod.match', reason: /match length 2 is shorter than its header/ },
    'match shorter than its header',
  );
  refuse(
    t,
    patch(FM, 50, '00ff'),
    { offset: 52, structure: 'flow_mod.match', reason: /runs past the end/ },
    'match longer than the message',
  );
  refuse(t, patch(FM, 74, '0000'), { offset: 72, structure: /actions/, reason: /action length 0/ }, 'action length 0');
  refuse(t, patch(FM, 74, '000c'), { offset: 72, structure: /actions/, reason: /action length 12/ }, 'action length not a multiple of 8');
  refuse(
    t,
    patch(FM, 66, '0100'),
    { offset: 64, structure: /flow_mod\.instructions/, reason: /length 256 runs past the end/ },
    'instruction longer than the message',
  );
  refuse(
    t,
    patch(FM, 52, '80000106'),
    { offset: 56, structure: 'flow_mod.match.oxm_fields', reason: /length 6 runs past the end/ },
    'OXM longer than its match',
  );
  const group = encodeMessage({
    type: 'group_mod',
    xid: 1,
    command: 0,
    groupType: 0,
    groupId: 1,
    buckets: [{ weight: 0, watchPort: 1, watchGroup: 2, actions: [] }],
  }).toString('hex');
  refuse(t, patch(group, 16, '0008'), { offset: 16, structure: 'group_mod.buckets', reason: /bucket length 8/ }, 'bucket shorter than 16');
  refuse(
    t,
    patch(group, 16, '0018'),
    { offset: 16, structure: 'group_mod.buckets', reason: /runs past the end/ },
    'bucket longer than the message',
  );
  const po = encodeMessage({ type: 'packet_out', xid: 1, bufferId: 0xffffffff, inPort: 1, actions: [], data: Buffer.alloc(4) }).toString(
    'hex',
  );
  refuse(
    t,
    patch(po, 16, '0010'),
    { offset: 24, structure: 'packet_out.actions_len', reason: /length 16 runs past the end/ },
    'actions_len beyond the message',
  );
  const fs = encodeMessage({
    type: 'multipart_reply',
    xid: 1,
    flags: 0,
    body: {
      kind: 'group',
      groups: [{ groupId: 1, refCount: 0, packetCount: 0n, byteCount: 0n, durationSec: 0, durationNsec: 0, buckets: [] }],
    },
  }).toString('hex');
  refuse(
    t,
    patch(fs, 16, '0020'),
    { offset: 16, structure: 'multipart_reply.group.groups[0]', reason: /record length 32 is shorter than 40/ },
    'multipart record shorter than its fixed part',
  );
  refuse(
    t,
    patch(fs, 16, '0030'),
    { offset: 16, structure: 'multipart_reply.group.groups[0]', reason: /length 48 runs past the end/ },
    'multipart record longer than the message',
  );
  const bundle = encodeMessage({
    type: 'bundle_add',
    xid: 1,
    bundleId: 1,
    flags: 0,
    message: { type: 'barrier_request', xid: 1 },
    properties: [],
  }).toString('hex');
  refuse(
    t,
    patch(bundle, 26, '0004'),
    { offset: 24, structure: 'bundle_add.message', reason: /shorter than the 8-byte header/ },
    'inner message shorter than a header',
  );
  refuse(
    t,
    patch(bundle, 26, '0010'),
    { offset: 24, structure: 'bundle_add.message', reason: /runs past the end/ },
    'inner message longer than the outer one',
  );
});

t.test('truncated and malformed TLVs', async (t) => {
  const bc = encodeMessage({
    type: 'bundle_control',
    xid: 1,
    bundleId: 1,
    ctrlType: 0,
    flags: 0,
    properties: [{ type: 5, data: Buffer.from('010203', 'hex') }],
  }).toString('hex');
  refuse(
    t,
    patch(bc, 26, '0010'),
    { offset: 28, structure: 'bundle_control.properties', reason: /runs past the end/ },
    'property longer than the message',
  );
  refuse(
    t,
    patch(bc, 26, '0002'),
    { offset: 24, structure: 'bundle_control.properties', reason: /shorter than its 4-byte header/ },
    'property shorter than its header',
  );
  refuse(
    t,
    bc.slice(0, -2).replace(/^04040020/, '0404001f'),
    { offset: 24, structure: 'bundle_control.properties', reason: /lacks its/ },
    'property without its padding',
  );
  refuse(
    t,
    patch(bc, 31, '01'),
    { offset: 31, structure: 'bundle_control.properties.pad', reason: /non-zero padding/ },
    'non-zero padding after a property',
  );
  const hello = '04000010000000010001000800000010';
  refuse(
    t,
    patch(hello, 10, '0002'),
    { offset: 8, structure: 'hello', reason: /shorter than its header/ },
    'hello element shorter than its header',
  );
  refuse(
    t,
    patch(hello, 10, '0010'),
    { offset: 8, structure: 'hello', reason: /length 16 runs past the end/ },
    'hello element longer than the message',
  );
  const pin2 = encodeMessage({ type: 'nx_packet_in2', xid: 1, tableId: 1 }).toString('hex');
  refuse(
    t,
    patch(pin2, 18, '0006'),
    { offset: 16, structure: 'nx_packet_in2.tableId', reason: /2-byte value, expected 1/ },
    'a u8 property with a 2-byte value',
  );
});

t.test('bad padding, unknown types', async (t) => {
  refuse(t, patch(FM, 46, '0001'), { offset: 47, structure: 'flow_mod', reason: /non-zero padding/ }, 'flow_mod pad');
  refuse(t, '04110010000000020201000000000000', { offset: 9, structure: 'table_mod', reason: /non-zero padding/ }, 'table_mod pad');
  const port = encodeMessage({
    type: 'port_status',
    xid: 0,
    reason: 0,
    desc: {
      portNo: 1,
      hwAddr: '00:00:00:00:00:01',
      name: 'p1',
      config: 0,
      state: 0,
      curr: 0,
      advertised: 0,
      supported: 0,
      peer: 0,
      currSpeed: 0,
      maxSpeed: 0,
    },
  }).toString('hex');
  refuse(
    t,
    patch(port, 36, '41'),
    { offset: 36, structure: 'port_status.desc.name', reason: /after the end of a NUL-terminated name/ },
    'garbage after a name',
  );
  refuse(t, '0463000800000001', { offset: 0, structure: 'ofp_header', reason: /unknown message type 99/ }, 'unknown OFPT type');
  refuse(
    t,
    '04120010000000010063000000000000',
    { offset: 8, structure: 'multipart_request', reason: /unknown multipart type 99/ },
    'unknown multipart type',
  );
  refuse(
    t,
    '0413002000000001ffff0000000000004f4e46000000074e000800090000000000'.slice(0, 64),
    { offset: 26, structure: 'multipart_reply.flow_monitor.updates[0]', reason: /unknown flow update event 9/ },
    'unknown flow update event',
  );
  refuse(
    t,
    patch(FM, 64, '0009'),
    { offset: 64, structure: /flow_mod\.instructions/, reason: /unknown instruction type 9/ },
    'unknown instruction type',
  );
});
