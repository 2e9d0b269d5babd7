/**
 * Actions and instructions as ovs-ofctl prints them (OVS's ofpacts_format): one small printer per
 * action, instructions in the order Open vSwitch keeps them (meter, apply, clear, write, metadata,
 * goto), `drop` for nothing at all.
 */
import type {
  Action,
  ActionOf,
  Controller2Action,
  CtAction,
  EncapProperty,
  Instruction,
  LearnAction,
  Learn2Action,
  LearnSpec,
  NatAction,
  SubField,
} from '../actions/types.js';
import { formatFieldValue } from '../fields/text.js';
import { formatSubfield, lookupField, metaFlowBits, metaFlowName } from './format-field-names.js';
import { formatPort16, formatTable, hexAlt, hexBytes, hexDotted, hexPad, packetInReason, port16 } from './format-util.js';
import {
  OFPP16_CONTROLLER,
  OFPP16_IN_PORT,
  OFPP16_MAX,
  OFPP16_NONE,
  OFPR_ACTION,
  OFP_DEFAULT_PRIORITY,
  OFP_FLOW_PERMANENT,
} from '../constants/openflow13.js';
import { NX_CTLR_NO_METER, NX_CT_RECIRC_NONE } from '../constants/nicira.js';
import { PT_USE_NEXT_PROTO } from '../constants/packet.js';

// ---- helpers -------------------------------------------------------------------------------------

function hashFields(fields: number): string {
  return ['eth_src', 'symmetric_l4', 'symmetric_l3l4', 'symmetric_l3l4+udp', 'nw_src', 'nw_dst', 'symmetric_l3'][fields] ?? '<unknown>';
}

/** A subfield's field and offset are the same as another's (learn's `dst=src` shortcut test). */
function sameFieldAndOffset(a: SubField, b: SubField): boolean {
  const da = lookupField(a);
  const db = lookupField(b);
  if (!da || da !== db || a.ofs !== b.ofs) return false;
  return metaFlowName(da, a.header) === metaFlowName(db, b.header);
}

// ---- one printer per action ----------------------------------------------------------------------

function formatOutput(a: ActionOf<'output'>): string {
  const p = port16(a.port >>> 0);
  if (p === null) return `output:${a.port >>> 0}`;
  const text = p < OFPP16_MAX ? `output:${formatPort16(p)}` : formatPort16(p);
  return p === OFPP16_CONTROLLER ? `${text}:${a.maxLen}` : text;
}

function formatControllerFields(c: {
  maxLen: number;
  controllerId: number;
  reason: number;
  userdata?: Buffer | undefined;
  pause: boolean;
  meterId: number;
}): string {
  if (c.reason === OFPR_ACTION && !c.controllerId && !c.userdata?.length && !c.pause && c.meterId === NX_CTLR_NO_METER) {
    return `CONTROLLER:${c.maxLen}`;
  }
  const parts: string[] = [];
  if (c.reason !== OFPR_ACTION) parts.push(`reason=${packetInReason(c.reason)}`);
  if (c.maxLen !== 0xffff) parts.push(`max_len=${c.maxLen}`);
  if (c.controllerId !== 0) parts.push(`id=${c.controllerId}`);
  if (c.userdata?.length) parts.push(`userdata=${hexDotted(c.userdata)}`);
  if (c.pause) parts.push('pause');
  if (c.meterId !== NX_CTLR_NO_METER) parts.push(`meter_id=${c.meterId}`);
  return `controller(${parts.join(',')})`;
}

function formatController2(a: Controller2Action): string {
  return formatControllerFields({
    maxLen: a.maxLen ?? 0xffff,
    controllerId: a.controllerId ?? 0,
    reason: a.reason ?? OFPR_ACTION,
    userdata: a.userdata,
    pause: a.pause ?? false,
    meterId: a.meterId ?? NX_CTLR_NO_METER,
  });
}

function formatResubmit(inPort: number, tableId: number, ct: boolean): string {
  if (inPort !== OFPP16_IN_PORT && tableId === 255) return `resubmit:${formatPort16(inPort)}`;
  const port = inPort !== OFPP16_IN_PORT ? formatPort16(inPort) : '';
  const table = tableId !== 255 ? formatTable(tableId) : '';
  return `resubmit(${port},${table}${ct ? ',ct' : ''})`;
}

