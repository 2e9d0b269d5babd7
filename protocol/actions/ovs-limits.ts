/**
 * Open vSwitch's limit on the size of one action in its memory.
 *
 * ovs-vswitchd turns every action it receives into its internal form (struct ofpact_* in
 * include/openvswitch/ofp-actions.h), 8-byte aligned, where each action records its length in 16
 * bits. Some of those forms are larger than the wire form: a learn spec is as little as 8 bytes on
 * the wire and a 40-byte struct ofpact_learn_spec inside (plus its immediate value rounded up to
 * 8), a nat is 16 bytes on the wire and 48 inside, a set_field 16 and 32. When a variable-length
 * action ends up over 65535 bytes, ofpact_finish() fails its assertion
 * `len > 0 && len <= UINT16_MAX` and ovs-vswitchd aborts (every bridge goes with it) — for learn,
 * bundle and bundle_load, and for clone and ct around their nested actions, whose sizes add up.
 * write_actions keeps its length in 16 bits without the assertion: the length wraps and OVS reads
 * the rest of the list as other actions.
 *
 * ovs-ofctl refuses such text ("input too big"); ofwire refuses such actions when it encodes them.
 *
 * The sizes are those of OVS 3.1 on 64-bit hosts (pointers of 8 bytes: struct mf_subfield is 16).
 * Any action takes at most 34 times its wire length inside (a set_field of a 124-byte tun_metadata
 * field: 8 → 272 bytes; a learn output spec is 8 → 40), so an action or list of at most
 * OVS_CHECK_ABOVE wire bytes cannot reach the limit and is never examined: the check costs one
 * comparison on the common path.
 */
import { OvsLimitError } from '../errors.js';
import { fieldByHeader, fieldByName } from '../fields/registry.js';
import type { Action, EncapProperty, FieldRef, LearnSpec } from './types.js';

/** The largest length of one action (or write_actions instruction) inside Open vSwitch: UINT16_MAX. */
export const OVS_OFPACT_MAX_LEN = 0xffff;

/**
 * At most this many bytes inside for every byte on the wire, over every action OVS 3.1 decodes: an
 * 8-byte set_field with an empty tun_metadata value, for a field mapped to 124 bytes, takes 272.
 */
const MAX_GROWTH = 34;

/** Wire bytes up to which an action or list cannot reach OVS_OFPACT_MAX_LEN inside Open vSwitch. */
export const OVS_CHECK_ABOVE = Math.floor(OVS_OFPACT_MAX_LEN / MAX_GROWTH);

/** BUNDLE_MAX_MEMBERS (lib/bundle.h): OVS refuses more members, but only after building the action. */
const BUNDLE_MAX_MEMBERS = 2048;

// ---- sizes of struct ofpact_* (x86_64) ------------------------------------------------------------

const align8 = (n: number): number => (n + 7) & ~7;

/** sizeof(struct ofpact_*) of every fixed-size action, by ofwire action type. */
const FIXED: Partial<Record<Action['type'], number>> = {
  output: 16, // ofpact_output
  set_vlan_vid: 8,
  set_vlan_pcp: 8,
  set_dl_src: 16, // ofpact_mac
  set_dl_dst: 16,
  set_nw_src: 8,
  set_nw_dst: 8,
  set_nw_tos: 8,
  set_nw_ecn: 8,
  set_tp_src: 8,
  set_tp_dst: 8,
  set_mpls_label: 8,
  set_mpls_tc: 8,
  set_mpls_ttl: 8,
  dec_mpls_ttl: 8,
  push_vlan: 8,
  pop_vlan: 8,
  push_mpls: 8,
  pop_mpls: 8,
  set_queue: 8,
  group: 8,
  set_nw_ttl: 8,
  dec_nw_ttl: 16, // ofpact_cnt_ids with one controller id
  copy_field: 40, // ofpact_reg_move
  resubmit: 16,
  resubmit_table: 16,
  resubmit_table_ct: 16,
  set_tunnel: 16,
  set_tunnel64: 16,
  pop_queue: 8,
  reg_move: 40,
  multipath: 40,
  output_reg: 24,
  output_reg2: 24,
  exit: 8,
  fin_timeout: 8,
  controller: 24,
  write_metadata: 24,
  stack_push: 24,
  stack_pop: 24,
  sample: 32,
  sample2: 32,
  sample3: 32,
  conjunction: 16,
  nat: 48, // ofpact_nat: room for an IPv6 range, whatever the wire carries
  ct_clear: 8,
  output_trunc: 16,
  decap: 8,
  dec_nsh_ttl: 8,
  check_pkt_larger: 32,
  delete_field: 16,
  debug_recirc: 8,
  debug_slow: 8,
};

