/**
 * The two codec workloads, shared by every contender:
 *  - the service-port FLOW_MOD `table=11,priority=200,ct_state=+new+trk,tcp,nw_dst=10.96.0.10,
 *    tp_dst=80,actions=group:5` as a typed object, and the bytes ovs-ofctl sends for it;
 *  - a FLOW_STATS reply holding the service proxy's flows (half service-port flows → group, half
 *    register-matching DNAT flows → ct(commit,nat(dst=…))), split over multipart reply messages of
 *    at most 65535 bytes each, OFPMPF_REPLY_MORE on all but the last, as Open vSwitch sends them.
 */
import { isDeepStrictEqual } from 'node:util';
import { decodeMessage, encodeMessage, type FlowMod, type FlowStats, type MultipartReply } from '../../protocol/index.js';
import { Writer } from '../../protocol/wire/writer.js';
import { writeMessage } from '../../protocol/codec.js';
import { OFPMPF_REPLY_MORE, OFP_MULTIPART_HEADER_LEN } from '../../protocol/constants/openflow13.js';

export const FLOW_MOD_TEXT = 'table=11,priority=200,ct_state=+new+trk,tcp,nw_dst=10.96.0.10,tp_dst=80,actions=group:5';

/** `ovs-ofctl -O OpenFlow13 parse-flow` output for FLOW_MOD_TEXT (OVS 3.1.0), xid 1. */
export const FLOW_MOD_HEX =
  '040e007000000001000000000000000000000000000000000b000000000000c8ffffffffffffffffffffffff000000000001002980000a020800800018040a60000a800014010680001c0200500001d30800000021000000210000000000000000040010000000000016000800000005';

export function serviceFlowMod(): FlowMod {
  return {
    type: 'flow_mod',
    xid: 1,
    cookie: 0n,
    cookieMask: 0n,
    tableId: 11,
    command: 0,
    idleTimeout: 0,
    hardTimeout: 0,
    priority: 200,
    bufferId: 0xffffffff,
    outPort: 0xffffffff,
    outGroup: 0xffffffff,
    flags: 0,
    match: [
      { field: 'eth_type', value: 0x800 },
      { field: 'ipv4_dst', value: '10.96.0.10' },
      { field: 'ip_proto', value: 6 },
      { field: 'tcp_dst', value: 80 },
      { field: 'ct_state', value: 0x21, mask: 0x21 },
    ],
    instructions: [{ type: 'apply_actions', actions: [{ type: 'group', groupId: 5 }] }],
  };
}

const MAX_MESSAGE = 0xffff;
/** ofp_header (8) + ofp_multipart_reply (8). */
const CT_NEW_TRK = 0x21;
const COOKIE_PREFIX = 0x0f77n << 48n;

