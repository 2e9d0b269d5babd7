/**
 * Actions and instructions, one variant per wire encoding: OpenFlow 1.3 standard actions (plus the
 * OpenFlow 1.1 "set" actions that Open vSwitch still accepts in 1.3), the ONF copy-field action, and
 * the Nicira NXAST_* actions Open vSwitch 3.1 accepts in OpenFlow 1.3. Where OVS has two encodings
 * of the same thing (reg_load, reg_load2 and set_field; learn and learn2; controller and
 * controller2; resubmit and resubmit_table), each is its own variant, so a decoded action re-encodes
 * to the bytes it came from. Text-level conveniences (`load:` choosing set_field or reg_load) live in
 * protocol/text.
 */
import type { FieldValue } from '../fields/types.js';

/**
 * A field named in an action by its bare header (no value). `header` is the raw 32-bit header as it
 * appears on the wire (class, field, hasmask and length bits), present only when it differs from
 * the one Open vSwitch writes for that field in that place: in Nicira actions the NXM header when
 * the field has one (`NXM_OF_ETH_SRC`), in set_field and copy_field the OpenFlow 1.3 OXM header.
 * A header with its low 9 bits clear (FieldEncoding.header) just picks that encoding when
 * encoding. For a field ofwire does not know, `field` is `unknown` and `header` is required.
 */
export interface FieldRef {
  field: string;
  header?: number;
  /** Experimenter id following an experimenter-class (0xffff) header. */
  experimenter?: number;
}

/** Bits [ofs, ofs + nBits) of a field, as NXM subfields are written (`NXM_NX_REG0[0..15]`). */
export interface SubField extends FieldRef {
  ofs: number;
  nBits: number;
}

/** A field and value (and for reg_load2 an optional mask) as an OXM/NXM TLV carries them. */
export interface FieldAssignment {
  field: string;
  value: FieldValue;
  /** See FieldRef.header; here with the hasmask and length bits cleared, as in OxmField. */
  header?: number;
  experimenter?: number;
}

// ---- OpenFlow standard actions (OFPAT_*) ----------------------------------------------------------

/** An action of OpenFlow 1.3 itself (OFPAT_*). */
export type StandardAction =
  | { type: 'output'; port: number; maxLen: number }
  /** OpenFlow 1.1 set actions (types 1-10, 13, 14): deprecated in 1.3 but accepted by Open vSwitch. */
  | { type: 'set_vlan_vid'; vlanVid: number }
  | { type: 'set_vlan_pcp'; vlanPcp: number }
  | { type: 'set_dl_src'; mac: string }
  | { type: 'set_dl_dst'; mac: string }
  | { type: 'set_nw_src'; ip: string }
  | { type: 'set_nw_dst'; ip: string }
  | { type: 'set_nw_tos'; tos: number }
  | { type: 'set_nw_ecn'; ecn: number }
  | { type: 'set_tp_src'; port: number }
  | { type: 'set_tp_dst'; port: number }
  | { type: 'copy_ttl_out' }
  | { type: 'copy_ttl_in' }
  | { type: 'set_mpls_label'; label: number }
  | { type: 'set_mpls_tc'; tc: number }
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
  /** OpenFlow 1.3 set_field: one unmasked OXM (a masked one is rejected, as the spec and OVS do). */
  | ({ type: 'set_field' } & FieldAssignment)
  | { type: 'push_pbb'; ethertype: number }
  | { type: 'pop_pbb' };

// ---- ONF extension actions (experimenter 0x4f4e4600) ----------------------------------------------

/** ONFACT_COPY_FIELD (3200): OpenFlow 1.5's copy_field for 1.3; `src.nBits` must equal `dst.nBits`. */
export type OnfAction = { type: 'copy_field'; src: SubField; dst: SubField };

// ---- Nicira extension actions (experimenter 0x00002320) -------------------------------------------

/** Nicira's `ct` action: sends the packet through conntrack. */
export interface CtAction {
  type: 'ct';
  /** NX_CT_F_COMMIT 1, NX_CT_F_FORCE 2. */
  flags: number;
  /** Zone from a field (`zone=NXM_NX_REG0[0..15]`); when present, `zone` is ignored (0 when decoded). */
  zoneSrc?: SubField;
  /** Immediate zone. */
  zone: number;
  /** Recirculation table; 255 (NX_CT_RECIRC_NONE) for none. */
  recircTable: number;
  /** ALG port: 0 none, 21 FTP, 69 TFTP. */
  alg: number;
  /** Nested actions (nat, and set_field/reg_load of ct_mark/ct_label). */
  actions: Action[];
}

