/** CIDRs as the proxy matches them: network address (host bits cleared) and mask, both as text. */
import { isIPv4, isIPv6 } from 'node:net';
import { parseIpv4, parseIpv6 } from '../../protocol/fields/values.js';

export interface Cidr {
  family: 'IPv4' | 'IPv6';
  /** The network address, host bits cleared (what OVS keeps of a masked match). */
  network: string;
  prefix: number;
  /** Dotted or colon mask; undefined for a full-length prefix (an exact match, as OVS reads it back). */
  mask: string | undefined;
}

function v4Text(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 0xff).join('.');
}

function v6Text(b: Uint8Array): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i]! << 8) | b[i + 1]!).toString(16));
  // Longest run of zero groups (two or more) becomes `::`, as in RFC 5952.
  let best = -1;
  let len = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > len && j - i > 1) [best, len] = [i, j - i];
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + len).join(':')}`;
}

/** `10.244.0.0/16`, `2001:db8::/32` or a bare address; undefined when it is neither. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const ip = slash < 0 ? text : text.slice(0, slash);
  const bitsText = slash < 0 ? undefined : text.slice(slash + 1);
  const v4 = isIPv4(ip);
  if (!v4 && !isIPv6(ip)) return undefined;
  const max = v4 ? 32 : 128;
  if (bitsText !== undefined && !/^\d{1,3}$/.test(bitsText)) return undefined;
  const prefix = bitsText === undefined ? max : Number(bitsText);
  if (prefix > max) return undefined;
  if (v4) {
    const maskN = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    return { family: 'IPv4', network: v4Text((parseIpv4(ip) & maskN) >>> 0), prefix, mask: prefix === 32 ? undefined : v4Text(maskN) };
  }
  const b = Uint8Array.from(parseIpv6(ip)!);
  const m = new Uint8Array(16);
  for (let i = 0; i < 16; i++) m[i] = prefix >= 8 * (i + 1) ? 0xff : prefix <= 8 * i ? 0 : (0xff << (8 - (prefix - 8 * i))) & 0xff;
  const net = b.map((x, i) => x & m[i]!);
  return { family: 'IPv6', network: v6Text(net), prefix, mask: prefix === 128 ? undefined : v6Text(m) };
}

/** Whether `ip` lies in `cidr`. */
export function cidrContains(cidr: Cidr, ip: string): boolean {
  const c = parseCidr(`${ip}/${cidr.prefix}`);
  return c !== undefined && c.family === cidr.family && c.network === cidr.network;
}