/** sizeof(struct ofpact_learn); each spec is a struct ofpact_learn_spec (two mf_subfields, 40). */
const LEARN_SIZE = 48;
const LEARN_SPEC_SIZE = 40;
/** struct ofpact_bundle, then a 32-bit ofp_port_t per member. */
const BUNDLE_SIZE = 40;
const BUNDLE_MEMBER_SIZE = 4;
/** struct ofpact_nest (clone, write_actions) and struct ofpact_conntrack, before the nested actions. */
const NEST_SIZE = 8;
const CT_SIZE = 32;
/** struct ofpact_set_field, then the value and the mask, each rounded up to 8. */
const SET_FIELD_SIZE = 16;
/** nx_action_note: the bytes before the note, and its smallest length. */
const NOTE_HEADER = 10;
const NOTE_MIN_WIRE = 16;
const ENCAP_SIZE = 16;
/** struct ofpact_ed_prop_nsh_md_type; struct ofpact_ed_prop_nsh_tlv before its padded value. */
const ED_PROP_MD_TYPE_SIZE = 8;
const ED_PROP_TLV_SIZE = 8;

/**
 * The bytes OVS keeps for a field's value (mf_field.n_bytes). A variable-length field
 * (tun_metadata) takes the width the switch's TLV map gives it, whatever the action carries, which
 * ofwire cannot know: it counts the largest, 124 bytes.
 */
function fieldBytes(ref: FieldRef): number {
  const def = fieldByName(ref.field) ?? (ref.header === undefined ? undefined : fieldByHeader(ref.header, ref.experimenter)?.def);
  // A field neither ofwire nor (so) Open vSwitch knows is refused before it takes any room.
  if (!def) return 8;
  return def.encodings[0]?.bytes ?? Math.ceil(def.bits / 8);
}

function setFieldSize(bytes: number): number {
  return SET_FIELD_SIZE + 2 * align8(bytes);
}

/** struct ofpact_bundle's length before its padding (what ofpact_finish() checks). */
function bundleLength(members: number): number {
  return BUNDLE_SIZE + BUNDLE_MEMBER_SIZE * members;
}

/** The bytes one learn spec takes inside Open vSwitch. */
export function ovsLearnSpecSize(spec: LearnSpec): number {
  if (spec.kind === 'match_immediate' || spec.kind === 'load_immediate') {
    return LEARN_SPEC_SIZE + align8(Math.ceil(spec.dst.nBits / 8));
  }
  return LEARN_SPEC_SIZE;
}

function encapPropertySize(p: EncapProperty): number {
  switch (p.type) {
    case 'nsh_md_type':
      return ED_PROP_MD_TYPE_SIZE;
    case 'nsh_tlv':
      return ED_PROP_TLV_SIZE + align8(p.value.length);
    default:
      // OVS refuses any other property before it builds the action.
      return align8(4 + p.data.length);
  }
}

/**
 * The bytes an action takes inside Open vSwitch 3.1 (its struct ofpact_* padded to 8 bytes, as it
 * lies in a list), nested actions included. Call it on actions that encode.
 */
