/**
 * Actions and instructions, one variant per wire encoding (OpenFlow 1.3 standard actions, and
 * Nicira NXAST_* actions). Text-level conveniences (e.g. `load:` becoming set_field or reg_load)
 * live in protocol/text; here every variant maps to exactly one wire form.
 */
import type { FieldValue, OxmField } from '../fields/types.js';

/** A reference to bits [ofs, ofs+nBits) of a field, as NXM subfields are written (`NXM_NX_REG0[0..15]`). */
export interface SubField {
  field: string;
  ofs: number;
  nBits: number;
  /** Raw NXM/OXM header when not the one OVS would write for this field in OpenFlow 1.3. */
  header?: number;
  experimenter?: number;
}

// ---- OpenFlow 1.3 standard actions --------------------------------------------------------------

export type StandardAction =
  | { type: 'output'; port: number; maxLen: number }
  | { type: 'copy_ttl_out' }
  | { type: 'copy_ttl_in' }
  | { type: 'set_mpls_ttl'; ttl: number }
  | { type: 'dec_mpls_ttl' }
  | { type: 'push_vlan'; ethertype: number }
  | { type: 'pop_vlan' }
  | { type: 'push_mpls'; ethertype: number }
  | { type: 'pop_mpls'; ethertype: number }
  | { type: 'set_queue'; queueId: number }
  | { type: 'group'; groupId: number }
  | { type: 'set_nw_ttl'; ttl: number }
  | { type: 'dec_nw_ttl' }
  | ({ type: 'set_field' } & SetFieldBody)
  | { type: 'push_pbb'; ethertype: number }
  | { type: 'pop_pbb' };

export interface SetFieldBody {
  field: string;
  value: FieldValue;
  /** OpenFlow 1.3 set_field carries no mask; OVS accepts a masked OXM here and so does ofwire. */
  mask?: FieldValue;
  header?: number;
  experimenter?: number;
}

// ---- Nicira extension actions (experimenter 0x00002320) -----------------------------------------

export interface CtAction {
  type: 'ct';
  /** NX_CT_F_COMMIT 1, NX_CT_F_FORCE 2. */
  flags: number;
  /** Zone from a field (`zone=NXM_NX_REG0[0..15]`); when absent, `zone` is the immediate zone. */
  zoneSrc?: SubField;
  zone: number;
  /** Recirculation table; 255 (NX_CT_RECIRC_NONE) when absent. */
  recircTable: number;
  alg: number;
  /** Nested actions (nat, set_field/reg_load of ct_mark/ct_label). */
  actions: Action[];
}

export interface NatAction {
  type: 'nat';
  /** NX_NAT_F_SRC 1, DST 2, PERSISTENT 4, PROTO_HASH 8, PROTO_RANDOM 16. */
  flags: number;
  ipMin?: string;
  ipMax?: string;
  portMin?: number;
  portMax?: number;
}

export type LearnSpec =
  | { kind: 'match_field'; src: SubField; dst: SubField }
  | { kind: 'match_immediate'; value: Buffer; dst: SubField }
  | { kind: 'load_field'; src: SubField; dst: SubField }
  | { kind: 'load_immediate'; value: Buffer; dst: SubField }
  | { kind: 'output'; src: SubField };

export interface LearnAction {
  type: 'learn';
  idleTimeout: number;
  hardTimeout: number;
  priority: number;
  cookie: bigint;
  /** NX_LEARN_F_SEND_FLOW_REM 1, DELETE_LEARNED 2, WRITE_RESULT 4. */
  flags: number;
  tableId: number;
  finIdleTimeout: number;
  finHardTimeout: number;
  specs: LearnSpec[];
  /** NXAST_LEARN2 only: where to write the result (flags & WRITE_RESULT) and the limit. */
  limit?: number;
  resultDst?: SubField;
}

