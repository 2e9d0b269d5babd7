/**
 * Flows and groups as callers write them (defaults filled in, match as a list or a record), and
 * their translation to FLOW_MOD / GROUP_MOD and flow-stats requests.
 */
import type {
  Action,
  Bucket,
  FieldValue,
  FlowMod,
  FlowStatsRequest,
  GroupMod,
  Instruction,
  Match,
  OxmField,
} from '../../protocol/index.js';
import {
  OFPFC,
  OFPGC,
  OFPG_ALL,
  OFPG_ANY,
  OFPP_ANY,
  OFPTT_ALL,
  OFP_DEFAULT_PRIORITY,
  OFP_NO_BUFFER,
  type FlowCommand,
  type GroupCommand,
} from '../../protocol/constants/openflow13.js';

export { OFPFC, OFPGC, OFPG_ALL, OFPG_ANY, OFPP_ANY, OFPTT_ALL, OFP_DEFAULT_PRIORITY, OFP_NO_BUFFER, type FlowCommand, type GroupCommand };

/** Group types by name, with their OFPGT_* values. */
export const GROUP_TYPES = { all: 0, select: 1, indirect: 2, ff: 3 } as const;

/** OFPFF_* flow-mod flags. */
export const FlowFlags = {
  sendFlowRemoved: 1,
  checkOverlap: 2,
  resetCounts: 4,
  noPacketCounts: 8,
  noByteCounts: 16,
} as const;

/** A group type's name (`all`, `select`, `indirect`, `ff`). */
export type GroupType = keyof typeof GROUP_TYPES;

/** A match as an OXM list, or as a record `{ eth_type: 0x800, ipv4_dst: '10.0.0.1', reg0: { value: 1, mask: 0xff } }`. */
export type MatchInput = Match | Record<string, FieldValue | { value: FieldValue; mask?: FieldValue }>;

/**
 * A flow as the controller API takes it: match, actions or instructions, and the flow-mod fields, with
 * defaults.
 */
export interface FlowSpec {
  /** Default 0 (add) or all tables (delete / dump without strict). */
  table?: number;
  /** Default 32768. */
  priority?: number;
  match?: MatchInput;
  /** Shorthand for one apply_actions instruction (placed first). */
  actions?: Action[];
  instructions?: Instruction[];
  cookie?: bigint;
  /** Modify/delete/dump only: which cookie bits must equal `cookie` (0 = any). */
  cookieMask?: bigint;
  idleTimeout?: number;
  hardTimeout?: number;
  /** OFPFF_* bits (see FlowFlags). */
  flags?: number;
  /** Delete/dump only: flows that output to this port / group. */
  outPort?: number;
  outGroup?: number;
}

/** Selects flows (modify, delete, dump): every field optional. */
export type FlowFilter = Pick<FlowSpec, 'table' | 'priority' | 'match' | 'cookie' | 'cookieMask' | 'outPort' | 'outGroup'>;

/** A group bucket as the controller API takes it. */
export interface BucketSpec {
  actions: Action[];
  /** Default 1 for select groups, else 0. */
  weight?: number;
  watchPort?: number;
  watchGroup?: number;
}

/** A group as the controller API takes it. */
export interface GroupSpec {
  groupId: number;
  type: GroupType;
  buckets: BucketSpec[];
}

/** A flow or group spec that cannot become a message. */
export class SpecError extends Error {
  override readonly name = 'SpecError';
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

function isFieldList(m: MatchInput): m is Match {
  return Array.isArray(m);
}

/** Turns a MatchInput into an OXM list. */
export function toMatch(m: MatchInput | undefined): Match {
  if (m === undefined) return [];
  if (isFieldList(m)) return m;
  const out: OxmField[] = [];
  for (const [field, v] of Object.entries(m)) {
    if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) {
      const f: OxmField = { field, value: v.value };
      if (v.mask !== undefined) f.mask = v.mask;
      out.push(f);
    } else {
      out.push({ field, value: v });
    }
  }
  return out;
}

function instructionsOf(spec: FlowSpec): Instruction[] {
  const out: Instruction[] = [];
  if (spec.actions && spec.actions.length) out.push({ type: 'apply_actions', actions: spec.actions });
  if (spec.instructions) out.push(...spec.instructions);
  return out;
}

