/**
 * Nicira (Open vSwitch) extension wire constants (NX*), named as in Open vSwitch's nicira-ext.h,
 * ofp-actions.c and ofp-msgs.h. Every other module imports these instead of defining its own.
 */

/** The Nicira experimenter id. */
export const NX_VENDOR_ID = 0x00002320;
/** The experimenter id of the NSH OXM fields (NXOXM_NSH). */
export const NXOXM_NSH = 0x005ad650;

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
/** The meter_id that asks for no meter (OVS omits the property for it). */
export const NX_CTLR_NO_METER = 0;

// ---- conntrack flush (NXT_CT_FLUSH) TLV types ----
export const NXT_CT_ORIG_TUPLE = 0;
export const NXT_CT_REPLY_TUPLE = 1;
export const NXT_CT_ZONE_ID = 2;

// ---- packet-in2 continuation (Open vSwitch's private NXPINT_CONTINUATION properties) ----
export const NXCPT_BRIDGE = 0x8000;
export const NXCPT_STACK = 0x8001;
export const NXCPT_MIRRORS = 0x8002;
export const NXCPT_CONNTRACKED = 0x8003;
export const NXCPT_TABLE_ID = 0x8004;
export const NXCPT_COOKIE = 0x8005;
export const NXCPT_ACTIONS = 0x8006;
export const NXCPT_ACTION_SET = 0x8007;
export const NXCPT_ODP_PORT = 0x8008;
