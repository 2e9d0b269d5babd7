/**
 * Flows in ovs-ofctl syntax (add-flow, mod-flows, del-flows, add-flows files) into the OpenFlow 1.3
 * FLOW_MOD Open vSwitch 3.1 sends for them.
 */
import type { Action, Instruction } from '../actions/types.js';
import type { FlowMod } from '../message.js';
import { OfpSyntaxError, type ParseWarning } from './errors.js';
import { FlowView, checkActions, lowerActions, lowerInstructions, parseActionList } from './parse-actions.js';
import type { ParseScope } from './parse-action-types.js';
import { KeyValueReader, segment, skipSpace, wordEnd, type KeyValue, type Segment } from './lexer.js';
import { MatchBuilder } from './parse-match.js';
import { matchField } from './parse-fields.js';
import { parseSmall, parseU64 } from './parse-numbers.js';
import { OFPP, port32, portFromString, groupFromString, tableFromString } from './parse-ports.js';
import { fail, failAt, type Located, nameTable } from './parse-util.js';
import { OFPFC, type FlowCommand } from '../constants/openflow13.js';

export type { FlowCommand };

/** Options of parsing a flow in ovs-ofctl's syntax. */
export interface ParseFlowOptions {
  /** What the flow_mod does (default `add`). */
  command?: FlowCommand;
  /** Things ovs-ofctl accepts but drops for OpenFlow 1.3 are reported here. */
  warnings?: ParseWarning[];
  /** Port names (as with `ovs-ofctl --names`), name → OpenFlow 1.1+ port number. */
  ports?: ReadonlyMap<string, number>;
  /** The xid of the message (default 0). */
  xid?: number;
}

const F_OUT_PORT = 1;
const F_ACTIONS = 2;
const F_IMPORTANCE = 4;
const F_TIMEOUT = 8;
const F_PRIORITY = 16;
const F_FLAGS = 32;

const FIELDS_FOR: Record<FlowCommand, number> = {
  add: F_ACTIONS | F_TIMEOUT | F_PRIORITY | F_FLAGS | F_IMPORTANCE,
  modify: F_ACTIONS | F_TIMEOUT | F_PRIORITY | F_FLAGS,
  modify_strict: F_ACTIONS | F_TIMEOUT | F_PRIORITY | F_FLAGS,
  delete: F_OUT_PORT,
  delete_strict: F_OUT_PORT | F_PRIORITY,
};

const FLAG_BITS: Readonly<Record<string, number>> = nameTable({
  send_flow_rem: 1,
  check_overlap: 2,
  reset_counts: 4,
  no_packet_counts: 8,
  no_byte_counts: 16,
});

function warn(warnings: ParseWarning[] | undefined, kv: KeyValue, message: string): void {
  warnings?.push({ message, token: kv.raw, column: kv.rawAt });
}

/**
 * ofp_extract_actions(): the text after the first `action…=` is the action list, the text before
 * it the match. Returns [match part, actions part or null].
 */
function splitActions(text: string): [Segment, Segment | null] {
  const i = text.indexOf('action');
  if (i < 0) return [segment(text), null];
  const eq = text.indexOf('=', i + 1);
  if (eq < 0) return [segment(text.slice(0, i)), null];
  return [segment(text.slice(0, i)), segment(text.slice(eq + 1), eq + 1)];
}

/**
 * Parses one flow in ovs-ofctl syntax. Throws OfpSyntaxError (one line, quoting the offending
 * token) for whatever ovs-ofctl rejects.
 */
export function parseFlow(text: string, options: ParseFlowOptions | FlowCommand = {}): FlowMod {
  const opts: ParseFlowOptions = typeof options === 'string' ? { command: options } : options;
  const command: FlowCommand = opts.command ?? 'add';
  if (!(command in OFPFC)) throw new OfpSyntaxError(`unknown flow command "${command}"`, '', -1);
  return parseFlowAt(text, 0, command, opts);
}

