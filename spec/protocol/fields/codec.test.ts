/**
 * The OXM/NXM codec: every field and every encoding round-trips random values; arbitrary or
 * mutated bytes either decode (and then re-encode to the same bytes) or raise ProtocolError;
 * malformed TLVs name the offset and the structure.
 */
import fc from 'fast-check';
import t, { type Test } from 'tap';
import { EncodeError, ProtocolError } from '../../../protocol/index.js';
import { Reader } from '../../../protocol/wire/reader.js';
import { Writer } from '../../../protocol/wire/writer.js';
import {
  allFields,
  fieldBytes,
  readMatch,
  readOxm,
  writeMatch,
  writeOxm,
  type FieldDef,
  type OxmField,
} from '../../../protocol/fields/index.js';
import type { FieldEncoding } from '../../../protocol/fields/registry.js';
import { readFieldHeader, writeFieldHeader } from '../../../protocol/fields/oxm.js';
import { formatIpv6, formatMac } from '../../../protocol/fields/values.js';

function encode(entry: OxmField): Buffer {
  const w = new Writer(64);
  writeOxm(w, entry, 'test');
  return w.copyFrom(0);
}

function decode(bytes: Buffer): OxmField {
  const r = new Reader(bytes);
  const e = readOxm(r, 'oxm');
  r.done('oxm');
  return e;
}

function encodeMatch(m: OxmField[]): Buffer {
  const w = new Writer(64);
  writeMatch(w, m, 'match');
  return w.copyFrom(0);
}

function decodeMatch(bytes: Buffer): OxmField[] {
  const r = new Reader(bytes);
  const m = readMatch(r, 'ofp_match');
  r.done('ofp_match');
  return m;
}

/** Arbitrary natural values (see protocol/fields/types.ts) for a field of `bytes` width. */
function valueArb(def: FieldDef, enc: FieldEncoding): fc.Arbitrary<OxmField['value']> {
  const bytes = enc.bytes;
  if (def.variable) return fc.uint8Array({ minLength: 1, maxLength: bytes }).map((b) => Buffer.from(b));
  if (enc.port16) {
    return fc.oneof(fc.integer({ min: 0, max: 0xfeff }), fc.integer({ min: 0xffffff00, max: 0xffffffff }));
  }
  switch (def.kind) {
    case 'mac':
      return fc.uint8Array({ minLength: 6, maxLength: 6 }).map((b) => formatMac(b));
    case 'ipv4':
      return fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((a) => a.join('.'));
    case 'ipv6':
      return fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => formatIpv6(b));
    default:
      return bytes <= 4 ? fc.integer({ min: 0, max: 2 ** (bytes * 8) - 1 }) : fc.bigInt({ min: 0n, max: (1n << BigInt(bytes * 8)) - 1n });
  }
}

function entryArb(def: FieldDef, enc: FieldEncoding): fc.Arbitrary<OxmField> {
  const v = valueArb(def, enc);
  const base =
    enc === def.encodings[0]
      ? {}
      : enc.experimenter === undefined
        ? { header: enc.header }
        : { header: enc.header, experimenter: enc.experimenter };
  if (!def.maskable) return v.map((value) => ({ field: def.name, value, ...base }));
  if (def.variable) {
    return fc.uint8Array({ minLength: 1, maxLength: enc.bytes }).chain((b) =>
      fc.option(fc.uint8Array({ minLength: b.length, maxLength: b.length }), { nil: undefined }).map((m) => {
        const e: OxmField = { field: def.name, value: Buffer.from(b), ...base };
        if (m) e.mask = Buffer.from(m);
        return e;
      }),
    );
  }
  return fc.tuple(v, fc.option(v, { nil: undefined })).map(([value, mask]) => {
    const e: OxmField = { field: def.name, value, ...base };
    if (mask !== undefined) e.mask = mask;
    return e;
  });
}

const encoded: { def: FieldDef; enc: FieldEncoding }[] = [];
for (const def of allFields()) for (const enc of def.encodings) encoded.push({ def, enc });

