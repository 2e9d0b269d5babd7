/**
 * Table stats and table features as ovs-ofctl prints them (dump-tables, dump-table-features): one
 * block per table, repeated tables folded into `ditto`, field sets abbreviated
 * (`tun_{id,src,dst}`, `reg0...reg7`).
 */
import { fieldByHeader } from '../fields/registry.js';
import type { OxmId, TableFeatures, TableStats } from '../messages/multipart-types.js';
import { metaFlowName } from './format-field-names.js';
import { formatActionBitmap } from './format-action-bitmap.js';
import { OvsDecodeError, hexAlt } from './format-util.js';

/** Open vSwitch's field order (meta-flow's enum), which is the order field sets print in. */
// prettier-ignore
const METAFLOW_ORDER: readonly string[] = [
  'dp_hash', 'recirc_id', 'packet_type', 'conj_id', 'tun_id', 'tun_src', 'tun_dst', 'tun_ipv6_src',
  'tun_ipv6_dst', 'tun_flags', 'tun_ttl', 'tun_tos', 'tun_gbp_id', 'tun_gbp_flags', 'tun_erspan_idx',
  'tun_erspan_ver', 'tun_erspan_dir', 'tun_erspan_hwid', 'tun_gtpu_flags', 'tun_gtpu_msgtype',
  ...Array.from({ length: 64 }, (_, i) => `tun_metadata${i}`),
  'metadata', 'in_port', 'in_port_oxm', 'actset_output', 'skb_priority', 'pkt_mark', 'ct_state', 'ct_zone',
  'ct_mark', 'ct_label', 'ct_nw_proto', 'ct_nw_src', 'ct_nw_dst', 'ct_ipv6_src', 'ct_ipv6_dst', 'ct_tp_src',
  'ct_tp_dst',
  ...Array.from({ length: 16 }, (_, i) => `reg${i}`),
  ...Array.from({ length: 8 }, (_, i) => `xreg${i}`),
  ...Array.from({ length: 4 }, (_, i) => `xxreg${i}`),
  'eth_src', 'eth_dst', 'eth_type', 'vlan_tci', 'dl_vlan', 'vlan_vid', 'dl_vlan_pcp', 'vlan_pcp', 'mpls_label',
  'mpls_tc', 'mpls_bos', 'mpls_ttl', 'ip_src', 'ip_dst', 'ipv6_src', 'ipv6_dst', 'ipv6_label', 'nw_proto',
  'nw_tos', 'ip_dscp', 'nw_ecn', 'nw_ttl', 'ip_frag', 'arp_op', 'arp_spa', 'arp_tpa', 'arp_sha', 'arp_tha',
  'tcp_src', 'tcp_dst', 'tcp_flags', 'udp_src', 'udp_dst', 'sctp_src', 'sctp_dst', 'icmp_type', 'icmp_code',
  'icmpv6_type', 'icmpv6_code', 'nd_target', 'nd_sll', 'nd_tll', 'nd_reserved', 'nd_options_type',
  'nsh_flags', 'nsh_mdtype', 'nsh_np', 'nsh_spi', 'nsh_si', 'nsh_c1', 'nsh_c2', 'nsh_c3', 'nsh_c4', 'nsh_ttl',
];
const ORDER_INDEX = new Map(METAFLOW_ORDER.map((n, i) => [n, i]));

/** OFPIT_* to Open vSwitch's instruction order (meter, apply, clear, write, metadata, goto). */
const INSTRUCTION_BITS: Record<number, number> = { 6: 0, 4: 1, 5: 2, 3: 3, 2: 4, 1: 5 };
const INSTRUCTION_NAMES = ['meter', 'apply_actions', 'clear_actions', 'write_actions', 'write_metadata', 'goto_table'];

/** OpenFlow 1.3 action types Open vSwitch knows in a table-features action list. */
const KNOWN_OFPAT =
  (1 << 0) |
  (1 << 15) |
  (1 << 16) |
  (1 << 17) |
  (1 << 18) |
  (1 << 19) |
  (1 << 20) |
  (1 << 21) |
  (1 << 22) |
  (1 << 23) |
  (1 << 24) |
  (1 << 25);

interface ActionFeatures {
  ofpat: number;
  setFields: Set<number>;
}

interface InstructionFeatures {
  next: Set<number>;
  instructions: number;
  write: ActionFeatures;
  apply: ActionFeatures;
}

