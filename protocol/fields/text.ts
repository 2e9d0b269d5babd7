/**
 * Field values in ovs-ofctl syntax: parsing what ovs-ofctl accepts for a field (`FIELD=VALUE` in
 * flows, the VALUE of set_field) and printing it exactly as ovs-ofctl 3.1 does.
 */
import { bigToBytes, bytesToBig, fromBig, ones, toBig } from './convert.js';
import { MASK_IS_VALUE_FIELDS } from './flow.js';
import { fieldBytes, type FieldDef } from './registry.js';
import type { FieldValue } from './types.js';
import { formatIpv4, formatIpv6, formatMac, parseIpv4, parseIpv6, parseMac } from './values.js';
import { parseCInteger, parseDecimalU32 } from '../text/parse-numbers.js';
import { OFPP11_OFFSET, OFPP16_MAX } from '../constants/openflow13.js';

/** A parsed field value. `mask` is absent for an exact match and 0 (all bits) for `*` or `/0`. */
export interface ParsedField {
  value: FieldValue;
  mask?: FieldValue;
}

/** Port names ovs-ofctl knows (OpenFlow 1.0 numbering; OpenFlow 1.1+ adds 0xffff0000). */
export const PORT_NAMES = {
  UNSET: 0xfff7,
  IN_PORT: 0xfff8,
  TABLE: 0xfff9,
  NORMAL: 0xfffa,
  FLOOD: 0xfffb,
  ALL: 0xfffc,
  CONTROLLER: 0xfffd,
  LOCAL: 0xfffe,
  ANY: 0xffff,
} as const;
const PORT_BY_NUMBER = new Map<number, string>(Object.entries(PORT_NAMES).map(([k, v]) => [v, k]));

const TCP_FLAG_NAMES = ['fin', 'syn', 'rst', 'psh', 'ack', 'urg', 'ece', 'cwr', 'ns', '[200]', '[400]', '[800]'];
const CT_STATE_NAMES = ['new', 'est', 'rel', 'rpl', 'inv', 'trk', 'snat', 'dnat'];
const TUN_FLAG_NAMES = ['oam', 'df', 'csum', 'key'];

interface FlagSet {
  names: readonly string[];
  /** Bits a match may use. */
  allowed: number;
  /** What ovs-ofctl calls them in errors ("TCP", "tunnel", "ct_state"). */
  label: string;
}
const TCP_FLAGS: FlagSet = { names: TCP_FLAG_NAMES, allowed: 0x0fff, label: 'TCP' };
const CT_STATE: FlagSet = { names: CT_STATE_NAMES, allowed: 0xff, label: 'ct_state' };
const TUN_FLAGS: FlagSet = { names: TUN_FLAG_NAMES, allowed: 0x1, label: 'tunnel' };

class FieldSyntaxError extends Error {
  override readonly name = 'SyntaxError';
}

function fail(def: FieldDef, text: string, why: string): never {
  throw new FieldSyntaxError(`${def.name}: "${text}": ${why}`);
}

// ---- integers -----------------------------------------------------------------------------------

const U64 = ones(64);
const LEADING_ZERO = 'a number with a leading 0 is octal to ovs-ofctl';

/**
 * parse_int_string(): `0x` hex of any length, else C's strtoull with base 0 (a sign, 0-octal,
 * decimal of at most 64 bits). Returns the value, or why `what` (value, mask) is refused.
 */
function parseInteger(s: string, what: string): bigint | string {
  if (/^0[xX][0-9a-fA-F]+$/.test(s)) return BigInt(`0x${s.slice(2)}`);
  const v = parseCInteger(s);
  if (v === null) return /^[+-]?0[0-9]+$/.test(s) ? `bad syntax for ${what} (${LEADING_ZERO})` : `bad syntax for ${what}`;
  if (v > U64 || v < -U64) return `${what} too large`;
  if (v < 0n) return `${what} is negative (ovs-ofctl would wrap it around 2^64)`;
  return v;
}

