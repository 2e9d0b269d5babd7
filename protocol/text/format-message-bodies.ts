/** The printers of each message's body, as `ovs-ofctl ofp-print` writes it after the header line's colon. */
import { formatMessage, formatRawMessage } from './format-message.js';
import type {
  BundleAdd,
  BundleControl,
  ErrorMsg,
  FeaturesReply,
  FlowMod,
  FlowRemoved,
  GetConfigReply,
  GroupMod,
  Hello,
  MeterMod,
  NxCtFlush,
  NxSetAsyncConfig2,
  PacketOut,
  PortMod,
  QueueGetConfigReply,
  RequestForward,
  RoleStatus,
  SetConfig,
  TableMod,
  CtTuple,
  AsyncConfig,
} from '../message.js';
import { encodeMessage } from '../codec.js';
import { formatActions, formatInstructions } from './format-actions.js';
import { errorName } from '../error-names.js';
import { formatMatch } from './format-match.js';
import { formatPacketSummary } from './format-packet.js';
import { formatPortConfig, formatPortFeatures } from './format-port.js';
import { formatGroup, formatMeterConfig } from './format-multipart.js';
import {
  OvsDecodeError,
  bitNames,
  flowModFlagsText,
  flowRemovedReason,
  formatDuration,
  formatPort,
  hexAlt,
  hexDump,
  packetInReason,
} from './format-util.js';
import { IPPROTO_ICMP, IPPROTO_ICMPV6 } from '../constants/packet.js';

export function formatHello(m: Hello): string {
  let allowed = m.version >= 1 && m.version < 31 ? ((1 << (m.version + 1)) - 2) >>> 0 : 0;
  let ok = true;
  for (const e of m.elements) {
    if (e.type !== 'versionbitmap' || e.bitmaps.length === 0) {
      ok = false;
      continue;
    }
    const word = (e.bitmaps[0]! & ~1) >>> 0;
    if (!word) ok = false;
    else allowed = word;
  }
  const versions: string[] = [];
  for (let v = 0; v < 32; v++) if (allowed & (1 << v)) versions.push(`0x${v.toString(16).padStart(2, '0')}`);
  let s = `\n version bitmap: ${versions.join(', ')}`;
  if (!ok) s += `\n unknown data in hello:\n${hexDump(encodeMessage(m), true)}`;
  return s;
}

export function formatEcho(data: Buffer, verbosity: number): string {
  let s = ` ${data.length} bytes of payload\n`;
  if (verbosity > 1) s += hexDump(data, true);
  return s;
}

const CAPABILITY_NAMES: Record<number, string> = {
  0x1: 'FLOW_STATS',
  0x2: 'TABLE_STATS',
  0x4: 'PORT_STATS',
  0x8: 'STP',
  0x10: 'GROUP_STATS',
  0x20: 'IP_REASM',
  0x40: 'QUEUE_STATS',
  0x80: 'ARP_MATCH_IP',
  0x100: 'PORT_BLOCKED',
  0x200: 'BUNDLES',
  0x400: 'FLOW_MONITORING',
};

export function formatFeaturesReply(m: FeaturesReply): string {
  // OpenFlow 1.3's GROUP_STATS bit (3) is bit 4 in Open vSwitch's numbering; other bits are dropped.
  const caps = (m.capabilities & 0x167) | (m.capabilities & 0x8 ? 0x10 : 0);
  let s = ` dpid:${m.datapathId.toString(16).padStart(16, '0')}\n`;
  s += `n_tables:${m.nTables}, n_buffers:${m.nBuffers >>> 0}`;
  if (m.auxiliaryId) s += `, auxiliary_id:${m.auxiliaryId}`;
  s += `\ncapabilities: ${bitNames(caps, (b) => CAPABILITY_NAMES[b], ' ')}\n`;
  return s;
}

export function formatSwitchConfig(m: GetConfigReply | SetConfig): string {
  const frag = ['normal', 'drop', 'reassemble', 'nx-match'][m.flags & 3]!;
  return ` frags=${frag} miss_send_len=${m.missSendLen}\n`;
}

