/**
 * Groups in ovs-ofctl syntax (add-group, mod-group, del-groups, add-groups files) into the OpenFlow
 * 1.3 GROUP_MOD Open vSwitch 3.1 sends: `group_id=`, `type=all|select|indirect|ff|fast_failover`,
 * `bucket=` lists with `weight`, `watch_port`, `watch_group` and actions. What OpenFlow 1.3 cannot
 * carry (bucket_id, selection_method, selection_method_param, fields) is dropped with a warning, as
 * ovs-ofctl drops it.
 */
import type { Bucket, GroupMod } from '../message.js';
import { OfpSyntaxError, type ParseWarning } from './errors.js';
import { lowerActions, parseActionItems } from './parse-actions.js';
import type { ParseScope } from './parse-action-types.js';
import { KeyValueReader, lowerCase, segment, skipSpace, valueOf, wordEnd, type KeyValue, type Segment } from './lexer.js';
import { toBig, ones } from '../fields/convert.js';
import { fieldBytes, type FieldDef } from '../fields/registry.js';
import { parseFieldValue, type ParsedField } from '../fields/text.js';
import { ovsField } from './parse-fields.js';
import { parseSmall, parseU32, parseU64 } from './parse-numbers.js';
import { OFPG, OFPP, port32, portFromString } from './parse-ports.js';
import { failAt, type Located, nameTable } from './parse-util.js';
import { OFPGC, type GroupCommand } from '../constants/openflow13.js';

export type { GroupCommand };

const TYPES = nameTable({ all: 0, select: 1, indirect: 2, ff: 3, fast_failover: 3 });

/** Options of parsing a group in ovs-ofctl's syntax. */
export interface ParseGroupOptions {
  command?: GroupCommand;
  warnings?: ParseWarning[];
  ports?: ReadonlyMap<string, number>;
  xid?: number;
}

function warn(warnings: ParseWarning[] | undefined, kv: KeyValue, message: string): void {
  warnings?.push({ message, token: kv.raw, column: kv.rawAt });
}

/** Parses one group in ovs-ofctl syntax. Throws OfpSyntaxError for whatever ovs-ofctl rejects. */
export function parseGroup(text: string, options: ParseGroupOptions | GroupCommand = {}): GroupMod {
  const opts: ParseGroupOptions = typeof options === 'string' ? { command: options } : options;
  const command = opts.command ?? 'add';
  if (!(command in OFPGC)) throw new OfpSyntaxError(`unknown group command "${command}"`, '', -1);
  return parseGroupAt(segment(text), command, opts);
}

