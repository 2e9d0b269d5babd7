/** Packet header constants (Ethernet types, IP protocols), named as in Open vSwitch's packets.h. */

export const ETH_TYPE_IP = 0x0800;
export const ETH_TYPE_ARP = 0x0806;
export const ETH_TYPE_VLAN = 0x8100;
export const ETH_TYPE_RARP = 0x8035;
export const ETH_TYPE_IPV6 = 0x86dd;
export const ETH_TYPE_MPLS = 0x8847;
export const ETH_TYPE_MPLS_MCAST = 0x8848;
export const ETH_TYPE_NSH = 0x894f;

export const IPPROTO_ICMP = 1;
export const IPPROTO_IGMP = 2;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_ICMPV6 = 58;
export const IPPROTO_SCTP = 132;

/**
 * Packet types of encap/decap: (namespace << 16) | type, namespace 0 for Ethernet and 1 for an
 * Ethernet type.
 */
export const PT_ETH = 0x00000000;
export const PT_USE_NEXT_PROTO = 0x0000fffe;
export const PT_IPV4 = 0x00010800;
export const PT_IPV6 = 0x000186dd;
export const PT_MPLS = 0x00018847;
export const PT_MPLS_MC = 0x00018848;
export const PT_NSH = 0x0001894f;