export function formatFlowMod(m: FlowMod): string {
  const commands = ['ADD', 'MOD', 'MOD_STRICT', 'DEL', 'DEL_STRICT'];
  let s = ` ${commands[m.command] ?? `cmd:${m.command}`}`;
  if (m.tableId !== 0) s += ` table:${m.tableId}`;
  s += ` ${formatMatch(m.match, m.priority)}`;
  if (!s.endsWith(' ')) s += ' ';
  // OpenFlow 1.3 ADD carries the new cookie; the other commands carry a cookie to match.
  if (m.command === 0) {
    if (m.cookie !== 0n && m.cookie !== 0xffffffffffffffffn) s += `cookie:0x${m.cookie.toString(16)} `;
  } else if (m.cookieMask !== 0n) {
    s += `cookie:0x${m.cookie.toString(16)}/0x${m.cookieMask.toString(16)} `;
  }
  if (m.idleTimeout) s += `idle:${m.idleTimeout} `;
  if (m.hardTimeout) s += `hard:${m.hardTimeout} `;
  if (m.bufferId >>> 0 !== 0xffffffff) s += `buf:0x${(m.bufferId >>> 0).toString(16)} `;
  if (m.outPort >>> 0 !== 0xffffffff) s += `out_port:${formatPort(m.outPort)} `;
  s += flowModFlagsText(m.flags);
  return `${s}actions=${formatInstructions(m.instructions)}`;
}

export function formatGroupMod(m: GroupMod): string {
  const commands = ['ADD', 'MOD', 'DEL'];
  const cmd = m.command === 0x8000 ? 'ADD_OR_MOD' : (commands[m.command] ?? `cmd:${m.command}`);
  return `\n ${cmd} ${formatGroup(m.groupId, m.groupType, m.buckets)}`;
}

export function formatFlowRemoved(m: FlowRemoved): string {
  let s = ` ${formatMatch(m.match, m.priority)} reason=${flowRemovedReason(m.reason)}`;
  if (m.tableId !== 255) s += ` table_id=${m.tableId}`;
  if (m.cookie !== 0n) s += ` cookie:0x${m.cookie.toString(16)}`;
  s += ` duration${formatDuration(m.durationSec, m.durationNsec)} idle${m.idleTimeout}`;
  if (m.hardTimeout) s += ` hard${m.hardTimeout}`;
  return `${s} pkts${m.packetCount} bytes${m.byteCount}\n`;
}

export function formatPacketOut(m: PacketOut, verbosity: number): string {
  // The packet-out's in_port is the metadata match ovs-ofctl prints.
  let s = ` in_port=${formatPort(m.inPort)}`;
  s += ` actions=${formatActions(m.actions)}`;
  if (m.bufferId >>> 0 === 0xffffffff) {
    s += ` data_len=${m.data.length}`;
    if (verbosity > 0 && m.data.length > 0) s += `\n${formatPacketSummary(m.data)}`;
    if (verbosity > 2) s += hexDump(m.data, false);
  } else {
    s += ` buffer=0x${(m.bufferId >>> 0).toString(16).padStart(8, '0')}`;
  }
  return s;
}

export function formatPortMod(m: PortMod): string {
  let s = ` port: ${formatPort(m.portNo)}: addr:${m.hwAddr}\n`;
  // Open vSwitch keeps only the config bits the mask says to change.
  s += `     config: ${formatPortConfig(m.config & m.mask & 0x65)}`;
  s += `     mask:   ${formatPortConfig(m.mask & 0x65)}`;
  s += `     advertise: ${m.advertise & 0xffff ? formatPortFeatures(m.advertise & 0xffff) : 'UNCHANGED\n'}`;
  return s;
}

export function formatTableMod(m: TableMod): string {
  return m.tableId === 0xff ? ' table_id: ALL_TABLES' : ` table_id=${m.tableId}`;
}

export function formatMeterMod(m: MeterMod): string {
  const commands = ['ADD', 'MOD', 'DEL'];
  const cmd = commands[m.command] ?? `cmd:${m.command}`;
  return ` ${cmd} ${formatMeterConfig(m.meterId, m.flags, m.bands)}`;
}

