/**
 * Fields as ovs-ofctl names them: the names it accepts (`ip_src`/`nw_src`, not `ipv4_src`;
 * `tp_src` is `tcp_src`; `in_port` is the 16-bit NXM field and `in_port_oxm` the 32-bit one),
 * which of them actions may write, their widths for `[a..b]` subfields, and the header Open
 * vSwitch writes for each in Nicira actions and in OpenFlow 1.3 set_field.
 */
import { fieldByName, fieldBytes, type FieldDef, type FieldEncoding } from '../fields/registry.js';
import '../fields/table.js';

export interface OvsField {
  /** ovs-ofctl's name for the field. */
  name: string;
  /** The row of the field table it reads and writes. */
  def: FieldDef;
  /** Width in bits, as `[a..b]` subfields count them. */
  nBits: number;
  /** Width in bytes of its value. */
  nBytes: number;
  writable: boolean;
  /** Header written where Nicira actions name the field (NXM when it has one). */
  nxm: FieldEncoding;
  /** Header OpenFlow 1.3 set_field uses. */
  oxm: FieldEncoding;
  /** The field has no 32-bit NXM/OXM header (experimenter OXM): reg_load2, output_reg2… */
  experimenter: boolean;
  /** tun_metadata: the value is as long as it needs to be. */
  variable: boolean;
}

// prettier-ignore
const READ_ONLY = new Set([
  'dp_hash', 'recirc_id', 'packet_type', 'conj_id', 'tun_gtpu_flags', 'tun_gtpu_msgtype', 'actset_output',
  'ct_state', 'ct_zone', 'ct_nw_proto', 'ct_nw_src', 'ct_nw_dst', 'ct_ipv6_src', 'ct_ipv6_dst', 'ct_tp_src',
  'ct_tp_dst', 'eth_type', 'mpls_bos', 'ip_proto', 'ip_frag', 'tcp_flags', 'nsh_mdtype', 'nsh_np',
]);

/** Widths where ovs-ofctl counts differently from the field table. */
const N_BITS: Record<string, number> = { arp_op: 16, ct_state: 32, vlan_vid: 12, in_port: 16 };

/** Names the field table knows that ovs-ofctl does not accept. */
const NOT_OVS = new Set(['ipv4_src', 'ipv4_dst', 'icmpv4_type', 'icmpv4_code', 'in_phy_port', 'pbb_isid', 'ipv6_exthdr']);

function firstNxm(def: FieldDef): FieldEncoding {
  for (const e of def.encodings) if (e.header >>> 16 <= 1) return e;
  return def.encodings[0]!;
}

function make(name: string, def: FieldDef, nxm?: FieldEncoding, oxm?: FieldEncoding, nBits?: number, nBytes?: number): OvsField {
  const n = nxm ?? firstNxm(def);
  return {
    name,
    def,
    nBits: nBits ?? N_BITS[def.name] ?? def.bits,
    nBytes: nBytes ?? fieldBytes(def),
    writable: !READ_ONLY.has(def.name),
    nxm: n,
    oxm: oxm ?? def.encodings[0]!,
    experimenter: n.experimenter !== undefined,
    variable: def.variable === true,
  };
}

const byName = new Map<string, OvsField>();
/** By wire name (NXM_OF_IP_SRC, OXM_OF_IPV4_SRC…), for subfields. */
const byWireName = new Map<string, OvsField>();

function init(): void {
  if (byName.size) return;
  const inPortDef = fieldByName('in_port')!;
  const oxmEnc = inPortDef.encodings.find((e) => e.wireName === 'OXM_OF_IN_PORT')!;
  const nxmEnc = inPortDef.encodings.find((e) => e.wireName === 'NXM_OF_IN_PORT')!;
  const inPort = make('in_port', inPortDef, nxmEnc, nxmEnc, 16, 2);
  const inPortOxm = make('in_port_oxm', inPortDef, oxmEnc, oxmEnc, 32, 4);
  byName.set('in_port', inPort);
  byName.set('in_port_oxm', inPortOxm);
  byWireName.set('NXM_OF_IN_PORT', inPort);
  byWireName.set('OXM_OF_IN_PORT', inPortOxm);
  const names = new Set<string>();
  for (const raw of ALL_NAMES) names.add(raw);
  for (const name of names) {
    if (byName.has(name)) continue;
    const def = fieldByName(name);
    if (!def || !def.encodings.length) continue;
    const f = make(name, def);
    byName.set(name, f);
    for (const e of def.encodings) if (!byWireName.has(e.wireName)) byWireName.set(e.wireName, f);
  }
  // tp_src and tp_dst are other names of tcp_src and tcp_dst in ovs-ofctl.
  byName.set('tp_src', byName.get('tcp_src')!);
  byName.set('tp_dst', byName.get('tcp_dst')!);
}

