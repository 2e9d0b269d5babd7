/**
 * What Open vSwitch refuses when it decodes a message although the bytes are well formed: the
 * printers report these as `***decode error: NAME***`, as ovs-ofctl does, instead of printing a
 * message Open vSwitch would never act on. The checks run in the order Open vSwitch makes them,
 * so the first failure is the one it names.
 */
import type { Action, FieldRef, Instruction, SubField } from '../actions/types.js';
import { toBig } from '../fields/convert.js';
import { FlowMatch, applyField } from '../fields/flow.js';
import { prereqMet } from '../fields/prereq.js';
import { fieldByName, type FieldDef } from '../fields/registry.js';
import type { FieldValue, Match, OxmField } from '../fields/types.js';
import type { Bucket, OfpMessage } from '../message.js';
import { lookupField, metaFlowBits, metaFlowName } from './format-field-names.js';
import { OvsDecodeError, port16 } from './format-util.js';
import {
  OFPGC_ADD_OR_MOD,
  OFPGC_DELETE,
  OFPGT_ALL,
  OFPGT_FF,
  OFPGT_INDIRECT,
  OFPGT_SELECT,
  OXM_OF_IN_PORT,
} from '../constants/openflow13.js';
import { NX_VENDOR_ID } from '../constants/nicira.js';
import { ONF_VENDOR_ID } from '../constants/onf.js';

/** Fields Open vSwitch does not let actions write. */
// prettier-ignore
const READ_ONLY = new Set([
  'dp_hash', 'recirc_id', 'packet_type', 'conj_id', 'tun_ttl', 'tun_tos', 'tun_gtpu_flags', 'tun_gtpu_msgtype',
  'actset_output', 'skb_priority', 'ct_state', 'ct_zone', 'ct_nw_proto', 'ct_nw_src', 'ct_nw_dst', 'ct_ipv6_src',
  'ct_ipv6_dst', 'ct_tp_src', 'ct_tp_dst', 'eth_type', 'mpls_bos', 'nw_proto', 'ip_frag', 'tcp_flags',
  'nsh_mdtype', 'nsh_np',
]);

/** Bits a field's value may use when they are fewer than its width (OVS's mf_is_value_valid). */
function valueBits(def: FieldDef, header?: number): number | undefined {
  switch (def.name) {
    case 'vlan_vid':
      return 13; // the VID and OFPVID_PRESENT
    case 'arp_op':
    case 'ct_state':
      return 8;
    case 'in_port':
    case 'actset_output':
      return undefined; // checked as ports by the flow model
    default:
      return def.kind === 'uint' ? metaFlowBits(def, header) : undefined;
  }
}

function fail(name: string): never {
  throw new OvsDecodeError(name);
}

// ---- matches ---------------------------------------------------------------------------------------

function bytesOfValue(def: FieldDef | undefined, v: FieldValue): Buffer | bigint | null {
  if (Buffer.isBuffer(v)) return v;
  if (!def) return null;
  try {
    return toBig(def, v);
  } catch {
    return null;
  }
}

/** A masked entry whose value has 1-bits outside its mask (OFPBMC_BAD_WILDCARDS). */
function valueOutsideMask(def: FieldDef | undefined, e: OxmField): boolean {
  if (e.mask === undefined) return false;
  const v = bytesOfValue(def, e.value);
  const m = bytesOfValue(def, e.mask);
  if (v === null || m === null) return false;
  if (Buffer.isBuffer(v) && Buffer.isBuffer(m)) return v.some((x, i) => (x & ~(m[i] ?? 0)) !== 0);
  if (typeof v === 'bigint' && typeof m === 'bigint') return (v & ~m) !== 0n;
  return false;
}

/**
 * Decodes a match the way Open vSwitch does: an unknown field (strict only), a bad value or mask,
 * a missing prerequisite (strict only) or a field matched twice make it refuse the message.
 * Packet-in metadata is decoded loosely (unknown fields skipped, prerequisites not checked).
 */
