/**
 * Names of OpenFlow 1.3 error types and codes (OpenFlow 1.3.5 §7.4.4), and of the experimenter
 * errors Open vSwitch sends to OpenFlow 1.3 peers: ONF's bundle extension and Nicira's own.
 */

const EXPERIMENTER_NICIRA = 0x00002320;
const EXPERIMENTER_ONF = 0x4f4e4600;

interface ErrorType {
  name: string;
  codes: readonly string[];
}

const TYPES: Record<number, ErrorType> = {
  0: { name: 'OFPET_HELLO_FAILED', codes: ['OFPHFC_INCOMPATIBLE', 'OFPHFC_EPERM'] },
  1: {
    name: 'OFPET_BAD_REQUEST',
    codes: [
      'OFPBRC_BAD_VERSION', 'OFPBRC_BAD_TYPE', 'OFPBRC_BAD_MULTIPART', 'OFPBRC_BAD_EXPERIMENTER',
      'OFPBRC_BAD_EXP_TYPE', 'OFPBRC_EPERM', 'OFPBRC_BAD_LEN', 'OFPBRC_BUFFER_EMPTY', 'OFPBRC_BUFFER_UNKNOWN',
      'OFPBRC_BAD_TABLE_ID', 'OFPBRC_IS_SLAVE', 'OFPBRC_BAD_PORT', 'OFPBRC_BAD_PACKET',
      'OFPBRC_MULTIPART_BUFFER_OVERFLOW',
    ],
  },
  2: {
    name: 'OFPET_BAD_ACTION',
    codes: [
      'OFPBAC_BAD_TYPE', 'OFPBAC_BAD_LEN', 'OFPBAC_BAD_EXPERIMENTER', 'OFPBAC_BAD_EXP_TYPE', 'OFPBAC_BAD_OUT_PORT',
      'OFPBAC_BAD_ARGUMENT', 'OFPBAC_EPERM', 'OFPBAC_TOO_MANY', 'OFPBAC_BAD_QUEUE', 'OFPBAC_BAD_OUT_GROUP',
      'OFPBAC_MATCH_INCONSISTENT', 'OFPBAC_UNSUPPORTED_ORDER', 'OFPBAC_BAD_TAG', 'OFPBAC_BAD_SET_TYPE',
      'OFPBAC_BAD_SET_LEN', 'OFPBAC_BAD_SET_ARGUMENT',
    ],
  },
  3: {
    name: 'OFPET_BAD_INSTRUCTION',
    codes: [
      'OFPBIC_UNKNOWN_INST', 'OFPBIC_UNSUP_INST', 'OFPBIC_BAD_TABLE_ID', 'OFPBIC_UNSUP_METADATA',
      'OFPBIC_UNSUP_METADATA_MASK', 'OFPBIC_BAD_EXPERIMENTER', 'OFPBIC_BAD_EXP_TYPE', 'OFPBIC_BAD_LEN',
      'OFPBIC_EPERM',
    ],
  },
  4: {
    name: 'OFPET_BAD_MATCH',
    codes: [
      'OFPBMC_BAD_TYPE', 'OFPBMC_BAD_LEN', 'OFPBMC_BAD_TAG', 'OFPBMC_BAD_DL_ADDR_MASK', 'OFPBMC_BAD_NW_ADDR_MASK',
      'OFPBMC_BAD_WILDCARDS', 'OFPBMC_BAD_FIELD', 'OFPBMC_BAD_VALUE', 'OFPBMC_BAD_MASK', 'OFPBMC_BAD_PREREQ',
      'OFPBMC_DUP_FIELD', 'OFPBMC_EPERM',
    ],
  },
  5: {
    name: 'OFPET_FLOW_MOD_FAILED',
    codes: [
      'OFPFMFC_UNKNOWN', 'OFPFMFC_TABLE_FULL', 'OFPFMFC_BAD_TABLE_ID', 'OFPFMFC_OVERLAP', 'OFPFMFC_EPERM',
      'OFPFMFC_BAD_TIMEOUT', 'OFPFMFC_BAD_COMMAND', 'OFPFMFC_BAD_FLAGS',
    ],
  },
  6: {
    name: 'OFPET_GROUP_MOD_FAILED',
    codes: [
      'OFPGMFC_GROUP_EXISTS', 'OFPGMFC_INVALID_GROUP', 'OFPGMFC_WEIGHT_UNSUPPORTED', 'OFPGMFC_OUT_OF_GROUPS',
      'OFPGMFC_OUT_OF_BUCKETS', 'OFPGMFC_CHAINING_UNSUPPORTED', 'OFPGMFC_WATCH_UNSUPPORTED', 'OFPGMFC_LOOP',
      'OFPGMFC_UNKNOWN_GROUP', 'OFPGMFC_CHAINED_GROUP', 'OFPGMFC_BAD_TYPE', 'OFPGMFC_BAD_COMMAND',
      'OFPGMFC_BAD_BUCKET', 'OFPGMFC_BAD_WATCH', 'OFPGMFC_EPERM',
    ],
  },
  7: {
    name: 'OFPET_PORT_MOD_FAILED',
    codes: ['OFPPMFC_BAD_PORT', 'OFPPMFC_BAD_HW_ADDR', 'OFPPMFC_BAD_CONFIG', 'OFPPMFC_BAD_ADVERTISE', 'OFPPMFC_EPERM'],
  },
  8: { name: 'OFPET_TABLE_MOD_FAILED', codes: ['OFPTMFC_BAD_TABLE', 'OFPTMFC_BAD_CONFIG', 'OFPTMFC_EPERM'] },
  9: { name: 'OFPET_QUEUE_OP_FAILED', codes: ['OFPQOFC_BAD_PORT', 'OFPQOFC_BAD_QUEUE', 'OFPQOFC_EPERM'] },
  10: { name: 'OFPET_SWITCH_CONFIG_FAILED', codes: ['OFPSCFC_BAD_FLAGS', 'OFPSCFC_BAD_LEN', 'OFPSCFC_EPERM'] },
  11: { name: 'OFPET_ROLE_REQUEST_FAILED', codes: ['OFPRRFC_STALE', 'OFPRRFC_UNSUP', 'OFPRRFC_BAD_ROLE'] },
  12: {
    name: 'OFPET_METER_MOD_FAILED',
    codes: [
      'OFPMMFC_UNKNOWN', 'OFPMMFC_METER_EXISTS', 'OFPMMFC_INVALID_METER', 'OFPMMFC_UNKNOWN_METER',
      'OFPMMFC_BAD_COMMAND', 'OFPMMFC_BAD_FLAGS', 'OFPMMFC_BAD_RATE', 'OFPMMFC_BAD_BURST', 'OFPMMFC_BAD_BAND',
      'OFPMMFC_BAD_BAND_VALUE', 'OFPMMFC_OUT_OF_METERS', 'OFPMMFC_OUT_OF_BANDS',
    ],
  },
  13: {
    name: 'OFPET_TABLE_FEATURES_FAILED',
    codes: ['OFPTFFC_BAD_TABLE', 'OFPTFFC_BAD_METADATA', 'OFPTFFC_BAD_TYPE', 'OFPTFFC_BAD_LEN', 'OFPTFFC_BAD_ARGUMENT', 'OFPTFFC_EPERM'],
  },
};