function formatSetField(a: { field: string; value: unknown; mask?: unknown; header?: number; experimenter?: number }): string {
  const def = lookupField({ field: a.field, ...(a.header !== undefined ? { header: a.header } : {}) });
  if (!def) return `set_field:<unknown>`;
  // A variable-length field (tun_metadata) is as wide as its largest form in OVS, so a mask never
  // covers it all and always prints.
  const value =
    def.variable && Buffer.isBuffer(a.value) && Buffer.isBuffer(a.mask)
      ? a.mask.every((x) => x === 0)
        ? 'ANY'
        : `${hexBytes(a.value)}/${hexBytes(a.mask)}`
      : formatFieldValue(def, a.value as never, a.mask as never, 'field');
  return `set_field:${value}->${metaFlowName(def, a.header)}`;
}

/** NXAST_REG_LOAD: `load:VALUE->DST`, the value in `%#x` (0 prints `0`). */
function formatRegLoad(a: ActionOf<'reg_load'>): string {
  return `load:${hexAlt(a.value)}->${formatSubfield(a.dst)}`;
}

function formatSetTunnel(tunId: bigint, is64: boolean): string {
  return `set_tunnel${is64 || tunId > 0xffffffffn ? '64' : ''}:${hexAlt(tunId)}`;
}

function formatMultipath(a: ActionOf<'multipath'>): string {
  const alg = ['modulo_n', 'hash_threshold', 'hrw', 'iter_hash'][a.algorithm] ?? '<unknown>';
  return `multipath(${hashFields(a.fields)},${a.basis},${alg},${a.maxLink + 1},${a.arg},${formatSubfield(a.dst)})`;
}

function formatBundle(a: ActionOf<'bundle'> | ActionOf<'bundle_load'>): string {
  const alg = a.algorithm === 1 ? 'hrw' : a.algorithm === 0 ? 'active_backup' : '<unknown>';
  const dst = a.type === 'bundle_load' ? `${formatSubfield(a.dst)},` : '';
  const members = a.members.map((p) => formatPort16(p)).join(',');
  return `${a.type}(${hashFields(a.fields)},${a.basis},${alg},ofport,${dst}members:${members})`;
}

function formatFinTimeout(a: ActionOf<'fin_timeout'>): string {
  const parts: string[] = [];
  if (a.finIdleTimeout) parts.push(`idle_timeout=${a.finIdleTimeout}`);
  if (a.finHardTimeout) parts.push(`hard_timeout=${a.finHardTimeout}`);
  return `fin_timeout(${parts.join(',')})`;
}

function formatSample(a: ActionOf<'sample'> | ActionOf<'sample2'> | ActionOf<'sample3'>): string {
  let s = `sample(probability=${a.probability},collector_set_id=${a.collectorSetId},obs_domain_id=${a.obsDomainId},obs_point_id=${a.obsPointId}`;
  const samplingPort = a.type === 'sample' ? OFPP16_NONE : a.samplingPort;
  if (samplingPort !== OFPP16_NONE) s += `,sampling_port=${formatPort16(samplingPort)}`;
  if (a.type === 'sample3') {
    if (a.direction === 1) s += ',ingress';
    else if (a.direction === 2) s += ',egress';
  }
  return `${s})`;
}

function formatNat(a: NatAction): string {
  const F_SRC = 1;
  const F_DST = 2;
  if (!(a.flags & (F_SRC | F_DST))) return 'nat';
  let s = a.flags & F_SRC ? 'src' : 'dst';
  if (a.ipMin !== undefined) {
    const v6 = a.ipMin.includes(':');
    const bracket = v6 && !!a.portMin;
    const ip = (x: string) => (bracket ? `[${x}]` : x);
    s += `=${ip(a.ipMin)}`;
    if (a.ipMax !== undefined && a.ipMax !== a.ipMin && a.ipMax !== '0.0.0.0' && a.ipMax !== '::') s += `-${ip(a.ipMax)}`;
    if (a.portMin) {
      s += `:${a.portMin}`;
      if (a.portMax && a.portMax !== a.portMin) s += `-${a.portMax}`;
    }
    if (a.flags & 4) s += ',persistent';
    if (a.flags & 8) s += ',hash';
    if (a.flags & 16) s += ',random';
  }
  return `nat(${s})`;
}

