/**
 * Nicira actions with their own argument syntax: controller(...), bundle/bundle_load, multipath,
 * sample, encap/decap, conjunction, note, dec_ttl(ids), enqueue, fin_timeout, resubmit,
 * check_pkt_larger.
 */
import type { Action, Controller2Action, EncapProperty } from '../actions/types.js';
import { outputPortError } from './parse-action-check.js';
import { subFieldRef, subfieldOrFail } from './parse-action-fields.js';
import { simple, type Ofpact } from './parse-action-types.js';
import { KeyValueReader, valueOf, type Segment } from './lexer.js';
import { parseAtoi, parseCInteger, parseHexBytes, parseU16, parseU32, parseU8 } from './parse-numbers.js';
import { OFPP, port32, portFromString, tableFromString } from './parse-ports.js';
import { failAt, type Located, nameTable } from './parse-util.js';
import { OFPR_ACTION } from '../constants/openflow13.js';
import { PT_ETH, PT_MPLS, PT_MPLS_MC, PT_NSH } from '../constants/packet.js';
import { NX_CTLR_NO_METER } from '../constants/nicira.js';

const REASONS: Readonly<Record<string, number>> = nameTable({
  no_match: 0,
  action: 1,
  invalid_ttl: 2,
  action_set: 3,
  group: 4,
  packet_out: 5,
});

function num(v: number | string, loc: Located): number {
  if (typeof v === 'string') throw failAt(loc, v);
  return v;
}

/** `controller`, `controller:MAX_LEN`, `controller(key=value,...)`. */
export function parseController(arg: Segment, token: Located): Ofpact {
  let reason = OFPR_ACTION;
  let controllerId = 0;
  let maxLen = 0xffff;
  let meterId = NX_CTLR_NO_METER;
  let userdata: Buffer | null = null;
  let pause = false;
  if (arg.text === '') {
    // defaults
  } else if (/^[0-9]+$/.test(arg.text)) {
    maxLen = num(parseU16(arg.text, 'max_len'), token);
  } else {
    for (const kv of new KeyValueReader(arg).all()) {
      const loc: Located = kv;
      switch (kv.key) {
        case 'reason': {
          const r = REASONS[kv.value];
          if (r === undefined) throw failAt(loc, `unknown reason "${kv.value}"`);
          reason = r;
          break;
        }
        case 'max_len':
          maxLen = num(parseU16(kv.value, 'max_len'), loc);
          break;
        case 'id':
          controllerId = num(parseU16(kv.value, 'id'), loc);
          break;
        case 'userdata': {
          const b = parseHexBytes(kv.value);
          if (!b) throw failAt(loc, "bad hex digit in `controller' action `userdata'");
          userdata = b;
          break;
        }
        case 'pause':
          pause = true;
          break;
        case 'meter_id':
          meterId = num(parseU32(kv.value), loc);
          break;
        default:
          throw failAt(loc, `unknown key "${kv.key}" parsing controller action`);
      }
    }
  }
  if (reason === OFPR_ACTION && controllerId === 0 && !userdata && !pause && meterId === NX_CTLR_NO_METER) {
    return simple('output', token, [{ type: 'output', port: port32(OFPP.CONTROLLER), maxLen }]);
  }
  if (userdata?.length || pause || meterId !== NX_CTLR_NO_METER) {
    const a: Controller2Action = { type: 'controller2' };
    if (maxLen !== 0xffff) a.maxLen = maxLen;
    if (controllerId !== 0) a.controllerId = controllerId;
    if (reason !== OFPR_ACTION) a.reason = reason;
    if (userdata?.length) a.userdata = userdata;
    if (pause) a.pause = true;
    if (meterId !== NX_CTLR_NO_METER) a.meterId = meterId;
    return simple('controller', token, [a]);
  }
  return simple('controller', token, [{ type: 'controller', maxLen, controllerId, reason }]);
}

/** `enqueue:PORT:QUEUE` / `enqueue(PORT,QUEUE)`: set_queue, output and pop_queue in OpenFlow 1.3. */
export function parseEnqueue(arg: Segment, token: Located): Ofpact {
  const m = /^([^:q,]*)[:q,](.*)$/.exec(arg.text.replace(/^[:q,]+/, ''));
  if (!m || !m[1] || !m[2]) throw failAt(token, '"enqueue" syntax is "enqueue:PORT:QUEUE" or "enqueue(PORT,QUEUE)"');
  const port = portFromString(m[1]);
  if (port === null) throw failAt(token, `${m[1]}: enqueue to unknown port`);
  const queue = num(parseU32(m[2]), token);
  return simple(
    'enqueue',
    token,
    [{ type: 'set_queue', queueId: queue }, { type: 'output', port: port32(port), maxLen: 0xffff }, { type: 'pop_queue' }],
    (cx) => {
      if (port >= OFPP.MAX && port !== OFPP.IN_PORT && port !== OFPP.LOCAL) {
        throw cx.error(token, 'OFPBAC_BAD_OUT_PORT', `enqueue to port ${m[1]}`);
      }
    },
  );
}