function parseIntField(def: FieldDef, text: string, s: string, what: string): bigint {
  const v = parseInteger(s, what);
  const bytes = fieldBytes(def);
  if (typeof v === 'string') fail(def, text, v.endsWith('too large') ? `${v} for ${bytes}-byte field` : v);
  if (v >> BigInt(bytes * 8)) fail(def, text, `${what} too large for ${bytes}-byte field`);
  return v;
}

function splitMask(text: string): [string, string | undefined] {
  const i = text.indexOf('/');
  return i < 0 ? [text, undefined] : [text.slice(0, i), text.slice(i + 1)];
}

// ---- flags (tcp_flags, ct_state, tun_flags) -----------------------------------------------------

function flagBit(set: FlagSet, name: string): number {
  const i = set.names.indexOf(name);
  return i < 0 ? 0 : 1 << i;
}

/** A number inside a flags value, as scanf's `%i` reads it; null when it is not one. */
function flagNumber(s: string): bigint | null {
  const v = parseCInteger(s);
  return v === null || v > U64 || v < -U64 ? null : v;
}

function parseFlags(def: FieldDef, text: string, set: FlagSet): { value: number; mask?: number } {
  const unknown = (): never => fail(def, text, `unknown ${set.label} flag(s)`);
  const allowed = BigInt(set.allowed);
  const slash = text.indexOf('/');
  if (slash >= 0) {
    const v = flagNumber(text.slice(0, slash));
    const m = flagNumber(text.slice(slash + 1));
    if (v !== null && m !== null) {
      if (v < 0n || m < 0n || v & ~allowed || m & ~allowed) unknown();
      return { value: Number(v), mask: Number(m) };
    }
  }
  if (text.startsWith('+') || text.startsWith('-')) {
    let value = 0;
    let mask = 0;
    const re = /([+-])([^+-]+)/y;
    let pos = 0;
    while (pos < text.length) {
      re.lastIndex = pos;
      const m = re.exec(text);
      if (!m) fail(def, text, `${set.label} must be preceded by '+' (for SET) or '-' (NOT SET)`);
      const bit = flagBit(set, m[2]!);
      if (!bit) unknown();
      if (mask & bit) fail(def, text, `Each ${set.label} flag can be specified only once`);
      if (!(bit & set.allowed)) unknown();
      if (m[1] === '+') value |= bit;
      mask |= bit;
      pos = re.lastIndex;
    }
    return { value, mask };
  }
  let value = 0;
  if (text === '') unknown();
  for (const part of text.split('|')) {
    const n = /^[+-]?[0-9]/.test(part) ? flagNumber(part) : null;
    if (n === null && /^[+-]?0[0-9]+$/.test(part)) fail(def, text, `${part}: ${LEADING_ZERO}`);
    const bit = n === null ? flagBit(set, part) : 0;
    if (n === null && !bit) unknown();
    if (n !== null && (n < 0n || n & ~allowed)) unknown();
    if (bit & ~set.allowed) unknown();
    value |= n === null ? bit : Number(n);
  }
  return { value };
}

/** ovs-ofctl's format_flags(): names joined by `|`, unknown bits as one hex number, `0` when none. */
function formatFlags(names: readonly string[], flags: number): string {
  if (!flags) return '0';
  const out: string[] = [];
  let bad = 0;
  for (let bit = 0; bit < 32; bit++) {
    const b = 2 ** bit;
    if (!(Math.floor(flags / b) % 2)) continue;
    const n = names[bit];
    if (n) out.push(n);
    else bad += b;
  }
  if (bad) out.push(`0x${bad.toString(16)}`);
  return out.join('|');
}

/** ovs-ofctl's format_flags_masked(). */
function formatFlagsMasked(names: readonly string[], flags: number, mask: number, maxMask: number): string {
  if (mask === maxMask) return formatFlags(names, flags);
  if (!mask) return '0/0';
  let s = '';
  for (let bit = 0; bit < 32; bit++) {
    const b = 2 ** bit;
    if (!(Math.floor(mask / b) % 2)) continue;
    s += `${Math.floor(flags / b) % 2 ? '+' : '-'}${names[bit] ?? '[Unknown]'}`;
  }
  return s;
}

