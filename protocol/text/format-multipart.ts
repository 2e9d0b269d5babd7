/** Multipart (stats) request and reply bodies as ovs-ofctl prints them, plus groups and meters. */
import type { Bucket, MeterBand } from '../message.js';
import type {
  FlowStats,
  FlowUpdate,
  GroupFeatures,
  GroupStats,
  MeterFeatures,
  MeterStats,
  MultipartReplyBody,
  MultipartRequestBody,
  FlowMonitorRequest,
  DescStats,
} from '../messages/multipart-types.js';
import { formatActions, formatInstructions } from './format-actions.js';
import { checkBucket, checkFlowFlags, checkInstructions, checkMatch, checkPortNumber } from './format-checks.js';
import { formatMatch } from './format-match.js';
import { formatPortDesc, formatPortStats, sortPorts } from './format-port.js';
import { formatActionBitmap } from './format-action-bitmap.js';
import { formatTableFeaturesList, formatTableStatsList } from './format-table-features.js';
import {
  OvsDecodeError,
  bitNames,
  cString,
  flowModFlagsText,
  flowRemovedReason,
  formatDuration,
  formatGroupId,
  formatPort,
  hexAlt,
  queueName,
} from './format-util.js';
import { OFPM_MAX } from '../constants/openflow13.js';

// ---- groups ----------------------------------------------------------------------------------------

const GROUP_TYPES = ['all', 'select', 'indirect', 'ff'];

/** `group_id=1,type=select,bucket=…` as group mods and group-desc replies print a group. */
export function formatGroup(groupId: number, groupType: number, buckets: readonly Bucket[]): string {
  let s = `group_id=${groupId >>> 0},type=${GROUP_TYPES[groupType] ?? 'unknown'}`;
  const parts = buckets.map((b) => {
    let t = 'bucket=';
    if (b.weight !== (groupType === 1 ? 1 : 0)) t += `weight:${b.weight},`;
    if (b.watchPort >>> 0 !== 0xffffffff) t += `watch_port:${formatPort(b.watchPort)},`;
    if (b.watchGroup >>> 0 !== 0xffffffff) t += `watch_group:${b.watchGroup >>> 0},`;
    return `${t}actions=${formatActions(b.actions)}`;
  });
  if (parts.length) s += `,${parts.join(',')}`;
  return s;
}

/** One group's counters as dump-group-stats prints them (no leading space). */
export function formatGroupStats(g: GroupStats): string {
  let s = `group_id=${g.groupId >>> 0},`;
  if (g.durationSec >>> 0 !== 0xffffffff) s += `duration=${formatDuration(g.durationSec, g.durationNsec)},`;
  s += `ref_count=${g.refCount >>> 0},packet_count=${g.packetCount},byte_count=${g.byteCount}`;
  g.buckets.forEach((b, i) => {
    if (b.packetCount !== 0xffffffffffffffffn) s += `,bucket${i}:packet_count=${b.packetCount},byte_count=${b.byteCount}`;
  });
  return s;
}

function formatGroupFeatures(f: GroupFeatures): string {
  let s = `\n Group table:\n    Types:  0x${(f.types >>> 0).toString(16)}\n    Capabilities:  0x${(f.capabilities >>> 0).toString(16)}\n`;
  const names = ['all', 'select', 'indirect', 'fast failover'];
  for (let i = 0; i < 4; i++) {
    if (f.types & (1 << i)) {
      s += `    ${names[i]} group:\n       max_groups=${hexAlt(f.maxGroups[i]! >>> 0)}\n`;
      s += `       actions: ${formatActionBitmap(f.actions[i]!)}\n`;
    }
  }
  return s;
}

// ---- meters ----------------------------------------------------------------------------------------

/** `meter=5`, `meter:all` (separator `=` or `:`). */
export function formatMeterId(id: number, sep: string): string {
  const v = id >>> 0;
  if (v <= OFPM_MAX) return `meter${sep}${v}`;
  const name = v === 0xfffffffd ? 'slowpath' : v === 0xfffffffe ? 'controller' : v === 0xffffffff ? 'all' : 'unknown';
  return `meter${sep}${name}`;
}

function formatMeterFlags(flags: number): string {
  let s = '';
  if (flags & 1) s += 'kbps ';
  if (flags & 2) s += 'pktps ';
  if (flags & 4) s += 'burst ';
  if (flags & 8) s += 'stats ';
  const rest = flags & ~0xf;
  if (rest) s += `flags:0x${rest.toString(16)} `;
  return s;
}

function formatMeterBand(flags: number, b: MeterBand): string {
  const name = b.type === 'drop' ? 'drop' : b.type === 'dscp_remark' ? 'dscp_remark' : '65535';
  let s = `\ntype=${name} rate=${b.rate >>> 0}`;
  if (flags & 4) s += ` burst_size=${b.burstSize >>> 0}`;
  if (b.type === 'dscp_remark') s += ` prec_level=${b.precLevel}`;
  return s;
}

