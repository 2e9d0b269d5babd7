/**
 * What the proxy wants on the switch, as flows and groups with identities: a flow is identified by
 * (table, priority, match) and a group by its id; two entries with the same identity and the same
 * body are the same thing on the switch. Identities and bodies are the entries' encoded bytes, so
 * comparing with what the switch reports back is exact.
 */
import { ProtocolError, type Bucket, type FlowStats, type GroupDesc, type Instruction, type Match } from '../../protocol/index.js';
import { Writer } from '../../protocol/wire/writer.js';
import { readInstructions, writeInstructions } from '../../protocol/actions/instructions.js';
import { readMatch, writeMatch } from '../../protocol/fields/oxm.js';
import { readBuckets, writeBuckets } from '../../protocol/messages/buckets.js';
import { Reader } from '../../protocol/wire/reader.js';
import { OFP_FLOW_STATS_FIXED_LEN } from '../../protocol/constants/openflow13.js';

export interface FlowEntry {
  kind: 'flow';
  table: number;
  priority: number;
  match: Match;
  instructions: Instruction[];
  cookie: bigint;
}

export interface GroupEntry {
  kind: 'group';
  groupId: number;
  groupType: number;
  buckets: Bucket[];
}

export type Entry = FlowEntry | GroupEntry;

/**
 * An entry with its identity and body signatures. Keys are `f<table>/<priority>/<match bytes>` and
 * `g<group id>`; bodies `<cookie in hex>/<instruction bytes>` and `<group type>/<bucket bytes>`
 * (bytes as latin1 strings, one character per byte).
 */
export interface Keyed<E extends Entry = Entry> {
  readonly key: string;
  readonly body: string;
  readonly entry: E;
}

/** Whether a key names a flow (else a group). */
export function isFlowKey(key: string): boolean {
  return key.charCodeAt(0) === 0x66; // 'f'
}

/** The cookie part of a flow's body. */
export function cookieOfBody(body: string): string {
  return body.slice(0, body.indexOf('/'));
}

/**
 * An entry compiled straight to its key and body (lib/proxy/wire.ts): the typed entry is decoded
 * from them only when something asks for it, and not kept.
 */
export class WireKeyed implements Keyed {
  constructor(
    readonly key: string,
    readonly body: string,
  ) {}

  get entry(): Entry {
    return entryOf(this.key, this.body);
  }
}

function readerOf(latin1: string): Reader {
  return new Reader(Buffer.from(latin1, 'latin1'));
}

/** The typed entry a key and body stand for. */
export function entryOf(key: string, body: string): Entry {
  const slash = body.indexOf('/');
  if (!isFlowKey(key)) {
    return {
      kind: 'group',
      groupId: Number(key.slice(1)),
      groupType: Number(body.slice(0, slash)),
      buckets: readBuckets(readerOf(body.slice(slash + 1)), 'buckets'),
    };
  }
  const a = key.indexOf('/');
  const b = key.indexOf('/', a + 1);
  return {
    kind: 'flow',
    table: Number(key.slice(1, a)),
    priority: Number(key.slice(a + 1, b)),
    match: readMatch(readerOf(key.slice(b + 1))),
    instructions: readInstructions(readerOf(body.slice(slash + 1)), 'instructions'),
    cookie: BigInt(`0x${body.slice(0, slash)}`),
  };
}

const scratch = new Writer(1 << 16);

function latin1Of(write: (w: Writer) => void): string {
  scratch.reset();
  write(scratch);
  return scratch.buf.toString('latin1', 0, scratch.pos);
}

export function flowKey(table: number, priority: number, match: Match): string {
  return `f${table}/${priority}/${latin1Of((w) => writeMatch(w, match))}`;
}

export function groupKey(groupId: number): string {
  return `g${groupId}`;
}

export function keyed(e: Entry): Keyed {
  if (e.kind === 'flow') {
    return {
      key: flowKey(e.table, e.priority, e.match),
      body: `${e.cookie.toString(16)}/${latin1Of((w) => writeInstructions(w, e.instructions, 'instructions'))}`,
      entry: e,
    };
  }
  return { key: groupKey(e.groupId), body: `${e.groupType}/${latin1Of((w) => writeBuckets(w, e.buckets, 'buckets'))}`, entry: e };
}

/** The entry a dumped flow is. */
export function keyedFlowStats(f: FlowStats): Keyed<FlowEntry> {
  const entry: FlowEntry = {
    kind: 'flow',
    table: f.tableId,
    priority: f.priority,
    match: f.match,
    instructions: f.instructions,
    cookie: f.cookie,
  };
  return keyed(entry) as Keyed<FlowEntry>;
}

export function keyedGroupDesc(g: GroupDesc): Keyed<GroupEntry> {
  return keyed({ kind: 'group', groupId: g.groupId, groupType: g.groupType, buckets: g.buckets }) as Keyed<GroupEntry>;
}

// ---- entries read from raw dumps ----------------------------------------------------------------

