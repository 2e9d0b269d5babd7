/**
 * Cookie layout of everything the proxy installs: prefix (16 bits) | kind (4 bits) | id (44 bits).
 * One masked dump or delete on the prefix touches exactly what the proxy owns.
 */
export const CookieKind = {
  /** The pipeline's fixed flows. */
  Base: 0,
  /** Per service port, table B+1; id = service-port id. */
  Service: 1,
  /** Per endpoint slot, table B+2; id = service-port id. */
  Slot: 2,
  /** Shared DNAT-from-registers flows (affinity hits), table B+3. */
  Dnat: 3,
  /** Flows learned for ClientIP affinity, table B+4; id = service-port id << 20 | endpoint hash. */
  Learned: 4,
  /** Hairpin SNAT flows, table B+5. */
  Hairpin: 5,
  /** SNAT of an external frontend's connections (table B+5) and its source ranges (table B+0); id = service-port id. */
  External: 6,
} as const;
export type CookieKind = (typeof CookieKind)[keyof typeof CookieKind];

export const COOKIE_PREFIX_MASK = 0xffff000000000000n;
export const COOKIE_KIND_MASK = 0xffff_f000_0000_0000n;
/** A cookie mask that matches one cookie exactly. */
export const COOKIE_EXACT_MASK = 0xffffffffffffffffn;
const ID_MASK = (1n << 44n) - 1n;

export function cookie(prefix: number, kind: CookieKind, id = 0): bigint {
  return (BigInt(prefix) << 48n) | (BigInt(kind) << 44n) | (BigInt(id) & ID_MASK);
}

export function prefixCookie(prefix: number): bigint {
  return BigInt(prefix) << 48n;
}

export function cookieKind(c: bigint): CookieKind {
  return Number((c >> 44n) & 0xfn) as CookieKind;
}

export function cookieId(c: bigint): number {
  return Number(c & ID_MASK);
}

/** 20-bit hash of an endpoint, naming its learned affinity flows within one service port. */
export function endpointHash(ip: string, port: number): number {
  let h = 0x811c9dc5;
  const s = `${ip}|${port}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) & 0xfffff;
}

export function learnedCookie(prefix: number, servicePortId: number, ip: string, port: number): bigint {
  return cookie(prefix, CookieKind.Learned, servicePortId * 0x100000 + endpointHash(ip, port));
}