export function checkMatch(match: Match, strict = true): void {
  const seen = new FlowMatch();
  for (const e of match) {
    const def = e.field === 'unknown' ? undefined : fieldByName(e.field);
    if (valueOutsideMask(def, e)) fail('OFPBMC_BAD_WILDCARDS');
    if (!def || e.field.startsWith('tun_metadata')) {
      if (!def && strict) fail('OFPBMC_BAD_FIELD');
      continue;
    }
    const bits = valueBits(def, e.header);
    const v = bytesOfValue(def, e.value);
    if (bits !== undefined && typeof v === 'bigint' && v >> BigInt(bits) !== 0n) fail('OFPBMC_BAD_VALUE');
    const alone = new FlowMatch();
    try {
      applyField(alone, e);
    } catch (err) {
      fail(/cannot be masked/.test((err as Error).message) ? 'OFPBMC_BAD_MASK' : 'OFPBMC_BAD_VALUE');
    }
    if (strict && def.prereq && !prereqMet(seen, def.prereq)) fail('OFPBMC_BAD_PREREQ');
    for (const [slot, s] of alone.slots) {
      // vlan_pcp also sets the VLAN-present bit, but only its own bits count as matched.
      const own = def.name === 'vlan_pcp' && slot === 'vlan_tci' ? s.m & 0xe000n : s.m;
      if (seen.mask(slot) & own) fail('OFPBMC_DUP_FIELD');
    }
    applyField(seen, e);
  }
}

// ---- actions ---------------------------------------------------------------------------------------

function checkSubfield(sf: SubField): void {
  const def = lookupField(sf);
  if (!def) fail('OFPBAC_BAD_SET_TYPE');
  const bits = metaFlowBits(def, sf.header);
  if (!sf.nBits || sf.ofs >= bits || sf.ofs + sf.nBits > bits) fail('OFPBAC_BAD_SET_LEN');
}

function checkWritable(ref: FieldRef): void {
  const def = lookupField(ref);
  if (def && READ_ONLY.has(metaFlowName(def, ref.header))) fail('OFPBAC_BAD_SET_ARGUMENT');
}

function checkDestination(sf: SubField): void {
  checkSubfield(sf);
  checkWritable(sf);
}

function checkUnknownAction(a: Extract<Action, { type: 'unknown' }>): never {
  if (a.actionType !== 0xffff) fail('OFPBAC_BAD_TYPE');
  const experimenter = a.data.length >= 4 ? a.data.readUInt32BE(0) : 0;
  fail(experimenter === NX_VENDOR_ID || experimenter === ONF_VENDOR_ID ? 'OFPBAC_BAD_VENDOR_TYPE' : 'OFPBAC_BAD_VENDOR');
}

/** A set_field value the field cannot hold (mpls_label over 20 bits, vlan_pcp over 7…). */
function checkSetValue(a: { field: string; value: FieldValue; header?: number }): void {
  const def = fieldByName(a.field);
  if (!def) return;
  const bits = valueBits(def, a.header);
  const v = bytesOfValue(def, a.value);
  if (bits !== undefined && typeof v === 'bigint' && v >> BigInt(bits) !== 0n) fail('OFPBAC_BAD_SET_ARGUMENT');
}

/** Actions Open vSwitch refuses inside write_actions (they have no place in an action set). */
// prettier-ignore
const NOT_IN_ACTION_SET = new Set<Action['type']>([
  'bundle', 'bundle_load', 'clone', 'nat', 'controller', 'controller2', 'exit', 'fin_timeout', 'learn', 'learn2',
  'conjunction', 'multipath', 'note', 'output_reg', 'output_reg2', 'output_trunc', 'pop_queue', 'sample', 'sample2',
  'sample3', 'stack_pop', 'stack_push', 'write_metadata', 'debug_recirc', 'debug_slow', 'check_pkt_larger',
  'delete_field',
]);

