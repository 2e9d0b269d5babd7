/**
 * Action lists and instructions in ovs-ofctl syntax (`actions=...` of a flow, a bucket's actions,
 * `write_actions(...)`, `clone(...)`, `ct(exec(...))`), with ovs-ofctl's spellings, its checks of
 * instruction order and nesting, and its OpenFlow 1.3 encodings.
 */
import type { Action, Instruction } from '../actions/types.js';
import { CheckContext, FlowView, outputPortError } from './parse-action-check.js';
import { parseCt, parseNat } from './parse-action-ct.js';
import { outputToField, parseLoad, parseMove, parseSetField, parseStack, setWholeField } from './parse-action-fields.js';
import { parseLearn } from './parse-action-learn.js';
import {
  parseBundle,
  parseCheckPktLarger,
  parseConjunction,
  parseController,
  parseDecTtl,
  parseDecap,
  parseEncap,
  parseEnqueue,
  parseFinTimeout,
  parseMultipath,
  parseNote,
  parseResubmit,
  parseSample,
} from './parse-action-misc.js';
import { InstructionSlot, SLOT_NAMES, checked, lowerActions, simple, type Ofpact, type ParseScope } from './parse-action-types.js';
import { ovsField, parseSubfield } from './parse-fields.js';
import { KeyValueReader, lowerCase, valueOf, type KeyValue, type Segment } from './lexer.js';
import { parseU16, parseU32, parseU64, parseU8 } from './parse-numbers.js';
import { OFPP, port32, portFromString, tableFromString } from './parse-ports.js';
import { failAt, type Located } from './parse-util.js';
import { parseMac, parseIpv4 } from '../fields/values.js';
import { IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP } from '../constants/packet.js';

const MAX_DEPTH = 100;

function num<T extends number | bigint>(v: T | string, loc: Located): T {
  if (typeof v === 'string') throw failAt(loc, v);
  return v;
}

function instruction(
  name: string,
  token: Located,
  slot: InstructionSlot,
  make: () => Instruction,
  check?: (cx: CheckContext) => void,
): Ofpact {
  return { name, token, slot, check: check ?? (() => undefined), lower: () => [], instruction: make };
}

function checkSetIp(cx: CheckContext, token: Located, name: string): void {
  if (!cx.flow.isIpAny()) cx.soft(token, `${name} needs an ip or ipv6 match`);
}

function checkSetMpls(cx: CheckContext, token: Located, name: string): void {
  if (!cx.flow.isMpls()) cx.soft(token, `${name} needs an mpls match`);
}

function output(token: Located, arg: string, scope: ParseScope): Ofpact {
  if (arg.includes('port') && arg.includes('max_len')) {
    let port: number = 0;
    let maxLen = 0;
    for (const kv of new KeyValueReader({ text: arg, at: token.at }).all()) {
      const loc: Located = kv;
      if (kv.key === 'port') {
        const p = portFromString(kv.value, scope.ports);
        if (p === null) throw failAt(loc, `output to unknown truncate port: ${kv.value}`);
        if (p > OFPP.MAX && p !== OFPP.LOCAL && p !== OFPP.IN_PORT) throw failAt(loc, `output to unsupported truncate port: ${kv.value}`);
        port = p;
      } else if (kv.key === 'max_len') {
        maxLen = num(parseU32(kv.value), loc);
        if (maxLen < 14) throw failAt(loc, `max_len ${maxLen} is less than the minimum value 14`);
      } else {
        throw failAt(loc, `invalid key '${kv.key}' in output_trunc argument`);
      }
    }
    return simple('output_trunc', token, [{ type: 'output_trunc', port, maxLen }], (cx) => {
      if (outputPortError(port)) throw cx.error(token, 'OFPBAC_BAD_OUT_PORT', `output to port ${port}`);
    });
  }
  const port = portFromString(arg, scope.ports);
  if (port !== null) return outputPort(token, port);
  const sf = parseSubfield(arg);
  if (typeof sf !== 'string') return outputToField(sf, token);
  throw failAt(token, `${arg}: output to unknown port`);
}