/** Nicira's `nat` action, inside `ct`: source or destination address translation. */
export interface NatAction {
  type: 'nat';
  /** NX_NAT_F_SRC 1, DST 2, PERSISTENT 4, PROTO_HASH 8, PROTO_RANDOM 16. */
  flags: number;
  /** IPv4 or IPv6 text; both bounds of one family. */
  ipMin?: string;
  ipMax?: string;
  portMin?: number;
  portMax?: number;
}

/**
 * One flow_mod_spec of a learn action. Source and destination cover the same number of bits
 * (`dst.nBits`, and `src.nBits` must match). An immediate `value` is right-aligned in
 * 2 × ceil(nBits / 16) bytes, the width it has on the wire (decoded values have exactly that
 * width; shorter ones are zero-extended when encoded).
 */
export type LearnSpec =
  | { kind: 'match_field'; src: SubField; dst: SubField }
  | { kind: 'match_immediate'; value: Buffer; dst: SubField }
  | { kind: 'load_field'; src: SubField; dst: SubField }
  | { kind: 'load_immediate'; value: Buffer; dst: SubField }
  | { kind: 'output'; src: SubField };

/** What Nicira's `learn` action adds: the new flow's fields and its specs. */
export interface LearnBody {
  idleTimeout: number;
  hardTimeout: number;
  priority: number;
  cookie: bigint;
  /** NX_LEARN_F_SEND_FLOW_REM 1, DELETE_LEARNED 2, WRITE_RESULT 4 (learn2 only). */
  flags: number;
  tableId: number;
  finIdleTimeout: number;
  finHardTimeout: number;
  specs: LearnSpec[];
}

/** NXAST_LEARN. */
export interface LearnAction extends LearnBody {
  type: 'learn';
}

/** NXAST_LEARN2: learn plus a limit and, with NX_LEARN_F_WRITE_RESULT, a 1-bit result destination. */
export interface Learn2Action extends LearnBody {
  type: 'learn2';
  limit: number;
  /** Present exactly when flags has NX_LEARN_F_WRITE_RESULT; nBits is 1. */
  resultDst?: SubField;
}

/** NXAST_CONTROLLER2 property names, in the order Open vSwitch writes them. */
export type Controller2PropertyName = 'max_len' | 'controller_id' | 'reason' | 'userdata' | 'pause' | 'meter_id';

/** NXAST_CONTROLLER2: each optional member present means its property is on the wire. */
export interface Controller2Action {
  type: 'controller2';
  maxLen?: number;
  controllerId?: number;
  /** OFPR_* packet-in reason. */
  reason?: number;
  userdata?: Buffer;
  pause?: boolean;
  meterId?: number;
  /** Property order when it is not the order above (as received). */
  propertyOrder?: Controller2PropertyName[];
}

/** Encap/decap (ofp_ed_prop) properties; `unknown` keeps any other property verbatim. */
export type EncapProperty =
  | { type: 'nsh_md_type'; mdType: number }
  | { type: 'nsh_tlv'; tlvClass: number; tlvType: number; value: Buffer }
  | { type: 'unknown'; propClass: number; propType: number; data: Buffer };

/**
 * What Nicira's `sample` actions carry: the sampling probability and the IPFIX collector set,
 * observation domain and point ids.
 */
export interface SampleBody {
  probability: number;
  collectorSetId: number;
  obsDomainId: number;
  obsPointId: number;
}

