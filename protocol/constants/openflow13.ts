/**
 * OpenFlow 1.3 wire constants (OFP*), named as in Ryu's ofproto_v1_3.py and Open vSwitch's
 * openflow-1.3.h. Every other module imports these instead of defining its own.
 */

export const OFP13_VERSION = 0x04;
export const OFP_HEADER_LEN = 8;

// ---- message types ----
export const OFPT_HELLO = 0;
export const OFPT_ERROR = 1;
export const OFPT_ECHO_REQUEST = 2;
export const OFPT_ECHO_REPLY = 3;
export const OFPT_EXPERIMENTER = 4;
export const OFPT_FEATURES_REQUEST = 5;
export const OFPT_FEATURES_REPLY = 6;
export const OFPT_GET_CONFIG_REQUEST = 7;
export const OFPT_GET_CONFIG_REPLY = 8;
export const OFPT_SET_CONFIG = 9;
export const OFPT_PACKET_IN = 10;
export const OFPT_FLOW_REMOVED = 11;
export const OFPT_PORT_STATUS = 12;
export const OFPT_PACKET_OUT = 13;
export const OFPT_FLOW_MOD = 14;
export const OFPT_GROUP_MOD = 15;
export const OFPT_PORT_MOD = 16;
export const OFPT_TABLE_MOD = 17;
export const OFPT_MULTIPART_REQUEST = 18;
export const OFPT_MULTIPART_REPLY = 19;
export const OFPT_BARRIER_REQUEST = 20;
export const OFPT_BARRIER_REPLY = 21;
export const OFPT_QUEUE_GET_CONFIG_REQUEST = 22;
export const OFPT_QUEUE_GET_CONFIG_REPLY = 23;
export const OFPT_ROLE_REQUEST = 24;
export const OFPT_ROLE_REPLY = 25;
export const OFPT_GET_ASYNC_REQUEST = 26;
export const OFPT_GET_ASYNC_REPLY = 27;
export const OFPT_SET_ASYNC = 28;
/** The highest message type of OpenFlow 1.3. */
export const OFPT_METER_MOD = 29;

export const OFPHET_VERSIONBITMAP = 1;
export const OFPET_EXPERIMENTER = 0xffff;

/** Controller roles, in Open vSwitch's words (OpenFlow 1.3 calls PRIMARY and SECONDARY MASTER and SLAVE). */
export const OFPCR_ROLE_NOCHANGE = 0;
export const OFPCR_ROLE_EQUAL = 1;
export const OFPCR_ROLE_PRIMARY = 2;
export const OFPCR_ROLE_SECONDARY = 3;

// ---- ports (32-bit) ----
export const OFPP_MAX = 0xffffff00;
export const OFPP_IN_PORT = 0xfffffff8;
export const OFPP_TABLE = 0xfffffff9;
export const OFPP_NORMAL = 0xfffffffa;
export const OFPP_FLOOD = 0xfffffffb;
export const OFPP_ALL = 0xfffffffc;
export const OFPP_CONTROLLER = 0xfffffffd;
export const OFPP_LOCAL = 0xfffffffe;
/** No port: no output-port filter (flow delete, stats). */
export const OFPP_ANY = 0xffffffff;
/**
 * OpenFlow 1.0's 16-bit port numbers, still carried by Nicira actions (resubmit, output_trunc,
 * sample2) and NXM_OF_IN_PORT. From OFPP16_MAX up they are the top of the 32-bit space, moved
 * down by OFPP11_OFFSET.
 */
export const OFPP16_MAX = 0xff00;
export const OFPP16_IN_PORT = 0xfff8;
export const OFPP16_CONTROLLER = 0xfffd;
export const OFPP16_NONE = 0xffff;
export const OFPP11_OFFSET = 0xffff0000;

/** Send the whole packet to the controller (controller action max_len, miss_send_len). */
export const OFPCML_NO_BUFFER = 0xffff;
export const OFP_NO_BUFFER = 0xffffffff;
export const OFP_DEFAULT_PRIORITY = 0x8000;
export const OFP_FLOW_PERMANENT = 0;

// ---- groups, tables, meters ----
export const OFPG_MAX = 0xffffff00;
/** Every group (delete, stats). */
export const OFPG_ALL = 0xfffffffc;
/** No group: no output-group filter. */
export const OFPG_ANY = 0xffffffff;
/** Every table (delete, dump). */
export const OFPTT_ALL = 0xff;
export const OFPM_MAX = 0xffff0000;

// ---- packet-in reasons ----
export const OFPR_NO_MATCH = 0;
export const OFPR_ACTION = 1;
export const OFPR_INVALID_TTL = 2;

