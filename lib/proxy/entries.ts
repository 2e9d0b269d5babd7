/**
 * What the proxy wants on the switch, as flows and groups with identities: a flow is identified by
 * (table, priority, match) and a group by its id; two entries with the same identity and the same
 * body are the same thing on the switch. Identities and bodies are the entries' encoded bytes, so
 * comparing with what the switch reports back is exact.
 */
import { Writer, type Bucket, type FlowStats, type GroupDesc, type Instruction, type Match } from '../../protocol/index.js';
import { readInstructions, writeInstructions } from '../../protocol/actions/instructions.js';
import { readMatch, writeMatch } from '../../protocol/fields/oxm.js';
import { readBuckets, writeBuckets } from '../../protocol/messages/buckets.js';
import { Reader } from '../../protocol/wire/reader.js';

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
    return { kind: 'group', groupId: Number(key.slice(1)), groupType: Number(body.slice(0, slash)), buckets: readBuckets(readerOf(body.slice(slash + 1)), 'buckets') };
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

function hexOf(write: (w: Writer) => void): string {
  scratch.reset();
  write(scratch);
  return scratch.buf.toString('latin1', 0, scratch.pos);
}

export function flowKey(table: number, priority: number, match: Match): string {
  return `f${table}/${priority}/${hexOf((w) => writeMatch(w, match))}`;
}

export function groupKey(groupId: number): string {
  return `g${groupId}`;
}

export function keyed(e: Entry): Keyed {
  if (e.kind === 'flow') {
    return {
      key: flowKey(e.table, e.priority, e.match),
      body: `${e.cookie.toString(16)}/${hexOf((w) => writeInstructions(w, e.instructions, 'instructions'))}`,
      entry: e,
    };
  }
  return { key: groupKey(e.groupId), body: `${e.groupType}/${hexOf((w) => writeBuckets(w, e.buckets, 'buckets'))}`, entry: e };
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