/** `meter=1 kbps burst bands=\ntype=drop rate=…` and a final newline (meter mods, meter-config replies). */
export function formatMeterConfig(meterId: number, flags: number, bands: readonly MeterBand[]): string {
  return `${formatMeterId(meterId, '=')} ${formatMeterFlags(flags)}bands=${bands.map((b) => formatMeterBand(flags, b)).join('')}\n`;
}

function formatMeterStats(m: MeterStats): string {
  let s = `${formatMeterId(m.meterId, ':')} flow_count:${m.flowCount >>> 0} packet_in_count:${m.packetInCount} byte_in_count:${m.byteInCount} duration:${formatDuration(m.durationSec, m.durationNsec)} bands:\n`;
  m.bands.forEach((b, i) => {
    s += `${i}: packet_count:${b.packetBandCount} byte_count:${b.byteBandCount}\n`;
  });
  return s;
}

function formatMeterFeatures(f: MeterFeatures): string {
  let s = `\nmax_meter:${f.maxMeter >>> 0} max_bands:${f.maxBands} max_color:${f.maxColor}\n`;
  s += `band_types: ${bitNames(f.bandTypes, (b) => (b === 2 ? 'drop' : b === 4 ? 'dscp_remark' : undefined), ' ')}\n`;
  const caps: Record<number, string> = { 1: 'kbps', 2: 'pktps', 4: 'burst', 8: 'stats' };
  s += `capabilities: ${bitNames(f.capabilities, (b) => caps[b], ' ')}\n`;
  return s;
}

// ---- flows -----------------------------------------------------------------------------------------

/**
 * One flow as dump-flows prints it, without the leading space: ` cookie=0x0, duration=…, table=0,
 * n_packets=…, n_bytes=…, priority=…,MATCH actions=…`. Without stats (`--no-stats`) the cookie
 * is printed only when not zero and the table only when not 0.
 */
export function formatFlowStats(fs: FlowStats, stats = true): string {
  let s = '';
  if (stats || fs.cookie !== 0n) s += `cookie=0x${fs.cookie.toString(16)}, `;
  if (stats) s += `duration=${formatDuration(fs.durationSec, fs.durationNsec)}, `;
  if (stats || fs.tableId !== 0) s += `table=${fs.tableId}, `;
  if (stats) {
    const n = (v: bigint) => (v === 0xffffffffffffffffn ? '?' : String(v));
    s += `n_packets=${n(fs.packetCount)}, n_bytes=${n(fs.byteCount)}, `;
  }
  if (fs.idleTimeout) s += `idle_timeout=${fs.idleTimeout}, `;
  if (fs.hardTimeout) s += `hard_timeout=${fs.hardTimeout}, `;
  if (fs.flags) s += flowModFlagsText(fs.flags);
  const match = formatMatch(fs.match, fs.priority);
  if (match) s += `${match} `;
  return `${s}actions=${formatInstructions(fs.instructions)}`;
}

function formatFlowStatsRequest(b: { tableId: number; outPort: number; match: import('../fields/types.js').Match }): string {
  let s = '';
  if (b.tableId !== 0xff) s += ` table=${b.tableId}`;
  if (b.outPort >>> 0 !== 0xffffffff) s += ` out_port=${formatPort(b.outPort)}`;
  return `${s} ${formatMatch(b.match)}`;
}

// ---- flow monitor ----------------------------------------------------------------------------------

function monitorFlags(flags: number): number {
  // ONFFMF_* bits map onto OpenFlow 1.4's OFPFMF_*; OWN (32) becomes ONLY_OWN (64).
  return (flags & 0x1f) | (flags & 0x20 ? 0x40 : 0);
}

const MONITOR_FLAG_NAMES: Record<number, string> = {
  1: 'initial',
  2: 'add',
  4: 'delete',
  8: 'modify',
  16: 'actions',
  32: 'no-abbrev',
  64: 'own',
};

function formatMonitorRequest(r: FlowMonitorRequest): string {
  let s = `\n id=${r.id >>> 0} flags=${bitNames(monitorFlags(r.flags), (b) => MONITOR_FLAG_NAMES[b], ',')}`;
  if (r.outPort >>> 0 !== 0xffffffff) s += ` out_port=${formatPort(r.outPort)}`;
  if (r.tableId !== 0xff) s += ` table=${r.tableId}`;
  const match = formatMatch(r.match);
  if (match) s += ` ${match}`;
  return s;
}

function formatFlowUpdate(u: FlowUpdate): string {
  if (u.event === 'abbrev') return `\n event=ABBREV xid=0x${(u.xid >>> 0).toString(16)}`;
  let s = '\n event=';
  if (u.event === 'added') s += 'ADDED';
  else if (u.event === 'modified') s += 'MODIFIED';
  else s += `DELETED reason=${flowRemovedReason(u.reason)}`;
  s += ` table=${u.tableId}`;
  if (u.idleTimeout) s += ` idle_timeout=${u.idleTimeout}`;
  if (u.hardTimeout) s += ` hard_timeout=${u.hardTimeout}`;
  s += ` cookie=${hexAlt(u.cookie)} ${formatMatch(u.match)}`;
  const actions = formatInstructions(u.instructions);
  if (u.instructions.length && actions !== 'drop') {
    if (!s.endsWith(' ')) s += ' ';
    s += `actions=${actions}`;
  }
  return s;
}

