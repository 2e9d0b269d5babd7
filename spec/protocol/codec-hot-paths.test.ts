/**
 * The codec's in-place paths give the same bytes and objects as the checked general ones:
 * encodeMessage's slab views, the FLOW_MOD fixed part, OXMs written and read from their
 * precomputed headers, and the header table by class; values they do not take go the general way
 * and are refused with the same messages.
 */
import t from 'tap';
import {
  EncodeError,
  ProtocolError,
  decodeMessage,
  encodeMessage,
  type FlowMod,
  type OfpMessage,
  type OxmField,
} from '../../protocol/index.js';
import { Reader } from '../../protocol/wire/reader.js';
import { Writer } from '../../protocol/wire/writer.js';
import { readOxm, writeMatch, writeOxm } from '../../protocol/fields/oxm.js';
import { writeMessage } from '../../protocol/codec.js';
import { fieldByHeader, oxmHeader } from '../../protocol/fields/registry.js';
import { FLOW_MOD_HEX, serviceFlowMod } from '../../benchmarks/codec/workloads.js';
import { OFPXMC_ERICSSON, OFPXMC_PACKET_REGS } from '../../protocol/constants/openflow13.js';

function written(m: OfpMessage): Buffer {
  const w = new Writer(64);
  writeMessage(w, m);
  return w.copyFrom(0);
}

function oxmBytes(entry: OxmField): Buffer {
  const w = new Writer(16);
  writeOxm(w, entry, 'oxm');
  return w.copyFrom(0);
}

/** The error `f` throws (or undefined). */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  return undefined;
}

function oxmFrom(hex: string): OxmField {
  const r = new Reader(Buffer.from(hex, 'hex'));
  const e = readOxm(r, 'oxm');
  r.done('oxm');
  return e;
}

t.test('encodeMessage: each message its own bytes, intact after later ones', async (t) => {
  const kept: Buffer[] = [];
  // About 28 slabs' worth of messages.
  for (let xid = 0; xid < 2000; xid++) kept.push(encodeMessage({ ...serviceFlowMod(), xid }));
  const want = Buffer.from(FLOW_MOD_HEX, 'hex');
  let wrong = 0;
  kept.forEach((b, xid) => {
    want.writeUInt32BE(xid, 4);
    if (!b.equals(want)) wrong++;
  });
  t.equal(wrong, 0, 'every message holds the bytes ovs-ofctl sends, with its own xid');
  t.equal(kept[0]!.length, want.length);
});

t.test('encodeMessage: a message larger than a slab gets a buffer of its own', async (t) => {
  const big: FlowMod = {
    ...serviceFlowMod(),
    instructions: [
      { type: 'apply_actions', actions: Array.from({ length: 3000 }, (_, i) => ({ type: 'output' as const, port: i + 1, maxLen: 0 })) },
    ],
  };
  const before = encodeMessage(serviceFlowMod());
  const copyOfBefore = Buffer.from(before);
  const b = encodeMessage(big);
  t.equal(b.length, 112 - 8 + 3000 * 16, 'the group action replaced by 3000 outputs');
  t.ok(b.equals(written(big)), 'the same bytes as writeMessage');
  const after = encodeMessage(serviceFlowMod());
  t.equal(after.toString('hex'), FLOW_MOD_HEX, 'the next message is whole');
  t.ok(b.equals(written(big)), 'and leaves the large one as it was');
  t.ok(before.equals(copyOfBefore), 'and the one before');
  t.same(decodeMessage(b), big);
});

t.test('encodeMessage: a refused message leaves no bytes behind', async (t) => {
  t.throws(() => encodeMessage({ ...serviceFlowMod(), priority: 70000 }), EncodeError);
  t.equal(encodeMessage(serviceFlowMod()).toString('hex'), FLOW_MOD_HEX);
});

t.test('FLOW_MOD fixed part: numbers for cookies, and values out of range', async (t) => {
  const m = serviceFlowMod();
  t.equal(
    written({ ...m, cookie: 0x1234, cookieMask: 0xff } as unknown as FlowMod).toString('hex'),
    written({ ...m, cookie: 0x1234n, cookieMask: 0xffn }).toString('hex'),
  );
  const refusals: [Partial<FlowMod>, string][] = [
    [{ priority: 70000 }, 'flow_mod.priority'],
    [{ tableId: 256 }, 'flow_mod.tableId'],
    [{ cookie: -1n }, 'flow_mod.cookie'],
    [{ cookieMask: 1n << 64n }, 'flow_mod.cookieMask'],
    [{ bufferId: -1 }, 'flow_mod.bufferId'],
    [{ flags: 1.5 }, 'flow_mod.flags'],
  ];
  for (const [change, path] of refusals) {
    const err = thrown(() => written({ ...m, ...change }));
    t.ok(err instanceof EncodeError && err.path === path, path);
  }
});

