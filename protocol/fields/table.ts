/**
 * Match fields known to ofwire, with the headers Open vSwitch 3.1 uses for OpenFlow 1.3
 * (the first encoding of each row) and the alternatives it accepts.
 *
 * A few rows are ovs-ofctl names that OpenFlow 1.3 carries as other fields; ./canonical.ts turns
 * them into what OVS puts on the wire:
 *   xreg0–7   → pairs of 32-bit regN (xregN = reg(2N):reg(2N+1), high word first);
 *   xxreg0–3  → quads of regN (xxregN = reg(4N)…reg(4N+3));
 *   nw_tos    → ip_dscp (value >> 2);  vlan_tci, dl_vlan, dl_vlan_pcp → vlan_vid (+ OFPVID_PRESENT) and vlan_pcp;
 *   tp_src/tp_dst → tcp_*, udp_*, sctp_*, icmp_type/code or icmpv6_type/code, by the matched ip_proto.
 */
import {
  OFPXMC_ERICSSON as ERIC,
  OFPXMC_EXPERIMENTER as EXP,
  OFPXMC_NXM_0 as NXM0,
  OFPXMC_NXM_1 as NXM1,
  OFPXMC_OPENFLOW_BASIC as OF,
  OFPXMC_PACKET_REGS as PKT_REGS,
} from '../constants/openflow13.js';
import { NX_VENDOR_ID as NX, NXOXM_NSH as NSH } from '../constants/nicira.js';
import { ONF_VENDOR_ID as ONF } from '../constants/onf.js';
import {
  oxmHeader,
  registerFields,
  type FieldDef,
  type FieldEncoding,
  type FieldFormat,
  type Prerequisite,
  type ValueKind,
} from './registry.js';

function enc(cls: number, field: number, bytes: number, wireName: string, experimenter?: number): FieldEncoding {
  return experimenter === undefined
    ? { header: oxmHeader(cls, field), bytes, wireName }
    : { header: oxmHeader(cls, field), bytes, wireName, experimenter };
}

const of = (field: number, bytes: number, name: string) => enc(OF, field, bytes, `OXM_OF_${name}`);
const nxm0 = (field: number, bytes: number, name: string) => enc(NXM0, field, bytes, `NXM_OF_${name}`);
const nxm1 = (field: number, bytes: number, name: string) => enc(NXM1, field, bytes, `NXM_NX_${name}`);
const nxoxm = (field: number, bytes: number, name: string) => enc(EXP, field, bytes, `NXOXM_ET_${name}`, NX);
const onf = (field: number, bytes: number, name: string) => enc(EXP, field, bytes, `ONFOXM_ET_${name}`, ONF);
const nsh = (field: number, bytes: number, name: string) => enc(EXP, field, bytes, `NXOXM_NSH_${name}`, NSH);

interface RowOptions {
  aliases?: string[];
  prereq?: Prerequisite;
  format?: FieldFormat;
  variable?: true;
  doc?: string;
}

const defaultFormat: Record<ValueKind, FieldFormat> = {
  uint: 'decimal',
  mac: 'ethernet',
  ipv4: 'ipv4',
  ipv6: 'ipv6',
  bytes: 'hex',
};

function row(name: string, kind: ValueKind, bits: number, maskable: boolean, encodings: FieldEncoding[], opts: RowOptions = {}): FieldDef {
  const def: FieldDef = {
    name,
    aliases: opts.aliases ?? [],
    kind,
    bits,
    maskable,
    encodings,
    format: opts.format ?? defaultFormat[kind],
  };
  if (opts.prereq) def.prereq = opts.prereq;
  if (opts.variable) def.variable = true;
  if (opts.doc) def.doc = opts.doc;
  return def;
}

const hex = { format: 'hex' } as const;

function numbered(count: number, make: (i: number) => FieldDef): FieldDef[] {
  return Array.from({ length: count }, (_, i) => make(i));
}