// ---- flow_mod and group_mod commands, group types ----
export const OFPFC_ADD = 0;
export const OFPFC_MODIFY = 1;
export const OFPFC_MODIFY_STRICT = 2;
export const OFPFC_DELETE = 3;
export const OFPFC_DELETE_STRICT = 4;
/** Flow-mod commands by the names ovs-ofctl and the controller API give them. */
export const OFPFC = {
  add: OFPFC_ADD,
  modify: OFPFC_MODIFY,
  modify_strict: OFPFC_MODIFY_STRICT,
  delete: OFPFC_DELETE,
  delete_strict: OFPFC_DELETE_STRICT,
} as const;
/** A flow-mod command's name (`add`, `modify`, `modify_strict`, `delete`, `delete_strict`). */
export type FlowCommand = keyof typeof OFPFC;

export const OFPGC_ADD = 0;
export const OFPGC_MODIFY = 1;
export const OFPGC_DELETE = 2;
/** Open vSwitch's extension: add the group, or replace it if it exists. */
export const OFPGC_ADD_OR_MOD = 0x8000;
/** Group-mod commands by the names ovs-ofctl and the controller API give them. */
export const OFPGC = { add: OFPGC_ADD, modify: OFPGC_MODIFY, delete: OFPGC_DELETE } as const;
/** A group-mod command's name (`add`, `modify`, `delete`). */
export type GroupCommand = keyof typeof OFPGC;

export const OFPGT_ALL = 0;
export const OFPGT_SELECT = 1;
export const OFPGT_INDIRECT = 2;
export const OFPGT_FF = 3;

// ---- actions and instructions ----
export const OFPAT_EXPERIMENTER = 0xffff;

export const OFPIT_GOTO_TABLE = 1;
export const OFPIT_WRITE_METADATA = 2;
export const OFPIT_WRITE_ACTIONS = 3;
export const OFPIT_APPLY_ACTIONS = 4;
export const OFPIT_CLEAR_ACTIONS = 5;
export const OFPIT_METER = 6;
export const OFPIT_EXPERIMENTER = 0xffff;

/** ofp_ed_prop classes and NSH property types (encap). */
export const OFPPPC_NSH = 4;
export const OFPPPT_PROP_NSH_MDTYPE = 1;
export const OFPPPT_PROP_NSH_TLV = 2;

// ---- matches ----
export const OFPMT_OXM = 1;
export const OFPXMC_NXM_0 = 0x0000;
export const OFPXMC_NXM_1 = 0x0001;
export const OFPXMC_ERICSSON = 0x1000;
export const OFPXMC_OPENFLOW_BASIC = 0x8000;
export const OFPXMC_PACKET_REGS = 0x8001;
export const OFPXMC_EXPERIMENTER = 0xffff;
/** The class and field of in_port's OXM header (hasmask and length bits clear). */
export const OXM_OF_IN_PORT = 0x80000000;

// ---- multipart ----
export const OFPMP_EXPERIMENTER = 0xffff;
/** More parts follow (OFPMPF_REQ_MORE in requests has the same bit). */
export const OFPMPF_REPLY_MORE = 1;
/** ofp_header plus ofp_multipart_reply's type, flags and padding. */
export const OFP_MULTIPART_HEADER_LEN = 16;
/** struct ofp_flow_stats up to its match. */
export const OFP_FLOW_STATS_FIXED_LEN = 48;
export const DESC_STR_LEN = 256;
export const SERIAL_NUM_LEN = 32;
export const OFP_MAX_PORT_NAME_LEN = 16;
export const OFP_MAX_TABLE_NAME_LEN = 32;

// ---- meters, queues ----
export const OFPMF_KBPS = 1;
export const OFPMF_PKTPS = 2;
export const OFPMBT_DROP = 1;
export const OFPMBT_DSCP_REMARK = 2;
export const OFPMBT_EXPERIMENTER = 0xffff;
export const OFPQT_MIN_RATE = 1;
export const OFPQT_MAX_RATE = 2;
export const OFPQT_EXPERIMENTER = 0xffff;

// ---- bundles (OpenFlow 1.4's numbers, which the ONF extension carries in 1.3) ----
export const OFPBCT_OPEN_REQUEST = 0;
export const OFPBCT_OPEN_REPLY = 1;
export const OFPBCT_CLOSE_REQUEST = 2;
export const OFPBCT_CLOSE_REPLY = 3;
export const OFPBCT_COMMIT_REQUEST = 4;
export const OFPBCT_COMMIT_REPLY = 5;
export const OFPBCT_DISCARD_REQUEST = 6;
export const OFPBCT_DISCARD_REPLY = 7;
export const OFPBF_ATOMIC = 1;
export const OFPBF_ORDERED = 2;
