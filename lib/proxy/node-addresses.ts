/**
 * `--nodeport-addresses` as kube-proxy reads it: `primary` (the default) means the node's primary
 * address per family (its InternalIP, or `--node-ip`); a list of CIDRs selects, among the node's
 * addresses and this host's interface addresses, those inside any of them.
 */
import { networkInterfaces } from 'node:os';
import { cidrContains, parseCidr, type Cidr } from './cidr.js';

export type NodePortAddressSpec = 'primary' | Cidr[];

/** Parses the flag's value; throws a one-line error naming the bad entry. */
export function parseNodePortAddresses(text: string): NodePortAddressSpec {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'primary') return 'primary';
  return trimmed.split(',').map((part) => {
    const c = parseCidr(part.trim());
    if (!c || !part.includes('/'))
      throw new Error(`--nodeport-addresses: "${part.trim()}" is not a CIDR (e.g. 192.168.0.0/16) or "primary"`);
    return c;
  });
}

/** The addresses of this host's interfaces (loopback and link-local left out). */
export function hostAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (!a.internal && !a.address.startsWith('fe80:')) out.push(a.address);
  }
  return out;
}

/** The node's primary address per family: the first of each family, in order. */
export function primaryPerFamily(addresses: readonly string[]): string[] {
  const v4 = addresses.find((a) => !a.includes(':'));
  const v6 = addresses.find((a) => a.includes(':'));
  return [v4, v6].filter((a): a is string => a !== undefined);
}

/** The addresses that accept NodePort connections. */
export function nodePortAddresses(spec: NodePortAddressSpec, nodeIPs: readonly string[], candidates: readonly string[]): string[] {
  if (spec === 'primary') return primaryPerFamily(nodeIPs);
  const seen = new Set<string>();
  for (const ip of [...nodeIPs, ...candidates]) {
    if (spec.some((c) => cidrContains(c, ip))) seen.add(ip);
  }
  return [...seen];
}
