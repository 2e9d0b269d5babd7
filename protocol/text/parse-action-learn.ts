/**
 * `learn(...)`: table, priority, idle/hard/fin timeouts, cookie, send_flow_rem, delete_learned,
 * limit, result_dst, and the flow specs: `FIELD[a..b]` (match the same bits), `DST=SRC` or
 * `DST=VALUE` (match), `load:SRC->DST` or `load:VALUE->DST`, `output:SRC`. NXAST_LEARN2 is used
 * when a limit or result_dst is given, as Open vSwitch does.
 */
import type { LearnSpec } from '../actions/types.js';
import { fromBig, ones, toBig } from '../fields/convert.js';
import { FlowMatch, applyField } from '../fields/flow.js';
import { parseFieldValue } from '../fields/text.js';
import { FlowView, type CheckContext } from './parse-action-check.js';
import { subFieldRef } from './parse-action-fields.js';
import { InstructionSlot, type Ofpact } from './parse-action-types.js';
import { parseSubfield, parseSubfieldPrefix, type OvsField, type ParsedSubfield } from './parse-fields.js';
import { bigToBuffer } from './parse-match.js';
import { KeyValueReader, type Segment } from './lexer.js';
import { parseAtoi, parseIntString, parseU64 } from './parse-numbers.js';
import { tableFromString } from './parse-ports.js';
import { failAt, type Located } from './parse-util.js';

type Sub = Pick<ParsedSubfield, 'field' | 'ofs' | 'nBits'>;

type Spec =
  | { kind: 'match_field'; src: Sub; dst: Sub }
  | { kind: 'match_immediate'; value: bigint; dst: Sub }
  | { kind: 'load_field'; src: Sub; dst: Sub }
  | { kind: 'load_immediate'; value: bigint; dst: Sub }
  | { kind: 'output'; src: Sub };

function noExperimenter(field: OvsField, orig: string, name: string, loc: Located): void {
  if (field.experimenter) throw failAt(loc, `${orig}: experimenter OXM field '${name}' not supported`);
}

/** A whole-field immediate (mf_parse_value), as an integer over the field's width. */
function fieldImmediate(field: OvsField, text: string): bigint | string {
  if (field.variable) return parseIntString(text, field.nBytes);
  if (text.includes('/')) return `${text}: masks are not allowed here`;
  try {
    const p = parseFieldValue(field.def, text);
    if (p.mask !== undefined) return `${text}: masks are not allowed here`;
    let v = toBig(field.def, p.value);
    if (field.name === 'in_port' && v >= 0xffffff00n) v -= 0xffff0000n;
    return v;
  } catch (err) {
    return (err as Error).message;
  }
}

