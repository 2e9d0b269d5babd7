/**
 * Match fields known to ofwire, with the headers Open vSwitch 3.1 uses for OpenFlow 1.3
 * (the first encoding of each row) and the alternatives it accepts.
 */
import {
  OXM_CLASS_NXM0 as NXM0,
  OXM_CLASS_NXM1 as NXM1,
  OXM_CLASS_OPENFLOW_BASIC as OF,
  oxmHeader,
  registerFields,
  type FieldDef,
  type FieldEncoding,
  type ValueKind,
} from './registry.js';

function enc(cls: number, field: number, bytes: number, wireName: string, experimenter?: number): FieldEncoding {
  return experimenter === undefined
    ? { header: oxmHeader(cls, field), bytes, wireName }
    : { header: oxmHeader(cls, field), bytes, wireName, experimenter };
}

function row(
  name: string,
  kind: ValueKind,
  bits: number,
  maskable: boolean,
  encodings: FieldEncoding[],
  opts: { aliases?: string[]; prereq?: string } = {},
): FieldDef {
  const def: FieldDef = { name, aliases: opts.aliases ?? [], kind, bits, maskable, encodings };
  if (opts.prereq) def.prereq = opts.prereq;
  return def;
}

const regs: FieldDef[] = [];
for (let i = 0; i < 16; i++) {
  regs.push(row(`reg${i}`, 'uint', 32, true, [enc(NXM1, i, 4, `NXM_NX_REG${i}`)]));
}

export const FIELD_TABLE: readonly FieldDef[] = [
  row('in_port', 'uint', 32, false, [enc(OF, 0, 4, 'OXM_OF_IN_PORT'), enc(NXM0, 0, 2, 'NXM_OF_IN_PORT')]),
  row('metadata', 'uint', 64, true, [enc(OF, 2, 8, 'OXM_OF_METADATA')]),
  row('eth_dst', 'mac', 48, true, [enc(OF, 3, 6, 'OXM_OF_ETH_DST'), enc(NXM0, 1, 6, 'NXM_OF_ETH_DST')], {
    aliases: ['dl_dst'],
  }),
  row('eth_src', 'mac', 48, true, [enc(OF, 4, 6, 'OXM_OF_ETH_SRC'), enc(NXM0, 2, 6, 'NXM_OF_ETH_SRC')], {
    aliases: ['dl_src'],
  }),
  row('eth_type', 'uint', 16, false, [enc(OF, 5, 2, 'OXM_OF_ETH_TYPE'), enc(NXM0, 3, 2, 'NXM_OF_ETH_TYPE')], {
    aliases: ['dl_type'],
  }),
  row('ip_proto', 'uint', 8, false, [enc(OF, 10, 1, 'OXM_OF_IP_PROTO'), enc(NXM0, 6, 1, 'NXM_OF_IP_PROTO')], {
    aliases: ['nw_proto'],
    prereq: 'ip_any',
  }),
  row('ipv4_src', 'ipv4', 32, true, [enc(OF, 11, 4, 'OXM_OF_IPV4_SRC'), enc(NXM0, 7, 4, 'NXM_OF_IP_SRC')], {
    aliases: ['nw_src', 'ip_src'],
    prereq: 'ip',
  }),
  row('ipv4_dst', 'ipv4', 32, true, [enc(OF, 12, 4, 'OXM_OF_IPV4_DST'), enc(NXM0, 8, 4, 'NXM_OF_IP_DST')], {
    aliases: ['nw_dst', 'ip_dst'],
    prereq: 'ip',
  }),
  row('tcp_src', 'uint', 16, true, [enc(OF, 13, 2, 'OXM_OF_TCP_SRC'), enc(NXM0, 9, 2, 'NXM_OF_TCP_SRC')], {
    prereq: 'tcp',
  }),
  row('tcp_dst', 'uint', 16, true, [enc(OF, 14, 2, 'OXM_OF_TCP_DST'), enc(NXM0, 10, 2, 'NXM_OF_TCP_DST')], {
    prereq: 'tcp',
  }),
  row('udp_src', 'uint', 16, true, [enc(OF, 15, 2, 'OXM_OF_UDP_SRC'), enc(NXM0, 11, 2, 'NXM_OF_UDP_SRC')], {
    prereq: 'udp',
  }),
  row('udp_dst', 'uint', 16, true, [enc(OF, 16, 2, 'OXM_OF_UDP_DST'), enc(NXM0, 12, 2, 'NXM_OF_UDP_DST')], {
    prereq: 'udp',
  }),
  row('ipv6_src', 'ipv6', 128, true, [enc(OF, 26, 16, 'OXM_OF_IPV6_SRC'), enc(NXM1, 19, 16, 'NXM_NX_IPV6_SRC')], {
    prereq: 'ipv6',
  }),
  row('ipv6_dst', 'ipv6', 128, true, [enc(OF, 27, 16, 'OXM_OF_IPV6_DST'), enc(NXM1, 20, 16, 'NXM_NX_IPV6_DST')], {
    prereq: 'ipv6',
  }),
  ...regs,
  row('ct_state', 'uint', 32, true, [enc(NXM1, 105, 4, 'NXM_NX_CT_STATE')]),
  row('ct_zone', 'uint', 16, false, [enc(NXM1, 106, 2, 'NXM_NX_CT_ZONE')]),
  row('ct_mark', 'uint', 32, true, [enc(NXM1, 107, 4, 'NXM_NX_CT_MARK')]),
  row('ct_label', 'uint', 128, true, [enc(NXM1, 108, 16, 'NXM_NX_CT_LABEL')]),
];

registerFields(FIELD_TABLE);
