/**
 * Differential fuzzing against ovs-ofctl 3.1, seeded and bounded: mutations of the corpus texts
 * (empty values, leading zeros, signs, boundaries, masks, spaces, repeated and missing items, noise)
 * through both parsers. ofwire must never send what ovs-ofctl refuses, never send something that
 * means otherwise where both accept, and refuse only with one line quoting the offending token.
 * `npm test` judges 300 mutations, `npm run test:long` 600. The full run, with a report of every
 * disagreement class: `npm run fuzz:text`.
 */
import t from 'tap';
import { LONG_RUN } from '../../helpers/long-runs.js';
import { corpusSeeds, fuzzCases, haveOvsOfctl, judgeAll, MUTATION_NAMES } from './differential.js';

const SEED = 20261206;
const COUNT = LONG_RUN ? 600 : 300;

const ovs = await haveOvsOfctl();

t.test(
  'ofwire and ovs-ofctl agree on mutated corpus texts',
  { skip: ovs ? false : 'ovs-ofctl is not installed (npm test installs openvswitch-switch)' },
  async (t) => {
    const cases = fuzzCases(corpusSeeds(), COUNT, SEED, false);
    t.equal(cases.length, COUNT, `${COUNT} distinct mutations from seed ${SEED}`);
    const used = new Set(cases.flatMap((c) => c.mutation.split('+')));
    t.same([...used].sort(), [...MUTATION_NAMES].sort(), 'every kind of mutation is drawn');
    const results = await judgeAll(cases, 4);
    const by = (v: string) => results.filter((r) => r.verdict === v);
    for (const r of by('ofwire-only'))
      t.fail(`ofwire sends what ovs-ofctl refuses (${r.mutation}): ${JSON.stringify(r.text)} — ovs-ofctl: ${r.ovs.ok ? '' : r.ovs.error}`);
    for (const r of by('different-meaning')) t.fail(`both accept with different meanings (${r.mutation}): ${JSON.stringify(r.text)}`);
    for (const r of results) {
      if (r.ofwire.ok) continue;
      const e = r.ofwire.error;
      if (!/^OfpSyntaxError: ovs-ofctl syntax: "[^"]*"/.test(e) || e.includes('\n'))
        t.fail(`not a one-line syntax error quoting a token: ${JSON.stringify(r.text)} → ${e}`);
    }
    t.ok(by('agree').length > 50, `${by('agree').length} accepted by both with the same bytes`);
    t.ok(by('agree-refused').length > 50, `${by('agree-refused').length} refused by both`);
    t.comment(`verdicts: ${['agree', 'agree-refused', 'same-meaning', 'ovs-only'].map((v) => `${v} ${by(v).length}`).join(', ')}`);
  },
);