/** A table's features as Open vSwitch holds them after decoding. */
interface OvsTableFeatures {
  tableId: number;
  name: string;
  metadataMatch: bigint;
  metadataWrite: bigint;
  maxEntries: number;
  nonmiss: InstructionFeatures;
  miss: InstructionFeatures;
  match: Set<number>;
  mask: Set<number>;
  wildcard: Set<number>;
}

function emptyActions(): ActionFeatures {
  return { ofpat: 0, setFields: new Set() };
}

function emptyInstructions(): InstructionFeatures {
  return { next: new Set(), instructions: 0, write: emptyActions(), apply: emptyActions() };
}

function emptyFeatures(tableId: number): OvsTableFeatures {
  return {
    tableId,
    name: '',
    metadataMatch: 0n,
    metadataWrite: 0n,
    maxEntries: 0,
    nonmiss: emptyInstructions(),
    miss: emptyInstructions(),
    match: new Set(),
    mask: new Set(),
    wildcard: new Set(),
  };
}

/** The meta-flow index of an OXM id, or undefined for a field Open vSwitch does not know. */
function fieldIndex(id: OxmId): number | undefined {
  const found = fieldByHeader(id.header, id.experimenter);
  if (!found) return undefined;
  // Open vSwitch knows a header only with the field's own length (halved when masked).
  const exp = id.experimenter === undefined ? 0 : 4;
  const len = id.header & 0xff;
  const exact = id.header & 0x100 ? (len - exp) / 2 + exp : len;
  if (!found.def.variable && exact !== found.enc.bytes + exp) return undefined;
  return ORDER_INDEX.get(metaFlowName(found.def, found.enc.header));
}

function oxmSets(ids: readonly OxmId[]): { exact: Set<number>; masked: Set<number> } {
  const exact = new Set<number>();
  const masked = new Set<number>();
  for (const id of ids) {
    const i = fieldIndex(id);
    if (i === undefined) continue;
    (id.header & 0x100 ? masked : exact).add(i);
  }
  return { exact, masked };
}

const PROP_TYPES: Record<string, number> = {
  instructions: 0,
  instructions_miss: 1,
  next_tables: 2,
  next_tables_miss: 3,
  write_actions: 4,
  write_actions_miss: 5,
  apply_actions: 6,
  apply_actions_miss: 7,
  match: 8,
  wildcards: 10,
  write_setfield: 12,
  write_setfield_miss: 13,
  apply_setfield: 14,
  apply_setfield_miss: 15,
};
const REQUIRED = (1 << 0) | (1 << 2) | (1 << 4) | (1 << 6) | (1 << 8) | (1 << 10) | (1 << 12) | (1 << 14);