function checkRange(path: string, what: string, v: number | undefined, max: number): void {
  if (v === undefined) return;
  if (!Number.isInteger(v) || v < 0 || v > max) throw new SpecError(path, `${what} ${v} is not an integer in 0..${max}`);
}

/** FLOW_MOD for a spec (xid assigned by the session). */
export function toFlowMod(spec: FlowSpec, command: FlowCommand, path = 'flow'): Omit<FlowMod, 'xid'> {
  const deleting = command === 'delete' || command === 'delete_strict';
  const strict = command === 'modify_strict' || command === 'delete_strict';
  checkRange(path, 'table', spec.table, 0xff);
  checkRange(path, 'priority', spec.priority, 0xffff);
  checkRange(path, 'idleTimeout', spec.idleTimeout, 0xffff);
  checkRange(path, 'hardTimeout', spec.hardTimeout, 0xffff);
  if (command === 'add' && spec.table === OFPTT_ALL) throw new SpecError(path, 'table 255 (all) cannot receive new flows');
  return {
    type: 'flow_mod',
    cookie: spec.cookie ?? 0n,
    cookieMask: command === 'add' ? 0n : (spec.cookieMask ?? 0n),
    tableId: spec.table ?? (deleting && !strict ? OFPTT_ALL : 0),
    command: OFPFC[command],
    idleTimeout: spec.idleTimeout ?? 0,
    hardTimeout: spec.hardTimeout ?? 0,
    priority: spec.priority ?? OFP_DEFAULT_PRIORITY,
    bufferId: OFP_NO_BUFFER,
    outPort: deleting ? (spec.outPort ?? OFPP_ANY) : OFPP_ANY,
    outGroup: deleting ? (spec.outGroup ?? OFPG_ANY) : OFPG_ANY,
    flags: spec.flags ?? 0,
    match: toMatch(spec.match),
    instructions: deleting ? [] : instructionsOf(spec),
  };
}

/** Body of a flow or aggregate stats request. */
export function toFlowStatsRequest(filter: FlowFilter = {}): FlowStatsRequest {
  checkRange('filter', 'table', filter.table, 0xff);
  return {
    tableId: filter.table ?? OFPTT_ALL,
    outPort: filter.outPort ?? OFPP_ANY,
    outGroup: filter.outGroup ?? OFPG_ANY,
    cookie: filter.cookie ?? 0n,
    cookieMask: filter.cookieMask ?? 0n,
    match: toMatch(filter.match),
  };
}

export function toBuckets(spec: GroupSpec, path: string): Bucket[] {
  return spec.buckets.map((b, i) => {
    checkRange(`${path}.buckets[${i}]`, 'weight', b.weight, 0xffff);
    return {
      weight: b.weight ?? (spec.type === 'select' ? 1 : 0),
      watchPort: b.watchPort ?? OFPP_ANY,
      watchGroup: b.watchGroup ?? OFPG_ANY,
      actions: b.actions,
    };
  });
}

/** GROUP_MOD for a spec. */
export function toGroupMod(spec: GroupSpec, command: 'add' | 'modify', path = 'group'): Omit<GroupMod, 'xid'> {
  if (!(spec.type in GROUP_TYPES)) throw new SpecError(path, `unknown group type "${spec.type}" (all, select, indirect, ff)`);
  checkRange(path, 'groupId', spec.groupId, 0xffffff00);
  return {
    type: 'group_mod',
    command: OFPGC[command],
    groupType: GROUP_TYPES[spec.type],
    groupId: spec.groupId,
    buckets: toBuckets(spec, path),
  };
}

/** GROUP_MOD deleting one group, or every group. */
export function toGroupDelete(groupId: number | 'all'): Omit<GroupMod, 'xid'> {
  const id = groupId === 'all' ? OFPG_ALL : groupId;
  if (groupId !== 'all') checkRange('group', 'groupId', id, 0xffffff00);
  return { type: 'group_mod', command: OFPGC.delete, groupType: 0, groupId: id, buckets: [] };
}