/** A Nicira extension action (NXAST_*). */
export type NiciraAction =
  | { type: 'resubmit'; inPort: number }
  | { type: 'resubmit_table'; inPort: number; tableId: number }
  /** resubmit(port,table,ct): resubmit with the original direction's conntrack tuple. */
  | { type: 'resubmit_table_ct'; inPort: number; tableId: number }
  | { type: 'set_tunnel'; tunId: number }
  | { type: 'set_tunnel64'; tunId: bigint }
  | { type: 'pop_queue' }
  /** NXAST_REG_MOVE; `src.nBits` must equal `dst.nBits`. */
  | { type: 'reg_move'; src: SubField; dst: SubField }
  /** NXAST_REG_LOAD: at most 64 bits, 32-bit (non-experimenter) header. */
  | { type: 'reg_load'; dst: SubField; value: bigint }
  /** NXAST_REG_LOAD2: a whole OXM/NXM entry, optionally masked. */
  | ({ type: 'reg_load2'; mask?: FieldValue } & FieldAssignment)
  /** NXAST_NOTE: every byte after the subtype, trailing zero padding included. */
  | { type: 'note'; note: Buffer }
  | {
      type: 'multipath';
      /** NX_HASH_FIELDS_*. */
      fields: number;
      basis: number;
      /** NX_MP_ALG_*. */
      algorithm: number;
      maxLink: number;
      arg: number;
      dst: SubField;
    }
  | {
      type: 'bundle';
      /** NX_BD_ALG_*. */
      algorithm: number;
      fields: number;
      basis: number;
      /** Header of the member field: NXM_OF_IN_PORT (0x00000002). */
      memberType: number;
      members: number[];
    }
  | {
      type: 'bundle_load';
      algorithm: number;
      fields: number;
      basis: number;
      memberType: number;
      members: number[];
      dst: SubField;
    }
  | { type: 'output_reg'; src: SubField; maxLen: number }
  | { type: 'output_reg2'; src: SubField; maxLen: number }
  | LearnAction
  | Learn2Action
  | { type: 'exit' }
  | { type: 'dec_ttl_cnt_ids'; controllerIds: number[] }
  | { type: 'fin_timeout'; finIdleTimeout: number; finHardTimeout: number }
  | { type: 'controller'; maxLen: number; controllerId: number; reason: number }
  | Controller2Action
  /** NXAST_WRITE_METADATA (OVS also turns it into the write_metadata instruction). */
  | { type: 'write_metadata'; metadata: bigint; mask: bigint }
  | { type: 'stack_push'; field: SubField }
  | { type: 'stack_pop'; field: SubField }
  | ({ type: 'sample' } & SampleBody)
  | ({ type: 'sample2'; samplingPort: number } & SampleBody)
  /** NXAST_SAMPLE3: sample2 plus direction (NX_ACTION_SAMPLE_DEFAULT 0, INGRESS 1, EGRESS 2). */
  | ({ type: 'sample3'; samplingPort: number; direction: number } & SampleBody)
  /** conjunction(id, k/n) is clause k-1 of nClauses n on the wire. */
  | { type: 'conjunction'; id: number; clause: number; nClauses: number }
  | CtAction
  | NatAction
  | { type: 'ct_clear' }
  | { type: 'output_trunc'; port: number; maxLen: number }
  | { type: 'clone'; actions: Action[] }
  /** `packetType` is (namespace << 16) | type, e.g. 0x1894f for NSH; `hdrSize` 0 means unspecified. */
  | { type: 'encap'; hdrSize: number; packetType: number; properties: EncapProperty[] }
  | { type: 'decap'; packetType: number }
  | { type: 'dec_nsh_ttl' }
  /** Writes 1 to the 1-bit `dst` (nBits 1) when the packet is longer than pktLen. */
  | { type: 'check_pkt_larger'; pktLen: number; dst: SubField }
  | ({ type: 'delete_field' } & FieldRef)
  | { type: 'debug_recirc' }
  | { type: 'debug_slow' };

/**
 * An action ofwire does not model (another experimenter, an unknown Nicira subtype, a standard
 * type OpenFlow 1.3 does not define): kept verbatim, its bytes after the 4-byte type/length header
 * (for experimenter actions the experimenter id and subtype are the start of `data`).
 */
export interface UnknownAction {
  type: 'unknown';
  actionType: number;
  data: Buffer;
}

/** Any action the codec encodes and decodes, told apart by `type`. */
export type Action = StandardAction | OnfAction | NiciraAction | UnknownAction;
/** The `type` of an action. */
export type ActionType = Action['type'];
/** The Action variant with the given `type`. */
export type ActionOf<T extends ActionType> = Extract<Action, { type: T }>;

/** A flow instruction (OFPIT_*), told apart by `type`. */
export type Instruction =
  | { type: 'goto_table'; tableId: number }
  | { type: 'write_metadata'; metadata: bigint; metadataMask: bigint }
  | { type: 'write_actions'; actions: Action[] }
  | { type: 'apply_actions'; actions: Action[] }
  | { type: 'clear_actions' }
  | { type: 'meter'; meterId: number }
  /** OFPIT_EXPERIMENTER: the experimenter id and the bytes after it, verbatim. */
  | { type: 'experimenter'; experimenter: number; data: Buffer };

/** The `type` of an instruction. */
export type InstructionType = Instruction['type'];
