/**
 * Keeps the benchmark harness from rotting: the whole of `npm run bench` at a tiny size, one run
 * each, then the JSON report's shape and its like-for-like checks. No timings are asserted.
 * Minutes long, and without coverage of its own: `npm run test:long` runs it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ONLY_IN_LONG_RUN } from '../helpers/long-runs.js';

interface Row {
  workload: string;
  contender: string;
  services: number;
  runs: number;
  median_s: number;
  verified?: boolean | null;
  flows_readded?: number;
  p99_s?: number;
}

t.test('npm run bench at 40 services produces every workload, checked like for like', { skip: ONLY_IN_LONG_RUN }, (t) => {
  const out = mkdtempSync(join(tmpdir(), 'ofwire-bench-smoke-'));
  t.teardown(() => rmSync(out, { recursive: true, force: true }));
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      'benchmarks/bench.ts',
      '--sizes',
      '40',
      '--runs',
      '1',
      '--churn',
      '20',
      '--sustained-seconds',
      '1',
      '--no-codec',
      '--out-dir',
      out,
    ],
    // No coverage from these processes: tsx compiles the sources differently from the tests'
    // loader, and coverage of two compilations of one file cannot be merged.
    { encoding: 'utf8', timeout: 240_000, env: { ...process.env, _TAPJS_PROCESSINFO_COVERAGE_: '0' } },
  );
  t.equal(r.status, 0, `bench exits 0: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const json = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as { machine: { cpu: string }; results: Row[] };
  t.ok(json.machine.cpu, 'machine recorded');
  const has = (workload: string, contender: string) => json.results.find((x) => x.workload === workload && x.contender === contender);
  for (const c of ['ofwire', 'floor', 'ovs-ofctl-bundle', 'os-ken', 'iptables-restore']) {
    const row = has('cold-sync', c);
    t.ok(row && row.median_s > 0, `cold-sync ${c} measured`);
    t.equal(row?.verified, true, `cold-sync ${c} installed the same state`);
  }
  for (const w of ['cold-sync-process', 'cold-sync-library']) t.equal(has(w, 'ofwire')?.verified, true, `${w} installed the same state`);
  for (const c of ['ofwire', 'floor', 'ovs-ofctl-spawn']) t.ok((has('churn', c)?.p99_s ?? 0) > 0, `churn ${c} measured`);
  for (const w of ['churn-library', 'churn-kube', 'churn-sustained']) t.ok(has(w, 'ofwire'), `${w} measured`);
  t.equal(has('restart', 'ofwire')?.flows_readded, 0, 'an agent restart re-adds nothing');
  t.equal(has('restart-process', 'ofwire')?.flows_readded, 0, 'ofwire proxy --once on a programmed bridge re-adds nothing');
  for (const c of ['ofwire', 'floor', 'ovs-ofctl-bundle']) t.ok(has('recovery', c), `recovery ${c} measured`);
  for (const c of ['ofwire', 'ovs-ofctl-bundle']) t.equal(has('cli-add', c)?.verified, true, `cli-add ${c} measured, same flows & groups`);
  for (const f of ['latest.md', 'cold-sync.svg', 'README-fragment.md']) t.ok(existsSync(join(out, f)), `${f} written`);
  t.match(r.stdout, /## Cold sync/, 'the Markdown report goes to stdout');
  for (const w of ['cold-sync', 'restart', 'churn']) {
    const split = (has(w, 'ofwire') as { extra?: { split?: Record<string, number> } } | undefined)?.extra?.split;
    t.ok(
      split && split.total_s! > 0 && split.compile_s! >= 0 && split.wait_s !== undefined && split.gc_s! >= 0,
      `${w}: where ofwire's time goes`,
    );
  }
  t.match(r.stdout, /## Where ofwire's time goes/, 'reported as a table');
  t.match(
    r.stdout,
    /restart with nothing changed, 40 services \(10k not run\): ofwire ÷ floor's read-back \| ≤ 3×/,
    'the goals table holds the current goals',
  );
  t.end();
});

t.test(
  'npm run bench --external-every 3 at 40 services adds the north-south mix, checked like for like',
  { skip: ONLY_IN_LONG_RUN },
  (t) => {
    const out = mkdtempSync(join(tmpdir(), 'ofwire-bench-smoke-ns-'));
    t.teardown(() => rmSync(out, { recursive: true, force: true }));
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'benchmarks/bench.ts',
        ...['--sizes', '40', '--runs', '1', '--churn', '20', '--sustained-seconds', '1', '--only', 'cold-sync,churn'],
        ...['--external-every', '3', '--no-codec', '--no-osken', '--no-iptables', '--no-kube', '--out-dir', out],
      ],
      { encoding: 'utf8', timeout: 240_000, env: { ...process.env, _TAPJS_PROCESSINFO_COVERAGE_: '0' } },
    );
    t.equal(r.status, 0, `bench exits 0: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    const json = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as { results: Row[]; notes: string[] };
    const has = (workload: string, contender: string) => json.results.find((x) => x.workload === workload && x.contender === contender);
    for (const suffix of ['', '-north-south']) {
      for (const c of ['ofwire', 'floor', 'ovs-ofctl-bundle'])
        t.equal(has(`cold-sync${suffix}`, c)?.verified, true, `cold-sync${suffix} ${c}: same flows & groups`);
      for (const w of ['cold-sync-process', 'cold-sync-library'])
        t.equal(has(`${w}${suffix}`, 'ofwire')?.verified, true, `${w}${suffix}: same flows & groups`);
      for (const c of ['ofwire', 'floor', 'ovs-ofctl-spawn'])
        t.ok((has(`churn${suffix}`, c)?.p99_s ?? 0) > 0, `churn${suffix} ${c} measured`);
    }
    t.notOk(
      has('cold-sync-north-south', 'os-ken') ?? has('cold-sync-north-south', 'iptables-restore'),
      'no os-ken or iptables rows for the north-south mix',
    );
    t.notOk(
      json.notes.some((n) => /messages for \d+ changes|differs|installed, \d+ expected/.test(n)),
      'every churn step sent one GROUP_MOD per service port, and nothing differed',
    );
    t.match(
      r.stdout,
      /cold sync, 40 services \(10k not run\), 1 in 3 services NodePort\/LoadBalancer: ofwire \(in-process\) ÷ floor \| ≤ 1\.5×/,
      'the cold-sync goal on the north-south mix',
    );
    t.match(
      r.stdout,
      /endpoint change → barrier ack, 40 services \(10k not run\), 1 in 3 services NodePort\/LoadBalancer \(MemorySource\) \| p50 ≤ floor p50 \+ 50 µs, p99 ≤ 2× floor p99/,
      'the churn goal on the north-south mix',
    );
    t.match(r.stdout, /— north-south mix \|/, 'north-south rows labelled in the tables');
    t.end();
  },
);

t.test('npm run bench -- --help lists every workload and option, and runs nothing', (t) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'benchmarks/bench.ts', '--help'], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, _TAPJS_PROCESSINFO_COVERAGE_: '0' },
  });
  t.equal(r.status, 0, `exits 0: ${r.stderr.trim()}`);
  for (const w of ['cold-sync', 'churn', 'restart', 'recovery', 'cli', 'codec'])
    t.match(r.stdout, new RegExp(`^  ${w} `, 'm'), `describes ${w}`);
  for (const o of ['--quick', '--sizes', '--runs', '--churn', '--only', '--external-every', '--no-osken', '--out-dir', '--cpu-prof'])
    t.match(r.stdout, o, `describes ${o}`);
  t.end();
});
