/** Symmetric, configuration and controller-role messages. Hex from ovs-ofctl 3.1.0 where noted. */
import t from 'tap';
import { ProtocolError, decodeMessage, encodeMessage } from '../../../protocol/index.js';
import { helloVersions, versionBitmaps } from '../../../protocol/messages/hello.js';
import { decodeExact, goldenOne, roundTrip } from './roundtrip.js';

t.test('HELLO with a version bitmap (as ovs-ofctl -O OpenFlow13 sends it)', async (t) => {
  roundTrip(
    t,
    { type: 'hello', version: 4, xid: 1, elements: [{ type: 'versionbitmap', bitmaps: [0x10] }] },
    '04000010000000010001000800000010',
  );
  const m = decodeMessage(Buffer.from('06000010000000010001000800000052', 'hex'));
  t.equal(m.type === 'hello' && m.version, 6, 'header version kept (HELLO exists in every version)');
  t.same(m.type === 'hello' && helloVersions(m), [1, 4, 6]);
  t.same(versionBitmaps([1, 4, 6, 33]), [0x52, 0x2]);
});

t.test('HELLO keeps unknown elements and pads each to 8 bytes', async (t) => {
  roundTrip(
    t,
    {
      type: 'hello',
      version: 4,
      xid: 9,
      elements: [
        { type: 'unknown', elementType: 7, data: Buffer.from('abcdef', 'hex') },
        { type: 'versionbitmap', bitmaps: [0x10, 0x1] },
      ],
    },
    '040000200000000900070007abcdef00' + '0001000c0000001000000001' + '00000000',
  );
  t.same(decodeMessage(Buffer.from('0400000800000000', 'hex')), { type: 'hello', version: 4, xid: 0, elements: [] }, 'bare HELLO');
});

t.test('ERROR, standard and experimenter', async (t) => {
  // An ONF experimenter error (OFPBFC_BAD_ID) from ovs-vswitchd, carrying the start of the request.
  const v = goldenOne(/errors/, /OFPBFC_BAD_ID/);
  const m = decodeExact(t, v.hex);
  t.match(m, { type: 'error', errType: 0xffff, code: 0x08fe, experimenter: 0x4f4e4600 });
  t.equal(m.type === 'error' && m.data.subarray(0, 2).toString('hex'), '0404', 'data starts with the offending request');
  roundTrip(
    t,
    {
      type: 'error',
      xid: 0x12345678,
      errType: 0xffff,
      code: 0x0a28,
      experimenter: 0x4f4e4600,
      data: Buffer.from('0400000812345678', 'hex'),
    },
    '0401001812345678ffff0a284f4e46000400000812345678',
  );
  roundTrip(t, { type: 'error', xid: 3, errType: 5, code: 2, data: Buffer.from('040e0008000000030000', 'hex') });
  roundTrip(
    t,
    { type: 'error', version: 1, xid: 0, errType: 0, code: 0, data: Buffer.alloc(0) },
    '0101000c0000000000000000',
    'HELLO_FAILED in another version',
  );
});

t.test('ECHO and unknown EXPERIMENTER messages are kept whole', async (t) => {
  roundTrip(t, { type: 'echo_request', xid: 0, data: Buffer.alloc(0) }, '0402000800000000');
  roundTrip(t, { type: 'echo_reply', xid: 7, data: Buffer.from('ofwire') });
  roundTrip(
    t,
    { type: 'experimenter', xid: 5, experimenter: 0xabcdef, expType: 77, data: Buffer.from('0102', 'hex') },
    '0404001200000005' + '00abcdef0000004d0102',
  );
  // A Nicira subtype ofwire does not model stays an experimenter message.
  const m = decodeExact(t, '0404001000000002000023200000001200000000'.slice(0, 32));
  t.same(m, { type: 'experimenter', xid: 2, experimenter: 0x2320, expType: 18, data: Buffer.alloc(0) }, 'NXT_FLOW_AGE');
});

t.test('FEATURES and switch configuration', async (t) => {
  roundTrip(t, { type: 'features_request', xid: 2 }, '0405000800000002');
  roundTrip(
    t,
    {
      type: 'features_reply',
      xid: 1,
      datapathId: 0x0f00000000000001n,
      nBuffers: 0,
      nTables: 254,
      auxiliaryId: 1,
      capabilities: 0x4f,
      reserved: 0,
    },
    '04060020000000010f00000000000001' + '00000000fe0100000000004f00000000',
  );
  const v = goldenOne(/handshake/, /FEATURES_REPLY/);
  const f = decodeExact(t, v.hex);
  t.equal(
    f.type === 'features_reply' && f.datapathId.toString(16).padStart(16, '0'),
    /dpid:([0-9a-f]{16})/.exec(v.text)![1],
    'dpid as ovs-ofctl prints it',
  );
  roundTrip(t, { type: 'get_config_request', xid: 2 }, '0407000800000002');
  roundTrip(t, { type: 'get_config_reply', xid: 2, flags: 0, missSendLen: 0xffff }, '0408000c000000020000ffff');
  roundTrip(t, { type: 'set_config', xid: 0x89, flags: 1, missSendLen: 128 }, '0409000c0000008900010080');
});

