/**
 * Refusals for connections to a service without endpoints, built from the packet the switch sent up:
 * a TCP RST (RFC 9293 §3.10.7.1) or an ICMP / ICMPv6 port unreachable, from the service address to
 * the client, with the Ethernet addresses swapped. Pure functions over bytes.
 */
import {
  ETH_TYPE_IP,
  ETH_TYPE_IPV6,
  ETH_TYPE_VLAN,
  IPPROTO_ICMPV6,
  IPPROTO_SCTP,
  IPPROTO_TCP,
  IPPROTO_UDP,
} from '../../protocol/constants/packet.js';

const TCP_FIN = 0x01;
const TCP_SYN = 0x02;
const TCP_RST = 0x04;
const TCP_ACK = 0x10;
/** ICMP errors carry as much of the offending packet as fits in these totals (RFC 1812 4.3.2.3, RFC 4443 2.4). */
const ICMP4_MAX_TOTAL = 576;
const ICMP6_MAX_TOTAL = 1280;

function sum16(buf: Buffer, start: number, end: number, acc = 0): number {
  let i = start;
  for (; i + 1 < end; i += 2) acc += (buf[i]! << 8) | buf[i + 1]!;
  if (i < end) acc += buf[i]! << 8;
  return acc;
}

function fold(acc: number): number {
  while (acc > 0xffff) acc = (acc & 0xffff) + (acc >>> 16);
  return ~acc & 0xffff;
}

function pseudo4(src: Buffer, dst: Buffer, proto: number, len: number): number {
  return sum16(src, 0, 4) + sum16(dst, 0, 4) + proto + len;
}

function pseudo6(src: Buffer, dst: Buffer, proto: number, len: number): number {
  return sum16(src, 0, 16) + sum16(dst, 0, 16) + proto + len;
}

interface Parsed {
  /** Ethernet header to reuse (addresses swapped), VLAN tag kept. */
  l2: Buffer;
  v6: boolean;
  /** The IP packet (possibly truncated by the switch). */
  ip: Buffer;
  src: Buffer;
  dst: Buffer;
  proto: number;
  /** Offset of the L4 header in `ip`. */
  l4: number;
  /** IP payload length the header declares. */
  payloadLen: number;
}

function parse(frame: Buffer): Parsed | null {
  if (frame.length < 14) return null;
  let off = 12;
  let type = frame.readUInt16BE(off);
  if (type === ETH_TYPE_VLAN) {
    if (frame.length < 18) return null;
    off += 4;
    type = frame.readUInt16BE(off);
  }
  off += 2;
  const l2 = Buffer.from(frame.subarray(0, off));
  l2.copy(l2, 0, 6, 12);
  frame.copy(l2, 6, 0, 6);
  const ip = frame.subarray(off);
  if (type === ETH_TYPE_IP) {
    if (ip.length < 20 || ip[0]! >> 4 !== 4) return null;
    const ihl = (ip[0]! & 15) * 4;
    if (ihl < 20 || ip.length < ihl) return null;
    const fragment = ip.readUInt16BE(6) & 0x1fff;
    if (fragment) return null;
    return {
      l2,
      v6: false,
      ip,
      src: ip.subarray(12, 16),
      dst: ip.subarray(16, 20),
      proto: ip[9]!,
      l4: ihl,
      payloadLen: ip.readUInt16BE(2) - ihl,
    };
  }
  if (type === ETH_TYPE_IPV6) {
    if (ip.length < 40 || ip[0]! >> 4 !== 6) return null;
    return { l2, v6: true, ip, src: ip.subarray(8, 24), dst: ip.subarray(24, 40), proto: ip[6]!, l4: 40, payloadLen: ip.readUInt16BE(4) };
  }
  return null;
}

function ipHeader(p: Parsed, proto: number, payloadLen: number): Buffer {
  if (p.v6) {
    const h = Buffer.alloc(40);
    h[0] = 0x60;
    h.writeUInt16BE(payloadLen, 4);
    h[6] = proto;
    h[7] = 64;
    p.dst.copy(h, 8);
    p.src.copy(h, 24);
    return h;
  }
  const h = Buffer.alloc(20);
  h[0] = 0x45;
  h.writeUInt16BE(20 + payloadLen, 2);
  h.writeUInt16BE(0x4000, 6);
  h[8] = 64;
  h[9] = proto;
  p.dst.copy(h, 12);
  p.src.copy(h, 16);
  h.writeUInt16BE(fold(sum16(h, 0, 20)), 10);
  return h;
}

function tcpReset(p: Parsed): Buffer | null {
  const t = p.ip.subarray(p.l4);
  if (t.length < 20) return null;
  const flags = t[13]!;
  if (flags & TCP_RST) return null;
  const seg = Buffer.alloc(20);
  seg.writeUInt16BE(t.readUInt16BE(2), 0);
  seg.writeUInt16BE(t.readUInt16BE(0), 2);
  if (flags & TCP_ACK) {
    seg.writeUInt32BE(t.readUInt32BE(8), 4);
    seg[13] = TCP_RST;
  } else {
    const dataLen = Math.max(0, p.payloadLen - (t[12]! >> 4) * 4);
    const segLen = dataLen + (flags & TCP_SYN ? 1 : 0) + (flags & TCP_FIN ? 1 : 0);
    seg.writeUInt32BE((t.readUInt32BE(4) + segLen) >>> 0, 8);
    seg[13] = TCP_RST | TCP_ACK;
  }
  seg[12] = 5 << 4;
  const ip = ipHeader(p, IPPROTO_TCP, 20);
  const acc = p.v6 ? pseudo6(p.dst, p.src, IPPROTO_TCP, 20) : pseudo4(p.dst, p.src, IPPROTO_TCP, 20);
  seg.writeUInt16BE(fold(sum16(seg, 0, 20, acc)), 16);
  return Buffer.concat([p.l2, ip, seg]);
}

function portUnreachable(p: Parsed): Buffer {
  const quoteMax = (p.v6 ? ICMP6_MAX_TOTAL - 40 : ICMP4_MAX_TOTAL - 20) - 8;
  const quote = p.ip.subarray(0, Math.min(p.ip.length, p.l4 + p.payloadLen, quoteMax));
  const icmp = Buffer.alloc(8 + quote.length);
  quote.copy(icmp, 8);
  if (p.v6) {
    icmp[0] = 1; // destination unreachable
    icmp[1] = 4; // port unreachable
    icmp.writeUInt16BE(fold(sum16(icmp, 0, icmp.length, pseudo6(p.dst, p.src, IPPROTO_ICMPV6, icmp.length))), 2);
    return Buffer.concat([p.l2, ipHeader(p, IPPROTO_ICMPV6, icmp.length), icmp]);
  }
  icmp[0] = 3;
  icmp[1] = 3;
  icmp.writeUInt16BE(fold(sum16(icmp, 0, icmp.length)), 2);
  return Buffer.concat([p.l2, ipHeader(p, 1, icmp.length), icmp]);
}

/**
 * The frame that refuses `frame` (TCP RST for TCP, port unreachable for UDP and SCTP), or null when
 * the frame is not something to refuse (not IP, a fragment, a RST, truncated headers).
 */
export function rejectFrame(frame: Buffer): Buffer | null {
  const p = parse(frame);
  if (!p) return null;
  if (p.proto === IPPROTO_TCP) return tcpReset(p);
  if (p.proto === IPPROTO_UDP || p.proto === IPPROTO_SCTP) return portUnreachable(p);
  return null;
}
