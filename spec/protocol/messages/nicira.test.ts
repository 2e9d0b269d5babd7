/** Nicira messages Open vSwitch uses with OpenFlow 1.3 (experimenter 0x00002320). */
import t from 'tap';
import { ProtocolError, decodeMessage } from '../../../protocol/index.js';
import { decodeExact, goldenOne, roundTrip } from './roundtrip.js';

t.test('NXT_CT_FLUSH_ZONE', async (t) => {
  t.same(decodeExact(t, goldenOne(/^ct-flush-zone/).hex), { type: 'nx_ct_flush_zone', xid: 2, zoneId: 5 });
  roundTrip(t, { type: 'nx_ct_flush_zone', xid: 9, zoneId: 65520 }, '0404001800000009000023200000001d000000000000fff0');
});

t.test('NXT_CT_FLUSH (Open vSwitch 3.1 TLVs) as ovs-ofctl ct-flush sends it', async (t) => {
  t.same(decodeExact(t, goldenOne(/^ct-flush$/).hex), { type: 'nx_ct_flush', xid: 2, ipProto: 0 });
  t.same(decodeExact(t, goldenOne(/^ct-flush zone/).hex), { type: 'nx_ct_flush', xid: 2, ipProto: 0, zoneId: 7 });
  t.same(decodeExact(t, goldenOne(/^ct-flush tuples/).hex), {
    type: 'nx_ct_flush',
    xid: 2,
    ipProto: 6,
    orig: { src: '10.0.0.1', dst: '10.96.0.10', srcPort: 4000, dstPort: 80 },
    reply: { src: '10.96.0.10', dst: '10.0.0.1', srcPort: 80, dstPort: 4000 },
    zoneId: 7,
  });
  t.same(decodeExact(t, goldenOne(/^ct-flush icmp6/).hex), {
    type: 'nx_ct_flush',
    xid: 2,
    ipProto: 58,
    orig: { src: 'fd00::1', dst: 'fd00::2', icmpId: 1, icmpType: 128, icmpCode: 0 },
    reply: { icmpId: 0, icmpType: 0, icmpCode: 0 },
  });
});

t.test('NXT_CT_FLUSH keeps an unusual property order', async (t) => {
  const bytes = roundTrip(t, {
    type: 'nx_ct_flush',
    xid: 1,
    ipProto: 17,
    zoneId: 3,
    reply: { dstPort: 53, src: '10.0.0.1', order: [3, 0] },
    order: [2, 1],
  });
  t.equal(bytes.subarray(24, 32).toString('hex'), '0002000800030000', 'zone first');
  t.equal(bytes.subarray(40, 48).toString('hex'), '0003000800350000', 'then the reply tuple, destination port first');
  t.same(
    decodeMessage(
      Buffer.from(
        '040400380000000100002320000000201100000000000000' + '00010020000000000000001400000000000000000000ffff000000010000000000000000',
        'hex',
      ).subarray(0, 56),
    ),
    {
      type: 'nx_ct_flush',
      xid: 1,
      ipProto: 17,
      reply: { src: '0.0.0.1' },
    },
    'an IPv4-mapped address reads as IPv4',
  );
  t.throws(() => roundTrip(t, { type: 'nx_ct_flush', xid: 1, ipProto: 1, order: [2] }), {
    name: 'EncodeError',
    message: /order lists property 2 but zoneId is absent/,
  });
  t.throws(
    () => decodeMessage(Buffer.from('040400280000000100002320000000200000000000000000' + '0002000800070000' + '0002000800080000', 'hex')),
    { name: 'ProtocolError', message: /property type 2 appears twice/ },
  );
  t.throws(() => decodeMessage(Buffer.from('040400200000000100002320000000200000000000000000' + '0009000800070000', 'hex')), {
    name: 'ProtocolError',
    message: /unknown conntrack flush property 9/,
  });
});

t.test('NXT_SET_PACKET_IN_FORMAT, NXT_SET_CONTROLLER_ID, NXT_SET_ASYNC_CONFIG2', async (t) => {
  t.same(decodeExact(t, goldenOne(/^monitor resume/, /SET_PACKET_IN_FORMAT/).hex), { type: 'nx_set_packet_in_format', xid: 5, format: 2 });
  roundTrip(t, { type: 'nx_set_packet_in_format', xid: 1, format: 0 }, '0404001400000001000023200000001000000000');
  roundTrip(t, { type: 'nx_set_controller_id', xid: 3, controllerId: 456 }, '04040018000000030000232000000014' + '00000000000001c8');
  roundTrip(
    t,
    {
      type: 'nx_set_async_config2',
      xid: 2,
      properties: [
        { propType: 1, mask: 1 },
        { propType: 3, mask: 7 },
        { propType: 11, mask: 3 },
      ],
    },
    '0404002800000002000023200000001b' + '000100080000000100030008000000070' + '00b000800000003',
  );
  t.throws(
    () => decodeMessage(Buffer.from('0404001c00000002000023200000001b' + '00010006000000000000', 'hex').subarray(0, 28)),
    ProtocolError,
    'a 6-byte async property is refused',
  );
});
