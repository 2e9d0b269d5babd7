/** Bodies of OFPT_MULTIPART_REQUEST / OFPT_MULTIPART_REPLY, discriminated by `kind`. */
import type { Instruction } from '../actions/types.js';
import type { Match } from '../fields/types.js';
import type { Bucket, MeterBand, RawProperty } from '../message.js';
import type { PortDesc } from './port-types.js';

// ---- requests -----------------------------------------------------------------------------------

/** The body of a flow or aggregate statistics request: which flows. */
export interface FlowStatsRequest {
  tableId: number;
  outPort: number;
  outGroup: number;
  cookie: bigint;
  cookieMask: bigint;
  match: Match;
}

/** One ONFST_FLOW_MONITOR request entry (struct onf_flow_monitor_request). */
export interface FlowMonitorRequest {
  id: number;
  /** ONFFMF_INITIAL 1, ADD 2, DELETE 4, MODIFY 8, ACTIONS 16, OWN 32. */
  flags: number;
  outPort: number;
  tableId: number;
  match: Match;
  /** The match_len field as sent, present only when it differs from the match's length (OVS ignores it). */
  matchLen?: number;
}

/** The body of a multipart request, told apart by `kind`. */
export type MultipartRequestBody =
  | { kind: 'desc' }
  | ({ kind: 'flow' } & FlowStatsRequest)
  | ({ kind: 'aggregate' } & FlowStatsRequest)
  | { kind: 'table' }
  | { kind: 'port_stats'; portNo: number }
  | { kind: 'queue'; portNo: number; queueId: number }
  | { kind: 'group'; groupId: number }
  | { kind: 'group_desc' }
  | { kind: 'group_features' }
  | { kind: 'meter'; meterId: number }
  | { kind: 'meter_config'; meterId: number }
  | { kind: 'meter_features' }
  | { kind: 'table_features'; tables: TableFeatures[] }
  | { kind: 'port_desc' }
  | { kind: 'flow_monitor'; requests: FlowMonitorRequest[] }
  | { kind: 'experimenter'; experimenter: number; expType: number; data: Buffer };

// ---- replies ------------------------------------------------------------------------------------

/** OFPMP_DESC: the switch's manufacturer, hardware, software, serial number and datapath descriptions. */
export interface DescStats {
  mfrDesc: string;
  hwDesc: string;
  swDesc: string;
  serialNum: string;
  dpDesc: string;
}

/** One flow of a flow statistics reply. */
export interface FlowStats {
  tableId: number;
  durationSec: number;
  durationNsec: number;
  priority: number;
  idleTimeout: number;
  hardTimeout: number;
  flags: number;
  cookie: bigint;
  packetCount: bigint;
  byteCount: bigint;
  match: Match;
  instructions: Instruction[];
}

/** OFPMP_AGGREGATE: packet, byte and flow counts of the matching flows. */
export interface AggregateStats {
  packetCount: bigint;
  byteCount: bigint;
  flowCount: number;
}

/** One table of a table statistics reply. */
export interface TableStats {
  tableId: number;
  activeCount: number;
  lookupCount: bigint;
  matchedCount: bigint;
}

/** The twelve counters of struct ofp11_port_stats, in wire order. */
export const PORT_COUNTERS = [
  'rxPackets',
  'txPackets',
  'rxBytes',
  'txBytes',
  'rxDropped',
  'txDropped',
  'rxErrors',
  'txErrors',
  'rxFrameErr',
  'rxOverErr',
  'rxCrcErr',
  'collisions',
] as const;

/** One port of a port statistics reply. */
export interface PortStats extends Record<(typeof PORT_COUNTERS)[number], bigint> {
  portNo: number;
  durationSec: number;
  durationNsec: number;
}

/** One queue of a queue statistics reply. */
export interface QueueStats {
  portNo: number;
  queueId: number;
  txBytes: bigint;
  txPackets: bigint;
  txErrors: bigint;
  durationSec: number;
  durationNsec: number;
}

/** The packet and byte counts of one group bucket. */
export interface BucketCounter {
  packetCount: bigint;
  byteCount: bigint;
}

/** One group of a group statistics reply. */
export interface GroupStats {
  groupId: number;
  refCount: number;
  packetCount: bigint;
  byteCount: bigint;
  durationSec: number;
  durationNsec: number;
  buckets: BucketCounter[];
}

/** One group of a group description reply. */
export interface GroupDesc {
  groupType: number;
  groupId: number;
  buckets: Bucket[];
}

/** OFPMP_GROUP_FEATURES: the group types, capabilities and limits of the switch. */
export interface GroupFeatures {
  types: number;
  capabilities: number;
  /** Indexed by group type (ALL, SELECT, INDIRECT, FF). */
  maxGroups: [number, number, number, number];
  actions: [number, number, number, number];
}

