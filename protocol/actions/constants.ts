/** Wire constants of actions and instructions (values from openflow-1.3.h and nicira-ext.h). */

export const OFPAT_EXPERIMENTER = 0xffff;
export const NX_VENDOR_ID = 0x00002320;
export const ONF_VENDOR_ID = 0x4f4e4600;

// ---- ports, groups, tables ----
export const OFPP_IN_PORT = 0xfffffff8;
export const OFPP_TABLE = 0xfffffff9;
export const OFPP_NORMAL = 0xfffffffa;
export const OFPP_FLOOD = 0xfffffffb;
export const OFPP_ALL = 0xfffffffc;
export const OFPP_CONTROLLER = 0xfffffffd;
export const OFPP_LOCAL = 0xfffffffe;
export const OFPP_ANY = 0xffffffff;
/** OFPCML_NO_BUFFER: send the whole packet to the controller. */
export const OFPCML_NO_BUFFER = 0xffff;
/** 16-bit port numbers of Nicira actions (resubmit, output_trunc, sample2). */
export const OFPP16_IN_PORT = 0xfff8;
export const OFPP16_NONE = 0xffff;

// ---- packet-in reasons (controller, controller2) ----
export const OFPR_NO_MATCH = 0;
export const OFPR_ACTION = 1;
export const OFPR_INVALID_TTL = 2;

// ---- ct, nat ----
export const NX_CT_F_COMMIT = 1;
export const NX_CT_F_FORCE = 2;
export const NX_CT_RECIRC_NONE = 255;
export const NX_CT_ALG_FTP = 21;
export const NX_CT_ALG_TFTP = 69;

export const NX_NAT_F_SRC = 1;
export const NX_NAT_F_DST = 2;
export const NX_NAT_F_PERSISTENT = 4;
export const NX_NAT_F_PROTO_HASH = 8;
export const NX_NAT_F_PROTO_RANDOM = 16;

export const NX_NAT_RANGE_IPV4_MIN = 1;
export const NX_NAT_RANGE_IPV4_MAX = 2;
export const NX_NAT_RANGE_IPV6_MIN = 4;
export const NX_NAT_RANGE_IPV6_MAX = 8;
export const NX_NAT_RANGE_PROTO_MIN = 16;
export const NX_NAT_RANGE_PROTO_MAX = 32;

// ---- learn ----
export const NX_LEARN_F_SEND_FLOW_REM = 1;
export const NX_LEARN_F_DELETE_LEARNED = 2;
export const NX_LEARN_F_WRITE_RESULT = 4;

export const NX_LEARN_N_BITS_MASK = 0x3ff;
export const NX_LEARN_SRC_FIELD = 0 << 13;
export const NX_LEARN_SRC_IMMEDIATE = 1 << 13;
export const NX_LEARN_DST_MATCH = 0 << 11;
export const NX_LEARN_DST_LOAD = 1 << 11;
export const NX_LEARN_DST_OUTPUT = 2 << 11;

// ---- multipath, bundle ----
export const NX_HASH_FIELDS_ETH_SRC = 0;
export const NX_HASH_FIELDS_SYMMETRIC_L4 = 1;
export const NX_HASH_FIELDS_SYMMETRIC_L3L4 = 2;
export const NX_HASH_FIELDS_SYMMETRIC_L3L4_UDP = 3;
export const NX_HASH_FIELDS_NW_SRC = 4;
export const NX_HASH_FIELDS_NW_DST = 5;
export const NX_HASH_FIELDS_SYMMETRIC_L3 = 6;

export const NX_MP_ALG_MODULO_N = 0;
export const NX_MP_ALG_HASH_THRESHOLD = 1;
export const NX_MP_ALG_HRW = 2;
export const NX_MP_ALG_ITER_HASH = 3;

export const NX_BD_ALG_ACTIVE_BACKUP = 0;
export const NX_BD_ALG_HRW = 1;
/** bundle member type: the NXM_OF_IN_PORT header. */
export const NX_BUNDLE_MEMBER_IN_PORT = 0x00000002;

// ---- sample ----
export const NX_ACTION_SAMPLE_DEFAULT = 0;
export const NX_ACTION_SAMPLE_INGRESS = 1;
export const NX_ACTION_SAMPLE_EGRESS = 2;

// ---- controller2 ----
export const NX_CTLR_NO_METER = 0;

// ---- encap/decap packet types: (namespace << 16) | type ----
export const PT_ETH = 0x00000000;
export const PT_USE_NEXT_PROTO = 0x0000fffe;
export const PT_IPV4 = 0x00010800;
export const PT_IPV6 = 0x000186dd;
export const PT_MPLS = 0x00018847;
export const PT_MPLS_MC = 0x00018848;
export const PT_NSH = 0x0001894f;
/** ofp_ed_prop classes and NSH property types. */
export const OFPPPC_NSH = 4;
export const OFPPPT_PROP_NSH_MDTYPE = 1;
export const OFPPPT_PROP_NSH_TLV = 2;

// ---- instructions ----
export const OFPIT_GOTO_TABLE = 1;
export const OFPIT_WRITE_METADATA = 2;
export const OFPIT_WRITE_ACTIONS = 3;
export const OFPIT_APPLY_ACTIONS = 4;
export const OFPIT_CLEAR_ACTIONS = 5;
export const OFPIT_METER = 6;
export const OFPIT_EXPERIMENTER = 0xffff;
