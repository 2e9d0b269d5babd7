/**
 * How ovs-ofctl names fields when it prints them: the meta-flow name (`ip_src`, not `ipv4_src`)
 * after `set_field:…->` and in learn specs, and the NXM/OXM name with a bit range
 * (`NXM_NX_REG0[0..15]`) for subfields.
 */
import type { FieldRef, SubField } from '../actions/types.js';
import { fieldByHeader, fieldByName, type FieldDef } from '../fields/registry.js';
import { OXM_OF_IN_PORT } from '../constants/openflow13.js';

/** ofwire's field names that Open vSwitch's meta-flow table spells differently. */
const METAFLOW_NAMES: Readonly<Record<string, string>> = {
  ipv4_src: 'ip_src',
  ipv4_dst: 'ip_dst',
  ip_proto: 'nw_proto',
  ip_ecn: 'nw_ecn',
};

/** Field widths in bits as Open vSwitch's meta-flow table gives them (ct_state is 32 bits there). */
// prettier-ignore
const METAFLOW_BITS: Readonly<Record<string, number>> = {
  dp_hash: 32, recirc_id: 32, packet_type: 32, conj_id: 32, tun_id: 64, tun_src: 32, tun_dst: 32,
  tun_ipv6_src: 128, tun_ipv6_dst: 128, tun_flags: 1, tun_ttl: 8, tun_tos: 8, tun_gbp_id: 16, tun_gbp_flags: 8,
  tun_erspan_idx: 20, tun_erspan_ver: 4, tun_erspan_dir: 1, tun_erspan_hwid: 6, tun_gtpu_flags: 8,
  tun_gtpu_msgtype: 8, metadata: 64, in_port: 16, in_port_oxm: 32, actset_output: 32, skb_priority: 32,
  pkt_mark: 32, ct_state: 32, ct_zone: 16, ct_mark: 32, ct_label: 128, ct_nw_proto: 8, ct_nw_src: 32,
  ct_nw_dst: 32, ct_ipv6_src: 128, ct_ipv6_dst: 128, ct_tp_src: 16, ct_tp_dst: 16, eth_src: 48, eth_dst: 48,
  eth_type: 16, vlan_tci: 16, dl_vlan: 12, vlan_vid: 12, dl_vlan_pcp: 3, vlan_pcp: 3, mpls_label: 20,
  mpls_tc: 3, mpls_bos: 1, mpls_ttl: 8, ip_src: 32, ip_dst: 32, ipv6_src: 128, ipv6_dst: 128, ipv6_label: 20,
  nw_proto: 8, nw_tos: 8, ip_dscp: 6, nw_ecn: 2, nw_ttl: 8, ip_frag: 2, arp_op: 16, arp_spa: 32, arp_tpa: 32,
  arp_sha: 48, arp_tha: 48, tcp_src: 16, tcp_dst: 16, tcp_flags: 12, udp_src: 16, udp_dst: 16, sctp_src: 16,
  sctp_dst: 16, icmp_type: 8, icmp_code: 8, icmpv6_type: 8, icmpv6_code: 8, nd_target: 128, nd_sll: 48,
  nd_tll: 48, nd_reserved: 32, nd_options_type: 8, nsh_flags: 8, nsh_mdtype: 8, nsh_np: 8, nsh_spi: 24,
  nsh_si: 8, nsh_ttl: 8, nsh_c1: 32, nsh_c2: 32, nsh_c3: 32, nsh_c4: 32,
};

/** Widths of the numbered families (reg0–15, xreg0–7, xxreg0–3, tun_metadata0–63). */
function familyBits(name: string): number | undefined {
  if (/^reg\d+$/.test(name)) return 32;
  if (/^xreg\d+$/.test(name)) return 64;
  if (/^xxreg\d+$/.test(name)) return 128;
  if (/^tun_metadata\d+$/.test(name)) return 992;
  return undefined;
}

/** Whether a reference to in_port arrived with the OXM header (OVS's separate in_port_oxm field). */
function isInPortOxm(def: FieldDef, header: number | undefined): boolean {
  return def.name === 'in_port' && header !== undefined && (header & 0xfffffe00) >>> 0 === OXM_OF_IN_PORT;
}

export function lookupField(ref: FieldRef): FieldDef | undefined {
  if (ref.field === 'unknown') {
    return ref.header === undefined ? undefined : fieldByHeader(ref.header, ref.experimenter)?.def;
  }
  return fieldByName(ref.field);
}

/** The meta-flow name of a field (`ip_dst`, `in_port_oxm`). */
export function metaFlowName(def: FieldDef, header?: number): string {
  if (isInPortOxm(def, header)) return 'in_port_oxm';
  return METAFLOW_NAMES[def.name] ?? def.name;
}

/** The field's width in bits as Open vSwitch counts it. */
export function metaFlowBits(def: FieldDef, header?: number): number {
  const name = metaFlowName(def, header);
  return METAFLOW_BITS[name] ?? familyBits(name) ?? def.bits;
}

/** The name mf_format_subfield prints: the field's NXM name when it has one, else its first OXM name. */
export function subfieldFieldName(def: FieldDef, header?: number): string {
  if (isInPortOxm(def, header)) return 'OXM_OF_IN_PORT';
  const nxm = def.encodings.find((e) => e.wireName.startsWith('NXM_'));
  return (nxm ?? def.encodings[0])?.wireName ?? def.name;
}

/** `NXM_NX_REG0[]`, `NXM_NX_REG0[5]`, `NXM_NX_REG0[0..15]`. */
export function formatSubfield(sf: SubField): string {
  const def = lookupField(sf);
  const name = def ? subfieldFieldName(def, sf.header) : '<unknown>';
  if (def && sf.ofs === 0 && sf.nBits === metaFlowBits(def, sf.header)) return `${name}[]`;
  if (sf.nBits === 1) return `${name}[${sf.ofs}]`;
  return `${name}[${sf.ofs}..${sf.ofs + sf.nBits - 1}]`;
}
