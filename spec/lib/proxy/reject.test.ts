/**
 * Refusals built from a packet-in: TCP RST by RFC 9293 §3.10.7.1 (SYN, data, FIN segments, with
 * and without ACK), ICMP / ICMPv6 port unreachable quoting as much of the packet as RFC 1812 and
 * RFC 4443 allow. Checksums are verified here with a separate implementation.
 */
import t, { type Test } from 'tap';
import { rejectFrame } from '../../../lib/proxy/reject.js';

const CLIENT_MAC = Buffer.from('0a580af40002', 'hex');
const GW_MAC = Buffer.from('0a580af40001', 'hex');
const V4 = { client: [10, 244, 0, 2], vip: [10, 96, 0, 10] };
const V6 = {
  client: Buffer.from('fd000010024400000000000000000002', 'hex'),
  vip: Buffer.from('fd00001000960000000000000000000a', 'hex'),
};

/** Internet checksum (RFC 1071), straightforward: sum of 16-bit words, carries folded. */
function checksum(...parts: Buffer[]): number {
  const b = Buffer.concat(parts);
  let s = 0;
  for (let i = 0; i < b.length; i += 2) s += (b[i]! << 8) + (i + 1 < b.length ? b[i + 1]! : 0);
  while (s > 0xffff) s = (s >>> 16) + (s & 0xffff);
  return s;
}
const verifies = (...parts: Buffer[]) => checksum(...parts) === 0xffff;

function eth(type: number, vlan?: number): Buffer {
  const h = Buffer.alloc(vlan === undefined ? 14 : 18);
  GW_MAC.copy(h, 0);
  CLIENT_MAC.copy(h, 6);
  if (vlan !== undefined) {
    h.writeUInt16BE(0x8100, 12);
    h.writeUInt16BE(vlan, 14);
  }
  h.writeUInt16BE(type, h.length - 2);
  return h;
}

function ipv4(proto: number, payload: Buffer, opts: { options?: Buffer; frag?: number } = {}): Buffer {
  const options = opts.options ?? Buffer.alloc(0);
  const h = Buffer.alloc(20 + options.length);
  h[0] = 0x40 | (h.length / 4);
  h.writeUInt16BE(h.length + payload.length, 2);
  h.writeUInt16BE(0x1234, 4);
  h.writeUInt16BE(opts.frag ?? 0x4000, 6);
  h[8] = 63;
  h[9] = proto;
  h.set(V4.client, 12);
  h.set(V4.vip, 16);
  options.copy(h, 20);
  h.writeUInt16BE(0xffff - checksum(h), 10);
  return Buffer.concat([h, payload]);
}

function ipv6(nextHeader: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(40);
  h[0] = 0x60;
  h.writeUInt16BE(payload.length, 4);
  h[6] = nextHeader;
  h[7] = 63;
  V6.client.copy(h, 8);
  V6.vip.copy(h, 24);
  return Buffer.concat([h, payload]);
}

interface Seg {
  seq: number;
  ack?: number;
  flags: string;
  data?: number;
}

function tcp(s: Seg): Buffer {
  const h = Buffer.alloc(20 + (s.data ?? 0), 0x61);
  h.writeUInt16BE(40000, 0);
  h.writeUInt16BE(80, 2);
  h.writeUInt32BE(s.seq >>> 0, 4);
  h.writeUInt32BE((s.ack ?? 0) >>> 0, 8);
  h[12] = 5 << 4;
  const bits: Record<string, number> = { F: 1, S: 2, R: 4, P: 8, A: 16 };
  h[13] = [...s.flags].reduce((a, c) => a | bits[c]!, 0);
  h.writeUInt16BE(64240, 14);
  h.writeUInt16BE(0, 16);
  h.writeUInt16BE(0, 18);
  return h; // checksum left zero: the proxy does not look at it
}

function udp(len: number): Buffer {
  const h = Buffer.alloc(8 + len, 0x62);
  h.writeUInt16BE(40000, 0);
  h.writeUInt16BE(53, 2);
  h.writeUInt16BE(8 + len, 4);
  h.writeUInt16BE(0, 6);
  return h;
}

function pseudo4(src: Buffer, dst: Buffer, proto: number, len: number): Buffer {
  const p = Buffer.alloc(12);
  src.copy(p, 0);
  dst.copy(p, 4);
  p[9] = proto;
  p.writeUInt16BE(len, 10);
  return p;
}