/** Decodes one table's properties the way Open vSwitch does when printing (unknown ones ignored). */
function toOvs(t: TableFeatures): OvsTableFeatures {
  if (t.tableId === 0xff) throw new OvsDecodeError('OFPTFFC_BAD_TABLE');
  const f = emptyFeatures(t.tableId);
  f.name = t.name;
  f.metadataMatch = t.metadataMatch;
  f.metadataWrite = t.metadataWrite;
  f.maxEntries = t.maxEntries >>> 0;
  let seen = 0;
  for (const p of t.properties) {
    const type = p.type === 'unknown' ? p.propType : PROP_TYPES[p.type];
    if (type !== undefined && type < 32) {
      if (seen & (1 << type)) throw new OvsDecodeError('OFPTFFC_BAD_FEATURES');
      seen |= 1 << type;
    }
    switch (p.type) {
      case 'instructions':
      case 'instructions_miss': {
        let bits = 0;
        for (const id of p.instructions) {
          const b = INSTRUCTION_BITS[id.type];
          if (b !== undefined) bits |= 1 << b;
        }
        (p.type === 'instructions' ? f.nonmiss : f.miss).instructions = bits;
        break;
      }
      case 'next_tables':
      case 'next_tables_miss': {
        const next = new Set<number>();
        for (const id of p.tables) {
          if (id >= 255) throw new OvsDecodeError('OFPBPC_BAD_VALUE');
          next.add(id);
        }
        (p.type === 'next_tables' ? f.nonmiss : f.miss).next = next;
        break;
      }
      case 'write_actions':
      case 'write_actions_miss':
      case 'apply_actions':
      case 'apply_actions_miss': {
        let bits = 0;
        for (const id of p.actions) if (id.type < 32) bits |= 1 << id.type;
        const target = p.type.endsWith('_miss') ? f.miss : f.nonmiss;
        (p.type.startsWith('write') ? target.write : target.apply).ofpat = (bits & KNOWN_OFPAT) >>> 0;
        break;
      }
      case 'match': {
        const { exact, masked } = oxmSets(p.oxms);
        f.match = exact;
        f.mask = masked;
        break;
      }
      case 'wildcards':
      case 'write_setfield':
      case 'write_setfield_miss':
      case 'apply_setfield':
      case 'apply_setfield_miss': {
        const { exact, masked } = oxmSets(p.oxms);
        if (masked.size) throw new OvsDecodeError('OFPBMC_BAD_MASK');
        if (p.type === 'wildcards') f.wildcard = exact;
        else {
          const target = p.type.endsWith('_miss') ? f.miss : f.nonmiss;
          (p.type.startsWith('write') ? target.write : target.apply).setFields = exact;
        }
        break;
      }
      default:
        break;
    }
  }
  if ((seen & REQUIRED) !== REQUIRED) throw new OvsDecodeError('OFPTFFC_BAD_FEATURES');
  if (t.properties.length) {
    if (!(seen & (1 << 1))) f.miss.instructions = f.nonmiss.instructions;
    if (!(seen & (1 << 3))) f.miss.next = f.nonmiss.next;
    if (!(seen & (1 << 5))) f.miss.write.ofpat = f.nonmiss.write.ofpat;
    if (!(seen & (1 << 7))) f.miss.apply.ofpat = f.nonmiss.apply.ofpat;
    if (!(seen & (1 << 13))) f.miss.write.setFields = f.nonmiss.write.setFields;
    if (!(seen & (1 << 15))) f.miss.apply.setFields = f.nonmiss.apply.setFields;
  }
  for (const i of f.mask) {
    f.match.add(i);
    f.wildcard.add(i);
  }
  for (const i of [...f.wildcard]) if (!f.match.has(i)) f.wildcard.delete(i);
  return f;
}

// ---- comparisons -----------------------------------------------------------------------------------

function setsEqual(a: Set<number>, b: Set<number>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

function actionFeaturesEqual(a: ActionFeatures, b: ActionFeatures): boolean {
  return a.ofpat === b.ofpat && setsEqual(a.setFields, b.setFields);
}

function actionFeaturesEmpty(a: ActionFeatures): boolean {
  return !a.ofpat && !a.setFields.size;
}

/** Next-table sets are equal also when the later table merely lacks itself (no goto backwards). */
function nextEqual(a: Set<number>, aTable: number, b: Set<number>, bTable: number): boolean {
  if (bTable === aTable + 1 && a.has(bTable) && !b.has(bTable)) {
    const a2 = new Set(a);
    a2.delete(bTable);
    return setsEqual(a2, b);
  }
  if (aTable === bTable + 1) return nextEqual(b, bTable, a, aTable);
  return setsEqual(a, b);
}

function instructionFeaturesEqual(a: InstructionFeatures, aTable: number, b: InstructionFeatures, bTable: number): boolean {
  return (
    nextEqual(a.next, aTable, b.next, bTable) &&
    a.instructions === b.instructions &&
    actionFeaturesEqual(a.write, b.write) &&
    actionFeaturesEqual(a.apply, b.apply)
  );
}

function instructionFeaturesEmpty(a: InstructionFeatures): boolean {
  return !a.next.size && !a.instructions && actionFeaturesEmpty(a.write) && actionFeaturesEmpty(a.apply);
}

function featuresEqual(a: OvsTableFeatures, b: OvsTableFeatures): boolean {
  return (
    a.metadataMatch === b.metadataMatch &&
    a.metadataWrite === b.metadataWrite &&
    a.maxEntries === b.maxEntries &&
    instructionFeaturesEqual(a.nonmiss, a.tableId, b.nonmiss, b.tableId) &&
    instructionFeaturesEqual(a.miss, a.tableId, b.miss, b.tableId) &&
    setsEqual(a.match, b.match)
  );
}

function featuresEmpty(f: OvsTableFeatures): boolean {
  return (
    !f.metadataMatch &&
    !f.metadataWrite &&
    !f.maxEntries &&
    instructionFeaturesEmpty(f.nonmiss) &&
    instructionFeaturesEmpty(f.miss) &&
    !f.match.size
  );
}

// ---- printing --------------------------------------------------------------------------------------

/** Length of the longest common prefix of a and b that ends in `_` (0 if none). */
function commonPrefix(a: string, b: string): number {
  let n = 0;
  for (let i = 0; i < a.length && i < b.length && a[i] === b[i]; i++) if (a[i] === '_') n = i + 1;
  return n;
}

function commonPrefixRun(ids: readonly string[], prefixLen: number): { run: number; extra: number } {
  if (ids.length < 2) return { run: ids.length, extra: 0 };
  const extra = commonPrefix(ids[0]!.slice(prefixLen), ids[1]!.slice(prefixLen));
  if (!extra) return { run: 1, extra: 0 };
  let i = 2;
  while (i < ids.length && commonPrefix(ids[0]!.slice(prefixLen), ids[i]!.slice(prefixLen))) i++;
  return { run: i, extra };
}

function namesSequential(a: string, b: string): boolean {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i === a.length && i === b.length) return false;
  const x = a.slice(i);
  const y = b.slice(i);
  return /^\d+$/.test(x) && /^\d+$/.test(y) && x.length < 10 && y.length < 10 && Number(x) + 1 === Number(y);
}