function outputPort(token: Located, port: number): Ofpact {
  return checked('output', token, { type: 'output', port: port32(port), maxLen: port === OFPP.CONTROLLER ? 0xffff : 0 }, (cx) => {
    if (outputPortError(port)) throw cx.error(token, 'OFPBAC_BAD_OUT_PORT', `output to port ${portName(port)}`);
  });
}

function portName(p: number): string {
  return p === OFPP.ANY ? 'ANY' : p === OFPP.UNSET ? 'UNSET' : String(p);
}

function vlanVid(token: Located, arg: string, push: boolean): Ofpact {
  const vid = num(parseU16(arg, 'VLAN VID'), token);
  if (vid & ~0xfff) throw failAt(token, `${arg}: not a valid VLAN VID`);
  let hasVlan = false;
  return {
    name: 'set_vlan_vid',
    token,
    slot: InstructionSlot.Apply,
    check: (cx) => {
      hasVlan = cx.flow.hasVlan();
      if (!hasVlan && !push) cx.soft(token, 'set_vlan_vid needs a VLAN match (or use mod_vlan_vid, which pushes a tag)');
      cx.flow.vlans[0] |= 0x1000;
    },
    lower: (): Action[] => [
      ...(push && !hasVlan ? [{ type: 'push_vlan' as const, ethertype: 0x8100 }] : []),
      { type: 'set_field', field: 'vlan_vid', value: vid | 0x1000 },
    ],
  };
}

function vlanPcp(token: Located, arg: string, push: boolean): Ofpact {
  const pcp = num(parseU8(arg, 'VLAN PCP'), token);
  if (pcp & ~7) throw failAt(token, `${arg}: not a valid VLAN PCP`);
  let hasVlan = false;
  return {
    name: 'set_vlan_pcp',
    token,
    slot: InstructionSlot.Apply,
    check: (cx) => {
      hasVlan = cx.flow.hasVlan();
      if (!hasVlan && !push) cx.soft(token, 'set_vlan_pcp needs a VLAN match (or use mod_vlan_pcp, which pushes a tag)');
      cx.flow.vlans[0] |= 0x1000;
    },
    lower: (): Action[] => [
      ...(push && !hasVlan ? [{ type: 'push_vlan' as const, ethertype: 0x8100 }] : []),
      { type: 'set_field', field: 'vlan_pcp', value: pcp },
    ],
  };
}

function popVlan(token: Located, name: string): Ofpact {
  return simple('strip_vlan', token, [{ type: 'pop_vlan' }], (cx) => {
    if (!cx.flow.hasVlan()) cx.soft(token, `${name} needs a VLAN match (OpenFlow 1.1+ cannot pop a tag that may not be there)`);
    cx.flow.vlans = [cx.flow.vlans[1], 0];
  });
}

function tpPort(token: Located, arg: string, which: 'src' | 'dst'): Ofpact {
  const port = num(parseU16(arg, which === 'src' ? 'source port' : 'destination port'), token);
  let proto = 0;
  return {
    name: `mod_tp_${which}`,
    token,
    slot: InstructionSlot.Apply,
    check: (cx) => {
      const f = cx.flow;
      if (!f.isIpAny() || f.nwFrag & 2 || (f.nwProto !== 6 && f.nwProto !== 17 && f.nwProto !== 132)) {
        cx.soft(token, `mod_tp_${which} needs a tcp, udp or sctp match`);
      }
      proto = f.nwProto;
    },
    lower: (): Action[] => {
      const l4 = proto === IPPROTO_TCP ? 'tcp' : proto === IPPROTO_UDP ? 'udp' : proto === IPPROTO_SCTP ? 'sctp' : null;
      if (l4) return [{ type: 'set_field', field: `${l4}_${which}`, value: port }];
      return [which === 'src' ? { type: 'set_tp_src', port } : { type: 'set_tp_dst', port }];
    },
  };
}