/** The packet and byte counts of one meter band. */
export interface MeterBandStats {
  packetBandCount: bigint;
  byteBandCount: bigint;
}

/** One meter of a meter statistics reply. */
export interface MeterStats {
  meterId: number;
  flowCount: number;
  packetInCount: bigint;
  byteInCount: bigint;
  durationSec: number;
  durationNsec: number;
  bands: MeterBandStats[];
}

/** One meter of a meter configuration reply. */
export interface MeterConfig {
  flags: number;
  meterId: number;
  bands: MeterBand[];
}

/** OFPMP_METER_FEATURES: the meter limits and band types of the switch. */
export interface MeterFeatures {
  maxMeter: number;
  bandTypes: number;
  capabilities: number;
  maxBands: number;
  maxColor: number;
}

/** One table-features property (struct ofp_table_feature_prop_*). */
export type TableFeatureProperty =
  | { type: 'instructions' | 'instructions_miss'; instructions: InstructionId[] }
  | { type: 'next_tables' | 'next_tables_miss'; tables: number[] }
  | {
      type: 'write_actions' | 'write_actions_miss' | 'apply_actions' | 'apply_actions_miss';
      actions: ActionId[];
    }
  | {
      type: 'match' | 'wildcards' | 'write_setfield' | 'write_setfield_miss' | 'apply_setfield' | 'apply_setfield_miss';
      /** OXM headers (u32 each; experimenter OXMs are 8 bytes: header then experimenter id). */
      oxms: OxmId[];
    }
  | { type: 'experimenter' | 'experimenter_miss'; experimenter: number; expType: number; data: Buffer }
  | { type: 'unknown'; propType: number; data: Buffer };

/**
 * An instruction or action id in a table-features property: the TLV header's type, the experimenter
 * id when the type is OFPIT_EXPERIMENTER/OFPAT_EXPERIMENTER (0xffff) and the TLV is long enough,
 * and any further bytes the TLV carries (kept for exact re-encoding).
 */
export interface FeatureId {
  type: number;
  experimenter?: number;
  data?: Buffer;
}

/** An instruction type in a table-features property. */
export type InstructionId = FeatureId;
/** An action type in a table-features property. */
export type ActionId = FeatureId;

/** An OXM header as sent (hasmask and length bits included), with the experimenter id of class 0xffff. */
export interface OxmId {
  header: number;
  experimenter?: number;
}

/** One table of a table-features reply. */
export interface TableFeatures {
  tableId: number;
  name: string;
  metadataMatch: bigint;
  metadataWrite: bigint;
  config: number;
  maxEntries: number;
  properties: TableFeatureProperty[];
}

/** One ONFST_FLOW_MONITOR reply entry (struct onf_flow_update_full / _abbrev). */
export type FlowUpdate =
  | {
      /** ONFFME_ADDED 0, DELETED 1, MODIFIED 2. */
      event: 'added' | 'deleted' | 'modified';
      /** OFPRR_* for `deleted`, else 0. */
      reason: number;
      priority: number;
      idleTimeout: number;
      hardTimeout: number;
      tableId: number;
      cookie: bigint;
      match: Match;
      /** The match_len field as sent, present only when it differs from the match's length. */
      matchLen?: number;
      /** Empty unless the monitor asked for actions (ONFFMF_ACTIONS). */
      instructions: Instruction[];
    }
  | { event: 'abbrev'; xid: number };

/** The body of a multipart reply, told apart by `kind`. */
export type MultipartReplyBody =
  | ({ kind: 'desc' } & DescStats)
  | { kind: 'flow'; flows: FlowStats[] }
  | ({ kind: 'aggregate' } & AggregateStats)
  | { kind: 'table'; tables: TableStats[] }
  | { kind: 'port_stats'; ports: PortStats[] }
  | { kind: 'queue'; queues: QueueStats[] }
  | { kind: 'group'; groups: GroupStats[] }
  | { kind: 'group_desc'; groups: GroupDesc[] }
  | ({ kind: 'group_features' } & GroupFeatures)
  | { kind: 'meter'; meters: MeterStats[] }
  | { kind: 'meter_config'; meters: MeterConfig[] }
  | ({ kind: 'meter_features' } & MeterFeatures)
  | { kind: 'table_features'; tables: TableFeatures[] }
  | { kind: 'port_desc'; ports: PortDesc[] }
  | { kind: 'flow_monitor'; updates: FlowUpdate[] }
  | { kind: 'experimenter'; experimenter: number; expType: number; data: Buffer };

export type { RawProperty };