function formatCt(a: CtAction): string {
  const parts: string[] = [];
  if (a.flags & 1) parts.push('commit');
  if (a.flags & 2) parts.push('force');
  if (a.recircTable !== NX_CT_RECIRC_NONE) parts.push(`table=${formatTable(a.recircTable)}`);
  if (a.zoneSrc) parts.push(`zone=${formatSubfield(a.zoneSrc)}`);
  else if (a.zone) parts.push(`zone=${a.zone}`);
  let rest = a.actions;
  if (rest[0]?.type === 'nat') {
    parts.push(formatNat(rest[0]));
    rest = rest.slice(1);
  }
  if (rest.length) parts.push(`exec(${formatActions(rest)})`);
  if (a.alg === 21) parts.push('alg=ftp');
  else if (a.alg === 69) parts.push('alg=tftp');
  else if (a.alg !== 0) parts.push(`alg=${a.alg}`);
  return `ct(${parts.join(',')})`;
}

function encapTypeName(packetType: number): string {
  switch (packetType >>> 0) {
    case 0x00000000:
      return 'ethernet';
    case 0x0001894f:
      return 'nsh';
    case 0x00018847:
      return 'mpls';
    case 0x00018848:
      return 'mpls_mc';
    default:
      return 'UNKNOWN';
  }
}

function formatEncapProperty(p: EncapProperty): string {
  switch (p.type) {
    case 'nsh_md_type':
      return `md_type=${p.mdType}`;
    case 'nsh_tlv':
      return `tlv(${hexPad(p.tlvClass, 4)},${p.tlvType},${hexBytes(p.value)})`;
    case 'unknown':
      return `prop(${p.propClass},${p.propType})`;
  }
}

function formatEncap(a: ActionOf<'encap'>): string {
  const props = a.properties.length ? `(${a.properties.map(formatEncapProperty).join(',')})` : '';
  return `encap(${encapTypeName(a.packetType)}${props})`;
}

function formatDecap(a: ActionOf<'decap'>): string {
  if (a.packetType >>> 0 === PT_USE_NEXT_PROTO) return 'decap()';
  return `decap(packet_type(ns=${a.packetType >>> 16},type=${hexAlt(a.packetType & 0xffff)}))`;
}

/** The last ceil(nBits/8) bytes of a learn immediate (OVS keeps no more than that). */
function learnImmediate(value: Buffer, nBits: number): Buffer {
  const n = Math.ceil(nBits / 8);
  return value.length >= n ? value.subarray(value.length - n) : Buffer.concat([Buffer.alloc(n - value.length), value]);
}

function formatLearnSpec(spec: LearnSpec): string {
  switch (spec.kind) {
    case 'match_immediate': {
      const def = lookupField(spec.dst);
      const imm = learnImmediate(spec.value, spec.dst.nBits);
      if (def && spec.dst.ofs === 0 && spec.dst.nBits === metaFlowBits(def, spec.dst.header)) {
        const width = def.variable ? imm.length : (def.encodings[0]?.bytes ?? imm.length);
        const full = Buffer.concat([Buffer.alloc(Math.max(0, width - imm.length)), imm]).subarray(-width);
        const value = def.kind === 'bytes' ? full : BigInt(`0x${full.toString('hex') || '0'}`);
        const text = formatFieldValue(def, value, undefined, 'field');
        return `${metaFlowName(def, spec.dst.header)}=${text}`;
      }
      return `${formatSubfield(spec.dst)}=${hexBytes(imm)}`;
    }
    case 'match_field':
      return sameFieldAndOffset(spec.src, spec.dst) ? formatSubfield(spec.dst) : `${formatSubfield(spec.dst)}=${formatSubfield(spec.src)}`;
    case 'load_immediate':
      return `load:${hexBytes(learnImmediate(spec.value, spec.dst.nBits))}->${formatSubfield(spec.dst)}`;
    case 'load_field':
      return `load:${formatSubfield(spec.src)}->${formatSubfield(spec.dst)}`;
    case 'output':
      return `output:${formatSubfield(spec.src)}`;
  }
}

