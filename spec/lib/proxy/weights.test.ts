/**
 * Select-group weights: dealSlots() must deal hash slots exactly as ovs-vswitchd 3.1 does
 * (ofproto-dpif.c, group_setup_dp_hash_table: n = max(16, pow2(ceil(total/min))) ≤ 256 slots,
 * Webster's method), and groupWeights() must pick the most even split it can.
 * e2e-tcp.test.ts compares the same computation with what a real ovs-vswitchd logs.
 */
import t from 'tap';
import { dealSlots, groupWeights } from '../../../lib/proxy/weights.js';

/** An independent replay of OVS's allocation, written from its description (not from weights.ts). */
function ovsDeal(weights: number[]): { slots: number; hits: number[] } | null {
  const positive = weights.filter((w) => w > 0);
  const total = weights.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const min = Math.min(...positive, 0xffff);
  const need = Math.ceil(total / min);
  const slots = Math.max(16, 2 ** Math.ceil(Math.log2(need)));
  if (slots > 256) return null;
  // Webster / Sainte-Laguë: each slot goes to the largest weight/(2·hits+1), first bucket on ties.
  const hits = weights.map(() => 0);
  for (let s = 0; s < slots; s++) {
    let best = 0;
    let bestValue = -1;
    weights.forEach((w, i) => {
      const v = w / (2 * hits[i]! + 1);
      if (v > bestValue) {
        best = i;
        bestValue = v;
      }
    });
    hits[best]!++;
  }
  return { slots, hits };
}

function perEndpoint(n: number): { slots: number; shares: number[] } {
  const g = groupWeights(n)!;
  const dealt = ovsDeal(g.extra ? [...g.weights, g.extra] : g.weights)!;
  const shares = dealt.hits.slice(0, n);
  if (g.extra) shares[0]! += dealt.hits[n]!;
  return { slots: dealt.slots, shares };
}

const ratio = (xs: number[]) => Math.max(...xs) / Math.min(...xs);

t.test('dealSlots replays OVS for assorted weightings', async (t) => {
  const cases = [
    [1],
    [1, 1],
    [1, 1, 1],
    [2, 1],
    [57, 57, 57, 1],
    [25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 1],
    [3, 0, 5],
    [1, 2, 3, 4, 5],
    [100, 1],
    [65535, 65535],
    [7, 11, 13],
  ];
  for (const w of cases) t.same(dealSlots(w), ovsDeal(w), `weights ${w.join(',')}`);
  t.same(dealSlots([1, 1, 1]), { slots: 16, hits: [6, 5, 5] }, 'equal weights for 3: 16 slots, 6/5/5');
  t.equal(dealSlots([0, 0]), null, 'no weight: no dp_hash table');
  t.equal(dealSlots([300, 1]), null, 'more than 256 slots needed: OVS does not use dp_hash');
  t.equal(dealSlots([]), null, 'no bucket');
});

t.test('dealSlots agrees with the replay for every equal weighting of 1..64 buckets', async (t) => {
  let bad = 0;
  for (let n = 1; n <= 64; n++) {
    for (const w of [1, 3]) {
      const weights = new Array<number>(n).fill(w);
      for (const extra of [0, 1]) {
        const all = extra ? [...weights, extra] : weights;
        if (JSON.stringify(dealSlots(all)) !== JSON.stringify(ovsDeal(all))) bad++;
      }
    }
  }
  t.equal(bad, 0);
});

t.test('groupWeights', async (t) => {
  const three = perEndpoint(3);
  t.equal(three.slots, 256, '3 endpoints use all 256 slots');
  t.ok(ratio(three.shares) < 1.02, `3 endpoints: ${three.shares.join('/')}`);
  t.equal(groupWeights(3)!.extra, 1, 'through one extra weight-1 bucket');

  const ten = perEndpoint(10);
  t.ok(ratio(ten.shares) <= 1.1, `10 endpoints: ${ten.shares.join('/')} of ${ten.slots}`);
  t.ok(groupWeights(10)!.imbalance <= 1.1);

  for (const n of [1, 2, 4, 8, 16, 32, 64, 128, 256]) {
    const g = groupWeights(n)!;
    t.same(g.weights, new Array<number>(n).fill(1), `${n} endpoints: equal weights`);
    t.equal(g.extra, 0, `${n} endpoints: no extra bucket`);
    t.equal(g.imbalance, 1, `${n} endpoints: perfectly even`);
  }

  for (let n = 1; n <= 256; n++) {
    const g = groupWeights(n)!;
    const { shares } = perEndpoint(n);
    if (Math.abs(ratio(shares) - g.imbalance) > 1e-9 || shares.some((s) => s === 0)) {
      t.fail(`${n} endpoints: reported imbalance ${g.imbalance} but OVS would deal ${shares.join('/')}`);
    }
  }
  t.equal(groupWeights(0), null, 'no endpoint');
  t.equal(groupWeights(257), null, 'more than 256 endpoints cannot share 256 slots');
  t.equal(groupWeights(5), groupWeights(5), 'cached');
  t.ok(groupWeights(200)!.imbalance > 1.25, '200 endpoints cannot be split evenly by a group (the proxy uses multipath)');
});
