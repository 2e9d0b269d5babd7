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

/** An element of a HELLO message. */
export type HelloElement = { type: 'versionbitmap'; bitmaps: number[] } | { type: 'unknown'; elementType: number; data: Buffer };

/** OFPT_HELLO: version negotiation, the first message each side sends. */
export interface Hello extends Base {
  type: 'hello';
  /** Header version: the highest version the sender supports. */
  version: number;
  elements: HelloElement[];
}

/** OFPT_ERROR: a request refused, with the start of the offending message. */
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

/** OFPT_ECHO_REQUEST: a keep-alive, answered with the same data. */
export interface EchoRequest extends Base {
  type: 'echo_request';
  data: Buffer;
}

/** OFPT_ECHO_REPLY: the answer to an echo request. */
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

/** OFPT_FEATURES_REQUEST: asks for the switch's datapath id and capabilities. */
export interface FeaturesRequest extends Base {
  type: 'features_request';
}

/** OFPT_FEATURES_REPLY: the switch's datapath id, buffers, tables and capabilities. */
export interface FeaturesReply extends Base {
  type: 'features_reply';
  datapathId: bigint;
  nBuffers: number;
  nTables: number;
  auxiliaryId: number;
  capabilities: number;
  reserved: number;
}

/** OFPT_GET_CONFIG_REQUEST: asks for the switch's configuration. */
export interface GetConfigRequest extends Base {
  type: 'get_config_request';
}

/** OFPT_GET_CONFIG_REPLY: the switch's fragment handling and miss_send_len. */
export interface GetConfigReply extends Base {
  type: 'get_config_reply';
  flags: number;
  missSendLen: number;
}

/** OFPT_SET_CONFIG: sets the switch's fragment handling and miss_send_len. */
export interface SetConfig extends Base {
  type: 'set_config';
  flags: number;
  missSendLen: number;
}

// ---- asynchronous messages ----------------------------------------------------------------------

/** OFPT_PACKET_IN: a packet the switch sends to the controller. */
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

/** OFPT_FLOW_REMOVED: a flow expired or was deleted, with its counters. */
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

/** OFPT_PORT_STATUS: a port was added, removed or changed. */
export interface PortStatus extends Base {
  type: 'port_status';
  reason: number;
  desc: PortDesc;
}

// ---- controller command messages ----------------------------------------------------------------

/** OFPT_PACKET_OUT: a packet for the switch to send through a list of actions. */
export interface PacketOut extends Base {
  type: 'packet_out';
  bufferId: number;
  inPort: number;
  actions: Action[];
  data: Buffer;
}

/** OFPT_FLOW_MOD: adds, changes or deletes flows. */
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

/** One bucket of a group: its weight, watch port and group, and actions. */
export interface Bucket {
  weight: number;
  watchPort: number;
  watchGroup: number;
  actions: Action[];
}

/** OFPT_GROUP_MOD: adds, changes or deletes a group. */
export interface GroupMod extends Base {
  type: 'group_mod';
  /** OFPGC_ADD 0, MODIFY 1, DELETE 2. */
  command: number;
  /** OFPGT_ALL 0, SELECT 1, INDIRECT 2, FF 3. */
  groupType: number;
  groupId: number;
  buckets: Bucket[];
}

/** OFPT_PORT_MOD: changes a port's configuration. */
export interface PortMod extends Base {
  type: 'port_mod';
  portNo: number;
  hwAddr: string;
  config: number;
  mask: number;
  advertise: number;
}

/** OFPT_TABLE_MOD: changes a table's configuration. */
export interface TableMod extends Base {
  type: 'table_mod';
  tableId: number;
  config: number;
}

/** One band of a meter. */
export type MeterBand =
  | { type: 'drop'; rate: number; burstSize: number }
  | { type: 'dscp_remark'; rate: number; burstSize: number; precLevel: number }
  | { type: 'experimenter'; rate: number; burstSize: number; experimenter: number; data: Buffer };

/** OFPT_METER_MOD: adds, changes or deletes a meter. */
export interface MeterMod extends Base {
  type: 'meter_mod';
  /** OFPMC_ADD 0, MODIFY 1, DELETE 2. */
  command: number;
  flags: number;
  meterId: number;
  bands: MeterBand[];
}

/** OFPT_MULTIPART_REQUEST: a statistics or description request. */
export interface MultipartRequest extends Base {
  type: 'multipart_request';
  flags: number;
  body: MultipartRequestBody;
}

/** OFPT_MULTIPART_REPLY: one part of the answer to a multipart request. */
export interface MultipartReply extends Base {
  type: 'multipart_reply';
  flags: number;
  body: MultipartReplyBody;
}

/** OFPT_BARRIER_REQUEST: answered once every earlier message has been processed. */
export interface BarrierRequest extends Base {
  type: 'barrier_request';
}

/** OFPT_BARRIER_REPLY: every message before the barrier request has been processed. */
export interface BarrierReply extends Base {
  type: 'barrier_reply';
}

/** OFPT_QUEUE_GET_CONFIG_REQUEST: asks for a port's queues. */
export interface QueueGetConfigRequest extends Base {
  type: 'queue_get_config_request';
  port: number;
}

/** One property of a queue. */
export type QueueProperty =
  | { type: 'min_rate'; rate: number }
  | { type: 'max_rate'; rate: number }
  | { type: 'experimenter'; experimenter: number; data: Buffer }
  | { type: 'unknown'; propType: number; data: Buffer };

/** One queue of a port, with its properties. */
export interface PacketQueue {
  queueId: number;
  port: number;
  properties: QueueProperty[];
}

/** OFPT_QUEUE_GET_CONFIG_REPLY: a port's queues. */
export interface QueueGetConfigReply extends Base {
  type: 'queue_get_config_reply';
  port: number;
  queues: PacketQueue[];
}