/** Open vSwitch's decode-time checks of one action (and the actions nested in it). */
export function checkAction(a: Action): void {
  switch (a.type) {
    case 'unknown':
      return checkUnknownAction(a);
    case 'copy_ttl_out':
    case 'copy_ttl_in':
    case 'push_pbb':
    case 'pop_pbb':
      return fail('OFPBAC_BAD_TYPE');
    case 'debug_recirc':
    case 'debug_slow':
      // Only test builds of Open vSwitch accept these.
      return fail('OFPBAC_BAD_VENDOR_TYPE');
    case 'output':
      if (port16(a.port >>> 0) === null) fail('OFPBAC_BAD_OUT_PORT');
      return;
    case 'push_mpls':
      if (a.ethertype !== 0x8847 && a.ethertype !== 0x8848) fail('OFPBAC_BAD_ARGUMENT');
      return;
    case 'conjunction':
      if (a.nClauses < 2 || a.nClauses > 64 || a.clause >= a.nClauses) fail('NXBAC_BAD_CONJUNCTION');
      return;
    case 'ct':
      if (a.flags & 2 && !(a.flags & 1)) fail('OFPBAC_BAD_ARGUMENT');
      if (a.zoneSrc) {
        checkSubfield(a.zoneSrc);
        if (a.zoneSrc.nBits !== 16) fail('OFPBAC_BAD_SET_LEN');
      }
      a.actions.forEach(checkAction);
      if (!(a.flags & 1) && a.actions.some((x) => x.type !== 'nat' || x.flags || x.ipMin !== undefined)) {
        fail('OFPBAC_BAD_ARGUMENT');
      }
      return;
    case 'nat':
      // Unknown flags, both src and dst, both hash and random, or a range upside down.
      if (a.flags & ~0x1f || (a.flags & 3) === 3 || (a.flags & 0x18) === 0x18) fail('OFPBAC_BAD_ARGUMENT');
      if (a.portMin !== undefined && a.portMax !== undefined && a.portMax < a.portMin) fail('OFPBAC_BAD_ARGUMENT');
      return;
    case 'encap':
      if (a.properties.some((p) => p.type === 'unknown')) fail('NXBAC_UNKNOWN_ED_PROP');
      return;
    case 'learn':
    case 'learn2':
      for (const spec of a.specs) {
        if ('src' in spec) checkSubfield(spec.src);
        if ('dst' in spec) checkSubfield(spec.dst);
      }
      return;
    case 'clone':
      a.actions.forEach(checkAction);
      return;
    case 'set_field':
      // OpenFlow forbids setting in_port through OXM_OF_IN_PORT; vlan_vid must say a VLAN is present.
      if (a.field === 'in_port' && (a.header === undefined || (a.header & 0xfffffe00) >>> 0 === OXM_OF_IN_PORT)) {
        fail('OFPBAC_BAD_SET_ARGUMENT');
      }
      if (a.field === 'unknown') fail('OFPBAC_BAD_SET_TYPE');
      checkWritable(a);
      if (a.field === 'vlan_vid' && typeof a.value === 'number' && !(a.value & 0x1000)) fail('OFPBAC_BAD_SET_ARGUMENT');
      checkSetValue(a);
      return;
    case 'reg_load2':
      if (a.field === 'unknown') fail('OFPBAC_BAD_SET_TYPE');
      checkWritable(a);
      return;
    case 'reg_load':
      checkDestination(a.dst);
      // No 1-bits at or above the destination's width.
      if (a.dst.nBits < 64 && a.value >> BigInt(a.dst.nBits) !== 0n) fail('OFPBAC_BAD_ARGUMENT');
      return;
    case 'multipath':
    case 'bundle_load':
      checkDestination(a.dst);
      return;
    case 'push_vlan':
      if (a.ethertype !== 0x8100 && a.ethertype !== 0x88a8) fail('OFPBAC_BAD_ARGUMENT');
      return;
    case 'set_vlan_vid':
      if (a.vlanVid & ~0xfff) fail('OFPBAC_BAD_ARGUMENT');
      return;
    case 'set_vlan_pcp':
      if (a.vlanPcp & ~7) fail('OFPBAC_BAD_ARGUMENT');
      return;
    case 'set_nw_tos':
      if (a.tos & ~0xfc) fail('OFPBAC_BAD_ARGUMENT');
      return;
    case 'set_nw_ecn':
      if (a.ecn & ~3) fail('OFPBAC_BAD_ARGUMENT');
      return;
    case 'output_trunc':
      if (a.maxLen >>> 0 < 14) fail('OFPBAC_BAD_ARGUMENT');
      return;
    case 'reg_move':
    case 'copy_field':
      checkSubfield(a.src);
      checkDestination(a.dst);
      return;
    case 'output_reg':
    case 'output_reg2':
      checkSubfield(a.src);
      return;
    case 'stack_push':
      checkSubfield(a.field);
      return;
    case 'stack_pop':
      checkDestination(a.field);
      return;
    case 'check_pkt_larger':
      checkDestination(a.dst);
      return;
    default:
      return;
  }
}

