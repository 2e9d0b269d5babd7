/**
 * ofwire/protocol actions and instructions: the list codecs used by flow_mod, group_mod (buckets)
 * and packet_out, and the Action / Instruction types.
 */
import './standard.js';
import './nicira.js';

export {
  readAction,
  readActions,
  writeAction,
  writeActions,
  actionCodec,
  actionCodecs,
  MAX_ACTION_LEN,
  MAX_ACTION_NESTING,
} from './codec.js';
export type { ActionCodec } from './codec.js';
export { OVS_OFPACT_MAX_LEN, ovsActionSize, ovsActionListSize } from './ovs-limits.js';
export { readInstruction, readInstructions, writeInstruction, writeInstructions } from './instructions.js';
export type * from './types.js';