t.test('every field and encoding round-trips random values', async (t) => {
  for (const { def, enc } of encoded) {
    fc.assert(
      fc.property(entryArb(def, enc), (entry) => {
        const bytes = encode(entry);
        const back = decode(bytes);
        t.strictSame(back, entry, `${enc.wireName}`, { diagnostic: false });
        return encode(back).equals(bytes);
      }),
      { numRuns: 25 },
    );
  }
  t.pass(`${encoded.length} encodings of ${new Set(encoded.map((e) => e.def)).size} fields`);
});

t.test('canonical headers are what OVS writes in OpenFlow 1.3', async (t) => {
  const hex = (e: OxmField) => encode(e).toString('hex');
  t.equal(hex({ field: 'tun_id', value: 5n }), '80004c080000000000000005', 'tun_id as OXM_OF_TUNNEL_ID');
  t.equal(hex({ field: 'in_port', value: 0xfffffffe }), '80000004fffffffe', 'in_port as 32-bit OXM');
  t.equal(hex({ field: 'tcp_flags', value: 0x12 }), 'ffff54064f4e46000012', 'tcp_flags as ONF experimenter');
  t.equal(hex({ field: 'actset_output', value: 5 }), 'ffff56084f4e460000000005', 'actset_output as ONF experimenter');
  t.equal(hex({ field: 'dp_hash', value: 5 }), '0001460400000005', 'dp_hash as NXM_NX_DP_HASH');
  t.equal(hex({ field: 'nd_reserved', value: 3 }), '1000020400000003', 'nd_reserved in the Ericsson class');
  t.equal(hex({ field: 'tun_erspan_ver', value: 1, mask: 1 }), 'ffff19060000232001 01'.replace(' ', ''), 'erspan as Nicira experimenter');
  t.equal(hex({ field: 'nsh_flags', value: 1 }), 'ffff0205005ad65001', 'nsh with the NSH experimenter id');
  t.equal(hex({ field: 'xreg1', value: 7n }), '800102080000000000000007', 'xreg on its own is OXM_OF_PKT_REG (canonicalMatch splits it)');
});

t.test('in_port: the 16-bit NXM header carries the OpenFlow 1.0 port number', async (t) => {
  const e = decode(Buffer.from('00000002fffe', 'hex'));
  t.strictSame(e, { field: 'in_port', value: 0xfffffffe, header: 0 }, 'LOCAL maps to its OpenFlow 1.1 number');
  t.equal(encode(e).toString('hex'), '00000002fffe', 're-encodes as 16 bits');
  t.throws(() => encode({ field: 'in_port', value: 0x10000, header: 0 }), EncodeError, 'a port with no 16-bit form');
});

t.test('tun_metadata is variable-length', async (t) => {
  const e = decode(Buffer.from('0001500305060700', 'hex').subarray(0, 7));
  t.strictSame(e, { field: 'tun_metadata0', value: Buffer.from('050607', 'hex') });
  t.equal(encode(e).toString('hex'), '00015003050607');
});

t.test('unknown fields are kept, typed, and re-encoded', async (t) => {
  for (const hex of ['0001fe0401020304', '0001ff080102030405060708', 'ffff0206deadbeef0102', 'ffff0304deadbeef', '8000fe00']) {
    const e = decode(Buffer.from(hex, 'hex'));
    t.equal(e.field, 'unknown', hex);
    t.ok(Buffer.isBuffer(e.value));
    t.equal(encode(e).toString('hex'), hex, `${hex} round-trips`);
  }
  const exp = decode(Buffer.from('ffff0206deadbeef0102', 'hex'));
  t.equal(exp.experimenter, 0xdeadbeef, 'the experimenter id is kept');
  const m = [{ field: 'eth_type', value: 0x800 }, exp, { field: 'ip_proto', value: 6 }];
  const bytes = encodeMatch(m);
  t.strictSame(decodeMatch(bytes), m, 'a match keeps its unknown entries in place');
});