/** `resubmit:PORT`, `resubmit(PORT,TABLE[,ct])`. */
export function parseResubmit(arg: Segment, token: Located): Ofpact {
  const parts = arg.text.split(',');
  const [portS = '', tableS = '', ctS = ''] = parts;
  let inPort: number = OFPP.IN_PORT;
  if (portS) {
    const p = portFromString(portS);
    if (p === null) throw failAt(token, `${portS}: resubmit to unknown port`);
    inPort = p;
  }
  let tableId = 255;
  if (tableS) {
    const t = tableFromString(tableS);
    if (t === null) throw failAt(token, `${tableS}: resubmit to unknown table`);
    tableId = t;
  }
  let ct = false;
  if (ctS) {
    if (ctS !== 'ct') throw failAt(token, `${ctS}: unknown parameter`);
    ct = true;
  }
  if (inPort === OFPP.IN_PORT && tableId === 255) {
    throw failAt(token, 'at least one "in_port" or "table" must be specified on resubmit');
  }
  return simple(
    'resubmit',
    token,
    [ct ? { type: 'resubmit_table_ct', inPort, tableId } : { type: 'resubmit_table', inPort, tableId }],
    (cx) => {
      if (ct && !cx.flow.isCtValid()) {
        throw cx.error(
          token,
          'OFPBAC_MATCH_INCONSISTENT',
          'resubmit(...,ct) needs a ct_state match that implies a tracked connection (+est, +new, +trk-inv…)',
        );
      }
    },
  );
}

/** `dec_ttl` / `dec_ttl(ID,...)`. */
export function parseDecTtl(arg: Segment, token: Located): Ofpact {
  const check = (cx: import('./parse-action-check.js').CheckContext) => {
    if (!cx.flow.isIpAny()) cx.soft(token, 'dec_ttl needs an ip or ipv6 match');
  };
  if (arg.text === '') return simple('dec_ttl', token, [{ type: 'dec_nw_ttl' }], check);
  const ids: number[] = [];
  for (const t of arg.text.split(/[, ]+/).filter((x) => x)) {
    const v = parseAtoi(t, 0xffff, 'controller id');
    if (typeof v === 'string') throw failAt(token, `dec_ttl: ${v}`);
    ids.push(v);
  }
  if (!ids.length) throw failAt(token, 'dec_ttl_cnt_ids: expected at least one controller id.');
  return simple('dec_ttl', token, [{ type: 'dec_ttl_cnt_ids', controllerIds: ids }], check);
}

/** `note:HEX` (bytes, optionally separated by dots): padded as OVS pads it. */
export function parseNote(arg: Segment, token: Located): Ofpact {
  const b = parseHexBytes(arg.text);
  if (!b) throw failAt(token, "bad hex digit in `note' argument");
  const total = Math.max(16, Math.ceil((10 + b.length) / 8) * 8);
  const note = Buffer.alloc(total - 10);
  b.copy(note);
  return simple('note', token, [{ type: 'note', note }]);
}

/** `conjunction(ID,K/N)`. */
export function parseConjunction(arg: Segment, token: Located): Ofpact {
  const m =
    /^[ \t\n\v\f\r]*([+-]?(?:0[xX][0-9a-fA-F]+|[0-9]+))[ \t\n\v\f\r]*,[ \t\n\v\f\r]*([+-]?[0-9]+)[ \t\n\v\f\r]*\/[ \t\n\v\f\r]*([+-]?[0-9]+)[ \t\n\v\f\r]*$/.exec(
      arg.text,
    );
  if (!m) throw failAt(token, '"conjunction" syntax is "conjunction(id,i/n)"');
  const idBig = parseCInteger(m[1]!);
  if (idBig === null || idBig > 0xffffffffn || idBig < -0x80000000n) throw failAt(token, '"conjunction" syntax is "conjunction(id,i/n)"');
  const clause = Number(m[2]);
  const n = Number(m[3]);
  // scanf's %u8 wraps a negative or larger number around; ovs-ofctl would use the wrapped one.
  if (clause > 255 || n > 255 || clause < 0 || n < 0) throw failAt(token, '"conjunction" syntax is "conjunction(id,i/n)"');
  if (n < 2) throw failAt(token, 'conjunction must have at least 2 clauses');
  if (n > 64) throw failAt(token, 'conjunction must have at most 64 clauses');
  if (clause < 1) throw failAt(token, 'clause index must be positive');
  if (clause > n) throw failAt(token, 'clause index must be less than or equal to number of clauses');
  const id = Number(BigInt.asUintN(32, idBig));
  return simple('conjunction', token, [{ type: 'conjunction', id, clause: clause - 1, nClauses: n }]);
}