// ---- instructions ----------------------------------------------------------------------------------

/** Open vSwitch's decode-time checks of an instruction list (flow mods, flow-stats entries). */
export function checkInstructions(list: readonly Instruction[]): void {
  const seen = new Set<string>();
  for (const i of list) {
    if (i.type === 'experimenter') fail('OFPBIC_BAD_EXPERIMENTER');
    if (seen.has(i.type)) fail('OFPBIC_DUP_INST');
    seen.add(i.type);
  }
  const order: Instruction['type'][] = ['meter', 'apply_actions', 'clear_actions', 'write_actions', 'write_metadata', 'goto_table'];
  for (const type of order) {
    const i = list.find((x) => x.type === type);
    if (i && (i.type === 'apply_actions' || i.type === 'write_actions')) i.actions.forEach(checkAction);
    if (i?.type === 'write_actions' && i.actions.some((a) => NOT_IN_ACTION_SET.has(a.type))) fail('OFPBAC_BAD_TYPE');
  }
}

/** The output ports a flow mod may name (ofpact_check_output_port): real ports and the named ones. */
function checkOutputPort(port32: number): void {
  const p = port16(port32 >>> 0);
  if (p === null) return; // already refused when decoded
  if (p < 0xff00 || (p >= 0xfff8 && p <= 0xfffe)) return;
  fail('OFPBAC_BAD_OUT_PORT');
}

function checkActionsAgainstFlow(actions: readonly Action[]): void {
  for (const a of actions) {
    if (a.type === 'output') checkOutputPort(a.port);
    else if (a.type === 'clone') checkActionsAgainstFlow(a.actions);
  }
}

/** What Open vSwitch checks of a decoded flow mod's instructions against the flow (the subset kept). */
function checkFlowModConsistency(tableId: number, list: readonly Instruction[]): void {
  for (const i of list) {
    if (i.type === 'apply_actions' || i.type === 'write_actions') checkActionsAgainstFlow(i.actions);
    if (i.type === 'goto_table' && tableId !== 255 && i.tableId <= tableId) fail('OFPBIC_BAD_TABLE_ID');
  }
}

// ---- messages --------------------------------------------------------------------------------------

/** One bucket as Open vSwitch decodes it: its actions, then its watch port. */
export function checkBucket(b: Bucket): void {
  b.actions.forEach(checkAction);
  if (port16(b.watchPort >>> 0) === null) fail('OFPGMFC_BAD_WATCH');
}

/** A flow-stats entry's flags: OpenFlow 1.3 defines five. */
export function checkFlowFlags(flags: number): void {
  if (flags & ~0x1f) fail('OFPFMFC_BAD_FLAGS');
}

/** A port number OpenFlow 1.3 can carry (0–0xfeff and the reserved 0xffffff00–0xffffffff). */
export function checkPortNumber(port32: number): void {
  if (port16(port32 >>> 0) === null) fail('OFPBAC_BAD_OUT_PORT');
}

/** What Open vSwitch checks of a group mod once decoded (ofputil_check_group_mod). */
function checkGroupMod(command: number, groupType: number, buckets: readonly Bucket[]): void {
  buckets.forEach(checkBucket);
  if (groupType === OFPGT_INDIRECT && command !== OFPGC_DELETE && buckets.length !== 1) fail('OFPGMFC_INVALID_GROUP');
  if (groupType > OFPGT_FF) fail('OFPGMFC_BAD_TYPE');
  if (command > OFPGC_DELETE && command !== OFPGC_ADD_OR_MOD) fail('OFPGMFC_BAD_COMMAND');
  for (const b of buckets) {
    if (b.weight && groupType !== OFPGT_SELECT) fail('OFPGMFC_INVALID_GROUP');
    const live = b.watchPort >>> 0 !== 0xffffffff || b.watchGroup >>> 0 !== 0xffffffff;
    if ((groupType === OFPGT_ALL || groupType === OFPGT_INDIRECT) && live) fail('OFPGMFC_WATCH_UNSUPPORTED');
    if (groupType === OFPGT_FF && !live) fail('OFPGMFC_INVALID_GROUP');
  }
}

