/**
 * Every OpenFlow 1.3 message ofwire understands, as plain objects discriminated by `type`.
 * 64-bit quantities are bigint; byte strings are Buffers (hex strings in JSON form).
 * Messages the codec does not understand decode to `experimenter` (unknown experimenter/subtype)
 * or raise ProtocolError — nothing is silently dropped.
 */
import type { Action } from './actions/types.js';
import type { Instruction } from './actions/types.js';
import type { Match, OxmField } from './fields/types.js';
import type { MultipartReplyBody, MultipartRequestBody } from './messages/multipart-types.js';
import type { PortDesc } from './messages/port-types.js';

interface Base {
  xid: number;
}

// ---- symmetric / immutable messages -------------------------------------------------------------

export type HelloElement =
  | { type: 'versionbitmap'; bitmaps: number[] }
  | { type: 'unknown'; elementType: number; data: Buffer };

export interface Hello extends Base {
  type: 'hello';
  /** Header version: the highest version the sender supports. */
  version: number;
  elements: HelloElement[];
}

export interface ErrorMsg extends Base {
  type: 'error';
  /** Header version (errors answering a failed HELLO may carry another version). */
  version?: number;
  errType: number;
  code: number;
  /** Present when errType is OFPET_EXPERIMENTER (0xffff); `code` is then the exp_code. */
  experimenter?: number;
  data: Buffer;
}

export interface EchoRequest extends Base {
  type: 'echo_request';
  data: Buffer;
}

export interface EchoReply extends Base {
  type: 'echo_reply';
  data: Buffer;
}

/** An experimenter message ofwire does not model (kept whole). */
export interface Experimenter extends Base {
  type: 'experimenter';
  experimenter: number;
  expType: number;
  data: Buffer;
}

// ---- switch configuration -----------------------------------------------------------------------

export interface FeaturesRequest extends Base {
  type: 'features_request';
}

export interface FeaturesReply extends Base {
  type: 'features_reply';
  datapathId: bigint;
  nBuffers: number;
  nTables: number;
  auxiliaryId: number;
  capabilities: number;
  reserved: number;
}

export interface GetConfigRequest extends Base {
  type: 'get_config_request';
}

export interface GetConfigReply extends Base {
  type: 'get_config_reply';
  flags: number;
  missSendLen: number;
}

export interface SetConfig extends Base {
  type: 'set_config';
  flags: number;
  missSendLen: number;
}

// ---- asynchronous messages ----------------------------------------------------------------------

export interface PacketIn extends Base {
  type: 'packet_in';
  bufferId: number;
  totalLen: number;
  reason: number;
  tableId: number;
  cookie: bigint;
  match: Match;
  data: Buffer;
}

export interface FlowRemoved extends Base {
  type: 'flow_removed';
  cookie: bigint;
  priority: number;
  reason: number;
  tableId: number;
  durationSec: number;
  durationNsec: number;
  idleTimeout: number;
  hardTimeout: number;
  packetCount: bigint;
  byteCount: bigint;
  match: Match;
}

export interface PortStatus extends Base {
  type: 'port_status';
  reason: number;
  desc: PortDesc;
}

// ---- controller command messages ----------------------------------------------------------------

export interface PacketOut extends Base {
  type: 'packet_out';
  bufferId: number;
  inPort: number;
  actions: Action[];
  data: Buffer;
}

export interface FlowMod extends Base {
  type: 'flow_mod';
  cookie: bigint;
  cookieMask: bigint;
  tableId: number;
  /** OFPFC_ADD 0, MODIFY 1, MODIFY_STRICT 2, DELETE 3, DELETE_STRICT 4. */
  command: number;
  idleTimeout: number;
  hardTimeout: number;
  priority: number;
  bufferId: number;
  outPort: number;
  outGroup: number;
  flags: number;
  match: Match;
  instructions: Instruction[];
}

export interface Bucket {
  weight: number;
  watchPort: number;
  watchGroup: number;
  actions: Action[];
}

export interface GroupMod extends Base {
  type: 'group_mod';
  /** OFPGC_ADD 0, MODIFY 1, DELETE 2. */
  command: number;
  /** OFPGT_ALL 0, SELECT 1, INDIRECT 2, FF 3. */
  groupType: number;
  groupId: number;
  buckets: Bucket[];
}