t.test('BARRIER, TABLE_MOD, PORT_MOD, QUEUE_GET_CONFIG', async (t) => {
  roundTrip(t, { type: 'barrier_request', xid: 1 }, '0414000800000001');
  roundTrip(t, { type: 'barrier_reply', xid: 1 }, '0415000800000001');
  roundTrip(t, { type: 'table_mod', xid: 2, tableId: 2, config: 0 }, '04110010000000020200000000000000');
  roundTrip(
    t,
    { type: 'port_mod', xid: 3, portNo: 3, hwAddr: '50:54:00:00:00:01', config: 1, mask: 1, advertise: 0 },
    '04100028000000030000000300000000505400000001000000000001000000010000000000000000',
  );
  roundTrip(t, { type: 'queue_get_config_request', xid: 2, port: 1 }, '04160010000000020000000100000000');
  roundTrip(
    t,
    {
      type: 'queue_get_config_reply',
      xid: 1,
      port: 1,
      queues: [
        { queueId: 0x11, port: 1, properties: [] },
        {
          queueId: 0x22,
          port: 1,
          properties: [
            { type: 'min_rate', rate: 100 },
            { type: 'max_rate', rate: 900 },
          ],
        },
      ],
    },
    '0417005000000001000000010000000000000011000000010010000000000000' +
      '00000022000000010030000000000000' +
      '00010010000000000064000000000000' +
      '00020010000000000384000000000000',
  );
  roundTrip(t, {
    type: 'queue_get_config_reply',
    xid: 4,
    port: 2,
    queues: [
      {
        queueId: 1,
        port: 2,
        properties: [
          { type: 'experimenter', experimenter: 0x2320, data: Buffer.from('0102030405060708', 'hex') },
          { type: 'unknown', propType: 9, data: Buffer.from('00000000', 'hex') },
        ],
      },
    ],
  });
});

t.test('ROLE and asynchronous configuration', async (t) => {
  roundTrip(
    t,
    { type: 'role_request', xid: 7, role: 3, generationId: 0x8000000000000009n },
    '041800180000000700000003000000008000000000000009',
  );
  roundTrip(t, { type: 'role_reply', xid: 3, role: 2, generationId: 2n });
  roundTrip(t, { type: 'get_async_request', xid: 10 }, '041a00080000000a');
  roundTrip(
    t,
    { type: 'set_async', xid: 2, packetInMask: [3, 1], portStatusMask: [7, 7], flowRemovedMask: [15, 0] },
    '041c00200000000200000003000000010000000700000007000000' + '0f00000000',
  );
  roundTrip(t, { type: 'get_async_reply', xid: 1, packetInMask: [7, 0], portStatusMask: [7, 7], flowRemovedMask: [15, 0] });
});

t.test('refusals name the message and the field', async (t) => {
  t.throws(() => encodeMessage({ type: 'table_mod', xid: 1, tableId: 256, config: 0 }), {
    name: 'EncodeError',
    message: 'table_mod.tableId: 256 is not an unsigned 8-bit integer',
  });
  t.throws(() => encodeMessage({ type: 'set_config', xid: -1, flags: 0, missSendLen: 0 }), { message: /set_config\.xid/ });
  t.throws(() => encodeMessage({ type: 'set_config', xid: 1, flags: 0, missSendLen: 70000 }), {
    name: 'EncodeError',
    message: 'set_config.missSendLen: 70000 is not an unsigned 16-bit integer',
  });
  t.throws(() => encodeMessage({ type: 'barrier_request', xid: 2 ** 32 }), { message: /barrier_request\.xid/ });
  t.throws(() => encodeMessage({ type: 'nope', xid: 1 } as never), { message: 'nope.type: unknown message type "nope"' });
  t.throws(() => decodeMessage(Buffer.from('0499000800000001', 'hex')), ProtocolError, 'unknown OFPT type');
  t.throws(() => decodeMessage(Buffer.from('0105000800000001', 'hex')), { message: /OpenFlow version 0x1 is not 1\.3/ });
});