function isCtAddress(e: OxmField, family: 'v4' | 'v6'): boolean {
  return family === 'v4' ? e.field === 'ct_nw_src' || e.field === 'ct_nw_dst' : e.field === 'ct_ipv6_src' || e.field === 'ct_ipv6_dst';
}

function checkFlowMod(m: Extract<OfpMessage, { type: 'flow_mod' }>): void {
  checkMatch(m.match);
  if (m.tableId === 0xff && m.command !== 3 && m.command !== 4) fail('OFPFMFC_BAD_TABLE_ID');
  if (port16(m.outPort >>> 0) === null) fail('OFPBAC_BAD_OUT_PORT');
  const ethType = m.match.find((e) => e.field === 'eth_type')?.value;
  if (
    (m.match.some((e) => isCtAddress(e, 'v4')) && ethType !== 0x0800) ||
    (m.match.some((e) => isCtAddress(e, 'v6')) && ethType !== 0x86dd)
  ) {
    fail('OFPBAC_MATCH_INCONSISTENT');
  }
  if (m.command > 4) fail('OFPFMFC_BAD_COMMAND');
  checkInstructions(m.instructions);
  if (m.flags & ~0x1f) fail('OFPFMFC_BAD_FLAGS');
  checkFlowModConsistency(m.tableId, m.instructions);
}

/** The bits OpenFlow 1.3 allows in each NXT_SET_ASYNC_CONFIG2 mask, by property type >> 1. */
const ASYNC_ALLOWED = [0x07, 0x07, 0x3f, 0x07, 0x18, 0x03];

/** Throws OvsDecodeError when Open vSwitch would not decode `m`. */
export function checkMessage(m: OfpMessage): void {
  switch (m.type) {
    case 'flow_mod':
      return checkFlowMod(m);
    case 'flow_removed':
      return checkMatch(m.match);
    case 'packet_in':
      return checkMatch(m.match, false);
    case 'nx_packet_in2':
    case 'nx_resume':
      return checkMatch(m.metadata ?? [], false);
    case 'multipart_request':
      if (m.body.kind === 'flow' || m.body.kind === 'aggregate') checkMatch(m.body.match);
      if (m.body.kind === 'flow_monitor') {
        for (const r of m.body.requests) {
          if (!(r.flags & 0xe) || r.flags & ~0x3f) fail('OFPMOFC_BAD_FLAGS');
          checkPortNumber(r.outPort);
          checkMatch(r.match);
        }
      }
      return;
    case 'group_mod':
      return checkGroupMod(m.command, m.groupType, m.buckets);
    case 'packet_out': {
      checkPortNumber(m.inPort);
      m.actions.forEach(checkAction);
      const p = port16(m.inPort >>> 0)!;
      if (p >= 0xff00 && p !== 0xfffe && p !== 0xffff && p !== 0xfffd) fail('OFPBRC_BAD_PORT');
      return;
    }
    case 'set_config':
      if (m.flags & ~3) fail('OFPSCFC_BAD_FLAGS');
      return;
    case 'nx_set_packet_in_format':
      if (m.format > 2) fail('OFPBRC_EPERM');
      return;
    case 'port_mod':
      checkPortNumber(m.portNo);
      return;
    case 'requestforward':
      return checkMessage(m.message);
    case 'port_status':
      if (m.reason > 2) fail('NXBRC_BAD_REASON');
      checkPortNumber(m.desc.portNo);
      return;
    case 'role_request':
    case 'role_reply':
      if (m.role > 3) fail('OFPRRFC_BAD_ROLE');
      return;
    case 'role_status':
      if (m.role > 3) fail('OFPRRFC_BAD_ROLE');
      return;
    case 'nx_set_async_config2':
      for (const p of m.properties) {
        const allowed = ASYNC_ALLOWED[p.propType >> 1];
        if (allowed === undefined) fail('OFPACFC_UNSUPPORTED');
        if (p.mask & ~allowed) fail('OFPACFC_INVALID');
      }
      return;
    case 'bundle_add':
      if (m.message.xid !== m.xid) fail('OFPBFC_MSG_BAD_XID');
      if (!['port_mod', 'flow_mod', 'group_mod', 'packet_out'].includes(m.message.type)) fail('OFPBFC_MSG_UNSUP');
      return;
    default:
      return;
  }
}