/** Every match field the codec and the text syntax know. */
export const FIELD_TABLE: readonly FieldDef[] = [
  // ---- Metadata -------------------------------------------------------------------------------
  row('dp_hash', 'uint', 32, true, [nxm1(35, 4, 'DP_HASH'), nxoxm(0, 4, 'DP_HASH')], hex),
  row('recirc_id', 'uint', 32, false, [nxm1(36, 4, 'RECIRC_ID')]),
  row('packet_type', 'uint', 32, false, [of(44, 4, 'PACKET_TYPE')], {
    format: 'packet_type',
    doc: 'namespace << 16 | ns_type; (0,0) is Ethernet',
  }),
  row('conj_id', 'uint', 32, false, [nxm1(37, 4, 'CONJ_ID')]),
  row('tun_id', 'uint', 64, true, [of(38, 8, 'TUNNEL_ID'), nxm1(16, 8, 'TUN_ID')], { ...hex, aliases: ['tunnel_id'] }),
  row('tun_src', 'ipv4', 32, true, [nxm1(31, 4, 'TUN_IPV4_SRC')]),
  row('tun_dst', 'ipv4', 32, true, [nxm1(32, 4, 'TUN_IPV4_DST')]),
  row('tun_ipv6_src', 'ipv6', 128, true, [nxm1(109, 16, 'TUN_IPV6_SRC')]),
  row('tun_ipv6_dst', 'ipv6', 128, true, [nxm1(110, 16, 'TUN_IPV6_DST')]),
  row('tun_flags', 'uint', 1, true, [nxm1(104, 2, 'TUN_FLAGS')], { format: 'tun_flags', doc: 'bit 0: oam' }),
  row('tun_gbp_id', 'uint', 16, true, [nxm1(38, 2, 'TUN_GBP_ID')]),
  row('tun_gbp_flags', 'uint', 8, true, [nxm1(39, 1, 'TUN_GBP_FLAGS')], hex),
  row('tun_erspan_idx', 'uint', 20, true, [nxoxm(11, 4, 'ERSPAN_IDX')], hex),
  row('tun_erspan_ver', 'uint', 4, true, [nxoxm(12, 1, 'ERSPAN_VER')]),
  row('tun_erspan_dir', 'uint', 1, true, [nxoxm(13, 1, 'ERSPAN_DIR')]),
  row('tun_erspan_hwid', 'uint', 6, true, [nxoxm(14, 1, 'ERSPAN_HWID')], hex),
  row('tun_gtpu_flags', 'uint', 8, true, [nxoxm(15, 1, 'GTPU_FLAGS')], hex),
  row('tun_gtpu_msgtype', 'uint', 8, true, [nxoxm(16, 1, 'GTPU_MSGTYPE')]),
  ...numbered(64, (i) =>
    row(`tun_metadata${i}`, 'bytes', 124 * 8, true, [nxm1(40 + i, 124, `TUN_METADATA${i}`)], {
      ...hex,
      variable: true,
      doc: 'Geneve option bytes as mapped by the switch TLV table; 1 to 124 bytes',
    }),
  ),
  row('metadata', 'uint', 64, true, [of(2, 8, 'METADATA')], hex),
  row('in_port', 'uint', 32, false, [of(0, 4, 'IN_PORT'), { ...nxm0(0, 2, 'IN_PORT'), port16: true }], {
    format: 'port',
    aliases: ['in_port_oxm'],
    doc: 'OpenFlow 1.1+ port number; NXM_OF_IN_PORT carries it as a 16-bit OpenFlow 1.0 port',
  }),
  row('in_phy_port', 'uint', 32, false, [of(1, 4, 'IN_PHY_PORT')], {
    format: 'port',
    prereq: 'in_port',
    doc: 'OpenFlow 1.3 basic field Open vSwitch does not implement (it refuses matches on it)',
  }),
  row('actset_output', 'uint', 32, false, [onf(43, 4, 'ACTSET_OUTPUT'), of(43, 4, 'ACTSET_OUTPUT')], {
    format: 'port',
  }),
  row('pkt_mark', 'uint', 32, true, [nxm1(33, 4, 'PKT_MARK')], hex),

  // ---- Connection tracking --------------------------------------------------------------------
  row('ct_state', 'uint', 8, true, [nxm1(105, 4, 'CT_STATE')], {
    format: 'ct_state',
    doc: 'new 0x01, est 0x02, rel 0x04, rpl 0x08, inv 0x10, trk 0x20, snat 0x40, dnat 0x80',
  }),
  row('ct_zone', 'uint', 16, false, [nxm1(106, 2, 'CT_ZONE')], hex),
  row('ct_mark', 'uint', 32, true, [nxm1(107, 4, 'CT_MARK')], hex),
  row('ct_label', 'uint', 128, true, [nxm1(108, 16, 'CT_LABEL')], hex),
  row('ct_nw_proto', 'uint', 8, false, [nxm1(119, 1, 'CT_NW_PROTO')], { prereq: 'ct' }),
  row('ct_nw_src', 'ipv4', 32, true, [nxm1(120, 4, 'CT_NW_SRC')], { prereq: 'ct' }),
  row('ct_nw_dst', 'ipv4', 32, true, [nxm1(121, 4, 'CT_NW_DST')], { prereq: 'ct' }),
  row('ct_ipv6_src', 'ipv6', 128, true, [nxm1(122, 16, 'CT_IPV6_SRC')], { prereq: 'ct' }),
  row('ct_ipv6_dst', 'ipv6', 128, true, [nxm1(123, 16, 'CT_IPV6_DST')], { prereq: 'ct' }),
  row('ct_tp_src', 'uint', 16, true, [nxm1(124, 2, 'CT_TP_SRC')], { prereq: 'ct' }),
  row('ct_tp_dst', 'uint', 16, true, [nxm1(125, 2, 'CT_TP_DST')], { prereq: 'ct' }),

  // ---- Registers ------------------------------------------------------------------------------
  ...numbered(16, (i) => row(`reg${i}`, 'uint', 32, true, [nxm1(i, 4, `REG${i}`)], hex)),
  ...numbered(8, (i) =>
    row(`xreg${i}`, 'uint', 64, true, [enc(PKT_REGS, i, 8, `OXM_OF_PKT_REG${i}`)], {
      ...hex,
      doc: `reg${2 * i} (high 32 bits) and reg${2 * i + 1}; OVS writes the two regs in OpenFlow 1.3`,
    }),
  ),
  ...numbered(4, (i) =>
    row(`xxreg${i}`, 'uint', 128, true, [nxm1(111 + i, 16, `XXREG${i}`)], {
      ...hex,
      doc: `reg${4 * i} (most significant) to reg${4 * i + 3}; OVS writes the four regs in OpenFlow 1.3`,
    }),
  ),

  // ---- Ethernet and VLAN ----------------------------------------------------------------------
  row('eth_src', 'mac', 48, true, [of(4, 6, 'ETH_SRC'), nxm0(2, 6, 'ETH_SRC')], { aliases: ['dl_src'], prereq: 'eth' }),
  row('eth_dst', 'mac', 48, true, [of(3, 6, 'ETH_DST'), nxm0(1, 6, 'ETH_DST')], { aliases: ['dl_dst'], prereq: 'eth' }),
  row('eth_type', 'uint', 16, false, [of(5, 2, 'ETH_TYPE'), nxm0(3, 2, 'ETH_TYPE')], {
    ...hex,
    aliases: ['dl_type'],
    prereq: 'eth',
  }),
  row('vlan_tci', 'uint', 16, true, [nxm0(4, 2, 'VLAN_TCI')], {
    ...hex,
    prereq: 'eth',
    doc: 'PCP(3) CFI(1) VID(12); OpenFlow 1.3 carries it as vlan_vid and vlan_pcp',
  }),
  row('dl_vlan', 'uint', 12, false, [], { prereq: 'eth', doc: 'VLAN id of a tagged packet; vlan_vid with OFPVID_PRESENT on the wire' }),
  row('vlan_vid', 'uint', 13, true, [of(6, 2, 'VLAN_VID')], {
    prereq: 'eth',
    doc: 'OFPVID_PRESENT (0x1000) | VLAN id; 0 matches untagged packets',
  }),
  row('dl_vlan_pcp', 'uint', 3, false, [], { prereq: 'eth', doc: 'priority of a tagged packet; vlan_pcp on the wire' }),
  row('vlan_pcp', 'uint', 3, false, [of(7, 1, 'VLAN_PCP')], { prereq: 'vlan' }),

  row('pbb_isid', 'uint', 24, true, [of(37, 3, 'PBB_ISID')], {
    ...hex,
    prereq: 'pbb',
    doc: 'OpenFlow 1.3 basic field Open vSwitch does not implement (it refuses matches on it)',
  }),

  // ---- MPLS -----------------------------------------------------------------------------------
  row('mpls_label', 'uint', 20, false, [of(34, 4, 'MPLS_LABEL')], { prereq: 'mpls' }),
  row('mpls_tc', 'uint', 3, false, [of(35, 1, 'MPLS_TC')], { prereq: 'mpls' }),
  row('mpls_bos', 'uint', 1, false, [of(36, 1, 'MPLS_BOS')], { prereq: 'mpls' }),
  row('mpls_ttl', 'uint', 8, false, [nxm1(30, 1, 'MPLS_TTL')], { prereq: 'mpls' }),

  // ---- IPv4 / IPv6 ----------------------------------------------------------------------------
  row('ipv4_src', 'ipv4', 32, true, [of(11, 4, 'IPV4_SRC'), nxm0(7, 4, 'IP_SRC')], { aliases: ['ip_src', 'nw_src'], prereq: 'ip' }),
  row('ipv4_dst', 'ipv4', 32, true, [of(12, 4, 'IPV4_DST'), nxm0(8, 4, 'IP_DST')], { aliases: ['ip_dst', 'nw_dst'], prereq: 'ip' }),
  row('ipv6_src', 'ipv6', 128, true, [of(26, 16, 'IPV6_SRC'), nxm1(19, 16, 'IPV6_SRC')], { prereq: 'ipv6' }),
  row('ipv6_dst', 'ipv6', 128, true, [of(27, 16, 'IPV6_DST'), nxm1(20, 16, 'IPV6_DST')], { prereq: 'ipv6' }),
  row('ipv6_label', 'uint', 20, true, [of(28, 4, 'IPV6_FLABEL'), nxm1(27, 4, 'IPV6_LABEL')], { ...hex, prereq: 'ipv6' }),
  row('ipv6_exthdr', 'uint', 9, true, [of(39, 2, 'IPV6_EXTHDR')], {
    ...hex,
    prereq: 'ipv6',
    doc: 'OFPIEH_* bits (nonext 1, esp 2, auth 4, dest 8, frag 16, router 32, hop 64, unrep 128, unseq 256); Open vSwitch does not implement it',
  }),
  row('ip_proto', 'uint', 8, false, [of(10, 1, 'IP_PROTO'), nxm0(6, 1, 'IP_PROTO')], { aliases: ['nw_proto'], prereq: 'ip_any' }),
  row('nw_tos', 'uint', 8, false, [nxm0(5, 1, 'IP_TOS')], {
    prereq: 'ip_any',
    doc: 'the DSCP bits in place (ECN bits 0); OpenFlow 1.3 carries ip_dscp = nw_tos >> 2',
  }),
  row('ip_dscp', 'uint', 6, false, [of(8, 1, 'IP_DSCP')], { prereq: 'ip_any' }),
  row('ip_ecn', 'uint', 2, false, [of(9, 1, 'IP_ECN'), nxm1(28, 1, 'IP_ECN')], { aliases: ['nw_ecn'], prereq: 'ip_any' }),
  row('nw_ttl', 'uint', 8, false, [nxm1(29, 1, 'IP_TTL')], { prereq: 'ip_any' }),
  row('ip_frag', 'uint', 2, true, [nxm1(26, 1, 'IP_FRAG')], {
    aliases: ['nw_frag'],
    format: 'frag',
    prereq: 'ip_any',
    doc: 'bit 0: fragment, bit 1: later fragment',
  }),

  // ---- ARP ------------------------------------------------------------------------------------
  row('arp_op', 'uint', 8, false, [of(21, 2, 'ARP_OP'), nxm0(15, 2, 'ARP_OP')], {
    prereq: 'arp',
    doc: '16 bits on the wire; Open vSwitch matches opcodes 0–255',
  }),
  row('arp_spa', 'ipv4', 32, true, [of(22, 4, 'ARP_SPA'), nxm0(16, 4, 'ARP_SPA')], { prereq: 'arp' }),
  row('arp_tpa', 'ipv4', 32, true, [of(23, 4, 'ARP_TPA'), nxm0(17, 4, 'ARP_TPA')], { prereq: 'arp' }),
  row('arp_sha', 'mac', 48, true, [of(24, 6, 'ARP_SHA'), nxm1(17, 6, 'ARP_SHA')], { prereq: 'arp' }),
  row('arp_tha', 'mac', 48, true, [of(25, 6, 'ARP_THA'), nxm1(18, 6, 'ARP_THA')], { prereq: 'arp' }),

  // ---- Transport ------------------------------------------------------------------------------
  row('tp_src', 'uint', 16, true, [], {
    prereq: 'l4',
    doc: 'transport source port (or ICMP type) of whatever ip_proto the match names',
  }),
  row('tp_dst', 'uint', 16, true, [], {
    prereq: 'l4',
    doc: 'transport destination port (or ICMP code) of whatever ip_proto the match names',
  }),
  row('tcp_src', 'uint', 16, true, [of(13, 2, 'TCP_SRC'), nxm0(9, 2, 'TCP_SRC')], { prereq: 'tcp' }),
  row('tcp_dst', 'uint', 16, true, [of(14, 2, 'TCP_DST'), nxm0(10, 2, 'TCP_DST')], { prereq: 'tcp' }),
  row('tcp_flags', 'uint', 12, true, [onf(42, 2, 'TCP_FLAGS'), nxm1(34, 2, 'TCP_FLAGS'), of(42, 2, 'TCP_FLAGS')], {
    format: 'tcp_flags',
    prereq: 'tcp',
    doc: 'fin 0x001 syn 0x002 rst 0x004 psh 0x008 ack 0x010 urg 0x020 ece 0x040 cwr 0x080 ns 0x100',
  }),
  row('udp_src', 'uint', 16, true, [of(15, 2, 'UDP_SRC'), nxm0(11, 2, 'UDP_SRC')], { prereq: 'udp' }),
  row('udp_dst', 'uint', 16, true, [of(16, 2, 'UDP_DST'), nxm0(12, 2, 'UDP_DST')], { prereq: 'udp' }),
  row('sctp_src', 'uint', 16, true, [of(17, 2, 'SCTP_SRC')], { prereq: 'sctp' }),
  row('sctp_dst', 'uint', 16, true, [of(18, 2, 'SCTP_DST')], { prereq: 'sctp' }),
  row('icmp_type', 'uint', 8, false, [of(19, 1, 'ICMPV4_TYPE'), nxm0(13, 1, 'ICMP_TYPE')], { prereq: 'icmp' }),
  row('icmp_code', 'uint', 8, false, [of(20, 1, 'ICMPV4_CODE'), nxm0(14, 1, 'ICMP_CODE')], { prereq: 'icmp' }),
  row('icmpv6_type', 'uint', 8, false, [of(29, 1, 'ICMPV6_TYPE'), nxm1(21, 1, 'ICMPV6_TYPE')], { prereq: 'icmp6' }),
  row('icmpv6_code', 'uint', 8, false, [of(30, 1, 'ICMPV6_CODE'), nxm1(22, 1, 'ICMPV6_CODE')], { prereq: 'icmp6' }),

  // ---- IPv6 neighbor discovery ----------------------------------------------------------------
  row('nd_target', 'ipv6', 128, true, [of(31, 16, 'IPV6_ND_TARGET'), nxm1(23, 16, 'ND_TARGET')], { prereq: 'nd' }),
  row('nd_sll', 'mac', 48, true, [of(32, 6, 'IPV6_ND_SLL'), nxm1(24, 6, 'ND_SLL')], { prereq: 'nd_solicit' }),
  row('nd_tll', 'mac', 48, true, [of(33, 6, 'IPV6_ND_TLL'), nxm1(25, 6, 'ND_TLL')], { prereq: 'nd_advert' }),
  row('nd_reserved', 'uint', 32, false, [enc(ERIC, 1, 4, 'ERICOXM_OF_ICMPV6_ND_RESERVED')], { prereq: 'nd' }),
  row('nd_options_type', 'uint', 8, false, [enc(ERIC, 2, 1, 'ERICOXM_OF_ICMPV6_ND_OPTIONS_TYPE')], { prereq: 'nd' }),

  // ---- Network Service Header -----------------------------------------------------------------
  row('nsh_flags', 'uint', 8, true, [nsh(1, 1, 'FLAGS')], { prereq: 'nsh' }),
  row('nsh_mdtype', 'uint', 8, false, [nsh(2, 1, 'MDTYPE')], { prereq: 'nsh' }),
  row('nsh_np', 'uint', 8, false, [nsh(3, 1, 'NP')], { prereq: 'nsh' }),
  row('nsh_spi', 'uint', 24, false, [nsh(4, 4, 'SPI')], { ...hex, aliases: ['nsp'], prereq: 'nsh' }),
  row('nsh_si', 'uint', 8, false, [nsh(5, 1, 'SI')], { aliases: ['nsi'], prereq: 'nsh' }),
  ...numbered(4, (i) =>
    row(`nsh_c${i + 1}`, 'uint', 32, true, [nsh(6 + i, 4, `C${i + 1}`)], { ...hex, aliases: [`nshc${i + 1}`], prereq: 'nsh' }),
  ),
  row('nsh_ttl', 'uint', 8, false, [nsh(10, 1, 'TTL')], { prereq: 'nsh' }),
];

registerFields(FIELD_TABLE);
