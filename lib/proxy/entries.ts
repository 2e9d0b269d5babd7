/**
 * What the proxy wants on the switch, as flows and groups with identities: a flow is identified by
 * (table, priority, match) and a group by its id; two entries with the same identity and the same
 * body are the same thing on the switch. Identities and bodies are the entries' encoded bytes, so
 * comparing with what the switch reports back is exact.
 */
import { Writer, type Bucket, type FlowStats, type GroupDesc, type Instruction, type Match } from '../../protocol/index.js';
import { writeInstructions } from '../../protocol/actions/instructions.js';
import { writeMatch } from '../../protocol/fields/oxm.js';
import { writeBuckets } from '../../protocol/messages/buckets.js';

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

/** An entry with its identity and body signatures. */
export interface Keyed<E extends Entry = Entry> {
  key: string;
  body: string;
  entry: E;
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