/** One `key[:=(]value` item of an action list. */
function parseOne(kv: KeyValue, scope: ParseScope, out: Ofpact[]): 'drop' | void {
  const token: Located = kv;
  const arg: Segment = valueOf(kv);
  const v = kv.value;
  const key = lowerCase(kv.key);
  switch (key) {
    case 'output':
    case 'output_reg':
      return void out.push(output(token, v, scope));
    case 'group':
      return void out.push(checked('group', token, { type: 'group', groupId: num(parseU32(v), token) }));
    case 'controller':
      return void out.push(parseController(arg, token));
    case 'enqueue':
      return void out.push(parseEnqueue(arg, token));
    case 'bundle':
      return void out.push(parseBundle(false, arg, token));
    case 'bundle_load':
      return void out.push(parseBundle(true, arg, token));
    case 'set_field':
      return void out.push(parseSetField(arg, token));
    case 'load':
      return void out.push(parseLoad(arg, token));
    case 'move':
      return void out.push(parseMove(arg, token));
    case 'push':
    case 'pop':
      return void out.push(parseStack(key, arg, token));
    case 'set_vlan_vid':
    case 'mod_vlan_vid':
      return void out.push(vlanVid(token, v, key === 'mod_vlan_vid'));
    case 'set_vlan_pcp':
    case 'mod_vlan_pcp':
      return void out.push(vlanPcp(token, v, key === 'mod_vlan_pcp'));
    case 'strip_vlan':
    case 'pop_vlan':
      return void out.push(popVlan(token, key));
    case 'push_vlan': {
      const eth = num(parseU16(v, 'ethertype'), token);
      if (eth !== 0x8100 && eth !== 0x88a8) throw failAt(token, `${v}: not a valid VLAN ethertype`);
      return void out.push(
        simple('push_vlan', token, [{ type: 'push_vlan', ethertype: eth }], (cx) => {
          if (cx.flow.vlans[1] & 0x1000) throw cx.error(token, 'OFPBAC_BAD_TAG', 'no room for a third VLAN tag');
          cx.flow.vlans = [cx.flow.vlans[0] | 0x1000, cx.flow.vlans[0]];
        }),
      );
    }
    case 'mod_dl_src':
    case 'mod_dl_dst': {
      const mac = parseMac(v);
      if (!mac) throw failAt(token, `invalid mac address ${v}`);
      const value = mac.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
      return void out.push(setWholeField(key, token, key === 'mod_dl_src' ? 'eth_src' : 'eth_dst', value));
    }
    case 'mod_nw_src':
    case 'mod_nw_dst': {
      const ip = parseIpv4(v);
      if (ip < 0) throw failAt(token, `${v}: could not convert to IP address`);
      return void out.push(
        setWholeField(key, token, key === 'mod_nw_src' ? 'ip_src' : 'ip_dst', BigInt(ip), (cx) => {
          if (cx.flow.etherType !== 0x0800) cx.soft(token, `${key} needs an ip match`);
        }),
      );
    }
    case 'mod_nw_tos': {
      const tos = num(parseU8(v, 'TOS'), token);
      if (tos & ~0xfc) throw failAt(token, `${v}: not a valid TOS`);
      return void out.push(setWholeField(key, token, 'ip_dscp', BigInt(tos >> 2), (cx) => checkSetIp(cx, token, key)));
    }
    case 'mod_nw_ecn': {
      const ecn = num(parseU8(v, 'ECN'), token);
      if (ecn & ~3) throw failAt(token, `${v}: not a valid ECN`);
      return void out.push(setWholeField(key, token, 'ip_ecn', BigInt(ecn), (cx) => checkSetIp(cx, token, key)));
    }
    case 'mod_nw_ttl':
    case 'set_nw_ttl': {
      const ttl = num(parseU8(v, 'TTL'), token);
      return void out.push(simple('mod_nw_ttl', token, [{ type: 'set_nw_ttl', ttl }], (cx) => checkSetIp(cx, token, key)));
    }
    case 'mod_tp_src':
    case 'mod_tp_dst':
      return void out.push(tpPort(token, v, key === 'mod_tp_src' ? 'src' : 'dst'));
    case 'dec_ttl':
      return void out.push(parseDecTtl(arg, token));
    case 'set_mpls_label': {
      if (!v) throw failAt(token, 'set_mpls_label: expected label.');
      const label = num(parseU32(v), token);
      if (label & ~0xfffff) throw failAt(token, `${v}: not a valid MPLS label`);
      return void out.push(setWholeField(key, token, 'mpls_label', BigInt(label), (cx) => checkSetMpls(cx, token, key)));
    }
    case 'set_mpls_tc': {
      if (!v) throw failAt(token, 'set_mpls_tc: expected tc.');
      const tc = num(parseU8(v, 'MPLS TC'), token);
      if (tc & ~7) throw failAt(token, `${v}: not a valid MPLS TC`);
      return void out.push(setWholeField(key, token, 'mpls_tc', BigInt(tc), (cx) => checkSetMpls(cx, token, key)));
    }
    case 'set_mpls_ttl': {
      if (!v) throw failAt(token, 'set_mpls_ttl: expected ttl.');
      const ttl = num(parseU8(v, 'MPLS TTL'), token);
      return void out.push(simple(key, token, [{ type: 'set_mpls_ttl', ttl }], (cx) => checkSetMpls(cx, token, key)));
    }
    case 'dec_mpls_ttl':
      return void out.push(simple(key, token, [{ type: 'dec_mpls_ttl' }], (cx) => checkSetMpls(cx, token, key)));
    case 'push_mpls': {
      const eth = num(parseU16(v, 'push_mpls'), token);
      if (eth !== 0x8847 && eth !== 0x8848) {
        throw failAt(token, `${v}: not an MPLS ethertype (0x8847 or 0x8848); ovs-ofctl sends it but the switch refuses it`);
      }
      return void out.push(
        simple(key, token, [{ type: 'push_mpls', ethertype: eth }], (cx) => {
          if (cx.flow.packetType !== 0) cx.soft(token, 'push_mpls needs an Ethernet packet');
          cx.flow.dlType = eth;
          cx.flow.nwProto = 0;
        }),
      );
    }
    case 'pop_mpls': {
      const eth = num(parseU16(v, 'pop_mpls'), token);
      return void out.push(
        simple(key, token, [{ type: 'pop_mpls', ethertype: eth }], (cx) => {
          if (cx.flow.packetType !== 0 || !cx.flow.isMpls()) cx.soft(token, 'pop_mpls needs an mpls match');
          cx.flow.dlType = eth;
        }),
      );
    }
    case 'dec_nsh_ttl':
      return void out.push(
        simple(key, token, [{ type: 'dec_nsh_ttl' }], (cx) => {
          if (cx.flow.packetType !== 0x1894f && cx.flow.dlType !== 0x894f) cx.soft(token, 'dec_nsh_ttl needs an nsh match');
        }),
      );
    case 'delete_field': {
      const f = ovsField(v) ?? (parseSubfield(v) as { field?: ReturnType<typeof ovsField> }).field;
      if (!f) throw failAt(token, `unknown field \`${v}'`);
      return void out.push(
        simple(key, token, [{ type: 'delete_field', field: f.def.name }], (cx) => {
          if (!f.variable) throw cx.error(token, 'OFPBAC_BAD_ARGUMENT', 'delete_field only deletes tun_metadata fields');
        }),
      );
    }
    case 'encap':
      return void out.push(parseEncap(arg, token));
    case 'decap':
      return void out.push(parseDecap(arg, token));
    case 'set_tunnel':
    case 'set_tunnel64': {
      const id = num(parseU64(v), token);
      return void out.push(setWholeField(key, token, 'tun_id', id));
    }
    case 'set_queue':
      return void out.push(simple(key, token, [{ type: 'set_queue', queueId: num(parseU32(v), token) }]));
    case 'pop_queue':
      return void out.push(simple(key, token, [{ type: 'pop_queue' }]));
    case 'fin_timeout':
      return void out.push(parseFinTimeout(arg, token));
    case 'resubmit':
      return void out.push(parseResubmit(arg, token));
    case 'learn':
      return void out.push(parseLearn(arg, token));
    case 'conjunction':
      return void out.push(parseConjunction(arg, token));
    case 'multipath':
      return void out.push(parseMultipath(arg, token));
    case 'note':
      return void out.push(parseNote(arg, token));
    case 'exit':
      return void out.push(simple(key, token, [{ type: 'exit' }]));
    case 'sample':
      return void out.push(parseSample(arg, token));
    case 'unroll_xlate':
      throw failAt(token, "UNROLL is an internal action that shouldn't be used via OpenFlow");
    case 'ct':
      return void out.push(parseCt(arg, token, scope, parseActionList));
    case 'ct_clear':
      return void out.push(simple(key, token, [{ type: 'ct_clear' }]));
    case 'nat':
      return void out.push(parseNat(arg, token));
    case 'output_trunc':
      throw failAt(token, `unknown action ${v} (write output(port=P,max_len=N))`);
    case 'clone': {
      const inner = parseActionList(arg, { ...scope, allowInstructions: false, outer: 'clone', depth: scope.depth + 1 });
      return void out.push({
        name: 'clone',
        token,
        slot: InstructionSlot.Apply,
        check: (cx) => cx.nested(() => inner.forEach((a) => a.check(cx))),
        lower: () => [{ type: 'clone', actions: lowerActions(inner) }],
      });
    }
    case 'check_pkt_larger':
      return void out.push(parseCheckPktLarger(arg, token));
    case 'debug_recirc':
      return void out.push(simple(key, token, [{ type: 'debug_recirc' }]));
    case 'debug_slow':
      return void out.push(simple(key, token, [{ type: 'debug_slow' }]));
    case 'meter': {
      const meterId = num(parseU32(v), token);
      if (!scope.allowInstructions)
        scope.notOf13 ??= { token, why: 'meter is an action only in OpenFlow 1.5; in OpenFlow 1.3 it is an instruction of a flow' };
      return void out.push(
        instruction(
          'meter',
          token,
          InstructionSlot.Meter,
          () => ({ type: 'meter', meterId }),
          (cx) => {
            if (meterId === 0 || meterId > 0xffff0000) throw cx.error(token, 'OFPMMFC_INVALID_METER', `meter ${meterId}`);
          },
        ),
      );
    }
    case 'clear_actions':
      return void out.push(instruction(key, token, InstructionSlot.Clear, () => ({ type: 'clear_actions' })));
    case 'write_actions': {
      const inner = parseActionList(arg, { ...scope, allowInstructions: false, outer: 'write_actions', depth: scope.depth + 1 });
      return void out.push({
        name: 'write_actions',
        token,
        slot: InstructionSlot.Write,
        check: (cx) => {
          // The action set is checked, but an inconsistency in it does not change what is usable.
          const saved = cx.inconsistent;
          cx.nested(() => inner.forEach((a) => a.check(cx)));
          cx.inconsistent = saved;
        },
        lower: () => [],
        instruction: () => ({ type: 'write_actions', actions: lowerActions(inner) }),
      });
    }
    case 'write_metadata': {
      const slash = v.indexOf('/');
      let mask = 0xffffffffffffffffn;
      if (slash >= 0) mask = num(parseU64(v.slice(slash + 1)), token);
      const metadata = num(parseU64(slash >= 0 ? v.slice(0, slash) : v), token);
      return void out.push(
        instruction(key, token, InstructionSlot.WriteMetadata, () => ({ type: 'write_metadata', metadata, metadataMask: mask })),
      );
    }
    case 'goto_table': {
      const t = tableFromString(v);
      if (t === null) throw failAt(token, `unknown table "${v}"`);
      return void out.push(
        instruction(
          key,
          token,
          InstructionSlot.GotoTable,
          () => ({ type: 'goto_table', tableId: t }),
          (cx) => {
            if (cx.tableId !== 255 && t <= cx.tableId) {
              throw cx.error(token, 'OFPBIC_BAD_TABLE_ID', `goto_table:${t} from table ${cx.tableId} (it must go to a later table)`);
            }
          },
        ),
      );
    }
    case 'drop':
      return 'drop';
    case 'apply_actions':
      throw failAt(token, 'apply_actions is the default instruction');
  }
  const port = portFromString(kv.key, scope.ports);
  if (port !== null) return void out.push(outputPort(token, port));
  throw failAt(token, `unknown action ${kv.key}`);
}