function ipv4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** A small deterministic PRNG (mulberry32), so every run and every contender sees the same flows. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` flows as a service proxy installs them: even entries are service-port flows (table 11:
 * eth_type, ipv4_dst, ip_proto, tcp_dst, ct_state=+new+trk → group), odd entries are DNAT flows
 * (table 13: eth_type, ip_proto, reg2=port/0xffff, reg3=pod IP → ct(commit,zone=65520,table=15,
 * nat(dst=IP:PORT))). OXMs in the order Open vSwitch writes them; counters non-zero.
 */
export function proxyFlowStats(count: number): FlowStats[] {
  const rnd = prng(0x0f10);
  const flows: FlowStats[] = [];
  for (let i = 0; i < count; i++) {
    const id = i >>> 1;
    const packets = BigInt(Math.floor(rnd() * 1e9));
    const common = {
      durationSec: Math.floor(rnd() * 86400),
      durationNsec: Math.floor(rnd() * 1e9),
      idleTimeout: 0,
      hardTimeout: 0,
      flags: 0,
      packetCount: packets,
      byteCount: packets * BigInt(64 + Math.floor(rnd() * 1400)),
    };
    if (i % 2 === 0) {
      flows.push({
        ...common,
        tableId: 11,
        priority: 100,
        cookie: COOKIE_PREFIX | (1n << 44n) | BigInt(id),
        match: [
          { field: 'eth_type', value: 0x800 },
          { field: 'ipv4_dst', value: ipv4(0x0a600000 + id) },
          { field: 'ip_proto', value: 6 },
          { field: 'tcp_dst', value: 1 + (id % 65535) },
          { field: 'ct_state', value: CT_NEW_TRK, mask: CT_NEW_TRK },
        ],
        instructions: [{ type: 'apply_actions', actions: [{ type: 'group', groupId: 0x7f000000 + id }] }],
      });
    } else {
      const pod = 0x0af40000 + id;
      const port = 1024 + (id % 60000);
      flows.push({
        ...common,
        tableId: 13,
        priority: 100,
        cookie: COOKIE_PREFIX | (3n << 44n) | BigInt(id),
        match: [
          { field: 'eth_type', value: 0x800 },
          { field: 'ip_proto', value: 6 },
          { field: 'reg2', value: port, mask: 0xffff },
          { field: 'reg3', value: pod },
        ],
        instructions: [
          {
            type: 'apply_actions',
            actions: [
              {
                type: 'ct',
                flags: 1,
                zone: 65520,
                recircTable: 15,
                alg: 0,
                actions: [{ type: 'nat', flags: 2, ipMin: ipv4(pod), portMin: port }],
              },
            ],
          },
        ],
      });
    }
  }
  return flows;
}

function replyMessage(flows: FlowStats[], last: boolean, xid: number): MultipartReply {
  return { type: 'multipart_reply', xid, flags: last ? 0 : OFPMPF_REPLY_MORE, body: { kind: 'flow', flows } };
}

/** Wire length of each flow stats entry. */
function entryLengths(flows: FlowStats[]): number[] {
  const w = new Writer(1 << 16);
  return flows.map((f) => {
    w.reset();
    writeMessage(w, replyMessage([f], true, 0));
    return w.pos - OFP_MULTIPART_HEADER_LEN;
  });
}

export interface FlowStatsReply {
  /** The flows, as the typed objects they were encoded from. */
  flows: FlowStats[];
  /** One Buffer per multipart reply message. */
  messages: Buffer[];
  /** The messages back to back, as they arrive on the connection. */
  stream: Buffer;
}

/** Encodes `flows` as Open vSwitch packs a flow dump: as many entries per message as fit in 65535 bytes. */
export function flowStatsReply(flows: FlowStats[], xid = 7): FlowStatsReply {
  const lengths = entryLengths(flows);
  const groups: FlowStats[][] = [];
  let current: FlowStats[] = [];
  let size = OFP_MULTIPART_HEADER_LEN;
  flows.forEach((f, i) => {
    if (size + lengths[i]! > MAX_MESSAGE) {
      groups.push(current);
      current = [];
      size = OFP_MULTIPART_HEADER_LEN;
    }
    current.push(f);
    size += lengths[i]!;
  });
  groups.push(current);
  const messages = groups.map((g, i) => encodeMessage(replyMessage(g, i === groups.length - 1, xid)));
  return { flows, messages, stream: Buffer.concat(messages) };
}

/** Splits back-to-back messages by their header lengths. */
export function splitMessages(stream: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at + 4 <= stream.length;) {
    const len = stream.readUInt16BE(at + 2);
    if (len < 8 || at + len > stream.length) throw new Error(`bad message length ${len} at offset ${at}`);
    out.push(stream.subarray(at, at + len));
    at += len;
  }
  return out;
}

/** Checks that ofwire encodes FLOW_MOD as OVS does and that the reply decodes back to its flows. */
export function checkWorkloads(reply: FlowStatsReply): void {
  const hex = encodeMessage(serviceFlowMod()).toString('hex');
  if (hex !== FLOW_MOD_HEX) throw new Error(`FLOW_MOD encodes to ${hex}, not the bytes ovs-ofctl sends`);
  let n = 0;
  for (const m of reply.messages) {
    if (m.length > MAX_MESSAGE) throw new Error(`reply message of ${m.length} bytes`);
    const d = decodeMessage(m);
    if (d.type !== 'multipart_reply' || d.body.kind !== 'flow') throw new Error('reply does not decode to flow stats');
    for (const f of d.body.flows) {
      const want = reply.flows[n++]!;
      if (!isDeepStrictEqual(f, want)) throw new Error(`flow ${n - 1} does not round-trip`);
    }
  }
  if (n !== reply.flows.length) throw new Error(`decoded ${n} flows, expected ${reply.flows.length}`);
}