function sequentialRun(ids: readonly string[]): number {
  for (let i = 1; ; i++) {
    if (i >= ids.length || !namesSequential(ids[i - 1]!, ids[i]!)) return i === 2 ? 1 : i;
  }
}

/** `eth_{src,dst,type}`, `reg0...reg7`, otherwise names separated by spaces (commas inside braces). */
function printNames(ids: readonly string[], prefixLen: number): string {
  let s = '';
  let group = 0;
  let rest = ids;
  while (rest.length) {
    if (group++) s += prefixLen ? ',' : ' ';
    const { run: prefixRun, extra } = commonPrefixRun(rest, prefixLen);
    const suffixRun = sequentialRun(rest);
    const run = Math.max(prefixRun, suffixRun);
    if (suffixRun >= prefixRun) {
      s += rest[0]!.slice(prefixLen);
      if (run > 1) s += `...${rest[run - 1]!.slice(prefixLen)}`;
    } else {
      s += `${rest[0]!.slice(prefixLen, prefixLen + extra)}{${printNames(rest.slice(0, run), prefixLen + extra)}}`;
    }
    rest = rest.slice(run);
  }
  return s;
}

function fieldSetText(set: Set<number>): string {
  const ids = [...set].sort((a, b) => a - b).map((i) => METAFLOW_ORDER[i]!);
  return ids.length ? ` ${printNames(ids, 0)}` : '';
}

function actionFeaturesText(a: ActionFeatures): string {
  let s = '';
  if (a.ofpat) s += `        actions: ${formatActionBitmap(a.ofpat)}\n`;
  if (a.setFields.size) s += `        supported on Set-Field:${fieldSetText(a.setFields)}\n`;
  return s;
}

function instructionFeaturesText(f: InstructionFeatures, prev: InstructionFeatures | null): string {
  let s = '';
  if (f.next.size) {
    const sorted = [...f.next].sort((a, b) => a - b);
    const ranges: string[] = [];
    for (let i = 0; i < sorted.length;) {
      let j = i;
      while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
      ranges.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
      i = j + 1;
    }
    s += `      next tables: ${ranges.join(',')}\n`;
  }
  if (f.instructions) {
    if (prev && f.instructions === prev.instructions) s += '      (same instructions)\n';
    else {
      const names: string[] = [];
      for (let i = 0; i < 32; i++) if (f.instructions & (1 << i)) names.push(INSTRUCTION_NAMES[i] ?? String(i));
      s += `      instructions: ${names.join(' ')}\n`;
    }
  }
  if (prev && actionFeaturesEqual(f.write, prev.write) && actionFeaturesEqual(f.apply, prev.apply) && f.write.setFields.size) {
    s += '      (same actions)\n';
  } else if (!actionFeaturesEqual(f.write, f.apply)) {
    s += `      Write-Actions features:\n${actionFeaturesText(f.write)}`;
    s += `      Apply-Actions features:\n${actionFeaturesText(f.apply)}`;
  } else if (f.write.ofpat || f.write.setFields.size) {
    s += `      Write-Actions and Apply-Actions features:\n${actionFeaturesText(f.write)}`;
  }
  return s;
}

function matchesText(f: OvsTableFeatures, mask: boolean, wc: boolean, title: string): string {
  const set = new Set<number>();
  for (const i of f.match) if (f.mask.has(i) === mask && f.wildcard.has(i) === wc) set.add(i);
  return set.size ? `      ${title}:${fieldSetText(set)}\n` : '';
}