export function formatQueueGetConfigReply(m: QueueGetConfigReply): string {
  const queues = [...m.queues].sort((a, b) => a.queueId - b.queueId);
  let s = ' ';
  if (queues.length && m.port >>> 0 !== 0) s += `port=${formatPort(m.port)}\n`;
  for (const q of queues) {
    s += `queue ${q.queueId >>> 0}:`;
    for (const p of q.properties) {
      if (p.type === 'min_rate' || p.type === 'max_rate') {
        if (p.rate <= 1000) s += ` ${p.type}:${Math.floor(p.rate / 10)}.${p.rate % 10}%`;
        else if (p.rate < 0xffff) s += ` ${p.type}:(disabled)`;
      }
    }
    s += '\n';
  }
  return s;
}

const ROLE_NAMES = ['nochange', 'equal', 'primary', 'secondary'];

export function formatRole(role: number, generationId: bigint | null): string {
  let s = ` role=${ROLE_NAMES[role] ?? String(role)}`;
  if (generationId !== null && generationId !== 0xffffffffffffffffn) s += ` generation_id=${generationId}`;
  return s;
}

export function formatRoleStatus(m: RoleStatus): string {
  const reasons = ['primary_request', 'configuration_changed', 'experimenter_data_changed'];
  return `${formatRole(m.role, m.generationId)} reason=${reasons[m.reason] ?? '(unknown)'}`;
}

const ASYNC_TYPES = ['PACKET_IN', 'PORT_STATUS', 'FLOW_REMOVED', 'ROLE_STATUS', 'TABLE_STATUS', 'REQUESTFORWARD'];

function asyncReason(type: number, bit: number): string {
  switch (type) {
    case 0:
      return packetInReason(bit);
    case 1:
      return ['add', 'delete', 'modify'][bit] ?? String(bit);
    case 2:
      return flowRemovedReason(bit);
    case 3:
      return ['primary_request', 'configuration_changed', 'experimenter_data_changed'][bit] ?? String(bit);
    case 4:
      return bit === 3 ? 'vacancy_down' : bit === 4 ? 'vacancy_up' : String(bit);
    default:
      return ['group_mod_request', 'meter_mod_request'][bit] ?? String(bit);
  }
}

function formatAsyncMasks(primary: number[], secondary: number[]): string {
  let s = '';
  for (const [label, masks] of [
    ['primary', primary],
    ['secondary', secondary],
  ] as const) {
    s += `\n ${label}:\n`;
    ASYNC_TYPES.forEach((name, type) => {
      const mask = masks[type] ?? 0;
      s += `${name.padStart(16)}:`;
      for (let bit = 0; bit < 32; bit++) {
        if (mask & (1 << bit)) {
          const reason = asyncReason(type, bit);
          if (reason) s += ` ${reason}`;
        }
      }
      if (!mask) s += ' (off)';
      s += '\n';
    });
  }
  return s;
}

/** A packet-in mask with NO_MATCH also enables OVS's internal explicit-miss reason (6). */
function withMissBits(mask: number): number {
  return mask & 1 ? mask | (1 << 6) : mask;
}

export function formatAsyncConfig(c: AsyncConfig): string {
  const primary = [withMissBits(c.packetInMask[0] & 7), c.portStatusMask[0] & 7, c.flowRemovedMask[0] & 0x3f, 0, 0, 0];
  const secondary = [withMissBits(c.packetInMask[1] & 7), c.portStatusMask[1] & 7, c.flowRemovedMask[1] & 0x3f, 0, 0, 0];
  return formatAsyncMasks(primary, secondary);
}

export function formatAsyncConfig2(m: NxSetAsyncConfig2): string {
  const primary = [0, 0, 0, 0, 0, 0];
  const secondary = [0, 0, 0, 0, 0, 0];
  for (const p of m.properties) {
    const type = p.propType >> 1;
    if (type >= ASYNC_TYPES.length) continue;
    // Bits OpenFlow 1.3 does not allow were refused by checkMessage.
    const mask = type === 0 ? withMissBits(p.mask) : p.mask;
    if (p.propType & 1) primary[type] = mask;
    else secondary[type] = mask;
  }
  return formatAsyncMasks(primary, secondary);
}

function formatBundleFlags(flags: number): string {
  return bitNames(flags, (b) => (b === 1 ? 'atomic' : b === 2 ? 'ordered' : undefined), ' ');
}