export function ovsActionSize(a: Action): number {
  const fixed = FIXED[a.type];
  if (fixed !== undefined) return fixed;
  switch (a.type) {
    case 'learn':
    case 'learn2': {
      let size = LEARN_SIZE;
      for (const spec of a.specs) size += ovsLearnSpecSize(spec);
      return size;
    }
    case 'bundle':
    case 'bundle_load':
      return align8(bundleLength(a.members.length));
    case 'clone':
      return NEST_SIZE + ovsActionListSize(a.actions);
    case 'ct':
      return CT_SIZE + ovsActionListSize(a.actions);
    case 'set_field':
    case 'reg_load2':
      return setFieldSize(fieldBytes(a));
    case 'reg_load':
      return setFieldSize(fieldBytes(a.dst));
    case 'note':
      // OVS keeps every byte after the subtype, padding included: the wire length plus 8.
      return Math.max(NOTE_MIN_WIRE, align8(NOTE_HEADER + a.note.length)) + 8;
    case 'controller2':
      return align8(FIXED.controller! + (a.userdata?.length ?? 0));
    case 'dec_ttl_cnt_ids':
      return align8(8 + 2 * a.controllerIds.length);
    case 'encap': {
      let size = ENCAP_SIZE;
      for (const p of a.properties) size += encapPropertySize(p);
      return size;
    }
    default:
      // Actions Open vSwitch does not take in OpenFlow 1.3 (copy_ttl_*, push_pbb, pop_pbb) and
      // actions ofwire does not model: their wire length.
      return a.type === 'unknown' ? align8(4 + a.data.length) : 8;
  }
}

/** The bytes a list of actions takes inside Open vSwitch. */
export function ovsActionListSize(actions: readonly Action[]): number {
  let size = 0;
  for (const a of actions) size += ovsActionSize(a);
  return size;
}

function over(size: number): string {
  return `takes ${size} bytes inside Open vSwitch, over its ${OVS_OFPACT_MAX_LEN}-byte limit for one action`;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * Refuses an action ovs-vswitchd would abort on. Called by the action encoder for actions of more
 * than OVS_CHECK_ABOVE wire bytes; `path` names the action in the error.
 */
export function checkOvsAction(a: Action, path: string): void {
  switch (a.type) {
    case 'learn':
    case 'learn2': {
      const size = ovsActionSize(a);
      if (size <= OVS_OFPACT_MAX_LEN) return;
      let fit = 0;
      for (let total = LEARN_SIZE; fit < a.specs.length; fit++) {
        total += ovsLearnSpecSize(a.specs[fit]!);
        if (total > OVS_OFPACT_MAX_LEN) break;
      }
      throw new OvsLimitError(
        `${a.type} with ${plural(a.specs.length, 'spec')} ${over(size)}; the first ${fit} specs fit`,
        path,
        a.type,
        size,
        OVS_OFPACT_MAX_LEN,
      );
    }
    case 'bundle':
    case 'bundle_load': {
      const size = bundleLength(a.members.length);
      if (size <= OVS_OFPACT_MAX_LEN) return;
      throw new OvsLimitError(
        `${a.type} with ${plural(a.members.length, 'member')} ${over(size)} (and it accepts at most ` + `${BUNDLE_MAX_MEMBERS} members)`,
        path,
        a.type,
        size,
        OVS_OFPACT_MAX_LEN,
      );
    }
    case 'clone':
    case 'ct': {
      const size = ovsActionSize(a);
      if (size <= OVS_OFPACT_MAX_LEN) return;
      throw new OvsLimitError(
        `${a.type} with ${plural(a.actions.length, 'nested action')} ${over(size)}`,
        path,
        a.type,
        size,
        OVS_OFPACT_MAX_LEN,
      );
    }
    default:
      // Every other action is at most its wire length plus 8 bytes inside: it fits.
      return;
  }
}

/**
 * Refuses a write_actions instruction whose actions Open vSwitch cannot hold in one 16-bit length.
 * Called by the instruction encoder when the instruction has more than OVS_CHECK_ABOVE wire bytes.
 */
export function checkOvsWriteActions(actions: readonly Action[], path: string): void {
  const size = NEST_SIZE + ovsActionListSize(actions);
  if (size <= OVS_OFPACT_MAX_LEN) return;
  throw new OvsLimitError(
    `write_actions with ${plural(actions.length, 'action')} takes ${size} bytes inside Open vSwitch, ` +
      `over its ${OVS_OFPACT_MAX_LEN}-byte limit for one instruction`,
    path,
    'write_actions',
    size,
    OVS_OFPACT_MAX_LEN,
  );
}