const CT_FIELDS = new Set(['ct_mark', 'ct_label']);

/** ofpacts_verify(): instruction order, nesting rules, conjunction alone. */
function verify(list: Ofpact[], scope: ParseScope): void {
  const conj = list.find((a) => a.name === 'conjunction');
  if (conj) {
    const other = list.find((a) => a.name !== 'conjunction' && a.name !== 'note');
    if (other) {
      throw failAt(
        other.token,
        `"conjunction" actions may be used along with "note" but not any other kind of action (such as the "${other.name}" action used here)`,
      );
    }
    return;
  }
  let slot = InstructionSlot.Meter;
  list.forEach((a, i) => {
    const field = a.dst;
    if (field && CT_FIELDS.has(field.def.name) && scope.outer !== 'ct') {
      throw failAt(a.token, 'cannot set CT fields outside of ct action');
    }
    if (a.name === 'nat') {
      if (scope.outer !== 'ct') throw failAt(a.token, 'Cannot have NAT action outside of "ct" action');
    } else if (scope.outer) {
      if (scope.outer === 'ct') {
        if (!field) throw failAt(a.token, `ct action doesn't support nested action ${a.name}`);
        if (!CT_FIELDS.has(field.def.name)) throw failAt(a.token, `ct action doesn't support nested modification of ${field.name}`);
      }
      if (a.name === 'meter') throw failAt(a.token, `${scope.outer} action doesn't support nested action meter`);
    }
    const next = a.slot;
    if (i > 0 && (slot === InstructionSlot.Apply ? next < slot : next <= slot)) {
      if (next === slot) {
        throw failAt(a.token, `duplicate ${SLOT_NAMES[slot]} instruction not allowed, for OpenFlow 1.1+ compatibility`);
      }
      throw failAt(
        a.token,
        `invalid instruction ordering: ${SLOT_NAMES[next]} must appear before ${SLOT_NAMES[slot]}, for OpenFlow 1.1+ compatibility`,
      );
    }
    if (!scope.allowInstructions && next !== InstructionSlot.Apply && next !== InstructionSlot.Meter) {
      throw failAt(a.token, `${SLOT_NAMES[next]} instruction not allowed here`);
    }
    slot = next;
  });
}

