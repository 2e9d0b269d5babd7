/**
 * The same FLOW_STATS reply, read by hand with Buffer index reads into the very objects
 * binary-parser-flow-stats.ts returns: the hand-written side of the binary-parser comparison.
 * Like that parser it does no validation beyond what the lengths imply (this is a technique
 * comparison; ofwire's decoder is the one that checks everything).
 */
import type { RawAction, RawFlowStats, RawFlowStatsReply, RawInstruction, RawOxm } from './binary-parser-flow-stats.js';

function u16(b: Buffer, p: number): number {
  return (b[p]! << 8) | b[p + 1]!;
}

function u32(b: Buffer, p: number): number {
  return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
}

function readActions(b: Buffer, p: number, end: number): RawAction[] {
  const out: RawAction[] = [];
  while (p < end) {
    const type = u16(b, p);
    const len = u16(b, p + 2);
    if (type === 22) {
      out.push({ type, len, groupId: u32(b, p + 4) });
    } else if (type === 0xffff && u16(b, p + 8) === 35) {
      out.push({
        type,
        len,
        experimenter: u32(b, p + 4),
        subtype: 35,
        flags: u16(b, p + 10),
        zoneSrc: u32(b, p + 12),
        zoneOfsNbits: u16(b, p + 16),
        recircTable: b[p + 18]!,
        alg: u16(b, p + 22),
        actions: readActions(b, p + 24, p + len),
      });
    } else if (type === 0xffff && u16(b, p + 8) === 36) {
      out.push({
        type,
        len,
        experimenter: u32(b, p + 4),
        subtype: 36,
        flags: u16(b, p + 12),
        rangePresent: u16(b, p + 14),
        range: b.subarray(p + 16, p + len),
      });
    } else {
      out.push({ type, len, data: b.subarray(p + 4, p + len) });
    }
    p += len;
  }
  return out;
}

function readInstructions(b: Buffer, p: number, end: number): RawInstruction[] {
  const out: RawInstruction[] = [];
  while (p < end) {
    const type = u16(b, p);
    const len = u16(b, p + 2);
    if (type === 4) out.push({ type, len, actions: readActions(b, p + 8, p + len) });
    else if (type === 1) out.push({ type, len, tableId: b[p + 4]! });
    else out.push({ type, len, data: b.subarray(p + 4, p + len) });
    p += len;
  }
  return out;
}

function readOxms(b: Buffer, p: number, end: number): RawOxm[] {
  const out: RawOxm[] = [];
  while (p < end) {
    const length = b[p + 3]!;
    out.push({ oxmClass: u16(b, p), fieldMask: b[p + 2]!, length, value: b.subarray(p + 4, p + 4 + length) });
    p += 4 + length;
  }
  return out;
}

function readFlowStats(b: Buffer, p: number): RawFlowStats {
  const length = u16(b, p);
  const matchLength = u16(b, p + 50);
  const instructionsAt = p + 48 + ((matchLength + 7) & ~7);
  return {
    length,
    tableId: b[p + 2]!,
    durationSec: u32(b, p + 4),
    durationNsec: u32(b, p + 8),
    priority: u16(b, p + 12),
    idleTimeout: u16(b, p + 14),
    hardTimeout: u16(b, p + 16),
    flags: u16(b, p + 18),
    cookie: b.readBigUInt64BE(p + 24),
    packetCount: b.readBigUInt64BE(p + 32),
    byteCount: b.readBigUInt64BE(p + 40),
    matchType: u16(b, p + 48),
    matchLength,
    oxms: readOxms(b, p + 52, p + 48 + matchLength),
    instructions: readInstructions(b, instructionsAt, p + length),
  };
}

/** One multipart reply message (its buffer holds exactly that message). */
export function readFlowStatsReply(b: Buffer): RawFlowStatsReply {
  const flows: RawFlowStats[] = [];
  for (let p = 16; p < b.length; p += u16(b, p)) flows.push(readFlowStats(b, p));
  return {
    version: b[0]!,
    type: b[1]!,
    length: u16(b, 2),
    xid: u32(b, 4),
    mpType: u16(b, 8),
    mpFlags: u16(b, 10),
    flows,
  };
}
