/**
 * A FLOW_STATS multipart reply as far as binary-parser can describe it: ofp_header, the multipart
 * header, then ofp_flow_stats entries, each with its OXM list (raw values), its instructions, and
 * their actions — group, Nicira ct with its nested action list (a recursive, aliased parser), and
 * nat with its range kept as raw bytes (its fields are present or not by bit in range_present,
 * which binary-parser could only express with one `choice` per bit).
 *
 * Everything here is bounded by lengths read from the input, but binary-parser only loops "while
 * offset < start + lengthInBytes": an element that runs past its list's end is not caught.
 */
import { createRequire } from 'node:module';

// binary-parser's ESM entry ships no .d.mts, so under NodeNext its types only resolve as CommonJS.
// eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- the import's attributes, not a value
type BinaryParser = typeof import('binary-parser', { with: { 'resolution-mode': 'require' } });
const { Parser } = createRequire(import.meta.url)('binary-parser') as BinaryParser;

/** The plain objects the parser below returns (the same shape plain-flow-stats-reader.ts builds). */
export interface RawOxm {
  oxmClass: number;
  /** field << 1 | hasmask. */
  fieldMask: number;
  length: number;
  value: Buffer;
}

export type RawAction =
  | { type: 22; len: number; groupId: number }
  | {
      type: 0xffff;
      len: number;
      experimenter: number;
      subtype: 35;
      flags: number;
      zoneSrc: number;
      zoneOfsNbits: number;
      recircTable: number;
      alg: number;
      actions: RawAction[];
    }
  | { type: 0xffff; len: number; experimenter: number; subtype: 36; flags: number; rangePresent: number; range: Buffer }
  | { type: number; len: number; data: Buffer };

export type RawInstruction =
  { type: 4; len: number; actions: RawAction[] } | { type: 1; len: number; tableId: number } | { type: number; len: number; data: Buffer };

export interface RawFlowStats {
  length: number;
  tableId: number;
  durationSec: number;
  durationNsec: number;
  priority: number;
  idleTimeout: number;
  hardTimeout: number;
  flags: number;
  cookie: bigint;
  packetCount: bigint;
  byteCount: bigint;
  matchType: number;
  matchLength: number;
  oxms: RawOxm[];
  instructions: RawInstruction[];
}

export interface RawFlowStatsReply {
  version: number;
  type: number;
  length: number;
  xid: number;
  mpType: number;
  mpFlags: number;
  flows: RawFlowStats[];
}

// Aliased (registered before the parsers that use it) so that ct's nested action list can refer back to it.
const action = new Parser().namely('ofp_action');

const oxm = new Parser().uint16('oxmClass').uint8('fieldMask').uint8('length').buffer('value', { length: 'length' });

const nxCt = new Parser()
  .uint16('flags')
  .uint32('zoneSrc')
  .uint16('zoneOfsNbits')
  .uint8('recircTable')
  .seek(3)
  .uint16('alg')
  .array('actions', {
    type: 'ofp_action',
    lengthInBytes: function (this: { len: number }) {
      return this.len - 24;
    },
  });

const nxNat = new Parser()
  .seek(2)
  .uint16('flags')
  .uint16('rangePresent')
  .buffer('range', {
    length: function (this: { len: number }) {
      return this.len - 16;
    },
  });

const experimenterAction = new Parser()
  .uint32('experimenter')
  .uint16('subtype')
  .choice({
    tag: 'subtype',
    choices: { 35: nxCt, 36: nxNat },
    defaultChoice: new Parser().buffer('data', {
      length: function (this: { len: number }) {
        return this.len - 10;
      },
    }),
  });

action
  .uint16('type')
  .uint16('len')
  .choice({
    tag: 'type',
    choices: {
      22: new Parser().uint32('groupId'),
      0xffff: experimenterAction,
    },
    defaultChoice: new Parser().buffer('data', {
      length: function (this: { len: number }) {
        return this.len - 4;
      },
    }),
  });

const instruction = new Parser()
  .uint16('type')
  .uint16('len')
  .choice({
    tag: 'type',
    choices: {
      1: new Parser().uint8('tableId').seek(3),
      4: new Parser().seek(4).array('actions', {
        type: 'ofp_action',
        lengthInBytes: function (this: { len: number }) {
          return this.len - 8;
        },
      }),
    },
    defaultChoice: new Parser().buffer('data', {
      length: function (this: { len: number }) {
        return this.len - 4;
      },
    }),
  });

const flowStats = new Parser()
  .uint16('length')
  .uint8('tableId')
  .seek(1)
  .uint32('durationSec')
  .uint32('durationNsec')
  .uint16('priority')
  .uint16('idleTimeout')
  .uint16('hardTimeout')
  .uint16('flags')
  .seek(4)
  .uint64('cookie')
  .uint64('packetCount')
  .uint64('byteCount')
  .uint16('matchType')
  .uint16('matchLength')
  .array('oxms', {
    type: oxm,
    lengthInBytes: function (this: RawFlowStats) {
      return this.matchLength - 4;
    },
  })
  .seek(function (this: RawFlowStats) {
    return (8 - (this.matchLength % 8)) % 8;
  })
  .array('instructions', {
    type: instruction,
    lengthInBytes: function (this: RawFlowStats) {
      return this.length - 48 - ((this.matchLength + 7) & ~7);
    },
  });

/** One multipart reply message (its buffer holds exactly that message). */
export const flowStatsReplyParser = new Parser()
  .uint8('version')
  .uint8('type')
  .uint16('length')
  .uint32('xid')
  .uint16('mpType')
  .uint16('mpFlags')
  .seek(4)
  .array('flows', { type: flowStats, readUntil: 'eof' });

export function parseFlowStatsReply(message: Buffer): RawFlowStatsReply {
  return flowStatsReplyParser.parse(message) as RawFlowStatsReply;
}