// ---- ports --------------------------------------------------------------------------------------

function parsePort(def: FieldDef, text: string, ports?: ReadonlyMap<string, number>): number {
  // ofputil_port_from_string(): a decimal (a '+' allowed, never a '-'), else a name.
  const n = text.startsWith('-') ? null : parseDecimalU32(text);
  if (n !== null) {
    if (n < OFPP16_MAX) return n;
    if (n <= 0xffff) return (n + OFPP11_OFFSET) >>> 0;
    if (n < 0xffffff00) fail(def, text, 'port is outside 0 through 65535 and 0xffffff00 through 0xffffffff');
    return n;
  }
  const named =
    (PORT_NAMES as Readonly<Record<string, number>>)[text.toUpperCase()] ?? (text.toUpperCase() === 'NONE' ? 0xffff : undefined);
  if (named !== undefined) return (named + OFPP11_OFFSET) >>> 0;
  const unquoted = text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
  const mapped = ports?.get(unquoted);
  if (mapped !== undefined) return mapped;
  fail(def, text, `invalid or unknown port for ${def.name}`);
}

/** Prints an OpenFlow 1.1+ port number as ovs-ofctl does (reserved ports by name). */
export function formatPort(port: number): string {
  const p16 = port >= 0xffffff00 ? port - OFPP11_OFFSET : port;
  return PORT_BY_NUMBER.get(p16) ?? String(p16);
}

// ---- addresses ----------------------------------------------------------------------------------

function prefixMask(bits: number, len: number): bigint {
  return len === 0 ? 0n : ones(len) << BigInt(bits - len);
}

function isCidr(mask: bigint, bits: number): boolean {
  const inv = ~mask & ones(bits);
  return (inv & (inv + 1n)) === 0n;
}

function cidrLen(mask: bigint, bits: number): number {
  let n = 0;
  while (n < bits && (mask >> BigInt(bits - 1 - n)) & 1n) n++;
  return n;
}

/** The `/N` of an address, read as scanf's `%d` reads it (`/+8` and `/-0` too). */
function parsePrefixLen(s: string, max: number): number | null {
  if (!/^[+-]?[0-9]+$/.test(s)) return null;
  const n = Number(s);
  return n <= max && n >= 0 ? Math.abs(n) : -1;
}

// ---- parse --------------------------------------------------------------------------------------

/** Options of parsing a match field from text. */
export interface ParseOptions {
  /** Port names of the switch (as `ovs-ofctl --names` would use them), name → OpenFlow 1.1+ number. */
  ports?: ReadonlyMap<string, number>;
}

/**
 * Parses the text ovs-ofctl accepts as the value of `def` (after `FIELD=`): integers in decimal,
 * 0x hex or 0-octal with an optional `/mask`; `*` for any value; MAC `xx:xx:xx:xx:xx:xx[/mask]`;
 * IPv4 and IPv6 with `/prefix` or `/mask`; port names (LOCAL, CONTROLLER, IN_PORT…) for in_port and
 * actset_output; ip_frag `no|first|later|yes|not_later`; tcp_flags, ct_state and tun_flags as
 * `+flag-flag`, `flag|flag` or `0xV/0xM`; packet_type `(ns,type)`.
 *
 * The value is returned as the field holds it (see ./types.ts); `mask` is omitted for an exact
 * match. ip_frag comes back as the bits OpenFlow carries (yes → 1/1, not_later → 0/2, first → 1).
 * Values outside the field's significant bits are refused (ovs-ofctl would silently truncate them).
 * Throws a one-line SyntaxError quoting the field and the text.
 */