export type NiciraAction =
  | { type: 'resubmit'; inPort: number }
  | { type: 'resubmit_table'; inPort: number; tableId: number }
  | { type: 'resubmit_table_ct'; inPort: number; tableId: number }
  | { type: 'set_tunnel'; tunId: number }
  | { type: 'set_tunnel64'; tunId: bigint }
  | { type: 'nx_set_queue'; queueId: number }
  | { type: 'pop_queue' }
  | { type: 'reg_move'; src: SubField; dst: SubField }
  | { type: 'reg_load'; dst: SubField; value: bigint }
  | ({ type: 'reg_load2' } & SetFieldBody)
  | { type: 'note'; note: Buffer }
  | {
      type: 'multipath';
      fields: number;
      basis: number;
      algorithm: number;
      maxLink: number;
      arg: number;
      dst: SubField;
    }
  | {
      type: 'bundle' | 'bundle_load';
      algorithm: number;
      fields: number;
      basis: number;
      slaveType: number;
      members: number[];
      dst?: SubField;
    }
  | { type: 'output_reg'; src: SubField; maxLen: number }
  | { type: 'output_reg2'; src: SubField; maxLen: number }
  | LearnAction
  | { type: 'exit' }
  | { type: 'nx_dec_ttl' }
  | { type: 'dec_ttl_cnt_ids'; controllerIds: number[] }
  | { type: 'fin_timeout'; finIdleTimeout: number; finHardTimeout: number }
  | { type: 'controller'; maxLen: number; controllerId: number; reason: number }
  | {
      type: 'controller2';
      maxLen?: number;
      controllerId?: number;
      reason?: number;
      userdata?: Buffer;
      pause?: boolean;
      meterId?: number;
      /** Property order as received, for exact re-encoding. */
      order?: number[];
    }
  | { type: 'write_metadata'; metadata: bigint; mask: bigint }
  | { type: 'nx_push_mpls'; ethertype: number }
  | { type: 'nx_pop_mpls'; ethertype: number }
  | { type: 'nx_set_mpls_label'; label: number }
  | { type: 'nx_set_mpls_tc'; tc: number }
  | { type: 'nx_set_mpls_ttl'; ttl: number }
  | { type: 'nx_dec_mpls_ttl' }
  | { type: 'stack_push' | 'stack_pop'; field: SubField }
  | {
      type: 'sample';
      probability: number;
      collectorSetId: number;
      obsDomainId: number;
      obsPointId: number;
    }
  | {
      type: 'sample2' | 'sample3';
      probability: number;
      collectorSetId: number;
      obsDomainId: number;
      obsPointId: number;
      samplingPort: number;
      direction?: number;
    }
  | { type: 'conjunction'; clause: number; nClauses: number; id: number }
  | CtAction
  | NatAction
  | { type: 'ct_clear' }
  | { type: 'output_trunc'; port: number; maxLen: number }
  | { type: 'clone'; actions: Action[] }
  | {
      type: 'check_pkt_larger';
      pktLen: number;
      dst: SubField;
    }
  | { type: 'debug_recirc' }
  | { type: 'debug_slow' }
  | { type: 'dec_nsh_ttl' }
  | { type: 'delete_field'; field: string; header?: number; experimenter?: number };

/** An action ofwire does not model: kept verbatim (its bytes after the 4-byte type/len header). */
export interface UnknownAction {
  type: 'unknown';
  actionType: number;
  /** For experimenter actions: the experimenter id and (Nicira) subtype are inside `data`. */
  data: Buffer;
}

export type Action = StandardAction | NiciraAction | UnknownAction;

export type Instruction =
  | { type: 'goto_table'; tableId: number }
  | { type: 'write_metadata'; metadata: bigint; metadataMask: bigint }
  | { type: 'write_actions'; actions: Action[] }
  | { type: 'apply_actions'; actions: Action[] }
  | { type: 'clear_actions' }
  | { type: 'meter'; meterId: number }
  | { type: 'experimenter'; experimenter: number; data: Buffer };

export type { OxmField };
