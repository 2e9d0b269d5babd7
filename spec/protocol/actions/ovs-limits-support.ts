/**
 * Shared by the actions-ovs-limits*.test.ts files: actions and messages built to sit exactly at
 * Open vSwitch's 65535-byte limit for one action inside ovs-vswitchd, or one step over it.
 */
import type { Action, Instruction, LearnAction, LearnSpec } from '../../../protocol/actions/index.js';
import type { FlowMod, GroupMod, OfpMessage } from '../../../protocol/index.js';

const ANY = 0xffffffff;

/** `NXM_OF_ETH_SRC[]`: a match on the learned flow (14 bytes on the wire, 40 inside OVS). */
export const ethSrc: LearnSpec = {
  kind: 'match_field',
  src: { field: 'eth_src', ofs: 0, nBits: 48 },
  dst: { field: 'eth_src', ofs: 0, nBits: 48 },
};

/** `NXM_NX_REG0[0..bits-1]=…`: an immediate match (40 bytes inside, plus the value rounded up to 8). */
export function regImmediate(bits: number, reg = 'reg0'): LearnSpec {
  return { kind: 'match_immediate', value: Buffer.alloc(2 * Math.ceil(bits / 16), 0), dst: { field: reg, ofs: 0, nBits: bits } };
}

/** `load:…->NXM_NX_XXREG1[0..bits-1]`: an immediate load of up to 128 bits. */
export function xxregLoad(bits: number): LearnSpec {
  const value = Buffer.alloc(2 * Math.ceil(bits / 16), 0);
  value[value.length - 1] = 1;
  return { kind: 'load_immediate', value, dst: { field: 'xxreg1', ofs: 0, nBits: bits } };
}

/** `load:NXM_NX_REG1[]->NXM_NX_REG2[]`. */
export const regLoad: LearnSpec = {
  kind: 'load_field',
  src: { field: 'reg1', ofs: 0, nBits: 32 },
  dst: { field: 'reg2', ofs: 0, nBits: 32 },
};

/** `output:NXM_NX_REG3[0..15]`: 8 bytes on the wire, 40 inside. */
export const regOutput: LearnSpec = { kind: 'output', src: { field: 'reg3', ofs: 0, nBits: 16 } };

export function learn(specs: LearnSpec[], tableId = 1): LearnAction {
  return {
    type: 'learn',
    idleTimeout: 0,
    hardTimeout: 0,
    priority: 0x8000,
    cookie: 0n,
    flags: 0,
    tableId,
    finIdleTimeout: 0,
    finHardTimeout: 0,
    specs,
  };
}

export function times<T>(n: number, x: T): T[] {
  return Array.from({ length: n }, () => x);
}

/** `set_field:1->reg0`: 16 bytes on the wire, 32 inside. */
export const setReg0: Action = { type: 'set_field', field: 'reg0', value: 1 };
/** `set_field:1->ct_mark`, for ct's nested actions. */
export const setCtMark: Action = { type: 'set_field', field: 'ct_mark', value: 1 };
/** `nat`: 16 bytes on the wire, 48 inside. */
export const nat: Action = { type: 'nat', flags: 0 };

export function ct(actions: Action[]): Action {
  return { type: 'ct', flags: 1, zone: 0, recircTable: 255, alg: 0, actions };
}

export function clone(actions: Action[]): Action {
  return { type: 'clone', actions };
}

export function bundle(members: number): Action {
  return {
    type: 'bundle',
    algorithm: 1,
    fields: 0,
    basis: 0,
    memberType: 2,
    members: Array.from({ length: members }, (_, i) => (i % 100) + 1),
  };
}

export function flowMod(instructions: Instruction[], o: { tableId?: number; priority?: number; match?: FlowMod['match'] } = {}): FlowMod {
  return {
    type: 'flow_mod',
    xid: 0,
    cookie: 0n,
    cookieMask: 0n,
    tableId: o.tableId ?? 0,
    command: 0,
    idleTimeout: 0,
    hardTimeout: 0,
    priority: o.priority ?? 0x8000,
    bufferId: ANY,
    outPort: ANY,
    outGroup: ANY,
    flags: 0,
    match: o.match ?? [],
    instructions,
  };
}

export function applyFlow(actions: Action[], o: { tableId?: number; priority?: number; match?: FlowMod['match'] } = {}): FlowMod {
  return flowMod([{ type: 'apply_actions', actions }], o);
}

export function groupMod(groupId: number, actions: Action[]): GroupMod {
  return {
    type: 'group_mod',
    xid: 0,
    command: 0,
    groupType: 0,
    groupId,
    buckets: [{ weight: 0, watchPort: ANY, watchGroup: ANY, actions }],
  };
}

export function packetOut(actions: Action[]): OfpMessage {
  return { type: 'packet_out', xid: 0, bufferId: ANY, inPort: 0xfffffffd, actions, data: Buffer.alloc(60) };
}

/**
 * The boundaries, computed from OVS 3.1's structures (see protocol/actions/ovs-limits.ts) and
 * confirmed against ovs-vswitchd 3.1: `max` is accepted, `max + 1` made it abort.
 */
export const BOUNDARIES = {
  /** learn: 48 + 40 n ≤ 65535. */
  learnFieldSpecs: 1637,
  /** learn with 16-bit immediates: 48 + 48 n ≤ 65535. */
  learnImmediate16: 1364,
  /** learn with 128-bit immediate loads: 48 + 56 n ≤ 65535. */
  learnImmediate128: 1169,
  /** clone of set_field: 8 + 32 n ≤ 65535. */
  cloneSetFields: 2047,
  /** ct of nat: 32 + 48 n ≤ 65535. */
  ctNats: 1364,
  /** ct of set_field ct_mark: 32 + 32 n ≤ 65535. */
  ctSetFields: 2046,
  /** write_actions of set_field: 8 + 32 n ≤ 65535 (its 16-bit length wraps above). */
  writeActionsSetFields: 2047,
  /** bundle: 40 + 4 n ≤ 65535 (OVS refuses more than 2048 members, after building the action). */
  bundleMembers: 16373,
} as const;