function parseSpec(orig: string, name: string, value: string, loc: Located): Spec {
  const dst = parseSubfield(name);
  if (typeof dst !== 'string') {
    noExperimenter(dst.field, orig, name, loc);
    if (value === '') return { kind: 'match_field', src: dst, dst };
    const src = parseSubfield(value);
    if (typeof src !== 'string') {
      if (src.nBits !== dst.nBits) {
        throw failAt(loc, `${orig}: bit widths of ${name} (${dst.nBits}) and ${value} (${src.nBits}) differ`);
      }
      noExperimenter(src.field, orig, value, loc);
      return { kind: 'match_field', src, dst };
    }
    let imm: bigint | string;
    if (dst.ofs === 0 && dst.nBits === dst.field.nBits) {
      imm = fieldImmediate(dst.field, value);
    } else {
      imm = parseIntString(value, dst.field.nBytes);
      if (typeof imm !== 'string' && imm >> BigInt(dst.nBits)) imm = `${orig}: value ${value} does not fit into ${dst.nBits} bits`;
    }
    if (typeof imm === 'string') {
      throw failAt(loc, `${orig}: ${name} value ${value} cannot be parsed as a subfield (${src}) or an immediate value (${imm})`);
    }
    return { kind: 'match_immediate', value: imm & ones(dst.nBits), dst };
  }
  if (name === 'load') {
    const arrow = value.indexOf('->');
    if (arrow === 0) throw failAt(loc, `${name}: missing source before \`->' in \`${value}'`);
    if (arrow < 0) throw failAt(loc, `${name}: missing \`->' in \`${value}'`);
    const immText = value.slice(0, arrow);
    const asNumber = /^[+-]?(0[xX][0-9a-fA-F]+|[0-9]+)/.exec(immText);
    if (asNumber) {
      if (asNumber[0] !== immText) throw failAt(loc, `${name}: garbage before \`->' in \`${value}'`);
      const v = parseIntString(immText, 16);
      if (typeof v === 'string') throw failAt(loc, `${value}: ${v}`);
      const d = parseSubfield(value.slice(arrow + 2));
      if (typeof d === 'string') throw failAt(loc, d);
      noExperimenter(d.field, value, value.slice(arrow + 2), loc);
      if (v >> BigInt(d.nBits)) throw failAt(loc, `${value}: value does not fit into ${d.nBits} bits`);
      return { kind: 'load_immediate', value: v, dst: d };
    }
    const src = parseSubfieldPrefix(value);
    if (typeof src === 'string') throw failAt(loc, src);
    if (value.slice(src.length, src.length + 2) !== '->') throw failAt(loc, `${value}: missing \`->' following source`);
    const d = parseSubfield(value.slice(src.length + 2));
    if (typeof d === 'string') throw failAt(loc, d);
    if (src.nBits !== d.nBits) {
      throw failAt(loc, `${value}: source field is ${src.nBits} bits wide but destination is ${d.nBits} bits wide`);
    }
    return { kind: 'load_field', src, dst: d };
  }
  if (name === 'output') {
    const src = parseSubfield(value);
    if (typeof src === 'string') throw failAt(loc, src);
    return { kind: 'output', src };
  }
  throw failAt(loc, `${orig}: unknown keyword ${name}`);
}

/** The learned flow's match, as far as the specs' immediates define it (learn_check). */
class LearnedMatch {
  readonly flow = new FlowMatch();
  private readonly values = new Map<string, { v: bigint; m: bigint }>();

  write(sub: Sub, value: bigint): void {
    const f = sub.field;
    if (f.variable) return;
    const cur = this.values.get(f.name) ?? { v: 0n, m: 0n };
    const bits = ones(sub.nBits) << BigInt(sub.ofs);
    const next = { v: (cur.v & ~bits) | ((value << BigInt(sub.ofs)) & bits), m: cur.m | bits };
    this.values.set(f.name, next);
    let v = next.v;
    let m = next.m;
    if (f.name === 'in_port') {
      // a 16-bit OpenFlow 1.0 port in a 32-bit slot
      if (v >= 0xff00n) v += 0xffff0000n;
      m = m === 0xffffn ? 0xffffffffn : m;
    }
    try {
      applyField(this.flow, { field: f.def.name, value: fromBig(f.def, v), mask: fromBig(f.def, m) });
    } catch {
      // a value the match model cannot hold changes nothing the checks look at
    }
  }
}