function formatLearn(a: LearnAction | Learn2Action): string {
  let s = `learn(table=${formatTable(a.tableId)}`;
  if (a.idleTimeout !== OFP_FLOW_PERMANENT) s += `,idle_timeout=${a.idleTimeout}`;
  if (a.hardTimeout !== OFP_FLOW_PERMANENT) s += `,hard_timeout=${a.hardTimeout}`;
  if (a.finIdleTimeout) s += `,fin_idle_timeout=${a.finIdleTimeout}`;
  if (a.finHardTimeout) s += `,fin_hard_timeout=${a.finHardTimeout}`;
  if (a.priority !== OFP_DEFAULT_PRIORITY) s += `,priority=${a.priority}`;
  if (a.flags & 1) s += ',send_flow_rem';
  if (a.flags & 2) s += ',delete_learned';
  if (a.cookie !== 0n) s += `,cookie=${hexAlt(a.cookie)}`;
  if (a.type === 'learn2') {
    if (a.limit !== 0) s += `,limit=${a.limit}`;
    if (a.flags & 4 && a.resultDst) s += `,result_dst=${formatSubfield(a.resultDst)}`;
  }
  for (const spec of a.specs) s += `,${formatLearnSpec(spec)}`;
  return `${s})`;
}

function formatDeleteField(a: ActionOf<'delete_field'>): string {
  const def = lookupField(a);
  return `delete_field:${def ? metaFlowName(def, a.header) : a.field}`;
}

function formatUnknown(a: ActionOf<'unknown'>): string {
  return `unknown_action(type=${a.actionType},data=${a.data.toString('hex')})`;
}

/** One action as ovs-ofctl prints it. */
export function formatAction(a: Action): string {
  switch (a.type) {
    case 'output':
      return formatOutput(a);
    case 'set_vlan_vid':
      return `set_vlan_vid:${a.vlanVid}`;
    case 'set_vlan_pcp':
      return `set_vlan_pcp:${a.vlanPcp}`;
    case 'set_dl_src':
      return `mod_dl_src:${a.mac}`;
    case 'set_dl_dst':
      return `mod_dl_dst:${a.mac}`;
    case 'set_nw_src':
      return `mod_nw_src:${a.ip}`;
    case 'set_nw_dst':
      return `mod_nw_dst:${a.ip}`;
    case 'set_nw_tos':
      return `mod_nw_tos:${a.tos}`;
    case 'set_nw_ecn':
      return `mod_nw_ecn:${a.ecn}`;
    case 'set_tp_src':
      return `mod_tp_src:${a.port}`;
    case 'set_tp_dst':
      return `mod_tp_dst:${a.port}`;
    case 'copy_ttl_out':
      return 'copy_ttl_out';
    case 'copy_ttl_in':
      return 'copy_ttl_in';
    case 'set_mpls_label':
      return `set_mpls_label(${a.label >>> 0})`;
    case 'set_mpls_tc':
      return `set_mpls_tc(${a.tc})`;
    case 'set_mpls_ttl':
      return `set_mpls_ttl(${a.ttl})`;
    case 'dec_mpls_ttl':
      return 'dec_mpls_ttl';
    case 'push_vlan':
      return `push_vlan:${hexAlt(a.ethertype)}`;
    case 'pop_vlan':
      return 'pop_vlan';
    case 'push_mpls':
      return `push_mpls:${hexPad(a.ethertype, 4)}`;
    case 'pop_mpls':
      return `pop_mpls:${hexPad(a.ethertype, 4)}`;
    case 'set_queue':
      return `set_queue:${a.queueId >>> 0}`;
    case 'group':
      return `group:${a.groupId >>> 0}`;
    case 'set_nw_ttl':
      return `mod_nw_ttl:${a.ttl}`;
    case 'dec_nw_ttl':
      return 'dec_ttl';
    case 'set_field':
      return formatSetField(a);
    case 'push_pbb':
      return `push_pbb:${hexAlt(a.ethertype)}`;
    case 'pop_pbb':
      return 'pop_pbb';
    case 'copy_field':
    case 'reg_move':
      return `move:${formatSubfield(a.src)}->${formatSubfield(a.dst)}`;
    case 'resubmit':
      return formatResubmit(a.inPort, 255, false);
    case 'resubmit_table':
      return formatResubmit(a.inPort, a.tableId, false);
    case 'resubmit_table_ct':
      return formatResubmit(a.inPort, a.tableId, true);
    case 'set_tunnel':
      return formatSetTunnel(BigInt(a.tunId >>> 0), false);
    case 'set_tunnel64':
      return formatSetTunnel(a.tunId, true);
    case 'pop_queue':
      return 'pop_queue';
    case 'reg_load':
      return formatRegLoad(a);
    case 'reg_load2':
      return formatSetField(a);
    case 'note':
      return `note:${hexDotted(a.note)}`;
    case 'multipath':
      return formatMultipath(a);
    case 'bundle':
    case 'bundle_load':
      return formatBundle(a);
    case 'output_reg':
    case 'output_reg2':
      return `output:${formatSubfield(a.src)}`;
    case 'learn':
    case 'learn2':
      return formatLearn(a);
    case 'exit':
      return 'exit';
    case 'dec_ttl_cnt_ids':
      return `dec_ttl(${a.controllerIds.join(',')})`;
    case 'fin_timeout':
      return formatFinTimeout(a);
    case 'controller':
      return formatControllerFields({ ...a, pause: false, meterId: NX_CTLR_NO_METER });
    case 'controller2':
      return formatController2(a);
    case 'write_metadata':
      return formatWriteMetadata(a.metadata, a.mask);
    case 'stack_push':
      return `push:${formatSubfield(a.field)}`;
    case 'stack_pop':
      return `pop:${formatSubfield(a.field)}`;
    case 'sample':
    case 'sample2':
    case 'sample3':
      return formatSample(a);
    case 'conjunction':
      return `conjunction(${a.id >>> 0},${a.clause + 1}/${a.nClauses})`;
    case 'ct':
      return formatCt(a);
    case 'nat':
      return formatNat(a);
    case 'ct_clear':
      return 'ct_clear';
    case 'output_trunc':
      return `output(port=${formatPort16(a.port)},max_len=${a.maxLen >>> 0})`;
    case 'clone':
      return `clone(${formatActions(a.actions)})`;
    case 'encap':
      return formatEncap(a);
    case 'decap':
      return formatDecap(a);
    case 'dec_nsh_ttl':
      return 'dec_nsh_ttl';
    case 'check_pkt_larger':
      return `check_pkt_larger(${a.pktLen >>> 0})->${formatSubfield(a.dst)}`;
    case 'delete_field':
      return formatDeleteField(a);
    case 'debug_recirc':
      return 'debug_recirc';
    case 'debug_slow':
      return 'debug_slow';
    case 'unknown':
      return formatUnknown(a);
  }
}