export function parseFieldValue(def: FieldDef, text: string, options: ParseOptions = {}): ParsedField {
  const bytes = fieldBytes(def);
  if (text === '*') {
    const zero = def.kind === 'bytes' ? Buffer.alloc(1) : fromBig(def, 0n);
    return { value: zero, mask: zero };
  }
  switch (def.format) {
    case 'decimal':
    case 'hex': {
      if (def.kind === 'bytes') fail(def, text, `${def.name} is sized by the switch's TLV map; ofwire cannot parse it as text`);
      const [vs, ms] = splitMask(text);
      const v = parseIntField(def, text, vs, 'value');
      const m = ms === undefined ? ones(bytes * 8) : parseIntField(def, text, ms, 'mask');
      return finishInt(def, text, v, m);
    }
    case 'port': {
      if (text.includes('/')) fail(def, text, `invalid or unknown port for ${def.name}`);
      return { value: parsePort(def, text, options.ports) };
    }
    case 'ethernet': {
      const [vs, ms] = splitMask(text);
      const v = parseMac(vs);
      const m = ms === undefined ? null : parseMac(ms);
      if (!v || (ms !== undefined && !m)) fail(def, text, 'invalid Ethernet address');
      const mb = m ? bytesToBig(m) : ones(48);
      return withMask(def, text, formatMac(v), mb, m ? formatMac(m) : undefined);
    }
    case 'ipv4': {
      const [vs, ms] = splitMask(text);
      const v = parseIpv4(vs);
      if (v < 0) fail(def, text, 'invalid IP address');
      if (ms === undefined) return { value: formatIpv4(v) };
      let m: number;
      const len = parsePrefixLen(ms, 32);
      if (len !== null) {
        if (len < 0) fail(def, text, 'IPv4 network prefix bits not between 0 and 32, inclusive');
        m = Number(prefixMask(32, len));
      } else {
        m = parseIpv4(ms);
        if (m < 0) fail(def, text, 'invalid IP address');
      }
      return withMask(def, text, formatIpv4(v), BigInt(m), formatIpv4(m));
    }
    case 'ipv6': {
      const [vs, ms] = splitMask(text);
      const v = parseIpv6(vs);
      if (!v) fail(def, text, 'invalid IPv6 address');
      if (ms === undefined) return { value: formatIpv6(v) };
      let m: bigint;
      const len = parsePrefixLen(ms, 128);
      if (len !== null) {
        if (len < 0) fail(def, text, 'IPv6 network prefix bits not between 0 and 128, inclusive');
        m = prefixMask(128, len);
      } else {
        const mb = parseIpv6(ms);
        if (!mb) fail(def, text, 'Invalid IPv6 mask');
        m = bytesToBig(mb);
      }
      return withMask(def, text, formatIpv6(v), m, formatIpv6(bigToBytes(m, 16)));
    }
    case 'frag': {
      switch (text.toLowerCase()) {
        case 'no':
          return { value: 0 };
        case 'first':
          return { value: 1 };
        case 'later':
          return { value: 3 };
        case 'yes':
          return { value: 1, mask: 1 };
        case 'not_later':
          return { value: 0, mask: 2 };
      }
      fail(def, text, 'unknown fragment type (valid types are "no", "yes", "first", "later", "not_later")');
    }
    case 'tcp_flags':
    case 'ct_state':
    case 'tun_flags': {
      const set = def.format === 'tcp_flags' ? TCP_FLAGS : def.format === 'ct_state' ? CT_STATE : TUN_FLAGS;
      const r = parseFlags(def, text, set);
      return r.mask === undefined ? { value: r.value } : { value: r.value, mask: r.mask };
    }
    case 'packet_type': {
      const m = /^\(([^,()]+),([^,()]+)\)$/.exec(text);
      if (!m) fail(def, text, 'bad syntax for packet type, expected (ns,ns_type)');
      const ns = parseInteger(m[1]!, 'ns');
      const type = parseInteger(m[2]!, 'ns_type');
      if (typeof ns === 'string' || ns > 0xffffn) fail(def, text, 'bad syntax for packet type ns');
      if (typeof type === 'string' || type > 0xffffn) fail(def, text, 'bad syntax for packet type ns_type');
      return { value: Number((ns << 16n) | type) };
    }
  }
}