const HASH_FIELDS: Readonly<Record<string, number>> = nameTable({
  eth_src: 0,
  symmetric_l4: 1,
  symmetric_l3l4: 2,
  'symmetric_l3l4+udp': 3,
  nw_src: 4,
  nw_dst: 5,
  symmetric_l3: 6,
});
const MP_ALGORITHMS: Readonly<Record<string, number>> = nameTable({ modulo_n: 0, hash_threshold: 1, hrw: 2, iter_hash: 3 });

/** `multipath(fields,basis,algorithm,n_links,arg,dst)`. */
export function parseMultipath(arg: Segment, token: Located): Ofpact {
  const s = arg.text;
  const t = s.split(/[, ]+/).filter((x) => x);
  if (t.length < 6) throw failAt(token, `${s}: not enough arguments to multipath action`);
  const fields = HASH_FIELDS[t[0]!.toLowerCase()];
  if (fields === undefined) throw failAt(token, `${s}: unknown fields \`${t[0]}'`);
  const basis = num(parseAtoi(t[1]!, 0xffff, 'basis'), token);
  const algorithm = MP_ALGORITHMS[t[2]!.toLowerCase()];
  if (algorithm === undefined) throw failAt(token, `${s}: unknown algorithm \`${t[2]}'`);
  const nLinks = Number(t[3]);
  if (!/^[0-9]+$/.test(t[3]!) || nLinks < 1 || nLinks > 65536) {
    throw failAt(token, `${s}: n_links ${t[3]} is not in valid range 1 to 65536`);
  }
  const mpArg = num(parseAtoi(t[4]!, 0x7fffffff, 'arg'), token);
  const dst = subfieldOrFail(t[5]!, token);
  if (dst.field.experimenter) throw failAt(token, `${s}: experimenter OXM field '${t[5]}' not supported`);
  if (dst.nBits < 16 && nLinks > 1 << dst.nBits) {
    throw failAt(
      token,
      `${s}: ${dst.nBits}-bit destination field has ${1 << dst.nBits} possible values, less than specified n_links ${nLinks}`,
    );
  }
  return simple(
    'multipath',
    token,
    () => [{ type: 'multipath', fields, basis, algorithm, maxLink: nLinks - 1, arg: mpArg, dst: subFieldRef(dst) }],
    (cx) => cx.checkField(token, dst.field, true),
  );
}