interface Ditto {
  first: number;
  last: number;
}

function dittoText(d: Ditto): string {
  if (d.first < 0) return '';
  return d.first === d.last ? `\n  table ${d.first}: ditto\n` : `\n  tables ${d.first}...${d.last}: ditto\n`;
}

function statsEqual(a: TableStats, b: TableStats): boolean {
  return a.activeCount === b.activeCount && a.lookupCount === b.lookupCount && a.matchedCount === b.matchedCount;
}

function tableText(
  f: OvsTableFeatures,
  prev: OvsTableFeatures | null,
  stats: TableStats | null,
  prevStats: TableStats | null,
  ditto: Ditto,
): string {
  const sameStats = !stats || (prevStats !== null && statsEqual(stats, prevStats));
  const sameFeatures = prev !== null && featuresEqual(f, prev);
  if (sameStats && sameFeatures && !f.name) {
    if (ditto.first < 0) ditto.first = f.tableId;
    ditto.last = f.tableId;
    return '';
  }
  let s = dittoText(ditto);
  ditto.first = -1;
  s += `\n  table ${f.tableId}`;
  if (f.name) s += ` ("${f.name}")`;
  s += ':';
  if (sameStats && sameFeatures) return `${s} ditto`;
  s += '\n';
  if (stats) s += `    active=${stats.activeCount >>> 0}, lookup=${stats.lookupCount}, matched=${stats.matchedCount}\n`;
  if (sameFeatures) return featuresEmpty(f) ? s : `${s}    (same features)\n`;
  if (f.metadataMatch || f.metadataWrite) s += `    metadata: match=${hexAlt(f.metadataMatch)} write=${hexAlt(f.metadataWrite)}\n`;
  if (f.maxEntries) s += `    max_entries=${f.maxEntries}\n`;
  const table = f.tableId;
  if (
    prev &&
    instructionFeaturesEqual(f.nonmiss, table, prev.nonmiss, prev.tableId) &&
    instructionFeaturesEqual(f.miss, table, prev.miss, prev.tableId)
  ) {
    if (!instructionFeaturesEmpty(f.nonmiss)) s += '    (same instructions)\n';
  } else if (!instructionFeaturesEqual(f.nonmiss, table, f.miss, table)) {
    s += `    instructions (other than table miss):\n${instructionFeaturesText(f.nonmiss, prev?.nonmiss ?? null)}`;
    s += `    instructions (table miss):\n${instructionFeaturesText(f.miss, prev?.miss ?? null)}`;
  } else if (!instructionFeaturesEmpty(f.nonmiss)) {
    s += `    instructions (table miss and others):\n${instructionFeaturesText(f.nonmiss, prev?.nonmiss ?? null)}`;
  }
  if (f.match.size) {
    if (prev && setsEqual(f.match, prev.match)) s += '    (same matching)\n';
    else {
      s += '    matching:\n';
      s += matchesText(f, true, true, 'arbitrary mask');
      s += matchesText(f, false, true, 'exact match or wildcard');
      s += matchesText(f, false, false, 'must exact match');
    }
  }
  return s;
}

/** Every table of a table-features request or reply. */
export function formatTableFeaturesList(tables: readonly TableFeatures[]): string {
  let s = '';
  const ditto: Ditto = { first: -1, last: -1 };
  let prev: OvsTableFeatures | null = null;
  for (const t of tables) {
    let f: OvsTableFeatures;
    try {
      f = toOvs(t);
    } catch (err) {
      if (err instanceof OvsDecodeError) throw new OvsDecodeError(err.errorName, s + dittoText(ditto));
      throw err;
    }
    s += tableText(f, prev, null, null, ditto);
    prev = f;
  }
  return s + dittoText(ditto);
}

/** Every table of an OpenFlow 1.3 table-stats reply (which carries no features). */
export function formatTableStatsList(tables: readonly TableStats[]): string {
  let s = '';
  const ditto: Ditto = { first: -1, last: -1 };
  let prev: OvsTableFeatures | null = null;
  let prevStats: TableStats | null = null;
  for (const t of tables) {
    const f = emptyFeatures(t.tableId);
    s += tableText(f, prev, t, prevStats, ditto);
    prev = f;
    prevStats = t;
  }
  return s + dittoText(ditto);
}
