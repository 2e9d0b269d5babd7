/** OFPMP_FLOW and OFPMP_AGGREGATE (struct ofp11_flow_stats_request, ofp11_flow_stats, aggregate reply). */
import { readInstructions, writeInstructions } from '../actions/instructions.js';
import type { Instruction } from '../actions/types.js';
import { readMatch, writeMatch } from '../fields/oxm.js';
import { u32At } from '../fields/values.js';
import type { Match } from '../fields/types.js';
import { renameStructure, type Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import { readRecords, registerMultipart } from './multipart.js';
import type { FlowStats, FlowStatsRequest } from './multipart-types.js';
import { put16, put32, put64, put8 } from './put-lenient.js';
import { OFP_FLOW_STATS_FIXED_LEN } from '../constants/openflow13.js';

function writeFlowRequest(w: Writer, b: FlowStatsRequest, path: string): void {
  put8(w, b.tableId, path, 'tableId');
  w.zeros(3);
  put32(w, b.outPort, path, 'outPort');
  put32(w, b.outGroup, path, 'outGroup');
  w.zeros(4);
  put64(w, b.cookie, path, 'cookie');
  put64(w, b.cookieMask, path, 'cookieMask');
  writeMatch(w, b.match, `${path}.match`);
}

function readFlowRequest(r: Reader, s: string): FlowStatsRequest {
  const tableId = r.u8(s);
  r.pad(3, s);
  const outPort = r.u32(s);
  const outGroup = r.u32(s);
  r.pad(4, s);
  const cookie = r.u64(s);
  const cookieMask = r.u64(s);
  return { tableId, outPort, outGroup, cookie, cookieMask, match: readMatch(r, `${s}.match`) };
}

function writeFlowStats(w: Writer, f: FlowStats, path: string): void {
  const start = w.pos;
  w.u16(0);
  put8(w, f.tableId, path, 'tableId');
  w.zeros(1);
  put32(w, f.durationSec, path, 'durationSec');
  put32(w, f.durationNsec, path, 'durationNsec');
  put16(w, f.priority, path, 'priority');
  put16(w, f.idleTimeout, path, 'idleTimeout');
  put16(w, f.hardTimeout, path, 'hardTimeout');
  put16(w, f.flags, path, 'flags');
  w.zeros(4);
  put64(w, f.cookie, path, 'cookie');
  put64(w, f.packetCount, path, 'packetCount');
  put64(w, f.byteCount, path, 'byteCount');
  writeMatch(w, f.match, `${path}.match`);
  writeInstructions(w, f.instructions, `${path}.instructions`);
  w.fillLength16(start, start, path);
}

function readFlowStats(r: Reader, s: string): FlowStats {
  // The 48 fixed bytes (readRecords has bounded the record to at least 56), read in place.
  r.need(OFP_FLOW_STATS_FIXED_LEN, s);
  const b = r.buf;
  const p = r.pos;
  const tableId = b[p + 2]!;
  if (b[p + 3] !== 0) r.fail('non-zero padding', s, p + 3);
  const durationSec = u32At(b, p + 4);
  const durationNsec = u32At(b, p + 8);
  const priority = (b[p + 12]! << 8) | b[p + 13]!;
  const idleTimeout = (b[p + 14]! << 8) | b[p + 15]!;
  const hardTimeout = (b[p + 16]! << 8) | b[p + 17]!;
  const flags = (b[p + 18]! << 8) | b[p + 19]!;
  r.pos = p + 20;
  r.pad(4, s);
  const cookie = r.u64(s);
  const packetCount = r.u64(s);
  const byteCount = r.u64(s);
  // Match and instructions are read under the entry's name; theirs are built only on failure.
  let match: Match;
  let instructions: Instruction[];
  let part = '.match';
  try {
    match = readMatch(r, s);
    part = '.instructions';
    instructions = readInstructions(r, s);
  } catch (err) {
    throw renameStructure(err, s, s + part);
  }
  return {
    tableId,
    durationSec,
    durationNsec,
    priority,
    idleTimeout,
    hardTimeout,
    flags,
    cookie,
    packetCount,
    byteCount,
    match,
    instructions,
  };
}

registerMultipart({
  kind: 'flow',
  name: 'OFPST_FLOW',
  mpType: 1,
  encodeRequest: writeFlowRequest,
  decodeRequest: (r, s) => ({ kind: 'flow', ...readFlowRequest(r, s) }),
  encodeReply: (w, b, path) => b.flows.forEach((f, i) => writeFlowStats(w, f, `${path}.flows[${i}]`)),
  decodeReply: (r, s) => ({ kind: 'flow', flows: readRecords(r, `${s}.flows`, 56, 0, readFlowStats) }),
});

registerMultipart({
  kind: 'aggregate',
  name: 'OFPST_AGGREGATE',
  mpType: 2,
  encodeRequest: writeFlowRequest,
  decodeRequest: (r, s) => ({ kind: 'aggregate', ...readFlowRequest(r, s) }),
  encodeReply: (w, b, path) => {
    put64(w, b.packetCount, path, 'packetCount');
    put64(w, b.byteCount, path, 'byteCount');
    put32(w, b.flowCount, path, 'flowCount');
    w.zeros(4);
  },
  decodeReply: (r, s) => {
    const packetCount = r.u64(s);
    const byteCount = r.u64(s);
    const flowCount = r.u32(s);
    r.pad(4, s);
    return { kind: 'aggregate', packetCount, byteCount, flowCount };
  },
});