function protocolError(t: Test, fn: () => unknown, offset: number, structure: string, reason: RegExp, name: string): void {
  try {
    fn();
    t.fail(`${name}: no error`);
  } catch (err) {
    t.type(err, ProtocolError, name);
    const pe = err as ProtocolError;
    t.equal(pe.offset, offset, `${name}: offset`);
    t.equal(pe.structure, structure, `${name}: structure`);
    t.match(pe.reason, reason, `${name}: reason`);
    t.notOk(pe.message.includes('\n'), `${name}: one line`);
  }
}

t.test('a tun_metadata match of 0 bytes (what Open vSwitch sends for tun_metadataN=0 and =*) round-trips', async (t) => {
  for (const [hex, entry] of [
    ['0001000800015600', { field: 'tun_metadata3', value: Buffer.alloc(0) }],
    ['0001000800015700', { field: 'tun_metadata3', value: Buffer.alloc(0), mask: Buffer.alloc(0) }],
  ] as const) {
    const bytes = Buffer.from(hex, 'hex');
    t.same(decodeMatch(bytes), [entry], hex);
    t.equal(encodeMatch([entry]).toString('hex'), hex, `${hex} re-encodes`);
  }
});

t.test('malformed TLVs raise ProtocolError with offset and structure', async (t) => {
  const S = 'ofp_match.oxm_fields';
  const m = (hexBody: string) => {
    const body = Buffer.from(hexBody, 'hex');
    const len = 4 + body.length;
    const padded = Buffer.alloc(Math.ceil(len / 8) * 8);
    padded.writeUInt16BE(1, 0);
    padded.writeUInt16BE(len, 2);
    body.copy(padded, 4);
    return () => decodeMatch(padded);
  };
  protocolError(t, m('80000a0208'), 8, S, /length 2 runs past the end \(1 bytes left\)/, 'value shorter than the length says');
  protocolError(t, m('80000a0208000001'), 10, S, /needs 4 bytes, only 2 left/, 'truncated header');
  protocolError(t, m('80000a040800'), 8, S, /runs past/, 'length lies past the match');
  protocolError(t, m('80001c030050ff'), 4, S, /length 3 is wrong for OXM_OF_TCP_DST: expected 2/, 'wrong length for a known field');
  protocolError(t, m('80001d0300500f'), 4, S, /wrong for OXM_OF_TCP_DST \(masked\): expected 4/, 'odd masked length for a known field');
  protocolError(t, m('800001080000000500000005'), 4, S, /OXM_OF_IN_PORT cannot be masked/, 'masked unmaskable field');
  protocolError(t, m('0001ff03010203'), 4, S, /masked OXM with odd payload length 3/, 'odd masked unknown field');
  protocolError(t, m('ffff0002abcd'), 4, S, /experimenter OXM length 2 is shorter than its 4-byte experimenter id/, 'short experimenter');
  protocolError(t, m('00015103010203'), 4, S, /wrong for NXM_NX_TUN_METADATA0 \(masked\)/, 'odd masked variable-length field');
  protocolError(t, () => decodeMatch(Buffer.from('00020004', 'hex')), 0, 'ofp_match', /match type 2 is not OFPMT_OXM/, 'match type');
  protocolError(t, () => decodeMatch(Buffer.from('00010002', 'hex')), 0, 'ofp_match', /shorter than its header/, 'match length < 4');
  protocolError(
    t,
    () => decodeMatch(Buffer.from('0001001080000a020800', 'hex')),
    4,
    'ofp_match',
    /length 12 runs past the end \(6 bytes left\)/,
    'match length past the buffer',
  );
  protocolError(
    t,
    () => decodeMatch(Buffer.from('0001000a80000a020800000000000001', 'hex')),
    15,
    'ofp_match.pad',
    /non-zero padding/,
    'bad padding',
  );
  protocolError(t, () => decodeMatch(Buffer.from('0001000a80000a020800', 'hex')), 10, 'ofp_match.pad', /needs 6 bytes/, 'missing padding');
});