function formatWriteMetadata(metadata: bigint, mask: bigint): string {
  const s = `write_metadata:${hexAlt(metadata)}`;
  return mask === 0xffffffffffffffffn ? s : `${s}/${hexAlt(mask)}`;
}

/** An action list, comma-separated; `drop` when empty. */
export function formatActions(actions: readonly Action[]): string {
  return actions.length ? actions.map(formatAction).join(',') : 'drop';
}

const INSTRUCTION_ORDER: Record<Instruction['type'], number> = {
  meter: 0,
  apply_actions: 1,
  clear_actions: 2,
  write_actions: 3,
  write_metadata: 4,
  goto_table: 5,
  experimenter: 6,
};

function formatInstruction(i: Instruction): string[] {
  switch (i.type) {
    case 'meter':
      return [`meter:${i.meterId >>> 0}`];
    case 'apply_actions':
      return i.actions.map(formatAction);
    case 'clear_actions':
      return ['clear_actions'];
    case 'write_actions':
      return [`write_actions(${formatActions(i.actions)})`];
    case 'write_metadata':
      return [formatWriteMetadata(i.metadata, i.metadataMask)];
    case 'goto_table':
      return [`goto_table:${formatTable(i.tableId)}`];
    case 'experimenter':
      return [`experimenter(${hexPad(i.experimenter >>> 0, 8)})`];
  }
}

/**
 * Instructions the way ovs-ofctl prints a flow's actions: apply_actions inline, the others as
 * `meter:`, `clear_actions`, `write_actions(…)`, `write_metadata:`, `goto_table:`, in that
 * order whatever order they arrived in; `drop` when nothing remains.
 */
export function formatInstructions(instructions: readonly Instruction[]): string {
  const sorted = [...instructions].sort((a, b) => INSTRUCTION_ORDER[a.type] - INSTRUCTION_ORDER[b.type]);
  const parts = sorted.flatMap(formatInstruction);
  return parts.length ? parts.join(',') : 'drop';
}