export function parseLearn(arg: Segment, token: Located): Ofpact {
  const orig = arg.text;
  let tableId = 1;
  let priority = 0x8000;
  let idleTimeout = 0;
  let hardTimeout = 0;
  let finIdleTimeout = 0;
  let finHardTimeout = 0;
  let cookie = 0n;
  let flags = 0;
  let limit = 0;
  let resultDst: ParsedSubfield | null = null;
  const specs: Spec[] = [];
  for (const kv of new KeyValueReader(arg).all()) {
    const loc: Located = kv;
    const u16 = (what: string): number => {
      const v = parseAtoi(kv.value, 0xffff, what);
      if (typeof v === 'string') throw failAt(loc, v);
      return v;
    };
    switch (kv.key) {
      case 'table': {
        const t = tableFromString(kv.value);
        if (t === null) throw failAt(loc, `unknown table "${kv.value}"`);
        if (t === 255) throw failAt(loc, `${orig}: table id 255 not valid for \`learn' action`);
        tableId = t;
        break;
      }
      case 'priority':
        priority = u16('priority');
        break;
      case 'idle_timeout':
        idleTimeout = u16('idle_timeout');
        break;
      case 'hard_timeout':
        hardTimeout = u16('hard_timeout');
        break;
      case 'fin_idle_timeout':
        finIdleTimeout = u16('fin_idle_timeout');
        break;
      case 'fin_hard_timeout':
        finHardTimeout = u16('fin_hard_timeout');
        break;
      case 'cookie': {
        const c = parseU64(kv.value);
        if (typeof c === 'string') throw failAt(loc, c);
        cookie = c;
        break;
      }
      case 'send_flow_rem':
        flags |= 1;
        break;
      case 'delete_learned':
        flags |= 2;
        break;
      case 'limit': {
        const l = parseAtoi(kv.value, 0xffffffff, 'limit');
        if (typeof l === 'string') throw failAt(loc, l);
        limit = l;
        break;
      }
      case 'result_dst': {
        flags |= 4;
        const sf = parseSubfield(kv.value);
        if (typeof sf === 'string') throw failAt(loc, sf);
        if (!sf.field.writable) throw failAt(loc, `${kv.value} is read-only`);
        if (sf.nBits !== 1) throw failAt(loc, "result_dst in 'learn' action must be a single bit");
        resultDst = sf;
        break;
      }
      default:
        specs.push(parseSpec(orig, kv.key, kv.delim === '' ? '' : kv.value, loc));
    }
  }
  const rd = resultDst;
  return {
    name: 'learn',
    token,
    slot: InstructionSlot.Apply,
    check: (cx: CheckContext) => {
      const learned = new LearnedMatch();
      const bad = (sub: Sub, dst: boolean, view: FlowView): void => {
        if (!view.prereqOk(sub.field.def.prereq)) {
          throw cx.error(
            token,
            'OFPBAC_MATCH_INCONSISTENT',
            `${dst ? 'destination' : 'source'} field ${sub.field.name} lacks correct prerequisites`,
          );
        }
        if (dst && !sub.field.writable) {
          throw cx.error(token, 'OFPBAC_BAD_SET_ARGUMENT', `destination field ${sub.field.name} is not writable`);
        }
      };
      for (const s of specs) {
        if (s.kind === 'match_field' || s.kind === 'load_field' || s.kind === 'output') bad(s.src, false, cx.flow);
        if (s.kind === 'match_field' || s.kind === 'match_immediate') {
          bad(s.dst, false, FlowView.of(learned.flow));
          if (s.kind === 'match_immediate') learned.write(s.dst, s.value);
        } else if (s.kind === 'load_field' || s.kind === 'load_immediate') {
          bad(s.dst, true, FlowView.of(learned.flow));
        }
      }
    },
    lower: () => {
      const body = {
        idleTimeout,
        hardTimeout,
        priority,
        cookie,
        flags,
        tableId,
        finIdleTimeout,
        finHardTimeout,
        specs: specs.map(lowerSpec),
      };
      if (limit || rd) {
        const a = { type: 'learn2' as const, ...body, limit };
        return [rd ? { ...a, resultDst: subFieldRef(rd) } : a];
      }
      return [{ type: 'learn' as const, ...body }];
    },
  };
}

function immediate(value: bigint, nBits: number): Buffer {
  return bigToBuffer(value, 2 * Math.ceil(nBits / 16));
}

function lowerSpec(s: Spec): LearnSpec {
  switch (s.kind) {
    case 'match_field':
      return { kind: 'match_field', src: subFieldRef(s.src), dst: subFieldRef(s.dst) };
    case 'match_immediate':
      return { kind: 'match_immediate', value: immediate(s.value, s.dst.nBits), dst: subFieldRef(s.dst) };
    case 'load_field':
      return { kind: 'load_field', src: subFieldRef(s.src), dst: subFieldRef(s.dst) };
    case 'load_immediate':
      return { kind: 'load_immediate', value: immediate(s.value, s.dst.nBits), dst: subFieldRef(s.dst) };
    case 'output':
      return { kind: 'output', src: subFieldRef(s.src) };
  }
}
