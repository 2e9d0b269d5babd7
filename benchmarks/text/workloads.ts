/**
 * The text workloads: what a service proxy hands `ofwire --bundle add-flows` / `add-groups`, and
 * the dump-flows output of the same flows.
 *
 *  - flows: even lines are service-port flows (table 11: ct_state, tcp, nw_dst, tp_dst → group),
 *    odd lines DNAT flows (table 12: udp, reg0, reg1 → ct(commit,table=15,zone=65520,nat(dst=…)));
 *  - groups: select groups of five buckets, each bucket a ct/nat to one endpoint;
 *  - flow stats: the flows above as a FLOW_STATS reply, in multipart messages of at most 65535
 *    bytes, as Open vSwitch packs a dump.
 */
import { decodeMessage, type FlowStats, type MultipartReply } from '../../protocol/index.js';
import { parseFlowsFile } from '../../protocol/text/index.js';
import { flowStatsReply } from '../codec/workloads.js';

export const DEFAULT_COUNT = 20_000;

function ip(a: number, b: number, n: number): string {
  return `${a}.${b}.${(n >>> 8) & 255}.${n & 255}`;
}

/** Group ids of the service-port flows: 1 … count/2 (the groups file has count groups). */
export function flowsText(count = DEFAULT_COUNT): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = i >>> 1;
    if (i % 2 === 0) {
      lines.push(`table=11,priority=100,ct_state=+new+trk,tcp,nw_dst=${ip(10, 96, id)},tp_dst=${80 + (id % 1000)},actions=group:${id + 1}`);
    } else {
      const reg0 = `0x${(0x1000 + id).toString(16)}`;
      const reg1 = `0x${(id % 16).toString(16)}`;
      lines.push(
        `table=12,priority=100,udp,reg0=${reg0},reg1=${reg1},actions=ct(commit,table=15,zone=65520,nat(dst=${ip(10, 244, id)}:8080))`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

export function groupsText(count = DEFAULT_COUNT): string {
  const lines: string[] = [];
  for (let g = 0; g < count; g++) {
    const buckets = Array.from(
      { length: 5 },
      (_, b) => `bucket=weight:100,actions=ct(commit,table=15,zone=65520,nat(dst=${ip(10, 244, (g * 5 + b) & 0xffff)}:8080))`,
    );
    lines.push(`group_id=${g + 1},type=select,${buckets.join(',')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The flows of flowsText() as a switch reports them (counters and durations made up), decoded. */
export function flowStatsReplies(count = DEFAULT_COUNT): MultipartReply[] {
  const mods = parseFlowsFile(flowsText(count));
  const flows: FlowStats[] = mods.map((m, i) => ({
    tableId: m.tableId,
    durationSec: 100 + (i % 5000),
    durationNsec: (i * 7919) % 1_000_000_000,
    priority: m.priority,
    idleTimeout: 0,
    hardTimeout: 0,
    flags: 0,
    cookie: 0n,
    packetCount: BigInt(i * 3),
    byteCount: BigInt(i * 3 * 74),
    match: m.match,
    instructions: m.instructions,
  }));
  return flowStatsReply(flows).messages.map((b) => decodeMessage(b) as MultipartReply);
}