function parseFlowAt(text: string, at: number, command: FlowCommand, opts: ParseFlowOptions): FlowMod {
  const fields = FIELDS_FOR[command];
  const warnings = opts.warnings;
  let priority = 0x8000;
  let tableId = 0xff;
  let idleTimeout = 0;
  let hardTimeout = 0;
  let cookie = 0n;
  let cookieMask = 0n;
  let newCookie: bigint | null = null;
  let outPort: number = OFPP.ANY;
  let outGroup = 0xffffffff;
  let flags = 0;

  let [matchSeg, actSeg] = fields & F_ACTIONS ? splitActions(text) : [segment(text), null];
  matchSeg = { text: matchSeg.text, at: matchSeg.at + at };
  if (actSeg) actSeg = { text: actSeg.text, at: actSeg.at + at };
  if (fields & F_ACTIONS && !actSeg) throw new OfpSyntaxError('must specify an action', text.trim(), at);

  const mb = new MatchBuilder();
  for (const kv of new KeyValueReader(matchSeg).all()) {
    const name = kv.key;
    const loc: Located = kv;
    if (mb.shorthand(name)) continue;
    if (name === 'eth') {
      mb.ethernet();
      continue;
    }
    if (fields & F_FLAGS && FLAG_BITS[name] !== undefined) {
      flags |= FLAG_BITS[name];
      continue;
    }
    if (name === 'no_readonly_table' || name === 'allow_hidden_fields') continue;
    const def = matchField(name);
    if (def) {
      mb.field(def, kv, fail, opts.ports);
      continue;
    }
    if (name.includes('[')) {
      mb.subfield(kv, fail);
      continue;
    }
    if (!kv.value) throw failAt(loc, `field ${name} missing value`);
    switch (name) {
      case 'table': {
        const t = tableFromString(kv.value);
        if (t === null) throw failAt(loc, `unknown table "${kv.value}"`);
        tableId = t;
        continue;
      }
      case 'priority':
        if (fields & F_PRIORITY) {
          const p = parseSmall(kv.value, 0xffff, 'priority');
          if (typeof p === 'string') throw failAt(loc, p);
          priority = p;
          continue;
        }
        break;
      case 'idle_timeout':
      case 'hard_timeout':
        if (fields & F_TIMEOUT) {
          const v = parseSmall(kv.value, 0xffff, name);
          if (typeof v === 'string') throw failAt(loc, v);
          if (name === 'idle_timeout') idleTimeout = v;
          else hardTimeout = v;
          continue;
        }
        break;
      case 'importance':
        if (fields & F_IMPORTANCE) {
          const v = parseSmall(kv.value, 0xffff, name);
          if (typeof v === 'string') throw failAt(loc, v);
          warn(warnings, kv, 'importance is not part of an OpenFlow 1.3 flow_mod; dropped (as ovs-ofctl does)');
          continue;
        }
        break;
      case 'out_port':
        if (fields & F_OUT_PORT) {
          const p = portFromString(kv.value, opts.ports);
          if (p === null) throw failAt(loc, `${kv.value} is not a valid OpenFlow port`);
          outPort = p;
          continue;
        }
        break;
      case 'out_group':
        if (fields & F_OUT_PORT) {
          const g = groupFromString(kv.value);
          if (g === null) throw failAt(loc, `${kv.value} is not a valid OpenFlow group`);
          outGroup = g;
          continue;
        }
        break;
      case 'cookie': {
        const slash = kv.value.indexOf('/');
        if (slash >= 0) {
          if (command === 'add') throw failAt(loc, 'flow additions cannot use a cookie mask');
          const c = parseU64(kv.value.slice(0, slash));
          if (typeof c === 'string') throw failAt(loc, c);
          const m = parseU64(kv.value.slice(slash + 1));
          if (typeof m === 'string') throw failAt(loc, m);
          cookie = c;
          cookieMask = m;
        } else {
          if (command !== 'add' && command !== 'modify' && command !== 'modify_strict') {
            throw failAt(loc, `cannot set cookie (to match on a cookie, specify a mask, e.g. cookie=${kv.value}/-1)`);
          }
          const c = parseU64(kv.value);
          if (typeof c === 'string') throw failAt(loc, c);
          newCookie = c;
        }
        continue;
      }
      case 'duration':
      case 'n_packets':
      case 'n_bytes':
      case 'idle_age':
      case 'hard_age':
        warn(warnings, kv, `${name} is a flow statistic, not part of a flow_mod; ignored (as ovs-ofctl does)`);
        continue;
    }
    throw failAt(loc, `unknown keyword ${name}`);
  }

  const match = mb.finish(warnings, matchSeg.text, matchSeg.at);
  let instructions: Instruction[] = [];
  if (fields & F_ACTIONS && actSeg) {
    const scope: ParseScope = { allowInstructions: true, outer: '', depth: 0 };
    if (opts.ports) scope.ports = opts.ports;
    const list = parseActionList(actSeg, scope);
    checkActions(list, FlowView.of(mb.flow), tableId, scope);
    instructions = lowerInstructions(list);
  }

  const cmd = OFPFC[command];
  const isDelete = command === 'delete' || command === 'delete_strict';
  return {
    type: 'flow_mod',
    xid: opts.xid ?? 0,
    cookie: command === 'add' ? (newCookie ?? 0n) : cookie & cookieMask,
    cookieMask,
    tableId: tableId !== 0xff || isDelete ? tableId : 0,
    command: cmd,
    idleTimeout,
    hardTimeout,
    priority,
    bufferId: 0xffffffff,
    outPort: port32(outPort),
    outGroup,
    flags,
    match,
    instructions,
  };
}