/** `bundle(fields,basis,algorithm,ofport,members:P,...)` and `bundle_load(...,dst,members:...)`. */
export function parseBundle(load: boolean, arg: Segment, token: Located): Ofpact {
  const s = arg.text;
  // strtok_r with ", " for the leading arguments, ": " for the delimiter word, ", []" for members.
  let pos = 0;
  const next = (delims: string): string | null => {
    while (pos < s.length && delims.includes(s[pos]!)) pos++;
    if (pos >= s.length) return null;
    const start = pos;
    while (pos < s.length && !delims.includes(s[pos]!)) pos++;
    const tok = s.slice(start, pos);
    if (pos < s.length) pos++;
    return tok;
  };
  const fieldsS = next(', ');
  const basisS = next(', ');
  const algS = next(', ');
  const typeS = next(', ');
  const dstS = load ? next(', ') : null;
  const delim = next(': ');
  if (!fieldsS || !basisS || !algS || !typeS || (load && !dstS) || !delim) {
    throw failAt(token, `${s}: not enough arguments to bundle action`);
  }
  if (delim.toLowerCase() !== 'members' && delim.toLowerCase() !== 'slaves') {
    throw failAt(token, `${s}: missing member delimiter, expected \`members', got \`${delim}'`);
  }
  const members: number[] = [];
  for (let m = next(', []'); m !== null && members.length < 2048; m = next(', []')) {
    const p = portFromString(m);
    if (p === null) throw failAt(token, `${m}: bad port number`);
    members.push(p);
  }
  const basis = num(parseAtoi(basisS, 0xffff, 'basis'), token);
  const fields = HASH_FIELDS[fieldsS.toLowerCase()];
  if (fields === undefined) throw failAt(token, `${s}: unknown fields \`${fieldsS}'`);
  const algorithm = algS.toLowerCase() === 'active_backup' ? 0 : algS.toLowerCase() === 'hrw' ? 1 : -1;
  if (algorithm < 0) throw failAt(token, `${s}: unknown algorithm \`${algS}'`);
  if (typeS.toLowerCase() !== 'ofport') throw failAt(token, `${s}: unknown member_type \`${typeS}'`);
  const dst = dstS ? subfieldOrFail(dstS, token) : null;
  if (dst?.field.experimenter) throw failAt(token, `${s}: experimenter OXM field '${dstS}' not supported`);
  const memberType = 0x00000002; // NXM_OF_IN_PORT
  return simple(
    load ? 'bundle_load' : 'bundle',
    token,
    () =>
      dst
        ? [{ type: 'bundle_load', algorithm, fields, basis, memberType, members, dst: subFieldRef(dst) }]
        : [{ type: 'bundle', algorithm, fields, basis, memberType, members }],
    (cx) => {
      if (dst) cx.checkField(token, dst.field, true);
      for (const p of members) {
        if (p !== OFPP.NONE && outputPortError(p)) throw cx.error(token, 'OFPBAC_BAD_OUT_PORT', `invalid member ${p}`);
        if (p === OFPP.CONTROLLER) throw cx.error(token, 'OFPBAC_BAD_OUT_PORT', 'unsupported controller member');
      }
    },
  );
}

/** `sample(probability=N,collector_set_id=N,obs_domain_id=N,obs_point_id=N[,sampling_port=P][,ingress|egress])`. */
export function parseSample(arg: Segment, token: Located): Ofpact {
  let probability = 0;
  let collectorSetId = 0;
  let obsDomainId = 0;
  let obsPointId = 0;
  let samplingPort: number = OFPP.NONE;
  let direction = 0;
  for (const kv of new KeyValueReader(arg).all()) {
    const loc: Located = kv;
    switch (kv.key) {
      case 'probability':
        probability = num(parseU16(kv.value, 'probability'), loc);
        if (probability === 0) throw failAt(loc, `invalid probability value "${kv.value}"`);
        break;
      case 'collector_set_id':
        collectorSetId = num(parseU32(kv.value), loc);
        break;
      case 'obs_domain_id':
        obsDomainId = num(parseU32(kv.value), loc);
        break;
      case 'obs_point_id':
        obsPointId = num(parseU32(kv.value), loc);
        break;
      case 'sampling_port': {
        const p = portFromString(kv.value);
        if (p === null) throw failAt(loc, `${kv.value}: unknown port`);
        samplingPort = p;
        break;
      }
      case 'ingress':
        direction = 1;
        break;
      case 'egress':
        direction = 2;
        break;
      default:
        throw failAt(loc, `invalid key "${kv.key}" in "sample" argument`);
    }
  }
  if (probability === 0) throw failAt(token, 'non-zero "probability" must be specified on sample');
  const body = { probability, collectorSetId, obsDomainId, obsPointId };
  let a: Action;
  if (direction) a = { type: 'sample3', ...body, samplingPort, direction };
  else if (samplingPort !== OFPP.NONE) a = { type: 'sample2', ...body, samplingPort };
  else a = { type: 'sample', ...body };
  return simple('sample', token, [a]);
}

/** `fin_timeout(idle_timeout=N,hard_timeout=N)`. */
export function parseFinTimeout(arg: Segment, token: Located): Ofpact {
  let finIdleTimeout = 0;
  let finHardTimeout = 0;
  for (const kv of new KeyValueReader(arg).all()) {
    const loc: Located = kv;
    if (kv.key === 'idle_timeout') finIdleTimeout = num(parseU16(kv.value, kv.key), loc);
    else if (kv.key === 'hard_timeout') finHardTimeout = num(parseU16(kv.value, kv.key), loc);
    else throw failAt(loc, `invalid key '${kv.key}' in 'fin_timeout' argument`);
  }
  return simple('fin_timeout', token, [{ type: 'fin_timeout', finIdleTimeout, finHardTimeout }], (cx) => {
    if (cx.flow.nwProto !== 6) cx.soft(token, 'fin_timeout needs a tcp match');
  });
}

