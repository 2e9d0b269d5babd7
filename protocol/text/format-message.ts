/**
 * Any decoded message as `ovs-ofctl ofp-print` prints it: the first line
 * `OFPT_FLOW_MOD (OF1.3) (xid=0x1): …`, the same field names and order, the same action
 * spellings, and a final newline. One small printer per message.
 */
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
  MultipartReply,
  MultipartRequest,
  NxCtFlush,
  NxSetAsyncConfig2,
  OfpMessage,
  PacketOut,
  PortMod,
  QueueGetConfigReply,
  RequestForward,
  RoleStatus,
  SetConfig,
  TableMod,
  CtTuple,
  AsyncConfig,
  Experimenter,
} from '../message.js';
import { decodeMessage, encodeMessage } from '../codec.js';
import { codecByOfpType, messageCodec } from '../message-registry.js';
import { multipartCodec, multipartCodecByMpType } from '../messages/multipart.js';
import { formatActions, formatInstructions } from './format-actions.js';
import { errorName } from '../error-names.js';
import { formatMatch } from './format-match.js';
import { formatPacketIn, formatPacketIn2, formatPacketSummary } from './format-packet.js';
import { formatPortConfig, formatPortDesc, formatPortFeatures } from './format-port.js';
import { formatMultipartReplyBody, formatMultipartRequestBody, formatGroup, formatMeterConfig } from './format-multipart.js';
import { checkMessage } from './format-checks.js';
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
import { NX_VENDOR_ID } from '../constants/nicira.js';
import { ONF_VENDOR_ID } from '../constants/onf.js';

/** Options of printing a message as ovs-ofctl does. */
export interface FormatOptions {
  /** ovs-ofctl's verbosity: `ofp-print` uses 2 (the default), dump commands 1. */
  verbosity?: number;
}

// ---- names ----------------------------------------------------------------------------------------

/** Nicira messages Open vSwitch knows in OpenFlow 1.3 that ofwire keeps as raw experimenter messages. */
const NXT_NAMES: Record<number, string> = {
  10: 'NXT_ROLE_REQUEST',
  11: 'NXT_ROLE_REPLY',
  13: 'NXT_FLOW_MOD',
  14: 'NXT_FLOW_REMOVED',
  15: 'NXT_FLOW_MOD_TABLE_ID',
  17: 'NXT_PACKET_IN',
  18: 'NXT_FLOW_AGE',
  19: 'NXT_SET_ASYNC_CONFIG',
  24: 'NXT_TLV_TABLE_MOD',
  25: 'NXT_TLV_TABLE_REQUEST',
  26: 'NXT_TLV_TABLE_REPLY',
};

/** Nicira multipart bodies Open vSwitch knows in OpenFlow 1.3. */
const NXST_NAMES: Record<number, string> = { 3: 'NXST_IPFIX_BRIDGE', 4: 'NXST_IPFIX_FLOW' };

/** Name, or the error Open vSwitch reports, for an experimenter message or multipart body. */
function experimenterName(experimenter: number, expType: number, names: Record<number, string>): string | { error: string } {
  const exp = experimenter >>> 0;
  if (exp === NX_VENDOR_ID) return names[expType] ?? { error: 'OFPBRC_BAD_SUBTYPE' };
  if (exp === ONF_VENDOR_ID) return { error: 'OFPBRC_BAD_SUBTYPE' };
  return { error: 'OFPBRC_BAD_VENDOR' };
}

/**
 * The name ovs-ofctl gives a message (`OFPT_FLOW_MOD`, `OFPST_FLOW reply`), or the error it
 * reports when it does not know the message at all.
 */
export function messageName(m: OfpMessage): string | { error: string } {
  if (m.type === 'multipart_request' || m.type === 'multipart_reply') {
    const suffix = m.type === 'multipart_request' ? 'request' : 'reply';
    if (m.body.kind === 'experimenter') {
      const name = experimenterName(m.body.experimenter, m.body.expType, NXST_NAMES);
      return typeof name === 'string' ? `${name} ${suffix}` : name;
    }
    const base = multipartCodec(m.body.kind)?.name;
    return base ? `${base} ${suffix}` : { error: 'OFPBRC_BAD_STAT' };
  }
  if (m.type === 'experimenter') return experimenterName(m.experimenter, m.expType, NXT_NAMES);
  return messageCodec(m.type)?.name ?? { error: 'OFPBRC_BAD_TYPE' };
}

function versionText(version: number): string {
  switch (version) {
    case 1:
      return '';
    case 2:
      return ' (OF1.1)';
    case 3:
      return ' (OF1.2)';
    case 4:
      return ' (OF1.3)';
    case 5:
      return ' (OF1.4)';
    case 6:
      return ' (OF1.5)';
    default:
      return ` (OF 0x${version.toString(16).padStart(2, '0')})`;
  }
}