t.test('OXMs written in place: the same bytes as the general path, refusals unchanged', async (t) => {
  t.equal(oxmBytes({ field: 'ipv4_dst', value: '10.96.0.10' }).toString('hex'), '800018040a60000a');
  t.equal(oxmBytes({ field: 'ipv4_dst', value: 0x0a60000a }).toString('hex'), '800018040a60000a', 'an IPv4 address as a number');
  t.equal(oxmBytes({ field: 'ipv4_src', value: '10.0.0.0', mask: '255.0.0.0' }).toString('hex'), '800017080a000000ff000000');
  t.equal(oxmBytes({ field: 'tcp_dst', value: 80 }).toString('hex'), '80001c020050');
  t.equal(oxmBytes({ field: 'reg2', value: 80, mask: 0xffff }).toString('hex'), '0001050800000050' + '0000ffff');
  t.equal(oxmBytes({ field: 'vlan_pcp', value: 3 }).toString('hex'), '80000e0103');
  t.equal(oxmBytes({ field: 'ipv6_label', value: 0x12345 }).toString('hex'), '8000380400012345');
  t.equal(
    oxmBytes({ field: 'in_port', value: 0xfffffffe, header: oxmHeader(0, 0) }).toString('hex'),
    '00000002fffe',
    'a 16-bit port header',
  );
  t.equal(oxmBytes({ field: 'tun_id', value: 5n }).toString('hex'), '80004c080000000000000005', 'a 64-bit value (OXM_OF_TUNNEL_ID)');
  const refused: [OxmField, string, string][] = [
    [{ field: 'tcp_dst', value: 70000 }, 'oxm', '70000 does not fit in 16 bits'],
    [{ field: 'reg2', value: 1, mask: -1 }, 'oxm.mask', '-1 does not fit in 32 bits'],
    [{ field: 'ipv4_dst', value: '10.1' }, 'oxm', '"10.1" is not an IPv4 address'],
    [{ field: 'ipv4_src', value: '10.0.0.0', mask: 'x' }, 'oxm.mask', '"x" is not an IPv4 address'],
    [{ field: 'ip_proto', value: 6, mask: 255 }, 'oxm', 'field "ip_proto" cannot be masked'],
    [{ field: 'no_such_field', value: 1 }, 'oxm', 'unknown field "no_such_field"'],
    [
      { field: 'tp_dst', value: 80 },
      'oxm',
      '"tp_dst" has no OXM/NXM encoding of its own; canonicalMatch() turns it into the fields OpenFlow 1.3 carries',
    ],
  ];
  for (const [entry, path, reason] of refused) {
    const err = thrown(() => oxmBytes(entry));
    t.ok(err instanceof EncodeError, reason);
    t.match(err, { path, reason }, reason);
  }
});

t.test('OXMs read in place: the same objects as the general path', async (t) => {
  t.same(oxmFrom('800018040a60000a'), { field: 'ipv4_dst', value: '10.96.0.10' });
  t.same(oxmFrom('800017080a000000ff000000'), { field: 'ipv4_src', value: '10.0.0.0', mask: '255.0.0.0' });
  t.same(oxmFrom('00000e040a000001'), { field: 'ipv4_src', value: '10.0.0.1', header: oxmHeader(0, 7) }, 'an NXM header keeps its header');
  t.same(oxmFrom('00000f080a000001ffffff00'), { field: 'ipv4_src', value: '10.0.0.1', mask: '255.255.255.0', header: oxmHeader(0, 7) });
  t.same(oxmFrom('00000002fffe'), { field: 'in_port', value: 0xfffffffe, header: oxmHeader(0, 0) }, 'a 16-bit port');
  t.same(oxmFrom('80000e0103'), { field: 'vlan_pcp', value: 3 });
  const malformed: [string, string][] = [
    ['800018050a60000a00', 'length 5 is wrong for OXM_OF_IPV4_DST: expected 4'],
    ['800018040a6000', 'OXM length 4 runs past the end (3 bytes left)'],
    ['800017080a000000ff', 'OXM length 8 runs past the end (5 bytes left)'],
    ['800015020006ff', 'OXM_OF_IP_PROTO cannot be masked'],
  ];
  for (const [hex, reason] of malformed) {
    const err = thrown(() => oxmFrom(hex));
    t.ok(err instanceof ProtocolError, reason);
    t.match(err, { reason }, reason);
  }
});

t.test('matches written one after another: each field looked up anew when the names change', async (t) => {
  const each = (m: OxmField[]): string => {
    const w = new Writer(64);
    w.u16(1);
    w.u16(4 + m.reduce((n, e) => n + oxmBytes(e).length, 0));
    for (const e of m) writeOxm(w, e, 'match');
    w.padFrom(0, 8);
    return w.copyFrom(0).toString('hex');
  };
  const whole = (m: OxmField[]): string => {
    const w = new Writer(64);
    writeMatch(w, m, 'match');
    return w.copyFrom(0).toString('hex');
  };
  const a: OxmField[] = [
    { field: 'eth_type', value: 0x800 },
    { field: 'ipv4_dst', value: '10.96.0.10' },
  ];
  const b: OxmField[] = [
    { field: 'eth_type', value: 0x86dd },
    { field: 'ipv6_dst', value: 'fd00::1' },
  ];
  const nxm: OxmField[] = [
    { field: 'eth_type', value: 0x800 },
    { field: 'ipv4_dst', value: '10.96.0.10', header: oxmHeader(0, 8) },
  ];
  const unknown: OxmField[] = [{ field: 'unknown', header: oxmHeader(0x8000, 127), value: Buffer.from([1]) }];
  for (const m of [a, b, a, nxm, a, unknown, a, b]) t.equal(whole(m), each(m));
  const err = thrown(() =>
    whole([
      { field: 'eth_type', value: 0x800 },
      { field: 'no_such_field', value: 1 },
    ]),
  );
  t.match(err, { path: 'match[1]', reason: 'unknown field "no_such_field"' });
});

t.test('header table: every class by number', async (t) => {
  t.equal(fieldByHeader(oxmHeader(OFPXMC_PACKET_REGS, 1))?.def.name, 'xreg1');
  t.equal(fieldByHeader(oxmHeader(OFPXMC_ERICSSON, 1))?.def.name, 'nd_reserved');
  t.equal(fieldByHeader(oxmHeader(0x1234, 1)), undefined, 'a class with no fields');
  t.equal(fieldByHeader(oxmHeader(0x8000, 127)), undefined, 'a field number with no row');
});