/** `check_pkt_larger(LEN)->DST[bit]`. */
export function parseCheckPktLarger(arg: Segment, token: Located): Ofpact {
  const i = arg.text.indexOf('->');
  if (i < 0) throw failAt(token, `${arg.text}: missing \`->'`);
  const key = arg.text.slice(i + 2);
  if (!key) throw failAt(token, `${arg.text}: missing field name following \`->'`);
  let value = arg.text.slice(0, i);
  if (value.endsWith(')')) value = value.slice(0, -1);
  const dst = subfieldOrFail(key, token);
  if (dst.nBits !== 1) throw failAt(token, 'Only 1-bit destination field is allowed');
  const pktLen = num(parseU16(value, 'packet length'), token);
  return simple('check_pkt_larger', token, () => [{ type: 'check_pkt_larger', pktLen, dst: subFieldRef(dst) }]);
}

/** `encap(ethernet|nsh(md_type=N,tlv(CLASS,TYPE,HEX))|mpls|mpls_mc)`. */
export function parseEncap(arg: Segment, token: Located): Ofpact {
  const kv = new KeyValueReader(arg).next();
  if (!kv) throw failAt(token, `Missing encap hdr: ${arg.text}`);
  const types = nameTable({ ethernet: PT_ETH, nsh: PT_NSH, mpls: PT_MPLS, mpls_mc: PT_MPLS_MC });
  const packetType = types[kv.key];
  if (packetType === undefined) throw failAt(token, `Encap hdr not supported: ${kv.value}`);
  const properties: EncapProperty[] = [];
  for (const p of new KeyValueReader(valueOf(kv)).all()) {
    const loc = { text: p.raw, at: p.rawAt };
    if (kv.key !== 'nsh' || (p.key !== 'md_type' && p.key !== 'tlv')) throw failAt(loc, `Invalid property: ${p.key}`);
    if (!p.value) throw failAt(loc, 'Value missing for encap property');
    if (p.key === 'md_type') {
      const md = num(parseU8(p.value, 'md_type'), loc);
      if (md < 1 || md > 2) throw failAt(loc, 'invalid md_type');
      properties.push({ type: 'nsh_md_type', mdType: md });
    } else {
      const m = /^0x([0-9a-fA-F]{1,4}),([0-9]+),0x([0-9a-fA-F]{1,251})$/.exec(p.value);
      if (!m || Number(m[2]) > 255) throw failAt(loc, `Invalid NSH TLV header: ${p.value}`);
      const hex = m[3]!.length % 2 ? m[3]!.slice(0, -1) : m[3]!;
      properties.push({ type: 'nsh_tlv', tlvClass: parseInt(m[1]!, 16), tlvType: Number(m[2]), value: Buffer.from(hex, 'hex') });
    }
  }
  return simple('encap', token, [{ type: 'encap', hdrSize: 0, packetType, properties }], (cx) => {
    const f = cx.flow;
    f.packetType = packetType;
    if (packetType >>> 16 === 1) f.dlType = packetType & 0xffff;
    if (!f.isIpAny()) f.nwProto = 0;
  });
}

/** `decap()` / `decap(packet_type(ns=N,type=T))`. */
export function parseDecap(arg: Segment, token: Located): Ofpact {
  let packetType = 0xfffe; // PT_USE_NEXT_PROTO
  const kv = new KeyValueReader(arg).next();
  if (kv) {
    if (kv.key !== 'packet_type') throw failAt(token, `Invalid decap argument: ${kv.key}`);
    const r = new KeyValueReader(valueOf(kv));
    const ns = r.next();
    if (!ns || ns.key !== 'ns') throw failAt(token, 'Missing packet_type attribute ns');
    const nsV = num(parseU16(ns.value, 'ns'), token);
    if (nsV >= 5) throw failAt(token, `Unsupported ns value: ${nsV}`);
    const type = r.next();
    if (!type || type.key !== 'type') throw failAt(token, 'Missing packet_type attribute type');
    const typeV = num(parseU16(type.value, 'type'), token);
    packetType = ((nsV << 16) | typeV) >>> 0;
  }
  return simple('decap', token, [{ type: 'decap', packetType }], (cx) => {
    const f = cx.flow;
    if (f.packetType === PT_ETH) {
      f.packetType = (0x10000 | f.dlType) >>> 0;
    } else {
      f.packetType = 0xfffffffe;
      f.dlType = 0xffff;
    }
  });
}