// ---- bodies ----------------------------------------------------------------------------------------

function formatDesc(d: DescStats): string {
  return (
    `\nManufacturer: ${cString(d.mfrDesc)}\nHardware: ${cString(d.hwDesc)}\nSoftware: ${cString(d.swDesc)}\n` +
    `Serial Num: ${cString(d.serialNum)}\nDP Description: ${cString(d.dpDesc)}\n`
  );
}

/** The text after a multipart request's header line. */
export function formatMultipartRequestBody(b: MultipartRequestBody): string {
  switch (b.kind) {
    case 'flow':
    case 'aggregate':
      return formatFlowStatsRequest(b);
    case 'port_stats':
      return ` port_no=${formatPort(b.portNo)}`;
    case 'queue':
      return ` port=${formatPort(b.portNo)} queue=${queueName(b.queueId)}`;
    case 'group':
      return ` group_id=${formatGroupId(b.groupId)}`;
    case 'group_desc':
      return ' group_id=ALL';
    case 'meter':
    case 'meter_config':
      return ` ${formatMeterId(b.meterId, '=')}`;
    case 'port_desc':
      return ' port=ANY';
    case 'table_features':
      return formatTableFeaturesList(b.tables);
    case 'flow_monitor':
      return b.requests.map(formatMonitorRequest).join('');
    case 'desc':
    case 'table':
    case 'group_features':
    case 'meter_features':
    case 'experimenter':
      return '';
  }
}

/**
 * Entries printed one after another; when Open vSwitch would stop decoding at one, what came
 * before it is kept as the error's partial output.
 */
function entries<T>(list: readonly T[], each: (e: T) => string): string {
  let s = '';
  for (const e of list) {
    try {
      s += each(e);
    } catch (err) {
      if (err instanceof OvsDecodeError) throw new OvsDecodeError(err.errorName, s + err.partial);
      throw err;
    }
  }
  return s;
}

/** The text after a multipart reply's header line. */
export function formatMultipartReplyBody(b: MultipartReplyBody, verbosity: number): string {
  switch (b.kind) {
    case 'desc':
      return formatDesc(b);
    case 'flow':
      return entries(b.flows, (f) => {
        checkMatch(f.match);
        checkInstructions(f.instructions);
        checkFlowFlags(f.flags);
        return `\n ${formatFlowStats(f)}`;
      });
    case 'aggregate':
      return ` packet_count=${b.packetCount} byte_count=${b.byteCount} flow_count=${b.flowCount >>> 0}`;
    case 'table':
      return formatTableStatsList(b.tables);
    case 'port_stats':
      return ` ${b.ports.length} ports\n${verbosity < 1 ? '' : b.ports.map(formatPortStats).join('')}`;
    case 'queue': {
      let s = ` ${b.queues.length} queues\n`;
      if (verbosity < 1) return s;
      for (const q of b.queues) {
        const n = (v: bigint) => (v === 0xffffffffffffffffn ? '?' : String(v));
        s += `  port ${formatPort(q.portNo)} queue ${queueName(q.queueId)}: bytes=${n(q.txBytes)}, pkts=${n(q.txPackets)}, errors=${n(q.txErrors)}, duration=`;
        s += q.durationSec >>> 0 === 0xffffffff ? '?' : formatDuration(q.durationSec, q.durationNsec);
        s += '\n';
      }
      return s;
    }
    case 'group':
      return b.groups.map((g) => `\n ${formatGroupStats(g)}`).join('');
    case 'group_desc':
      return entries(b.groups, (g) => {
        g.buckets.forEach(checkBucket);
        return `\n ${formatGroup(g.groupId, g.groupType, g.buckets)}`;
      });
    case 'group_features':
      return formatGroupFeatures(b);
    case 'meter':
      return b.meters.map((m) => `\n${formatMeterStats(m)}`).join('');
    case 'meter_config':
      return b.meters.map((m) => `\n${formatMeterConfig(m.meterId, m.flags, m.bands)}`).join('');
    case 'meter_features':
      return formatMeterFeatures(b);
    case 'table_features':
      return formatTableFeaturesList(b.tables);
    case 'port_desc': {
      // Open vSwitch prints the ports it decoded before a bad one, sorted, then the error.
      const bad = b.ports.findIndex((p) => p.portNo >>> 0 < 0xffffff00 && p.portNo >>> 0 >= 0xff00);
      const good = bad < 0 ? b.ports : b.ports.slice(0, bad);
      const text = `\n${sortPorts(good).map(formatPortDesc).join('')}`;
      if (bad >= 0) {
        try {
          checkPortNumber(b.ports[bad]!.portNo);
        } catch (err) {
          if (err instanceof OvsDecodeError) throw new OvsDecodeError(err.errorName, text);
          throw err;
        }
      }
      return text;
    }
    case 'flow_monitor':
      return b.updates.map(formatFlowUpdate).join('');
    case 'experimenter':
      return '';
  }
}