export function formatBundleControl(m: BundleControl): string {
  const types = [
    'OPEN_REQUEST',
    'OPEN_REPLY',
    'CLOSE_REQUEST',
    'CLOSE_REPLY',
    'COMMIT_REQUEST',
    'COMMIT_REPLY',
    'DISCARD_REQUEST',
    'DISCARD_REPLY',
  ];
  return `\n bundle_id=${hexAlt(m.bundleId >>> 0)} type=${types[m.ctrlType] ?? ''} flags=${formatBundleFlags(m.flags)}`;
}

export function formatBundleAdd(m: BundleAdd, verbosity: number): string {
  return `\n bundle_id=${hexAlt(m.bundleId >>> 0)} flags=${formatBundleFlags(m.flags)}\n${formatMessage(m.message, { verbosity })}`;
}

export function formatRequestForward(m: RequestForward): string {
  const inner = m.message;
  if (inner.type === 'group_mod') return ` reason=group_mod${formatGroupMod(inner)}`;
  if (inner.type === 'meter_mod') return ` reason=meter_mod${formatMeterMod(inner)}`;
  return ' reason=';
}

export function formatErrorMsg(m: ErrorMsg): string {
  const name = m.errType === 0xffff ? errorName(m.code, 0, m.experimenter ?? 0) : errorName(m.errType, m.code);
  if (!name) throw new OvsDecodeError('OFPBRC_BAD_LEN');
  let s = ` ${name}\n`;
  if (name === 'OFPHFC_INCOMPATIBLE' || name === 'OFPHFC_EPERM') {
    s += printable(m.data);
  } else {
    s += formatRawMessage(m.data, 1);
  }
  return s;
}

/** OVS's ds_put_printable: printable ASCII as is, anything else as \ooo octal. */
function printable(b: Buffer): string {
  let s = '';
  for (const c of b) s += c >= 32 && c < 127 ? String.fromCharCode(c) : `\\${c.toString(8).padStart(3, '0')}`;
  return s;
}

/**
 * One direction of a conntrack flush. Open vSwitch keeps the source port and the ICMP id in one
 * 16-bit slot, and the destination port and the ICMP code (high byte) and type (low byte) in
 * another, and prints the slots according to the protocol.
 */
function ctTupleText(t: CtTuple | undefined, ipProto: number, v4: boolean): string {
  // An IPv4 tuple address is an IPv4-mapped IPv6 address, which prints as IPv4 either way.
  const addr = (a: string | undefined) =>
    a === undefined ? (v4 ? '0.0.0.0' : '::') : a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
  const first = t?.srcPort ?? t?.icmpId ?? 0;
  const second = t?.dstPort ?? ((t?.icmpCode ?? 0) << 8) | (t?.icmpType ?? 0);
  let s = `${v4 ? 'ct_nw_src=' : 'ct_ipv6_src='}${addr(t?.src)}${v4 ? ',ct_nw_dst=' : ',ct_ipv6_dst='}${addr(t?.dst)}`;
  if (ipProto === IPPROTO_ICMP || ipProto === IPPROTO_ICMPV6) s += `,icmp_id=${first},icmp_type=${second & 0xff},icmp_code=${second >> 8}`;
  else s += `,ct_tp_src=${first},ct_tp_dst=${second}`;
  return s;
}

/** The address family the last address property named (a zero address names none). */
function ctFamilyIsV4(m: NxCtFlush): boolean {
  let v4 = false;
  const tuples = (m.order ?? [0, 1, 2]).map((t) => (t === 0 ? m.orig : t === 1 ? m.reply : undefined));
  for (const t of tuples) {
    if (!t) continue;
    const order = t.order ?? [0, 1];
    for (const p of order) {
      const a = p === 0 ? t.src : p === 1 ? t.dst : undefined;
      if (a === undefined) continue;
      const zero = a === '::' || a === '0.0.0.0';
      v4 = !zero && (!a.includes(':') || (a.startsWith('::ffff:') && a.includes('.')));
    }
  }
  return v4;
}

export function formatCtFlush(m: NxCtFlush): string {
  const v4 = ctFamilyIsV4(m);
  return ` zone=${m.zoneId ?? 0} '${ctTupleText(m.orig, m.ipProto, v4)},ct_nw_proto=${m.ipProto}' '${ctTupleText(m.reply, m.ipProto, v4)}'`;
}