function withMask(def: FieldDef, text: string, value: string, m: bigint, maskText: string | undefined): ParsedField {
  const all = ones(fieldBytes(def) * 8);
  if (m === all || maskText === undefined) return { value };
  if (!def.maskable && m !== 0n) fail(def, text, `invalid mask for field ${def.name}`);
  return { value, mask: maskText };
}

function finishInt(def: FieldDef, text: string, v: bigint, m: bigint): ParsedField {
  const all = ones(fieldBytes(def) * 8);
  if (!def.maskable && m !== 0n && m !== all) fail(def, text, `invalid mask for field ${def.name}`);
  if (def.kind === 'uint' && v >> BigInt(def.bits) && !MASK_IS_VALUE_FIELDS.has(def.name)) {
    fail(def, text, `value does not fit the field's ${def.bits} bits (0x${ones(def.bits).toString(16)})`);
  }
  if (def.name === 'nw_tos' && v & 3n) fail(def, text, 'the low 2 (ECN) bits must be 0; use ip_ecn for them');
  const value = fromBig(def, v);
  return m === all ? { value } : { value, mask: fromBig(def, m) };
}

// ---- format -------------------------------------------------------------------------------------

/** `%#x`: 0 prints as 0, anything else as 0x… */
function hashHex(v: bigint): string {
  return v ? `0x${v.toString(16)}` : '0';
}

function pad(v: bigint, width: number): string {
  return v.toString(16).padStart(width, '0');
}

/** How ovs-ofctl's match printer names each field (`tcp_dst` prints as `tp_dst`). */
const MATCH_NAMES: Readonly<Record<string, string>> = {
  eth_src: 'dl_src',
  eth_dst: 'dl_dst',
  eth_type: 'dl_type',
  ipv4_src: 'nw_src',
  ipv4_dst: 'nw_dst',
  ip_proto: 'nw_proto',
  ip_dscp: 'nw_tos',
  ip_ecn: 'nw_ecn',
  ip_frag: 'nw_frag',
  tcp_src: 'tp_src',
  tcp_dst: 'tp_dst',
  udp_src: 'tp_src',
  udp_dst: 'tp_dst',
  sctp_src: 'tp_src',
  sctp_dst: 'tp_dst',
  icmpv6_type: 'icmp_type',
  icmpv6_code: 'icmp_code',
  tun_gtpu_flags: 'gtpu_flags',
  tun_gtpu_msgtype: 'gtpu_msgtype',
};

/** The name ovs-ofctl prints for `def` in a flow's match (see formatFieldValue). */
export function matchName(def: FieldDef): string {
  return MATCH_NAMES[def.name] ?? def.name;
}

/** `match`: as in a flow (ovs-ofctl dump-flows, parse-flow); `field`: as in set_field and learn. */
export type FormatStyle = 'match' | 'field';

/**
 * Prints a value the way ovs-ofctl 3.1 does. With the default `match` style, the text that follows
 * `matchName(def)=` in a printed flow (e.g. tcp_dst 80 → `80`, masked → `0x50/0xfff0`; ip_dscp 4 →
 * `16`, since flows print it as nw_tos; ct_state → `+new+trk` or `new|trk`; IPv4 prefixes as `/24`).
 * With `field`, what `set_field:VALUE->field` and other actions print (meta-flow's mf_format).
 *
 * vlan_vid, vlan_pcp and xreg/xxreg are printed by flows jointly with other fields (dl_vlan,
 * vlan_tci, reg pairs): use formatMatch() for flows; here they print in the `field` style.
 */
