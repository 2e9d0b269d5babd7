/**
 * Bucket weights for a select group that ovs-vswitchd splits as evenly as it can.
 *
 * ovs-vswitchd selects a bucket in the datapath by hashing into a table of n slots, where
 * n = max(16, next power of two of ceil(total weight / smallest weight)), at most 256, and deals the
 * slots to buckets by the Webster method. Equal weights give n = 16 for up to 16 buckets: with 10
 * endpoints six get two slots and four get one (2:1). Adding a weight-1 bucket that repeats the
 * first endpoint raises n to 256 and evens the split (10 endpoints: 26:25). This module replays that
 * computation and picks the weighting with the most even split per endpoint.
 */

export interface GroupWeights {
  /** One weight per endpoint, in order. */
  weights: number[];
  /** Weight of the extra bucket repeating endpoint 0, or 0 for none. */
  extra: number;
  /** Hash slots ovs-vswitchd will use. */
  slots: number;
  /** Most-loaded endpoint's share over the least-loaded one's (1 = perfectly even). */
  imbalance: number;
}

const MAX_SLOTS = 256;

/** Slots each bucket receives, as ovs-vswitchd computes them; null when it would not use dp_hash. */
export function dealSlots(weights: readonly number[]): { slots: number; hits: number[] } | null {
  let total = 0;
  let min = 0xffff;
  for (const w of weights) {
    if (w > 0 && w < min) min = w;
    total += w;
  }
  if (total === 0) return null;
  const minSlots = Math.ceil(total / min);
  let pow = 1;
  while (pow < minSlots) pow *= 2;
  const slots = Math.max(16, pow);
  if (slots > MAX_SLOTS) return null;
  const value = weights.map((w) => w);
  const divisor = weights.map(() => 1);
  const hits = weights.map(() => 0);
  for (let h = 0; h < slots; h++) {
    let win = 0;
    for (let i = 1; i < value.length; i++) if (value[i]! > value[win]!) win = i;
    hits[win]!++;
    divisor[win]! += 2;
    value[win] = weights[win]! / divisor[win]!;
  }
  return { slots, hits };
}

const cache = new Map<number, GroupWeights | null>();

/** The most even weighting for `n` endpoints, or null when n exceeds 256. */
export function groupWeights(n: number): GroupWeights | null {
  if (n < 1 || n > MAX_SLOTS) return null;
  const hit = cache.get(n);
  if (hit !== undefined) return hit;
  let best: GroupWeights | null = null;
  const consider = (weights: number[], extra: number) => {
    const dealt = dealSlots(extra ? [...weights, extra] : weights);
    if (!dealt) return;
    const per = dealt.hits.slice(0, n);
    if (extra) per[0]! += dealt.hits[n]!;
    const imbalance = Math.max(...per) / Math.min(...per);
    if (per.some((x) => x === 0)) return;
    if (!best || imbalance < best.imbalance - 1e-9) best = { weights, extra, slots: dealt.slots, imbalance };
  };
  consider(new Array<number>(n).fill(1), 0);
  for (let w = 1; w * n + 1 <= MAX_SLOTS; w++) consider(new Array<number>(n).fill(w), 1);
  cache.set(n, best);
  return best;
}