function parseGroupAt(seg: Segment, command: GroupCommand, opts: ParseGroupOptions): GroupMod {
  const text = seg.text;
  const warnings = opts.warnings;
  const xid = opts.xid ?? 0;
  if (command === 'delete' && text === '')
    return { type: 'group_mod', xid, command: OFPGC[command], groupType: 0, groupId: OFPG.ALL, buckets: [] };
  const hasBuckets = command !== 'delete';
  let bkt = text.indexOf('bucket=');
  if (bkt >= 0 && !hasBuckets) throw new OfpSyntaxError('bucket is not needed', text.slice(bkt), seg.at + bkt);
  const head: Segment = { text: bkt >= 0 ? text.slice(0, bkt) : text, at: seg.at };

  let groupId = OFPG.ANY as number;
  let groupType = 0;
  let hadType = false;
  let selectionMethod = '';
  let hadSelectionMethod = false;
  let selectionParam = 0n;
  let hadFields = false;
  let selectionFields: Set<string> | undefined;
  const reader = new KeyValueReader(head);
  for (let kv = reader.next(); kv; kv = reader.next()) {
    const loc: Located = kv;
    switch (kv.key) {
      case 'command_bucket_id':
        throw failAt(loc, 'command bucket id is not needed');
      case 'group_id': {
        if (kv.value === 'all') {
          groupId = OFPG.ALL;
        } else {
          const g = parseU32(kv.value);
          if (typeof g === 'string') throw failAt(loc, g);
          if (g !== OFPG.ALL && g > OFPG.MAX) throw failAt(loc, `invalid group id ${g}`);
          groupId = g;
        }
        break;
      }
      case 'type': {
        if (!hasBuckets) throw failAt(loc, 'type is not needed');
        const t = TYPES[kv.value];
        if (t === undefined) throw failAt(loc, `invalid group type ${kv.value}`);
        groupType = t;
        hadType = true;
        break;
      }
      case 'selection_method':
        if (!hasBuckets) throw failAt(loc, 'selection method is not needed');
        if (kv.value.length >= 16) throw failAt(loc, 'selection method is longer than 15 bytes long');
        selectionMethod = kv.value;
        hadSelectionMethod = true;
        warn(warnings, kv, 'selection_method is an OpenFlow 1.5 group property; dropped for OpenFlow 1.3 (as ovs-ofctl does)');
        break;
      case 'selection_method_param': {
        if (!hasBuckets) throw failAt(loc, 'selection method param is not needed');
        const p = parseU64(kv.value);
        if (typeof p === 'string') throw failAt(loc, p);
        selectionParam = p;
        warn(warnings, kv, 'selection_method_param is an OpenFlow 1.5 group property; dropped for OpenFlow 1.3 (as ovs-ofctl does)');
        break;
      }
      case 'fields':
        if (!hasBuckets) throw failAt(loc, 'fields are not needed');
        parseSelectionFields(valueOf(kv), (selectionFields ??= new Set()), opts.ports);
        hadFields = true;
        warn(warnings, kv, 'fields is an OpenFlow 1.5 group property; dropped for OpenFlow 1.3 (as ovs-ofctl does)');
        break;
      default:
        throw failAt(loc, `unknown keyword ${kv.key}`);
    }
  }
  const whole = { text: text.trim(), at: seg.at };
  if (groupId === OFPG.ANY) throw failAt(whole, 'must specify a group_id');
  if (hasBuckets && !hadType) throw failAt(whole, 'must specify a type');
  if (selectionMethod !== 'hash' && hadFields) throw failAt(whole, 'fields may only be specified with "selection_method=hash"');
  if (!selectionMethod && selectionParam) throw failAt(whole, 'selection_method_param is only allowed with "selection_method"');

  const buckets: Bucket[] = [];
  while (bkt >= 0) {
    const eq = text.indexOf('=', bkt + 1);
    const start = eq + 1;
    const next = text.indexOf('bucket=', start);
    const body: Segment = { text: text.slice(start, next >= 0 ? next : undefined), at: seg.at + start };
    const from = bkt;
    const whole = (): Located => ({ text: text.slice(from, next >= 0 ? next : undefined).replace(/[, \t\r\n]+$/, ''), at: seg.at + from });
    const b = parseBucket(body, whole, groupType, opts);
    if (groupType !== 1 && b.weight) throw failAt(whole(), 'Only select groups can have bucket weights.');
    buckets.push(b);
    bkt = next;
  }
  if (groupType === 2 && buckets.length > 1) throw failAt(whole, 'Indirect groups can have at most one bucket.');
  // ovs-ofctl forgets these properties once it has parsed a bucket; without one they leave only OpenFlow 1.5.
  if (!buckets.length && (hadSelectionMethod || selectionParam || hadFields)) {
    throw failAt(
      whole,
      'no usable protocol: selection_method, selection_method_param and fields need OpenFlow 1.5 (ofwire speaks OpenFlow 1.3)',
    );
  }
  return { type: 'group_mod', xid, command: OFPGC[command], groupType, groupId, buckets };
}

/**
 * `fields(ip_src,ip_dst=255.255.255.0,...)` of a hash selection method (checked, then dropped):
 * each value is the mask of a field hashed on; a field may appear once across every `fields`.
 */
function parseSelectionFields(seg: Segment, seen: Set<string>, ports: ReadonlyMap<string, number> | undefined): void {
  for (const kv of new KeyValueReader(seg).all()) {
    const loc: Located = kv;
    const f = ovsField(kv.key);
    if (!f) throw failAt(loc, `${seg.text}: unknown field ${kv.key}`);
    if (seen.has(f.def.name)) throw failAt(loc, `${kv.key}: duplicate field`);
    seen.add(f.def.name);
    if (kv.value) checkSelectionMask(f.def, kv, loc, ports);
  }
}

