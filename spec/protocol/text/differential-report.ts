/**
 * `npm run fuzz:text [-- --count N] [--seed S] [--out FILE]`: the full differential run of the
 * ovs-ofctl text syntax. Every corpus text and N mutations of them (30 000 by default) go through
 * ovs-ofctl 3.1 and ofwire; prints a Markdown report of the disagreement classes with examples,
 * writes every disagreement as JSON lines to FILE, and exits 1 if ofwire ever sent what ovs-ofctl
 * refuses or meant something else where both accept.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { corpusSeeds, fuzzCases, haveOvsOfctl, judgeAll, type FuzzResult, type Verdict } from './differential.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '30000' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: 'fuzz-text-disagreements.jsonl' },
    parallel: { type: 'string', default: '4' },
  },
});
const count = Number(values.count);
const seed = Number(values.seed);
if (!Number.isInteger(count) || count < 1 || !Number.isInteger(seed)) {
  console.error('fuzz:text: --count takes a positive whole number and --seed a whole number');
  process.exit(2);
}
if (!(await haveOvsOfctl())) {
  console.error('fuzz:text: ovs-ofctl is not installed (apt-get install openvswitch-switch)');
  process.exit(2);
}

const seeds = corpusSeeds();
const cases = fuzzCases(seeds, seeds.length + count, seed);
const started = Date.now();
const results = await judgeAll(cases, Number(values.parallel), (done) => {
  if (done % 1000 === 0) process.stderr.write(`${done}/${cases.length}\n`);
});

const ORDER: [Verdict, string][] = [
  ['different-meaning', 'both accept, with different meanings (a defect)'],
  ['ofwire-only', 'ofwire sends what ovs-ofctl refuses (a defect)'],
  ['same-meaning', 'both accept: different bytes, printed the same by ovs-ofctl'],
  ['ovs-only', 'ofwire refuses what ovs-ofctl accepts (where ovs-ofctl silently changes or ignores what was written)'],
  ['agree-refused', 'both refuse'],
  ['agree', 'both accept, the same bytes'],
];
const by = new Map<Verdict, FuzzResult[]>();
for (const r of results) by.set(r.verdict, [...(by.get(r.verdict) ?? []), r]);
const accepted = results.filter((r) => r.ovs.ok && r.ofwire.ok).length;

const out: string[] = [];
out.push(`# ovs-ofctl text: differential run`, '');
out.push(
  `${results.length} texts (${seeds.length} corpus texts, ${results.length - seeds.length} mutations, seed ${seed}) in ${((Date.now() - started) / 1000).toFixed(0)} s.`,
);
out.push(
  `Same verdict: ${((((by.get('agree')?.length ?? 0) + (by.get('agree-refused')?.length ?? 0)) / results.length) * 100).toFixed(1)}%; where both accept, ${by.get('agree')?.length ?? 0} of ${accepted} send the same bytes.`,
  '',
);
out.push('| class | texts |', '|---|---:|');
for (const [v, what] of ORDER) out.push(`| ${what} | ${by.get(v)?.length ?? 0} |`);
for (const [v, what] of ORDER.slice(0, 4)) {
  const rs = by.get(v) ?? [];
  if (!rs.length) continue;
  out.push('', `## ${what}`, '');
  if (v === 'ovs-only') {
    // Grouped by ofwire's reason, quoted values taken out.
    const reasons = new Map<string, FuzzResult[]>();
    for (const r of rs) {
      const e = r.ofwire.ok ? '' : r.ofwire.error.replace(/^.*?\(column \d+\): /, '').replace(/"[^"]*"|\b\d[\w.:]*/g, '…');
      reasons.set(e, [...(reasons.get(e) ?? []), r]);
    }
    out.push('| ofwire says | texts | e.g. |', '|---|---:|---|');
    for (const [e, xs] of [...reasons].sort((a, b) => b[1].length - a[1].length))
      out.push(`| ${e.replace(/\|/g, '\\|')} | ${xs.length} | \`${xs[0]!.text.replace(/\|/g, '\\|')}\` |`);
  } else {
    for (const r of rs.slice(0, 20)) out.push(`- \`${r.text}\` (${r.mutation})${r.ovs.ok ? '' : ` — ovs-ofctl: ${r.ovs.error}`}`);
  }
}
console.log(out.join('\n'));
writeFileSync(
  values.out,
  results
    .filter((r) => r.verdict !== 'agree' && r.verdict !== 'agree-refused')
    .map((r) => JSON.stringify(r))
    .join('\n') + '\n',
);
console.error(`disagreements written to ${values.out}`);
process.exit((by.get('ofwire-only')?.length ?? 0) + (by.get('different-meaning')?.length ?? 0) ? 1 : 0);