export function formatFieldValue(def: FieldDef, value: FieldValue, mask?: FieldValue, style: FormatStyle = 'match'): string {
  const bytes = fieldBytes(def);
  const width = bytes * 8;
  const all = ones(width);
  let v: bigint;
  let m: bigint;
  if (def.kind === 'bytes') {
    const vb = Buffer.isBuffer(value) ? value : Buffer.alloc(0);
    v = bytesToBig(vb);
    m = mask === undefined ? ones(vb.length * 8) : bytesToBig(mask as Buffer);
    const s = hashHex(v);
    return m === ones(vb.length * 8) ? s : `${s}/${hashHex(m)}`;
  }
  v = toBig(def, value);
  m = mask === undefined ? all : toBig(def, mask);
  return style === 'field' ? formatField(def, v, m, all) : formatInMatch(def, v, m, all);
}

function formatField(def: FieldDef, v: bigint, m: bigint, all: bigint): string {
  if (m === 0n) return 'ANY';
  const exact = m === all;
  const mk = exact ? '' : `/${hashHex(m)}`;
  switch (def.format) {
    case 'port':
      if (exact) return formatPort(Number(v));
      return `${v}${mk}`;
    case 'decimal':
      return `${v}${mk}`;
    case 'hex':
      return `${hashHex(v)}${mk}`;
    case 'ct_state':
      return formatFlagsMasked(CT_STATE_NAMES, Number(v), Number(m), 0xffff);
    case 'tcp_flags':
      return formatFlagsMasked(TCP_FLAG_NAMES, Number(v), Number(m) & 0x0fff, 0x0fff);
    case 'tun_flags':
      return formatFlagsMasked(TUN_FLAG_NAMES, Number(v), Number(m) & 1, 1);
    case 'frag':
      return fragName(v, exact ? 0xffn : m);
    case 'packet_type':
      return packetType(v, m);
    default:
      return formatAddress(def, v, m, all);
  }
}

function formatAddress(def: FieldDef, v: bigint, m: bigint, all: bigint): string {
  const bits = fieldBytes(def) * 8;
  switch (def.kind) {
    case 'mac':
      return m === all ? formatMac(bigToBytes(v, 6)) : `${formatMac(bigToBytes(v, 6))}/${formatMac(bigToBytes(m, 6))}`;
    case 'ipv4': {
      const a = formatIpv4(Number(v));
      if (m === all) return a;
      return isCidr(m, bits) ? `${a}/${cidrLen(m, bits)}` : `${a}/${formatIpv4(Number(m))}`;
    }
    case 'ipv6': {
      const a = formatIpv6(bigToBytes(v, 16));
      if (m === all) return a;
      return isCidr(m, bits) ? `${a}/${cidrLen(m, bits)}` : `${a}/${formatIpv6(bigToBytes(m, 16))}`;
    }
    default:
      return `${hashHex(v)}${m === all ? '' : `/${hashHex(m)}`}`;
  }
}

function fragName(v: bigint, m: bigint): string {
  const mask = m & 3n;
  const val = v & mask;
  if (mask === 3n) return val === 0n ? 'no' : val === 1n ? 'first' : val === 3n ? 'later' : '<error>';
  if (mask === 1n) return val ? 'yes' : 'no';
  if (mask === 2n) return val ? 'later' : 'not_later';
  return '<error>';
}

function u16Masked(v: bigint, m: bigint): string {
  if (!m) return '*';
  const s = v > 9n ? `0x${v.toString(16)}` : String(v);
  return m === 0xffffn ? s : `${s}/0x${m.toString(16)}`;
}

export function packetType(v: bigint, m: bigint): string {
  return `(${u16Masked(v >> 16n, m >> 16n)},${u16Masked(v & 0xffffn, m & 0xffffn)})`;
}