function pseudo6(src: Buffer, dst: Buffer, proto: number, len: number): Buffer {
  const p = Buffer.alloc(40);
  src.copy(p, 0);
  dst.copy(p, 16);
  p.writeUInt32BE(len, 32);
  p[39] = proto;
  return p;
}

interface Rst {
  seq: number;
  ack: number;
  flags: number;
  sport: number;
  dport: number;
  window: number;
}

/** Checks the RST frame's Ethernet, IP and TCP framing and checksums; returns the TCP fields. */
function readRst(t: Test, frame: Buffer | null, v6 = false, l2 = 14): Rst {
  t.ok(frame, 'a frame');
  const f = frame!;
  t.same(f.subarray(0, 6), CLIENT_MAC, 'to the client MAC');
  t.same(f.subarray(6, 12), GW_MAC, 'from the MAC the client sent to');
  const ip = f.subarray(l2);
  let seg: Buffer;
  if (v6) {
    t.equal(f.readUInt16BE(l2 - 2), 0x86dd);
    t.equal(ip[0]! >> 4, 6);
    t.equal(ip.readUInt16BE(4), 20, 'payload length');
    t.equal(ip[6], 6, 'next header TCP');
    t.equal(ip[7], 64, 'hop limit');
    t.same(ip.subarray(8, 24), V6.vip, 'from the service address');
    t.same(ip.subarray(24, 40), V6.client, 'to the client');
    seg = ip.subarray(40);
    t.ok(verifies(pseudo6(ip.subarray(8, 24), ip.subarray(24, 40), 6, seg.length), seg), 'TCP checksum (IPv6 pseudo-header)');
  } else {
    t.equal(f.readUInt16BE(l2 - 2), 0x0800);
    t.equal(ip[0], 0x45);
    t.equal(ip.readUInt16BE(2), 40, 'total length');
    t.equal(ip[8], 64, 'TTL');
    t.equal(ip[9], 6);
    t.same([...ip.subarray(12, 16)], V4.vip, 'from the service address');
    t.same([...ip.subarray(16, 20)], V4.client, 'to the client');
    t.ok(verifies(ip.subarray(0, 20)), 'IPv4 header checksum');
    seg = ip.subarray(20);
    t.ok(verifies(pseudo4(ip.subarray(12, 16), ip.subarray(16, 20), 6, seg.length), seg), 'TCP checksum');
  }
  t.equal(seg.length, 20, 'a bare TCP header');
  t.equal(seg[12]! >> 4, 5, 'data offset 5');
  return {
    sport: seg.readUInt16BE(0),
    dport: seg.readUInt16BE(2),
    seq: seg.readUInt32BE(4),
    ack: seg.readUInt32BE(8),
    flags: seg[13]!,
    window: seg.readUInt16BE(14),
  };
}

const RST = 0x04;
const RST_ACK = 0x14;

