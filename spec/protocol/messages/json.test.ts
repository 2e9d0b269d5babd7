/** The JSON form: conventions, and the way back. */
import t from 'tap';
import { encodeMessage, messageFromJSON, messageToJSON, type OfpMessage } from '../../../protocol/index.js';

t.test('conventions: bigint → "0x…", Buffer → hex, absent members omitted', async (t) => {
  const m: OfpMessage = {
    type: 'packet_in',
    xid: 7,
    bufferId: 0xffffffff,
    totalLen: 4,
    reason: 0,
    tableId: 1,
    cookie: 0xfedcba9876543210n,
    match: [
      { field: 'in_port', value: 3 },
      { field: 'metadata', value: 0x10n, mask: 0xf0n },
      { field: 'eth_dst', value: '0a:00:00:00:00:01' },
      { field: 'unknown', header: 0x0001ee00, value: Buffer.from('abcd', 'hex') },
    ],
    data: Buffer.from('deadbeef', 'hex'),
  };
  const j = messageToJSON(m);
  t.same(j, {
    type: 'packet_in',
    xid: 7,
    bufferId: 4294967295,
    totalLen: 4,
    reason: 0,
    tableId: 1,
    cookie: '0xfedcba9876543210',
    match: [
      { field: 'in_port', value: 3 },
      { field: 'metadata', value: '0x10', mask: '0xf0' },
      { field: 'eth_dst', value: '0a:00:00:00:00:01' },
      { field: 'unknown', header: 0x0001ee00, value: 'abcd' },
    ],
    data: 'deadbeef',
  });
  t.same(messageFromJSON(JSON.parse(JSON.stringify(j))), m, 'and back');
  const e = messageToJSON({ type: 'error', xid: 1, errType: 1, code: 2, data: Buffer.alloc(0) });
  t.same(e, { type: 'error', xid: 1, errType: 1, code: 2, data: '' }, 'no experimenter member when absent');
});

t.test('nested messages, multipart bodies, 64-bit counters', async (t) => {
  const inner: OfpMessage = { type: 'role_request', xid: 3, role: 2, generationId: 5n };
  const j = messageToJSON({ type: 'bundle_add', xid: 3, bundleId: 1, flags: 1, message: inner, properties: [] });
  t.same(j.message, { type: 'role_request', xid: 3, role: 2, generationId: '0x5' });
  const stats = messageToJSON({
    type: 'multipart_reply',
    xid: 1,
    flags: 0,
    body: { kind: 'aggregate', packetCount: 2n ** 63n, byteCount: 0n, flowCount: 1 },
  });
  t.same(stats.body, { kind: 'aggregate', packetCount: '0x8000000000000000', byteCount: '0x0', flowCount: 1 });
});

t.test('hand-written JSON: decimal strings and small numbers are accepted for 64-bit members', async (t) => {
  const a = messageFromJSON({ type: 'role_request', xid: 1, role: 2, generationId: '18446744073709551615' });
  t.equal((a as { generationId: bigint }).generationId, 0xffffffffffffffffn);
  const b = messageFromJSON({ type: 'role_request', xid: 1, role: 2, generationId: 42 });
  t.equal(encodeMessage(b).toString('hex'), '04180018000000010000000200000000000000000000002a', 'a safe integer number encodes too');
  const fm = messageFromJSON({
    type: 'flow_mod',
    xid: 1,
    cookie: '0x1',
    cookieMask: '0',
    tableId: 0,
    command: 0,
    idleTimeout: 0,
    hardTimeout: 0,
    priority: 1,
    bufferId: 4294967295,
    outPort: 4294967295,
    outGroup: 4294967295,
    flags: 0,
    match: [
      { field: 'reg0', value: '0x5' },
      { field: 'metadata', value: '255' },
    ],
    instructions: [{ type: 'write_metadata', metadata: '0x1', metadataMask: '0xff' }],
  });
  t.match(fm, {
    cookie: 1n,
    cookieMask: 0n,
    match: [
      { field: 'reg0', value: 5 },
      { field: 'metadata', value: 255n },
    ],
    instructions: [{ metadata: 1n, metadataMask: 0xffn }],
  });
});

t.test('bad JSON is refused with the path to the offending member', async (t) => {
  t.throws(() => messageFromJSON([]), { name: 'EncodeError', message: /must be a JSON object/ });
  t.throws(() => messageFromJSON({ xid: 1 }), { message: /needs a string "type"/ });
  t.throws(() => messageFromJSON({ type: 'echo_request', xid: 1, data: 'xyz' }), {
    message: 'echo_request.data: "xyz" is not a hex byte string',
  });
  t.throws(() => messageFromJSON({ type: 'role_request', xid: 1, role: 2, generationId: '0xZZ' }), {
    message: /role_request\.generationId: "0xZZ" is not a "0x…" hex or decimal integer/,
  });
  t.throws(() => encodeMessage(messageFromJSON({ type: 'multipart_request', xid: 1, flags: 0, body: { kind: 'port_stats' } })), {
    name: 'EncodeError',
    message: 'multipart_request.body.portNo: missing (an unsigned 32-bit integer)',
  });
  t.throws(() => encodeMessage(messageFromJSON({ type: 'multipart_request', xid: 1, flags: 0, body: { kind: 'nope' } })), {
    message: /unknown multipart body kind "nope"/,
  });
});
