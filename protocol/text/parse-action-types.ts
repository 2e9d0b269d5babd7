/**
 * The parsed form of one action or instruction, between the text and the wire: ovs-ofctl first
 * reads every action, then checks the list against the match (which can change how an action is
 * encoded: mod_vlan_vid pushes a tag only when the match has none, mod_tp_dst becomes tcp_dst or
 * udp_dst), and only then writes OpenFlow 1.3.
 */
import { writeAction } from '../actions/codec.js';
import type { Action, Instruction } from '../actions/types.js';
import { EncodeError } from '../errors.js';
import { Writer } from '../wire/writer.js';
import type { CheckContext } from './parse-action-check.js';
import type { OvsField } from './parse-fields.js';
import { failAt, type Located } from './parse-util.js';

/** The instruction an action belongs to, in the order OpenFlow 1.1+ requires (OVS's OVSINST_*). */
export enum InstructionSlot {
  Meter = 0,
  Apply = 1,
  Clear = 2,
  Write = 3,
  WriteMetadata = 4,
  GotoTable = 5,
}

export const SLOT_NAMES = ['meter', 'apply_actions', 'clear_actions', 'write_actions', 'write_metadata', 'goto_table'];

export interface Ofpact {
  /** Open vSwitch's name for the action (`output`, `set_field`, `ct`, `write_actions`…). */
  name: string;
  /** The text it came from. */
  token: Located;
  slot: InstructionSlot;
  /** The field a set_field/load/move writes (for the rules on what `ct(exec(...))` may do). */
  dst?: OvsField;
  /** A `nat` without arguments, the one action ct may carry without commit. */
  bareNat?: boolean;
  /**
   * Set when the parser has checked every value the encoder checks (and the action is far below any
   * size limit), so lowering it needs no trial encode.
   */
  encodes?: boolean;
  check(cx: CheckContext): void;
  /** The wire actions (for Apply and Write slots; instructions return []). */
  lower(): Action[];
  /** The instruction itself, for instruction slots other than Apply. */
  instruction?(): Instruction;
}

/** Where an action list sits: top level of a flow, inside write_actions/clone/ct, or a group bucket. */
export type OuterAction = '' | 'write_actions' | 'ct' | 'clone';

export interface ParseScope {
  allowInstructions: boolean;
  outer: OuterAction;
  depth: number;
  /** Port names (as `ovs-ofctl --names` would use them). */
  ports?: ReadonlyMap<string, number>;
  /** Set when an action makes the list unusable in OpenFlow 1.3 (meter as an action, OpenFlow 1.5). */
  notOf13?: { token: Located; why: string };
}

const NO_CHECK = (): void => undefined;

/** An action whose encoding does not depend on the match. */
export function simple(name: string, token: Located, actions: Action[] | (() => Action[]), check?: (cx: CheckContext) => void): Ofpact {
  return {
    name,
    token,
    slot: InstructionSlot.Apply,
    check: check ?? NO_CHECK,
    lower: typeof actions === 'function' ? actions : () => actions,
  };
}

/** simple() for an action the encoder cannot refuse (see Ofpact.encodes). */
export function checked(name: string, token: Located, action: Action, check?: (cx: CheckContext) => void): Ofpact {
  const a = simple(name, token, [action], check);
  a.encodes = true;
  return a;
}

const scratch = new Writer(1 << 16);

/**
 * The wire actions of a parsed list, each encoded once on the way so that what the encoder refuses
 * (a value out of range, a limit of Open vSwitch) is a syntax error quoting the action's text.
 */
export function lowerActions(list: readonly Ofpact[]): Action[] {
  const out: Action[] = [];
  for (const a of list) {
    if (a.encodes) for (const action of a.lower()) out.push(action);
    else for (const action of a.lower()) out.push(checkEncodes(action, a.token));
  }
  return out;
}

function checkEncodes(action: Action, token: Located): Action {
  scratch.reset();
  try {
    writeAction(scratch, action, '');
  } catch (err) {
    if (err instanceof EncodeError) throw failAt(token, err.reason);
    throw err;
  }
  return action;
}