/** ONF extension errors for OpenFlow 1.3 (bundles, 2300–2315). */
const ONF_CODES: Record<number, string> = {
  2300: 'OFPBFC_UNKNOWN',
  2301: 'OFPBFC_EPERM',
  2302: 'OFPBFC_BAD_ID',
  2303: 'OFPBFC_BUNDLE_EXIST',
  2304: 'OFPBFC_BUNDLE_CLOSED',
  2305: 'OFPBFC_OUT_OF_BUNDLES',
  2306: 'OFPBFC_BAD_TYPE',
  2307: 'OFPBFC_BAD_FLAGS',
  2308: 'OFPBFC_MSG_BAD_LEN',
  2309: 'OFPBFC_MSG_BAD_XID',
  2310: 'OFPBFC_MSG_UNSUP',
  2311: 'OFPBFC_MSG_CONFLICT',
  2312: 'OFPBFC_MSG_TOO_MANY',
  2313: 'OFPBFC_MSG_FAILED',
  2314: 'OFPBFC_TIMEOUT',
  2315: 'OFPBFC_BUNDLE_IN_PROGRESS',
};

/** Nicira extension errors that Open vSwitch reports to OpenFlow 1.2+ peers. */
const NICIRA_CODES: Record<number, string> = {
  2: 'NXBRC_NXM_INVALID',
  3: 'NXBRC_NXM_BAD_TYPE',
  4: 'NXBRC_MUST_BE_ZERO',
  5: 'NXBRC_BAD_REASON',
  11: 'NXBAC_MUST_BE_ZERO',
  12: 'NXFMFC_HARDWARE',
  13: 'NXFMFC_BAD_TABLE_ID',
  37: 'NXFMFC_INVALID_TLV_FIELD',
  42: 'NXBAC_CT_DATAPATH_SUPPORT',
  43: 'NXBMC_CT_DATAPATH_SUPPORT',
};

export const ONF_BUNDLE_MSG_FAILED = 2313;
export const OFPET_EXPERIMENTER = 0xffff;

export interface ErrorName {
  type: string;
  code: string;
}

/** Symbolic names for an error; unknown values are shown as numbers. */
export function errorName(errType: number, code: number, experimenter?: number): ErrorName {
  if (errType === OFPET_EXPERIMENTER) {
    const table = experimenter === EXPERIMENTER_ONF ? ONF_CODES : experimenter === EXPERIMENTER_NICIRA ? NICIRA_CODES : {};
    const vendor =
      experimenter === EXPERIMENTER_ONF ? 'ONF' : experimenter === EXPERIMENTER_NICIRA ? 'NX' : `0x${(experimenter ?? 0).toString(16)}`;
    return { type: `OFPET_EXPERIMENTER(${vendor})`, code: table[code] ?? String(code) };
  }
  const t = TYPES[errType];
  if (!t) return { type: String(errType), code: String(code) };
  return { type: t.name, code: t.codes[code] ?? String(code) };
}
