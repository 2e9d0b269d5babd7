/**
 * Regenerates messages.jsonl: messages a switch sends a controller (and a few others), encoded by
 * ofwire, each with what the installed `ovs-ofctl ofp-print HEX VERBOSITY` prints for it.
 *
 *   npx tsx spec/vectors/print/generate.ts
 *
 * Covers what live captures rarely show: packet-ins of many packet kinds (the packet summary
 * line), packet-outs, flow-removed and port-status variants, every multipart reply (flow and
 * group-desc replies built from every flow and group of spec/vectors/text), errors with whole,
 * truncated and empty copies of the failed request, and the small messages. Records are
 * {name, hex, verbosity, text}.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  decodeMessage,
  encodeMessage,
  type FlowStats,
  type Match,
  type MultipartReplyBody,
  type MultipartRequestBody,
  type OfpMessage,
  type PortDesc,
  type TableFeatures,
} from '../../../protocol/index.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(HERE, 'messages.jsonl');
const TEXT = join(HERE, '..', 'text');

interface Case {
  name: string;
  msg: OfpMessage;
  verbosity?: number;
}

const cases: Case[] = [];
function add(name: string, msg: OfpMessage, verbosity?: number): void {
  cases.push(verbosity === undefined ? { name, msg } : { name, msg, verbosity });
}

// ---- a deterministic pseudo-random source --------------------------------------------------------

let seed = 0x12345678;
function rand(n: number): number {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return (seed >>> 8) % n;
}
function randBig(bits: number): bigint {
  let v = 0n;
  for (let i = 0; i < bits; i += 16) v = (v << 16n) | BigInt(rand(0x10000));
  return v & ((1n << BigInt(bits)) - 1n);
}

// ---- packets -------------------------------------------------------------------------------------

const MAC_A = Buffer.from('0a580af40105', 'hex');
const MAC_B = Buffer.from('0a580af40001', 'hex');
const BCAST = Buffer.from('ffffffffffff', 'hex');

function u16(v: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(v & 0xffff);
  return b;
}
function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v >>> 0);
  return b;
}
function ip4(s: string): Buffer {
  return Buffer.from(s.split('.').map(Number));
}
function ip6(s: string): Buffer {
  const [head = '', tail = ''] = s.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = s.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  return Buffer.concat(groups.map((g) => u16(parseInt(g, 16))));
}

function eth(dst: Buffer, src: Buffer, type: number, payload: Buffer, vlans: number[] = []): Buffer {
  const tags = vlans.map((tci, i) => Buffer.concat([u16(i === 0 && vlans.length > 1 ? 0x88a8 : 0x8100), u16(tci)]));
  return Buffer.concat([dst, src, ...tags, u16(type), payload]);
}

function ipv4(
  proto: number,
  src: string,
  dst: string,
  payload: Buffer,
  opts: { tos?: number; ttl?: number; frag?: number; ihl?: number } = {},
): Buffer {
  const ihl = opts.ihl ?? 5;
  const h = Buffer.alloc(ihl * 4);
  h[0] = 0x40 | ihl;
  h[1] = opts.tos ?? 0;
  h.writeUInt16BE(h.length + payload.length, 2);
  h.writeUInt16BE(0x1234, 4);
  h.writeUInt16BE(opts.frag ?? 0x4000, 6);
  h[8] = opts.ttl ?? 64;
  h[9] = proto;
  h.writeUInt16BE(0xbeef, 10);
  ip4(src).copy(h, 12);
  ip4(dst).copy(h, 16);
  return Buffer.concat([h, payload]);
}

function ipv6(next: number, src: string, dst: string, payload: Buffer, opts: { tc?: number; label?: number; hlim?: number } = {}): Buffer {
  const h = Buffer.alloc(40);
  h.writeUInt32BE(((6 << 28) | ((opts.tc ?? 0) << 20) | (opts.label ?? 0)) >>> 0, 0);
  h.writeUInt16BE(payload.length, 4);
  h[6] = next;
  h[7] = opts.hlim ?? 64;
  ip6(src).copy(h, 8);
  ip6(dst).copy(h, 24);
  return Buffer.concat([h, payload]);
}

function tcp(sport: number, dport: number, flags: number, data = Buffer.alloc(0)): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(sport, 0);
  h.writeUInt16BE(dport, 2);
  h.writeUInt32BE(0x01020304, 4);
  h.writeUInt16BE((5 << 12) | flags, 12);
  h.writeUInt16BE(0xffff, 14);
  h.writeUInt16BE(0x1f2e, 16);
  return Buffer.concat([h, data]);
}
function udp(sport: number, dport: number, data = Buffer.from('hello')): Buffer {
  return Buffer.concat([u16(sport), u16(dport), u16(8 + data.length), u16(0xa1b2), data]);
}
function sctp(sport: number, dport: number): Buffer {
  return Buffer.concat([u16(sport), u16(dport), u32(0xdeadbeef), u32(0x0badcafe), Buffer.alloc(16)]);
}
function icmp(type: number, code: number): Buffer {
  return Buffer.concat([Buffer.from([type, code]), u16(0x7f00), u16(0x1234), u16(1), Buffer.alloc(8, 0x61)]);
}
function icmp6(type: number, code: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type, code]), u16(0x6a6b), body]);
}
function arp(op: number, sha: Buffer, spa: string, tha: Buffer, tpa: string, htype = 1): Buffer {
  return Buffer.concat([u16(htype), u16(0x0800), Buffer.from([6, 4]), u16(op), sha, ip4(spa), tha, ip4(tpa)]);
}

const PACKETS: [string, Buffer][] = [
  ['tcp syn', eth(MAC_B, MAC_A, 0x0800, ipv4(6, '10.244.1.5', '10.96.0.10', tcp(40000, 80, 0x002)))],
  ['tcp syn+ack ecn', eth(MAC_A, MAC_B, 0x0800, ipv4(6, '10.96.0.10', '10.244.1.5', tcp(80, 40000, 0x012), { tos: 0xb9 }))],
  ['tcp all flags', eth(MAC_A, MAC_B, 0x0800, ipv4(6, '1.2.3.4', '5.6.7.8', tcp(1, 2, 0xfff)))],
  ['tcp rst with payload', eth(MAC_A, MAC_B, 0x0800, ipv4(6, '1.2.3.4', '5.6.7.8', tcp(443, 5555, 0x014, Buffer.from('data'))))],
  ['tcp truncated header', eth(MAC_A, MAC_B, 0x0800, ipv4(6, '1.2.3.4', '5.6.7.8', Buffer.alloc(12, 1)))],
  ['udp dns', eth(MAC_B, MAC_A, 0x0800, ipv4(17, '10.244.1.5', '10.96.0.10', udp(53000, 53)))],
  ['udp short', eth(MAC_B, MAC_A, 0x0800, ipv4(17, '10.244.1.5', '10.96.0.10', Buffer.alloc(6)))],
  ['sctp', eth(MAC_B, MAC_A, 0x0800, ipv4(132, '192.168.0.1', '192.168.0.2', sctp(3868, 3868)))],
  ['icmp echo', eth(MAC_B, MAC_A, 0x0800, ipv4(1, '10.0.0.1', '10.0.0.2', icmp(8, 0)))],
  ['icmp unreachable', eth(MAC_B, MAC_A, 0x0800, ipv4(1, '10.0.0.1', '10.0.0.2', icmp(3, 3), { ttl: 255 }))],
  [
    'igmp',
    eth(
      Buffer.from('01005e000001', 'hex'),
      MAC_A,
      0x0800,
      ipv4(2, '10.0.0.1', '224.0.0.1', Buffer.from('1164ee9be0000001', 'hex'), { ttl: 1 }),
    ),
  ],
  ['gre', eth(MAC_B, MAC_A, 0x0800, ipv4(47, '10.0.0.1', '10.0.0.2', Buffer.alloc(8)))],
  ['ipv4 options', eth(MAC_B, MAC_A, 0x0800, ipv4(17, '10.0.0.1', '10.0.0.2', udp(1000, 2000), { ihl: 6 }))],
  ['ipv4 first fragment', eth(MAC_B, MAC_A, 0x0800, ipv4(17, '10.0.0.1', '10.0.0.2', udp(1000, 2000), { frag: 0x2000 }))],
  ['ipv4 later fragment', eth(MAC_B, MAC_A, 0x0800, ipv4(6, '10.0.0.1', '10.0.0.2', Buffer.alloc(24, 7), { frag: 0x00b9 }))],
  ['ipv4 truncated', eth(MAC_B, MAC_A, 0x0800, Buffer.from('4500003c0000', 'hex'))],
  ['ipv4 bad length', eth(MAC_B, MAC_A, 0x0800, Buffer.from('45000400000040004006000001020304050607080102', 'hex'))],
  ['arp request', eth(BCAST, MAC_A, 0x0806, arp(1, MAC_A, '10.244.1.5', Buffer.alloc(6), '10.244.0.1'))],
  ['arp reply', eth(MAC_A, MAC_B, 0x0806, arp(2, MAC_B, '10.244.0.1', MAC_A, '10.244.1.5'))],
  ['arp big opcode', eth(MAC_A, MAC_B, 0x0806, arp(0x1234, MAC_B, '10.244.0.1', MAC_A, '10.244.1.5'))],
  ['arp non-ethernet', eth(MAC_A, MAC_B, 0x0806, arp(1, MAC_B, '10.244.0.1', MAC_A, '10.244.1.5', 6))],
  ['arp truncated', eth(MAC_A, MAC_B, 0x0806, Buffer.alloc(10))],
  ['rarp', eth(BCAST, MAC_A, 0x8035, arp(3, MAC_A, '0.0.0.0', MAC_A, '0.0.0.0'))],
  ['ipv6 tcp', eth(MAC_B, MAC_A, 0x86dd, ipv6(6, 'fd00::5', 'fd00:96::10', tcp(40000, 443, 0x002), { tc: 0x2e, label: 0x12345 }))],
  ['ipv6 udp', eth(MAC_B, MAC_A, 0x86dd, ipv6(17, 'fe80::20c:29ff:fe88:a18b', 'ff02::1:2', udp(546, 547)))],
  ['ipv6 sctp', eth(MAC_B, MAC_A, 0x86dd, ipv6(132, '2001:db8::1', '2001:db8::2', sctp(1, 2)))],
  ['icmpv6 echo', eth(MAC_B, MAC_A, 0x86dd, ipv6(58, 'fd00::1', 'fd00::2', icmp6(128, 0, Buffer.alloc(8, 1))))],
  [
    'icmpv6 neighbor solicitation',
    eth(
      Buffer.from('3333ff000002', 'hex'),
      MAC_A,
      0x86dd,
      ipv6(58, 'fd00::1', 'ff02::1:ff00:2', icmp6(135, 0, Buffer.concat([u32(0), ip6('fd00::2'), Buffer.from([1, 1]), MAC_A])), {
        hlim: 255,
      }),
    ),
  ],
  [
    'icmpv6 neighbor advertisement',
    eth(
      MAC_A,
      MAC_B,
      0x86dd,
      ipv6(58, 'fd00::2', 'fd00::1', icmp6(136, 0, Buffer.concat([u32(0x60000000), ip6('fd00::2'), Buffer.from([2, 1]), MAC_B])), {
        hlim: 255,
      }),
    ),
  ],
  [
    'icmpv6 ns no options',
    eth(MAC_A, MAC_B, 0x86dd, ipv6(58, '::', 'ff02::1:ff00:2', icmp6(135, 0, Buffer.concat([u32(0), ip6('fd00::2')])))),
  ],
  ['icmpv6 ns truncated target', eth(MAC_A, MAC_B, 0x86dd, ipv6(58, '::', 'ff02::1:ff00:2', icmp6(135, 0, Buffer.alloc(8))))],
  [
    'ipv6 hop-by-hop then udp',
    eth(MAC_B, MAC_A, 0x86dd, ipv6(0, 'fd00::1', 'fd00::2', Buffer.concat([Buffer.from([17, 0, 5, 2, 0, 0, 1, 0]), udp(7, 9)]))),
  ],
  [
    'ipv6 first fragment',
    eth(MAC_B, MAC_A, 0x86dd, ipv6(44, 'fd00::1', 'fd00::2', Buffer.concat([Buffer.from([6, 0, 0, 1]), u32(0xabcd), tcp(1, 2, 2)]))),
  ],
  [
    'ipv6 later fragment',
    eth(
      MAC_B,
      MAC_A,
      0x86dd,
      ipv6(44, 'fd00::1', 'fd00::2', Buffer.concat([Buffer.from([6, 0, 0x05, 0x00]), u32(0xabcd), Buffer.alloc(16, 3)])),
    ),
  ],
  ['ipv6 truncated', eth(MAC_B, MAC_A, 0x86dd, Buffer.alloc(20))],
  ['vlan tcp', eth(MAC_B, MAC_A, 0x0800, ipv4(6, '10.0.0.1', '10.0.0.2', tcp(1234, 80, 0x010)), [0x6064])],
  ['vlan zero id', eth(MAC_B, MAC_A, 0x0806, arp(1, MAC_A, '10.0.0.1', Buffer.alloc(6), '10.0.0.2'), [0x2000])],
  ['qinq udp', eth(MAC_B, MAC_A, 0x0800, ipv4(17, '10.0.0.1', '10.0.0.2', udp(1, 2)), [0x0064, 0xa0c8])],
  [
    'mpls one label',
    eth(MAC_B, MAC_A, 0x8847, Buffer.concat([u32((100 << 12) | (5 << 9) | 0x100 | 63), ipv4(17, '10.0.0.1', '10.0.0.2', udp(1, 2))])),
  ],
  ['mpls two labels', eth(MAC_B, MAC_A, 0x8847, Buffer.concat([u32((16 << 12) | 64), u32((17 << 12) | 0x100 | 64), Buffer.alloc(20)]))],
  ['mpls multicast', eth(MAC_B, MAC_A, 0x8848, u32((3 << 12) | 0x100 | 1))],
  [
    'llc snap ip',
    Buffer.concat([MAC_B, MAC_A, u16(40), Buffer.from('aaaa03000000', 'hex'), u16(0x0800), ipv4(17, '10.0.0.1', '10.0.0.2', udp(1, 2))]),
  ],
  ['802.3 stp', Buffer.concat([Buffer.from('0180c2000000', 'hex'), MAC_A, u16(38), Buffer.from('424203000000', 'hex'), Buffer.alloc(32)])],
  ['lldp', eth(Buffer.from('0180c200000e', 'hex'), MAC_A, 0x88cc, Buffer.alloc(30, 2))],
  ['runt', Buffer.from('ffffffffffff0a58', 'hex')],
  [
    'ethernet padding',
    Buffer.concat([eth(MAC_B, MAC_A, 0x0800, ipv4(17, '10.0.0.1', '10.0.0.2', udp(1, 2, Buffer.alloc(0)))), Buffer.alloc(14)]),
  ],
];

// ---- packet-ins ----------------------------------------------------------------------------------

const METADATA: [string, Match][] = [
  ['in_port', [{ field: 'in_port', value: 3 }]],
  ['in_port LOCAL', [{ field: 'in_port', value: 0xfffffffe }]],
  [
    'in_port tun_id metadata',
    [
      { field: 'in_port', value: 7 },
      { field: 'tun_id', value: 0x1234n },
      { field: 'metadata', value: 0xfedcn },
    ],
  ],
  [
    'in_port regs ct',
    [
      { field: 'in_port', value: 1 },
      { field: 'reg0', value: 5 },
      { field: 'reg3', value: 0x80000000 },
      { field: 'ct_state', value: 0x21 },
      { field: 'ct_zone', value: 65000 },
      { field: 'ct_mark', value: 2 },
    ],
  ],
  ['none', []],
];

PACKETS.forEach(([what, data], i) => {
  const [mdName, md] = METADATA[i % METADATA.length]!;
  const reason = i % 4 === 3 ? 2 : i % 2;
  const buffered = i % 5 === 2;
  const verbosity = [1, 2, 3][i % 3];
  add(
    `packet_in ${what} (${mdName})`,
    {
      type: 'packet_in',
      xid: i,
      bufferId: buffered ? 0x100 + i : 0xffffffff,
      totalLen: i % 7 === 4 ? data.length + 100 : data.length,
      reason,
      tableId: i % 6 === 1 ? 3 : 0,
      cookie: i % 3 === 0 ? 0n : BigInt(0x1000 + i),
      match: md,
      data,
    },
    verbosity,
  );
});
add('packet_in cookie all ones, reason 6', {
  type: 'packet_in',
  xid: 77,
  bufferId: 0xffffffff,
  totalLen: 60,
  reason: 6,
  tableId: 254,
  cookie: 0xffffffffffffffffn,
  match: [{ field: 'in_port', value: 2 }],
  data: PACKETS[0]![1],
});
add('packet_in total_len below data_len', {
  type: 'packet_in',
  xid: 78,
  bufferId: 5,
  totalLen: 10,
  reason: 9,
  tableId: 0,
  cookie: 1n,
  match: [{ field: 'in_port', value: 2 }],
  data: PACKETS[1]![1],
});

// NXT_PACKET_IN2 with userdata and an Open vSwitch continuation.
function prop(type: number, body: Buffer): Buffer {
  const len = 4 + body.length;
  return Buffer.concat([u16(type), u16(len), body, Buffer.alloc((8 - (len % 8)) % 8)]);
}
const outputAction = Buffer.from('00000010000000050000000000000000', 'hex');
const setFieldReg0 = Buffer.from('00190010000100040000000700000000', 'hex');
const continuation = Buffer.concat([
  prop(0x8000, Buffer.from('00112233445566778899aabbccddeeff', 'hex')),
  prop(0x8001, Buffer.from('0005', 'hex')),
  prop(0x8001, Buffer.from('0a000001', 'hex')),
  prop(0x8002, u32(3)),
  prop(0x8003, Buffer.alloc(0)),
  prop(0x8004, Buffer.from([4])),
  prop(0x8005, Buffer.from('00000000000000000000abcd', 'hex')),
  prop(0x8006, Buffer.concat([Buffer.alloc(4), outputAction])),
  prop(0x8007, Buffer.concat([Buffer.alloc(4), setFieldReg0])),
  prop(0x8008, u32(9)),
]);
add(
  'nx_packet_in2 with continuation',
  {
    type: 'nx_packet_in2',
    xid: 90,
    packet: PACKETS[5]![1],
    fullLen: PACKETS[5]![1].length,
    bufferId: 0xffffffff,
    tableId: 2,
    cookie: 0x99n,
    reason: 1,
    metadata: [
      { field: 'in_port', value: 4 },
      { field: 'reg1', value: 0x10 },
    ],
    userdata: Buffer.from('0102030405', 'hex'),
    continuation,
  },
  2,
);
add('nx_packet_in2 minimal', { type: 'nx_packet_in2', xid: 91, packet: PACKETS[8]![1] }, 1);
add('nx_resume', { type: 'nx_resume', xid: 92, packet: PACKETS[8]![1], metadata: [{ field: 'in_port', value: 1 }], continuation }, 2);

// ---- packet-outs ---------------------------------------------------------------------------------

add(
  'packet_out with packet',
  {
    type: 'packet_out',
    xid: 100,
    bufferId: 0xffffffff,
    inPort: 0xfffffffd,
    actions: [
      { type: 'output', port: 1, maxLen: 0 },
      { type: 'set_field', field: 'eth_dst', value: '0a:58:0a:f4:01:05' },
    ],
    data: PACKETS[0]![1],
  },
  2,
);
add('packet_out buffered', { type: 'packet_out', xid: 101, bufferId: 7, inPort: 3, actions: [], data: Buffer.alloc(0) }, 2);
add(
  'packet_out verbose',
  {
    type: 'packet_out',
    xid: 102,
    bufferId: 0xffffffff,
    inPort: 0xfffffffe,
    actions: [{ type: 'output', port: 0xfffffff9, maxLen: 0 }],
    data: PACKETS[17]![1],
  },
  3,
);

// ---- flow removed, port status --------------------------------------------------------------------

for (let reason = 0; reason < 7; reason++) {
  add(`flow_removed reason ${reason}`, {
    type: 'flow_removed',
    xid: 200 + reason,
    cookie: reason % 2 ? 0n : BigInt(0xc0de0000 + reason),
    priority: [0x8000, 100, 0, 65535][reason % 4]!,
    reason,
    tableId: reason === 5 ? 255 : reason,
    durationSec: 10 + reason,
    durationNsec: [0, 5_000_000, 123_456_789, 500_000][reason % 4]!,
    idleTimeout: reason * 10,
    hardTimeout: reason % 3 ? 0 : 300,
    packetCount: BigInt(reason * 1000),
    byteCount: BigInt(reason * 64000),
    match:
      reason % 2
        ? [
            { field: 'eth_type', value: 0x0800 },
            { field: 'ip_proto', value: 6 },
            { field: 'ipv4_dst', value: '10.96.0.10' },
            { field: 'tcp_dst', value: 80 },
          ]
        : [{ field: 'in_port', value: reason + 1 }],
  });
}

function port(no: number, name: string, extra: Partial<PortDesc> = {}): PortDesc {
  return {
    portNo: no,
    hwAddr: `0a:58:0a:f4:00:${(no & 0xff).toString(16).padStart(2, '0')}`,
    name,
    config: 0,
    state: 0,
    curr: 0x2820,
    advertised: 0,
    supported: 0,
    peer: 0,
    currSpeed: 10_000_000,
    maxSpeed: 0,
    ...extra,
  };
}
const PORTS: PortDesc[] = [
  port(0xfffffffe, 'br-int', { config: 1, state: 1, curr: 0, currSpeed: 0 }),
  port(2, 'veth-pod2', { advertised: 0xffff, supported: 0x2820, peer: 0x40, maxSpeed: 100_000_000 }),
  port(1, 'eth0', { config: 0x65, state: 0x6 }),
  port(12, 'tun0', { config: 0x1e, state: 0x1f8, curr: 0x30000 }),
  port(65279, 'p\u0001weird', { currSpeed: 1234567 }),
];
PORTS.forEach((desc, i) => add(`port_status reason ${i % 4}`, { type: 'port_status', xid: 300 + i, reason: i % 4, desc }));

// ---- multipart replies ---------------------------------------------------------------------------

let mpXid = 0x400;
function reply(name: string, body: MultipartReplyBody, flags = 0, verbosity?: number): void {
  add(`multipart_reply ${name}`, { type: 'multipart_reply', xid: mpXid++, flags, body }, verbosity);
}

function corpus(file: string): OfpMessage[] {
  const out: OfpMessage[] = [];
  for (const line of readFileSync(join(TEXT, file), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as { messages?: { hex: string }[] };
    for (const m of r.messages ?? []) {
      try {
        out.push(decodeMessage(Buffer.from(m.hex, 'hex')));
      } catch {
        // bytes ofwire refuses are tested elsewhere
      }
    }
  }
  return out;
}

// Every flow of the text corpus as a flow-stats entry, three to a reply.
const flowMods = corpus('flows.jsonl').filter((m) => m.type === 'flow_mod');
const flows: FlowStats[] = flowMods.map((m, i) => {
  if (m.type !== 'flow_mod') throw new Error('unreachable');
  return {
    tableId: m.tableId === 255 ? 0 : m.tableId,
    durationSec: rand(100000),
    durationNsec: [0, 1_000_000 * rand(1000), rand(1_000_000_000)][i % 3]!,
    priority: m.priority,
    idleTimeout: m.idleTimeout,
    hardTimeout: m.hardTimeout,
    flags: m.flags,
    cookie: m.cookie || (i % 4 === 0 ? randBig(64) : 0n),
    packetCount: i % 17 === 0 ? 0xffffffffffffffffn : randBig(40),
    byteCount: randBig(48),
    match: m.match,
    instructions: m.instructions,
  };
});
for (let i = 0; i < flows.length; i += 3)
  reply(`flow ${i / 3}`, { kind: 'flow', flows: flows.slice(i, i + 3) }, i + 3 < flows.length ? 1 : 0);
reply('flow empty', { kind: 'flow', flows: [] });

// Every group of the text corpus as a group-desc entry, two to a reply.
const groupMods = corpus('groups.jsonl').filter((m) => m.type === 'group_mod');
const groups = groupMods.map((m) => {
  if (m.type !== 'group_mod') throw new Error('unreachable');
  return { groupType: m.groupType, groupId: m.groupId, buckets: m.buckets };
});
for (let i = 0; i < groups.length; i += 2) reply(`group_desc ${i / 2}`, { kind: 'group_desc', groups: groups.slice(i, i + 2) });

reply('aggregate', { kind: 'aggregate', packetCount: 123456789n, byteCount: 0xffffffffffffffffn, flowCount: 42 });
reply('desc', {
  kind: 'desc',
  mfrDesc: 'Nicira, Inc.',
  hwDesc: 'Open vSwitch',
  swDesc: '3.1.0',
  serialNum: 'None',
  dpDesc: 'br-int: a bridge',
});
reply('table ditto', {
  kind: 'table',
  tables: Array.from({ length: 254 }, (_, i) => ({
    tableId: i,
    activeCount: i < 3 ? 10 - i : i === 100 ? 7 : 0,
    lookupCount: i < 3 ? BigInt(1000 * (i + 1)) : 0n,
    matchedCount: i < 2 ? BigInt(100 * (i + 1)) : 0n,
  })),
});
reply('table single', { kind: 'table', tables: [{ tableId: 5, activeCount: 1, lookupCount: 2n, matchedCount: 3n }] });
const NONE64 = 0xffffffffffffffffn;
reply(
  'port_stats',
  {
    kind: 'port_stats',
    ports: [1, 0xfffffffe, 10, 65000].map((p, i) => ({
      portNo: p,
      rxPackets: BigInt(i * 100),
      txPackets: BigInt(i * 200),
      rxBytes: BigInt(i * 6400),
      txBytes: BigInt(i * 12800),
      rxDropped: i === 2 ? NONE64 : 0n,
      txDropped: 0n,
      rxErrors: i === 3 ? NONE64 : 0n,
      txErrors: 0n,
      rxFrameErr: NONE64,
      rxOverErr: NONE64,
      rxCrcErr: NONE64,
      collisions: NONE64,
      durationSec: i === 1 ? 0xffffffff : i * 10,
      durationNsec: i * 1000,
    })),
  },
  0,
  1,
);
reply('port_stats terse', { kind: 'port_stats', ports: [] }, 1, 0);
reply('queue', {
  kind: 'queue',
  queues: [
    { portNo: 1, queueId: 0, txBytes: 10n, txPackets: 1n, txErrors: 0n, durationSec: 5, durationNsec: 0 },
    { portNo: 0xfffffffe, queueId: 7, txBytes: NONE64, txPackets: NONE64, txErrors: NONE64, durationSec: 0xffffffff, durationNsec: 0 },
  ],
});
reply('group', {
  kind: 'group',
  groups: [
    {
      groupId: 5,
      refCount: 2,
      packetCount: 100n,
      byteCount: 6400n,
      durationSec: 12,
      durationNsec: 345_000_000,
      buckets: [
        { packetCount: 60n, byteCount: 3840n },
        { packetCount: NONE64, byteCount: NONE64 },
        { packetCount: 40n, byteCount: 2560n },
      ],
    },
    { groupId: 0xfffffff0, refCount: 0, packetCount: 0n, byteCount: 0n, durationSec: 0xffffffff, durationNsec: 0, buckets: [] },
  ],
});
reply('group_features', {
  kind: 'group_features',
  types: 0xf,
  capabilities: 0x7,
  maxGroups: [0xffffff00, 0xffffff00, 0xffffff00, 0xffffff00],
  actions: [0x03ff8001, 0x03ff8001, 0, 0xffffffff],
});
reply('group_features some types', {
  kind: 'group_features',
  types: 0x6,
  capabilities: 0,
  maxGroups: [0, 16, 0, 0],
  actions: [0, 1 << 22, 0, 0],
});
reply('meter', {
  kind: 'meter',
  meters: [
    {
      meterId: 1,
      flowCount: 2,
      packetInCount: 3n,
      byteInCount: 4n,
      durationSec: 5,
      durationNsec: 6,
      bands: [{ packetBandCount: 7n, byteBandCount: 8n }],
    },
    { meterId: 0xfffffffd, flowCount: 0, packetInCount: 0n, byteInCount: 0n, durationSec: 0, durationNsec: 0, bands: [] },
  ],
});
reply('meter_config', {
  kind: 'meter_config',
  meters: [
    { flags: 0x9, meterId: 7, bands: [{ type: 'drop', rate: 1000, burstSize: 0 }] },
    {
      flags: 0x6,
      meterId: 0xfffffffe,
      bands: [
        { type: 'dscp_remark', rate: 5, burstSize: 50, precLevel: 2 },
        { type: 'drop', rate: 10, burstSize: 100 },
      ],
    },
  ],
});
reply('meter_features', { kind: 'meter_features', maxMeter: 200000, bandTypes: 0x6, capabilities: 0xf, maxBands: 1, maxColor: 0 });
reply('meter_features odd bits', {
  kind: 'meter_features',
  maxMeter: 0,
  bandTypes: 0x81,
  capabilities: 0x30,
  maxBands: 255,
  maxColor: 255,
});
reply('port_desc', { kind: 'port_desc', ports: PORTS });

function oxm(name: string, masked = false): { header: number; experimenter?: number } {
  const headers: Record<string, number> = {
    in_port: 0x80000004,
    metadata: 0x80000408,
    eth_dst: 0x80000606,
    eth_src: 0x80000806,
    eth_type: 0x80000a02,
    vlan_vid: 0x80000c02,
    ip_proto: 0x80001401,
    ipv4_src: 0x80001604,
    ipv4_dst: 0x80001804,
    tcp_src: 0x80001a02,
    tcp_dst: 0x80001c02,
    reg0: 0x00010004,
    reg1: 0x00010204,
    reg2: 0x00010404,
    ct_state: 0x0001d204,
    tun_id: 0x80004c08,
  };
  const h = headers[name]!;
  if (!masked) return { header: h };
  const len = h & 0xff;
  return { header: ((h & 0xffffff00) | 0x100 | (len * 2)) >>> 0 };
}
function features(tableId: number, name: string, next: number[], variant: number): TableFeatures {
  const ins = [1, 2, 3, 4, 5, 6].filter((t) => variant !== 2 || t !== 6).map((type) => ({ type }));
  const acts = [0, 17, 18, 22, 25].map((type) => ({ type }));
  const fields = ['in_port', 'eth_type', 'ipv4_src', 'tcp_dst', 'reg0', 'reg1', 'reg2'].map((n) => oxm(n));
  return {
    tableId,
    name,
    metadataMatch: 0xffffffffffffffffn,
    metadataWrite: variant === 1 ? 0xffn : 0xffffffffffffffffn,
    config: 0,
    maxEntries: 1_000_000,
    properties: [
      { type: 'instructions', instructions: ins },
      { type: 'next_tables', tables: next },
      { type: 'write_actions', actions: acts },
      { type: 'apply_actions', actions: variant === 3 ? acts.slice(0, 2) : acts },
      { type: 'match', oxms: [...fields, oxm('metadata', true), oxm('eth_dst', true), oxm('ct_state', true), oxm('tun_id', true)] },
      {
        type: 'wildcards',
        oxms: [oxm('in_port'), oxm('reg0'), oxm('reg1'), oxm('reg2'), oxm('metadata'), oxm('eth_dst'), oxm('ct_state')],
      },
      { type: 'write_setfield', oxms: fields.slice(0, 4) },
      { type: 'apply_setfield', oxms: fields.slice(0, 4) },
      ...(variant === 4 ? [{ type: 'next_tables_miss' as const, tables: [] }] : []),
    ],
  };
}
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
reply('table_features', {
  kind: 'table_features',
  tables: [
    features(0, 'classifier', range(1, 253), 0),
    features(1, '', range(2, 253), 0),
    features(2, '', range(3, 253), 0),
    features(3, 'policy', [5, 7, 9, 10, 11], 1),
    features(4, '', [5, 7, 9, 10, 11], 2),
    features(5, '', [], 3),
    features(6, '', range(7, 20), 4),
  ],
});
reply('table_features bad table', {
  kind: 'table_features',
  tables: [features(0, 't', [1], 0), { ...features(1, '', [], 0), properties: [] }],
});
reply('flow_monitor', {
  kind: 'flow_monitor',
  updates: [
    {
      event: 'added',
      reason: 0,
      priority: 100,
      idleTimeout: 5,
      hardTimeout: 0,
      tableId: 3,
      cookie: 0x10n,
      match: [{ field: 'eth_type', value: 0x0806 }],
      instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: 0xfffffffa, maxLen: 0 }] }],
    },
    { event: 'modified', reason: 0, priority: 1, idleTimeout: 0, hardTimeout: 60, tableId: 0, cookie: 0n, match: [], instructions: [] },
    {
      event: 'deleted',
      reason: 3,
      priority: 1,
      idleTimeout: 0,
      hardTimeout: 0,
      tableId: 0,
      cookie: 0n,
      match: [],
      instructions: [{ type: 'apply_actions', actions: [] }],
    },
    { event: 'abbrev', xid: 0x1234 },
  ],
});

// ---- multipart requests --------------------------------------------------------------------------

function request(name: string, body: MultipartRequestBody, flags = 0): void {
  add(`multipart_request ${name}`, { type: 'multipart_request', xid: mpXid++, flags, body });
}
request('flow table out_port match', {
  kind: 'flow',
  tableId: 3,
  outPort: 2,
  outGroup: 0xffffffff,
  cookie: 0n,
  cookieMask: 0n,
  match: [
    { field: 'eth_type', value: 0x0800 },
    { field: 'ipv4_src', value: '10.0.0.0', mask: '255.0.0.0' },
  ],
});
request('aggregate all', {
  kind: 'aggregate',
  tableId: 255,
  outPort: 0xffffffff,
  outGroup: 0xffffffff,
  cookie: 5n,
  cookieMask: 0xffn,
  match: [],
});
request('port_stats', { kind: 'port_stats', portNo: 0xfffffffe });
request('queue', { kind: 'queue', portNo: 3, queueId: 0xffffffff });
request('group', { kind: 'group', groupId: 0xfffffffc });
request('group 7', { kind: 'group', groupId: 7 });
request('group_desc', { kind: 'group_desc' });
request('meter all', { kind: 'meter', meterId: 0xffffffff });
request('meter_config 3', { kind: 'meter_config', meterId: 3 });
request('port_desc', { kind: 'port_desc' });
request('desc more', { kind: 'desc' }, 1);
request('table odd flags', { kind: 'table' }, 0x10);
request('flow_monitor', {
  kind: 'flow_monitor',
  requests: [
    { id: 1, flags: 0x3f, outPort: 0xffffffff, tableId: 255, match: [] },
    { id: 2, flags: 0x4, outPort: 5, tableId: 0, match: [{ field: 'eth_type', value: 0x86dd }] },
  ],
});

// ---- errors --------------------------------------------------------------------------------------

const failed = encodeMessage({
  type: 'flow_mod',
  xid: 0x55,
  cookie: 0n,
  cookieMask: 0n,
  tableId: 0,
  command: 0,
  idleTimeout: 0,
  hardTimeout: 0,
  priority: 10,
  bufferId: 0xffffffff,
  outPort: 0xffffffff,
  outGroup: 0xffffffff,
  flags: 0,
  match: [{ field: 'in_port', value: 1 }],
  instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: 2, maxLen: 0 }] }],
});
const ERRORS: [string, number, number, number | undefined, Buffer][] = [
  ['bad out port, whole request', 2, 4, undefined, failed],
  ['bad request type, first 64 bytes', 1, 1, undefined, failed.subarray(0, 64)],
  ['hello failed', 0, 0, undefined, Buffer.from('We support versions 0x01 to 0x04\n\x01')],
  ['bad match prereq, no data', 4, 9, undefined, Buffer.alloc(0)],
  ['flow mod table full, short data', 5, 1, undefined, failed.subarray(0, 6)],
  ['group exists', 6, 0, undefined, Buffer.from('040f0010000000010000000000000005', 'hex')],
  ['meter bad band', 12, 8, undefined, Buffer.alloc(0)],
  ['nicira nxm invalid', 0xffff, 2, 0x2320, failed],
  ['onf bundle closed', 0xffff, 2304, 0x4f4e4600, Buffer.from('0404001800000001', 'hex')],
  ['unknown code', 3, 77, undefined, failed],
  ['unknown experimenter', 0xffff, 1, 0xabcdef, Buffer.alloc(0)],
  ['data longer than its header says', 1, 6, undefined, Buffer.concat([Buffer.from('0402000800000009', 'hex'), Buffer.alloc(4)])],
];
ERRORS.forEach(([name, errType, code, experimenter, data], i) => {
  add(
    `error ${name}`,
    experimenter === undefined
      ? { type: 'error', xid: 600 + i, errType, code, data }
      : { type: 'error', xid: 600 + i, errType, code, experimenter, data },
  );
});

// ---- the small messages ----------------------------------------------------------------------------

add('hello bitmap', { type: 'hello', version: 4, xid: 1, elements: [{ type: 'versionbitmap', bitmaps: [0x12] }] });
add('hello no elements OF1.0', { type: 'hello', version: 1, xid: 2, elements: [] });
add('hello unknown element', {
  type: 'hello',
  version: 5,
  xid: 3,
  elements: [{ type: 'unknown', elementType: 9, data: Buffer.from('abcd', 'hex') }],
});
add('echo_request payload v1', { type: 'echo_request', xid: 4, data: Buffer.from('0123456789abcdefxyz') }, 1);
add('echo_reply payload', { type: 'echo_reply', xid: 5, data: Buffer.from('0123456789abcdef0123456789abcdefzz') });
add('echo_reply empty', { type: 'echo_reply', xid: 6, data: Buffer.alloc(0) });
add('features_request', { type: 'features_request', xid: 7 });
add('features_reply all caps', {
  type: 'features_reply',
  xid: 8,
  datapathId: 0xfedcba9876543210n,
  nBuffers: 0,
  nTables: 254,
  auxiliaryId: 0,
  capabilities: 0xffffffff,
  reserved: 0,
});
add('features_reply no caps', {
  type: 'features_reply',
  xid: 9,
  datapathId: 1n,
  nBuffers: 256,
  nTables: 1,
  auxiliaryId: 2,
  capabilities: 0,
  reserved: 0,
});
for (let f = 0; f < 4; f++)
  add(`get_config_reply frags ${f}`, { type: 'get_config_reply', xid: 10 + f, flags: f, missSendLen: f ? 128 : 65535 });
add('set_config', { type: 'set_config', xid: 14, flags: 0, missSendLen: 1500 });
add('get_config_request', { type: 'get_config_request', xid: 15 });
add('barrier_request', { type: 'barrier_request', xid: 16 });
add('queue_get_config_request', { type: 'queue_get_config_request', xid: 17, port: 0xffffffff });
add('queue_get_config_reply', {
  type: 'queue_get_config_reply',
  xid: 18,
  port: 2,
  queues: [
    { queueId: 9, port: 2, properties: [{ type: 'max_rate', rate: 1001 }] },
    {
      queueId: 1,
      port: 2,
      properties: [
        { type: 'min_rate', rate: 0 },
        { type: 'max_rate', rate: 1000 },
      ],
    },
    { queueId: 4, port: 2, properties: [{ type: 'min_rate', rate: 0xffff }] },
  ],
});
add('queue_get_config_reply empty', { type: 'queue_get_config_reply', xid: 19, port: 0, queues: [] });
for (let role = 0; role < 4; role++) {
  add(`role_request ${role}`, { type: 'role_request', xid: 20 + role, role, generationId: BigInt(role * 7) });
  add(`role_reply ${role}`, { type: 'role_reply', xid: 30 + role, role, generationId: role === 3 ? 0xffffffffffffffffn : BigInt(role) });
}
add('role_status', { type: 'role_status', xid: 40, role: 3, reason: 7, generationId: 5n, properties: [] });
add('get_async_request', { type: 'get_async_request', xid: 41 });
add('get_async_reply', {
  type: 'get_async_reply',
  xid: 42,
  packetInMask: [0xff, 0x1],
  portStatusMask: [0x7, 0],
  flowRemovedMask: [0xffff, 0x9],
});
add('set_async off', { type: 'set_async', xid: 43, packetInMask: [0, 0], portStatusMask: [0, 0], flowRemovedMask: [0, 0] });
add('nx_set_async_config2', {
  type: 'nx_set_async_config2',
  xid: 44,
  properties: [
    { propType: 0, mask: 0x2 },
    { propType: 1, mask: 0x5 },
    { propType: 5, mask: 0x3f },
    { propType: 7, mask: 0x7 },
    { propType: 9, mask: 0x18 },
    { propType: 11, mask: 0x3 },
  ],
});
for (let f = 0; f < 3; f++) add(`nx_set_packet_in_format ${f}`, { type: 'nx_set_packet_in_format', xid: 45 + f, format: f });
add('nx_set_controller_id', { type: 'nx_set_controller_id', xid: 48, controllerId: 65535 });
add('nx_ct_flush_zone', { type: 'nx_ct_flush_zone', xid: 49, zoneId: 65000 });
add('nx_ct_flush v4', {
  type: 'nx_ct_flush',
  xid: 50,
  ipProto: 6,
  zoneId: 5,
  orig: { src: '10.0.0.1', dst: '10.96.0.10', srcPort: 40000, dstPort: 80 },
  reply: { src: '10.96.0.10', dst: '10.0.0.1', srcPort: 80, dstPort: 40000 },
});
add('nx_ct_flush v6 icmp', { type: 'nx_ct_flush', xid: 51, ipProto: 58, orig: { src: 'fd00::1', icmpId: 7, icmpType: 128, icmpCode: 0 } });
add('nx_ct_flush empty', { type: 'nx_ct_flush', xid: 52, ipProto: 0 });
for (let t = 0; t < 8; t++)
  add(`bundle_control ${t}`, { type: 'bundle_control', xid: 53 + t, bundleId: t * 0x1001, ctrlType: t, flags: t % 4, properties: [] });
add('bundle_add flow_mod', { type: 'bundle_add', xid: 0x55, bundleId: 9, flags: 3, message: decodeMessage(failed), properties: [] });
add('bundle_add other xid', { type: 'bundle_add', xid: 61, bundleId: 9, flags: 1, message: decodeMessage(failed), properties: [] });
add('bundle_add barrier', {
  type: 'bundle_add',
  xid: 62,
  bundleId: 9,
  flags: 0,
  message: { type: 'barrier_request', xid: 62 },
  properties: [],
});
add('flow_monitor_cancel', { type: 'flow_monitor_cancel', xid: 62, id: 0xffffffff });
add('meter_mod', { type: 'meter_mod', xid: 63, command: 1, flags: 0x5, meterId: 9, bands: [{ type: 'drop', rate: 10, burstSize: 20 }] });
add('table_mod all', { type: 'table_mod', xid: 64, tableId: 255, config: 0 });
add('port_mod', {
  type: 'port_mod',
  xid: 65,
  portNo: 0xfffffffe,
  hwAddr: '0a:00:00:00:00:01',
  config: 0x45,
  mask: 0x65,
  advertise: 0x2820,
});
const groupMod = groupMods[0];
if (groupMod) add('requestforward group_mod', { type: 'requestforward', xid: 66, message: groupMod });
add('requestforward meter_mod', {
  type: 'requestforward',
  xid: 67,
  message: { type: 'meter_mod', xid: 67, command: 0, flags: 1, meterId: 1, bands: [{ type: 'drop', rate: 1, burstSize: 0 }] },
});
add('experimenter nicira flow_mod_table_id', {
  type: 'experimenter',
  xid: 68,
  experimenter: 0x2320,
  expType: 15,
  data: Buffer.from('0100000000000000', 'hex'),
});
add('experimenter nicira unknown', { type: 'experimenter', xid: 69, experimenter: 0x2320, expType: 999, data: Buffer.alloc(0) });
add('experimenter other vendor', { type: 'experimenter', xid: 70, experimenter: 0xff000001, expType: 1, data: Buffer.from('00', 'hex') });

// ---- run ovs-ofctl -------------------------------------------------------------------------------

const lines: string[] = [];
for (const c of cases) {
  const hex = encodeMessage(c.msg).toString('hex');
  const v = c.verbosity ?? 2;
  const text = execFileSync('ovs-ofctl', ['ofp-print', hex, String(v)], { encoding: 'latin1' });
  lines.push(JSON.stringify({ name: c.name, hex, verbosity: v, text }));
}
writeFileSync(OUT, `${lines.join('\n')}\n`);
process.stdout.write(`${lines.length} records written to ${OUT}\n`);
