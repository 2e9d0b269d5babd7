/**
 * Summarizes a V8 .cpuprofile: self time and total (inclusive) time per function, as % of the
 * samples, idle and program-level samples excluded.
 *
 *   npx tsx benchmarks/codec/cpuprofile-summary.ts FILE.cpuprofile [rows]
 *
 * Also lists, for the ten functions with the most self time, their hottest source lines (of the
 * code V8 ran: profile tsc's output, not tsx's, to get usable line numbers).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
  positionTicks?: { line: number; ticks: number }[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, rowsArg = '30'] = process.argv.slice(2);
if (!file) throw new Error('usage: cpuprofile-summary.ts FILE.cpuprofile [rows]');
const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

function label(n: ProfileNode): string {
  const f = n.callFrame;
  const where = f.url ? f.url.replace(/^.*\/(protocol|benchmarks|node_modules)\//, '$1/').replace(/^node:/, '') : '';
  return `${f.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
}

const SKIP = new Set(['(idle)', '(program)', '(root)']);
const self = new Map<string, number>();
const total = new Map<string, number>();
let sum = 0;
p.samples.forEach((id, i) => {
  const n = byId.get(id)!;
  if (SKIP.has(n.callFrame.functionName)) return;
  const dt = p.timeDeltas[i] ?? 0;
  sum += dt;
  self.set(label(n), (self.get(label(n)) ?? 0) + dt);
  // Inclusive time: once per distinct function on the stack (recursion counted once).
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const l = label(byId.get(cur)!);
    if (seen.has(l)) continue;
    seen.add(l);
    total.set(l, (total.get(l) ?? 0) + dt);
  }
});

const pct = (v: number): string => `${((100 * v) / sum).toFixed(1).padStart(5)}%`;
const rows = Number(rowsArg);
console.log(`self time (${(sum / 1e6).toFixed(2)} s of samples)`);
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, rows)) console.log(`${pct(v)}  ${k}`);
console.log('\ntotal time (function and its callees)');
for (const [k, v] of [...total].sort((a, b) => b[1] - a[1]).slice(0, rows)) console.log(`${pct(v)}  ${k}`);

const lineTicks = new Map<string, Map<number, number>>();
for (const n of p.nodes) {
  const l = label(n);
  for (const t of n.positionTicks ?? []) {
    const m = lineTicks.get(l) ?? new Map<number, number>();
    m.set(t.line, (m.get(t.line) ?? 0) + t.ticks);
    lineTicks.set(l, m);
  }
}
console.log("\nhottest lines of the top functions (share of that function's self ticks)");
for (const [k] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 10)) {
  const m = lineTicks.get(k);
  if (!m) continue;
  const all = [...m.values()].reduce((a, b) => a + b, 0);
  const top = [...m].sort((a, b) => b[1] - a[1]).slice(0, 4);
  console.log(`${k}: ${top.map(([line, t]) => `line ${line} ${((100 * t) / all).toFixed(0)}%`).join(', ')}`);
}
