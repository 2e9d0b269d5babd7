/**
 * Any decoded message as `ovs-ofctl ofp-print` prints it: the first line
 * `OFPT_FLOW_MOD (OF1.3) (xid=0x1): …`, the same field names and order, the same action
 * spellings, and a final newline. This file dispatches each message to its printer
 * (format-message-bodies.ts) and prints what does not decode from its raw bytes.
 */
import type { MultipartReply, MultipartRequest, OfpMessage, Experimenter } from '../message.js';
import { decodeMessage, encodeMessage } from '../codec.js';
import { codecByOfpType } from '../message-registry.js';
import { multipartCodecByMpType } from '../messages/multipart.js';
import { formatPacketIn, formatPacketIn2 } from './format-packet.js';
import { formatPortDesc } from './format-port.js';
import { formatMultipartReplyBody, formatMultipartRequestBody } from './format-multipart.js';
import { checkMessage } from './format-checks.js';
import { OvsDecodeError, formatPort, hexDump } from './format-util.js';
import { messageName, versionText, messageVersion } from './format-message-names.js';
import {
  formatHello,
  formatEcho,
  formatFeaturesReply,
  formatSwitchConfig,
  formatFlowMod,
  formatGroupMod,
  formatFlowRemoved,
  formatPacketOut,
  formatPortMod,
  formatTableMod,
  formatMeterMod,
  formatQueueGetConfigReply,
  formatRole,
  formatRoleStatus,
  formatAsyncConfig,
  formatAsyncConfig2,
  formatBundleControl,
  formatBundleAdd,
  formatRequestForward,
  formatErrorMsg,
  formatCtFlush,
} from './format-message-bodies.js';

/** Options of printing a message as ovs-ofctl does. */
export interface FormatOptions {
  /** ovs-ofctl's verbosity: `ofp-print` uses 2 (the default), dump commands 1. */
  verbosity?: number;
}

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
