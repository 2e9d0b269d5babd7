/**
 * The service-port key a service flow on the switch stands for (read from its match), by which ids
 * are recovered after an agent restart (service-ports.ts).
 */
import type { Match } from '../../protocol/index.js';
import { encodingFor } from '../../protocol/fields/oxm.js';
import { formatIpv4, formatIpv6 } from '../../protocol/fields/values.js';
import type { DumpedFlow } from './entries.js';
import { podsPortKey, portKey } from './model.js';
import type { Protocol } from '../sources/types.js';
import { ETH_TYPE_IP, ETH_TYPE_IPV6 } from '../../protocol/constants/packet.js';

/** The id side of the service-port table, under the name the id allocator has always had. */
export { MAX_SERVICE_PORT_ID, ServicePortTable as ServicePortIds } from './service-ports.js';

const PROTOCOLS: Record<number, Protocol> = { 6: 'TCP', 17: 'UDP', 132: 'SCTP' };

/** The service-port key a service flow's match stands for, or undefined. */
export function keyOfServiceMatch(match: Match): string | undefined {
  let family: 'IPv4' | 'IPv6' | undefined;
  let vip: string | undefined;
  let proto: Protocol | undefined;
  let port: number | undefined;
  let fromPods = false;
  for (const m of match) {
    switch (m.field) {
      case 'ipv4_src':
      case 'ipv6_src':
        fromPods = true;
        break;
      case 'eth_type':
        family = m.value === 0x0800 ? 'IPv4' : m.value === 0x86dd ? 'IPv6' : undefined;
        break;
      case 'ipv4_dst':
      case 'ipv6_dst':
        if (m.mask === undefined) vip = String(m.value);
        break;
      case 'ip_proto':
        proto = PROTOCOLS[Number(m.value)];
        break;
      case 'tcp_dst':
      case 'udp_dst':
      case 'sctp_dst':
        if (m.mask === undefined) port = Number(m.value);
        break;
    }
  }
  if (!family || !vip || !proto || port === undefined) return undefined;
  // Only the pods' way into an external frontend matches a source address in this table.
  return fromPods ? podsPortKey(portKey(family, proto, vip, port)) : portKey(family, proto, vip, port);
}

/** The service-port key of a dumped service flow (from its key's match bytes), or undefined. */
export function keyOfServiceFlow(f: DumpedFlow): string | undefined {
  return keyOfServiceMatchBytes(f.key, f.key.indexOf('/', f.key.indexOf('/') + 1) + 1);
}

/** OXM class and field (the header without its mask bit and length) of the fields a service match has. */
const classField = (field: string): number => encodingFor({ field }, field).enc.header >>> 9;
let fields: { ethType: number; ipv4Dst: number; ipv6Dst: number; ipProto: number; l4Dst: Set<number>; src: Set<number> } | undefined;
/** Looked up on first use: the field table is filled in as the codec's modules load. */
function serviceFields(): NonNullable<typeof fields> {
  fields ??= {
    ethType: classField('eth_type'),
    ipv4Dst: classField('ipv4_dst'),
    ipv6Dst: classField('ipv6_dst'),
    ipProto: classField('ip_proto'),
    l4Dst: new Set(['tcp_dst', 'udp_dst', 'sctp_dst'].map(classField)),
    src: new Set(['ipv4_src', 'ipv6_src'].map(classField)),
  };
  return fields;
}

/**
 * keyOfServiceMatch() straight from an encoded struct ofp_match (a latin1 string, one character per
 * byte, from `from` on), as a flow's key holds it; undefined for anything else, malformed included.
 */
export function keyOfServiceMatchBytes(m: string, from = 0): string | undefined {
  const u8 = (i: number) => m.charCodeAt(i);
  const u16 = (i: number) => (u8(i) << 8) | u8(i + 1);
  if (m.length - from < 4) return undefined;
  const end = from + u16(from + 2);
  if (end > m.length) return undefined;
  const f = serviceFields();
  let family: 'IPv4' | 'IPv6' | undefined;
  let vip: string | undefined;
  let proto: Protocol | undefined;
  let port: number | undefined;
  let fromPods = false;
  for (let at = from + 4; at + 4 <= end;) {
    const header = (u16(at) << 16) | (u8(at + 2) << 8) | u8(at + 3);
    const cf = header >>> 9;
    const masked = (header & 0x100) !== 0;
    const v = at + 4;
    const next = v + (header & 0xff);
    if (next > end) return undefined;
    if (cf === f.ethType) {
      const t = u16(v);
      family = t === ETH_TYPE_IP ? 'IPv4' : t === ETH_TYPE_IPV6 ? 'IPv6' : undefined;
    } else if (cf === f.ipProto) proto = PROTOCOLS[u8(v)];
    else if (f.src.has(cf)) fromPods = true;
    else if (masked) {
      // A masked address or port is not a service's.
    } else if (cf === f.ipv4Dst) vip = formatIpv4(((u16(v) << 16) | u16(v + 2)) >>> 0);
    else if (cf === f.ipv6Dst) vip = formatIpv6(Uint8Array.from({ length: 16 }, (_, i) => u8(v + i)));
    else if (f.l4Dst.has(cf)) port = u16(v);
    at = next;
  }
  if (!family || !vip || !proto || port === undefined) return undefined;
  // Only the pods' way into an external frontend matches a source address in this table.
  return fromPods ? podsPortKey(portKey(family, proto, vip, port)) : portKey(family, proto, vip, port);
}