export interface PortMod extends Base {
  type: 'port_mod';
  portNo: number;
  hwAddr: string;
  config: number;
  mask: number;
  advertise: number;
}

export interface TableMod extends Base {
  type: 'table_mod';
  tableId: number;
  config: number;
}

export type MeterBand =
  | { type: 'drop'; rate: number; burstSize: number }
  | { type: 'dscp_remark'; rate: number; burstSize: number; precLevel: number }
  | { type: 'experimenter'; rate: number; burstSize: number; experimenter: number; data: Buffer };

export interface MeterMod extends Base {
  type: 'meter_mod';
  /** OFPMC_ADD 0, MODIFY 1, DELETE 2. */
  command: number;
  flags: number;
  meterId: number;
  bands: MeterBand[];
}

export interface MultipartRequest extends Base {
  type: 'multipart_request';
  flags: number;
  body: MultipartRequestBody;
}

export interface MultipartReply extends Base {
  type: 'multipart_reply';
  flags: number;
  body: MultipartReplyBody;
}

export interface BarrierRequest extends Base {
  type: 'barrier_request';
}

export interface BarrierReply extends Base {
  type: 'barrier_reply';
}

export interface QueueGetConfigRequest extends Base {
  type: 'queue_get_config_request';
  port: number;
}

export type QueueProperty =
  | { type: 'min_rate'; rate: number }
  | { type: 'max_rate'; rate: number }
  | { type: 'experimenter'; experimenter: number; data: Buffer }
  | { type: 'unknown'; propType: number; data: Buffer };

export interface PacketQueue {
  queueId: number;
  port: number;
  properties: QueueProperty[];
}

export interface QueueGetConfigReply extends Base {
  type: 'queue_get_config_reply';
  port: number;
  queues: PacketQueue[];
}

export interface RoleRequest extends Base {
  type: 'role_request';
  /** OFPCR_ROLE_NOCHANGE 0, EQUAL 1, MASTER 2, SLAVE 3. */
  role: number;
  generationId: bigint;
}

export interface RoleReply extends Base {
  type: 'role_reply';
  role: number;
  generationId: bigint;
}

export interface GetAsyncRequest extends Base {
  type: 'get_async_request';
}

/** Each mask pair is [master/equal, slave]. */
export interface AsyncConfig {
  packetInMask: [number, number];
  portStatusMask: [number, number];
  flowRemovedMask: [number, number];
}

export interface GetAsyncReply extends Base, AsyncConfig {
  type: 'get_async_reply';
}

export interface SetAsync extends Base, AsyncConfig {
  type: 'set_async';
}

// ---- ONF extensions for OpenFlow 1.3 (experimenter 0x4f4e4600) ------------------------------------

/** A TLV property ofwire keeps as raw bytes (type, and the body after the 4-byte TLV header). */
export interface RawProperty {
  type: number;
  data: Buffer;
}

export interface BundleControl extends Base {
  type: 'bundle_control';
  bundleId: number;
  /** OPEN_REQUEST 0, OPEN_REPLY 1, CLOSE_REQUEST 2, CLOSE_REPLY 3, COMMIT_REQUEST 4, COMMIT_REPLY 5, DISCARD_REQUEST 6, DISCARD_REPLY 7. */
  ctrlType: number;
  /** OFPBF_ATOMIC 1, OFPBF_ORDERED 2. */
  flags: number;
  properties: RawProperty[];
}

export interface BundleAdd extends Base {
  type: 'bundle_add';
  bundleId: number;
  flags: number;
  /** The inner message; its xid is normally the same as the outer xid. */
  message: OfpMessage;
  properties: RawProperty[];
}

export interface RoleStatus extends Base {
  type: 'role_status';
  role: number;
  reason: number;
  generationId: bigint;
  properties: RawProperty[];
}

/** ONFT_REQUESTFORWARD: a group or meter change made by another controller, forwarded whole. */
export interface RequestForward extends Base {
  type: 'requestforward';
  message: OfpMessage;
}

export interface FlowMonitorCancel extends Base {
  type: 'flow_monitor_cancel';
  id: number;
}