function messageVersion(m: OfpMessage): number {
  if (m.type === 'hello') return m.version;
  if (m.type === 'error') return m.version ?? 4;
  return 4;
}

// ---- small messages -------------------------------------------------------------------------------

function formatHello(m: Hello): string {
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

function formatEcho(data: Buffer, verbosity: number): string {
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

function formatFeaturesReply(m: FeaturesReply): string {
  // OpenFlow 1.3's GROUP_STATS bit (3) is bit 4 in Open vSwitch's numbering; other bits are dropped.
  const caps = (m.capabilities & 0x167) | (m.capabilities & 0x8 ? 0x10 : 0);
  let s = ` dpid:${m.datapathId.toString(16).padStart(16, '0')}\n`;
  s += `n_tables:${m.nTables}, n_buffers:${m.nBuffers >>> 0}`;
  if (m.auxiliaryId) s += `, auxiliary_id:${m.auxiliaryId}`;
  s += `\ncapabilities: ${bitNames(caps, (b) => CAPABILITY_NAMES[b], ' ')}\n`;
  return s;
}

function formatSwitchConfig(m: GetConfigReply | SetConfig): string {
  const frag = ['normal', 'drop', 'reassemble', 'nx-match'][m.flags & 3]!;
  return ` frags=${frag} miss_send_len=${m.missSendLen}\n`;
}

function formatFlowMod(m: FlowMod): string {
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

function formatGroupMod(m: GroupMod): string {
  const commands = ['ADD', 'MOD', 'DEL'];
  const cmd = m.command === 0x8000 ? 'ADD_OR_MOD' : (commands[m.command] ?? `cmd:${m.command}`);
  return `\n ${cmd} ${formatGroup(m.groupId, m.groupType, m.buckets)}`;
}

function formatFlowRemoved(m: FlowRemoved): string {
  let s = ` ${formatMatch(m.match, m.priority)} reason=${flowRemovedReason(m.reason)}`;
  if (m.tableId !== 255) s += ` table_id=${m.tableId}`;
  if (m.cookie !== 0n) s += ` cookie:0x${m.cookie.toString(16)}`;
  s += ` duration${formatDuration(m.durationSec, m.durationNsec)} idle${m.idleTimeout}`;
  if (m.hardTimeout) s += ` hard${m.hardTimeout}`;
  return `${s} pkts${m.packetCount} bytes${m.byteCount}\n`;
}

function formatPacketOut(m: PacketOut, verbosity: number): string {
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

function formatPortMod(m: PortMod): string {
  let s = ` port: ${formatPort(m.portNo)}: addr:${m.hwAddr}\n`;
  // Open vSwitch keeps only the config bits the mask says to change.
  s += `     config: ${formatPortConfig(m.config & m.mask & 0x65)}`;
  s += `     mask:   ${formatPortConfig(m.mask & 0x65)}`;
  s += `     advertise: ${m.advertise & 0xffff ? formatPortFeatures(m.advertise & 0xffff) : 'UNCHANGED\n'}`;
  return s;
}

function formatTableMod(m: TableMod): string {
  return m.tableId === 0xff ? ' table_id: ALL_TABLES' : ` table_id=${m.tableId}`;
}

function formatMeterMod(m: MeterMod): string {
  const commands = ['ADD', 'MOD', 'DEL'];
  const cmd = commands[m.command] ?? `cmd:${m.command}`;
  return ` ${cmd} ${formatMeterConfig(m.meterId, m.flags, m.bands)}`;
}

function formatQueueGetConfigReply(m: QueueGetConfigReply): string {
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

function formatRole(role: number, generationId: bigint | null): string {
  let s = ` role=${ROLE_NAMES[role] ?? String(role)}`;
  if (generationId !== null && generationId !== 0xffffffffffffffffn) s += ` generation_id=${generationId}`;
  return s;
}

function formatRoleStatus(m: RoleStatus): string {
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

function formatAsyncConfig(c: AsyncConfig): string {
  const primary = [withMissBits(c.packetInMask[0] & 7), c.portStatusMask[0] & 7, c.flowRemovedMask[0] & 0x3f, 0, 0, 0];
  const secondary = [withMissBits(c.packetInMask[1] & 7), c.portStatusMask[1] & 7, c.flowRemovedMask[1] & 0x3f, 0, 0, 0];
  return formatAsyncMasks(primary, secondary);
}

function formatAsyncConfig2(m: NxSetAsyncConfig2): string {
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

function formatBundleControl(m: BundleControl): string {
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

function formatBundleAdd(m: BundleAdd, verbosity: number): string {
  return `\n bundle_id=${hexAlt(m.bundleId >>> 0)} flags=${formatBundleFlags(m.flags)}\n${formatMessage(m.message, { verbosity })}`;
}

function formatRequestForward(m: RequestForward): string {
  const inner = m.message;
  if (inner.type === 'group_mod') return ` reason=group_mod${formatGroupMod(inner)}`;
  if (inner.type === 'meter_mod') return ` reason=meter_mod${formatMeterMod(inner)}`;
  return ' reason=';
}

function formatErrorMsg(m: ErrorMsg): string {
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
  const second = t?.dstPort ?? (((t?.icmpCode ?? 0) << 8) | (t?.icmpType ?? 0));
  let s = `${v4 ? 'ct_nw_src=' : 'ct_ipv6_src='}${addr(t?.src)}${v4 ? ',ct_nw_dst=' : ',ct_ipv6_dst='}${addr(t?.dst)}`;
  if (ipProto === 1 || ipProto === 58) s += `,icmp_id=${first},icmp_type=${second & 0xff},icmp_code=${second >> 8}`;
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

function formatCtFlush(m: NxCtFlush): string {
  const v4 = ctFamilyIsV4(m);
  return ` zone=${m.zoneId ?? 0} '${ctTupleText(m.orig, m.ipProto, v4)},ct_nw_proto=${m.ipProto}' '${ctTupleText(m.reply, m.ipProto, v4)}'`;
}

// ---- dispatch --------------------------------------------------------------------------------------

function formatMultipartFlags(m: MultipartRequest | MultipartReply): string {
  let flags = m.flags;
  if (!flags) return '';
  let s = ' flags=';
  if (flags & 1) {
    s += '[more]';
    flags &= ~1;
  }
  if (flags) s += `[***unknown flags 0x${flags.toString(16).padStart(4, '0')}***]`;
  return s;
}

/** `prefix` then `body()`; a decode error raised by `body` keeps the prefix in its partial output. */
function withPrefix(prefix: string, body: () => string): string {
  try {
    return prefix + body();
  } catch (err) {
    if (err instanceof OvsDecodeError) throw new OvsDecodeError(err.errorName, prefix + err.partial);
    throw err;
  }
}

/** The text after the header line's colon. */
function formatBody(m: OfpMessage, verbosity: number): string {
  switch (m.type) {
    case 'hello':
      return formatHello(m);
    case 'error':
      return formatErrorMsg(m);
    case 'echo_request':
    case 'echo_reply':
      return formatEcho(m.data, verbosity);
    case 'features_reply':
      return formatFeaturesReply(m);
    case 'get_config_reply':
    case 'set_config':
      return formatSwitchConfig(m);
    case 'packet_in':
      return formatPacketIn(m, verbosity);
    case 'flow_removed':
      return formatFlowRemoved(m);
    case 'port_status':
      return `${[' ADD:', ' DEL:', ' MOD:'][m.reason] ?? ''}${formatPortDesc(m.desc)}`;
    case 'packet_out':
      return formatPacketOut(m, verbosity);
    case 'flow_mod':
      return formatFlowMod(m);
    case 'group_mod':
      return formatGroupMod(m);
    case 'port_mod':
      return formatPortMod(m);
    case 'table_mod':
      return formatTableMod(m);
    case 'meter_mod':
      return formatMeterMod(m);
    case 'multipart_request':
      return withPrefix(formatMultipartFlags(m), () => formatMultipartRequestBody(m.body));
    case 'multipart_reply':
      return withPrefix(formatMultipartFlags(m), () => formatMultipartReplyBody(m.body, verbosity));
    case 'queue_get_config_request':
      return ` port=${formatPort(m.port)}`;
    case 'queue_get_config_reply':
      return formatQueueGetConfigReply(m);
    case 'role_request':
      return formatRole(m.role, m.role === 0 ? null : m.generationId);
    case 'role_reply':
      return formatRole(m.role, m.generationId);
    case 'get_async_reply':
    case 'set_async':
      return formatAsyncConfig(m);
    case 'bundle_control':
      return formatBundleControl(m);
    case 'bundle_add':
      return formatBundleAdd(m, verbosity);
    case 'role_status':
      return formatRoleStatus(m);
    case 'requestforward':
      return formatRequestForward(m);
    case 'flow_monitor_cancel':
      return ` id=${m.id >>> 0}`;
    case 'nx_ct_flush_zone':
      return ` zone_id=${m.zoneId}`;
    case 'nx_ct_flush':
      return formatCtFlush(m);
    case 'nx_set_packet_in_format':
      return ` format=${['standard', 'nxt_packet_in', 'nxt_packet_in2'][m.format] ?? String(m.format)}`;
    case 'nx_packet_in2':
    case 'nx_resume':
      return formatPacketIn2(m, verbosity);
    case 'nx_set_async_config2':
      return formatAsyncConfig2(m);
    case 'nx_set_controller_id':
      return ` id=${m.controllerId}`;
    case 'features_request':
    case 'get_config_request':
    case 'barrier_request':
    case 'barrier_reply':
    case 'get_async_request':
    case 'flow_monitor_paused':
    case 'flow_monitor_resumed':
      return '';
    case 'experimenter':
      return formatNxExperimenter(m);
  }
}

/** The Nicira messages ofwire does not model but Open vSwitch prints (see NXT_NAMES). */
function formatNxExperimenter(m: Experimenter): string {
  const d = m.data;
  switch (m.expType) {
    case 15:
      return d.length >= 1 ? ` ${d[0] ? 'enable' : 'disable'}` : '';
    case 10:
    case 11: {
      if (d.length < 4) return '';
      const role = d.readUInt32BE(0);
      if (role > 2) throw new OvsDecodeError('OFPRRFC_BAD_ROLE');
      return formatRole(role + 1, null);
    }
    case 19: {
      if (d.length < 24) return '';
      const w = (i: number) => d.readUInt32BE(i * 4);
      return formatAsyncConfig({ packetInMask: [w(0), w(1)], portStatusMask: [w(2), w(3)], flowRemovedMask: [w(4), w(5)] });
    }
    default:
      return '';
  }
}

/**
 * A message as `ovs-ofctl ofp-print` prints it (verbosity 2 unless told otherwise), final
 * newline included.
 */
export function formatMessage(m: OfpMessage, opts: FormatOptions = {}): string {
  const verbosity = opts.verbosity ?? 2;
  const name = messageName(m);
  if (typeof name !== 'string') return `***decode error: ${name.error}***\n${hexDump(encodeMessage(m), true)}`;
  let s = `${name}${versionText(messageVersion(m))} (xid=0x${(m.xid >>> 0).toString(16)}):`;
  const headerLen = s.length;
  try {
    checkMessage(m);
    s += formatBody(m, verbosity);
  } catch (err) {
    if (!(err instanceof OvsDecodeError)) throw err;
    s += err.partial;
    if (s.length > headerLen) {
      if (s.endsWith(' ')) s = s.slice(0, -1);
      s = addNewline(s);
    } else {
      s += ' ';
    }
    return `${s}***decode error: ${err.errorName}***\n${hexDump(encodeMessage(m), true)}`;
  }
  if (s.length > headerLen && s.endsWith(' ')) s = s.slice(0, -1);
  if (verbosity >= 5) s = addNewline(s) + hexDump(encodeMessage(m), true);
  return addNewline(s);
}

function addNewline(s: string): string {
  return s.length && !s.endsWith('\n') ? `${s}\n` : s;
}

/** The header line of a message known only by its first bytes, or null. */
function headerLineFromBytes(b: Buffer): string | null {
  const version = b[0]!;
  const type = b[1]!;
  let name: string | undefined;
  if (type === 18 || type === 19) {
    if (b.length < 12) return null;
    const base = multipartCodecByMpType(b.readUInt16BE(8))?.name;
    name = base && `${base} ${type === 18 ? 'request' : 'reply'}`;
  } else {
    name = codecByOfpType(type)?.name;
  }
  if (!name) return null;
  return `${name}${versionText(version)} (xid=0x${b.readUInt32BE(4).toString(16)}):`;
}

/**
 * Raw bytes that should hold one message (an error's copy of the failed request), as
 * ofp_to_string prints them: decoded when whole, otherwise a note and a hex dump.
 */
export function formatRawMessage(bytes: Buffer, verbosity: number): string {
  if (!bytes.length) return 'OpenFlow message is empty\n';
  if (bytes.length < 8) return `OpenFlow packet too short (only ${bytes.length} bytes):\n${hexDump(bytes, true)}`;
  const length = bytes.readUInt16BE(2);
  if (length > bytes.length) {
    const header = headerLineFromBytes(bytes);
    return `${header ? `${header}\n` : ''}(***truncated to ${bytes.length} bytes from ${length}***)\n${hexDump(bytes, true)}`;
  }
  if (length < bytes.length) {
    return `(***only uses ${length} bytes out of ${bytes.length}***)\n${hexDump(bytes, true)}`;
  }
  let m: OfpMessage;
  try {
    m = decodeMessage(bytes);
  } catch {
    const header = headerLineFromBytes(bytes);
    return `${header ? `${header} ` : ''}***decode error: OFPBRC_BAD_LEN***\n${hexDump(bytes, true)}`;
  }
  return formatMessage(m, { verbosity });
}