function checkSelectionMask(def: FieldDef, kv: KeyValue, loc: Located, ports: ReadonlyMap<string, number> | undefined): void {
  let parsed: ParsedField;
  try {
    parsed = parseFieldValue(def, kv.value, ports ? { ports } : {});
  } catch (err) {
    throw failAt(loc, (err as Error).message);
  }
  if (parsed.mask !== undefined) throw failAt(loc, `${kv.value}: wildcards not allowed here`);
  const mask = def.kind === 'bytes' ? 0n : toBig(def, parsed.value);
  if (!def.variable && mask === 0n) throw failAt(loc, `${kv.key}: values are wildcards here and must not be all-zeros`);
  if (!def.maskable && !def.variable && mask !== ones(fieldBytes(def) * 8))
    throw failAt(loc, `${kv.value}: invalid mask for field ${def.name}`);
}

/** `whole` is the bucket's text, for errors about the bucket as a whole. */
function parseBucket(seg: Segment, whole: () => Located, groupType: number, opts: ParseGroupOptions): Bucket {
  let weight = groupType === 1 ? 1 : 0;
  let watchPort: number = OFPP.ANY;
  let watchGroup = OFPG.ANY as number;
  const items: KeyValue[] = [];
  let hadActions = false;
  const reader = new KeyValueReader(seg);
  for (let kv = reader.next(); kv; kv = reader.next()) {
    const loc: Located = kv;
    const key = lowerCase(kv.key);
    if (key === 'weight') {
      const w = parseSmall(kv.value, 0xffff, 'weight');
      if (typeof w === 'string') throw failAt(loc, w);
      weight = w;
    } else if (key === 'watch_port') {
      const p = portFromString(kv.value, opts.ports);
      if (p === null || (p >= OFPP.MAX && p !== OFPP.ANY && p !== OFPP.CONTROLLER)) throw failAt(loc, `${kv.value}: invalid watch_port`);
      watchPort = p;
    } else if (key === 'watch_group') {
      const g = parseU32(kv.value);
      if (typeof g === 'string') throw failAt(loc, g);
      if (g > OFPG.MAX) throw failAt(loc, `invalid watch_group id ${g}`);
      watchGroup = g;
    } else if (key === 'bucket_id') {
      const id = parseU32(kv.value);
      if (typeof id === 'string') throw failAt(loc, id);
      if (id > 0xffffff00) throw failAt(loc, `invalid bucket_id id ${id}`);
      warn(opts.warnings, kv, 'bucket_id is an OpenFlow 1.5 bucket property; dropped for OpenFlow 1.3 (as ovs-ofctl does)');
    } else if (key === 'action' || key === 'actions') {
      // `actions=` with nothing after it is a bucket that drops, as in ovs-ofctl.
      hadActions = true;
      const actions = new KeyValueReader(valueOf(kv));
      for (let a = actions.next(); a; a = actions.next()) items.push(a);
    } else {
      items.push(kv);
    }
  }
  if (!items.length && !hadActions) throw failAt(whole(), 'bucket must specify actions');
  if (groupType === 3 && watchPort === OFPP.ANY && watchGroup === OFPG.ANY) {
    throw failAt(whole(), 'fast failover bucket requires watch_port or watch_group');
  }
  const scope: ParseScope = { allowInstructions: false, outer: '', depth: 0 };
  if (opts.ports) scope.ports = opts.ports;
  const list = parseActionItems(items, seg, scope);
  // ovs-ofctl does not check bucket actions against a match; only what makes them unusable.
  if (scope.notOf13) throw failAt(scope.notOf13.token, `no usable protocol: ${scope.notOf13.why}`);
  return { weight, watchPort: port32(watchPort), watchGroup, actions: lowerActions(list) };
}

/** One line of an add-groups file: an optional command word, then the group. */
export function parseGroupLine(line: string, at: number, opts: ParseGroupOptions): GroupMod {
  const lead = skipSpace(line);
  const rest = line.slice(lead);
  const len = wordEnd(rest);
  const word = rest.slice(0, len);
  let command: GroupCommand = opts.command ?? 'add';
  let skip = 0;
  const words = ['add', 'delete', 'modify', 'add_or_mod', 'insert_bucket', 'remove_bucket'];
  for (const w of words) {
    if (len > 0 && w.startsWith(word) && w.length >= len) {
      if (w === 'add_or_mod' || w === 'insert_bucket' || w === 'remove_bucket') {
        throw new OfpSyntaxError(`${w} needs OpenFlow 1.5 (or ovs-ofctl's own extension); ofwire speaks OpenFlow 1.3`, word, at + lead);
      }
      command = w as GroupCommand;
      skip = len;
      break;
    }
  }
  return parseGroupAt({ text: rest.slice(skip), at: at + lead + skip }, command, opts);
}