/** OFPT_ROLE_REQUEST: sets or reads the controller's role. */
export interface RoleRequest extends Base {
  type: 'role_request';
  /** OFPCR_ROLE_NOCHANGE 0, EQUAL 1, MASTER 2, SLAVE 3. */
  role: number;
  generationId: bigint;
}

/** OFPT_ROLE_REPLY: the controller's role and generation id. */
export interface RoleReply extends Base {
  type: 'role_reply';
  role: number;
  generationId: bigint;
}

/** OFPT_GET_ASYNC_REQUEST: asks which asynchronous messages the switch sends. */
export interface GetAsyncRequest extends Base {
  type: 'get_async_request';
}

/** Each mask pair is [primary/equal, secondary]. */
export interface AsyncConfig {
  packetInMask: [number, number];
  portStatusMask: [number, number];
  flowRemovedMask: [number, number];
}

/** OFPT_GET_ASYNC_REPLY: which asynchronous messages the switch sends, by role. */
export interface GetAsyncReply extends Base, AsyncConfig {
  type: 'get_async_reply';
}

/** OFPT_SET_ASYNC: chooses which asynchronous messages the switch sends, by role. */
export interface SetAsync extends Base, AsyncConfig {
  type: 'set_async';
}

// ---- ONF extensions for OpenFlow 1.3 (experimenter 0x4f4e4600) ------------------------------------

/** A TLV property ofwire keeps as raw bytes (type, and the body after the 4-byte TLV header). */
export interface RawProperty {
  type: number;
  data: Buffer;
}

/** ONFT_BUNDLE_CONTROL: opens, closes, commits or discards a bundle, and the switch's answers. */
export interface BundleControl extends Base {
  type: 'bundle_control';
  bundleId: number;
  /** OPEN_REQUEST 0, OPEN_REPLY 1, CLOSE_REQUEST 2, CLOSE_REPLY 3, COMMIT_REQUEST 4, COMMIT_REPLY 5, DISCARD_REQUEST 6, DISCARD_REPLY 7. */
  ctrlType: number;
  /** OFPBF_ATOMIC 1, OFPBF_ORDERED 2. */
  flags: number;
  properties: RawProperty[];
}

/** ONFT_BUNDLE_ADD_MESSAGE: a message added to an open bundle. */
export interface BundleAdd extends Base {
  type: 'bundle_add';
  bundleId: number;
  flags: number;
  /** The inner message; its xid is normally the same as the outer xid. */
  message: OfpMessage;
  properties: RawProperty[];
}

/** ONFT_ROLE_STATUS: the controller's role changed. */
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

/** ONFT_FLOW_MONITOR_CANCEL: stops a flow monitor. */
export interface FlowMonitorCancel extends Base {
  type: 'flow_monitor_cancel';
  id: number;
}

/** ONFT_FLOW_MONITOR_PAUSED: the switch stopped sending flow updates (its buffer is full). */
export interface FlowMonitorPaused extends Base {
  type: 'flow_monitor_paused';
}

/** ONFT_FLOW_MONITOR_RESUMED: the switch sends flow updates again. */
export interface FlowMonitorResumed extends Base {
  type: 'flow_monitor_resumed';
}

// ---- Nicira extensions used with OpenFlow 1.3 (experimenter 0x00002320) ---------------------------

/** NXT_CT_FLUSH_ZONE: deletes every conntrack entry of a zone. */
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

/** NXT_CT_FLUSH: deletes the conntrack entries of a zone that match a tuple. */
export interface NxCtFlush extends Base {
  type: 'nx_ct_flush';
  ipProto: number;
  zoneId?: number;
  orig?: CtTuple;
  reply?: CtTuple;
  /** NXT_CT_* property types in arrival order, only when not orig, reply, zone. */
  order?: number[];
}

/** NXT_SET_PACKET_IN_FORMAT: chooses the packet-in message the switch sends. */
export interface NxSetPacketInFormat extends Base {
  type: 'nx_set_packet_in_format';
  /** NXPIF_STANDARD 0, NXPIF_NXT_PACKET_IN 1, NXPIF_NXT_PACKET_IN2 2. */
  format: number;
}

/** The properties of a NXT_PACKET_IN2 or NXT_RESUME. */
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

/** NXT_PACKET_IN2: a packet sent to the controller, with what it needs to resume the pipeline. */
export interface NxPacketIn2 extends Base, PacketIn2Fields {
  type: 'nx_packet_in2';
}

/** NXT_RESUME: resumes the pipeline of a packet received in a NXT_PACKET_IN2. */
export interface NxResume extends Base, PacketIn2Fields {
  type: 'nx_resume';
}

/** One property of NXT_SET_ASYNC_CONFIG2. */
export interface AsyncConfigProperty {
  /** OFPACPT_* property type (PACKET_IN_SLAVE 0 … TABLE_STATUS_MASTER 9, REQUESTFORWARD …). */
  propType: number;
  mask: number;
}

/** NXT_SET_ASYNC_CONFIG2: chooses which asynchronous messages the switch sends, as properties. */
export interface NxSetAsyncConfig2 extends Base {
  type: 'nx_set_async_config2';
  properties: AsyncConfigProperty[];
}

/** NXT_SET_CONTROLLER_ID: sets the controller id that packet-ins carry. */
export interface NxSetControllerId extends Base {
  type: 'nx_set_controller_id';
  controllerId: number;
}

/** Every message the codec encodes and decodes, told apart by `type`. */
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

/** The `type` of a message. */
export type MessageType = OfpMessage['type'];
/** The message with the given `type`. */
export type MessageOf<T extends MessageType> = Extract<OfpMessage, { type: T }>;