/** ofpacts_parse(): every item of `seg`, then the order and nesting checks. */
export function parseActionList(seg: Segment, scope: ParseScope): Ofpact[] {
  return parseActionItems(new KeyValueReader(seg).all(), seg, scope);
}

/** ofpacts_parse() over items already split (a bucket's `actions=` and other keys). */
export function parseActionItems(items: KeyValue[], seg: Segment, scope: ParseScope): Ofpact[] {
  if (scope.depth >= MAX_DEPTH) throw failAt(seg, 'Action nested too deeply');
  const out: Ofpact[] = [];
  let drop = false;
  for (const kv of items) {
    if (parseOne(kv, scope, out) === 'drop') drop = true;
  }
  if (drop && out.length) {
    throw failAt(seg, '"drop" must not be accompanied by any other action or instruction');
  }
  verify(out, scope);
  return out;
}

/** Checks the list against the match (`view`); throws on a hard error or when OpenFlow 1.3 cannot carry it. */
export function checkActions(list: Ofpact[], view: FlowView, tableId: number, scope: ParseScope): void {
  const cx = new CheckContext(view.copy(), tableId);
  for (const a of list) a.check(cx);
  if (scope.notOf13) throw failAt(scope.notOf13.token, `no usable protocol: ${scope.notOf13.why}`);
  if (cx.inconsistent) throw failAt(cx.inconsistent.token, `no usable protocol: ${cx.inconsistent.why}`);
}

/** The instructions of a flow, in the order OpenFlow 1.1+ requires (apply_actions grouped). */
export function lowerInstructions(list: Ofpact[]): Instruction[] {
  const out: Instruction[] = [];
  let apply: Action[] | null = null;
  for (const a of list) {
    if (a.slot === InstructionSlot.Apply) {
      if (!apply) {
        apply = [];
        out.push({ type: 'apply_actions', actions: apply });
      }
      apply.push(...lowerActions([a]));
    } else {
      apply = null;
      out.push(a.instruction!());
    }
  }
  // OVS leaves out an apply_actions or write_actions instruction that encodes no action.
  return out.filter((i) => !((i.type === 'apply_actions' || i.type === 'write_actions') && !i.actions.length));
}

export { FlowView, lowerActions };