t.test('TCP RST follows RFC 9293 §3.10.7.1', async (t) => {
  const cases: [string, Seg, Partial<Rst>][] = [
    ['SYN: seq 0, ack = SEG.SEQ + 1, RST|ACK', { seq: 1000, flags: 'S' }, { seq: 0, ack: 1001, flags: RST_ACK }],
    ['SYN with 10 data bytes: ack covers them and the SYN', { seq: 1000, flags: 'S', data: 10 }, { seq: 0, ack: 1011, flags: RST_ACK }],
    ['SYN at the top of the sequence space wraps', { seq: 0xffffffff, flags: 'S' }, { seq: 0, ack: 0, flags: RST_ACK }],
    ['data without ACK: ack = SEG.SEQ + SEG.LEN', { seq: 5000, flags: 'P', data: 100 }, { seq: 0, ack: 5100, flags: RST_ACK }],
    ['FIN without ACK: the FIN counts one', { seq: 7000, flags: 'F', data: 3 }, { seq: 0, ack: 7004, flags: RST_ACK }],
    [
      'ACK segment with data: seq = SEG.ACK, RST alone',
      { seq: 5000, ack: 9000, flags: 'PA', data: 100 },
      { seq: 9000, ack: 0, flags: RST },
    ],
    ['FIN|ACK: seq = SEG.ACK', { seq: 5000, ack: 0xfffffff0, flags: 'FA' }, { seq: 0xfffffff0, ack: 0, flags: RST }],
    ['SYN|ACK: seq = SEG.ACK', { seq: 1, ack: 77, flags: 'SA' }, { seq: 77, ack: 0, flags: RST }],
  ];
  for (const [name, seg, want] of cases) {
    await t.test(name, async (t) => {
      const frame = rejectFrame(Buffer.concat([eth(0x0800), ipv4(6, tcp(seg))]));
      const rst = readRst(t, frame);
      t.match(rst, { ...want, sport: 80, dport: 40000, window: 0 });
    });
  }
  await t.test('IPv6 SYN', async (t) => {
    const rst = readRst(t, rejectFrame(Buffer.concat([eth(0x86dd), ipv6(6, tcp({ seq: 42, flags: 'S' }))])), true);
    t.match(rst, { seq: 0, ack: 43, flags: RST_ACK, sport: 80, dport: 40000 });
  });
  await t.test('IPv6 ACK segment', async (t) => {
    const rst = readRst(t, rejectFrame(Buffer.concat([eth(0x86dd), ipv6(6, tcp({ seq: 42, ack: 4242, flags: 'A', data: 5 }))])), true);
    t.match(rst, { seq: 4242, ack: 0, flags: RST });
  });
  await t.test('IPv4 header options are skipped; the VLAN tag is kept', async (t) => {
    const frame = rejectFrame(
      Buffer.concat([eth(0x0800, 0x0064), ipv4(6, tcp({ seq: 9, flags: 'S' }), { options: Buffer.from([1, 1, 1, 0]) })]),
    );
    const rst = readRst(t, frame, false, 18);
    t.match(rst, { seq: 0, ack: 10, flags: RST_ACK, sport: 80, dport: 40000 });
    t.equal(frame!.readUInt16BE(12), 0x8100, 'VLAN ethertype');
    t.equal(frame!.readUInt16BE(14), 0x0064, 'same tag');
  });
  await t.test('a segment cut short by the switch (max_len) still counts its declared length', async (t) => {
    const full = Buffer.concat([eth(0x0800), ipv4(6, tcp({ seq: 100, flags: 'P', data: 1000 }))]);
    t.match(readRst(t, rejectFrame(full.subarray(0, 256))), { ack: 1100, flags: RST_ACK });
  });
});

t.test('nothing is sent for what must not be answered', async (t) => {
  const v4 = (payload: Buffer, proto = 6, opts = {}) => Buffer.concat([eth(0x0800), ipv4(proto, payload, opts)]);
  t.equal(rejectFrame(v4(tcp({ seq: 1, flags: 'R' }))), null, 'a RST');
  t.equal(rejectFrame(v4(tcp({ seq: 1, ack: 1, flags: 'RA' }))), null, 'a RST|ACK');
  t.equal(rejectFrame(v4(Buffer.alloc(8), 1)), null, 'ICMP');
  t.equal(rejectFrame(v4(udp(4), 17, { frag: 0x2001 })), null, 'a non-first fragment');
  t.equal(rejectFrame(v4(tcp({ seq: 1, flags: 'S' })).subarray(0, 14 + 20 + 12)), null, 'a TCP header cut short');
  t.equal(rejectFrame(v4(tcp({ seq: 1, flags: 'S' })).subarray(0, 14 + 12)), null, 'an IPv4 header cut short');
  t.equal(
    rejectFrame(Buffer.concat([eth(0x86dd), ipv6(6, tcp({ seq: 1, flags: 'S' }))]).subarray(0, 14 + 30)),
    null,
    'an IPv6 header cut short',
  );
  t.equal(rejectFrame(Buffer.concat([eth(0x0806), Buffer.alloc(28)])), null, 'ARP');
  t.equal(rejectFrame(Buffer.alloc(10)), null, 'less than an Ethernet header');
  t.equal(rejectFrame(Buffer.concat([eth(0x0800, 1)]).subarray(0, 16)), null, 'a VLAN header cut short');
  const wrongVersion = v4(tcp({ seq: 1, flags: 'S' }));
  wrongVersion[14] = 0x65;
  t.equal(rejectFrame(wrongVersion), null, 'ethertype IPv4, version 6');
  const badIhl = v4(tcp({ seq: 1, flags: 'S' }));
  badIhl[14] = 0x44;
  t.equal(rejectFrame(badIhl), null, 'IHL below 5');
  t.equal(rejectFrame(Buffer.concat([eth(0x86dd), ipv6(58, Buffer.alloc(8))])), null, 'ICMPv6');
});