// prettier-ignore
const ALL_NAMES: string[] = [
  'dp_hash', 'recirc_id', 'packet_type', 'conj_id', 'tun_id', 'tunnel_id', 'tun_src', 'tun_dst', 'tun_ipv6_src',
  'tun_ipv6_dst', 'tun_flags', 'tun_gbp_id', 'tun_gbp_flags', 'tun_erspan_idx', 'tun_erspan_ver', 'tun_erspan_dir',
  'tun_erspan_hwid', 'tun_gtpu_flags', 'tun_gtpu_msgtype',
  ...Array.from({ length: 64 }, (_, i) => `tun_metadata${i}`),
  'metadata', 'actset_output', 'pkt_mark', 'ct_state', 'ct_zone', 'ct_mark', 'ct_label', 'ct_nw_proto',
  'ct_nw_src', 'ct_nw_dst', 'ct_ipv6_src', 'ct_ipv6_dst', 'ct_tp_src', 'ct_tp_dst',
  ...Array.from({ length: 16 }, (_, i) => `reg${i}`),
  ...Array.from({ length: 8 }, (_, i) => `xreg${i}`),
  ...Array.from({ length: 4 }, (_, i) => `xxreg${i}`),
  'eth_src', 'dl_src', 'eth_dst', 'dl_dst', 'eth_type', 'dl_type', 'vlan_tci', 'vlan_vid', 'vlan_pcp',
  'mpls_label', 'mpls_tc', 'mpls_bos', 'mpls_ttl', 'ip_src', 'nw_src', 'ip_dst', 'nw_dst', 'ipv6_src', 'ipv6_dst',
  'ipv6_label', 'nw_proto', 'ip_proto', 'nw_tos', 'ip_dscp', 'nw_ecn', 'ip_ecn', 'nw_ttl', 'ip_frag', 'nw_frag',
  'arp_op', 'arp_spa', 'arp_tpa', 'arp_sha', 'arp_tha', 'tcp_src', 'tcp_dst', 'tcp_flags', 'udp_src', 'udp_dst',
  'sctp_src', 'sctp_dst', 'icmp_type', 'icmp_code', 'icmpv6_type', 'icmpv6_code', 'nd_target', 'nd_sll', 'nd_tll',
  'nd_reserved', 'nd_options_type', 'nsh_flags', 'nsh_mdtype', 'nsh_np', 'nsh_spi', 'nsp', 'nsh_si', 'nsi',
  'nsh_c1', 'nsh_c2', 'nsh_c3', 'nsh_c4', 'nshc1', 'nshc2', 'nshc3', 'nshc4', 'nsh_ttl',
];

/** The names ovs-ofctl accepts in a match that have no wire header of their own. */
const MATCH_ONLY = new Set(['dl_vlan', 'dl_vlan_pcp']);

/** A field by the name ovs-ofctl gives it (mf_from_name), or undefined. */
export function ovsField(name: string): OvsField | undefined {
  init();
  if (NOT_OVS.has(name)) return undefined;
  return byName.get(name);
}

/** A field table row for a match keyword ovs-ofctl accepts (includes dl_vlan and dl_vlan_pcp). */
export function matchField(name: string): FieldDef | undefined {
  if (MATCH_ONLY.has(name)) return fieldByName(name);
  return ovsField(name)?.def;
}

/** A field by an OVS name or a wire name with an optional `_W` suffix (mf_parse_subfield). */
export function subfieldField(name: string): OvsField | undefined {
  init();
  const direct = ovsField(name);
  if (direct) return direct;
  const wire = byWireName.get(name) ?? (name.endsWith('_W') ? byWireName.get(name.slice(0, -2)) : undefined);
  return wire;
}

export interface ParsedSubfield {
  field: OvsField;
  ofs: number;
  nBits: number;
  /** Characters of the text the subfield took. */
  length: number;
}

/**
 * mf_parse_subfield__: `FIELD`, `FIELD[]`, `FIELD[bit]` or `FIELD[start..end]` at the start of `s`.
 * Returns the subfield and how much of `s` it used, or an error message.
 */
export function parseSubfieldPrefix(s: string): ParsedSubfield | string {
  let nameLen = 0;
  while (nameLen < s.length && s[nameLen] !== '[' && s[nameLen] !== '-') nameLen++;
  const name = s.slice(0, nameLen);
  const field = subfieldField(name);
  if (!field) return `${s}: unknown field \`${name}'`;
  let start = 0;
  let end = field.nBits - 1;
  let i = nameLen;
  if (s[i] === '[') {
    const close = s.indexOf(']', i);
    const inner = close < 0 ? null : s.slice(i + 1, close);
    let m: RegExpExecArray | null;
    if (inner === '') {
      // whole field
    } else if (inner !== null && (m = /^[ \t\n\v\f\r]*([+-]?\d+)\.\.[ \t\n\v\f\r]*([+-]?\d+)$/.exec(inner))) {
      start = Number(m[1]);
      end = Number(m[2]);
    } else if (inner !== null && (m = /^[ \t\n\v\f\r]*([+-]?\d+)$/.exec(inner))) {
      start = end = Number(m[1]);
    } else {
      return `${s}: syntax error expecting [] or [<bit>] or [<start>..<end>]`;
    }
    i = close + 1;
  }
  if (start > end) return `${s}: starting bit ${start} is after ending bit ${end}`;
  if (start >= field.nBits || start < 0) {
    return `${s}: starting bit ${start} is not valid because field is only ${field.nBits} bits wide`;
  }
  if (end >= field.nBits) return `${s}: ending bit ${end} is not valid because field is only ${field.nBits} bits wide`;
  return { field, ofs: start, nBits: end - start + 1, length: i };
}

/** mf_parse_subfield: the whole of `s` must be a subfield. */
export function parseSubfield(s: string): ParsedSubfield | string {
  const r = parseSubfieldPrefix(s);
  if (typeof r === 'string') return r;
  if (r.length !== s.length) return 'unexpected input following field syntax';
  return r;
}

/** Every name ovs-ofctl accepts for a field (for tests and completions). */
export function ovsFieldNames(): string[] {
  init();
  return [...byName.keys()];
}