/** match_format()'s per-field printers. */
function formatInMatch(def: FieldDef, v: bigint, m: bigint, all: bigint): string {
  const exact = m === all;
  const beMasked = (bits: number) => (m === ones(bits) ? String(v) : `0x${v.toString(16)}/0x${m.toString(16)}`);
  switch (def.name) {
    case 'pkt_mark':
    case 'recirc_id':
    case 'dp_hash':
    case 'ct_mark':
    case 'tun_id':
    case 'metadata':
      return exact ? hashHex(v) : `${hashHex(v)}/${hashHex(m)}`;
    case 'conj_id':
    case 'ct_nw_proto':
    case 'tun_erspan_ver':
    case 'tun_erspan_dir':
    case 'tun_gtpu_msgtype':
      return String(v);
    case 'tun_gbp_flags':
    case 'tun_erspan_idx':
    case 'tun_erspan_hwid':
    case 'tun_gtpu_flags':
      return hashHex(v);
    case 'ct_state': {
      const m8 = Number(m & 0xffn);
      const v8 = Number(v) & m8;
      return m8 === 0xff ? formatFlags(CT_STATE_NAMES, v8) : formatFlagsMasked(CT_STATE_NAMES, v8, m8, 0xff);
    }
    case 'ct_zone':
    case 'ct_tp_src':
    case 'ct_tp_dst':
    case 'tun_gbp_id':
    case 'tcp_src':
    case 'tcp_dst':
    case 'udp_src':
    case 'udp_dst':
    case 'sctp_src':
    case 'sctp_dst':
    case 'tp_src':
    case 'tp_dst':
    case 'icmp_type':
    case 'icmp_code':
    case 'icmpv6_type':
    case 'icmpv6_code':
    case 'nd_options_type':
      return beMasked(def.name.startsWith('icmp') || def.name === 'nd_options_type' ? 8 : 16);
    case 'nd_reserved':
      return exact ? String(v) : `0x${pad(v, 8)}/0x${pad(m, 8)}`;
    case 'ct_label':
      return exact ? hashHex(v) : `${hashHex(v)}/${hashHex(m)}`;
    case 'tun_flags':
      return formatFlagsMasked(TUN_FLAG_NAMES, Number(v & m & 0xfn), Number(m & 0xfn), 0xf);
    case 'tcp_flags':
      return formatFlagsMasked(TCP_FLAG_NAMES, Number(v & 0xfffn), Number(m & 0xfffn), 0xfff);
    case 'eth_type':
      return `0x${pad(v, 4)}`;
    case 'vlan_tci':
      return m === 0xffffn ? `0x${pad(v, 4)}` : `0x${pad(v, 4)}/0x${pad(m, 4)}`;
    case 'ipv6_label':
      return exact || m === 0xffffffffn ? `0x${pad(v, 5)}` : `0x${pad(v, 5)}/0x${pad(m, 5)}`;
    case 'nw_tos':
      return String(v & 0xfcn);
    case 'ip_dscp':
      return String((v << 2n) & 0xfcn);
    case 'ip_ecn':
      return String(v & 3n);
    case 'arp_op':
      return String(v & 0xffn);
    case 'ip_frag':
      return fragName(v, exact ? 0xffn : m);
    case 'packet_type':
      return v === 0n && exact ? 'eth' : packetType(v, m);
    case 'nsh_flags':
    case 'nsh_ttl':
    case 'nsh_mdtype':
    case 'nsh_np':
    case 'nsh_si':
      return exact ? String(v) : `0x${pad(v, 2)}/0x${pad(m, 2)}`;
    case 'nsh_spi':
    case 'nsh_c1':
    case 'nsh_c2':
    case 'nsh_c3':
    case 'nsh_c4':
      return exact || (def.name === 'nsh_spi' && m === 0xffffffn) ? `0x${v.toString(16)}` : `0x${v.toString(16)}/0x${m.toString(16)}`;
  }
  if (def.kind === 'uint' && def.format === 'hex' && def.name.startsWith('reg')) {
    return exact ? hashHex(v) : `${hashHex(v)}/${hashHex(m)}`;
  }
  return formatField(def, v, m, all);
}

export { formatFlags, formatFlagsMasked, TCP_FLAG_NAMES, CT_STATE_NAMES, TUN_FLAG_NAMES };