/**
 * An action list without instructions (`output:1,ct(commit,nat)`), as in a group bucket: parsed and
 * checked for order and nesting, but not against a match (there is none), so the match-dependent
 * encodings are the ones ovs-ofctl uses for buckets (mod_vlan_vid pushes a tag, mod_tp_dst is the
 * OpenFlow 1.1 set_tp_dst).
 */
export function parseActions(text: string, options: { ports?: ReadonlyMap<string, number> } = {}): Action[] {
  const scope: ParseScope = { allowInstructions: false, outer: '', depth: 0 };
  if (options.ports) scope.ports = options.ports;
  const list = parseActionList(segment(text), scope);
  if (scope.notOf13) throw failAt(scope.notOf13.token, `no usable protocol: ${scope.notOf13.why}`);
  return lowerActions(list);
}

/** Instructions (`meter:1,output:2,goto_table:3`), in OpenFlow 1.1+ order; like parseActions, not checked against a match. */
export function parseInstructions(text: string, options: { ports?: ReadonlyMap<string, number> } = {}): Instruction[] {
  const scope: ParseScope = { allowInstructions: true, outer: '', depth: 0 };
  if (options.ports) scope.ports = options.ports;
  return lowerInstructions(parseActionList(segment(text), scope));
}

/** One line of an add-flows file: an optional command word, then the flow. */
export function parseFlowLine(line: string, at: number, opts: ParseFlowOptions, defaultCommand: FlowCommand = 'add'): FlowMod {
  const lead = skipSpace(line);
  const rest = line.slice(lead);
  const len = wordEnd(rest);
  const word = rest.slice(0, len);
  let command: FlowCommand = defaultCommand;
  let skip = 0;
  // ovs-ofctl compares the first token against a prefix of each command word, in this order.
  for (const c of ['add', 'delete', 'delete_strict', 'modify', 'modify_strict'] as FlowCommand[]) {
    if (len > 0 && c.startsWith(word) && c.length >= len) {
      command = c;
      skip = len;
      break;
    }
  }
  if (len === 0 && rest.length === 0) command = defaultCommand;
  return parseFlowAt(rest.slice(skip), at + lead + skip, command, opts);
}