export interface FlowMonitorPaused extends Base {
  type: 'flow_monitor_paused';
}

export interface FlowMonitorResumed extends Base {
  type: 'flow_monitor_resumed';
}

// ---- Nicira extensions used with OpenFlow 1.3 (experimenter 0x00002320) ---------------------------

export interface NxCtFlushZone extends Base {
  type: 'nx_ct_flush_zone';
  zoneId: number;
}

/** One direction of a conntrack 5-tuple; absent members are wildcards. */
export interface CtTuple {
  /** IPv4 or IPv6 text (sent as an IPv6 or IPv4-mapped address). */
  src?: string;
  dst?: string;
  srcPort?: number;
  dstPort?: number;
  icmpId?: number;
  icmpType?: number;
  icmpCode?: number;
  /** NXT_CT_TUPLE_* property types in arrival order, only when not ascending (see PacketIn2Fields.order). */
  order?: number[];
}

export interface NxCtFlush extends Base {
  type: 'nx_ct_flush';
  ipProto: number;
  zoneId?: number;
  orig?: CtTuple;
  reply?: CtTuple;
  /** NXT_CT_* property types in arrival order, only when not orig, reply, zone. */
  order?: number[];
}

export interface NxSetPacketInFormat extends Base {
  type: 'nx_set_packet_in_format';
  /** NXPIF_STANDARD 0, NXPIF_NXT_PACKET_IN 1, NXPIF_NXT_PACKET_IN2 2. */
  format: number;
}

export interface PacketIn2Fields {
  packet?: Buffer;
  fullLen?: number;
  bufferId?: number;
  tableId?: number;
  cookie?: bigint;
  reason?: number;
  metadata?: OxmField[];
  userdata?: Buffer;
  /** The opaque continuation (NXPINT_CONTINUATION), kept verbatim for NXT_RESUME. */
  continuation?: Buffer;
  /**
   * NXPINT_* property types in the order they arrived, present only when that differs from the
   * order Open vSwitch writes (packet, full_len, buffer_id, table_id, cookie, reason, metadata,
   * continuation, userdata), so that re-encoding is byte-exact.
   */
  order?: number[];
  /** Properties ofwire does not know, kept whole. */
  unknown?: RawProperty[];
}

export interface NxPacketIn2 extends Base, PacketIn2Fields {
  type: 'nx_packet_in2';
}

export interface NxResume extends Base, PacketIn2Fields {
  type: 'nx_resume';
}

export interface AsyncConfigProperty {
  /** OFPACPT_* property type (PACKET_IN_SLAVE 0 … TABLE_STATUS_MASTER 9, REQUESTFORWARD …). */
  propType: number;
  mask: number;
}

export interface NxSetAsyncConfig2 extends Base {
  type: 'nx_set_async_config2';
  properties: AsyncConfigProperty[];
}

export interface NxSetControllerId extends Base {
  type: 'nx_set_controller_id';
  controllerId: number;
}

export type OfpMessage =
  | Hello
  | ErrorMsg
  | EchoRequest
  | EchoReply
  | Experimenter
  | FeaturesRequest
  | FeaturesReply
  | GetConfigRequest
  | GetConfigReply
  | SetConfig
  | PacketIn
  | FlowRemoved
  | PortStatus
  | PacketOut
  | FlowMod
  | GroupMod
  | PortMod
  | TableMod
  | MultipartRequest
  | MultipartReply
  | BarrierRequest
  | BarrierReply
  | QueueGetConfigRequest
  | QueueGetConfigReply
  | RoleRequest
  | RoleReply
  | GetAsyncRequest
  | GetAsyncReply
  | SetAsync
  | MeterMod
  | BundleControl
  | BundleAdd
  | RoleStatus
  | RequestForward
  | FlowMonitorCancel
  | FlowMonitorPaused
  | FlowMonitorResumed
  | NxCtFlushZone
  | NxCtFlush
  | NxSetPacketInFormat
  | NxPacketIn2
  | NxResume
  | NxSetAsyncConfig2
  | NxSetControllerId;

export type MessageType = OfpMessage['type'];
export type MessageOf<T extends MessageType> = Extract<OfpMessage, { type: T }>;