/** Checks the ICMP frame; returns the quoted bytes. */
function readIcmp(t: Test, frame: Buffer | null, v6: boolean): Buffer {
  t.ok(frame, 'a frame');
  const f = frame!;
  t.same(f.subarray(0, 6), CLIENT_MAC);
  t.same(f.subarray(6, 12), GW_MAC);
  const ip = f.subarray(14);
  if (v6) {
    t.equal(f.readUInt16BE(12), 0x86dd);
    t.equal(ip[6], 58, 'next header ICMPv6');
    t.same(ip.subarray(8, 24), V6.vip, 'from the service address');
    t.same(ip.subarray(24, 40), V6.client, 'to the client');
    const icmp = ip.subarray(40);
    t.equal(ip.readUInt16BE(4), icmp.length, 'payload length');
    t.equal(icmp[0], 1, 'destination unreachable');
    t.equal(icmp[1], 4, 'port unreachable');
    t.equal(icmp.readUInt32BE(4), 0, 'unused');
    t.ok(verifies(pseudo6(ip.subarray(8, 24), ip.subarray(24, 40), 58, icmp.length), icmp), 'ICMPv6 checksum (pseudo-header)');
    t.ok(40 + icmp.length <= 1280, 'fits the IPv6 minimum MTU');
    return icmp.subarray(8);
  }
  t.equal(f.readUInt16BE(12), 0x0800);
  t.ok(verifies(ip.subarray(0, 20)), 'IPv4 header checksum');
  t.equal(ip[9], 1, 'ICMP');
  t.same([...ip.subarray(12, 16)], V4.vip, 'from the service address');
  t.same([...ip.subarray(16, 20)], V4.client, 'to the client');
  const icmp = ip.subarray(20);
  t.equal(ip.readUInt16BE(2), 20 + icmp.length, 'total length');
  t.equal(icmp[0], 3, 'destination unreachable');
  t.equal(icmp[1], 3, 'port unreachable');
  t.ok(verifies(icmp), 'ICMP checksum');
  t.ok(20 + icmp.length <= 576, 'fits 576 bytes');
  return icmp.subarray(8);
}

t.test('ICMP port unreachable for UDP and SCTP', async (t) => {
  await t.test('a small datagram is quoted whole', async (t) => {
    const packet = ipv4(17, udp(30));
    t.same(readIcmp(t, rejectFrame(Buffer.concat([eth(0x0800), packet])), false), packet);
  });
  await t.test('a large datagram is quoted up to 576 bytes in all', async (t) => {
    const packet = ipv4(17, udp(1400));
    const quote = readIcmp(t, rejectFrame(Buffer.concat([eth(0x0800), packet])), false);
    t.equal(quote.length, 576 - 20 - 8);
    t.same(quote, packet.subarray(0, quote.length), 'the start of the original packet');
  });
  await t.test('SCTP gets a port unreachable too', async (t) => {
    const packet = ipv4(132, Buffer.alloc(32, 7));
    t.same(readIcmp(t, rejectFrame(Buffer.concat([eth(0x0800), packet])), false), packet);
  });
  await t.test('IPv6: a large datagram is quoted up to 1280 bytes in all', async (t) => {
    const packet = ipv6(17, udp(1400));
    const quote = readIcmp(t, rejectFrame(Buffer.concat([eth(0x86dd), packet])), true);
    t.equal(quote.length, 1280 - 40 - 8);
    t.same(quote, packet.subarray(0, quote.length));
  });
  await t.test('IPv6: a small datagram is quoted whole', async (t) => {
    const packet = ipv6(17, udp(3));
    t.same(readIcmp(t, rejectFrame(Buffer.concat([eth(0x86dd), packet])), true), packet);
  });
  await t.test('what the switch truncated is quoted as received', async (t) => {
    const packet = ipv4(17, udp(1000));
    const frame = Buffer.concat([eth(0x0800), packet]).subarray(0, 256);
    t.same(readIcmp(t, rejectFrame(frame), false), packet.subarray(0, 256 - 14));
  });
  await t.test('Ethernet padding of a short frame is not part of the quoted datagram', async (t) => {
    // A 1-byte UDP datagram is 29 bytes of IP; on the wire the frame is padded to 60 bytes.
    const packet = ipv4(17, udp(1));
    const frame = Buffer.concat([eth(0x0800), packet, Buffer.alloc(60 - 14 - packet.length)]);
    t.same(readIcmp(t, rejectFrame(frame), false), packet, 'quote ends where the IP packet ends');
  });
});