t.test('bad entries raise EncodeError naming the entry', async (t) => {
  const bad: [OxmField, RegExp][] = [
    [{ field: 'in_port', value: 1, mask: 1 }, /cannot be masked/],
    [{ field: 'tcp_dst', value: 65536 }, /does not fit in 16 bits/],
    [{ field: 'ipv4_dst', value: '10.0.0.256' }, /not an IPv4 address/],
    [{ field: 'eth_src', value: '00:11:22:33:44' }, /not an Ethernet address/],
    [{ field: 'ipv6_src', value: 'fe80:::1' }, /not an IPv6 address/],
    [{ field: 'tp_dst', value: 80 }, /no OXM\/NXM encoding of its own/],
    [{ field: 'bogus', value: 1 }, /unknown field "bogus"/],
    [{ field: 'tcp_dst', value: 80, header: 0x80001e00 }, /does not belong to field "tcp_dst"/],
    [{ field: 'unknown', value: Buffer.alloc(2), header: 0xffff0200 }, /experimenter id/],
    [{ field: 'unknown', value: Buffer.alloc(200), mask: Buffer.alloc(200), header: 0x0001fe00 }, /exceeds the 255-byte/],
    [{ field: 'tun_metadata3', value: Buffer.alloc(125) }, /0 to 124 bytes/],
  ];
  for (const [entry, re] of bad) {
    const name = JSON.stringify(entry, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}` : v));
    try {
      encode(entry);
      t.fail(`${name}: no error`);
    } catch (err) {
      t.type(err, EncodeError, name);
      t.match((err as EncodeError).message, re, name);
      t.equal((err as EncodeError).path, 'test', `${name}: path`);
    }
  }
});

t.test('random bytes only ever decode or raise ProtocolError; what decodes re-encodes exactly', async (t) => {
  let decoded = 0;
  const check = (bytes: Uint8Array): boolean => {
    let match: OxmField[];
    try {
      match = decodeMatch(Buffer.from(bytes));
    } catch (err) {
      if (err instanceof ProtocolError) return true;
      throw err;
    }
    decoded++;
    return encodeMatch(match).equals(Buffer.from(bytes));
  };
  // Pure noise, with a plausible match header so the TLVs get read.
  const noise = fc.uint8Array({ maxLength: 64 }).map((b) => {
    const out = Buffer.alloc(4 + b.length + ((8 - ((4 + b.length) % 8)) % 8));
    out.writeUInt16BE(1, 0);
    out.writeUInt16BE(4 + b.length, 2);
    Buffer.from(b).copy(out, 4);
    return out;
  });
  fc.assert(fc.property(noise, check), { numRuns: 3000 });
  // Valid matches of random known fields, then mutated: bytes flipped, cut, lengths changed.
  const valid = fc
    .array(
      fc.constantFrom(...encoded).chain(({ def, enc }) => entryArb(def, enc)),
      { maxLength: 6 },
    )
    .map(encodeMatch);
  const mutated = fc
    .tuple(valid, fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 4 }), fc.option(fc.nat(), { nil: undefined }))
    .map(([bytes, flips, cut]) => {
      const b = Buffer.from(bytes);
      for (const [at, v] of flips) if (b.length) b[at % b.length] = v;
      return cut === undefined ? b : b.subarray(0, cut % (b.length + 1));
    });
  fc.assert(fc.property(mutated, check), { numRuns: 3000 });
  t.ok(decoded > 100, `${decoded} inputs decoded and re-encoded exactly`);
});

t.test('field headers (NXM actions) round-trip and keep odd lengths', async (t) => {
  for (const hex of ['00010004', '80000004', '00000002', 'ffff54064f4e4600', '00015005', '0001fe04', '00010008']) {
    const r = new Reader(Buffer.from(hex, 'hex'));
    const ref = readFieldHeader(r, 'hdr');
    const w = new Writer(16);
    writeFieldHeader(w, ref, 'hdr');
    t.equal(w.copyFrom(0).toString('hex'), hex, `${hex} → ${ref.field}`);
  }
  const r = new Reader(Buffer.from('00015005', 'hex'));
  t.equal(readFieldHeader(r, 'hdr').bits, 40, 'tun_metadata width from the header');
  t.equal(fieldBytes([...allFields()].find((d) => d.name === 'tp_src')!), 2, 'fields without an encoding still have a width');
});