const FLOW_STATS_COOKIE_AT = 24;
/** struct ofp_group_desc before its buckets: length, type, pad, group id. */
const GROUP_DESC_FIXED = 8;

/**
 * An installed flow read from a raw FLOW_STATS reply: its key and body cut straight from the
 * record's bytes (the proxy writes matches and instructions in the form OVS reports them, so an
 * unchanged flow has the very key and body the proxy wants); match and instructions are decoded
 * only when asked for.
 */
export class DumpedFlow extends WireKeyed {
  constructor(
    key: string,
    body: string,
    readonly tableId: number,
    readonly priority: number,
    readonly cookie: bigint,
  ) {
    super(key, body);
  }

  get match(): Match {
    return (this.entry as FlowEntry).match;
  }

  get instructions(): Instruction[] {
    return (this.entry as FlowEntry).instructions;
  }
}

/** An installed group read from a raw GROUP_DESC reply, keyed like DumpedFlow. */
export class DumpedGroup extends WireKeyed {
  constructor(
    key: string,
    body: string,
    readonly groupId: number,
  ) {
    super(key, body);
  }
}

/**
 * `prefix` and the bytes `b[from, to)` as one latin1 string, made in one piece: a concatenation
 * would leave a string that every map lookup first has to flatten.
 */
function joined(prefix: string, b: Buffer, from: number, to: number): string {
  scratch.reset();
  scratch.ensure(prefix.length + to - from);
  scratch.pos += scratch.buf.write(prefix, scratch.pos, 'latin1');
  scratch.pos += b.copy(scratch.buf, scratch.pos, from, to);
  return scratch.buf.toString('latin1', 0, scratch.pos);
}

/** The 64-bit big-endian number at `b[at]` in hex without leading zeros, as `bigint.toString(16)` writes it. */
function cookieHex(b: Buffer, at: number): string {
  const high = b.readUInt32BE(at);
  const low = b.readUInt32BE(at + 4);
  return high === 0 ? low.toString(16) : high.toString(16) + low.toString(16).padStart(8, '0');
}

function dumpError(reason: string, structure: string, offset: number): ProtocolError {
  return new ProtocolError(reason, offset, structure);
}

/** Every flow of FLOW_STATS reply bodies (ofp_flow_stats records, as Switch.dumpFlowsRaw gives them). */
export function dumpedFlows(bodies: Iterable<Buffer>): DumpedFlow[] {
  const out: DumpedFlow[] = [];
  for (const b of bodies) {
    for (let at = 0; at < b.length;) {
      if (b.length - at < OFP_FLOW_STATS_FIXED_LEN + 4)
        throw dumpError(`needs ${OFP_FLOW_STATS_FIXED_LEN + 4} bytes, only ${b.length - at} left`, 'ofp_flow_stats', at);
      const length = b.readUInt16BE(at);
      const end = at + length;
      if (length < OFP_FLOW_STATS_FIXED_LEN + 4 || end > b.length)
        throw dumpError(`length ${length} does not fit (${b.length - at} bytes left)`, 'ofp_flow_stats', at);
      const matchAt = at + OFP_FLOW_STATS_FIXED_LEN;
      const matchLength = b.readUInt16BE(matchAt + 2);
      const matchEnd = matchAt + ((matchLength + 7) & ~7);
      if (matchLength < 4 || matchEnd > end)
        throw dumpError(`match length ${matchLength} does not fit the ${length}-byte entry`, 'ofp_flow_stats.match', matchAt);
      const table = b[at + 2]!;
      const priority = b.readUInt16BE(at + 12);
      const cookie = b.readBigUInt64BE(at + FLOW_STATS_COOKIE_AT);
      const key = joined(`f${table}/${priority}/`, b, matchAt, matchEnd);
      const body = joined(`${cookieHex(b, at + FLOW_STATS_COOKIE_AT)}/`, b, matchEnd, end);
      out.push(new DumpedFlow(key, body, table, priority, cookie));
      at = end;
    }
  }
  return out;
}

/** Every group of GROUP_DESC reply bodies (ofp_group_desc records, as Switch.dumpGroupsRaw gives them). */
export function dumpedGroups(bodies: Iterable<Buffer>): DumpedGroup[] {
  const out: DumpedGroup[] = [];
  for (const b of bodies) {
    for (let at = 0; at < b.length;) {
      if (b.length - at < GROUP_DESC_FIXED)
        throw dumpError(`needs ${GROUP_DESC_FIXED} bytes, only ${b.length - at} left`, 'ofp_group_desc', at);
      const length = b.readUInt16BE(at);
      const end = at + length;
      if (length < GROUP_DESC_FIXED || end > b.length)
        throw dumpError(`length ${length} does not fit (${b.length - at} bytes left)`, 'ofp_group_desc', at);
      const groupId = b.readUInt32BE(at + 4);
      out.push(new DumpedGroup(groupKey(groupId), joined(`${b[at + 2]!}/`, b, at + GROUP_DESC_FIXED, end), groupId));
      at = end;
    }
  }
  return out;
}
